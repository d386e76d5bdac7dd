"""WARC imports: a web archive written with warcio, every record accounted for."""

from __future__ import annotations

import importlib.util
import io
import warnings
from pathlib import Path

import pandas as pd
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from analysis import corpus as corpus_mod
from analysis.importers import import_corpus
from analysis.importers.warc import is_warc, iter_warc

FIXTURES = Path(__file__).parent / "fixtures" / "import"
_spec = importlib.util.spec_from_file_location("import_articles", FIXTURES / "articles.py")
art = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(art)


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], *, gzip: bool = True) -> Path:
    """records: (url, status line, content type, payload)."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, status, ctype, payload in records:
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                          http_headers=headers))
    return path


def crawl(tmp_path: Path, gzip: bool = True) -> Path:
    base = "https://news.example.org/2019"
    records = [(f"{base}/{a['slug']}", "200 OK", "text/html; charset=utf-8", art.page(a, i % 4).encode())
               for i, a in enumerate(art.ARTICLES[:4])]
    records += [(f"{base}/logo.png", "200 OK", "image/png", b"\x89PNG..."),
                (f"{base}/missing", "404 Not Found", "text/html", b"<html><body>Not found</body></html>")]
    return write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), records, gzip=gzip)


def test_iter_warc_yields_one_item_per_response(tmp_path):
    items = list(iter_warc(crawl(tmp_path, gzip=False)))
    assert len(items) == 6
    assert [i.ok for i in items] == [True] * 4 + [False, False]
    assert "image/png" in items[4].reason and "404" in items[5].reason
    assert items[0].url.endswith(art.ARTICLES[0]["slug"])
    assert items[0].source.startswith("crawl.warc#")
    assert is_warc(Path("x.WARC.GZ")) and not is_warc(Path("x.gz"))


def test_warc_import_passes_the_validator(tmp_path):
    out = tmp_path / "corpus"
    summary = import_corpus(crawl(tmp_path), out, region="hollywood")
    assert summary.fmt == "warc"
    assert summary.counts["kept"] == 4 and summary.counts["dropped"] == 2
    report = pd.read_csv(out / "import_report.csv", dtype=str, keep_default_na=False)
    assert len(report) == 6 and (report.loc[report["status"] == "dropped", "reason"] != "").all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", corpus_mod.CorpusWarning)
        docs = corpus_mod.load(out).docs.set_index("doc_id")
    assert sorted(docs.index) == sorted(a["slug"] for a in art.ARTICLES[:4])
    assert docs.loc["actor-apologises", "text"] == art.known_text(art.ARTICLES[3])


def test_broken_warc_is_a_report_row(tmp_path):
    bad = tmp_path / "src"
    bad.mkdir()
    (bad / "cut.warc.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (bad / "notes.warc").write_text("some notes saved with the wrong name")
    crawl(bad)
    import_corpus(bad, tmp_path / "out", region="x")
    report = pd.read_csv(tmp_path / "out" / "import_report.csv", dtype=str, keep_default_na=False)
    row = report[report["source"].str.startswith("cut.warc.gz")]
    assert len(row) == 1 and row["status"].iloc[0] == "dropped"
    row = report.set_index("source").loc["notes.warc"]
    assert row["status"] == "dropped" and "not a WARC file" in row["reason"]
    assert (report["status"] == "kept").sum() == 4
