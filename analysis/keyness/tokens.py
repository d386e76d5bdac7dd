"""Encoding and filtering a token table for the keyness, collocation and concordance modules.

Internal helpers shared by :mod:`analysis.keyness.statistics`,
:mod:`analysis.keyness.collocation` and :mod:`analysis.keyness.concordance`:
string columns become integer codes once (fast on tens of millions of
tokens), and the token filter (alphabetic, non-stopword, optional parts of
speech) becomes a boolean mask.

Example
-------
>>> codes, vocab = factorize(pd.Series(["Court", "court", None]), lowercase=True)
>>> codes.tolist(), vocab.tolist()
([0, 0, 1], ['court', ''])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import UsageError
from analysis.selection import require_columns

#: What to do when a token table lacks a column.
TOKENS_FIX = "token tables come from analysis.preprocess.tokens(corpus)"


def require_token_columns(tokens: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise a UsageError naming the columns ``tokens`` lacks (see ``require_columns``).

    Examples
    --------
    >>> require_token_columns(pd.DataFrame({"doc_id": []}), ["doc_id"])
    """
    require_columns(tokens, columns, "token table", fix=TOKENS_FIX)


def factorize(values: pd.Series, lowercase: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the vocabulary of a string column (missing values become "").

    Factorising first and lower-casing only the distinct strings is what keeps
    this fast on tens of millions of tokens.

    Examples
    --------
    >>> codes, vocab = factorize(pd.Series(["b", "a", "b"]))
    >>> codes.tolist(), vocab.tolist()
    ([0, 1, 0], ['b', 'a'])
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


def isin(vocab: np.ndarray, values: Iterable[Any]) -> np.ndarray:
    """Hash-based membership of each vocabulary entry in ``values``.

    Examples
    --------
    >>> isin(np.array(["a", "b"], dtype=object), {"b"}).tolist()
    [False, True]
    """
    return pd.Index(vocab, dtype=object).isin(list(values))


def bool_column(tokens: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean token column as an array (missing values are False).

    Examples
    --------
    >>> bool_column(pd.DataFrame({"is_stop": [True, None]}), "is_stop").tolist()
    [True, False]
    """
    require_token_columns(tokens, [column])
    return tokens[column].to_numpy(dtype=bool, na_value=False)


def content_mask(tokens: pd.DataFrame, alpha_only: bool, drop_stop: bool,
                 pos: Iterable[str] | None) -> np.ndarray:
    """Which tokens count as terms: alphabetic, not a stopword, optionally of given POS.

    Examples
    --------
    >>> toks = pd.DataFrame({"is_alpha": [True, True, False], "is_stop": [False, True, False],
    ...                      "pos": ["NOUN", "DET", "PUNCT"]})
    >>> content_mask(toks, True, True, None).tolist()
    [True, False, False]
    """
    mask = np.ones(len(tokens), dtype=bool)
    if alpha_only:
        mask &= bool_column(tokens, "is_alpha")
    if drop_stop:
        mask &= ~bool_column(tokens, "is_stop")
    if pos is not None:
        require_token_columns(tokens, ["pos"])
        mask &= tokens["pos"].isin(list(pos)).to_numpy(dtype=bool)
    return mask


def doc_table(tokens: pd.DataFrame, docs: pd.DataFrame | None, by: str) -> pd.DataFrame:
    """``docs`` if given, else one row per document built from the token table's columns.

    Examples
    --------
    >>> toks = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "region": ["a", "a", "b"]})
    >>> doc_table(toks, None, "region")["region"].tolist()
    ['a', 'b']
    """
    if docs is not None:
        require_columns(docs, ["doc_id"], "documents table", fix="pass corpus.docs")
        return docs
    if by in tokens.columns:
        return tokens[["doc_id", by]].drop_duplicates("doc_id")
    raise UsageError(f"no documents table given and the token table has no column {by!r}; "
                     "pass docs=corpus.docs")


def reading_order(doc_codes: np.ndarray, position: np.ndarray) -> np.ndarray | None:
    """Permutation that puts tokens in reading order, or None if they already are.

    Already in order means: each document's tokens are contiguous (factorised
    codes never decrease) and token indices increase within a document.

    Examples
    --------
    >>> reading_order(np.array([0, 0, 1]), np.array([0, 1, 0])) is None
    True
    >>> reading_order(np.array([0, 0, 1]), np.array([1, 0, 0])).tolist()
    [1, 0, 2]
    """
    if len(doc_codes) < 2:
        return None
    step_doc = np.diff(doc_codes)
    in_order = (step_doc >= 0).all() and ((np.diff(position) > 0) | (step_doc != 0)).all()
    return None if in_order else np.lexsort((position, doc_codes))
