"""URL-list imports against a loopback HTTP server (pytest-httpserver); no network beyond 127.0.0.1."""

from __future__ import annotations

import importlib.util
import json
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from analysis import corpus as corpus_mod
from analysis.importers import FetchSettings, import_corpus
from analysis.importers import fetch as fetch_mod
from analysis.importers.fetch import Fetcher, FetchOutcome, load_state, record

FIXTURES = Path(__file__).parent / "fixtures" / "import"
_spec = importlib.util.spec_from_file_location("import_articles", FIXTURES / "articles.py")
art = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(art)

FAST = FetchSettings(contact="tester@example.org", delay=0, timeout=0.5, retries=1, backoff=0)
HTML = "text/html; charset=utf-8"


@pytest.fixture
def server():
    srv = HTTPServer(host="127.0.0.1", threaded=True)
    srv.start()
    yield srv
    srv.clear()
    if srv.is_running():
        srv.stop()


def serve_site(srv: HTTPServer) -> dict[str, str]:
    """robots.txt, three articles, a disallowed page, a 20 MB page, a slow page, a file:// redirect, a 404."""
    srv.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n",
                                                        content_type="text/plain")
    urls = {}
    for i, a in enumerate(art.ARTICLES[:3]):
        path = f"/news/{a['slug']}"
        srv.expect_request(path).respond_with_data(art.page(a, i), content_type=HTML)
        urls[a["slug"]] = srv.url_for(path)
    srv.expect_request("/private/secret").respond_with_data(art.page(art.ARTICLES[3], 0), content_type=HTML)
    srv.expect_request("/big").respond_with_data(b"<html><body>" + b"x" * 20_000_000, content_type=HTML)

    def slow(request):
        time.sleep(1.5)
        return Response(art.page(art.ARTICLES[4], 0), content_type=HTML)

    srv.expect_request("/slow").respond_with_handler(slow)
    srv.expect_request("/jump").respond_with_response(Response("", status=302,
                                                               headers={"Location": "file:///etc/passwd"}))
    srv.expect_request("/gone").respond_with_data("not here", status=404, content_type=HTML)
    urls.update(private=srv.url_for("/private/secret"), big=srv.url_for("/big"), slow=srv.url_for("/slow"),
                jump=srv.url_for("/jump"), gone=srv.url_for("/gone"))
    return urls


def paths_requested(srv: HTTPServer) -> list[str]:
    return [request.path for request, _ in srv.log]


def test_url_list_import_is_polite_and_reports_every_url(server, tmp_path):
    urls = serve_site(server)
    listing = tmp_path / "urls.txt"
    listing.write_text("# invented test site\n" + "\n".join(urls.values()) + "\nftp://example.org/file\n")
    out = tmp_path / "corpus"
    summary = import_corpus(listing, out, region="bollywood", fetch=FAST)
    report = pd.read_csv(out / "import_report.csv", dtype=str, keep_default_na=False).set_index("source")
    assert len(report) == len(urls) + 1
    status = report["status"].to_dict()
    for slug in (a["slug"] for a in art.ARTICLES[:3]):
        assert status[urls[slug]] == "kept"
    assert status[urls["private"]] == "refused" and "robots.txt" in report.loc[urls["private"], "reason"]
    assert status[urls["big"]] == "refused" and "size limit" in report.loc[urls["big"], "reason"]
    assert status[urls["slow"]] == "refused" and "time limit" in report.loc[urls["slow"], "reason"]
    assert status[urls["jump"]] == "refused" and "file:///etc/passwd" in report.loc[urls["jump"], "reason"]
    assert status[urls["gone"]] == "dropped" and "404" in report.loc[urls["gone"], "reason"]
    assert status["ftp://example.org/file"] == "refused"
    assert summary.counts["kept"] == 3
    assert "/private/secret" not in paths_requested(server)
    assert paths_requested(server).count("/robots.txt") == 1
    agents = {request.headers.get("User-Agent") for request, _ in server.log}
    assert agents == {FAST.user_agent} and "tester@example.org" in FAST.user_agent
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", corpus_mod.CorpusWarning)
        docs = corpus_mod.load(out).docs.set_index("doc_id")
    assert docs.loc["singer-files-complaint", "url"] == urls["singer-files-complaint"]
    assert docs.loc["singer-files-complaint", "text"] == art.known_text(art.ARTICLES[1])


def test_killed_import_resumes_without_fetching_twice(server, tmp_path, monkeypatch):
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    listing = []
    for a in art.ARTICLES:
        server.expect_request(f"/s/{a['slug']}").respond_with_data(art.page(a, 1), content_type=HTML)
        listing.append(server.url_for(f"/s/{a['slug']}"))
    (tmp_path / "urls.txt").write_text("\n".join(listing))
    out = tmp_path / "out"
    real_follow = Fetcher._follow
    calls = {"n": 0}

    def dies_after_three(self, url):
        if calls["n"] == 3:
            raise KeyboardInterrupt("simulated kill")
        calls["n"] += 1
        return real_follow(self, url)

    monkeypatch.setattr(Fetcher, "_follow", dies_after_three)
    with pytest.raises(KeyboardInterrupt):
        import_corpus(tmp_path / "urls.txt", out, region="x", fetch=FAST)
    assert not (out / "documents.csv").exists()
    assert len(load_state(out / ".fetch-state")) == 3
    monkeypatch.setattr(Fetcher, "_follow", real_follow)
    import_corpus(tmp_path / "urls.txt", out, region="x", fetch=FAST)
    pages = [p for p in paths_requested(server) if p.startswith("/s/")]
    assert sorted(pages) == sorted(f"/s/{a['slug']}" for a in art.ARTICLES)  # each exactly once
    assert len(pd.read_csv(out / "documents.csv")) == len(art.ARTICLES)
    # a third run fetches nothing at all
    before = len(server.log)
    import_corpus(tmp_path / "urls.txt", out, region="x", fetch=FAST)
    assert len(server.log) == before


def test_transient_errors_are_retried_with_backoff(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_oneshot_request("/flaky").respond_with_data("busy", status=503)
    server.expect_request("/flaky").respond_with_data(art.page(art.ARTICLES[5], 2), content_type=HTML)
    waits: list[float] = []
    fetcher = Fetcher(FetchSettings(delay=0, retries=2, backoff=0.25), tmp_path / "state", sleep=waits.append)
    outcome = fetcher.fetch(server.url_for("/flaky"))
    assert outcome.status == "ok"
    assert waits == [0.25]
    assert paths_requested(server).count("/flaky") == 2


def test_unreachable_robots_disallows_the_host(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("error", status=500)
    server.expect_request("/page").respond_with_data(art.page(art.ARTICLES[0], 0), content_type=HTML)
    fetcher = Fetcher(FetchSettings(delay=0, retries=0), tmp_path / "state")
    outcome = fetcher.fetch(server.url_for("/page"))
    assert outcome.status == "refused" and "robots.txt" in outcome.reason
    assert "/page" not in paths_requested(server)


def test_per_host_delay_and_same_scheme_redirects(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    server.expect_request("/old").respond_with_response(Response("", status=301, headers={"Location": "/new"}))
    server.expect_request("/new").respond_with_data(art.page(art.ARTICLES[6], 3), content_type=HTML)
    server.expect_request("/other").respond_with_data(art.page(art.ARTICLES[7], 3), content_type=HTML)
    waits: list[float] = []
    fetcher = Fetcher(FetchSettings(delay=30, retries=0), tmp_path / "state", sleep=waits.append)
    first = fetcher.fetch(server.url_for("/old"))
    assert first.status == "ok" and first.final_url.endswith("/new")
    fetcher.fetch(server.url_for("/other"))
    # robots, /old, /new, /other: three waits of about 30 s each between four requests
    assert len(waits) == 3 and all(25 < w <= 30 for w in waits)


def test_state_file_survives_a_line_cut_short(tmp_path):
    state = tmp_path / "state"
    record(state, FetchOutcome("http://127.0.0.1/a", "dropped", "HTTP 404 from the server"))
    with open(state / fetch_mod.STATE_FILE, "a") as f:
        f.write('{"url": "http://127.0.0.1/b", "sta')
    assert list(load_state(state)) == ["http://127.0.0.1/a"]
    # an ok outcome whose saved page has gone is forgotten (fetched again)
    record(state, FetchOutcome("http://127.0.0.1/c", "ok", body_file="missing.html"))
    assert "http://127.0.0.1/c" not in load_state(state)
    assert json.loads((state / fetch_mod.STATE_FILE).read_text().splitlines()[0])["status"] == "dropped"


def test_robots_txt_redirect_is_followed(server, tmp_path):
    server.expect_request("/robots.txt").respond_with_response(
        Response("", status=301, headers={"Location": "/real-robots.txt"}))
    server.expect_request("/real-robots.txt").respond_with_data("User-agent: MeTooDiscourseWorkbench\n"
                                                                "Disallow: /archive/\n")
    server.expect_request("/news/a").respond_with_data(art.page(art.ARTICLES[0], 0), content_type=HTML)
    fetcher = Fetcher(FetchSettings(delay=0, retries=0), tmp_path / "state")
    assert fetcher.fetch(server.url_for("/news/a")).status == "ok"
    refused = fetcher.fetch(server.url_for("/archive/b"))
    assert refused.status == "refused" and "robots.txt" in refused.reason
