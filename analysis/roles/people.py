"""Find the people of an article: NER PERSON spans, names the small model misses, the registry.

A person is a spaCy PERSON entity (titles and possessives stripped), or a
name the small English model tends to miss: a listed first name followed by
a capitalised proper noun ("Gordon Fairbanks"), a proper noun after an
honorific ("Ms Kapoor") or after an occupation ("casting director Sheetal
Kapoor"). The case registry (``cases.csv``) adds the names of each case's
alleged victims and accused with their registry role and gender. Name spans
are clustered into people by :mod:`analysis.roles.aliases`.

Example
-------
>>> split_names("Hina Baloch; Sana Sheikh")
['Hina Baloch', 'Sana Sheikh']
"""

from __future__ import annotations

import functools

from analysis.corpus import Corpus
from analysis.roles.document import Doc
from analysis.roles.lexicons import name_genders, verb_sets
from analysis.roles.vocabulary import (
    ACCUSED_NOUNS,
    HONORIFICS,
    NOT_NAME_ENTS,
    NOT_PEOPLE,
    OCCUPATIONS,
    PLACE_WORDS,
    QUOTE_BOTH,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    SPEECH_VERBS,
    TITLE_PARTICLES,
    TITLES,
    VICTIM_NOUNS,
)

#: Entity types of a one-word proper noun that can still be a person the NER model missed.
_MAYBE_PERSON_ENTS = ("", "ORG", "PERSON")

#: A name span: (first token, end token, titles stripped from its front).
Span = tuple[int, int, list[str]]
#: A registry person of an article: (name, role, gender or None).
RegistryPerson = tuple[str, str, str | None]


def split_names(value: object) -> list[str]:
    """Names of a registry cell, separated by ``;`` (not a string: no names).

    Examples
    --------
    >>> split_names(float("nan"))
    []
    """
    if not isinstance(value, str):
        return []
    return [n.strip() for n in value.split(";") if n.strip()]


def registry_people(corpus: Corpus) -> dict[str, list[RegistryPerson]]:
    """doc_id -> [(name, role, gender)], the doc's own case first, then every other case.

    Examples
    --------
    >>> import pandas as pd
    >>> c = type("C", (), {"docs": pd.DataFrame({"doc_id": ["a"], "case_id": ["c1"]}),
    ...     "cases": pd.DataFrame({"case_id": ["c1"], "victims": ["Noor Hassan"], "victim_gender": ["male"],
    ...                            "accused": ["Adnan Shah"], "accused_gender": [""]})})()
    >>> registry_people(c)["a"]
    [('Noor Hassan', 'victim', 'male'), ('Adnan Shah', 'accused', None)]
    """
    cases = corpus.cases
    if cases is None or "case_id" not in corpus.docs.columns:
        return {}
    everyone: list[tuple[str, str, str | None, str]] = []
    for rec in cases.to_dict("records"):
        for role, names_col, gender_col in (("victim", "victims", "victim_gender"),
                                            ("accused", "accused", "accused_gender")):
            gender = str(rec.get(gender_col) or "").lower()
            gender = gender if gender in ("female", "male") else None
            for name in split_names(rec.get(names_col)):
                everyone.append((name, role, gender, rec["case_id"]))
    out = {}
    for doc_id, case_id in zip(corpus.docs["doc_id"], corpus.docs["case_id"], strict=True):
        own = [(n, r, g) for n, r, g, c in everyone if c == case_id]
        rest = [(n, r, g) for n, r, g, c in everyone if c != case_id]
        out[doc_id] = own + rest
    return out


@functools.lru_cache(maxsize=1 << 16)
def is_name_token(text: str) -> bool:
    """A capitalised word with a letter, no hashtag or handle, not a known non-person.

    Examples
    --------
    >>> is_name_token("Haider"), is_name_token("#MeToo"), is_name_token("Instagram")
    (True, False, False)
    """
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text) and "#" not in text \
        and "@" not in text and text.lower() not in NOT_PEOPLE


#: Lower-case particles inside a surname ("Ludwig van Beethoven", "Oscar de la Hoya").
_NAME_PARTICLES = frozenset({"de", "del", "della", "der", "den", "di", "da", "du", "la", "le", "van", "von",
                             "bin", "ibn", "al", "el", "ul", "ud", "ur"})


def inner_name_word(text: str) -> bool:
    """A word that may stand inside a name without being capitalised: a surname particle
    ("van", "de") or a particle written together with the surname ("deGrasse", "McX" is
    capitalised anyway).

    Examples
    --------
    >>> inner_name_word("van"), inner_name_word("deGrasse"), inner_name_word("said")
    (True, True, False)
    """
    return text in _NAME_PARTICLES or (text[:1].islower() and text.isalpha() and any(ch.isupper() for ch in text[1:]))


def clean_span(d: Doc, a: int, b: int) -> Span:
    """Strip titles and possessives from a name span; return (a, b, titles)."""
    titles = []
    while a < b and (d.text[a].lower().rstrip(".") in TITLES or not is_name_token(d.text[a])
                     or (d.pos[a] == "VERB" and b - a > 1)):
        if d.text[a].lower().rstrip(".") in TITLES:
            titles.append(d.text[a].lower().rstrip("."))
        a += 1
    while b > a and (d.text[b - 1] in ("'s", "\u2019s", "'", "\u2019") or not is_name_token(d.text[b - 1])):
        b -= 1
    return a, b, titles


def prev_word(d: Doc, i: int) -> int | None:
    """Index of the previous token that is not whitespace."""
    j = i - 1
    while j >= 0 and d.pos[j] == "SPACE" and "\n" not in d.text[j]:
        j -= 1
    return j if j >= 0 else None


def _name_part(d: Doc, j: int, s: int) -> bool:
    """Token ``j`` can be part of a name in parse unit ``s``."""
    return j < len(d.text) and d.sent[j] == s and d.pos[j] == "PROPN" and is_name_token(d.text[j]) \
        and d.ent[j] not in NOT_NAME_ENTS and d.text[j].lower().rstrip(".") not in TITLES


def _extra_start(d: Doc, i: int, names: dict[str, str]) -> tuple[int | None, list[str]]:
    """Where a name missed by NER starts at token ``i`` (None: no name there), and its titles."""
    low = d.text[i].lower().rstrip(".")
    s = d.sent[i]
    if low in HONORIFICS and _name_part(d, i + 1, s):
        return i + 1, [low]
    if _name_part(d, i, s) and low in names and _name_part(d, i + 1, s):
        return i, []
    if _name_part(d, i, s) and _name_part(d, i + 1, s) and (prev := _person_noun_before(d, i)) is not None \
            and d.sent[prev] == s:
        return i, []
    return None, []


#: Nouns a name can stand in apposition to: occupations, gendered nouns, accusers and accused.
_PERSON_NOUNS = OCCUPATIONS | VICTIM_NOUNS | ACCUSED_NOUNS


def _person_noun_before(d: Doc, i: int) -> int | None:
    """The lower-case person noun a name at ``i`` stands next to or in apposition to
    ("casting director X", "a second accuser, X", "another journalist, X", "a man, identified
    as X"); None otherwise."""
    prev = prev_word(d, i)
    if prev is not None and d.text[prev] == "as" and (p2 := prev_word(d, prev)) is not None \
            and d.lemma[p2] in ("identify", "name"):
        prev = prev_word(d, p2)
        if prev is not None and d.text[prev] == ",":
            prev = prev_word(d, prev)
    elif prev is not None and d.text[prev] == ",":
        prev = prev_word(d, prev)
    if prev is None or d.lemma[prev] not in _PERSON_NOUNS or not d.text[prev][:1].islower():
        return None
    return prev


def extra_spans(d: Doc, spans: list[Span]) -> list[Span]:
    """Names the small NER model misses: "Ms Kapoor", "Gordon Fairbanks" (a listed first
    name followed by a capitalised proper noun) and "casting director Sheetal Kapoor"."""
    covered = set()
    for a, b, _ in spans:
        covered.update(range(a, b))
    names = name_genders()
    out = []
    i, n = 0, len(d.text)
    while i < n:
        if i in covered:
            i += 1
            continue
        start, titles = _extra_start(d, i, names)
        if start is None:
            i += 1
            continue
        s, j = d.sent[i], start
        while _name_part(d, j, s) and j < start + 3:
            j += 1
        if any(k in covered for k in range(start, j)) or d.text[j - 1].lower() in PLACE_WORDS:
            i = j
            continue
        out.append((start, j, titles))
        i = j
    return out


def _quote_char(t: str) -> bool:
    return t in QUOTE_OPEN or t in QUOTE_CLOSE or t in QUOTE_BOTH


def nickname_spans(d: Doc, spans: list[Span]) -> list[Span]:
    """Names with a quoted nickname between first name and surname, which the small NER model
    often tags as a work of art: First "Nick" Last (the span keeps the quotes; cluster keys skip them).

    The first word is a listed first name or a proper noun, the nickname one
    to three capitalised words inside quotation marks, the surname one or two
    capitalised proper nouns right after the closing mark.
    """
    covered = {k for a, b, _ in spans for k in range(a, b)}
    names = name_genders()
    out: list[Span] = []
    n = len(d.text)
    for i in range(n - 3):
        t = d.text[i]
        if not is_name_token(t) or (t.lower() not in names and d.pos[i] != "PROPN") \
                or t.lower().rstrip(".") in TITLES or not _quote_char(d.text[i + 1]):
            continue
        j = i + 2
        while j < min(n, i + 5) and is_name_token(d.text[j]) and d.sent[j] == d.sent[i]:
            j += 1
        if j == i + 2 or j >= n or not _quote_char(d.text[j]):
            continue
        k = j + 1
        while k < min(n, j + 3) and _name_part(d, k, d.sent[i]):
            k += 1
        if k == j + 1 or any(x in covered for x in range(i, k)) or d.text[k - 1].lower() in PLACE_WORDS:
            continue
        out.append((i, k, []))
        covered.update(range(i, k))
    return out


def _with_nicknames(d: Doc, spans: list[Span]) -> list[Span]:
    """NER spans plus nickname names; an NER span inside a nickname name (the first name alone,
    the nickname) gives way to it."""
    nicks = nickname_spans(d, [])
    inside = [s for s in spans if any(a <= s[0] and s[1] <= b for a, b, _ in nicks)]
    kept = [s for s in spans if s not in inside]
    return kept + [x for x in nicks if not any(a < x[1] and x[0] < b for a, b, _ in kept)]


#: Words that separate or close the items of a list of names.
_LIST_SEPARATORS = (",", "and", "&")
_LIST_CLOSERS = (",", "and", "&", "etc", "etc.", ".", ";", ")")
#: Entity types a list member the NER model mislabelled can carry.
_LIST_MEMBER_ENTS = ("", "ORG", "PERSON", "PRODUCT", "WORK_OF_ART")


def _span_before(d: Doc, i: int, ends: dict[int, Span]) -> Span | None:
    """The name span that ends just before the list separator(s) in front of token ``i``."""
    j = prev_word(d, i)
    seps = 0
    while j is not None and d.text[j].lower() in _LIST_SEPARATORS and seps < 2:
        j, seps = prev_word(d, j), seps + 1
    if seps == 0 or j is None:
        return None
    return ends.get(j + 1)


def list_member_spans(d: Doc, spans: list[Span]) -> list[Span]:
    """Names inside a list of people that the NER model left out or called an organisation
    ("A B, C, D E and F G": C and D E are people too).

    A run of one to three capitalised proper nouns is a name when it stands
    between list separators, the item before it is a name, and so is the item
    after it or the item before that one (a list of at least three names).
    """
    ends = {b: (a, b, t) for a, b, t in spans}
    starts = {a for a, _, _ in spans}
    covered = {k for a, b, _ in spans for k in range(a, b)}
    out: list[Span] = []
    i, n = 0, len(d.text)
    while i < n:
        if i in covered or not _name_part(d, i, d.sent[i]) or d.ent[i] not in _LIST_MEMBER_ENTS:
            i += 1
            continue
        j = i
        while j < min(n, i + 3) and _name_part(d, j, d.sent[i]) and j not in covered \
                and d.ent[j] in _LIST_MEMBER_ENTS:
            j += 1
        before = _span_before(d, i, ends)
        nxt = j
        while nxt < n and d.pos[nxt] == "SPACE" and "\n" not in d.text[nxt]:
            nxt += 1
        if before is None or nxt >= n or d.text[nxt].lower() not in _LIST_CLOSERS \
                or d.text[j - 1].lower() in PLACE_WORDS:
            i = j
            continue
        after = nxt + 1
        while after < n and (d.text[after].lower() in _LIST_SEPARATORS or d.pos[after] == "SPACE"):
            after += 1
        if (d.text[nxt].lower() in _LIST_SEPARATORS and after in starts) or _span_before(d, before[0], ends):
            out.append((i, j, []))
            ends[j] = (i, j, [])
            covered.update(range(i, j))
        i = j
    return out


def _verb_after(d: Doc, i: int) -> str | None:
    """Lemma of the verb directly after token ``i`` (adverbs and auxiliaries skipped), or None."""
    j = i + 1
    while j < len(d.text) and j < i + 4 and d.pos[j] in ("ADV", "AUX", "PART", "SPACE") and "\n" not in d.text[j]:
        j += 1
    return d.lemma[j] if j < len(d.text) and d.pos[j] == "VERB" else None


def surname_spans(d: Doc, spans: list[Span]) -> list[Span]:
    """One-word names the NER model missed or called an organisation ("Spacey denied ...").

    A capitalised proper noun (not all capitals, never after "the", never in
    lower case in the article) that occurs at least three times, and at
    twice as the subject of a verb, once of a verb people do (reporting,
    speech, harassment, accusation or denial verbs: "X said", "X allegedly
    groped"), is taken for a surname.
    """
    covered = {k for a, b, _ in spans for k in range(a, b)}
    verbs = verb_sets()
    person_verbs = verbs["harm"] | verbs["accuse"] | verbs["deny"] | verbs["assertive"] | verbs["hedged"] \
        | SPEECH_VERBS
    lower = {t for t in d.text if t.islower()}
    seen: dict[str, list[int]] = {}
    after_the: set[str] = set()
    for i, t in enumerate(d.text):
        if d.pos[i] != "PROPN" or not is_name_token(t) or t.isupper() or len(t) < 3:
            continue
        if i > 0 and d.text[i - 1].lower() == "the":
            after_the.add(t)
        if d.ent[i] in _MAYBE_PERSON_ENTS and t.lower() not in lower and t.lower().rstrip(".") not in TITLES \
                and t.lower() not in PLACE_WORDS:
            seen.setdefault(t, []).append(i)
    out: list[Span] = []
    for t, where in seen.items():
        if t in after_the or len(where) < 3 or any(k in covered for k in where):
            continue
        after = [v for v in (_verb_after(d, i) for i in where) if v is not None]
        if len(after) >= 2 and any(v in person_verbs for v in after):
            out.extend((i, i + 1, []) for i in where)
    return out


def name_spans(d: Doc) -> list[Span]:
    """Person name spans: NER PERSON runs (cleaned), then the names NER missed."""
    spans: list[Span] = []
    i, n = 0, len(d.text)
    while i < n:
        if d.ent[i] == "PERSON":
            j = i
            while j < n and d.ent[j] == "PERSON" and d.sent[j] == d.sent[i] and "\n" not in d.text[j]:
                j += 1
            a, b, titles = clean_span(d, i, max(j, i + 1))
            if b > a and all(is_name_token(d.text[k]) or d.text[k] == "-"
                             or (a < k < b - 1 and inner_name_word(d.text[k])) for k in range(a, b)) \
                    and d.text[b - 1].lower() not in PLACE_WORDS:
                spans.append((a, b, titles))
            i = max(j, i + 1)
        else:
            i += 1
    spans = _with_nicknames(d, spans)
    spans.extend(extra_spans(d, spans))
    spans.extend(list_member_spans(d, spans))
    spans.extend(surname_spans(d, spans))
    return [s for s in spans if not not_a_name(d, s)]


def not_a_name(d: Doc, span: Span) -> bool:
    """A span the NER took for a person that is a hashtag ("#JusticeForFaraz") or a title with a
    Hindi-Urdu function word inside or next to it ("Mitti Ke Sapne", "Baarish Ke Baad").

    Examples
    --------
    >>> words = ["the", "hashtag", "#", "JusticeForFaraz", "and", "Mitti", "Ke", "Sapne", "by", "Ann", "Lee"]
    >>> d = Doc("a", words, [" "] * 11, [w.lower() for w in words], ["X"] * 11, [""] * 11, [0] * 11, {0: (0, 11)})
    >>> [not_a_name(d, s) for s in [(3, 4, []), (5, 8, []), (6, 8, []), (9, 11, [])]]
    [True, True, True, False]
    """
    a, b, _ = span
    if a > 0 and d.text[a - 1] in ("#", "\uff03"):
        return True
    return any(d.text[k].lower() in TITLE_PARTICLES for k in range(max(a - 1, 0), b))
