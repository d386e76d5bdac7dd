"""Role evidence from what a person says: quotes and reported speech of people with no other evidence.

Coverage often names an accuser or an accused only as the speaker of a
quote ("'He groped me,' X said", "X told the paper the claims were
false") or of reported speech ("X said he was abused as a child"). For a
person whose mentions carry no role evidence of their own, the words they
speak decide: harassment words together with a first-person pronoun are an
account of one's own experience (the speaker is an alleged victim);
denial words ("false", "baseless", "lie", "deny") are a denial (the speaker
is the accused). A speaker's words are the direct quotes they are the
speaker of (quote attribution after the Gender Gap Tracker, Asr et al.
2021), the clausal complement of their speech verb, and a social-media
post they sign ("Me too" / "— Anna Paquin (@AnnaPaquin) October 15, 2017", or an Instagram
embed's "A post shared by X (@handle)"; in one's own post the #MeToo hashtag counts as "me too"). The evidence is weak
(:data:`SPEECH`) and is added only to people without other evidence, so it
never overrides a pattern of :mod:`analysis.roles.patterns`. The same holds
for the subject of an allegation's content ("he alleged that photographer X
wanted Y to trade sexual favours": X is the accused).

Example
-------
>>> speech_role({"grope", "me"}, frozenset({"grope"}))
'victim'
"""

from __future__ import annotations

from analysis.roles.document import Doc, Mention, quote_bounds
from analysis.roles.vocabulary import (
    DENIAL_WORDS,
    FALSE_WORDS,
    HARM_NOUNS,
    PRONOUN_GENDER,
    SPEECH_VERBS,
    SUBJECT_DEPS,
    TRAUMA_WORDS,
)

#: Weight of the evidence from a person's words (below every syntactic pattern).
SPEECH = 0.5
#: Marker of the words "me too" (an account of one's own harassment; the hashtag alone is not).
_ME_TOO = "<me too>"
_ME = frozenset({"me", "my", "myself"})
_NEGATION = frozenset({"not", "never", "n't", "no", "nothing"})


def speech_role(words: set[str], harm: frozenset[str]) -> str | None:
    """The role a person's words (lemmas and lower-case forms) give them, or None.

    ``victim``: the words "me too" (marked ``<me too>``), or harassment or
    trauma words (``trauma_word``: "PTSD", "nightmares") with "me"/"my" and
    no denial, or with "I" and no negation; ``accused``: a denial ("false",
    "baseless", "lie", "deny").

    Examples
    --------
    >>> speech_role({"allegation", "false"}, frozenset())
    'accused'
    >>> speech_role({"rape"}, frozenset()) is None
    True
    >>> speech_role({"i", "never", "grope"}, frozenset({"grope"})) is None
    True
    """
    harmful = bool(words & (harm | HARM_NOUNS | TRAUMA_WORDS))
    denial = bool(words & (FALSE_WORDS | DENIAL_WORDS))
    if _ME_TOO in words or (harmful and words & _ME and not denial):
        return "victim"
    if denial:
        return "accused"
    if harmful and "i" in words and not words & _NEGATION:
        return "victim"
    return None


def _reported(d: Doc, m: Mention, speech: frozenset[str]) -> list[int]:
    """Article token indices of the clausal complement of the mention's speech verb ("X said he ...")."""
    parsed = d.parsed.get(m.sent)
    if parsed is None or m.voice != "active_subject" or m.verb not in speech:
        return []
    offset = d.sent_bounds[m.sent][0]
    tok = parsed[m.start - offset:max(m.end, m.start + 1) - offset].root
    while tok.dep_ in ("compound", "flat", "conj", "appos") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ not in SUBJECT_DEPS:
        return []
    return [t.i + offset for c in tok.head.children if c.dep_ in ("ccomp", "xcomp", "parataxis")
            for t in c.subtree]


def _quoted(d: Doc, m: Mention, speakers: set[int]) -> list[int]:
    """Article token indices of the quotes of the mention's sentence (whole quote runs), and of the
    quotes that continue it in the next sentences of the paragraph without a speaker of their own
    ("'Yeah,' added X. 'There has been a lot of healing for me.'"); ``speakers`` holds the
    sentences with a quote speaker."""
    out = _quote_runs(d, m.sent)
    s = m.sent + 1
    while s in d.sent_bounds and s not in speakers and s - m.sent <= 3:
        a, b = d.sent_bounds[s]
        first = next((k for k in range(a, b) if d.text[k].strip()), None)
        if first is None or not d.in_quote[first] or "\n" in "".join(d.ws[d.sent_bounds[s - 1][0]:a]):
            break
        out.extend(_quote_runs(d, s))
        s += 1
    return out


def _quote_runs(d: Doc, sent: int) -> list[int]:
    """Article token indices of the quote runs that touch a sentence."""
    a, b = d.sent_bounds[sent]
    out: list[int] = []
    i = a
    while i < b:
        if d.in_quote[i]:
            qa, qb = quote_bounds(d.in_quote, i)
            out.extend(range(qa, qb))
            i = qb
        else:
            i += 1
    return out


def _post_shared_by(d: Doc, j: int, sent: int) -> bool:
    """Tokens ``j-3 .. j`` are "A post shared by" in parse unit ``sent``."""
    return j >= 3 and [t.lower() for t in d.text[j - 3:j + 1]] == ["a", "post", "shared", "by"] \
        and d.sent[j - 3] == sent


def _signed(d: Doc, m: Mention) -> list[int]:
    """A social-media embed signed by the person ("Me too" / "— Anna Paquin (@AnnaPaquin) ...",
    "A post shared by X (@handle)"): the name opens its line after a dash or the credit words;
    the words are the line just before."""
    j = m.start - 1
    while j >= 0 and not d.text[j].strip():
        j -= 1
    if _post_shared_by(d, j, m.sent):
        j -= 3              # "A post shared by X (@handle) on ...": an Instagram embed's credit line
    elif j < 0 or d.text[j] not in ("\u2014", "\u2013", "-", "--") or d.sent[j] != m.sent:
        return []
    k = j - 1
    while k >= 0 and not d.text[k].strip() and "\n" not in d.text[k] + d.ws[k]:
        k -= 1
    if k >= 0 and "\n" not in d.text[k] + d.ws[k]:
        return []           # the dash does not open its line
    out: list[int] = []
    k -= 1 if k >= 0 and "\n" in d.text[k] else 0
    while k >= 0 and "\n" not in d.text[k] + d.ws[k] and len(out) < 60:
        out.append(k)
        k -= 1
    if k >= 0 and "\n" in d.ws[k]:
        out.append(k)       # the last word of the line before keeps its line break in ``ws``
    return sorted(out)


#: Verbs whose clausal complement is an allegation ("X alleged that Y wanted sexual favours").
_ALLEGING = frozenset({"allege", "claim", "accuse", "complain", "testify"})
#: Words that make an alleged act sexual misconduct besides the harassment verbs and nouns.
_SEXUAL = frozenset({"sexual", "sexually", "favour", "favor", "inappropriate", "inappropriately"})


def _alleged_subject(d: Doc, m: Mention, harm: frozenset[str]) -> bool:
    """The mention is the subject of what someone alleges, and the allegation is sexual misconduct:
    "he alleged that photographer X wanted Y to trade sexual favours" (X is the accused)."""
    parsed = d.parsed.get(m.sent)
    if parsed is None or m.form != "name":
        return False
    offset = d.sent_bounds[m.sent][0]
    tok = parsed[m.start - offset:m.end - offset].root
    verb = tok.head
    if tok.dep_ not in SUBJECT_DEPS or verb.dep_ != "ccomp" or d.lemma[verb.head.i + offset] not in _ALLEGING:
        return False
    return any(d.lemma[t.i + offset].lower() in harm | HARM_NOUNS | _SEXUAL for t in verb.subtree)


#: Plural person nouns that refer back to people just named ("both men allege ..."), and their gender.
GROUP_NOUNS = {"men": "male", "boys": "male", "actors": "male", "brothers": "male", "women": "female",
           "girls": "female", "actresses": "female", "sisters": "female"}


def group_evidence(d: Doc, every: list[Mention], verbs: dict, no_evidence: set[int], genders: list[str]
                   ) -> None:
    """"Wade X and James Y ... both men allege they suffered abuse": the role evidence of a plural
    subject with "both" / "the two" goes (weakly) to the people of its gender named in that or the
    two sentences before, who have no evidence of their own."""
    from analysis.roles.patterns import analyse_mention

    for sid, parsed in d.parsed.items():
        offset, end = d.sent_bounds[sid]
        for j, word in enumerate(d.text[offset:end]):
            g = GROUP_NOUNS.get(word.lower())
            if g is None:
                continue
            tok = parsed[j]
            if tok.dep_ not in SUBJECT_DEPS or not any(
                    c.lower_ in ("both", "two") for c in tok.children):
                continue
            proxy = Mention(None, sid, tok.i + offset, tok.i + offset + 1, "group", tok.text)
            analyse_mention(proxy, tok, d, offset, verbs, 1)
            found = [(r, pt) for r, _, pt in proxy.evidence if r in ("victim", "accused")]
            if not found:
                continue
            for m in every:
                if m.form == "name" and m.person in no_evidence and 0 <= sid - m.sent <= 2 \
                        and m.start < tok.i + offset and genders[m.person] in (g, "unknown"):
                    m.evidence.extend((r, SPEECH, f"group:{pt}") for r, pt in found[:1])


def speech_evidence(d: Doc, every: list[Mention], verbs: dict, no_evidence: set[int]) -> None:
    """Add :data:`SPEECH` evidence (in place) to the speaker mentions of people in ``no_evidence``.

    ``no_evidence`` holds the person indices whose mentions have no role
    evidence; ``verbs`` the verb classes of
    :func:`analysis.roles.lexicons.verb_sets`.
    """
    speech = verbs["assertive"] | verbs["hedged"] | SPEECH_VERBS
    speakers = {m.sent for m in every if m.is_quote_speaker}
    for m in every:
        if m.person not in no_evidence or m.in_quote:
            continue
        if _alleged_subject(d, m, verbs["harm"]):
            m.evidence.append(("accused", SPEECH, "alleged_subject"))
            continue
        signed = _signed(d, m)
        idx = (_quoted(d, m, speakers) if m.is_quote_speaker else []) + _reported(d, m, speech) + signed
        if not idx:
            continue
        lemmas = {d.lemma[i].lower() for i in idx} | {d.text[i].lower() for i in idx}
        if any(d.text[i].lower().lstrip("#") == "metoo" for i in signed):
            lemmas.add(_ME_TOO)     # the person's own post with the hashtag: their own "me too"
        if any(d.text[i].lower() in PRONOUN_GENDER for i in _reported(d, m, speech)):
            lemmas.add("i")         # "X says he is not the only one facing harassment"
        forms = [d.text[i].lower() for i in idx if d.text[i].isalpha()]
        if any(a == "me" and b.startswith("too") for a, b in zip(forms, forms[1:], strict=False)):
            lemmas.add(_ME_TOO)     # "Me too": not the hashtag, which often just names the movement
        role = speech_role(lemmas, verbs["harm"])
        if role is not None:
            m.evidence.append((role, SPEECH, f"speech:{role}"))
