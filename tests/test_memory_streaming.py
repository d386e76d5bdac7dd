"""The bag of words packed into integer arrays (issue 14): the same documents, the same topics, the same tables.

The packed corpus and texts (:mod:`analysis.bow_store`) replace Python lists of the whole corpus; every
topic table computed from them must be identical to the one computed from the lists they replace.
"""

from __future__ import annotations

import json
import pickle
import shutil
import sys
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis import bow_store, preprocess, topic_selection, topics
from analysis.bow_store import PackedCorpus, PackedTexts


@pytest.fixture(scope="module")
def built(teaching, tmp_path_factory):
    """(packed bag of words of the teaching corpus, its cache folder), built in a folder of the module's own."""
    cache = tmp_path_factory.mktemp("bow")
    tok = preprocess.tokens(teaching, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bow = preprocess.bag_of_words(teaching, tok, cache_dir=cache)
    return bow, cache / f"bow-{bow.key}"


@pytest.fixture(scope="module")
def listed(built):
    """The same bag of words as plain lists (the representation of earlier versions), from the folder's files."""
    from gensim.corpora import MmCorpus

    bow, folder = built
    corpus = [[(int(i), int(n)) for i, n in doc] for doc in MmCorpus(str(folder / "corpus.mm"))]
    return replace(bow, texts=json.loads((folder / "texts.json").read_text()), corpus=corpus)


def test_packed_documents_decode_to_the_lists_they_replace():
    docs = [[(0, 2), (3, 1)], [], [(1, 7)]]
    c = PackedCorpus.from_docs(docs)
    assert list(c) == docs and c == docs and docs == c and len(c) == 3
    assert c[-1] == [(1, 7)] and c[0:2] == docs[0:2] and [c[i] for i in (2, 0)] == [docs[2], docs[0]]
    assert all(type(v) is int for doc in c for pair in doc for v in pair)
    assert c != [[(0, 2), (3, 1)], [], [(1, 6)]] and c != docs[:2]
    with pytest.raises(IndexError):
        c[3]
    with pytest.raises(ValueError, match="whole number"):
        PackedCorpus.from_docs([[(0, 1.5)]])
    t = PackedTexts.from_texts([["b", "a", "b"], []], {"a": 0, "b": 1}, ["a", "b"])
    assert list(t) == [["b", "a", "b"], []] and t[0] == ["b", "a", "b"] and t[-1] == []


def test_the_bag_of_words_is_packed_and_holds_the_documents_of_its_cache_files(built, listed, teaching):
    bow, folder = built
    assert isinstance(bow.corpus, PackedCorpus) and isinstance(bow.texts, PackedTexts)
    assert bow.corpus == listed.corpus and bow.texts == listed.texts
    assert len(bow.corpus) == len(bow.doc_ids) == len(bow.texts) > 100
    # every text token is a term of the dictionary, and each document's counts are its text's
    for text, doc in zip(bow.texts, bow.corpus, strict=True):
        assert sorted(bow.dictionary.doc2bow(text)) == doc
    # read back from the cache folder: packed again, equal, same key
    again = preprocess.bag_of_words(teaching, cache_dir=folder.parent, progress=False)
    assert again.key == bow.key and isinstance(again.corpus, PackedCorpus)
    assert again.corpus == bow.corpus and again.texts == bow.texts and again.doc_ids == bow.doc_ids
    # a fraction of the memory of the lists
    packed = sum(a.nbytes for a in (bow.corpus.offsets, bow.corpus.ids, bow.corpus.counts))
    lists = sys.getsizeof(listed.corpus) + sum(sys.getsizeof(d) + sum(map(sys.getsizeof, d)) for d in listed.corpus)
    assert packed * 5 < lists
    assert pickle.loads(pickle.dumps(bow.corpus)) == bow.corpus and pickle.loads(pickle.dumps(bow.texts)) == bow.texts


def test_a_cache_folder_of_an_earlier_version_reads_the_same(built, tmp_path):
    bow, folder = built
    old = tmp_path / folder.name
    shutil.copytree(folder, old)
    for name in (bow_store.CORPUS_FILE, bow_store.TEXTS_FILE):
        (old / name).unlink()
    read = preprocess._read_bow(old, bow.params, bow.key)
    assert isinstance(read.corpus, PackedCorpus) and read.corpus == bow.corpus and read.texts == bow.texts
    assert read.rules == bow.rules and read.removed == bow.removed and read.excluded == bow.excluded


def test_topic_tables_are_identical_to_those_of_the_lists(built, listed):
    bow = built[0]
    a = topics.fit(bow, 5, seed=3, passes=2, cache=False)
    b = topics.fit(listed, 5, seed=3, passes=2, cache=False)
    assert np.array_equal(a.phi, b.phi) and np.array_equal(a.gamma, b.gamma)
    assert np.array_equal(topics.term_shares(bow), topics.term_shares(listed))
    pd.testing.assert_frame_equal(topics.label(a), topics.label(b))
    pd.testing.assert_frame_equal(topics.doc_topics(a), topics.doc_topics(b))
    assert topics.topic_labels(a) == topics.topic_labels(b)
    assert topics.ldavis_html(a) == topics.ldavis_html(b)
    assert topics.coherence(a) == topics.coherence(b)
    assert topics.supported_k(bow) == topics.supported_k(listed)


def test_chunked_fit_and_selection_are_identical_to_those_of_the_lists(built, listed, tmp_path):
    bow = built[0]
    chunked = [topics.fit(x, 4, seed=2, passes=2, chunk_docs=60, cache=False) for x in (bow, listed)]
    assert np.array_equal(chunked[0].phi, chunked[1].phi) and np.array_equal(chunked[0].gamma, chunked[1].gamma)
    sub = [topics.sample_bag(x, 80, seed=5) for x in (bow, listed)]
    assert sub[0].corpus == sub[1].corpus and sub[0].texts == sub[1].texts and sub[0].key == sub[1].key
    assert isinstance(sub[0].corpus, list) and isinstance(sub[0].texts, list)    # only the sample is decoded
    kw = {"seed": 2, "passes": 1, "n_seeds": 2, "workers": 1, "progress": False}
    for sample_docs in (None, 90):
        one = topic_selection.select_k(bow, (4, 5), sample_docs=sample_docs, cache_dir=tmp_path / "a", **kw)
        two = topic_selection.select_k(listed, (4, 5), sample_docs=sample_docs, cache_dir=tmp_path / "b", **kw)
        pd.testing.assert_frame_equal(one[0], two[0])
        assert one[1:] == two[1:]
    s1 = topic_selection.stability(bow, 4, [3, 4], passes=1, progress=False, sample_docs=90,
                                   cache_dir=tmp_path / "a")
    s2 = topic_selection.stability(listed, 4, [3, 4], passes=1, progress=False, sample_docs=90,
                                   cache_dir=tmp_path / "b")
    pd.testing.assert_frame_equal(s1, s2)
