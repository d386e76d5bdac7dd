"""Preprocessing: token table, cache hits, invalidation when a text or a parameter changes."""

from __future__ import annotations

import os
import warnings

import pandas as pd
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


def test_the_installed_model_loads_with_only_the_requested_pipes_and_is_in_the_manifest():
    """One of MODEL_NAMES is installed, loads with the requested components, and is recorded with its version."""
    from analysis import provenance

    nlp = preprocess.load_nlp(("tok2vec", "tagger", "attribute_ruler", "lemmatizer"))
    assert nlp.meta["name"].startswith("core_web_sm") and nlp.meta["lang"] == "en"
    assert "parser" not in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    model = provenance.spacy_model()
    assert model["name"] in {n.replace("_", "-") for n in preprocess.MODEL_NAMES}
    assert model["version"] == nlp.meta["version"]


# --------------------------------------------------------------------------- issue 11 and 15 rows

LOOSE = dict(min_df=1, max_df_share=1.0, phrases=0)


def test_line_break_ends_a_sentence(tmp_path):
    c = _load(write_corpus(tmp_path / "c", "doc_id,region\na,x\n",
                           {"a": "Court rules on appeal\nThe actress filed a complaint. The court heard it."}))
    tok = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    first = tok[tok["sent"] == 0]["text"].str.strip().tolist()
    assert first[-1] == "" or first[-1] == "appeal"
    assert "The" == tok[(tok["sent"] == 1)]["text"].iloc[0]
    assert "line_sentences" in preprocess.pipeline_signature()


def test_token_cache_cleans_temporaries_of_dead_processes(tmp_path):
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    cache = tmp_path / "cache"
    cache.mkdir()
    orphan = cache / ".tokens-abc.parquet.tmp-999999999-x.parquet"
    orphan.write_bytes(b"half")
    os.utime(orphan, (0, 0))                     # left long ago (fresh files are never touched)
    preprocess.tokens(c, cache_dir=cache, progress=False)
    assert not orphan.exists()
    assert [p.name for p in cache.iterdir() if ".tmp-" in p.name] == []


def test_token_tables_of_another_pipeline_signature_are_not_reused(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    preprocess.tokens(c, cache_dir=cache, progress=False)
    monkeypatch.setattr(preprocess, "LINE_SENTENCES", False)
    seen = []
    real = preprocess._parse
    monkeypatch.setattr(preprocess, "_parse", lambda items, *a, **k: (seen.extend(items), real(items, *a, **k))[1])
    preprocess.tokens(c, cache_dir=cache, progress=False)
    assert sorted(d for d, _, _ in seen) == ["a", "b"]


ART_DOCS = ("doc_id,region,outlet,author,url,case_id\n"
            + "".join(f"h{i},x,Indus Herald,Quill Bureau,https://www.indusherald.example/{i},{'c1' if i < 4 else 'c3'}\n"
                      for i in range(12))
            + "".join(f"r{i},y,Ravi Times,Omar Qazi,https://ravitimes.example/{i},c2\n" for i in range(12)))
ART_TEXTS = {
    **{f"h{i}": ("Crimson Studios fired the producer. " if i < 4 else "")
       + "The Indus Herald learned on Monday of the complaint against the producer. "
         "Indusherald readers saw it. Bureau editors wrote that the tribunal met in March. "
         "Karachi courts will march on. Template footer disclaimer." for i in range(12)},
    **{f"r{i}": "Ravi Times reports a complaint against the producer. The tribunal met. "
                "Karachi lawyers spoke." for i in range(12)},
}


def test_artefact_rules_remove_sources_not_stories(tmp_path):
    c = _load(write_corpus(tmp_path / "c", ART_DOCS, ART_TEXTS))
    bow = preprocess.bag_of_words(c, params=preprocess.BowParams(**LOOSE), cache_dir=tmp_path / "cache")
    vocab = set(bow.dictionary.token2id)
    assert {"complaint", "producer", "tribunal", "karachi"} <= vocab        # story words and a bare place stay
    assert not vocab & {"herald", "indus", "indusherald", "ravi", "monday", "bureau", "crimson", "footer"}
    report = preprocess.removal_report(bow).set_index("rule")
    assert list(report.index[:5]) == ["outlet_names", "calendar_names", "author_names", "outlet_concentrated",
                                      "case_concentrated"]
    assert report.loc["outlet_names", "tokens"] == 12 * 3 + 12 * 2        # Indus Herald, Indusherald; Ravi Times
    assert report.loc["calendar_names", "tokens"] == 24                    # Monday, March (lower "march" stays)
    assert report.loc["author_names", "tokens"] == 12
    assert report.loc["case_concentrated", "examples"].split()[:1] == ["crimson"]
    off = preprocess.BowParams(**LOOSE, drop_outlet_names=False, drop_calendar=False, drop_author_names=False,
                               outlet_concentration=0, case_concentration=0)
    raw = preprocess.bag_of_words(c, params=off, cache_dir=tmp_path / "cache")
    assert {"herald", "monday", "bureau", "crimson", "footer"} <= set(raw.dictionary.token2id)
    assert (preprocess.removal_report(raw)["tokens"].iloc[:5] == 0).all()


def test_concentration_test_respects_group_size():
    from analysis.artefacts import _concentrated

    kept = pd.DataFrame({"doc_id": [f"d{i}" for i in range(6)], "lemma": ["w"] * 6})
    big = pd.Series(["a"] * 6 + ["b"] * 2, index=[f"d{i}" for i in range(8)])
    # all six documents in group a, but a holds 75% of the corpus: P(X >= 6) = 0.178, not concentrated
    assert _concentrated(kept, big, 0.9, 3, 0.001) == set()
    even = pd.Series(["a"] * 6 + list("bcdefghijklmnopqrstu"), index=[f"d{i}" for i in range(26)])
    assert _concentrated(kept, even, 0.9, 3, 0.001) == {"w"}


def test_text_without_content_words_is_left_out_with_a_warning(tmp_path):
    # (punctuation-only texts are already excluded by the loader; this one has words but no content lemma)
    docs = "doc_id,region\na,x\nb,y\np,x\n"
    c = _load(write_corpus(tmp_path / "c", docs, {**TEXTS, "p": "It is what it is, and so on... !!"}))
    with pytest.warns(corpus.CorpusWarning, match="left out of the topic model: p"):
        bow = preprocess.bag_of_words(c, params=preprocess.BowParams(**LOOSE), cache_dir=tmp_path / "cache")
    assert bow.doc_ids == ["a", "b"] and len(bow.corpus) == 2 and bow.excluded == {
        "p": "no terms left after preprocessing"}
    row = preprocess.removal_report(bow).set_index("rule").loc["empty_documents"]
    assert row["terms"] == 1 and row["examples"] == "p"
    again = preprocess.bag_of_words(c, params=preprocess.BowParams(**LOOSE), cache_dir=tmp_path / "cache")
    assert again.excluded == bow.excluded and again.doc_ids == ["a", "b"]


def test_identical_texts_get_one_token_table_each(tmp_path):
    docs = "doc_id,region\na,x\nb,y\nc,y\n"
    c = _load(write_corpus(tmp_path / "c", docs, {**TEXTS, "c": TEXTS["b"]}))
    tok = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    per_doc = tok.groupby("doc_id").size()
    assert per_doc["b"] == per_doc["c"] and tok.groupby("doc_id")["i"].apply(lambda s: s.is_unique).all()


def test_token_chunks_hold_whole_documents_and_concatenate_to_the_table(tmp_path):
    texts = {f"d{i}": f"Document {i} says the actress sued. " * (1 + i % 3) for i in range(7)}
    docs = "doc_id,region\n" + "".join(f"d{i},x\n" for i in range(7))
    c = _load(write_corpus(tmp_path / "c", docs, texts))
    full = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    parts = list(preprocess.iter_tokens(c, docs_per_chunk=3, cache_dir=tmp_path / "cache", progress=False))
    assert [p["doc_id"].nunique() for p in parts] == [3, 3, 1]
    assert pd.concat(parts, ignore_index=True).equals(full)
    lemmas = list(preprocess.iter_tokens(c, columns=["lemma"], docs_per_chunk=3, cache_dir=tmp_path / "cache",
                                         progress=False))
    assert list(lemmas[0].columns) == ["doc_id", "lemma"]


def test_streamed_bag_of_words_equals_filtering_the_whole_table(tmp_path, monkeypatch):
    """Chunk by chunk (names counted across chunks, concentration over all) = the whole table at once."""
    from analysis.artefacts import artefact_rules

    texts = {**ART_TEXTS, "h0": "Hina Baloch sued the producer. " + ART_TEXTS["h0"],
             "r9": "Hina Baloch spoke to the tribunal. " + ART_TEXTS["r9"]}
    c = _load(write_corpus(tmp_path / "c", ART_DOCS, texts))
    params = preprocess.BowParams(**LOOSE)
    full = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    content = preprocess._content_mask(full, params)
    rule, report = artefact_rules(full, c.docs, params.artefacts(), content)
    grouped = full.loc[content & (rule == "")].groupby("doc_id", sort=False)["lemma"].agg(list)
    monkeypatch.setattr(preprocess, "CHUNK_DOCS", 5)
    assert len(list(preprocess.iter_tokens(c, cache_dir=tmp_path / "cache", progress=False, docs_per_chunk=5))) == 5
    bow = preprocess.bag_of_words(c, params=params, cache_dir=tmp_path / "cache", progress=False)
    assert "baloch" not in bow.dictionary.token2id and "crimson" not in bow.dictionary.token2id
    assert bow.texts == [grouped.get(d, []) for d in bow.doc_ids]
    assert bow.rules[:5] == report.to_dict("records")
    given = preprocess.bag_of_words(c, full, params=params, cache_dir=tmp_path / "other", progress=False)
    assert given.texts == bow.texts and given.corpus == bow.corpus and given.rules == bow.rules


def test_person_names_are_counted_across_chunks():
    """A lemma tagged as a person once in each of two chunks (twice in all) is dropped everywhere."""
    def chunk(doc, words, ents):
        n = len(words)
        return pd.DataFrame({"doc_id": [doc] * n, "text": [w.capitalize() for w in words], "lemma": words,
                             "pos": ["PROPN"] * n, "ent": ents, "is_stop": [False] * n, "is_alpha": [True] * n})

    chunks = [chunk("a", ["weinstein", "court"], ["PERSON", ""]), chunk("b", ["weinstein"], ["PERSON"]),
              chunk("c", ["weinstein", "court"], ["", ""])]
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"]})
    kept, report = preprocess._content_rows(chunks, docs, preprocess.BowParams(**LOOSE))
    assert kept["lemma"].tolist() == ["court", "court"] and kept["doc_id"].tolist() == ["a", "c"]
    assert [r["rule"] for r in report] == ["outlet_names", "calendar_names", "author_names",
                                           "outlet_concentrated", "case_concentrated"]


def test_sentencizer_option_replaces_senter_keeps_the_line_rule_and_enters_the_cache_key(tmp_path, monkeypatch):
    nlp = preprocess.load_nlp(sentences="sentencizer")
    assert "sentencizer" in nlp.pipe_names and "senter" not in nlp.pipe_names
    assert nlp.pipe_names.index("line_sentences") < nlp.pipe_names.index("sentencizer")
    doc = nlp("Court rules on appeal\nThe actress filed a complaint. The studio denied it.")
    assert [s.text.strip() for s in doc.sents] == ["Court rules on appeal", "The actress filed a complaint.",
                                                   "The studio denied it."]
    with pytest.raises(ValueError, match="sentences must be one of"):
        preprocess.load_nlp(sentences="parser")
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    default_path, default_signature = preprocess.tokens_path(c), preprocess.pipeline_signature()
    assert "|sentences=" not in default_signature                # the default keeps earlier caches valid
    monkeypatch.setattr(preprocess, "SENTENCES", "sentencizer")
    assert preprocess.tokens_path(c) != default_path
    assert preprocess.pipeline_signature() == default_signature + "|sentences=sentencizer"
    seen = {}
    monkeypatch.setattr(preprocess.parallel, "imap_chunks",
                        lambda func, items, **k: seen.setdefault("kw", func.keywords) and iter(()))
    list(preprocess._parse([("a", "h", "Text.")], 1, 64, False))
    assert seen["kw"]["sentences"] == "sentencizer"
