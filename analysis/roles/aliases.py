"""Cluster the name variants of an article into people and find every mention of them.

Within one article, "Faraz Haider", "Haider" and "Mr Haider" are one person:
spans are clustered by surname, longest names first, so that full names
define the clusters and a lone surname or first name joins the person it
belongs to. Registry names (``cases.csv``) that occur in the text come
first and keep their registry spelling. Then every later occurrence of a
cluster's surname (or first name) as a name token is a mention of the
person. This is the usual within-document name coreference heuristic of
news people-tracking (e.g. the Gender Gap Tracker, Asr et al. 2021).

Example
-------
>>> p = Person("haider", "Faraz Haider", "Faraz", "Haider")
>>> mention_lookup([p], {"haider": 0})
{'haider': 0, 'faraz': 0}
"""

from __future__ import annotations

import re
from collections import Counter

from analysis.roles.document import Doc, Mention, Person
from analysis.roles.lexicons import name_genders
from analysis.roles.people import RegistryPerson, Span, is_name_token, name_spans
from analysis.roles.vocabulary import GENDERED_NOUNS, QUOTE_BOTH, QUOTE_CLOSE, QUOTE_OPEN, TITLES

_QUOTES = QUOTE_OPEN | QUOTE_CLOSE | QUOTE_BOTH
_FUNCTION_POS = ("ADP", "DET", "PRON", "AUX", "CCONJ", "SCONJ", "PUNCT", "PART")


def _words(d: Doc, a: int, b: int) -> tuple[str, ...]:
    """The words of a name span (hyphens and the quotes of a nickname left out)."""
    return tuple(d.text[k] for k in range(a, b) if d.text[k] != "-" and d.text[k] not in _QUOTES)


def registry_persons(d: Doc, registry: list[RegistryPerson] | None) -> tuple[list[Person], dict[str, int]]:
    """Registry people whose surname occurs in the article, and the surname -> person index."""
    persons: list[Person] = []
    by_key: dict[str, int] = {}
    if not registry:
        return persons, by_key
    body = " ".join(d.text)
    for name, role, gender in registry:
        parts = name.split()
        if not parts:
            continue
        surname = parts[-1]
        if surname.lower() in by_key:
            continue
        # the substring test is only a fast filter: most registry surnames are absent
        if surname in body and re.search(r"\b" + re.escape(surname) + r"\b", body):
            by_key[surname.lower()] = len(persons)
            persons.append(Person(surname.lower(), name, parts[0] if len(parts) > 1 else "", surname,
                                  role, gender))
    return persons, by_key


def _surname_elsewhere(d: Doc, i: int, lower_words: set[str]) -> bool:
    """The word at ``i`` is also a name on its own elsewhere (a proper noun between words that are
    not, never written in lower case): the last word of a full name, not headline glue
    ("Evan Rachel Wood" stays whole when a title-case headline gave only "Evan Rachel")."""
    w = d.text[i]
    if w.lower() in lower_words or not w[:1].isupper():
        return False
    return any(d.text[k] == w and k != i and k > 0 and d.pos[k] == "PROPN" and d.pos[k - 1] != "PROPN"
               and d.pos[k + 1 if k + 1 < len(d.text) else k] != "PROPN" for k in range(len(d.text)))


def trim_spans(d: Doc, spans: list[Span]) -> list[Span]:
    """Cut headline glue and drop common words from name spans.

    A title-case headline glues words to a name ("Usman Mukhtar Shares His
    Story", "Ted Star Alex Winter"): a long span is cut back to a shorter name
    seen elsewhere in the article (at its end, then at its front). A single capitalised word that also occurs in lower case is a
    common word ("Story"), unless it is a listed first name.
    """
    seen_names = {_words(d, a, b) for a, b, _ in spans if b - a >= 2}
    lower_words = {t for t in d.text if t.islower()}
    trimmed = []
    for a, b, titles in spans:
        for cut in range(b - 1, a + 1, -1):
            if b - a > 2 and _words(d, a, cut) in seen_names and not _surname_elsewhere(d, b - 1, lower_words):
                b = cut
                break
        # "Bill & Ted Star Alex Winter Says ...": glue in front of a name seen elsewhere
        for cut in range(a + 1, b - 1):
            if b - a > 2 and _words(d, cut, b) in seen_names:
                a = cut
                break
        trimmed.append((a, b, titles))
    listed = name_genders()
    return [(a, b, t) for a, b, t in trimmed
            if b - a > 1 or d.text[a].lower() not in lower_words or d.text[a].lower() in listed]


def _add_full_name(persons: list[Person], by_key: dict[str, int], name: tuple[str, ...]) -> None:
    """Merge a name of two or more words into the people (clustered by surname)."""
    surname, key = name[-1], name[-1].lower()
    glued = next((k for k, p in enumerate(persons) if p.first.lower() == name[0].lower() and len(p.surname) > 2
                  and key.startswith(p.surname.lower()) and key != p.surname.lower()), None)
    if key not in by_key and glued is not None and len(name) == 2:
        by_key[key] = glued        # "Karan Oberoiinstagram": a photo credit glued to the surname
        return
    if key not in by_key:
        by_key[key] = len(persons)
        persons.append(Person(key, " ".join(name), name[0], surname))
        return
    p = persons[by_key[key]]
    if p.first and p.first.lower() != name[0].lower() and p.registry_role is None \
            and len(p.canonical.split()) > 1:
        # another first name with the same surname: another person
        full_key = " ".join(name).lower()
        by_key.setdefault(full_key, len(persons))
        if by_key[full_key] == len(persons):
            persons.append(Person(full_key, " ".join(name), name[0], surname))
        return
    if len(p.canonical.split()) < len(name) and p.registry_role is None:
        p.canonical, p.first = " ".join(name), name[0]
    elif not p.first:
        p.first = name[0]


def _add_single_name(persons: list[Person], by_key: dict[str, int], word: str) -> None:
    """Merge a one-word name: a known surname or first name, else a new person."""
    key = word.lower()
    if key in by_key:
        return
    match = next((k for k, p in enumerate(persons) if p.first.lower() == key), None)
    if match is not None:
        by_key[key] = match
        return
    by_key[key] = len(persons)
    persons.append(Person(key, word, "", word))


def cluster(d: Doc, spans: list[Span], persons: list[Person], by_key: dict[str, int]) -> None:
    """Add the people named by ``spans`` to ``persons`` (in place), longest names first."""
    names = Counter(_words(d, a, b) for a, b, _ in spans)
    for name in sorted(names, key=lambda t: (-len(t), t)):
        if not name:
            continue
        if len(name) > 1:
            _add_full_name(persons, by_key, name)
        else:
            _add_single_name(persons, by_key, name[0])


def mention_lookup(persons: list[Person], by_key: dict[str, int]) -> dict[str, int]:
    """Name word (lower case) -> person index: surnames, then first names, then other keys."""
    lookup: dict[str, int] = {}
    for k, p in enumerate(persons):
        lookup.setdefault(p.surname.lower(), k)
    for k, p in enumerate(persons):
        if p.first and len(p.first) > 2:
            lookup.setdefault(p.first.lower(), k)
    for key, k in by_key.items():
        if " " not in key:
            lookup.setdefault(key, k)
    return lookup


def _mention_bounds(d: Doc, i: int, k: int, lookup: dict[str, int], surname: str = "") -> tuple[int, int]:
    """The full name around token ``i`` of person ``k`` ("Faraz Haider" around "Haider"; the
    person's own ``surname`` also when another person of that surname owns the bare word)."""
    n = len(d.text)
    j = i + 1
    while j < n and d.sent[j] == d.sent[i] and is_name_token(d.text[j]) \
            and (lookup.get(d.text[j].lower()) == k or (surname and d.text[j].lower() == surname)):
        j += 1
    a = i
    while a > 0 and d.sent[a - 1] == d.sent[i] and d.pos[a - 1] == "PROPN" \
            and is_name_token(d.text[a - 1]) and d.text[a - 1].lower().rstrip(".") not in TITLES \
            and d.lemma[a - 1] not in GENDERED_NOUNS and d.ent[a - 1] in ("PERSON", ""):
        a -= 1
        if a < i - 2:
            break
    return a, j


def name_mentions(d: Doc, persons: list[Person], lookup: dict[str, int]) -> list[Mention]:
    """Every occurrence of a person's name words; records variants and titles on the people."""
    mentions: list[Mention] = []
    # "Rose McGowan" is McGowan even when another person's surname is Rose
    full = {(p.first.lower(), p.surname.lower()): k for k, p in enumerate(persons) if p.first and p.surname}
    # a surname two people share ("Sean Combs", "Justin Combs"): a bare "Combs" is the one whose
    # first name was mentioned last
    owners = Counter(p.surname.lower() for p in persons if p.surname)
    last: dict[str, int] = {}
    i, n = 0, len(d.text)
    while i < n:
        t = d.text[i]
        k = lookup.get(t.lower()) if is_name_token(t) else None
        if i + 1 < n and (t.lower(), d.text[i + 1].lower()) in full:
            k = full[(t.lower(), d.text[i + 1].lower())]
        if k is None or d.pos[i] in _FUNCTION_POS:
            i += 1
            continue
        low = t.lower()
        if persons[k].first and low == persons[k].first.lower() and owners[persons[k].surname.lower()] > 1:
            last[persons[k].surname.lower()] = k
        elif owners[low] > 1 and low in last:
            k = last[low]
        a, j = _mention_bounds(d, i, k, lookup, persons[k].surname.lower())
        titles = []
        if a > 0 and d.text[a - 1].lower().rstrip(".") in TITLES:
            titles.append(d.text[a - 1].lower().rstrip("."))
        p = persons[k]
        p.variants[" ".join(d.text[a:j])] += 1
        p.titles.extend(titles)
        mentions.append(Mention(k, d.sent[i], a, j, "name", " ".join(d.text[a:j])))
        i = j
    return mentions


#: Words between a stage name and the legal name that follows it ("X, legally known as Y", "X (born Y)").
_LEGAL_AFTER = (("legally", "known", "as"), ("born",), ("real", "name"), ("whose", "real", "name", "is"),
                ("birth", "name"), ("née",), ("nee",), ("given", "name"))
#: ... and between a legal name and the stage name after it ("Y, better known as X").
_LEGAL_BEFORE = (("better", "known", "as"), ("professionally", "known", "as"), ("popularly", "known", "as"),
                 ("known", "professionally", "as"))


def _alias_link(d: Doc, a: Mention, b: Mention) -> str:
    """"legal_second" or "legal_first" when the words between two name mentions of one sentence make
    them a stage name and a legal name; "" otherwise."""
    if a.sent != b.sent or b.start - a.end > 6 or a.person == b.person:
        return ""
    words = tuple(d.text[k].lower() for k in range(a.end, b.start)
                  if d.text[k] not in (",", "(", ":") and d.text[k].strip())
    if words in _LEGAL_AFTER:
        return "legal_second"
    return "legal_first" if words in _LEGAL_BEFORE else ""


def merge_stage_names(d: Doc) -> None:
    """One person for a stage name and the legal name the article gives for it ("X, legally known
    as Y Z", "Y Z, better known as X"): the legal name's mentions go to the stage name, the name
    coverage uses, and the legal first name (not the stage name's) is the one the name list reads
    for gender.

    Examples
    --------
    >>> from analysis.roles.document import Doc
    >>> words = ["Zed", "Storm", ",", "born", "Mira", "Okafor", ",", "sang", "."]
    >>> pos = ["PROPN", "PROPN", "PUNCT", "VERB", "PROPN", "PROPN", "PUNCT", "VERB", "PUNCT"]
    >>> d = Doc("a", words, [" "] * 9, [w.lower() for w in words], pos,
    ...         ["PERSON", "PERSON", "", "", "PERSON", "PERSON", "", "", ""], [0] * 9, {0: (0, 9)})
    >>> find_people(d, None)
    >>> p = {d.persons[m.person].canonical for m in d.mentions}
    >>> p, d.persons[d.mentions[0].person].legal_first
    ({'Zed Storm'}, 'Mira')
    """
    ms = sorted((m for m in d.mentions if m.person is not None), key=lambda m: m.start)
    for a, b in zip(ms, ms[1:], strict=False):
        link = _alias_link(d, a, b)
        if not link or a.person == b.person:
            continue
        keep, drop = (a.person, b.person) if link == "legal_second" else (b.person, a.person)
        d.persons[keep].legal_first = d.persons[drop].first or d.persons[keep].legal_first
        for m in d.mentions:
            if m.person == drop:
                m.person = keep


def find_people(d: Doc, registry: list[RegistryPerson] | None) -> None:
    """Set ``d.persons`` and ``d.mentions``: people from NER and registry aliases, clustered by surname.

    Examples
    --------
    >>> from analysis.roles.document import Doc
    >>> words = ["Faraz", "Haider", "spoke", ".", "Haider", "left", "."]
    >>> d = Doc("a", words, [" "] * 7, [w.lower() for w in words],
    ...         ["PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"],
    ...         ["PERSON", "PERSON", "", "", "PERSON", "", ""], [0] * 4 + [1] * 3, {0: (0, 4), 1: (4, 7)})
    >>> find_people(d, None)
    >>> [(m.person, m.text) for m in d.mentions]
    [(0, 'Faraz Haider'), (0, 'Haider')]
    """
    spans = name_spans(d)
    persons, by_key = registry_persons(d, registry)
    cluster(d, trim_spans(d, spans), persons, by_key)
    d.persons = persons
    d.mentions = name_mentions(d, persons, mention_lookup(persons, by_key))
    merge_stage_names(d)
