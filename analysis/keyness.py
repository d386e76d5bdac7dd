"""Keyness, collocations and concordance (KWIC) over a token table.

Every function takes the token table of :func:`analysis.preprocess.tokens`
(one row per token, punctuation and stopwords included: ``doc_id, sent, i,
text, ws, lemma, pos, is_stop, is_alpha``) and, where groups or metadata are
involved, the documents table ``corpus.docs``; every function returns a new
DataFrame (or a string) and changes nothing it is given.

Measures
--------
Keyness (:func:`keyness`), group *a* against group *b* (or against the rest):

* ``log_odds`` and ``log_odds_z``: log-odds ratio with an informative
  Dirichlet prior and its z-score (Monroe, Colaresi & Quinn 2008). The prior
  is the pooled share of each term in the two groups, with strength
  ``alpha0`` equal to the pooled number of tokens unless ``prior`` says
  otherwise (the empirical-Bayes default of the *tidylo* R package,
  Schnoebelen, Silge & Hayes 2022).
* ``g2``: Dunning's log-likelihood G2 (Dunning 1993) in the two-cell form used
  to compare corpora (Rayson & Garside 2000), always >= 0; ``direction`` says
  in which group the term is relatively more frequent; ``p_value`` from the
  chi-squared distribution with 1 degree of freedom.
* ``log_ratio``: Hardie's Log Ratio (Hardie 2014), the binary log of the
  ratio of relative frequencies, with a zero count replaced by 0.5. One unit
  means twice as frequent.

Collocations (:func:`collocations`) within a +/- window around a node word:
logDice (Rychly 2008), PMI (Church & Hanks 1990), t-score and G2, with the
expected frequency of a window-based contingency table (Evert 2008).

Concordance (:func:`kwic`, :func:`kwic_html`, :func:`format_kwic`): keyword in
context lines with the document metadata, sorted by left or right context,
rendered as escaped HTML or aligned plain text.

References
----------
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information,
and lexicography. *Computational Linguistics* 16(1), 22-29.
Dunning, T. (1993). Accurate methods for the statistics of surprise and
coincidence. *Computational Linguistics* 19(1), 61-74.
Evert, S. (2008). Corpora and collocations. In A. Ludeling & M. Kyto (eds.),
*Corpus Linguistics: An International Handbook*, vol. 2, 1212-1248.
Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for
Corpus Approaches to Social Science (CASS), Lancaster University.
Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: lexical
feature selection and evaluation for identifying the content of political
conflict. *Political Analysis* 16(4), 372-403.
Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
*Proceedings of the Workshop on Comparing Corpora*, ACL 2000, 1-6.
Rychly, P. (2008). A lexicographer-friendly association score. *Proceedings
of Recent Advances in Slavonic Natural Language Processing (RASLAN)*, 6-9.

Example
-------
>>> tokens, docs = example_data()
>>> keyness(tokens, docs, by="region", a="hollywood", min_count=3)[
...     ["term", "count_a", "count_b", "log_ratio"]]
     term  count_a  count_b  log_ratio
0  victim        3        0   2.263034
1   court        1        2  -1.321928
"""

from __future__ import annotations

import argparse
import fnmatch
import html
import re
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

#: Columns of the keyness table, in order (DESIGN.md section 4 names the first six).
KEYNESS_COLUMNS: tuple[str, ...] = (
    "term", "count_a", "count_b", "log_odds_z", "g2", "log_ratio",
    "freq_per_10k_a", "freq_per_10k_b", "docs_a", "docs_b", "log_odds", "p_value", "direction",
)
#: Columns of the collocation table, in order.
COLLOCATION_COLUMNS: tuple[str, ...] = (
    "collocate", "freq", "freq_left", "freq_right", "freq_collocate", "expected",
    "log_dice", "pmi", "t_score", "g2",
)
#: The first columns of a concordance; the document metadata follows.
KWIC_COLUMNS: tuple[str, ...] = ("doc_id", "position", "left", "match", "right")
KWIC_MODES: tuple[str, ...] = ("word", "lemma", "wildcard", "regex", "phrase")

Mode = Literal["word", "lemma", "wildcard", "regex", "phrase"]
Sort = Literal["left", "right"] | None

#: Control characters and bidirectional overrides: replaced in terminal output
#: so that a document cannot move the cursor, recolour or reorder the terminal.
_UNSAFE_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
#: Joins context words in the sort keys; sorts before every printable character.
_KEY_SEP = "\x1f"


# --------------------------------------------------------------------------- helpers


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"the {what} has no column(s) {', '.join(map(repr, missing))}; it has: "
            f"{', '.join(map(str, frame.columns))}. Token tables come from "
            "analysis.preprocess.tokens(corpus).")


def _codes(values: pd.Series, lowercase: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the vocabulary of a string column (missing values become "").

    Factorising first and lower-casing only the distinct strings is what keeps
    this fast on tens of millions of tokens.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    vocab = np.asarray(pd.Index(uniques).astype(str), dtype=object)
    codes = codes.astype(np.int64)
    if (codes < 0).any():
        vocab = np.append(vocab, "")
        codes = np.where(codes < 0, len(vocab) - 1, codes)
    if lowercase and len(vocab):
        lower = pd.Series(vocab, dtype=object).str.lower()
        codes2, uniques2 = pd.factorize(lower)
        codes = codes2.astype(np.int64)[codes]
        vocab = np.asarray(uniques2, dtype=object)
    return codes, vocab


def _isin(vocab: np.ndarray, values: Iterable[Any]) -> np.ndarray:
    """Hash-based membership of each vocabulary entry in ``values``."""
    return pd.Index(vocab, dtype=object).isin(list(values))


def _bool_column(tokens: pd.DataFrame, column: str) -> np.ndarray:
    _require(tokens, [column], "token table")
    return tokens[column].to_numpy(dtype=bool, na_value=False)


def _content_mask(tokens: pd.DataFrame, alpha_only: bool, drop_stop: bool,
                  pos: Iterable[str] | None) -> np.ndarray:
    """Which tokens count as terms: alphabetic, not a stopword, optionally of given POS."""
    mask = np.ones(len(tokens), dtype=bool)
    if alpha_only:
        mask &= _bool_column(tokens, "is_alpha")
    if drop_stop:
        mask &= ~_bool_column(tokens, "is_stop")
    if pos is not None:
        _require(tokens, ["pos"], "token table")
        mask &= tokens["pos"].isin(list(pos)).to_numpy(dtype=bool)
    return mask


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _label(value: Any) -> str:
    return "|".join(str(v) for v in _as_list(value))


def _valid_values(column: pd.Series, limit: int = 30) -> str:
    values = sorted({str(v) for v in column.dropna().unique()})
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def _metadata_columns(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if c != "text"]


def select_docs(docs: pd.DataFrame, by: str, value: Any) -> pd.Series:
    """Boolean mask of the documents whose ``by`` column equals ``value``.

    Values are compared as given and as strings, so ``"2018"`` selects the
    year 2018 from the command line. ``value`` may be a list (any of them).

    Parameters
    ----------
    docs : pandas.DataFrame
        The documents table (``corpus.docs``).
    by : str
        A metadata column, e.g. ``"region"``.
    value : scalar or list
        The value(s) to select.

    Returns
    -------
    pandas.Series of bool, aligned with ``docs``.

    Raises
    ------
    ValueError
        If ``by`` is not a column or a value matches no document; the message
        lists the valid columns or values.

    Examples
    --------
    >>> _, docs = example_data()
    >>> select_docs(docs, "region", ["hollywood"]).tolist()
    [True, True, False]
    """
    if by not in docs.columns or by == "text":
        raise ValueError(f"no metadata column {by!r}; valid columns: "
                         f"{', '.join(_metadata_columns(docs))}")
    column = docs[by]
    as_text = column.map(lambda v: None if pd.isna(v) else str(v))
    mask = pd.Series(False, index=docs.index)
    for v in _as_list(value):
        try:
            hit = (column == v).fillna(False).astype(bool)
        except (TypeError, ValueError):               # e.g. a date column against a string
            hit = pd.Series(False, index=docs.index)
        hit |= (as_text == str(v)).fillna(False).astype(bool)
        if not hit.any():
            raise ValueError(f"no document has {by} == {v!r}; valid values of {by!r}: "
                             f"{_valid_values(column)}")
        mask |= hit
    return mask


def _doc_table(tokens: pd.DataFrame, docs: pd.DataFrame | None, by: str) -> pd.DataFrame:
    """``docs`` if given, else one row per document built from the token table's columns."""
    if docs is not None:
        _require(docs, ["doc_id"], "documents table")
        return docs
    if by in tokens.columns:
        return tokens[["doc_id", by]].drop_duplicates("doc_id")
    raise ValueError(f"no documents table given and the token table has no column {by!r}; "
                     "pass docs=corpus.docs")


def _order(doc_codes: np.ndarray, position: np.ndarray) -> np.ndarray | None:
    """Permutation that puts tokens in reading order, or None if they already are.

    Already in order means: each document's tokens are contiguous (factorised
    codes never decrease) and token indices increase within a document.
    """
    if len(doc_codes) < 2:
        return None
    step_doc = np.diff(doc_codes)
    in_order = (step_doc >= 0).all() and ((np.diff(position) > 0) | (step_doc != 0)).all()
    return None if in_order else np.lexsort((position, doc_codes))


# --------------------------------------------------------------------------- statistics


def log_odds_dirichlet(count_a: np.ndarray, count_b: np.ndarray,
                       prior: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio with an informative Dirichlet prior, and its z-score.

    Monroe, Colaresi & Quinn (2008), eqs. 16-22. With pooled counts
    ``y_w = y_aw + y_bw`` and sizes ``n = n_a + n_b`` (sums over the whole
    vocabulary), the prior is ``alpha_w = alpha0 * y_w / n`` and::

        delta_w = log((y_aw + alpha_w) / (n_a + alpha0 - y_aw - alpha_w))
                - log((y_bw + alpha_w) / (n_b + alpha0 - y_bw - alpha_w))
        var_w   ~ 1 / (y_aw + alpha_w) + 1 / (y_bw + alpha_w)
        z_w     = delta_w / sqrt(var_w)

    Parameters
    ----------
    count_a, count_b : array of int
        Counts of every term of the vocabulary in each group (the sums are the
        group sizes, so pass the full vocabulary, not a filtered one).
    prior : float, optional
        ``alpha0``, the total pseudo-count of the prior. Default: ``n``, the
        pooled number of tokens, so ``alpha_w = y_w`` (the empirical-Bayes
        prior of the tidylo R package, Schnoebelen, Silge & Hayes 2022).
        Smaller values shrink less.

    Returns
    -------
    (log_odds, z) : tuple of arrays

    Notes
    -----
    Written out because neither scipy nor statsmodels implements it.

    Examples
    --------
    >>> d, z = log_odds_dirichlet(np.array([3, 1, 1]), np.array([0, 2, 2]))
    >>> np.round(z, 4).tolist()
    [1.2958, -0.6653, -0.6653]
    """
    y_a = np.asarray(count_a, dtype=float)
    y_b = np.asarray(count_b, dtype=float)
    n_a, n_b = y_a.sum(), y_b.sum()
    n = n_a + n_b
    alpha0 = float(n if prior is None else prior)
    if alpha0 <= 0 or n <= 0:
        raise ValueError("the prior (alpha0) and the pooled counts must be positive")
    alpha = alpha0 * (y_a + y_b) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log(y_a + alpha) - np.log(n_a + alpha0 - y_a - alpha)
                 - np.log(y_b + alpha) + np.log(n_b + alpha0 - y_b - alpha))
        z = delta / np.sqrt(1.0 / (y_a + alpha) + 1.0 / (y_b + alpha))
    # A one-term vocabulary has both odds infinite: the distributions are identical.
    only_term = (y_a + y_b) == n
    return np.where(only_term, 0.0, delta), np.where(only_term, 0.0, z)


def log_likelihood_g2(count_a: np.ndarray, count_b: np.ndarray, n_a: float,
                      n_b: float) -> tuple[np.ndarray, np.ndarray]:
    """Dunning's log-likelihood G2 for comparing two corpora, and its p-value.

    The two-cell form of Rayson & Garside (2000), after Dunning (1993)::

        E_a = n_a (y_a + y_b) / (n_a + n_b),  E_b = n_b (y_a + y_b) / (n_a + n_b)
        G2  = 2 (y_a ln(y_a / E_a) + y_b ln(y_b / E_b))      (0 ln 0 = 0)

    computed with :func:`scipy.stats.power_divergence` (``lambda_=
    "log-likelihood"``); the p-value is from chi-squared with 1 degree of
    freedom. G2 is never negative; it says how surprising the difference is,
    not in which direction.

    Examples
    --------
    >>> g2, p = log_likelihood_g2(np.array([3, 1]), np.array([0, 2]), 5, 4)
    >>> np.round(g2, 4).tolist()
    [3.5267, 0.6002]
    """
    y_a = np.asarray(count_a, dtype=float)
    y_b = np.asarray(count_b, dtype=float)
    observed = np.stack([y_a, y_b], axis=-1)
    total = y_a + y_b
    expected = np.stack([n_a * total, n_b * total], axis=-1) / (n_a + n_b)
    if observed.size == 0:
        return np.zeros(0), np.ones(0)
    from scipy import stats  # imported here: the CLI imports this module at start-up

    g2, p = stats.power_divergence(observed, expected, lambda_="log-likelihood", axis=-1)
    return np.maximum(g2, 0.0), p


def log_ratio(count_a: np.ndarray, count_b: np.ndarray, n_a: float, n_b: float,
              zero: float = 0.5) -> np.ndarray:
    """Hardie's Log Ratio: ``log2((y_a / n_a) / (y_b / n_b))``.

    A zero count is replaced by ``zero`` (0.5, Hardie 2014) so that a term
    found in one group only gets a finite value. +1 means twice as frequent in
    group a, -1 half as frequent.

    Examples
    --------
    >>> np.round(log_ratio(np.array([3, 1]), np.array([0, 2]), 5, 4), 4).tolist()
    [2.263, -1.3219]
    """
    y_a = np.where(np.asarray(count_a) == 0, zero, count_a).astype(float)
    y_b = np.where(np.asarray(count_b) == 0, zero, count_b).astype(float)
    return np.log2((y_a / n_a) / (y_b / n_b))


# --------------------------------------------------------------------------- counts and keyness


def term_counts(tokens: pd.DataFrame, docs: pd.DataFrame | None = None, by: str | None = None,
                value: Any = None, *, on: str = "lemma", lowercase: bool = True,
                alpha_only: bool = True, drop_stop: bool = True,
                pos: Iterable[str] | None = None) -> pd.DataFrame:
    """Frequency of each term, optionally within the documents where ``by == value``.

    Counts the tokens that pass the token filter: alphabetic (``is_alpha``)
    and not stopwords (``is_stop``) by default, optionally only some parts of
    speech (``pos={"NOUN", "VERB"}``).

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table (``analysis.preprocess.tokens``).
    docs : pandas.DataFrame, optional
        Documents table; needed with ``by`` unless ``by`` is a token column.
    by, value : str and scalar or list, optional
        Restrict to the documents with ``docs[by] == value`` (or in ``value``).
    on : str
        Token column to count: ``"lemma"`` (default) or ``"text"``.
    lowercase : bool
        Lower-case terms before counting (matters for ``on="text"``).
    alpha_only, drop_stop, pos
        The token filter.

    Returns
    -------
    pandas.DataFrame
        ``term, count, docs, freq_per_10k``, most frequent first (ties by
        term); ``freq_per_10k`` is per 10,000 counted tokens.

    Examples
    --------
    >>> tokens, docs = example_data()
    >>> term_counts(tokens, docs, by="region", value="hollywood")
         term  count  docs  freq_per_10k
    0  victim      3     2        6000.0
    1   court      1     1        2000.0
    2   speak      1     1        2000.0
    """
    _require(tokens, ["doc_id", on], "token table")
    mask = _content_mask(tokens, alpha_only, drop_stop, pos)
    doc_codes, doc_vocab = _codes(tokens["doc_id"])
    if by is not None:
        table = _doc_table(tokens, docs, by)
        chosen = table.loc[select_docs(table, by, value), "doc_id"].astype(str)
        mask &= _isin(doc_vocab, chosen)[doc_codes]
    codes, vocab = _codes(tokens[on], lowercase=lowercase)
    codes, doc_codes = codes[mask], doc_codes[mask]
    count = np.bincount(codes, minlength=len(vocab))
    pairs = pd.unique(doc_codes * max(len(vocab), 1) + codes)
    n_docs = np.bincount(pairs % max(len(vocab), 1), minlength=len(vocab))
    keep = count > 0
    out = pd.DataFrame({"term": vocab[keep].astype(str), "count": count[keep],
                        "docs": n_docs[keep]})
    out["freq_per_10k"] = out["count"] / max(int(count.sum()), 1) * 10_000
    return out.sort_values(["count", "term"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def keyness(tokens: pd.DataFrame, docs: pd.DataFrame | None, by: str, a: Any, b: Any = None, *,
            on: str = "lemma", min_count: int = 5, min_group_count: int = 0, min_docs: int = 1,
            prior: float | None = None, lowercase: bool = True, alpha_only: bool = True,
            drop_stop: bool = True, pos: Iterable[str] | None = None) -> pd.DataFrame:
    """Distinctive terms of group ``a`` against group ``b`` (or against all other documents).

    Counts terms as :func:`term_counts` does, in the documents with
    ``docs[by] == a`` and ``docs[by] == b`` (``b=None``: every other document
    of ``docs``; documents missing from ``docs`` are ignored), then scores
    every term with the log-odds ratio with informative Dirichlet prior and
    its z-score (Monroe, Colaresi & Quinn 2008), Dunning's G2 (Dunning 1993;
    two-cell form, Rayson & Garside 2000) and Hardie's Log Ratio (Hardie
    2014). The group sizes ``n_a, n_b`` are the numbers of counted tokens
    (after the token filter, before the frequency thresholds), and the prior
    is estimated from the full vocabulary; the thresholds only decide which
    rows are returned.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table (``analysis.preprocess.tokens``).
    docs : pandas.DataFrame or None
        Documents table (``corpus.docs``); None if ``by`` is a token column.
    by : str
        Metadata column that defines the groups, e.g. ``"region"``.
    a, b : scalar or list
        Group values; ``b=None`` compares ``a`` with the rest.
    on : str
        ``"lemma"`` (default) or ``"text"`` (surface forms, lower-cased
        unless ``lowercase=False``), or any other string token column.
    min_count : int
        Keep terms with ``count_a + count_b >= min_count`` (default 5).
    min_group_count : int
        Keep terms with ``max(count_a, count_b) >= min_group_count``.
    min_docs : int
        Keep terms found in at least this many documents (``docs_a + docs_b``);
        raise it so that one article repeating a name cannot make it key.
    prior : float, optional
        ``alpha0`` of the Dirichlet prior; see :func:`log_odds_dirichlet`.
    lowercase, alpha_only, drop_stop, pos
        Term normalisation and the token filter (see :func:`term_counts`).

    Returns
    -------
    pandas.DataFrame
        One row per term, columns :data:`KEYNESS_COLUMNS`: ``term, count_a,
        count_b, log_odds_z, g2, log_ratio, freq_per_10k_a, freq_per_10k_b,
        docs_a, docs_b, log_odds, p_value, direction`` (``direction`` is the
        label of the group where the term is relatively more frequent).
        Sorted by ``log_odds_z``, most typical of ``a`` first. ``attrs`` holds
        ``by, a, b, n_a, n_b, alpha0, on``.

    Raises
    ------
    ValueError
        Unknown column or group value (the message lists the valid ones),
        overlapping groups, or a group without counted tokens.

    Examples
    --------
    >>> tokens, docs = example_data()
    >>> k = keyness(tokens, docs, by="region", a="hollywood", min_count=1)
    >>> k[["term", "count_a", "count_b", "log_odds_z", "g2", "direction"]].round(4)
         term  count_a  count_b  log_odds_z      g2  direction
    0  victim        3        0      1.2958  3.5267  hollywood
    1   speak        1        0      0.5660  1.1756  hollywood
    2   court        1        2     -0.6653  0.6002       rest
    3    case        0        1     -0.7024  1.6219       rest
    4    hear        0        1     -0.7024  1.6219       rest
    """
    _require(tokens, ["doc_id", on], "token table")
    table = _doc_table(tokens, docs, by)
    in_a = select_docs(table, by, a)
    in_b = select_docs(table, by, b) if b is not None else ~in_a
    label_a, label_b = _label(a), (_label(b) if b is not None else "rest")
    if (in_a & in_b).any():
        raise ValueError(f"groups a={label_a!r} and b={label_b!r} share documents")
    if not in_b.any():
        raise ValueError(f"no documents outside {by} == {label_a!r} to compare with")

    doc_codes, doc_vocab = _codes(tokens["doc_id"])
    group_of_doc = np.full(len(doc_vocab), -1, dtype=np.int8)
    ids = table["doc_id"].astype(str)
    group_of_doc[_isin(doc_vocab, ids[in_a.to_numpy()])] = 0
    group_of_doc[_isin(doc_vocab, ids[in_b.to_numpy()])] = 1
    group = group_of_doc[doc_codes]
    mask = _content_mask(tokens, alpha_only, drop_stop, pos) & (group >= 0)

    codes, vocab = _codes(tokens[on], lowercase=lowercase)
    codes, doc_codes, group = codes[mask], doc_codes[mask], group[mask]
    v = max(len(vocab), 1)
    y_a = np.bincount(codes[group == 0], minlength=len(vocab))
    y_b = np.bincount(codes[group == 1], minlength=len(vocab))
    n_a, n_b = int(y_a.sum()), int(y_b.sum())
    for name, n, lab in (("a", n_a, label_a), ("b", n_b, label_b)):
        if n == 0:
            raise ValueError(f"group {name} ({by} == {lab!r}) has no tokens that pass the token "
                             "filter (alphabetic, non-stopword by default)")
    pairs = pd.unique(doc_codes * v + codes)          # one entry per (document, term)
    pair_group = group_of_doc[pairs // v]
    d_a = np.bincount(pairs[pair_group == 0] % v, minlength=len(vocab))
    d_b = np.bincount(pairs[pair_group == 1] % v, minlength=len(vocab))

    present = (y_a + y_b) > 0
    delta, z = log_odds_dirichlet(y_a[present], y_b[present], prior)
    g2, p = log_likelihood_g2(y_a[present], y_b[present], n_a, n_b)
    out = pd.DataFrame({
        "term": vocab[present].astype(str),
        "count_a": y_a[present], "count_b": y_b[present],
        "log_odds_z": z, "g2": g2,
        "log_ratio": log_ratio(y_a[present], y_b[present], n_a, n_b),
        "freq_per_10k_a": y_a[present] / n_a * 10_000,
        "freq_per_10k_b": y_b[present] / n_b * 10_000,
        "docs_a": d_a[present], "docs_b": d_b[present],
        "log_odds": delta, "p_value": p,
    })
    rate_diff = out["count_a"] / n_a - out["count_b"] / n_b
    out["direction"] = np.select([rate_diff > 0, rate_diff < 0], [label_a, label_b], "")
    keep = ((out["count_a"] + out["count_b"] >= min_count)
            & (np.maximum(out["count_a"], out["count_b"]) >= min_group_count)
            & (out["docs_a"] + out["docs_b"] >= min_docs))
    out = out[keep].sort_values(["log_odds_z", "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = {"by": by, "a": label_a, "b": label_b, "n_a": n_a, "n_b": n_b,
                 "alpha0": float(n_a + n_b if prior is None else prior), "on": on}
    return out


# --------------------------------------------------------------------------- collocations


def collocations(tokens: pd.DataFrame, node: str | Sequence[str], *, window: int = 5,
                 on: str = "lemma", min_freq: int = 3, min_node_freq: int = 3,
                 lowercase: bool = True, alpha_only: bool = True, drop_stop: bool = True,
                 pos: Iterable[str] | None = None, within_sentence: bool = False) -> pd.DataFrame:
    """Collocates of a node word within +/- ``window`` positions.

    **What is counted.** The token filter (alphabetic, non-stopword by
    default) makes a stream of content words per document; occurrences of the
    node are kept in the stream even when they are stopwords, so pronouns
    such as ``"she"`` work as nodes. The window is counted in positions of
    this stream, so ``window=5`` means five content words either side;
    stopwords and punctuation neither count as collocates nor use up the
    window. Windows never cross documents (nor sentences with
    ``within_sentence=True``). The node itself is not reported as its own
    collocate. To compare groups, pass the token rows of one group only.

    **Statistics** (Evert 2008, window-based contingency table). ``N`` is the
    length of the stream, ``f_node`` the node's frequency, ``f_c`` the
    collocate's frequency in the stream, ``O`` the co-occurrence count and
    ``R`` the total number of window positions around all node occurrences;
    the expected count is ``E = R * f_c / N``. Then:

    * ``log_dice = 14 + log2(2 O / (f_node + f_c))`` (Rychly 2008), at most 14;
    * ``pmi = log2(O / E)`` (Church & Hanks 1990);
    * ``t_score = (O - E) / sqrt(O)`` (Church et al. 1991 in Evert 2008);
    * ``g2``: log-likelihood over the 2x2 table ``[[O, R - O], [f_c - O,
      N - R - f_c + O]]`` (Dunning 1993), NaN when overlapping windows make a
      cell negative.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Token table (or the rows of one group of documents).
    node : str or list of str
        Node form(s), compared with the ``on`` column (lower-cased unless
        ``lowercase=False``).
    window : int
        Span on each side (default 5).
    on : str
        ``"lemma"`` (default) or ``"text"``.
    min_freq : int
        Keep collocates co-occurring at least this often (default 3).
    min_node_freq : int
        If the node occurs fewer times, warn and return an empty table.
    lowercase, alpha_only, drop_stop, pos
        Term normalisation and the token filter (see :func:`term_counts`).
    within_sentence : bool
        Also stop windows at sentence boundaries (needs the ``sent`` column).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLLOCATION_COLUMNS`, strongest ``log_dice`` first;
        ``attrs`` holds ``node, f_node, n_tokens, window_positions, window``.

    Examples
    --------
    >>> tokens, _ = example_data()
    >>> c = collocations(tokens, "victim", window=1, min_freq=1, min_node_freq=1)
    >>> c[["collocate", "freq", "freq_collocate", "log_dice", "pmi", "t_score"]].round(4)
      collocate  freq  freq_collocate  log_dice    pmi  t_score
    0     speak     1               1      13.0  1.585   0.6667
    """
    if window < 1:
        raise ValueError(f"window must be at least 1, not {window}")
    _require(tokens, ["doc_id", "i", on] + (["sent"] if within_sentence else []), "token table")
    nodes = [str(n) for n in _as_list(node)]
    if lowercase:
        nodes = [n.lower() for n in nodes]
    codes, vocab = _codes(tokens[on], lowercase=lowercase)
    doc_codes, _ = _codes(tokens["doc_id"])
    node_term = _isin(vocab, nodes)
    is_node = node_term[codes]
    keep = _content_mask(tokens, alpha_only, drop_stop, pos) | is_node
    position = tokens["i"].to_numpy()
    order = _order(doc_codes, position)
    if order is not None:
        codes, doc_codes, is_node, keep = codes[order], doc_codes[order], is_node[order], keep[order]
    codes, doc_codes, is_node = codes[keep], doc_codes[keep], is_node[keep]
    sent = None
    if within_sentence:
        sent = tokens["sent"].to_numpy()
        sent = (sent[order] if order is not None else sent)[keep]

    empty = pd.DataFrame({c: pd.Series(dtype=object if c == "collocate" else float)
                          for c in COLLOCATION_COLUMNS})
    node_pos = np.flatnonzero(is_node)
    f_node, n_stream = len(node_pos), len(codes)
    attrs = {"node": "|".join(nodes), "f_node": f_node, "n_tokens": n_stream,
             "window_positions": 0, "window": window}
    if f_node < max(min_node_freq, 1):
        warnings.warn(f"node {attrs['node']!r} occurs {f_node} times (fewer than "
                      f"min_node_freq={min_node_freq}); no collocations computed",
                      UserWarning, stacklevel=2)
        empty.attrs = attrs
        return empty

    v = len(vocab)
    f_coll = np.bincount(codes[~is_node], minlength=v)
    left, right = np.zeros(v, dtype=np.int64), np.zeros(v, dtype=np.int64)
    slots = 0
    for offset in (*range(-window, 0), *range(1, window + 1)):  # 2*window passes, not per token
        other = node_pos + offset
        ok = (other >= 0) & (other < n_stream)
        here, other = node_pos[ok], other[ok]
        same = doc_codes[other] == doc_codes[here]
        if sent is not None:
            same &= sent[other] == sent[here]
        other = other[same]
        slots += len(other)
        counted = np.bincount(codes[other[~is_node[other]]], minlength=v)
        if offset < 0:
            left += counted
        else:
            right += counted
    attrs["window_positions"] = slots
    observed = left + right
    sel = (observed >= max(min_freq, 1)) & ~node_term
    if not sel.any():
        empty.attrs = attrs
        return empty
    o = observed[sel].astype(float)
    fc = f_coll[sel].astype(float)
    n = float(n_stream)
    expected = slots * fc / n
    # logDice, PMI and t-score are one-line formulas with no scipy equivalent.
    log_dice = 14 + np.log2(2 * o / (f_node + fc))
    pmi = np.log2(o / expected)
    t_score = (o - expected) / np.sqrt(o)
    cells = np.stack([o, slots - o, fc - o, n - slots - fc + o], axis=-1)
    row_tot = np.array([slots, slots, n - slots, n - slots], dtype=float)
    col_tot = np.stack([fc, n - fc, fc, n - fc], axis=-1)
    exp_cells = row_tot * col_tot / n                  # E_ij = row total * column total / N
    g2 = np.full(len(o), np.nan)
    valid = (cells >= 0).all(axis=1) & (exp_cells > 0).all(axis=1)
    if valid.any():
        from scipy import stats  # imported here: the CLI imports this module at start-up

        g2[valid] = stats.power_divergence(cells[valid], exp_cells[valid],
                                           lambda_="log-likelihood", axis=-1)[0]
    out = pd.DataFrame({
        "collocate": vocab[sel].astype(str), "freq": observed[sel], "freq_left": left[sel],
        "freq_right": right[sel], "freq_collocate": f_coll[sel], "expected": expected,
        "log_dice": log_dice, "pmi": pmi, "t_score": t_score, "g2": g2,
    })
    out = out.sort_values(["log_dice", "collocate"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = attrs
    return out


# --------------------------------------------------------------------------- KWIC


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
            raise ValueError(f"invalid regular expression {part!r}: {exc}") from exc
    else:
        raise ValueError(f"mode must be one of {', '.join(KWIC_MODES)}, not {mode!r}")

    def matches(vocab: np.ndarray) -> np.ndarray:
        series = pd.Series(vocab, dtype=object)
        if mode == "wildcard" and not case_sensitive:
            series = series.str.lower()
        return series.map(lambda s: pattern.fullmatch(s) is not None).to_numpy(dtype=bool)

    return "text", matches


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
        raise ValueError(f"window must be >= 0, not {window}")
    if sort not in (None, "left", "right"):
        raise ValueError(f"sort must be None, 'left' or 'right', not {sort!r}")
    if mode not in KWIC_MODES:
        raise ValueError(f"mode must be one of {', '.join(KWIC_MODES)}, not {mode!r}")
    parts = [query.strip()] if mode == "regex" else query.split()
    if not parts or not parts[0]:
        raise ValueError("the query is empty")
    needed = ["doc_id", "i", "text", "ws"] + (["lemma"] if mode in ("lemma", "phrase") else [])
    _require(tokens, needed, "token table")

    doc_codes, doc_vocab = _codes(tokens["doc_id"])
    position = tokens["i"].to_numpy()
    order = _order(doc_codes, position)
    text_codes, text_vocab = _codes(tokens["text"])
    ws_codes, ws_vocab = _codes(tokens["ws"])
    lemma = _codes(tokens["lemma"]) if "lemma" in tokens.columns else None
    if order is not None:
        doc_codes, position = doc_codes[order], position[order]
        text_codes, ws_codes = text_codes[order], ws_codes[order]
        if lemma is not None:
            lemma = (lemma[0][order], lemma[1])
    n = len(doc_codes)

    def part_mask(part: str) -> np.ndarray:
        if mode == "phrase":
            _, same = _term_matcher("word", part, case_sensitive)
            return same(text_vocab)[text_codes] | same(lemma[1])[lemma[0]]
        column, match = _term_matcher(mode, part, case_sensitive)
        lc, lv = (text_codes, text_vocab) if column == "text" else lemma
        return match(lv)[lc]

    hit = part_mask(parts[0])
    for k, part in enumerate(parts[1:], start=1):      # one pass per query word
        nxt = np.zeros(n, dtype=bool)
        nxt[:-k] = part_mask(part)[k:] & (doc_codes[k:] == doc_codes[:-k])
        hit &= nxt

    meta = None
    if docs is not None:
        _require(docs, ["doc_id"], "documents table")
        allowed = docs
        for column, value in (filters or {}).items():
            allowed = allowed[select_docs(allowed, column, value)]
        if filters:
            ok_doc = _isin(doc_vocab, allowed["doc_id"].astype(str))
            hit &= ok_doc[doc_codes]
        meta = docs.drop(columns=[c for c in ("text",) if c in docs.columns])
    elif filters:
        raise ValueError("filters need the documents table: kwic(tokens, corpus.docs, ...)")

    starts = np.flatnonzero(hit)
    n_matches = len(starts)
    if sort is None and limit is not None:
        starts = starts[:limit]
    length = len(parts)
    start_doc = doc_codes[starts]

    def piece(offset: int, with_ws: bool = True, lower: bool = False) -> np.ndarray:
        idx = starts + offset
        ok = (idx >= 0) & (idx < n)
        idx_c = np.clip(idx, 0, max(n - 1, 0))
        ok &= doc_codes[idx_c] == start_doc
        words = text_vocab[text_codes[idx_c]]
        if lower:
            words = np.asarray(pd.Series(words, dtype=object).str.lower(), dtype=object)
        if with_ws:
            words = words + ws_vocab[ws_codes[idx_c]]
        return np.where(ok, words, "")

    def join(offsets: Iterable[int], **kw: Any) -> np.ndarray:
        out = np.full(len(starts), "", dtype=object)
        for off in offsets:                           # one pass per context position
            out = out + piece(off, **kw)
        return out

    def tidy(values: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype=object).str.replace(_SPACES, " ", regex=True).str.strip()

    frame = pd.DataFrame({
        "doc_id": doc_vocab[start_doc].astype(str) if len(starts) else np.array([], dtype=str),
        "position": position[starts].astype(np.int64),
        "left": tidy(join(range(-window, 0))),
        "match": tidy(join(range(length - 1)) + piece(length - 1, with_ws=False)),
        "right": tidy(join(range(length, length + window))),
    })
    if sort is not None:
        offsets = range(-1, -window - 1, -1) if sort == "left" else range(length, length + window)
        key = np.full(len(starts), "", dtype=object)
        for off in offsets:
            key = key + piece(off, with_ws=False, lower=True) + _KEY_SEP
        frame["_key"] = key
        frame["_order"] = np.arange(len(frame))
        frame = frame.sort_values(["_key", "_order"], kind="stable").drop(columns=["_key", "_order"])
        if limit is not None:
            frame = frame.iloc[:limit]
    frame = frame.reset_index(drop=True)
    if meta is not None:
        meta = meta.assign(doc_id=meta["doc_id"].astype(str)).drop_duplicates("doc_id")
        frame = frame.merge(meta, on="doc_id", how="left", suffixes=("", "_doc"))
    frame.attrs = {"query": query, "mode": mode, "window": window, "n_matches": n_matches}
    return frame


_KWIC_CSS = (
    "table.kwic{border-collapse:collapse;font-family:ui-monospace,Menlo,Consolas,monospace;"
    "font-size:0.85em}"
    "table.kwic td,table.kwic th{padding:1px 6px;white-space:nowrap;vertical-align:top}"
    "table.kwic td.kwic-left{text-align:right}"
    "table.kwic td.kwic-match{text-align:center}"
    "table.kwic td.kwic-right{text-align:left}"
    "table.kwic mark{background:#F0E442;color:#000;font-weight:bold}"
    "table.kwic td.kwic-meta{color:#555}"
)


def kwic_html(frame: pd.DataFrame, max_rows: int = 200,
              meta: Sequence[str] = ("doc_id",)) -> str:
    """Render a concordance as an HTML table (for notebooks: ``IPython.display.HTML``).

    The left context is right-aligned and the match highlighted with
    ``<mark>`` so that matches line up in a column. Every value is escaped
    with :func:`html.escape`, so markup in an article (``<script>``) is shown
    as text, never run.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`kwic`.
    max_rows : int
        Show at most this many lines; a note says how many were left out.
    meta : sequence of str
        Metadata columns shown before the context (missing ones are skipped).

    Returns
    -------
    str
        An HTML fragment (a ``<style>`` scoped to ``table.kwic`` and the table).

    Examples
    --------
    >>> line = pd.DataFrame({"doc_id": ["d1"], "position": [3], "left": ["said <b>"],
    ...                      "match": ["court"], "right": ["ruled"]})
    >>> "said &lt;b&gt;" in kwic_html(line)
    True
    """
    esc = html.escape
    if frame.empty:
        return '<p class="kwic-note">No matches.</p>'
    cols = [c for c in meta if c in frame.columns]
    head = "".join(f"<th>{esc(str(c))}</th>" for c in cols)
    rows = []
    for values in frame.iloc[:max_rows].to_dict("records"):      # only the rows displayed
        cells = "".join(f'<td class="kwic-meta">{esc(str(values.get(c, "")))}</td>' for c in cols)
        rows.append(
            f"<tr>{cells}<td class=\"kwic-left\">{esc(str(values['left']))}</td>"
            f"<td class=\"kwic-match\"><mark>{esc(str(values['match']))}</mark></td>"
            f"<td class=\"kwic-right\">{esc(str(values['right']))}</td></tr>")
    total = int(frame.attrs.get("n_matches", len(frame)))
    shown = min(len(frame), max_rows)
    note = ""
    if shown < total:
        note = f'<p class="kwic-note">Showing {shown:,} of {total:,} lines.</p>'
    return (f"<style>{_KWIC_CSS}</style>"
            f'<table class="kwic"><thead><tr>{head}<th>left</th><th>match</th>'
            f"<th>right</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{note}")


def _terminal_safe(value: Any) -> str:
    return _UNSAFE_TERMINAL.sub(" ", str(value))


def format_kwic(frame: pd.DataFrame, width: int = 40, show_doc: bool = True,
                max_rows: int | None = None) -> str:
    """Aligned plain-text concordance for a terminal.

    The left context is right-justified in ``width`` characters (cut on the
    left, keeping the words nearest the match), the matches are padded to one
    column and the right context is cut at ``width`` characters. Control
    characters and bidirectional overrides are replaced by spaces so a
    document cannot take over the terminal.

    Examples
    --------
    >>> tokens, docs = example_data()
    >>> print(format_kwic(kwic(tokens, docs, "court", window=3), width=16))
    hw1      spoke to the  court  .
    pk1               The  court  heard the court
    pk1   court heard the  court  case.
    """
    if frame.empty:
        return "No matches."
    lines = frame if max_rows is None else frame.iloc[:max_rows]
    left = [_terminal_safe(s) for s in lines["left"]]
    match = [_terminal_safe(s) for s in lines["match"]]
    right = [_terminal_safe(s) for s in lines["right"]]
    left = [s if len(s) <= width else "\u2026" + s[len(s) - width + 1:] for s in left]
    right = [s if len(s) <= width else s[:width - 1] + "\u2026" for s in right]
    match_width = min(max(len(m) for m in match), width)
    docs = [_terminal_safe(d) for d in lines["doc_id"]] if show_doc else [""] * len(lines)
    doc_width = max(len(d) for d in docs)
    out = []
    for d, lft, m, r in zip(docs, left, match, right, strict=True):
        prefix = f"{d:<{doc_width}}  " if show_doc else ""
        out.append(f"{prefix}{lft:>{width}}  {m:<{match_width}}  {r}".rstrip())
    return "\n".join(out)


# --------------------------------------------------------------------------- example data


def example_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A three-document corpus for the examples: ``(tokens, docs)``.

    Two Hollywood documents ("The victim spoke to the court." and "Victim,
    victim!") and one Pakistan document ("The court heard the court case.").
    Counted terms (alphabetic, non-stopword lemmas): hollywood victim 3,
    speak 1, court 1 (5 tokens); rest court 2, hear 1, case 1 (4 tokens).

    Examples
    --------
    >>> tokens, docs = example_data()
    >>> tokens.columns.tolist()
    ['doc_id', 'sent', 'i', 'text', 'ws', 'lemma', 'pos', 'is_stop', 'is_alpha']
    >>> len(tokens), len(docs)
    (18, 3)
    """
    lemmas = {"spoke": "speak", "heard": "hear"}
    stop = {"the", "to"}
    rows = []
    texts = {"hw1": "The victim spoke to the court.", "hw2": "Victim, victim!",
             "pk1": "The court heard the court case."}
    for doc_id, text in texts.items():
        found = list(re.finditer(r"\w+|[^\w\s]", text))
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(text)
            word = m.group()
            rows.append({"doc_id": doc_id, "sent": 0, "i": i, "text": word,
                         "ws": text[m.end():end], "lemma": lemmas.get(word.lower(), word.lower()),
                         "pos": "PUNCT" if not word.isalpha() else "NOUN",
                         "is_stop": word.lower() in stop, "is_alpha": word.isalpha()})
    tokens = pd.DataFrame(rows)
    docs = pd.DataFrame({"doc_id": list(texts), "region": ["hollywood", "hollywood", "pakistan"],
                         "year": [2017, 2018, 2018], "text": list(texts.values())})
    return tokens, docs


# --------------------------------------------------------------------------- command line


def _load(path: str) -> Any:
    """Load a corpus quietly (warnings summarised in one line on stderr)."""
    from analysis import corpus as corpus_mod

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", corpus_mod.CorpusWarning)
        corpus = corpus_mod.load(path)
    n = sum(issubclass(w.category, corpus_mod.CorpusWarning) for w in caught)
    if n:
        print(f"note: {n} warning(s) while loading {path}; see "
              f"'python -m analysis corpus validate {path}'", file=sys.stderr)
    return corpus


def _tokens(corpus: Any) -> pd.DataFrame:
    from analysis.preprocess import tokens as make_tokens

    return make_tokens(corpus)


def _usage(call, *args: Any, **kwargs: Any) -> Any:
    """Run ``call``; turn its ValueError (bad column or value) into a UsageError (exit 2)."""
    from analysis.cli import UsageError

    try:
        return call(*args, **kwargs)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _cmd_keyness(args: argparse.Namespace) -> int:
    from analysis.cli import UsageError
    from analysis.figures import atomic_write_csv

    if args.min_count < 0:
        raise UsageError(f"--min-count must be >= 0, not {args.min_count}")
    corpus = _load(args.corpus)
    docs = corpus.docs
    in_a = _usage(select_docs, docs, args.by, args.a)     # check names before tokenising
    if args.b is not None:
        in_b = _usage(select_docs, docs, args.by, args.b)
        if (in_a & in_b).any():
            raise UsageError(f"--a {args.a!r} and --b {args.b!r} select the same documents")
    tokens = _tokens(corpus)
    table = _usage(keyness, tokens, docs, args.by, args.a, args.b, on=args.on,
                   min_count=args.min_count)
    target = Path(args.out) / "keyness.csv"
    atomic_write_csv(target, table)
    at = table.attrs
    print(f"wrote {target}: {len(table):,} terms; {args.by} = {at['a']} ({at['n_a']:,} tokens) "
          f"vs {at['b']} ({at['n_b']:,} tokens)")
    for label, part in ((at["a"], table.head(10)), (at["b"], table.iloc[::-1].head(10))):
        terms = [t for t, z in zip(part["term"], part["log_odds_z"], strict=True)
                 if (z > 0) == (label == at["a"])]
        print(f"  most typical of {label}: {', '.join(terms) or '-'}")
    return 0


def _cmd_kwic(args: argparse.Namespace) -> int:
    from analysis.cli import UsageError

    if (args.by is None) != (args.value is None):
        raise UsageError("--by and --value go together, e.g. --by region --value pakistan")
    if args.window < 0 or (args.limit is not None and args.limit < 0) or args.width < 5:
        raise UsageError("--window and --limit must be >= 0 and --width >= 5")
    corpus = _load(args.corpus)
    filters = {args.by: args.value} if args.by is not None else None
    if filters:
        _usage(select_docs, corpus.docs, args.by, args.value)
    tokens = _tokens(corpus)
    sort = None if args.sort == "none" else args.sort
    lines = _usage(kwic, tokens, corpus.docs, args.query, mode=args.mode, window=args.window,
                   case_sensitive=args.case_sensitive, sort=sort, filters=filters,
                   limit=args.limit)
    total = lines.attrs.get("n_matches", len(lines))
    print(f"{total:,} match(es) for {args.query!r} ({args.mode}); showing {len(lines):,}")
    if len(lines):
        print(format_kwic(lines, width=args.width))
    return 0


def register_cli(sub: argparse._SubParsersAction) -> None:
    """Add the ``keyness`` and ``kwic`` commands to the command line.

    ``python -m analysis keyness --corpus PATH --by COLUMN --a A [--b B] --out DIR``
    writes ``DIR/keyness.csv``; ``python -m analysis kwic --corpus PATH --query Q``
    prints a concordance.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> register_cli(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["kwic", "--corpus", "c", "--query", "accused"]).window
    8
    """
    p = sub.add_parser("keyness", help="distinctive words of one group of documents vs another",
                       description="Write DIR/keyness.csv: log-odds z (Monroe et al. 2008), "
                       "G2 (Dunning 1993) and Log Ratio (Hardie 2014) for group A vs B.")
    p.add_argument("--corpus", required=True, help="corpus folder, .csv or .jsonl")
    p.add_argument("--by", required=True, help="metadata column defining the groups, e.g. region")
    p.add_argument("--a", required=True, help="value of --by for group A, e.g. pakistan")
    p.add_argument("--b", default=None, help="value for group B (default: all other documents)")
    p.add_argument("--out", required=True, help="output folder (keyness.csv goes there)")
    p.add_argument("--on", choices=["lemma", "text"], default="lemma",
                   help="count lemmas (default) or lower-cased surface forms")
    p.add_argument("--min-count", type=int, default=5,
                   help="minimum count in A and B together (default 5)")
    p.set_defaults(func=_cmd_keyness)

    q = sub.add_parser("kwic", help="keyword-in-context concordance",
                       description="Print concordance lines for a word, lemma, wildcard, "
                       "regular expression or phrase.")
    q.add_argument("--corpus", required=True, help="corpus folder, .csv or .jsonl")
    q.add_argument("--query", required=True, help="what to find, e.g. accused, 'harass*'")
    q.add_argument("--mode", choices=list(KWIC_MODES), default="word",
                   help="word (default), lemma, wildcard (* ?), regex (whole token), phrase")
    q.add_argument("--window", type=int, default=8, help="tokens of context each side (8)")
    q.add_argument("--by", default=None, help="only documents whose COLUMN ...")
    q.add_argument("--value", default=None, help="... equals VALUE, e.g. --by region --value pakistan")
    q.add_argument("--sort", choices=["none", "left", "right"], default="none",
                   help="corpus order (default) or sorted by left/right context")
    q.add_argument("--limit", type=int, default=50, help="show at most N lines (50)")
    q.add_argument("--width", type=int, default=40, help="characters of context each side (40)")
    q.add_argument("--case-sensitive", action="store_true", help="match case exactly")
    q.set_defaults(func=_cmd_kwic)
