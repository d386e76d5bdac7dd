"""The bag of words packed into flat integer arrays, so its memory does not grow with Python objects.

A bag-of-words corpus held as Python lists costs about 60 bytes per
``(term id, count)`` tuple and about 60 bytes per token string of the
coherence texts; at 30,000 articles that is several hundred megabytes kept
for the whole run. Here both are flat ``numpy`` arrays with document offsets
(compressed sparse rows): 8 bytes per term of a document and 4 bytes per
token (int32 ids and counts, int64 offsets). A document is decoded only when it is read, into exactly the objects
the list held: ``list[tuple[int, int]]`` for :class:`PackedCorpus` (the
output of gensim's ``Dictionary.doc2bow``), ``list[str]`` for
:class:`PackedTexts`. Both are read-only sequences (``len``, indexing,
slicing, iteration, ``==`` with a list), so gensim streams them in chunks.

The arrays are stored next to the Matrix Market corpus of the bag-of-words
cache folder (:func:`save`, :func:`load`).

Example
-------
>>> c = PackedCorpus.from_docs([[(0, 2), (3, 1)], [], [(1, 1)]])
>>> len(c), c[0], c[1], list(c)[2]
(3, [(0, 2), (3, 1)], [], [(1, 1)])
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

#: File names of the packed arrays inside a bag-of-words cache folder.
CORPUS_FILE, TEXTS_FILE = "corpus-packed.npz", "texts-packed.npz"


def offsets(lengths: Iterable[int]) -> np.ndarray:
    """Row offsets (``n + 1`` of them, from 0) of rows of the given lengths.

    Examples
    --------
    >>> offsets([2, 0, 3]).tolist()
    [0, 2, 2, 5]
    """
    return np.concatenate([[0], np.cumsum(np.fromiter(lengths, dtype=np.int64))]).astype(np.int64)


class _Packed(Sequence):
    """Rows of a flat array between ``offsets[i]`` and ``offsets[i + 1]``; subclasses decode a row."""

    def __init__(self, offsets: np.ndarray):
        self.offsets = np.asarray(offsets, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @abstractmethod
    def _row(self, i: int):
        """Document ``i`` decoded (each subclass says into what)."""

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._row(j) for j in range(*i.indices(len(self)))]
        n = len(self)
        j = int(i) + n if int(i) < 0 else int(i)
        if not 0 <= j < n:
            raise IndexError(f"document index {i} out of range for {n} documents")
        return self._row(j)

    def __iter__(self) -> Iterator:
        for j in range(len(self)):
            yield self._row(j)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  - mutable-looking sequence: unhashable like a list

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} documents)"


class PackedCorpus(_Packed):
    """A bag-of-words corpus: document ``i`` is ``[(term_id, count), ...]`` as ``doc2bow`` gave it.

    Examples
    --------
    >>> c = PackedCorpus.from_docs([[(2, 1), (5, 3)]])
    >>> c[0] == [(2, 1), (5, 3)] and type(c[0][0][0]) is int
    True
    """

    def __init__(self, offsets: np.ndarray, ids: np.ndarray, counts: np.ndarray):
        super().__init__(offsets)
        self.ids, self.counts = np.asarray(ids, dtype=np.int32), np.asarray(counts, dtype=np.int32)

    @classmethod
    def from_docs(cls, docs: Iterable[Sequence[tuple[int, float]]]) -> PackedCorpus:
        """Pack documents of ``(term_id, count)`` pairs (counts must be whole numbers)."""
        lengths, ids, counts = [], [], []
        for doc in docs:
            lengths.append(len(doc))
            for term, n in doc:
                ids.append(int(term))
                counts.append(int(n))
                if n != int(n):
                    raise ValueError(f"count {n!r} of term {term} is not a whole number")
        return cls(offsets(lengths), np.array(ids, dtype=np.int32), np.array(counts, dtype=np.int32))

    def _row(self, i: int) -> list[tuple[int, int]]:
        a, b = self.offsets[i], self.offsets[i + 1]
        return list(zip(self.ids[a:b].tolist(), self.counts[a:b].tolist(), strict=True))


class PackedTexts(_Packed):
    """Token lists (for coherence): document ``i`` is ``[token, ...]``, each token a term of ``vocab``.

    Examples
    --------
    >>> t = PackedTexts.from_texts([["court", "hear", "court"], []], {"court": 0, "hear": 1}, ["court", "hear"])
    >>> t[0], t[1], t == [["court", "hear", "court"], []]
    (['court', 'hear', 'court'], [], True)
    """

    def __init__(self, offsets: np.ndarray, ids: np.ndarray, vocab: Sequence[str]):
        super().__init__(offsets)
        self.ids, self.vocab = np.asarray(ids, dtype=np.int32), list(vocab)

    @classmethod
    def from_texts(cls, texts: Iterable[Sequence[str]], token2id: dict[str, int],
                   vocab: Sequence[str]) -> PackedTexts:
        """Pack token lists whose every token is a key of ``token2id`` (``vocab[token2id[w]] == w``)."""
        lengths, ids = [], []
        for text in texts:
            lengths.append(len(text))
            ids.extend(token2id[w] for w in text)
        return cls(offsets(lengths), np.array(ids, dtype=np.int32), vocab)

    def _row(self, i: int) -> list[str]:
        vocab = self.vocab
        return [vocab[j] for j in self.ids[self.offsets[i]:self.offsets[i + 1]].tolist()]


def save(folder: Path, corpus: PackedCorpus, texts: PackedTexts) -> None:
    """Write both packed arrays into ``folder`` (the vocabulary is the folder's gensim dictionary)."""
    np.savez(folder / CORPUS_FILE, offsets=corpus.offsets, ids=corpus.ids, counts=corpus.counts)
    np.savez(folder / TEXTS_FILE, offsets=texts.offsets, ids=texts.ids)


def load(folder: Path, dictionary) -> tuple[PackedCorpus, PackedTexts]:
    """The packed corpus and texts of ``folder``, given its gensim ``Dictionary``.

    A folder written before the packed arrays existed has only ``corpus.mm`` and
    ``texts.json``: those are read and packed once, in memory.
    """
    vocab = [dictionary[i] for i in range(len(dictionary))]
    if (folder / CORPUS_FILE).is_file() and (folder / TEXTS_FILE).is_file():
        with np.load(folder / CORPUS_FILE) as c, np.load(folder / TEXTS_FILE) as t:
            return (PackedCorpus(c["offsets"], c["ids"], c["counts"]),
                    PackedTexts(t["offsets"], t["ids"], vocab))
    from gensim.corpora import MmCorpus

    texts = json.loads((folder / "texts.json").read_text())
    return (PackedCorpus.from_docs(MmCorpus(str(folder / "corpus.mm"))),
            PackedTexts.from_texts(texts, dictionary.token2id, vocab))


def materialised(docs: Sequence) -> list:
    """``docs`` as a plain list (a packed sequence decoded; a list returned as it is)."""
    return docs if isinstance(docs, list) else list(docs)
