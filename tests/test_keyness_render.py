"""Tests for analysis.keyness.render: escaped HTML and sanitised, aligned terminal text."""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.keyness import format_kwic, kwic, kwic_html, render
from tests.test_keyness_concordance import KWIC_DOCS, KWIC_TEXTS
from tests.test_keyness_statistics import make_tokens


@pytest.fixture()
def ktokens() -> pd.DataFrame:
    return make_tokens(KWIC_TEXTS)

XSS_TEXT = ('Reports quoted <script>alert(1)</script> and <img src=x onerror="alert(2)"> '
            "in the court & the press.")


def _xss_lines() -> pd.DataFrame:
    toks = make_tokens({"x1": XSS_TEXT})
    docs = pd.DataFrame({"doc_id": ["x1"], "region": ["<b>pk</b>"], "text": [XSS_TEXT]})
    return kwic(toks, docs, "court", window=40)


def test_kwic_html_escapes_everything():
    lines = _xss_lines()
    assert "<script>alert(1)</script>" in lines["left"].iloc[0]
    out = kwic_html(lines, meta=("doc_id", "region"))
    assert "<script" not in out.lower() and "<img" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "onerror=&quot;alert(2)&quot;" in out
    assert "&amp; the press." in out and "&lt;b&gt;pk&lt;/b&gt;" in out
    assert '<td class="kwic-match"><mark>court</mark></td>' in out
    assert "text-align:right" in out
    assert kwic_html(lines.iloc[:0]) == '<p class="kwic-note">No matches.</p>'


def test_kwic_html_notes_truncation(ktokens):
    k = kwic(ktokens, KWIC_DOCS, "court")
    out = kwic_html(k, max_rows=2)
    assert out.count("<tr>") == 3 and "Showing 2 of 3 lines." in out


def test_format_kwic_aligns_and_sanitises(ktokens):
    text = format_kwic(kwic(ktokens, KWIC_DOCS, "court", window=3), width=20)
    lines = text.splitlines()
    starts = {line.index("court", 4 + 20) for line in lines}   # after "kN  " and the left column
    assert starts == {4 + 20 + 2}
    assert lines[0] == "k3  " + "Zeta".rjust(20) + "  court  . Alpha court"
    frame = pd.DataFrame({"doc_id": ["d\x1b"], "position": [0], "left": ["a\x1b[2J" + "x" * 50],
                          "match": ["m\u202e"], "right": ["r" * 50]})
    out = format_kwic(frame, width=10)
    assert "\x1b" not in out and "\u202e" not in out
    assert out == "d   " + "\u2026" + "x" * 9 + "  m   " + "r" * 9 + "\u2026"
    assert format_kwic(frame.iloc[:0]) == "No matches."


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.mark.browser
def test_kwic_html_in_headless_chromium(tmp_path):
    binary = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    driver_path = str(CHROMEDRIVER) if CHROMEDRIVER.exists() else shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.skip("headless Chromium not available: need /usr/bin/chromium and "
                    "/usr/bin/chromedriver (run 'make browser' as root to install them)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    page = tmp_path / "kwic.html"
    page.write_text('<!doctype html><html><head><meta charset="utf-8"><title>kwic</title>'
                    f"</head><body>{kwic_html(_xss_lines())}</body></html>", encoding="utf-8")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-extensions", "--no-first-run",
                "--disable-sync", "--disable-default-apps", "--user-data-dir=" + str(tmp_path / "p")):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        driver.set_page_load_timeout(30)
        driver.get(page.as_uri())
        with pytest.raises(NoAlertPresentException):            # no alert(1) / alert(2) ran
            _ = driver.switch_to.alert.text
        assert driver.execute_script("return document.querySelectorAll('script, img').length") == 0
        visible = driver.find_element(By.CSS_SELECTOR, "table.kwic").text
        assert "<script>alert(1)</script>" in visible
        assert 'onerror="alert(2)">' in visible
        mark = driver.find_element(By.CSS_SELECTOR, "td.kwic-match mark")
        assert mark.text == "court"
        left = driver.find_element(By.CSS_SELECTOR, "td.kwic-left")
        assert left.value_of_css_property("text-align") == "right"
    finally:
        driver.quit()


def test_docstring_examples_run():
    result = doctest.testmod(render, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0
