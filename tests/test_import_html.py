"""Saved-page imports: extraction, clean-up, languages, duplicates, the report and the validator."""

from __future__ import annotations

import argparse
import importlib.util
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus as corpus_mod
from analysis.cli import build_parser, import_cmd, main
from analysis.errors import CorpusError, UsageError
from analysis.importers import import_corpus
from analysis.importers.html import extract_page, looks_like_html

FIXTURES = Path(__file__).parent / "fixtures" / "import"
_spec = importlib.util.spec_from_file_location("import_articles", FIXTURES / "articles.py")
art = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(art)


def load_quietly(path: Path) -> corpus_mod.Corpus:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", corpus_mod.CorpusWarning)
        return corpus_mod.load(path)


def pages_folder(root: Path) -> Path:
    """Eight articles in four layouts, one syndicated copy, one German page, and three bad files."""
    src = root / "pages"
    src.mkdir()
    for i, a in enumerate(art.ARTICLES):
        (src / f"{a['slug']}.html").write_text(art.page(a, i % art.LAYOUTS), encoding="utf-8")
    # the same story saved twice from another layout: an exact duplicate of its text
    (src / "copy-of-first.html").write_text(art.page(art.ARTICLES[0], 3, base="https://other.example.net"))
    (src / "german.html").write_text(art.page(art.GERMAN, 0), encoding="utf-8")
    (src / "scan.pdf").write_bytes(b"%PDF-1.7 not a page")
    (src / "notes.html").write_bytes(b"just some notes, no markup at all")
    (src / "gallery.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    return src


@pytest.mark.parametrize("layout", range(art.LAYOUTS))
def test_extract_page_keeps_the_article_and_metadata(layout):
    a = art.ARTICLES[layout]
    item = extract_page(art.page(a, layout), source="p.html")
    assert item.title == a["title"]
    assert item.outlet == a["outlet"]
    assert item.date == a["date"]
    assert item.url.endswith(a["slug"])
    for paragraph in a["paragraphs"]:
        assert paragraph in item.text


def test_not_html_is_dropped_with_reason():
    item = extract_page(b"%PDF-1.7", source="x.html")
    assert item.status == "dropped" and "not an HTML page" in item.reason
    assert looks_like_html(b"<HTML><body>") and not looks_like_html(b"plain words")


def test_folder_import_report_and_validator(tmp_path):
    src = pages_folder(tmp_path)
    out = tmp_path / "corpus"
    summary = import_corpus(src, out, region="Hollywood")
    report = pd.read_csv(out / "import_report.csv", dtype=str, keep_default_na=False)
    # one row per source file, nothing missing
    assert sorted(report["source"]) == sorted(p.name for p in src.iterdir())
    status = dict(zip(report["source"], report["status"], strict=True))
    assert status["scan.pdf"] == "dropped"
    assert status["notes.html"] == "dropped"
    assert status["gallery.html"] == "dropped"
    assert status["german.html"] == "not_english"
    assert sorted([status["copy-of-first.html"], status["director-faces-inquiry.html"]]) == ["duplicate", "kept"]
    assert (report.loc[report["status"] != "kept", "reason"] != "").all()
    assert summary.counts == {"kept": 8, "dropped": 3, "refused": 0, "duplicate": 1, "not_english": 1}
    corpus = load_quietly(out)
    # the German page stays in the corpus folder (language 'de') but the loader leaves it out of the
    # English-only measures, with a report row
    assert len(corpus.docs) == 8 and any("language 'de'" in str(p) for p in corpus.report.excluded)
    docs = corpus.docs.set_index("doc_id")
    assert docs.loc["singer-files-complaint", "outlet"] == "Evening Lantern"
    assert docs.loc["singer-files-complaint", "title"] == art.ARTICLES[1]["title"]
    assert str(docs.loc["singer-files-complaint", "date"])[:10] == "2019-03-02"
    assert "regisseur-vorwuerfe" not in docs.index   # language de: kept on disk, left out at load
    assert set(docs["region"]) == {"hollywood"}
    for a in art.ARTICLES[1:]:
        assert docs.loc[a["slug"], "text"] == art.known_text(a)
    furniture = [line for text in docs["text"] for line in text.split("\n") if line in art.FURNITURE]
    assert furniture == []
    card = (out / "README.md").read_text()
    assert str(src) in card and "imported on" in card and "region: `hollywood`" in card


def test_near_duplicates_are_kept_and_flagged(tmp_path):
    src = tmp_path / "wire"
    src.mkdir()
    a = art.ARTICLES[4]
    b = {**a, "slug": "court-adjourns-hearing-wire", "outlet": "Other Paper",
         "paragraphs": [*a["paragraphs"][:-1], "The hearing resumes on the fourth of next month, the court said."]}
    (src / "a.html").write_text(art.page(a, 0))
    (src / "b.html").write_text(art.page(b, 1))
    import_corpus(src, tmp_path / "out", region="pakistan", threshold=0.5)
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == 2
    assert docs["near_duplicate_cluster"].nunique() == 1 and docs["near_duplicate_cluster"].iloc[0] != ""
    report = pd.read_csv(tmp_path / "out" / "import_report.csv", dtype=str, keep_default_na=False)
    assert report["reason"].str.contains("near-duplicate cluster").all()


def test_metadata_file_gives_groups_and_unmatched_rows_are_reported(tmp_path):
    src = tmp_path / "p"
    src.mkdir()
    for a in art.ARTICLES[:3]:
        (src / f"{a['slug']}.html").write_text(art.page(a, 1))
    meta = tmp_path / "meta.csv"
    meta.write_text("file,region,genre\ndirector-faces-inquiry.html,Bollywood,news\n"
                    "singer-files-complaint.html,Pakistan,opinion\n")
    import_corpus(src, tmp_path / "out", metadata=meta)
    docs = load_quietly(tmp_path / "out").docs.set_index("doc_id")
    assert docs.loc["director-faces-inquiry", "region"] == "bollywood"
    assert docs.loc["singer-files-complaint", "genre"] == "opinion"
    report = pd.read_csv(tmp_path / "out" / "import_report.csv", dtype=str, keep_default_na=False)
    row = report.set_index("source").loc["university-panel-report.html"]
    assert row["status"] == "dropped" and "no group" in row["reason"]


def test_disabled_rule_is_honoured_and_unknown_rule_refused(tmp_path):
    src = tmp_path / "p"
    src.mkdir()
    (src / "a.html").write_text(art.page(art.ARTICLES[0], 0))
    with pytest.raises(UsageError, match="unknown rule"):
        import_corpus(src, tmp_path / "out", region="x", disable=["no-such-rule"])


def test_nothing_imported_exits_2_with_report(tmp_path, capsys):
    src = tmp_path / "bad"
    src.mkdir()
    (src / "a.txt").write_text("not a page")
    out = tmp_path / "out"
    parser = argparse.ArgumentParser()
    import_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["import", str(src), "--out", str(out), "--region", "x"])
    with pytest.raises(CorpusError, match="nothing could be imported"):
        args.func(args)
    assert (out / "import_report.csv").is_file()
    commands = build_parser()._subparsers._group_actions[0].choices["corpus"]._subparsers._group_actions[0].choices
    assert "import" in commands                      # `corpus import` is a command of the workbench
    assert main(["corpus", "import", str(src), "--out", str(out), "--region", "x"]) == 2
    assert "nothing could be imported" in capsys.readouterr().err


def test_cli_handler_imports_and_returns_0(tmp_path, capsys):
    src = tmp_path / "p"
    src.mkdir()
    (src / "a.html").write_text(art.page(art.ARTICLES[2], 2))
    parser = argparse.ArgumentParser()
    import_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["import", str(src), "--out", str(tmp_path / "o"), "--region", "x", "--delay", "0"])
    assert args.func(args) == 0
    assert "imported 1 documents" in capsys.readouterr().out


def test_bad_arguments_are_usage_errors(tmp_path):
    src = tmp_path / "p"
    src.mkdir()
    with pytest.raises(UsageError, match="--region"):
        import_corpus(src, tmp_path / "o")
    with pytest.raises(UsageError, match="not both"):
        import_corpus(src, tmp_path / "o", region="x", metadata="m.csv")
    other = tmp_path / "mine"
    other.mkdir()
    (other / "thesis.docx").write_text("precious")
    with pytest.raises(UsageError, match="not a corpus written by"):
        import_corpus(src, other, region="x")
    assert (other / "thesis.docx").read_text() == "precious"


def test_exact_copies_left_out_do_not_make_a_cluster(tmp_path):
    src = tmp_path / "p"
    src.mkdir()
    for layout in range(3):
        (src / f"copy{layout}.html").write_text(art.page(art.ARTICLES[2], layout))
    (src / "other.html").write_text(art.page(art.ARTICLES[3], 0))
    summary = import_corpus(src, tmp_path / "out", region="x")
    assert summary.counts["duplicate"] == 2
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False)
    assert list(docs["near_duplicate_cluster"]) == ["", ""]
    kept = import_corpus(src, tmp_path / "out2", region="x", keep_exact_duplicates=True)
    docs = pd.read_csv(tmp_path / "out2" / "documents.csv", dtype=str, keep_default_na=False)
    assert kept.n_documents == 4 and (docs["exact_duplicate_of"] != "").sum() == 2
    assert docs["near_duplicate_cluster"].value_counts().max() == 3
