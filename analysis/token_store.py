"""The token cache on disk: parse workers, streamed writing in document order, reuse of an old cache.

The token stage of :mod:`analysis.preprocess` keeps its memory bounded by
the chunk, not by the corpus:

* the parse task (:func:`analysis.preprocess.parse_chunk`, run through
  :mod:`analysis.parallel`) returns one Arrow table per document, built
  by :func:`doc_table` from ``Doc.to_array`` (one string look-up per
  distinct value, no Python loop over tokens); :func:`doc_columns_reference`
  is the per-token version it must equal. :class:`CachedRulerMatch` gives
  the attribute ruler the same matches at a fraction of the cost. The rest
  of this module only stores tables and needs no spaCy.
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
#: Token-table columns filled from spaCy string ids (``Doc.to_array`` attribute names).
_STRING_ATTRS: tuple[tuple[str, str], ...] = (("text", "ORTH"), ("lemma", "LEMMA"), ("pos", "POS"),
                                              ("ent", "ENT_TYPE"))


def _strings(ids: np.ndarray, strings, lower: bool = False) -> pa.Array:
    """Arrow strings of spaCy string ids: each distinct id looked up once (lower-cased if ``lower``)."""
    uniq, inverse = np.unique(ids, return_inverse=True)
    values = [strings[int(h)] for h in uniq.tolist()]
    if lower:
        values = [v.lower() for v in values]
    return pa.array(values, pa.string()).take(pa.array(inverse.astype(np.int32).ravel()))


def doc_table(doc, doc_id: str, text_hash: str, schema: pa.Schema) -> pa.Table:
    """The token table of one parsed spaCy ``Doc`` (columns of ``schema``), from ``Doc.to_array``.

    Equal, value for value, to :func:`doc_columns_reference` (the per-token
    loop it replaces): ``sent`` counts sentence starts as ``Doc.sents``
    does (token 0 always starts one), ``ws`` is ``" "`` where the token has
    trailing whitespace, ``lemma`` is lower-cased.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en"); nlp.add_pipe("sentencizer")          # doctest: +ELLIPSIS
    <spacy.pipeline.sentencizer.Sentencizer object at ...>
    >>> from analysis.preprocess import TOKEN_SCHEMA
    >>> doc_table(nlp("She sued. He won."), "d1", "h", TOKEN_SCHEMA).column("sent").to_pylist()
    [0, 0, 0, 1, 1, 1]
    """
    from spacy import attrs

    n = len(doc)
    if n == 0:
        return schema.empty_table()
    names = [a for _, a in _STRING_ATTRS] + ["SPACY", "IS_STOP", "IS_ALPHA", "SENT_START"]
    arr = doc.to_array([getattr(attrs, a) for a in names])
    col = dict(zip(names, arr.T, strict=True))
    starts = col["SENT_START"] == 1
    starts[0] = False
    strings = doc.vocab.strings
    same = pa.array(np.zeros(n, np.int32))
    out = {"doc_id": pa.array([doc_id], pa.string()).take(same),
           "sent": pa.array(np.cumsum(starts, dtype=np.int32)), "i": pa.array(np.arange(n, dtype=np.int32)),
           "ws": pa.array(np.where(col["SPACY"] != 0, " ", ""), pa.string()),
           "is_stop": pa.array(col["IS_STOP"] != 0), "is_alpha": pa.array(col["IS_ALPHA"] != 0),
           "text_hash": pa.array([text_hash], pa.string()).take(same)}
    for name, attr in _STRING_ATTRS:
        out[name] = _strings(col[attr], strings, lower=name == "lemma")
    return pa.table([out[name] for name in schema.names], schema=schema)


def doc_columns_reference(doc, doc_id: str, text_hash: str, names: list[str]) -> dict[str, list]:
    """The token-table columns of one ``Doc`` token by token (the reference :func:`doc_table` must equal).

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en"); nlp.add_pipe("sentencizer")          # doctest: +ELLIPSIS
    <spacy.pipeline.sentencizer.Sentencizer object at ...>
    >>> doc_columns_reference(nlp("She sued. He won."), "d1", "h", ["sent", "text"])["sent"]
    [0, 0, 0, 1, 1, 1]
    """
    cols: dict[str, list] = {name: [] for name in names}
    for s_index, sent in enumerate(doc.sents):
        for tok in sent:
            row = {"doc_id": doc_id, "sent": s_index, "i": tok.i, "text": tok.text, "ws": tok.whitespace_,
                   "lemma": tok.lemma_.lower(), "pos": tok.pos_, "ent": tok.ent_type_, "is_stop": tok.is_stop,
                   "is_alpha": tok.is_alpha, "text_hash": text_hash}
            for name in names:
                cols[name].append(row[name])
    return cols


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


class CachedRulerMatch:
    """The matches of a spaCy ``AttributeRuler``, equal to its own, with single-token rules looked up once.

    Nearly every rule of the English attribute ruler is a one-token pattern
    (the tag map, ``TAG`` and ``LOWER`` exceptions), so which rules match a
    token depends only on its ``ORTH``, ``TAG`` and ``DEP``: those matches are
    computed once per distinct triple (one ``Matcher`` run over a document of
    the new triples) and cached (at most ``max_cache`` triples; then the
    cache starts again); patterns of several tokens or with operators run
    through a ``Matcher`` of their own. The result is the ruler's sorted
    ``(rule, key, start, end)`` list, so ``set_annotations`` (and with it
    every attribute) is unchanged. Install with :func:`fast_attribute_ruler`.

    Examples
    --------
    >>> from analysis.preprocess import load_nlp
    >>> nlp = load_nlp()
    >>> ruler = nlp.get_pipe("attribute_ruler")
    >>> doc = nlp("They're gonna sue.", disable=["attribute_ruler", "lemmatizer", "ner"])
    >>> CachedRulerMatch(ruler)(doc) == type(ruler).match(ruler, doc)
    True
    """

    def __init__(self, ruler, max_cache: int = 200_000) -> None:
        from spacy.matcher import Matcher

        self.vocab, self.max_cache = ruler.vocab, max_cache
        self.single, self.multi = Matcher(ruler.vocab), Matcher(ruler.vocab)
        self.n_multi = 0
        for rule in range(len(ruler.attrs)):
            key = str(rule)
            patterns = ruler.matcher.get(self.vocab.strings[key])[1]
            one = [p for p in patterns if len(p) == 1 and not any("OP" in t for t in p)]
            rest = [p for p in patterns if p not in one]
            if one:
                self.single.add(key, one)
            if rest:
                self.multi.add(key, rest)
                self.n_multi += 1
        self.rule_of = {self.vocab.strings[str(r)]: r for r in range(len(ruler.attrs))}
        self.cache: dict[tuple[int, int, int], tuple[int, ...]] = {}

    def _learn(self, keys: list[tuple[int, int, int]]) -> None:
        from spacy.tokens import Doc

        strings = self.vocab.strings
        probe = Doc(self.vocab, words=[strings[o] for o, _, _ in keys], spaces=[False] * len(keys))
        for token, (_, tag, dep) in zip(probe, keys, strict=True):
            token.tag, token.dep = tag, dep
        found: list[list[int]] = [[] for _ in keys]
        for m_id, start, _ in self.single(probe, allow_missing=True):
            found[start].append(m_id)
        self.cache.update(zip(keys, map(tuple, found), strict=True))

    def __call__(self, doc) -> list[tuple[int, int, int, int]]:
        from spacy.attrs import DEP, ORTH, TAG

        keys = list(map(tuple, doc.to_array([ORTH, TAG, DEP]).tolist())) if len(doc) else []
        new = list(dict.fromkeys(k for k in keys if k not in self.cache))
        if new and len(self.cache) + len(new) > self.max_cache:    # bounded memory: start again
            self.cache.clear()
            new = list(dict.fromkeys(keys))
        if new:
            self._learn(new)
        matches = [(m_id, i, i + 1) for i, k in enumerate(keys) for m_id in self.cache[k]]
        if self.n_multi:
            matches += self.multi(doc, allow_missing=True, as_spans=False)
        out = [(self.rule_of[m_id], m_id, s, e) for m_id, s, e in matches]
        out.sort()
        return out


def fast_attribute_ruler(nlp):
    """Give the pipeline's ``attribute_ruler`` the :class:`CachedRulerMatch` of its rules; return ``nlp``.

    Examples
    --------
    >>> from analysis.preprocess import load_nlp
    >>> isinstance(load_nlp().get_pipe("attribute_ruler").match, CachedRulerMatch)
    True
    """
    if "attribute_ruler" in nlp.component_names:
        ruler = nlp.get_pipe("attribute_ruler")
        if not isinstance(ruler.match, CachedRulerMatch):
            ruler.match = CachedRulerMatch(ruler)
    return nlp
