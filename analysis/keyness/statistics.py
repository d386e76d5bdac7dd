"""Keyness statistics: which terms are typical of one group of documents against another.

Measures
--------
* :func:`log_odds_dirichlet`: log-odds ratio with an informative Dirichlet
  prior and its z-score (Monroe, Colaresi & Quinn 2008). The prior is the
  pooled share of each term in the two groups, with strength ``alpha0``
  equal to the pooled number of tokens unless ``prior`` says otherwise (the
  empirical-Bayes default of the *tidylo* R package, Schnoebelen, Silge &
  Hayes 2022).
* :func:`log_likelihood_g2`: Dunning's log-likelihood G2 (Dunning 1993) in
  the two-cell form used to compare corpora (Rayson & Garside 2000), always
  >= 0, with its p-value from the chi-squared distribution with 1 degree of
  freedom.
* :func:`log_ratio`: Hardie's Log Ratio (Hardie 2014), the binary log of the
  ratio of relative frequencies, with a zero count replaced by 0.5. One unit
  means twice as frequent.

:func:`term_counts` counts terms in a token table, and :func:`keyness`
puts the three measures in one table (:data:`KEYNESS_COLUMNS`).

References
----------
Dunning, T. (1993). Accurate methods for the statistics of surprise and
coincidence. *Computational Linguistics* 19(1), 61-74.
Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for
Corpus Approaches to Social Science (CASS), Lancaster University.
Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: lexical
feature selection and evaluation for identifying the content of political
conflict. *Political Analysis* 16(4), 372-403.
Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
*Proceedings of the Workshop on Comparing Corpora*, ACL 2000, 1-6.

Example
-------
>>> from analysis.keyness.example import example_data
>>> tokens, docs = example_data()
>>> keyness(tokens, docs, by="region", a="hollywood", min_count=3)[
...     ["term", "count_a", "count_b", "log_ratio"]]
     term  count_a  count_b  log_ratio
0  victim        3        0   2.263034
1   court        1        2  -1.321928
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import DataTooSmallError, UsageError
from analysis.keyness.tokens import (
    content_mask,
    doc_table,
    factorize,
    isin,
    require_token_columns,
)
from analysis.selection import group_label, require_columns, select_docs

#: Columns of the keyness table, in order (DESIGN.md section 4 names the first six).
KEYNESS_COLUMNS: tuple[str, ...] = (
    "term", "count_a", "count_b", "log_odds_z", "g2", "log_ratio",
    "freq_per_10k_a", "freq_per_10k_b", "docs_a", "docs_b", "log_odds", "p_value", "direction",
)


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
        raise UsageError("the prior (alpha0) and the pooled counts must be positive")
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
    >>> from analysis.keyness.example import example_data
    >>> tokens, docs = example_data()
    >>> term_counts(tokens, docs, by="region", value="hollywood")
         term  count  docs  freq_per_10k
    0  victim      3     2        6000.0
    1   court      1     1        2000.0
    2   speak      1     1        2000.0
    """
    require_token_columns(tokens, ["doc_id", on])
    mask = content_mask(tokens, alpha_only, drop_stop, pos)
    doc_codes, doc_vocab = factorize(tokens["doc_id"])
    if by is not None:
        table = doc_table(tokens, docs, by)
        chosen = table.loc[select_docs(table, by, value), "doc_id"].astype(str)
        mask &= isin(doc_vocab, chosen)[doc_codes]
    codes, vocab = factorize(tokens[on], lowercase=lowercase)
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
    UsageError
        Unknown column or group value (the message lists the valid ones), or
        overlapping groups.
    DataTooSmallError
        A group without counted tokens.

    Examples
    --------
    >>> from analysis.keyness.example import example_data
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
    require_token_columns(tokens, ["doc_id", on])
    table = doc_table(tokens, docs, by)
    in_a = select_docs(table, by, a)
    in_b = select_docs(table, by, b) if b is not None else ~in_a
    label_a, label_b = group_label(a), (group_label(b) if b is not None else "rest")
    if (in_a & in_b).any():
        raise UsageError(f"groups a={label_a!r} and b={label_b!r} share documents")
    if not in_b.any():
        raise UsageError(f"no documents outside {by} == {label_a!r} to compare with")

    doc_codes, doc_vocab = factorize(tokens["doc_id"])
    group_of_doc = np.full(len(doc_vocab), -1, dtype=np.int8)
    ids = table["doc_id"].astype(str)
    group_of_doc[isin(doc_vocab, ids[in_a.to_numpy()])] = 0
    group_of_doc[isin(doc_vocab, ids[in_b.to_numpy()])] = 1
    group = group_of_doc[doc_codes]
    mask = content_mask(tokens, alpha_only, drop_stop, pos) & (group >= 0)

    codes, vocab = factorize(tokens[on], lowercase=lowercase)
    codes, doc_codes, group = codes[mask], doc_codes[mask], group[mask]
    v = max(len(vocab), 1)
    y_a = np.bincount(codes[group == 0], minlength=len(vocab))
    y_b = np.bincount(codes[group == 1], minlength=len(vocab))
    pairs = pd.unique(doc_codes * v + codes)          # one entry per (document, term)
    pair_group = group_of_doc[pairs // v]
    d_a = np.bincount(pairs[pair_group == 0] % v, minlength=len(vocab))
    d_b = np.bincount(pairs[pair_group == 1] % v, minlength=len(vocab))

    present = (y_a + y_b) > 0
    return _score(vocab[present].astype(str), y_a[present], y_b[present], d_a[present], d_b[present],
                  by=by, labels=(label_a, label_b), thresholds=(min_count, min_group_count, min_docs),
                  prior=prior, on=on)


def _score(terms: np.ndarray, y_a: np.ndarray, y_b: np.ndarray, d_a: np.ndarray, d_b: np.ndarray, *,
           by: str, labels: tuple[str, str], thresholds: tuple[int, int, int], prior: float | None,
           on: str) -> pd.DataFrame:
    """The keyness table from per-term counts of the two groups (terms found in either group only)."""
    label_a, label_b = labels
    min_count, min_group_count, min_docs = thresholds
    n_a, n_b = int(y_a.sum()), int(y_b.sum())
    for name, n, lab in (("a", n_a, label_a), ("b", n_b, label_b)):
        if n == 0:
            raise DataTooSmallError(f"group {name} ({by} == {lab!r}) has no tokens that pass the token "
                                    "filter (alphabetic, non-stopword by default)")
    delta, z = log_odds_dirichlet(y_a, y_b, prior)
    g2, p = log_likelihood_g2(y_a, y_b, n_a, n_b)
    out = pd.DataFrame({
        "term": terms,
        "count_a": y_a, "count_b": y_b,
        "log_odds_z": z, "g2": g2,
        "log_ratio": log_ratio(y_a, y_b, n_a, n_b),
        "freq_per_10k_a": y_a / n_a * 10_000,
        "freq_per_10k_b": y_b / n_b * 10_000,
        "docs_a": d_a, "docs_b": d_b,
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


def group_term_counts(tokens: pd.DataFrame, groups: dict[str, Iterable[str]] | Any, *, on: str = "lemma",
                      lowercase: bool = True, alpha_only: bool = True, drop_stop: bool = True,
                      pos: Iterable[str] | None = None) -> pd.DataFrame:
    """Term counts of named groups of documents, with the token filter of :func:`keyness`.

    For aggregating over chunks of a token table (documents whole within a
    chunk): the counts and document counts of the chunks add up to those of
    the whole table, and :func:`keyness_from_counts` scores them.

    Parameters
    ----------
    tokens : pandas.DataFrame
        A token table (or a document-aligned chunk of one).
    groups : mapping
        Group name -> document ids (a document may lie in several groups).
    on, lowercase, alpha_only, drop_stop, pos
        As :func:`keyness`.

    Returns
    -------
    pandas.DataFrame
        ``group, term, count, docs`` for every term found in a group.

    Examples
    --------
    >>> from analysis.keyness.example import example_data
    >>> tokens, docs = example_data()
    >>> hw = docs.loc[docs["region"] == "hollywood", "doc_id"]
    >>> group_term_counts(tokens, {"hw": hw}).sort_values("term").values.tolist()
    [['hw', 'court', 1, 1], ['hw', 'speak', 1, 1], ['hw', 'victim', 3, 2]]
    """
    require_token_columns(tokens, ["doc_id", on])
    mask = content_mask(tokens, alpha_only, drop_stop, pos)
    doc_codes, doc_vocab = factorize(tokens["doc_id"])
    codes, vocab = factorize(tokens[on], lowercase=lowercase)
    v = max(len(vocab), 1)
    frames = []
    for name, ids in groups.items():
        chosen = mask & isin(doc_vocab, [str(d) for d in ids])[doc_codes]
        c, d = codes[chosen], doc_codes[chosen]
        count = np.bincount(c, minlength=len(vocab))
        n_docs = np.bincount(pd.unique(d * v + c) % v, minlength=len(vocab))
        keep = count > 0
        frames.append(pd.DataFrame({"group": name, "term": vocab[keep].astype(str), "count": count[keep],
                                    "docs": n_docs[keep]}))
    if not frames:
        return pd.DataFrame({"group": [], "term": [], "count": [], "docs": []})
    return pd.concat(frames, ignore_index=True)


def keyness_from_counts(counts: pd.DataFrame, a: str, b: str, *, by: str, labels: tuple[str, str] | None = None,
                        min_count: int = 5, min_group_count: int = 0, min_docs: int = 1,
                        prior: float | None = None, on: str = "lemma") -> pd.DataFrame:
    """The :func:`keyness` table from aggregated counts (:func:`group_term_counts`) of groups ``a`` and ``b``.

    The same measures (Monroe, Colaresi & Quinn 2008; Dunning 1993; Hardie
    2014) on the same counts give the same table as :func:`keyness` on the
    token table those counts came from.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``group, term, count, docs`` (summed over chunks).
    a, b : str
        The two group names in ``counts``.
    by : str
        The metadata column (for the table's ``attrs`` and messages).
    labels : (str, str), optional
        Labels of the groups in ``direction`` (default ``a`` and ``b``).
    min_count, min_group_count, min_docs, prior, on
        As :func:`keyness`.

    Examples
    --------
    >>> from analysis.keyness.example import example_data
    >>> tokens, docs = example_data()
    >>> groups = {g: docs.loc[docs["region"] == g, "doc_id"] for g in docs["region"].unique()}
    >>> k = keyness_from_counts(group_term_counts(tokens, groups), "hollywood", "pakistan", by="region",
    ...                         min_count=1)
    >>> k.equals(keyness(tokens, docs, "region", "hollywood", "pakistan", min_count=1))
    True
    """
    require_columns(counts, ["group", "term", "count", "docs"], "counts table",
                    fix="counts come from group_term_counts(tokens, groups)")
    label_a, label_b = labels if labels is not None else (str(a), str(b))
    part = counts[counts["group"].isin([a, b])]
    wide = part.pivot_table(index="term", columns="group", values=["count", "docs"], aggfunc="sum",
                            fill_value=0, sort=False)

    def column(kind: str, group: str) -> np.ndarray:
        return wide[(kind, group)].to_numpy(dtype=np.int64) if (kind, group) in wide.columns \
            else np.zeros(len(wide), dtype=np.int64)

    terms = np.asarray(wide.index.astype(str), dtype=object)
    return _score(terms, column("count", a), column("count", b), column("docs", a), column("docs", b),
                  by=by, labels=(label_a, label_b), thresholds=(min_count, min_group_count, min_docs),
                  prior=prior, on=on)
