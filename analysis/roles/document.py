"""The data structures of one article: tokens, parse units, people and mentions.

An article is read from the token table of :func:`analysis.preprocess.tokens`
(one row per token); parse units are its sentences (a line break ends a sentence in
preprocessing, so a byline is never the subject of the next sentence). Direct
quotations are marked token by token (straight and curly quotes), as the
Gender Gap Tracker does for quote attribution (Asr et al. 2021).

Example
-------
>>> quote_mask(['"', "Go", '"', "she", "said"], [""] * 5)
[True, True, True, False, False]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.roles.vocabulary import LEMMA_FIXES, QUOTE_BOTH, QUOTE_CLOSE, QUOTE_OPEN

#: Columns of mentions.csv promised by DESIGN.md (extra columns follow them).
MENTION_COLUMNS: tuple[str, ...] = (
    "doc_id", "sentence_id", "person", "role", "gender", "gender_source", "voice", "verb",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "form", "text", "token", "dep", "pattern", "victim_evidence", "accused_evidence", "role_source",
    "in_quote", "is_quote_speaker", "reporting_kind", "harm_verb", "agency", "power",
)
ROLES: tuple[str, ...] = ("victim", "accused", "other")
VOICES: tuple[str, ...] = ("active_subject", "passive_subject", "object", "other")
GENDER_SOURCES: tuple[str, ...] = ("registry", "pronoun", "honorific", "name_list", "unknown")


@dataclass
class Person:
    key: str
    canonical: str
    first: str = ""
    surname: str = ""
    registry_role: str | None = None
    registry_gender: str | None = None
    variants: Counter = field(default_factory=Counter)
    titles: list[str] = field(default_factory=list)
    legal_first: str = ""       # first name of the legal name behind a stage name ("X, born Y Z")


@dataclass
class Mention:
    person: int | None          # index into persons (None: unresolved pronoun)
    sent: int
    start: int                  # token index in doc (head token for pronouns)
    end: int
    form: str                   # name | pronoun | relative | first_person
    text: str
    pron_gender: str | None = None
    dep: str = ""
    voice: str = "other"
    verb: str = ""
    harm_verb: bool = False
    evidence: list = field(default_factory=list)   # [(role, weight, pattern)]
    in_quote: bool = False
    is_quote_speaker: bool = False
    reporting_kind: str = ""
    binds: int | None = None        # token index of the argument this pronoun cannot corefer with
    blocked: bool = False           # antecedent is a common noun ("the assistant said she ...")
    ctrl: int | None = None         # token index of the understood subject of the verb (objects)
    not_person_of: list = field(default_factory=list)  # speakers a quoted he/she cannot be
    speaker: int | None = None      # first-person pronoun in a quote: token index of its speaker
    agent_role: str = ""            # agent | theme | "" for lexicon scores
    modifier: bool = False          # the name modifies a common noun ("the Weinstein allegations")


@dataclass
class Doc:
    doc_id: str
    text: list[str]
    ws: list[str]
    lemma: list[str]
    pos: list[str]
    ent: list[str]
    sent: list[int]                 # parse unit: a sentence, also split at line breaks (bylines)
    sent_bounds: dict[int, tuple[int, int]]
    table_sent: list[int] = field(default_factory=list)   # sentence id of the token table
    persons: list[Person] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    in_quote: list[bool] = field(default_factory=list)
    parsed: dict[int, object] = field(default_factory=dict)


def fix_lemmas(text: Sequence[str], lemma: Sequence[str], pos: Sequence[str]) -> list[str]:
    """Lemmas with the small model's known mistakes corrected (``roles/lemma_fixes.csv``).

    Examples
    --------
    >>> fix_lemmas(["Haim", "was", "raped"], ["haim", "be", "rap"], ["PROPN", "AUX", "VERB"])
    ['haim', 'be', 'rape']
    """
    out = list(lemma)
    for i, t in enumerate(text):
        fix = LEMMA_FIXES.get(t.lower())
        if fix is not None and (not fix[0] or fix[0] == pos[i]):
            out[i] = fix[1]
    return out


def build_doc(doc_id: str, part: pd.DataFrame) -> Doc:
    """An article from its rows of the token table (lemmas corrected by :func:`fix_lemmas`)."""
    text = part["text"].tolist()
    table_sent = part["sent"].astype(int).tolist()
    # parse units: the token table's sentences (a line break already ends a sentence there:
    # analysis.sentences, added in preprocessing), renumbered from 0
    sent = pd.factorize(pd.Series(table_sent))[0].tolist()
    bounds: dict[int, tuple[int, int]] = {}
    for i, s in enumerate(sent):
        a, _ = bounds.get(s, (i, i))
        bounds[s] = (a, i + 1)
    pos = part["pos"].tolist()
    d = Doc(doc_id, text, part["ws"].tolist(), fix_lemmas(text, part["lemma"].tolist(), pos), pos,
             part["ent"].tolist(), sent, bounds, table_sent)
    d.in_quote = quote_mask(text, d.ws)
    return d


def quote_mask(text: Sequence[str], ws: Sequence[str]) -> list[bool]:
    """True for tokens inside a direct quotation (straight or curly quotes)."""
    mask = [False] * len(text)
    inside = False
    for i, t in enumerate(text):
        if t in QUOTE_BOTH:
            inside = not inside
            mask[i] = True
        elif t in QUOTE_OPEN:
            # a single curly opening quote is an opening only before a word
            inside = True
            mask[i] = True
        elif t in QUOTE_CLOSE:
            if t == "\u2019" and not inside:
                continue          # an apostrophe
            mask[i] = True
            inside = False
        else:
            mask[i] = inside
        if "\n" in t and inside:
            inside = False        # quotes do not run across paragraphs
    return mask


def quote_bounds(in_quote: list[bool], i: int) -> tuple[int, int]:
    """The run of quoted tokens around token ``i``: (first, end).

    Examples
    --------
    >>> quote_bounds([False, True, True, True, False], 2)
    (1, 4)
    """
    a, b = i, i
    while a > 0 and in_quote[a - 1]:
        a -= 1
    while b < len(in_quote) and in_quote[b]:
        b += 1
    return a, b
