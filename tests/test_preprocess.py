"""Preprocessing: token table, cache hits, invalidation when a text or a parameter changes."""

from __future__ import annotations

import warnings

import pytest

from analysis import corpus, preprocess
from tests.conftest import write_corpus

DOCS = "doc_id,region\na,x\nb,y\n"
TEXTS = {"a": "The actress filed a complaint with the Ombudsperson. The court heard the case.",
         "b": "Producers shelved the film after the allegations. The release was postponed."}


def _load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return corpus.load(path)


def test_token_table_rebuilds_text(tmp_path):
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    tok = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    a = tok[tok["doc_id"] == "a"]
    assert "".join(a["text"] + a["ws"]).strip() == TEXTS["a"]
    assert a["sent"].max() == 1
    assert "file" in set(a["lemma"]) and "actress" in set(a["lemma"])


def test_second_run_reads_the_cache(tmp_path, monkeypatch):
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    first = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)

    def boom(*a, **k):
        raise AssertionError("parsed again although the cache was valid")

    monkeypatch.setattr(preprocess, "_parse", boom)
    second = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    assert first.equals(second)


def test_changed_text_reparses_only_that_document(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    c1 = _load(write_corpus(tmp_path / "c1", DOCS, TEXTS))
    preprocess.tokens(c1, cache_dir=cache, progress=False)
    c2 = _load(write_corpus(tmp_path / "c2", DOCS, {**TEXTS, "b": "A changed article about a lawsuit."}))
    seen = []
    real = preprocess._parse

    def spy(items, *a, **k):
        seen.extend(d for d, _, _ in items)
        return real(items, *a, **k)

    monkeypatch.setattr(preprocess, "_parse", spy)
    tok = preprocess.tokens(c2, cache_dir=cache, progress=False)
    assert seen == ["b"]
    assert "lawsuit" in set(tok.loc[tok["doc_id"] == "b", "lemma"])
    assert "shelve" not in set(tok.loc[tok["doc_id"] == "b", "lemma"])
    assert len(list(cache.glob("tokens-*.parquet"))) == 1


def test_bag_of_words_cache_is_keyed_by_parameters(tmp_path):
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    cache = tmp_path / "cache"
    loose = preprocess.BowParams(min_df=1, max_df_share=1.0, phrases=0)
    bow1 = preprocess.bag_of_words(c, params=loose, cache_dir=cache)
    again = preprocess.bag_of_words(c, params=loose, cache_dir=cache)
    assert again.key == bow1.key and again.texts == bow1.texts
    stricter = preprocess.bag_of_words(c, params=preprocess.BowParams(min_df=1, max_df_share=1.0, phrases=0,
                                                                     extra_stopwords=("court",)), cache_dir=cache)
    assert stricter.key != bow1.key
    assert "court" in bow1.dictionary.token2id and "court" not in stricter.dictionary.token2id


def test_stopwords_and_names_are_removed(tmp_path):
    c = _load(write_corpus(tmp_path / "c", "doc_id,region\na,x\n",
                           {"a": "Hina Baloch said the court dismissed the case. Baloch said she would appeal."}))
    bow = preprocess.bag_of_words(c, params=preprocess.BowParams(min_df=1, max_df_share=1.0, phrases=0),
                                  cache_dir=tmp_path / "cache")
    vocab = set(bow.dictionary.token2id)
    assert {"court", "dismiss", "appeal"} <= vocab
    assert not vocab & {"say", "the", "baloch", "hina"}


@pytest.mark.parametrize("name", preprocess.MODEL_NAMES)
def test_model_names_are_the_documented_ones(name):
    assert name.startswith("en_core_web_sm")
