"""Choosing documents by their metadata, and checking that a table has the columns a step needs.

A bottom-layer module (it imports only pandas, numpy and
:mod:`analysis.errors`): the analysis modules and the command line use it to
turn ``--by region --a pakistan`` into a mask over ``corpus.docs``, with
messages that list the valid columns or values when a name is mistyped.

Example
-------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "year": [2017, 2018, 2018]})
>>> select_docs(docs, "year", "2018").tolist()
[False, True, True]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from analysis.errors import UsageError, WorkbenchError


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str, *, fix: str = "",
                    error: type[WorkbenchError] = UsageError) -> None:
    """Raise ``error`` if ``frame`` lacks any of ``columns``.

    The message names ``what`` (a file and row, or the kind of table), the
    missing columns, the columns found (internal ones, whose names start with
    ``_``, are not listed) and ``fix``, what to do about it.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to check.
    columns : iterable of str
        The columns the next step needs.
    what : str
        Where the table comes from, e.g. ``"token table"`` or
        ``"documents.csv row 1"``.
    fix : str
        What to do, e.g. ``"add them to the header"``.
    error : type
        The :class:`~analysis.errors.WorkbenchError` subclass to raise
        (default :class:`~analysis.errors.UsageError`).

    Raises
    ------
    WorkbenchError
        ``error``, if a column is missing.

    Examples
    --------
    >>> frame = pd.DataFrame({"doc_id": ["d1"], "_row": [2], "lemma": ["court"]})
    >>> require_columns(frame, ["doc_id", "lemma"], "token table")
    >>> require_columns(frame, ["doc_id", "pos", "is_stop"], "token table", fix="re-run preprocess")
    Traceback (most recent call last):
    ...
    analysis.errors.UsageError: token table: required column(s) 'pos', 'is_stop' missing \
(found: doc_id, lemma); re-run preprocess
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = [str(c) for c in frame.columns if not str(c).startswith("_")]
        message = (f"{what}: required column(s) {', '.join(map(repr, missing))} missing "
                   f"(found: {', '.join(found) or 'none'})")
        raise error(message + (f"; {fix}" if fix else ""))


def as_list(value: Any) -> list[Any]:
    """``value`` as a list: a string or scalar becomes a one-element list.

    Examples
    --------
    >>> as_list("pakistan"), as_list(["a", "b"]), as_list(2018)
    (['pakistan'], ['a', 'b'], [2018])
    """
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def group_label(value: Any) -> str:
    """The label of a group given as one value or several: values joined by ``|``.

    Examples
    --------
    >>> group_label(["pakistan", "bollywood"]), group_label(2018)
    ('pakistan|bollywood', '2018')
    """
    return "|".join(str(v) for v in as_list(value))


def valid_values(column: pd.Series, limit: int = 30) -> str:
    """The distinct values of ``column``, sorted as text, for an error message.

    Examples
    --------
    >>> valid_values(pd.Series(["b", "a", None, "b"]))
    'a, b'
    >>> valid_values(pd.Series(range(5)), limit=2)
    '0, 1, ... (5 in all)'
    """
    values = sorted({str(v) for v in column.dropna().unique()})
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def metadata_columns(docs: pd.DataFrame) -> list[str]:
    """The columns of a documents table that can select documents (all but ``text``).

    Examples
    --------
    >>> metadata_columns(pd.DataFrame(columns=["doc_id", "region", "text"]))
    ['doc_id', 'region']
    """
    return [str(c) for c in docs.columns if c != "text"]


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
    UsageError
        If ``by`` is not a column or a value matches no document; the message
        lists the valid columns or values.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["hw1", "hw2", "pk1"],
    ...                      "region": ["hollywood", "hollywood", "pakistan"]})
    >>> select_docs(docs, "region", ["hollywood"]).tolist()
    [True, True, False]
    >>> select_docs(docs, "region", "lollywood")
    Traceback (most recent call last):
    ...
    analysis.errors.UsageError: no document has region == 'lollywood'; valid values of \
'region': hollywood, pakistan
    """
    if by not in docs.columns or by == "text":
        raise UsageError(f"no metadata column {by!r}; valid columns: "
                         f"{', '.join(metadata_columns(docs))}")
    column = docs[by]
    as_text = column.map(lambda v: None if pd.isna(v) else str(v))
    mask = pd.Series(False, index=docs.index)
    for v in as_list(value):
        try:
            hit = (column == v).fillna(False).astype(bool)
        except (TypeError, ValueError):               # e.g. a date column against a string
            hit = pd.Series(False, index=docs.index)
        hit |= (as_text == str(v)).fillna(False).astype(bool)
        if not hit.any():
            raise UsageError(f"no document has {by} == {v!r}; valid values of {by!r}: "
                             f"{valid_values(column)}")
        mask |= hit
    return mask


def order_levels(values: Iterable, explicit: Sequence[str] | None = None,
                 declared: Sequence[str] | None = None) -> list[str]:
    """The levels of a grouping variable in the documented order.

    ``explicit`` (from ``--groups``) wins and must name levels that occur;
    else ``declared`` (the corpus's ``corpus.yaml``) for the levels it names,
    followed by any others; else the order of first appearance in ``values``.

    Examples
    --------
    >>> order_levels(["b", "a", "b", "c"])
    ['b', 'a', 'c']
    >>> order_levels(["b", "a", "c"], declared=["c", "a"])
    ['c', 'a', 'b']
    >>> order_levels(["b", "a"], explicit=["a", "b"])
    ['a', 'b']
    """
    seen = list(dict.fromkeys(str(v) for v in values))
    if explicit:
        return [str(v) for v in explicit]
    if declared:
        first = [str(v) for v in declared if str(v) in seen]
        return first + [v for v in seen if v not in first]
    return seen
