"""URL lists: plain text, CSV with a url column, Media Cloud story-list exports (metadata kept)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from analysis.errors import CorpusError, UsageError
from analysis.importers import FetchSettings, import_corpus
from analysis.importers.urls import is_mediacloud, read_url_list

FIXTURES = Path(__file__).parent / "fixtures" / "import"
_spec = importlib.util.spec_from_file_location("import_articles", FIXTURES / "articles.py")
art = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(art)
FAST = FetchSettings(contact="tester@example.org", delay=0, timeout=2, retries=0)


def test_plain_list_skips_comments_and_blanks(tmp_path):
    p = tmp_path / "list.txt"
    p.write_text("# header\n\nhttps://a.example/1\n  https://a.example/2  \n# done\n")
    assert [r["url"] for r in read_url_list(p)] == ["https://a.example/1", "https://a.example/2"]


def test_csv_needs_a_url_column(tmp_path):
    p = tmp_path / "list.csv"
    p.write_text("link,region\nhttps://a.example/1,x\n")
    with pytest.raises(CorpusError, match=r"row 1: no 'url' column"):
        read_url_list(p)
    (tmp_path / "empty.txt").write_text("# nothing\n")
    with pytest.raises(CorpusError, match="no addresses"):
        read_url_list(tmp_path / "empty.txt")


def test_mediacloud_columns_map_to_the_contract(tmp_path):
    p = tmp_path / "stories.csv"
    p.write_text("stories_id,publish_date,title,url,language,media_id,media_name,media_url\n"
                 "101,2019-03-02 09:15:00,Invented headline,https://a.example/1,en,7,Evening Lantern,"
                 "https://a.example\n")
    (row,) = read_url_list(p)
    assert (row["outlet"], row["date"], row["title"], row["stories_id"]) == (
        "Evening Lantern", "2019-03-02", "Invented headline", "101")
    assert is_mediacloud(["id", "indexed_date", "language", "media_name", "media_url", "publish_date", "title",
                          "url"])


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20))
def test_every_address_is_read_once_in_order(tmp_path_factory, ids):
    p = tmp_path_factory.mktemp("l") / "list.txt"
    urls = [f"https://a.example/story/{i}" for i in ids]
    p.write_text("\n".join(urls) + "\n")
    assert [r["url"] for r in read_url_list(p)] == urls


@pytest.fixture
def server():
    srv = HTTPServer(host="127.0.0.1")
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


def test_mediacloud_import_keeps_export_metadata(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    rows = []
    for i, a in enumerate(art.ARTICLES[:3]):
        server.expect_request(f"/{a['slug']}").respond_with_data(art.page(a, i), content_type="text/html")
        rows.append({"stories_id": 500 + i, "publish_date": a["date"] + " 10:00:00", "title": a["title"],
                     "url": server.url_for(f"/{a['slug']}"), "language": "en", "media_id": 9,
                     "media_name": "Export Outlet Name", "media_url": "https://news.example.org",
                     "region": ["hollywood", "bollywood", "pakistan"][i]})
    pd.DataFrame(rows).to_csv(tmp_path / "stories.csv", index=False)
    out = tmp_path / "out"
    summary = import_corpus(tmp_path / "stories.csv", out, fmt="mediacloud", fetch=FAST)
    assert summary.counts["kept"] == 3
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("stories_id")
    assert set(docs["outlet"]) == {"Export Outlet Name"}  # the export's curated value wins
    assert docs.loc["501", "region"] == "bollywood"
    assert docs.loc["501", "source_language"] == "en" and docs.loc["501", "language"] == "en"
    assert docs.loc["502", "media_id"] == "9"
    with pytest.raises(UsageError, match="Media Cloud"):
        (tmp_path / "plain.csv").write_text("url\nhttps://a.example/1\n")
        import_corpus(tmp_path / "plain.csv", tmp_path / "o2", fmt="mediacloud", region="x", fetch=FAST)
