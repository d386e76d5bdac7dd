"""Exact and near-duplicate documents: text hashes and MinHash LSH clusters.

Exact duplicates share the SHA-256 of their normalised text (Unicode NFKC,
case-folded, punctuation removed, whitespace collapsed). Near duplicates (the
same wire story in many outlets, with a different headline or last line) are
found with MinHash signatures of word shingles (Broder 1997) and
locality-sensitive hashing (datasketch's ``MinHashLSH``; Leskovec, Rajaraman
& Ullman 2014, ch. 3); a candidate pair is kept when its estimated Jaccard
similarity reaches ``threshold``, and clusters are the connected components
of kept pairs, named by their smallest ``doc_id`` so that the id does not
depend on input order.

Example
-------
>>> t = {"b": "the same wire story about a court case in lahore today",
...      "a": "The same wire story, about a court case in Lahore today!",
...      "c": "a different story entirely about a film festival in mumbai"}
>>> find_duplicates(t).to_dict("list")["exact_duplicate_of"]
['', 'a', '']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pandas as pd
from datasketch import MinHash, MinHashLSH

from analysis.errors import UsageError
from analysis.io import sha256_text

COLUMNS = ["doc_id", "exact_duplicate_of", "near_duplicate_cluster"]


def normalise(text: str) -> str:
    """NFKC, case-folded, letters and digits only, single spaces.

    Examples
    --------
    >>> normalise("  “Me Too,” she SAID.\\n")
    'me too she said'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


def shingles(text: str, size: int = 3) -> set[str]:
    """Word ``size``-grams of the normalised text (the whole text if it is shorter).

    Examples
    --------
    >>> sorted(shingles("a b c d", 3))
    ['a b c', 'b c d']
    """
    words = normalise(text).split()
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def _minhash(grams: set[str], num_perm: int, seed: int) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed)
    m.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return m


def _components(ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Union-find over ``pairs``; each id maps to the smallest id of its component."""
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in ids}


def find_duplicates(texts: Mapping[str, str], *, threshold: float = 0.8, num_perm: int = 128,
                    seed: int = 1, shingle: int = 3) -> pd.DataFrame:
    """Flag exact duplicates and near-duplicate clusters.

    Parameters
    ----------
    texts : mapping doc_id -> text
    threshold : float
        Jaccard similarity of word-shingle sets at which two documents are
        near duplicates (0 < threshold <= 1).
    num_perm : int
        MinHash permutations (more: a closer Jaccard estimate, slower).
    seed : int
        MinHash seed (results are reproducible for a given seed).
    shingle : int
        Words per shingle.

    Returns
    -------
    DataFrame
        ``doc_id`` (sorted), ``exact_duplicate_of`` (the smallest doc_id with
        the same normalised text, ``""`` for that one and for unique texts),
        ``near_duplicate_cluster`` (smallest doc_id of the cluster, ``""``
        for a document in no cluster). Empty texts are never duplicates.

    Examples
    --------
    >>> find_duplicates({"x": "one two three four", "y": "five six seven eight"}).near_duplicate_cluster.tolist()
    ['', '']
    """
    if not 0 < threshold <= 1:
        raise UsageError(f"find_duplicates: threshold must be in (0, 1], got {threshold!r}")
    if num_perm < 16 or shingle < 1:
        raise UsageError(f"find_duplicates: num_perm must be >= 16 and shingle >= 1 (got {num_perm}, {shingle})")
    ids = sorted(texts)
    first_by_hash: dict[str, str] = {}
    exact: dict[str, str] = {}
    for doc_id in ids:
        norm = normalise(texts[doc_id] or "")
        if not norm:
            exact[doc_id] = ""
            continue
        first = first_by_hash.setdefault(sha256_text(norm), doc_id)
        exact[doc_id] = "" if first == doc_id else first
    # candidates at a slightly lower LSH threshold (better recall), then the estimate must reach threshold
    lsh = MinHashLSH(threshold=min(max(threshold - 0.1, 0.05), 0.9), num_perm=num_perm)
    hashes: dict[str, MinHash] = {}
    pairs: list[tuple[str, str]] = []
    for doc_id in ids:
        if exact[doc_id]:
            pairs.append((exact[doc_id], doc_id))
            continue
        grams = shingles(texts[doc_id] or "", shingle)
        if not grams:
            continue
        m = _minhash(grams, num_perm, seed)
        for other in sorted(lsh.query(m)):
            if hashes[other].jaccard(m) >= threshold:
                pairs.append((other, doc_id))
        lsh.insert(doc_id, m)
        hashes[doc_id] = m
    roots = _components(ids, pairs)
    sizes = pd.Series(list(roots.values())).value_counts()
    cluster = [roots[i] if sizes[roots[i]] > 1 else "" for i in ids]
    return pd.DataFrame({"doc_id": ids, "exact_duplicate_of": [exact[i] for i in ids],
                         "near_duplicate_cluster": cluster}, columns=COLUMNS)
