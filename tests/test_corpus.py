"""Corpus loading: the data contract, every bad input named in the foundation issue, properties."""

from __future__ import annotations

import hashlib
import json
import string
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import CorpusError, CorpusWarning, load, summary
from tests.conftest import write_corpus

DOCS = "doc_id,region,date,outlet,genre,case_id,extra\n" \
       "a1,Hollywood,2018-01-02,Ledger,News,c1,keep me\n" \
       "b2,bollywood,2019-05,Chronicle,opinion,none,\n"
CASES = "case_id,region,victims,victim_gender,accused,accused_gender,year,summary\n" \
        "c1,hollywood,Ann;Bea,Female,Carl,male,2017,x\n"
TEXTS = {"a1": "Ann accused Carl of harassment.\r\nHe denied it.", "b2": "A general piece  about #MeToo."}


def _load(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load(path, **kw)


def test_folder_corpus_is_normalised(tmp_path):
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS, CASES))
    d = c.docs.set_index("doc_id")
    assert list(d.index) == ["a1", "b2"]
    assert d.loc["a1", "region"] == "hollywood"             # lower-cased
    assert d.loc["a1", "genre"] == "news"
    assert d.loc["a1", "text"] == "Ann accused Carl of harassment.\nHe denied it."  # CRLF normalised
    assert d.loc["a1", "n_words"] == 8
    assert d.loc["a1", "extra"] == "keep me"                # unknown columns kept
    assert d.loc["a1", "victim_gender"] == "female"         # from cases.csv, normalised
    assert d.loc["b2", "victim_gender"] == "unknown"
    assert pd.isna(d.loc["b2", "case_id"])                  # 'none' means no case
    assert d.loc["b2", "year"] == 2019
    assert c.cases.loc[0, "year"] == 2017
    assert len(c.content_hash) == 64


def test_loading_never_modifies_input(tmp_path):
    root = write_corpus(tmp_path / "c", DOCS, TEXTS, CASES)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    _load(root)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    assert before == after


def test_content_hash_changes_with_text(tmp_path):
    a = _load(write_corpus(tmp_path / "a", DOCS, TEXTS, CASES))
    b = _load(write_corpus(tmp_path / "b", DOCS, {**TEXTS, "b2": "Changed."}, CASES))
    assert a.content_hash != b.content_hash


def test_single_csv_and_jsonl(tmp_path):
    csv_path = tmp_path / "one.csv"
    csv_path.write_text('doc_id,region,text\nx,pakistan,"Line one,\nline two"\n', encoding="utf-8")
    assert _load(csv_path).docs.loc[0, "n_words"] == 4
    jl = tmp_path / "c.jsonl"
    jl.write_text(json.dumps({"doc_id": "j1", "region": "pakistan", "text": "Hi there", "n": 3}) + "\n\n",
                  encoding="utf-8")
    docs = _load(jl).docs
    assert docs.loc[0, "doc_id"] == "j1" and docs.loc[0, "n"] == "3"


def test_text_column_in_documents_csv(tmp_path):
    root = write_corpus(tmp_path / "c", "doc_id,region,text\na,x,Inline text here\n")
    assert _load(root).docs.loc[0, "text"] == "Inline text here"


def test_summary_tables(tmp_path):
    s = summary(_load(write_corpus(tmp_path / "c", DOCS, TEXTS, CASES)))
    assert set(s) >= {"region", "year", "genre", "victim_gender"}
    assert s["region"]["documents"].sum() == 2


BAD = [
    # (name, documents.csv, texts, cases, fragment expected in the message)
    ("missing required column", "doc_id,date\na1,2018-01-01\n", {"a1": "x y"}, None, "required column"),
    ("duplicate doc_id", "doc_id,region\na1,x\nb2,x\na1,y\n", {"a1": "t", "b2": "t"}, None,
     "row 4, column 'doc_id': 'a1' is duplicated (first seen on row 2)"),
    ("missing text file", "doc_id,region\na1,x\nzz,x\n", {"a1": "t"}, None, "row 3, column 'doc_id': no text for 'zz'"),
    ("undecodable bytes", "doc_id,region\na1,x\n", {"a1": b"abc \x81\x8d\x90 def"}, None, "not valid UTF-8"),
    ("binary text", "doc_id,region\na1,x\n", {"a1": b"abc\x00\x01def"}, None, "control character"),
    ("unbalanced quote", 'doc_id,region,title\na1,x,"open quote\nb2,y,t\n', {"a1": "t", "b2": "t"}, None,
     "unbalanced quote"),
    ("ragged row", "doc_id,region\na1,x,extra\n", {"a1": "t"}, None, "row 2: has 3 fields but the header has 2"),
    ("short row", "doc_id,region,date\na1,x\n", {"a1": "t"}, None, "row 2: has 2 fields"),
    ("invalid date", "doc_id,region,date\na1,x,2019-13-45\n", {"a1": "t"}, None,
     "row 2, column 'date': '2019-13-45' is not an ISO 8601 date"),
    ("date words", "doc_id,region,date\na1,x,last Tuesday\n", {"a1": "t"}, None, "not an ISO 8601 date"),
    ("unknown gender", "doc_id,region,case_id\na1,x,c1\n", {"a1": "t"},
     "case_id,victim_gender\nc1,woman\n", "column 'victim_gender': unknown gender label 'woman'"),
    ("case not in registry", "doc_id,region,case_id\na1,x,c9\n", {"a1": "t"},
     "case_id,victim_gender\nc1,female\n", "row 2, column 'case_id': 'c9' is not in cases.csv"),
    ("path-like doc_id", "doc_id,region\n../etc,x\n", {}, None, "is not a valid id"),
    ("empty documents.csv", "", {}, None, "the file is empty"),
    ("header only", "doc_id,region\n", {}, None, "no document rows"),
]


@pytest.mark.parametrize("name,docs,texts,cases,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_clear_error(tmp_path, name, docs, texts, cases, expected):
    root = write_corpus(tmp_path / "c", docs, texts, cases)
    with pytest.raises(CorpusError) as err:
        _load(root)
    assert expected in str(err.value)
    assert str(root) in str(err.value) or "documents.csv" in str(err.value)


def test_missing_documents_csv(tmp_path):
    (tmp_path / "c").mkdir()
    with pytest.raises(CorpusError, match="no documents.csv"):
        load(tmp_path / "c")


def test_path_that_does_not_exist(tmp_path):
    with pytest.raises(CorpusError, match="no such file or folder"):
        load(tmp_path / "nope")


def test_orphan_text_file_is_reported_not_silently_dropped(tmp_path):
    root = write_corpus(tmp_path / "c", "doc_id,region\na1,x\n", {"a1": "text", "ghost": "no row"})
    with pytest.warns(CorpusWarning, match="ghost.txt: has no row"):
        c = load(root)
    assert [p.file.endswith("ghost.txt") for p in c.report.excluded] == [True]
    assert c.report.to_frame()["kind"].tolist() == ["excluded"]


def test_empty_text_is_excluded_with_warning(tmp_path):
    root = write_corpus(tmp_path / "c", "doc_id,region\na1,x\nb2,x\n", {"a1": "text", "b2": "  \n\t "})
    with pytest.warns(CorpusWarning, match="'b2' has no text; excluded"):
        c = load(root)
    assert c.docs["doc_id"].tolist() == ["a1"] and len(c.report.excluded) == 1


def test_all_texts_empty_is_an_error(tmp_path):
    root = write_corpus(tmp_path / "c", "doc_id,region\na1,x\n", {"a1": "   "})
    with pytest.raises(CorpusError, match="no document with text remains"), pytest.warns(CorpusWarning):
        load(root)


@pytest.mark.parametrize("raw,encoding_word", [
    ("Caf\u00e9 \u2019quoted\u2019".encode("utf-8-sig"), "byte-order mark"),
    ("Caf\u00e9 \u2019quoted\u2019".encode("utf-16"), "UTF-16"),
    ("Caf\u00e9 \u2019quoted\u2019".encode("cp1252"), "Windows-1252"),
])
def test_other_encodings_decode_with_a_warning_naming_the_file(tmp_path, raw, encoding_word):
    root = write_corpus(tmp_path / "c", "doc_id,region\na1,x\n", {"a1": raw})
    with pytest.warns(CorpusWarning, match=encoding_word) as record:
        c = load(root)
    assert "a1.txt" in str(record[0].message)
    assert c.docs.loc[0, "text"] == "Caf\u00e9 \u2019quoted\u2019"


def test_50_mb_document_is_refused_before_reading(tmp_path):
    root = write_corpus(tmp_path / "c", "doc_id,region\nbig,x\n")
    with open(root / "texts" / "big.txt", "wb") as fh:
        fh.truncate(50_000_000)  # sparse file: 50 MB on paper, no time to write
    with pytest.raises(CorpusError, match=r"big.txt: 50.0 MB, above the limit of 5 MB"):
        load(root)


def test_limit_can_be_changed_up_to_the_parser_limit(tmp_path):
    root = write_corpus(tmp_path / "c", "doc_id,region\nbig,x\n", {"big": "word " * 150_000})
    with pytest.raises(CorpusError, match="above the limit of 0.5 MB"):
        load(root, max_doc_mb=0.5)
    assert load(root, max_doc_mb=1).docs.loc[0, "n_words"] == 150_000


def test_use_cases_false_hides_registry(tmp_path):
    c = _load(write_corpus(tmp_path / "c", DOCS, TEXTS, CASES), use_cases=False)
    assert c.cases is None and "victim_gender" not in c.docs.columns


# ---------------------------------------------------------------- property tests

_field = st.text(alphabet=string.ascii_letters + string.digits + ' ,"\n\r\t-:;\u00e9\u2019', max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_random_bytes_as_text_file_give_corpus_or_corpus_error(tmp_path_factory, raw):
    root = write_corpus(tmp_path_factory.mktemp("rb"), "doc_id,region\na1,x\n", {"a1": raw})
    _valid_or_corpus_error(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_random_bytes_as_documents_csv_give_corpus_or_corpus_error(tmp_path_factory, raw):
    root = write_corpus(tmp_path_factory.mktemp("rd"), raw, {"a1": "text"})
    _valid_or_corpus_error(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.sampled_from(["doc_id", "region", "date", "text", "case_id", "genre", "x"]),
                       min_size=1, max_size=6),
       rows=st.lists(st.lists(_field, min_size=0, max_size=7), max_size=6))
def test_random_csvs_give_corpus_or_corpus_error(tmp_path_factory, header, rows):
    body = "\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n"
    root = write_corpus(tmp_path_factory.mktemp("rc"), body, {"a": "some text", "b": "more"})
    _valid_or_corpus_error(root)
    single = root / "single.csv"
    single.write_text(body, encoding="utf-8")
    _valid_or_corpus_error(single)


def _valid_or_corpus_error(path: Path) -> None:
    try:
        c = _load(path)
    except CorpusError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        return
    assert len(c.docs) >= 1
    assert c.docs["doc_id"].is_unique
    assert (c.docs["text"].str.strip() != "").all()
    assert (c.docs["n_words"] >= 1).all()
