"""Nexis Uni (DOCX, RTF) and Factiva (HTML, RTF) exports split into articles with their metadata."""

from __future__ import annotations

import importlib.util
import warnings
from datetime import date
from pathlib import Path

import docx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import corpus as corpus_mod
from analysis.importers import import_corpus
from analysis.importers.exports import iso_date, read_export, split_factiva, split_nexis

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"import_{name}", FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


art = _load("articles")
dbx = _load("database_exports")
THREE = art.ARTICLES[:3]


def check_articles(items, articles=THREE):
    assert [i.ok for i in items] == [True] * len(articles)
    for item, a in zip(items, articles, strict=True):
        assert (item.title, item.outlet, item.date, item.author) == (a["title"], a["outlet"], a["date"], a["author"])
        assert item.text == art.known_text(a)


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(str(path))
    return path


def test_nexis_docx(tmp_path):
    path = write_docx(tmp_path / "nexis.docx", dbx.nexis_paragraphs(THREE))
    items = read_export(path)
    check_articles(items)
    assert [i.source for i in items] == ["nexis.docx#1", "nexis.docx#2", "nexis.docx#3"]


def test_nexis_rtf(tmp_path):
    path = tmp_path / "nexis.rtf"
    path.write_text(dbx.rtf(dbx.nexis_paragraphs(THREE)), encoding="ascii")
    check_articles(read_export(path))


def test_factiva_rtf_and_html(tmp_path):
    (tmp_path / "f.rtf").write_text(dbx.rtf(dbx.factiva_lines(THREE)), encoding="ascii")
    check_articles(read_export(tmp_path / "f.rtf"))
    (tmp_path / "f.html").write_text(dbx.factiva_html(THREE), encoding="utf-8")
    check_articles(read_export(tmp_path / "f.html"))


def test_not_an_export_is_a_dropped_row(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"not a zip file")
    (tmp_path / "y.rtf").write_text(dbx.rtf(["Just a letter.", "Regards"]))
    assert read_export(tmp_path / "x.docx")[0].status == "dropped"
    assert "not a Nexis or Factiva export" in read_export(tmp_path / "y.rtf")[0].reason
    no_body = split_nexis(["A cover page", "Results: 3", "End of Document"], "n.docx")
    assert no_body[0].status == "dropped" and "Body" in no_body[0].reason


def test_export_folder_import_passes_the_validator(tmp_path):
    src = tmp_path / "exports"
    src.mkdir()
    write_docx(src / "nexis.docx", dbx.nexis_paragraphs(art.ARTICLES[:3]))
    (src / "factiva.html").write_text(dbx.factiva_html(art.ARTICLES[3:6]))
    (src / "factiva.rtf").write_text(dbx.rtf(dbx.factiva_lines(art.ARTICLES[6:])))
    out = tmp_path / "corpus"
    summary = import_corpus(src, out, region="pakistan")
    assert summary.counts["kept"] == len(art.ARTICLES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", corpus_mod.CorpusWarning)
        docs = corpus_mod.load(out).docs
    assert sorted(docs["title"]) == sorted(a["title"] for a in art.ARTICLES)
    assert set(docs["author"]) == {a["author"] for a in art.ARTICLES}
    report = pd.read_csv(out / "import_report.csv", dtype=str, keep_default_na=False)
    assert sorted(report["source"].str.split("#").str[0].unique()) == ["factiva.html", "factiva.rtf", "nexis.docx"]


def test_explicit_format_reports_other_files(tmp_path):
    src = tmp_path / "mixed"
    src.mkdir()
    write_docx(src / "nexis.docx", dbx.nexis_paragraphs(THREE))
    (src / "page.html").write_text(art.page(art.ARTICLES[5], 0))
    summary = import_corpus(src, tmp_path / "out", fmt="nexis", region="x")
    assert summary.counts == {"kept": 3, "dropped": 1, "refused": 0, "duplicate": 0, "not_english": 0}


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_iso_date_reads_both_database_date_styles(day):
    assert iso_date(dbx._long(day.isoformat())) == day.isoformat()
    assert iso_date(dbx._factiva_date(day.isoformat())) == day.isoformat()


@given(st.integers(min_value=1, max_value=8), st.integers(min_value=0, max_value=7))
def test_splitters_find_every_article(n, start):
    chosen = [art.ARTICLES[(start + i) % len(art.ARTICLES)] for i in range(n)]
    assert len(split_nexis(dbx.nexis_paragraphs(chosen), "n")) == n
    factiva = split_factiva(dbx.factiva_lines(chosen), "f")
    assert [i.title for i in factiva] == [a["title"] for a in chosen]


@pytest.mark.parametrize("line", ["Body", "Length: 523 words", "", "2019", "Section: A; Pg. 4"])
def test_iso_date_rejects_other_lines(line):
    assert iso_date(line) == ""
