"""The token cache on disk: parse workers, streamed writing in document order, reuse of an old cache.

The token stage of :mod:`analysis.preprocess` keeps its memory bounded by
the chunk, not by the corpus:

* the parse task (:func:`analysis.preprocess.parse_chunk`, run through
  :mod:`analysis.parallel`) returns one Arrow table per document; this
  module only stores them and needs no spaCy.
* :class:`OldTokens` indexes an earlier token cache by text hash from its
  ``doc_id``/``text_hash`` columns, read one row group at a time, and reads
  a reused document's rows from its row group (two row groups are kept), so
  an old cache is never loaded whole.
* :func:`group_documents` cuts a stream of per-document tables into row
  groups of whole documents; :func:`iter_document_chunks` reads a cache
  back in chunks of whole documents.

Example
-------
>>> import pyarrow as pa
>>> t = pa.table({"doc_id": ["a", "a", "b"], "x": [1, 2, 3]})
>>> [g.num_rows for g in group_documents([t.slice(0, 2), t.slice(2, 1)], docs_per_group=1)]
[2, 1]
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

#: Most rows in one row group (a bound on memory when documents are very long).
MAX_GROUP_ROWS = 1_000_000


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of equal consecutive values.

    Examples
    --------
    >>> _runs(np.array(["a", "a", "b"]))
    [(0, 2), (2, 3)]
    """
    if len(values) == 0:
        return []
    starts = np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))
    return list(zip(starts.tolist(), [*starts[1:].tolist(), len(values)], strict=True))


class OldTokens:
    """An earlier token cache, indexed by text hash; rows of a reused text are read from its row group.

    Only the first document of each wanted text hash is indexed (as the
    token stage reuses it), as a list of ``(row group, start, stop)`` pieces.
    Reads keep the last two row groups, so documents reused in their old
    order read every row group once.

    Examples
    --------
    >>> old = OldTokens(Path("tokens-old.parquet"), {"h1"})     # doctest: +SKIP
    >>> old.hashes, old.table("h1").num_rows                     # doctest: +SKIP
    ({'h1'}, 42)
    """

    def __init__(self, path: Path, wanted: set[str]) -> None:
        self.file = pq.ParquetFile(path)
        self._pieces: dict[str, list[tuple[int, int, int]]] = {}
        self._groups: OrderedDict[int, pa.Table] = OrderedDict()
        owner: dict[str, str] = {}
        for g in range(self.file.num_row_groups):
            group = self.file.read_row_group(g, columns=["doc_id", "text_hash"])
            ids = group.column("doc_id").to_numpy(zero_copy_only=False)
            hashes = group.column("text_hash").to_numpy(zero_copy_only=False)
            for a, b in _runs(ids):
                h, d = hashes[a], ids[a]
                if h in wanted and owner.setdefault(h, d) == d:
                    self._pieces.setdefault(h, []).append((g, a, b))

    @property
    def hashes(self) -> set[str]:
        """The wanted text hashes this cache holds."""
        return set(self._pieces)

    def _group(self, g: int) -> pa.Table:
        if g not in self._groups:
            self._groups[g] = self.file.read_row_group(g)
            while len(self._groups) > 2:
                self._groups.popitem(last=False)
        return self._groups[g]

    def table(self, h: str) -> pa.Table:
        """All rows of the text with hash ``h`` (its first document in the old cache)."""
        return pa.concat_tables([self._group(g).slice(a, b - a) for g, a, b in self._pieces[h]])


def with_doc_id(table: pa.Table, doc_id: str) -> pa.Table:
    """``table`` with every ``doc_id`` set to ``doc_id`` (the first column).

    Examples
    --------
    >>> with_doc_id(pa.table({"doc_id": ["a", "a"], "x": [1, 2]}), "b").column("doc_id").to_pylist()
    ['b', 'b']
    """
    return table.set_column(0, "doc_id", pa.array([doc_id] * table.num_rows, pa.string()))


def assemble(order: Iterable[tuple[str, str]], parsed: Iterator[pa.Table], old: OldTokens | None,
             repeats: dict[str, int], empty: pa.Table) -> Iterator[pa.Table]:
    """One table per ``(doc_id, text_hash)`` of ``order``, in that order.

    ``parsed`` yields the tables of the texts to parse in the order of their
    first document; texts in ``old`` are read from it; a text that occurs
    again (``repeats``: later occurrences per hash) is kept only until its
    last occurrence.

    Examples
    --------
    >>> parsed = iter([pa.table({"doc_id": ["a"], "x": [1]}), pa.table({"doc_id": ["c"], "x": [2]})])
    >>> empty = pa.table({"doc_id": pa.array([], pa.string()), "x": pa.array([], pa.int64())})
    >>> out = assemble([("a", "h1"), ("b", "h1"), ("c", "h2")], parsed, None, {"h1": 1}, empty)
    >>> [t.to_pydict() for t in out]
    [{'doc_id': ['a'], 'x': [1]}, {'doc_id': ['b'], 'x': [1]}, {'doc_id': ['c'], 'x': [2]}]
    """
    reuse = old.hashes if old is not None else set()
    kept: dict[str, pa.Table] = {}
    for doc_id, h in order:
        if h in kept:
            table = kept[h]
        elif h in reuse:
            table = old.table(h)
        else:
            table = next(parsed, empty)
        if repeats.get(h, 0) > 0:
            kept[h] = table
            repeats[h] -= 1
        else:
            kept.pop(h, None)
        yield with_doc_id(table, doc_id)


def group_documents(tables: Iterable[pa.Table], docs_per_group: int,
                    max_rows: int = MAX_GROUP_ROWS) -> Iterator[pa.Table]:
    """Concatenate per-document tables into groups of at most ``docs_per_group`` documents.

    A group also ends once it holds ``max_rows`` rows (one long document is
    never split).

    Examples
    --------
    >>> docs = [pa.table({"doc_id": [d] * n}) for d, n in (("a", 2), ("b", 1), ("c", 1))]
    >>> [g.num_rows for g in group_documents(docs, docs_per_group=2)]
    [3, 1]
    """
    pending: list[pa.Table] = []
    rows = 0
    for table in tables:
        pending.append(table)
        rows += table.num_rows
        if len(pending) >= docs_per_group or rows >= max_rows:
            yield pa.concat_tables(pending)
            pending, rows = [], 0
    if pending:
        yield pa.concat_tables(pending)


def iter_document_chunks(path: Path, columns: list[str] | None, docs_per_chunk: int) -> Iterator[pa.Table]:
    """Read a token cache as tables of at most ``docs_per_chunk`` whole documents, in order.

    Reads one row group at a time; a document that spans row groups (caches
    of older versions) is kept whole.

    Examples
    --------
    >>> chunks = iter_document_chunks(Path("tokens-x.parquet"), ["doc_id", "lemma"], 500)   # doctest: +SKIP
    >>> next(chunks).num_rows                                                              # doctest: +SKIP
    312004
    """
    file = pq.ParquetFile(path)
    pending: pa.Table | None = None
    for g in range(file.num_row_groups):
        group = file.read_row_group(g, columns=columns)
        pending = group if pending is None else pa.concat_tables([pending, group])
        runs = _runs(pending.column("doc_id").to_numpy(zero_copy_only=False))
        complete = len(runs) - 1                      # the last document may go on in the next group
        while complete >= docs_per_chunk:
            stop = runs[docs_per_chunk - 1][1]
            yield pending.slice(0, stop)
            pending, runs = pending.slice(stop), [(a - stop, b - stop) for a, b in runs[docs_per_chunk:]]
            complete -= docs_per_chunk
    while pending is not None and pending.num_rows:
        runs = _runs(pending.column("doc_id").to_numpy(zero_copy_only=False))
        stop = runs[min(docs_per_chunk, len(runs)) - 1][1]
        yield pending.slice(0, stop)
        pending = pending.slice(stop)
