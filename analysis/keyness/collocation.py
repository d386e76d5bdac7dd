"""Collocations: the words that keep company with a node word within a window.

Counts co-occurrences within +/- ``window`` content words of a node and
scores each collocate with logDice (Rychly 2008), PMI (Church & Hanks 1990),
t-score and G2 (Dunning 1993), with the expected frequency of a window-based
contingency table (Evert 2008).

References
----------
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information,
and lexicography. *Computational Linguistics* 16(1), 22-29.
Dunning, T. (1993). Accurate methods for the statistics of surprise and
coincidence. *Computational Linguistics* 19(1), 61-74.
Evert, S. (2008). Corpora and collocations. In A. Ludeling & M. Kyto (eds.),
*Corpus Linguistics: An International Handbook*, vol. 2, 1212-1248.
Rychly, P. (2008). A lexicographer-friendly association score. *Proceedings
of Recent Advances in Slavonic Natural Language Processing (RASLAN)*, 6-9.

Example
-------
>>> from analysis.keyness.example import example_data
>>> tokens, _ = example_data()
>>> collocations(tokens, "court", window=2, min_freq=1, min_node_freq=1)["collocate"].tolist()
['hear', 'case', 'speak', 'victim']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.keyness.tokens import (
    content_mask,
    factorize,
    isin,
    reading_order,
    require_token_columns,
)
from analysis.selection import as_list

#: Columns of the collocation table, in order.
COLLOCATION_COLUMNS: tuple[str, ...] = (
    "collocate", "freq", "freq_left", "freq_right", "freq_collocate", "expected",
    "log_dice", "pmi", "t_score", "g2",
)


@dataclass(frozen=True)
class _Stream:
    """The content-word stream of a token table, in reading order."""

    codes: np.ndarray          # term code of each stream position
    doc_codes: np.ndarray      # document code of each position
    is_node: np.ndarray        # whether the position is an occurrence of the node
    sent: np.ndarray | None    # sentence of each position (within_sentence only)
    vocab: np.ndarray          # term of each code
    node_term: np.ndarray      # whether each vocabulary entry is a node form


def _stream(tokens: pd.DataFrame, nodes: list[str], on: str, lowercase: bool, alpha_only: bool,
            drop_stop: bool, pos: Iterable[str] | None, within_sentence: bool) -> _Stream:
    """Content words and node occurrences (even stopwords), in reading order."""
    codes, vocab = factorize(tokens[on], lowercase=lowercase)
    doc_codes, _ = factorize(tokens["doc_id"])
    node_term = isin(vocab, nodes)
    is_node = node_term[codes]
    keep = content_mask(tokens, alpha_only, drop_stop, pos) | is_node
    order = reading_order(doc_codes, tokens["i"].to_numpy())
    if order is not None:
        codes, doc_codes, is_node, keep = codes[order], doc_codes[order], is_node[order], keep[order]
    sent = None
    if within_sentence:
        sent = tokens["sent"].to_numpy()
        sent = (sent[order] if order is not None else sent)[keep]
    return _Stream(codes[keep], doc_codes[keep], is_node[keep], sent, vocab, node_term)


def _window_counts(s: _Stream, window: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Co-occurrences left and right of the node, and the number of window positions."""
    node_pos = np.flatnonzero(s.is_node)
    n_stream, v = len(s.codes), len(s.vocab)
    left, right = np.zeros(v, dtype=np.int64), np.zeros(v, dtype=np.int64)
    slots = 0
    for offset in (*range(-window, 0), *range(1, window + 1)):  # 2*window passes, not per token
        other = node_pos + offset
        ok = (other >= 0) & (other < n_stream)
        here, other = node_pos[ok], other[ok]
        same = s.doc_codes[other] == s.doc_codes[here]
        if s.sent is not None:
            same &= s.sent[other] == s.sent[here]
        other = other[same]
        slots += len(other)
        counted = np.bincount(s.codes[other[~s.is_node[other]]], minlength=v)
        if offset < 0:
            left += counted
        else:
            right += counted
    return left, right, slots


def _g2_window(o: np.ndarray, fc: np.ndarray, slots: int, n: float) -> np.ndarray:
    """G2 over the 2x2 window table ``[[O, R - O], [f_c - O, N - R - f_c + O]]`` (NaN if invalid)."""
    cells = np.stack([o, slots - o, fc - o, n - slots - fc + o], axis=-1)
    row_tot = np.array([slots, slots, n - slots, n - slots], dtype=float)
    col_tot = np.stack([fc, n - fc, fc, n - fc], axis=-1)
    exp_cells = row_tot * col_tot / n                  # E_ij = row total * column total / N
    g2 = np.full(len(o), np.nan)
    valid = (cells >= 0).all(axis=1) & (exp_cells > 0).all(axis=1)
    if valid.any():
        from scipy import stats  # imported here: the CLI imports this package at start-up

        g2[valid] = stats.power_divergence(cells[valid], exp_cells[valid],
                                           lambda_="log-likelihood", axis=-1)[0]
    return g2


def _empty(attrs: dict) -> pd.DataFrame:
    empty = pd.DataFrame({c: pd.Series(dtype=object if c == "collocate" else float)
                          for c in COLLOCATION_COLUMNS})
    empty.attrs = attrs
    return empty


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
    >>> from analysis.keyness.example import example_data
    >>> tokens, _ = example_data()
    >>> c = collocations(tokens, "victim", window=1, min_freq=1, min_node_freq=1)
    >>> c[["collocate", "freq", "freq_collocate", "log_dice", "pmi", "t_score"]].round(4)
      collocate  freq  freq_collocate  log_dice    pmi  t_score
    0     speak     1               1      13.0  1.585   0.6667
    """
    if window < 1:
        raise UsageError(f"window must be at least 1, not {window}")
    require_token_columns(tokens, ["doc_id", "i", on] + (["sent"] if within_sentence else []))
    nodes = [str(n) for n in as_list(node)]
    if lowercase:
        nodes = [n.lower() for n in nodes]
    s = _stream(tokens, nodes, on, lowercase, alpha_only, drop_stop, pos, within_sentence)
    f_node, n_stream = int(s.is_node.sum()), len(s.codes)
    attrs = {"node": "|".join(nodes), "f_node": f_node, "n_tokens": n_stream,
             "window_positions": 0, "window": window}
    if f_node < max(min_node_freq, 1):
        warnings.warn(f"node {attrs['node']!r} occurs {f_node} times (fewer than "
                      f"min_node_freq={min_node_freq}); no collocations computed",
                      UserWarning, stacklevel=2)
        return _empty(attrs)

    f_coll = np.bincount(s.codes[~s.is_node], minlength=len(s.vocab))
    left, right, slots = _window_counts(s, window)
    attrs["window_positions"] = slots
    observed = left + right
    sel = (observed >= max(min_freq, 1)) & ~s.node_term
    if not sel.any():
        return _empty(attrs)
    o = observed[sel].astype(float)
    fc = f_coll[sel].astype(float)
    n = float(n_stream)
    expected = slots * fc / n
    # logDice, PMI and t-score are one-line formulas with no scipy equivalent.
    out = pd.DataFrame({
        "collocate": s.vocab[sel].astype(str), "freq": observed[sel], "freq_left": left[sel],
        "freq_right": right[sel], "freq_collocate": f_coll[sel], "expected": expected,
        "log_dice": 14 + np.log2(2 * o / (f_node + fc)),
        "pmi": np.log2(o / expected),
        "t_score": (o - expected) / np.sqrt(o),
        "g2": _g2_window(o, fc, slots, n),
    })
    out = out.sort_values(["log_dice", "collocate"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = attrs
    return out
