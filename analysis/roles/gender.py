"""People's gender and the resolution of he/she pronouns to them.

The sources, in order: the case registry, third-person pronouns coreferent
within the article, honorifics and gendered nouns ("Mr", "Ms", "actress",
"(a man)"), and last a list of first names (wrong for men called "Nana" or
"Ashley"). Pronouns are resolved to the most recent compatible person in
the same or the two previous sentences: a recency-and-agreement heuristic in
the tradition of Hobbs (1978) and Lappin & Leass (1994), with the binding
constraint (an object pronoun is never its verb's subject) recorded on the
mention by :mod:`analysis.roles.sentences`.

Example
-------
>>> from collections import Counter
>>> decide(Counter(male=3, female=1)), decide(Counter(male=1, female=1))
('male', None)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from analysis.roles.document import Doc, Mention
from analysis.roles.lexicons import name_genders
from analysis.roles.vocabulary import GENDERED_NOUNS, HONORIFICS, PRONOUN_GENDER

#: Gender sources that are trusted enough to veto a pronoun (the name list is not).
HARD_SOURCES: tuple[str, ...] = ("registry", "pronoun", "honorific")


def _covering(recent: list[Mention], i: int) -> int | None:
    """The person of the most recent mention that covers token ``i``."""
    for r in reversed(recent):
        if r.start <= i < max(r.end, r.start + 1) and r.person is not None:
            return r.person
    return None


def _banned(m: Mention, recent: list[Mention]) -> set[int]:
    """People a pronoun cannot refer to: the quote's speakers (quoted he/she) and its binder."""
    banned = set()
    for start in [*m.not_person_of, *([m.binds] if m.binds is not None else [])]:
        k = _covering(recent, start)
        if k is not None:
            banned.add(k)
    return banned


def _antecedent(m: Mention, recent: list[Mention], prior: Sequence[str | None], hard: Sequence[bool],
                window: int) -> int | None:
    """Best person for pronoun ``m``: agreeing prior, then unknown, then soft disagreement; most recent."""
    banned = _banned(m, recent)
    best: tuple[int, int, int] | None = None
    seen: set[int] = set()
    for rank, r in enumerate(reversed(recent)):
        if m.sent - r.sent > window:
            break
        k = r.person
        if k is None or k in banned or k in seen or r.modifier:
            continue
        seen.add(k)
        g = prior[k]
        if g is None:
            cls = 1
        elif g == m.pron_gender:
            cls = 0
        elif hard[k]:
            continue
        else:
            cls = 2
        if best is None or (cls, rank) < (best[0], best[1]):
            best = (cls, rank, k)
    return None if best is None else best[2]


def resolve(d: Doc, pronouns: list[Mention], prior: Sequence[str | None],
            hard: Sequence[bool], window: int = 2) -> None:
    """Resolve he/she pronouns to people of the article (in place).

    Candidates are name mentions (and pronouns already resolved) earlier in
    the same sentence or in the ``window`` previous sentences, minus the
    argument a pronoun cannot corefer with (an object pronoun and the
    understood subject of its verb: "Haider groped her", "accused X of
    harassing her"). Among them a person whose ``prior`` gender agrees with
    the pronoun is preferred, then one of unknown gender, then the most
    recent. A person whose prior is ``hard`` (registry, honorific) and
    disagrees is never chosen; a soft prior (the name list) only breaks ties,
    so "Nana Patekar denied it. He said ..." still resolves "He" to Nana.
    """
    events = sorted([(m.start, 0, m) for m in d.mentions if m.person is not None]
                    + [(p.start, 1, p) for p in pronouns], key=lambda e: (e[0], e[1]))
    recent: list[Mention] = []
    for _, kind, m in events:
        if kind == 0:
            recent.append(m)
            continue
        m.person = None
        if m.blocked:
            continue
        m.person = _antecedent(m, recent, prior, hard, window)
        if m.person is not None:
            recent.append(m)


def pronoun_tokens(d: Doc, parsed_pronouns: list[Mention]) -> list[Mention]:
    """he/she tokens of the whole article: parsed ones carry binding info, the rest do not."""
    seen = {p.start for p in parsed_pronouns}
    out = list(parsed_pronouns)
    for i, t in enumerate(d.text):
        low = t.lower()
        if low in PRONOUN_GENDER and i not in seen and d.pos[i] == "PRON":
            out.append(Mention(None, d.sent[i], i, i + 1, "pronoun", t, pron_gender=PRONOUN_GENDER[low]))
    return sorted(out, key=lambda m: m.start)


def _vote_before(d: Doc, m: Mention) -> str | None:
    """Words just before the name: "actress Ritika Sood", "Ms Baloch", "female artist X"."""
    j, steps = m.start - 1, 0
    while j >= 0 and steps < 4 and d.sent[j] == m.sent:
        if d.pos[j] == "SPACE" and "\n" not in d.text[j]:
            j -= 1
            continue
        low = d.text[j].lower().rstrip(".")
        if low in HONORIFICS:
            return HONORIFICS[low]
        if d.lemma[j] in GENDERED_NOUNS and d.pos[j] in ("NOUN", "PROPN", "ADJ"):
            return GENDERED_NOUNS[d.lemma[j]]
        if d.pos[j] not in ("NOUN", "PROPN", "ADJ", "PUNCT") or d.text[j] in (",", ".", ";", ":", "(", ")"):
            return None
        j -= 1
        steps += 1
    return None


def _vote_after(d: Doc, m: Mention) -> str | None:
    """Words just after: "Kiran Malhotra (a man)", "Hamza Farooqi, a male actor", "X sahab"."""
    j, steps = m.end, 0
    while j < len(d.text) and steps < 5 and d.sent[j] == m.sent:
        if d.pos[j] == "SPACE" and "\n" not in d.text[j]:
            j += 1
            continue
        low = d.lemma[j]
        if low in GENDERED_NOUNS and d.pos[j] in ("NOUN", "ADJ", "PROPN"):
            return GENDERED_NOUNS[low]
        if d.text[j].lower().rstrip(".") in ("sahab", "sahib"):
            return "male"
        if d.text[j] not in ("(", ",", "a", "an", "the") and d.pos[j] not in ("ADJ", "DET", "ADV"):
            return None
        j += 1
        steps += 1
    return None


def honorific_votes(d: Doc, k: int) -> Counter:
    """Gender votes for person ``k`` from titles and from gendered words around each name mention."""
    votes: Counter = Counter()
    for t in d.persons[k].titles:
        if t in HONORIFICS:
            votes[HONORIFICS[t]] += 1
    for m in d.mentions:
        if m.person != k or m.form != "name":
            continue
        for vote in (_vote_before(d, m), _vote_after(d, m)):
            if vote is not None:
                votes[vote] += 1
    return votes


def decide(votes: Counter, min_share: float = 0.6) -> str | None:
    """The majority gender when it has at least ``min_share`` of the votes and strictly more."""
    total = votes["male"] + votes["female"]
    if total == 0:
        return None
    top = "male" if votes["male"] >= votes["female"] else "female"
    return top if votes[top] / total >= min_share and votes[top] > votes[{"male": "female", "female": "male"}[top]] \
        else None


def _listed(d: Doc) -> list[str | None]:
    """Name-list gender of each person's first name (or of a one-word name); in a name of three
    words or more, the middle name when the first is not listed, none when the two disagree."""
    names = name_genders()
    out: list[str | None] = []
    for p in d.persons:
        words = p.canonical.split()
        if p.legal_first:
            # a stage name's gender is the legal first name's ("X, legally known as Y Z")
            out.append(names.get(p.legal_first.lower()))
            continue
        if not p.first:
            out.append(names.get(p.canonical.lower()) if len(words) == 1 else None)
            continue
        first = names.get(p.first.lower())
        middle = names.get(words[1].lower()) if len(words) >= 3 and words[0] == p.first else None
        # "Evan Rachel Wood": a listed middle name of the other gender makes the list unsure
        out.append(middle if first is None else (None if middle not in (None, first) else first))
    return out


def person_genders(d: Doc, all_pron: list[Mention]) -> tuple[list[str], list[str]]:
    """Gender and its source for every person of the article (resolves ``all_pron`` on the way).

    Registry > coreferent pronouns > honorifics/gendered nouns > name list.
    Pronouns are resolved twice: in the first round a listed first name
    vetoes disagreeing pronouns; the second round uses the first round's
    pronoun genders as priors (and as vetoes), the name list only as a soft
    prior.
    """
    persons, n = d.persons, len(d.persons)
    hon_votes = [honorific_votes(d, k) for k in range(n)]
    strong = [p.registry_gender or decide(hon_votes[k], 0.75) for k, p in enumerate(persons)]
    listed = _listed(d)
    pron_gender: list[str | None] = [None] * n
    for rnd in range(2):
        prior = [strong[k] or pron_gender[k] or listed[k] for k in range(n)]
        # first round: the name list vetoes disagreeing pronouns, so that "her" of an unnamed victim
        # does not outvote "he" of the named accused; second round: only the genders decided so far
        # do, so a man with a woman's listed name ("Nana") still gets his "he"
        hard = [strong[k] is not None or (listed[k] is not None if rnd == 0 else pron_gender[k] is not None)
                for k in range(n)]
        resolve(d, all_pron, prior, hard)
        votes = [Counter() for _ in range(n)]
        for m in all_pron:
            if m.person is not None:
                votes[m.person][m.pron_gender] += 1
        pron_gender = [decide(v) for v in votes]
    genders: list[str] = []
    sources: list[str] = []
    for k, p in enumerate(persons):
        if p.registry_gender:
            g, s = p.registry_gender, "registry"
        elif pron_gender[k] is not None:
            g, s = pron_gender[k], "pronoun"
        elif (g := decide(hon_votes[k])) is not None:
            s = "honorific"
        elif listed[k] is not None:
            g, s = listed[k], "name_list"
        else:
            g, s = "unknown", "unknown"
        genders.append(g)
        sources.append(s)
    return genders, sources
