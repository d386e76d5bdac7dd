"""Main text and metadata from HTML pages (saved pages, WARC records, fetched URLs).

Text, title, author and site name come from trafilatura (Barbaresi, 2021),
the publication date from htmldate (Barbaresi, 2020); nothing here parses
HTML by hand. The page title, which trafilatura repeats as the first line of
the text, is removed from the text because it is kept as ``title``.

Example
-------
>>> page = ("<html><head><title>Invented story</title></head><body><article>"
...         "<h1>Invented story</h1><p>" + "An invented sentence for the example. " * 8 +
...         "</p></article></body></html>")
>>> item = extract_page(page, source="p.html")
>>> item.title, item.text.startswith("An invented sentence")
('Invented story', True)
"""

from __future__ import annotations

import logging

import htmldate
import trafilatura

from analysis.importers.records import Item, dropped

#: File suffixes treated as saved pages in a folder import.
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm", ".xhtml", ".shtml")
_HTML_MARKS: tuple[bytes, ...] = (b"<html", b"<!doctype html", b"<body", b"<head", b"<article", b"<p>")

# trafilatura and htmldate log every page they find hard; the report says what matters.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def looks_like_html(content: bytes) -> bool:
    """True when the first 4 kB carry an HTML tag (a sniff, not a parse).

    Examples
    --------
    >>> looks_like_html(b"<!DOCTYPE html><html></html>"), looks_like_html(b"%PDF-1.7")
    (True, False)
    """
    head = content[:4096].lower()
    return any(mark in head for mark in _HTML_MARKS)


def _drop_title_line(text: str, title: str) -> str:
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title.strip():
        lines = lines[1:]
    return "\n".join(lines).strip()


def _find_date(content: bytes | str, url: str | None) -> str:
    try:
        found = htmldate.find_date(content, url=url, original_date=True, extensive_search=False)
    except (ValueError, TypeError):  # htmldate raises on pages it cannot parse at all
        return ""
    return found or ""


def extract_page(content: bytes | str, *, source: str, url: str = "") -> Item:
    """Extract one page's main text and metadata.

    Parameters
    ----------
    content : bytes or str
        The page (bytes are decoded by trafilatura's encoding detection).
    source : str
        Name for the report (file name, ``warc#record`` or URL).
    url : str
        The page's address when known (helps the date and outlet).

    Returns
    -------
    Item
        With text and metadata, or ``dropped`` with the reason.
    """
    raw = content.encode("utf-8") if isinstance(content, str) else content
    if not looks_like_html(raw):
        return dropped(source, "not an HTML page (no HTML tags in the first 4 kB)", url=url)
    try:
        doc = trafilatura.bare_extraction(
            raw, url=url or None, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True, deduplicate=False,
        )
    except (ValueError, TypeError) as exc:
        return dropped(source, f"the page could not be parsed ({exc})", url=url)
    if doc is None or not (doc.text or "").strip():
        return dropped(source, "no main text found in the page (an index, gallery or empty page?)", url=url)
    title = (doc.title or "").strip()
    return Item(
        source=source,
        text=_drop_title_line(doc.text, title),
        title=title,
        date=_find_date(raw, url or None),
        outlet=(doc.sitename or doc.hostname or "").strip(),
        author=(doc.author or "").strip(),
        url=url or (doc.url or ""),
    )

