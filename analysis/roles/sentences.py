"""Choose the sentences to parse, parse them, and read the mentions of each parsed sentence.

Only sentences that mention a person or contain a cue word (harassment,
accusation, denial and allegation words, or a quotation with a he/she
pronoun) are parsed, from the cached token table with only spaCy's
``tok2vec`` and ``parser`` components: tokens, lemmas and entities come from
the token table. In a parsed sentence, every name mention is analysed
(:func:`analysis.roles.patterns.analyse_mention`), and so are its relative
pronouns ("X, who ..."), its he/she pronouns (with the binding constraint:
an object pronoun never corefers with the subject of its own verb, Chomsky
1981) and, inside a direct quote, the first-person pronouns of the quote's
speaker (the subject of a speech verb outside the quote, as in the Gender
Gap Tracker, Asr et al. 2021).

Example
-------
>>> from analysis.roles.document import Doc
>>> d = Doc("a", ["He", "denied", "it", "."], [" "] * 4, ["he", "deny", "it", "."],
...         ["PRON", "VERB", "PRON", "PUNCT"], [""] * 4, [0] * 4, {0: (0, 4)}, in_quote=[False] * 4)
>>> cue_sentences(d, {"harm": frozenset(), "accuse": frozenset(), "deny": frozenset({"deny"})})
{0}
"""

from __future__ import annotations

import sys

from analysis.roles.document import Doc, Mention
from analysis.roles.patterns import analyse_mention
from analysis.roles.speech import GROUP_NOUNS
from analysis.roles.syntax import controller
from analysis.roles.vocabulary import (
    ACCUSED_NOUNS,
    ALLEGATION_NOUNS,
    ARREST_VERBS,
    DISCLOSE_VERBS,
    FILE_VERBS,
    FIRST_PERSON,
    HARM_NOUNS,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    PRONOUN_GENDER,
    SPEECH_VERBS,
    SUBJECT_DEPS,
    SUE_VERBS,
    UPOS,
    VICTIM_NOUNS,
)


def cue_sentences(d: Doc, verbs: dict[str, frozenset[str]]) -> set[int]:
    """Parse units to parse: those with a name mention, a cue word, or a quote with he/she.

    Cue words are the harassment, accusation, legal-action and denial verbs,
    the allegation, role and harassment nouns, and "allege" and "complain".
    Filing and coming-forward verbs ("file", "report", "testify") are no cue
    on their own: their lemmas are too often plain nouns ("court files").
    A cue word selects a unit without a name only when the unit has a word
    that its parse turns into a mention (:func:`analyse_sentence`,
    :func:`analysis.roles.speech.group_evidence`): he/she, I/me/my inside a
    quotation, or a group noun ("both men"); the parse of any other unit is
    never read, so leaving it out changes no result.

    Examples
    --------
    >>> d = Doc("a", ["The", "claims", "were", "denied", "."], [" "] * 5, ["the", "claim", "be", "deny", "."],
    ...         ["DET", "NOUN", "AUX", "VERB", "PUNCT"], [""] * 5, [0] * 5, {0: (0, 5)}, in_quote=[False] * 5)
    >>> cue_sentences(d, {"harm": frozenset(), "accuse": frozenset(), "deny": frozenset({"deny"})})
    set()
    """
    accuse = verbs["accuse"] - FILE_VERBS - DISCLOSE_VERBS
    cues = verbs["harm"] | accuse | SUE_VERBS | verbs["deny"] | ALLEGATION_NOUNS | VICTIM_NOUNS \
        | ACCUSED_NOUNS | HARM_NOUNS | ARREST_VERBS | {"allege", "complain"}
    chosen = {m.sent for m in d.mentions}
    quote_sents = {d.sent[i] for i, q in enumerate(d.in_quote) if q}
    cued: set[int] = set()
    person_word: set[int] = set()
    for i, lem in enumerate(d.lemma):
        s = d.sent[i]
        if s in chosen:
            continue
        low = d.text[i].lower()
        if low in PRONOUN_GENDER or low in GROUP_NOUNS or (d.in_quote[i] and low in FIRST_PERSON):
            person_word.add(s)
        if lem in cues and d.pos[i] in ("VERB", "NOUN", "ADJ", "PROPN"):
            cued.add(s)
        elif s in quote_sents and low in PRONOUN_GENDER:
            chosen.add(s)
    return chosen | (cued & person_word)


def person_cue_sentences(d: Doc, verbs: dict[str, frozenset[str]]) -> set[int]:
    """The units of :func:`cue_sentences` that name a person (a name or he/she) AND have a cue word
    or a reporting verb: fewer parses, and different voice and agency results (opt-in).

    A name in a unit without such a word keeps no verb and voice ``other``;
    the he/she pronouns of such a unit are not resolved to a mention. On the
    real-news tuning sets the role and victim-gender accuracy stayed the same
    (``benchmarks/README.md``, "Roles stage (R1)"), but the agency measures
    of :func:`analysis.roles.role_measures` then count only these units.

    Examples
    --------
    >>> d = Doc("a", ["He", "left", "."], [" "] * 3, ["he", "leave", "."], ["PRON", "VERB", "PUNCT"],
    ...         [""] * 3, [0] * 3, {0: (0, 3)}, in_quote=[False] * 3)
    >>> person_cue_sentences(d, {"harm": frozenset(), "accuse": frozenset(), "deny": frozenset(),
    ...                          "assertive": frozenset(), "hedged": frozenset()})
    set()
    """
    accuse = verbs["accuse"] - FILE_VERBS - DISCLOSE_VERBS
    cues = verbs["harm"] | accuse | SUE_VERBS | verbs["deny"] | ALLEGATION_NOUNS | VICTIM_NOUNS \
        | ACCUSED_NOUNS | HARM_NOUNS | ARREST_VERBS | {"allege", "complain"}
    reporting = verbs["assertive"] | verbs["hedged"] | SPEECH_VERBS
    person = {m.sent for m in d.mentions}
    cued: set[int] = set()
    for i, lem in enumerate(d.lemma):
        if d.pos[i] == "PRON" and d.text[i].lower() in PRONOUN_GENDER:
            person.add(d.sent[i])
        if (lem in cues and d.pos[i] in ("VERB", "NOUN", "ADJ", "PROPN")) or (lem in reporting and d.pos[i] == "VERB"):
            cued.add(d.sent[i])
    return cue_sentences(d, verbs) & person & cued


def parse_selected(docs: list[Doc], selected: list[set[int]], n_process: int, batch_size: int,
                   progress: bool) -> int:
    """Dependency-parse the selected parse units of every article (sets ``Doc.parsed``).

    Returns the number of parse units parsed.
    """
    from spacy.tokens import Doc as SpacyDoc
    from tqdm.auto import tqdm

    from analysis.preprocess import load_nlp
    from analysis.sentences import COMPONENT, line_sentences

    nlp = load_nlp(("tok2vec", "parser"))
    # the line-break rule only acts on a sentence with a line break: it is applied to those alone,
    # here, instead of walking every token in the pipeline (tok2vec, before it, ignores sentence starts)
    skip = [COMPONENT] if COMPONENT in nlp.pipe_names else []
    jobs = [(k, s) for k, chosen in enumerate(selected) for s in sorted(chosen)]

    def make(k: int, s: int) -> SpacyDoc:
        d = docs[k]
        a, b = d.sent_bounds[s]
        words = d.text[a:b]
        spaces = [bool(w) for w in d.ws[a:b]]
        pos = [t if t in UPOS else "X" for t in d.pos[a:b]]
        doc = SpacyDoc(nlp.vocab, words=words, spaces=spaces, pos=pos, lemmas=d.lemma[a:b])
        return line_sentences(doc) if skip and any("\n" in w for w in words) else doc

    stream = (make(k, s) for k, s in jobs)
    bar = tqdm(total=len(jobs), desc="parsing person sentences", unit="sent", file=sys.stderr,
               disable=not progress)
    for (k, s), parsed in zip(jobs, nlp.pipe(stream, batch_size=batch_size, n_process=n_process,
                                                        disable=skip),
                              strict=True):
        docs[k].parsed[s] = parsed
        bar.update(1)
    bar.close()
    return len(jobs)


def _name_mentions(d: Doc, sid: int, parsed, verbs: dict, out: list[Mention]) -> set[int]:
    """Analyse the name mentions of a sentence and their relative pronouns (appended to ``out``).

    Returns the parse indices of the names' head tokens.
    """
    offset = d.sent_bounds[sid][0]
    heads: set[int] = set()
    for m in d.mentions:
        if m.sent != sid:
            continue
        head = parsed[m.start - offset:m.end - offset].root
        analyse_mention(m, head, d, offset, verbs)
        heads.add(head.i)
        # relative clause: "X, who was harassed by Y" / "X, who accused Y"; on a list of names
        # ("X, Y and Z, who shared their experiences") it belongs to every name of the list
        for c in _relative_clauses(head):
            for w in c.children:
                if w.lower_ in ("who", "whom", "that") and w.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS \
                        | OBJECT_DEPS:
                    r = Mention(m.person, sid, w.i + offset, w.i + offset + 1, "relative", w.text)
                    analyse_mention(r, w, d, offset, verbs)
                    out.append(r)
    return heads


def _relative_clauses(head) -> list:
    """Relative clauses of a name head and of the other names it is coordinated with."""
    top = head
    while top.dep_ == "conj" and top.head.pos_ == "PROPN" and top.head is not top:
        top = top.head
    group, stack = [], [top]
    while stack:
        t = stack.pop()
        group.append(t)
        stack.extend(c for c in t.children if c.dep_ in ("conj", "appos") and c.pos_ == "PROPN")
    return [c for t in group for c in t.children if c.dep_ == "relcl"]


def _common_noun_antecedent(d: Doc, sid: int, tok, offset: int) -> bool:
    """"a costume assistant said she had heard": the antecedent of 'she' is the common noun."""
    if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.dep_ not in ("ccomp", "conj", "advcl"):
        return False
    gov_subj = [c for c in tok.head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not gov_subj or gov_subj[0].pos_ != "NOUN":
        return False
    i = gov_subj[0].i + offset
    if _names_a_person(d, i):
        return False        # "Actor X said ... The actor appeared on a show, where she ...": the actor is X
    here = [mm for mm in d.mentions if mm.sent == sid]
    return i not in {mm.start for mm in here} and not any(mm.start <= i < mm.end for mm in here)


def _names_a_person(d: Doc, i: int) -> bool:
    """Token ``i`` is "the <noun>" and an earlier name of the article carried that noun as its
    title ("actor X", "the producer, X"): a definite description of a person already named."""
    if i == 0 or d.text[i - 1].lower() != "the":
        return False
    lem = d.lemma[i]
    for m in d.mentions:
        if m.start >= i:
            break
        j = m.start - 1
        while j >= 0 and d.pos[j] == "SPACE":
            j -= 1
        if j >= 0 and d.lemma[j] == lem:
            return True
    return False


def _pronoun(d: Doc, sid: int, tok, verbs: dict) -> Mention:
    """A he/she pronoun of a parsed sentence with its binding constraints."""
    offset = d.sent_bounds[sid][0]
    low = tok.lower_
    r = Mention(None, sid, tok.i + offset, tok.i + offset + 1, "pronoun", tok.text, pron_gender=PRONOUN_GENDER[low])
    analyse_mention(r, tok, d, offset, verbs)
    # binding: an object pronoun cannot corefer with the (understood) subject of its verb
    # (a "her" read as a possessive, "accused her manager", binds nothing)
    if low not in ("himself", "herself") and tok.dep_ in OBJECT_DEPS | {"pobj"} and r.dep != "poss":
        v = tok.head if tok.dep_ != "pobj" else tok.head.head
        ctrl = controller(v) if v is not None and v.pos_ in ("VERB", "AUX") else None
        if ctrl is not None:
            r.binds = ctrl.i + offset
    elif tok.dep_ == "poss" and r.harm_verb and r.ctrl is not None:
        r.binds = r.ctrl            # "Halvorsen grabbed his groin": not Halvorsen's
    if _common_noun_antecedent(d, sid, tok, offset):
        r.blocked = True
    return r


def _quote_speakers(d: Doc, sid: int, parsed, here: list[Mention], verbs: dict) -> list[Mention]:
    """Mentions outside the quote that speak it: subjects of speech verbs, "according to X"."""
    offset = d.sent_bounds[sid][0]
    speech = verbs["assertive"] | verbs["hedged"] | SPEECH_VERBS
    speakers = [m for m in here if not m.in_quote and m.voice == "active_subject" and m.verb in speech]
    for m in here:
        if m.in_quote:
            continue
        tok = parsed[m.start - offset]
        if m.form == "name":
            tok = parsed[m.start - offset:m.end - offset].root
        if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
            speakers.append(m)
            m.reporting_kind = m.reporting_kind or "assertive"
    return speakers


def _quotes(d: Doc, sid: int, parsed, verbs: dict, out: list[Mention]) -> None:
    """Direct quotes: mark speakers; quoted he/she is not the speaker, quoted I/me/my is."""
    offset = d.sent_bounds[sid][0]
    a, b = d.sent_bounds[sid]
    here = [mm for mm in d.mentions if mm.sent == sid] + out
    for m in here:
        m.in_quote = d.in_quote[m.start]
    if not any(d.in_quote[a:b]):
        return
    speakers = _quote_speakers(d, sid, parsed, here, verbs)
    for m in speakers:
        m.is_quote_speaker = True
    for m in out:
        if m.in_quote and m.form == "pronoun" and speakers:
            m.not_person_of = [x.start for x in speakers]
    # the words of the token table are the parse's words: only the hits become spaCy tokens
    for i in range(a, b):
        if d.in_quote[i] and d.text[i].lower() in FIRST_PERSON:
            tok = parsed[i - offset]
            r = Mention(None, sid, i, i + 1, "first_person", tok.text)
            analyse_mention(r, tok, d, offset, verbs)
            r.in_quote = True
            # no speaker in this sentence: the quote's speaker is found across its sentences later
            r.speaker = speakers[0].start if speakers else None
            out.append(r)


def analyse_sentence(d: Doc, sid: int, parsed, verbs: dict) -> list[Mention]:
    """Syntactic features for the name mentions of one sentence; returns its other mentions.

    The name mentions in ``d.mentions`` are filled in place; the returned
    list holds the sentence's relative, pronoun and first-person mentions
    (people not yet resolved, except relatives).
    """
    out: list[Mention] = []
    name_heads = _name_mentions(d, sid, parsed, verbs, out)
    a, b = d.sent_bounds[sid]
    for j, word in enumerate(d.text[a:b]):
        if word.lower() in PRONOUN_GENDER and j not in name_heads:
            out.append(_pronoun(d, sid, parsed[j], verbs))
    _quotes(d, sid, parsed, verbs, out)
    return out
