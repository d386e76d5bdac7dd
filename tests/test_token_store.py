"""The streamed token cache: parallel parsing, row groups of whole documents, reuse of an old cache by row group."""

from __future__ import annotations

import warnings

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import corpus, preprocess, token_store
from tests.conftest import write_corpus

N = 9
TEXTS = {f"d{i}": f"Document {i} says the actress sued the studio. " * (1 + i % 3)
         + ("The producer denied it.\nA board met." if i % 2 else "") for i in range(N)}
DOCS = "doc_id,region\n" + "".join(f"d{i},x\n" for i in range(N))


def _load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return corpus.load(path)


@pytest.fixture
def small_chunks(monkeypatch):
    """Two documents per parse task and three per row group, so a small corpus has several of each."""
    monkeypatch.setattr(preprocess, "PARSE_CHUNK_DOCS", 2)
    monkeypatch.setattr(preprocess, "CHUNK_DOCS", 3)


def _table_file(cache):
    files = list(cache.glob("tokens-*.parquet"))
    assert len(files) == 1
    return files[0]


def test_two_worker_processes_write_the_same_bytes_as_one(tmp_path, small_chunks):
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    one = preprocess.tokens(c, cache_dir=tmp_path / "w1", progress=False, workers=1, batch_size=1)
    two = preprocess.tokens(c, cache_dir=tmp_path / "w2", progress=False, workers=2, batch_size=1)
    assert one.equals(two)
    assert _table_file(tmp_path / "w1").read_bytes() == _table_file(tmp_path / "w2").read_bytes()
    assert list(one["doc_id"].unique()) == [f"d{i}" for i in range(N)]


def test_row_groups_hold_whole_documents(tmp_path, small_chunks):
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False, workers=1)
    f = pq.ParquetFile(_table_file(tmp_path / "cache"))
    groups = [f.read_row_group(g, columns=["doc_id"]).column("doc_id").to_pylist() for g in range(f.num_row_groups)]
    assert [list(dict.fromkeys(g)) for g in groups] == [["d0", "d1", "d2"], ["d3", "d4", "d5"], ["d6", "d7", "d8"]]


def test_reuse_reads_row_groups_never_the_whole_old_cache(tmp_path, small_chunks, monkeypatch):
    cache = tmp_path / "cache"
    c1 = _load(write_corpus(tmp_path / "c1", DOCS, TEXTS))
    preprocess.tokens(c1, cache_dir=cache, progress=False, workers=1)
    # reversed order, one text changed, one text repeated under a new id
    edited = {**TEXTS, "d4": "An edited article about a lawsuit."}
    order = [f"d{i}" for i in reversed(range(N))] + ["copy"]
    texts2 = {d: edited[d] for d in order[:-1]} | {"copy": TEXTS["d1"]}
    c2 = _load(write_corpus(tmp_path / "c2", "doc_id,region\n" + "".join(f"{d},x\n" for d in order), texts2))
    seen = []
    real = preprocess._parse
    monkeypatch.setattr(preprocess, "_parse", lambda items, *a, **k: (seen.extend(items), real(items, *a, **k))[1])

    def whole(*a, **k):
        raise AssertionError("the old token cache was read whole")

    with monkeypatch.context() as m:
        m.setattr(pq, "read_table", whole)
        m.setattr(pq.ParquetFile, "read", whole)
        got = pd.concat(preprocess.iter_tokens(c2, cache_dir=cache, progress=False, workers=1), ignore_index=True)
    assert [d for d, _, _ in seen] == ["d4"]
    fresh = preprocess.tokens(c2, cache_dir=tmp_path / "fresh", progress=False, workers=1)
    assert got.equals(fresh)
    assert (got.loc[got["doc_id"] == "copy", "text"].tolist() == got.loc[got["doc_id"] == "d1", "text"].tolist())


def test_iter_document_chunks_keeps_a_document_split_across_row_groups(tmp_path):
    t = pa.table({"doc_id": ["a", "a", "a", "b", "c", "c"], "x": [1, 2, 3, 4, 5, 6]})
    path = tmp_path / "t.parquet"
    pq.write_table(t, path, row_group_size=2)           # groups: a a | a b | c c
    for n, expected in ((1, [3, 1, 2]), (2, [4, 2]), (5, [6])):
        parts = list(token_store.iter_document_chunks(path, None, n))
        assert [p.num_rows for p in parts] == expected
        assert pa.concat_tables(parts).equals(t)


def test_group_documents_caps_rows_but_never_splits_a_document():
    tables = [pa.table({"doc_id": [d] * n}) for d, n in (("a", 3), ("b", 1), ("c", 5), ("d", 1))]
    groups = list(token_store.group_documents(tables, docs_per_group=3, max_rows=4))
    assert [g.column("doc_id").to_pylist() for g in groups] == [["a"] * 3 + ["b"], ["c"] * 5, ["d"]]


def test_workers_receive_the_line_sentence_rule_of_the_caller():
    text = "Court rules on appeal\nThe actress filed a complaint."
    on = preprocess.parse_chunk([("a", "h", text)], line_sentences=True)[0]
    off = preprocess.parse_chunk([("a", "h", text)], line_sentences=False)[0]
    assert on.column("sent").to_pylist() != off.column("sent").to_pylist()
    assert max(on.column("sent").to_pylist()) == 1


EDGE_TEXTS = ["", "   ", "\n\n", "Ms. Ümit Özdemir SUED Netflix Inc. on 3 May 2018.\nBy Staff\n\nShe said: “No.”",
              "THE ACTRESS ACCUSED THE PRODUCER", "a\tb  c\r\nd"]


def test_to_array_conversion_equals_the_per_token_reference_on_edge_cases():
    nlp = preprocess.load_nlp()
    for n, doc in enumerate(nlp.pipe(EDGE_TEXTS)):
        ref = pa.table(token_store.doc_columns_reference(doc, f"e{n}", "h", preprocess.TOKEN_SCHEMA.names),
                       schema=preprocess.TOKEN_SCHEMA)
        assert preprocess.doc_table(doc, f"e{n}", "h").equals(ref), EDGE_TEXTS[n]
    assert preprocess.doc_tokens(nlp("She won."), "d", "h") == token_store.doc_columns_reference(
        nlp("She won."), "d", "h", preprocess.TOKEN_SCHEMA.names)


def test_token_cache_of_the_teaching_corpus_is_byte_identical_to_the_per_token_conversion(tmp_path, teaching):
    c = teaching
    preprocess.tokens(c, cache_dir=tmp_path / "new", progress=False, workers=1)
    nlp = preprocess.load_nlp()
    docs = nlp.pipe(c.docs["text"].tolist(), batch_size=64)
    ref = [pa.table(token_store.doc_columns_reference(doc, d, h, preprocess.TOKEN_SCHEMA.names),
                    schema=preprocess.TOKEN_SCHEMA)
           for doc, d, h in zip(docs, c.docs["doc_id"], c.docs["text_hash"], strict=True)]
    assert c.docs["text_hash"].is_unique
    target = tmp_path / "ref" / "tokens.parquet"
    target.parent.mkdir()
    preprocess._atomic_parquet(target, token_store.group_documents(ref, preprocess.CHUNK_DOCS))
    assert _table_file(tmp_path / "new").read_bytes() == target.read_bytes()


def test_cached_attribute_ruler_matches_equal_the_rulers_own_on_the_teaching_corpus(teaching):
    nlp = preprocess.load_nlp()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match, token_store.CachedRulerMatch)
    fresh = token_store.CachedRulerMatch(ruler, max_cache=50)       # also clears its cache on the way
    before = [name for name in nlp.pipe_names if name not in ("attribute_ruler", "lemmatizer", "ner")]
    texts = [*teaching.docs["text"].tolist(), *EDGE_TEXTS, "Y'all gonna sue? Let's go, c'm on. I ain't."]
    for doc in nlp.pipe(texts, disable=[p for p in nlp.pipe_names if p not in before]):
        assert fresh(doc) == type(ruler).match(ruler, doc)
    assert 0 < len(fresh.cache) <= 50 and fresh.n_multi > 0
