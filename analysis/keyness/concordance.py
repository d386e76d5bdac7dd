"""Concordance: keyword-in-context (KWIC) lines with the document metadata.

:func:`kwic` finds a word, lemma, wildcard, regular expression or phrase in a
token table and returns one line per match with its left and right context,
optionally filtered by document metadata and sorted by the context (the
usual concordance sorts, Sinclair 1991). Rendering the lines as HTML or as
terminal text is :mod:`analysis.keyness.render`.

References
----------
Sinclair, J. (1991). *Corpus, Concordance, Collocation*. Oxford University
Press.

Example
-------
>>> from analysis.keyness.example import example_data
>>> tokens, docs = example_data()
>>> kwic(tokens, docs, "victim*", mode="wildcard", window=2)["match"].tolist()
['victim', 'Victim', 'victim']
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.keyness.tokens import factorize, isin, reading_order, require_token_columns
from analysis.selection import require_columns, select_docs

#: The first columns of a concordance; the document metadata follows.
KWIC_COLUMNS: tuple[str, ...] = ("doc_id", "position", "left", "match", "right")
KWIC_MODES: tuple[str, ...] = ("word", "lemma", "wildcard", "regex", "phrase")

Mode = Literal["word", "lemma", "wildcard", "regex", "phrase"]
Sort = Literal["left", "right"] | None

_SPACES = re.compile(r"\s+")
#: Joins context words in the sort keys; sorts before every printable character.
_KEY_SEP = "\x1f"


@dataclass(frozen=True)
class _Text:
    """A token table encoded as integer codes, in reading order."""

    doc_codes: np.ndarray
    doc_vocab: np.ndarray
    position: np.ndarray
    text_codes: np.ndarray
    text_vocab: np.ndarray
    ws_codes: np.ndarray
    ws_vocab: np.ndarray
    lemma: tuple[np.ndarray, np.ndarray] | None


def _encode(tokens: pd.DataFrame) -> _Text:
    doc_codes, doc_vocab = factorize(tokens["doc_id"])
    position = tokens["i"].to_numpy()
    order = reading_order(doc_codes, position)
    text_codes, text_vocab = factorize(tokens["text"])
    ws_codes, ws_vocab = factorize(tokens["ws"])
    lemma = factorize(tokens["lemma"]) if "lemma" in tokens.columns else None
    if order is not None:
        doc_codes, position = doc_codes[order], position[order]
        text_codes, ws_codes = text_codes[order], ws_codes[order]
        if lemma is not None:
            lemma = (lemma[0][order], lemma[1])
    return _Text(doc_codes, doc_vocab, position, text_codes, text_vocab, ws_codes, ws_vocab, lemma)


def _term_matcher(mode: str, part: str, case_sensitive: bool) -> tuple[str, Any]:
    """(token column, function vocabulary -> bool array) for one query word."""
    def equal(vocab: np.ndarray) -> np.ndarray:
        if case_sensitive:
            return vocab == part
        return pd.Series(vocab, dtype=object).str.lower().to_numpy() == part.lower()

    if mode == "word":
        return "text", equal
    if mode == "lemma":
        return "lemma", equal
    if mode == "wildcard":
        pattern = re.compile(fnmatch.translate(part if case_sensitive else part.lower()))
    elif mode == "regex":
        try:
            pattern = re.compile(part, 0 if case_sensitive else re.IGNORECASE)
        except re.error as exc:
            raise UsageError(f"invalid regular expression {part!r}: {exc}") from exc
    else:
        raise UsageError(f"mode must be one of {', '.join(KWIC_MODES)}, not {mode!r}")

    def matches(vocab: np.ndarray) -> np.ndarray:
        series = pd.Series(vocab, dtype=object)
        if mode == "wildcard" and not case_sensitive:
            series = series.str.lower()
        return series.map(lambda s: pattern.fullmatch(s) is not None).to_numpy(dtype=bool)

    return "text", matches


def _hits(t: _Text, parts: list[str], mode: str, case_sensitive: bool) -> np.ndarray:
    """Whether a match of all query words starts at each token (never across documents)."""
    def part_mask(part: str) -> np.ndarray:
        if mode == "phrase":
            _, same = _term_matcher("word", part, case_sensitive)
            return same(t.text_vocab)[t.text_codes] | same(t.lemma[1])[t.lemma[0]]
        column, match = _term_matcher(mode, part, case_sensitive)
        lc, lv = (t.text_codes, t.text_vocab) if column == "text" else t.lemma
        return match(lv)[lc]

    n = len(t.doc_codes)
    hit = part_mask(parts[0])
    for k, part in enumerate(parts[1:], start=1):      # one pass per query word
        nxt = np.zeros(n, dtype=bool)
        nxt[:-k] = part_mask(part)[k:] & (t.doc_codes[k:] == t.doc_codes[:-k])
        hit &= nxt
    return hit


def _filter(hit: np.ndarray, t: _Text, docs: pd.DataFrame | None,
            filters: Mapping[str, Any] | None) -> tuple[np.ndarray, pd.DataFrame | None]:
    """Matches in the documents the filters allow, and the metadata to add to each line."""
    if docs is None:
        if filters:
            raise UsageError("filters need the documents table: kwic(tokens, corpus.docs, ...)")
        return hit, None
    require_columns(docs, ["doc_id"], "documents table", fix="pass corpus.docs")
    allowed = docs
    for column, value in (filters or {}).items():
        allowed = allowed[select_docs(allowed, column, value)]
    if filters:
        ok_doc = isin(t.doc_vocab, allowed["doc_id"].astype(str))
        hit = hit & ok_doc[t.doc_codes]
    return hit, docs.drop(columns=[c for c in ("text",) if c in docs.columns])


def _piece(t: _Text, starts: np.ndarray, offset: int, with_ws: bool = True,
           lower: bool = False) -> np.ndarray:
    """The token ``offset`` positions from each match start ("" outside its document)."""
    n = len(t.doc_codes)
    idx = starts + offset
    ok = (idx >= 0) & (idx < n)
    idx_c = np.clip(idx, 0, max(n - 1, 0))
    ok &= t.doc_codes[idx_c] == t.doc_codes[starts]
    words = t.text_vocab[t.text_codes[idx_c]]
    if lower:
        words = np.asarray(pd.Series(words, dtype=object).str.lower(), dtype=object)
    if with_ws:
        words = words + t.ws_vocab[t.ws_codes[idx_c]]
    return np.where(ok, words, "")


def _join(t: _Text, starts: np.ndarray, offsets: Iterable[int]) -> np.ndarray:
    out = np.full(len(starts), "", dtype=object)
    for off in offsets:                               # one pass per context position
        out = out + _piece(t, starts, off)
    return out


def _tidy(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=object).str.replace(_SPACES, " ", regex=True).str.strip()


def _lines(t: _Text, starts: np.ndarray, length: int, window: int) -> pd.DataFrame:
    """One concordance line per match start: document, position and contexts."""
    start_doc = t.doc_codes[starts]
    return pd.DataFrame({
        "doc_id": t.doc_vocab[start_doc].astype(str) if len(starts) else np.array([], dtype=str),
        "position": t.position[starts].astype(np.int64),
        "left": _tidy(_join(t, starts, range(-window, 0))),
        "match": _tidy(_join(t, starts, range(length - 1))
                       + _piece(t, starts, length - 1, with_ws=False)),
        "right": _tidy(_join(t, starts, range(length, length + window))),
    })


def _sorted(frame: pd.DataFrame, t: _Text, starts: np.ndarray, length: int, window: int,
            sort: str) -> pd.DataFrame:
    """Lines sorted by the lower-cased context words, nearest first (ties in corpus order)."""
    offsets = range(-1, -window - 1, -1) if sort == "left" else range(length, length + window)
    key = np.full(len(starts), "", dtype=object)
    for off in offsets:
        key = key + _piece(t, starts, off, with_ws=False, lower=True) + _KEY_SEP
    frame = frame.assign(_key=key, _order=np.arange(len(frame)))
    return frame.sort_values(["_key", "_order"], kind="stable").drop(columns=["_key", "_order"])


def kwic(tokens: pd.DataFrame, docs: pd.DataFrame | None, query: str, *, mode: Mode = "word",
         window: int = 8, case_sensitive: bool = False, sort: Sort = None,
         filters: Mapping[str, Any] | None = None, limit: int | None = None) -> pd.DataFrame:
    """Keyword-in-context concordance lines.

    Query modes (all case-insensitive unless ``case_sensitive=True``):

    * ``"word"``: the surface form equals the query (``"accused"``);
    * ``"lemma"``: the lemma equals the query (``"accuse"`` finds *accused*,
      *accuses*, *accusing*);
    * ``"wildcard"``: shell-style ``*`` and ``?`` (and ``[...]``), matched on
      the whole lower-cased surface form with :mod:`fnmatch` semantics
      (``"harass*"``);
    * ``"regex"``: a Python regular expression that must match a whole token
      (``re.fullmatch``; ``"harass\\w*"``); always one token;
    * ``"phrase"``: space-separated words on consecutive tokens, each matching
      the token's surface form *or* its lemma (``"accuse of"`` finds
      *accused of*, ``"sexual harassment"`` finds *sexual harassment*).

    ``word``, ``lemma`` and ``wildcard`` also accept several space-separated
    words, matched on consecutive tokens in the same way (``"me too"``).
    Matches never span two documents.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table with ``doc_id, i, text, ws`` (and ``lemma`` for the lemma
        and phrase modes).
    docs : pandas.DataFrame or None
        Documents table; its columns except ``text`` are added to each line.
    query : str
    mode : {"word", "lemma", "wildcard", "regex", "phrase"}
    window : int
        Tokens of context on each side (punctuation counts as a token).
    case_sensitive : bool
    sort : {None, "left", "right"}
        ``None``: corpus order. ``"left"``: by the words left of the match,
        nearest first (L1, then L2, ...). ``"right"``: by R1, R2, ...
    filters : mapping, optional
        ``{column: value or list of values}`` on the documents table, e.g.
        ``{"region": "pakistan", "genre": ["news", "opinion"]}``.
    limit : int, optional
        Return at most this many lines (after sorting).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, position, left, match, right`` (``position`` is the token
        index ``i`` of the first matched token; the contexts are rebuilt from
        ``text`` and ``ws``, with runs of whitespace shown as one space) and
        then the document metadata. ``attrs["n_matches"]`` is the number of
        matches before ``limit``.

    Examples
    --------
    >>> from analysis.keyness.example import example_data
    >>> tokens, docs = example_data()
    >>> kwic(tokens, docs, "court", window=3)[["doc_id", "position", "left", "match", "right"]]
      doc_id  position             left  match            right
    0    hw1         5     spoke to the  court                .
    1    pk1         1              The  court  heard the court
    2    pk1         4  court heard the  court            case.
    >>> kwic(tokens, docs, "court", window=3, sort="right")["right"].tolist()
    ['.', 'case.', 'heard the court']
    """
    if window < 0:
        raise UsageError(f"window must be >= 0, not {window}")
    if sort not in (None, "left", "right"):
        raise UsageError(f"sort must be None, 'left' or 'right', not {sort!r}")
    if mode not in KWIC_MODES:
        raise UsageError(f"mode must be one of {', '.join(KWIC_MODES)}, not {mode!r}")
    parts = [query.strip()] if mode == "regex" else query.split()
    if not parts or not parts[0]:
        raise UsageError("the query is empty")
    require_token_columns(tokens, ["doc_id", "i", "text", "ws"]
                          + (["lemma"] if mode in ("lemma", "phrase") else []))

    t = _encode(tokens)
    hit, meta = _filter(_hits(t, parts, mode, case_sensitive), t, docs, filters)
    starts = np.flatnonzero(hit)
    n_matches = len(starts)
    if sort is None and limit is not None:
        starts = starts[:limit]
    frame = _lines(t, starts, len(parts), window)
    if sort is not None:
        frame = _sorted(frame, t, starts, len(parts), window, sort)
        if limit is not None:
            frame = frame.iloc[:limit]
    frame = frame.reset_index(drop=True)
    if meta is not None:
        meta = meta.assign(doc_id=meta["doc_id"].astype(str)).drop_duplicates("doc_id")
        frame = frame.merge(meta, on="doc_id", how="left", suffixes=("", "_doc"))
    frame.attrs = {"query": query, "mode": mode, "window": window, "n_matches": n_matches}
    return frame
