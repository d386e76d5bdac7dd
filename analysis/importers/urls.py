"""URL lists: plain text (one address a line) or CSV with a ``url`` column, fetched politely.

A CSV's other columns are kept as metadata. A Media Cloud story-list export
(both the legacy ``stories_id, publish_date, title, url, media_name, ...``
and the current ``id, publish_date, title, url, media_name, media_url, ...``
shapes) is mapped onto the data contract: ``media_name`` becomes ``outlet``,
``publish_date`` becomes ``date`` (the day only), ``title`` stays ``title``;
the export's values win over what is extracted from the page, because Media
Cloud's metadata is curated. GDELT lists with a ``url`` column work the same.

Example
-------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "urls.txt"
>>> _ = p.write_text("# my list\\nhttps://example.org/a\\n\\nhttps://example.org/b\\n")
>>> [row["url"] for row in read_url_list(p)]
['https://example.org/a', 'https://example.org/b']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import CorpusError
from analysis.importers.fetch import Fetcher
from analysis.importers.html import extract_page
from analysis.importers.records import FIELDS, Item

#: Media Cloud export column -> data-contract column.
MEDIACLOUD_COLUMNS: dict[str, str] = {"media_name": "outlet", "publish_date": "date", "title": "title",
                                      "author": "author"}
_MEDIACLOUD_MARKS = frozenset({"stories_id", "media_name", "media_url", "publish_date"})


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror}); check the path") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CorpusError(f"{path}: not a text file (neither UTF-8 nor cp1252); save the URL list as UTF-8")


def is_mediacloud(columns: list[str]) -> bool:
    """True when a CSV header looks like a Media Cloud story-list export.

    Examples
    --------
    >>> is_mediacloud(["stories_id", "publish_date", "title", "url", "media_name"])
    True
    >>> is_mediacloud(["url", "region"])
    False
    """
    return len(_MEDIACLOUD_MARKS & {c.strip().lower() for c in columns}) >= 2


def _csv_rows(text: str, label: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "url" not in header:
        raise CorpusError(f"{label} row 1: no 'url' column (columns: {', '.join(header)}); "
                          "name the column of addresses 'url'")
    reader.fieldnames = header
    mediacloud = is_mediacloud(header)
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not row.get("url"):
            continue
        if mediacloud:
            for src, dst in MEDIACLOUD_COLUMNS.items():
                if row.get(src) and (dst == src or not row.get(dst)):
                    row[dst] = row[src][:10] if dst == "date" else row[src]
        row["_row"] = str(number)
        rows.append(row)
    return rows


def read_url_list(path: Path) -> list[dict[str, str]]:
    """Read a URL list into one dict per address (``url`` plus any metadata columns).

    A ``.csv`` file (or a text whose first line has a ``url`` column) is read
    as CSV; anything else as one address per line, ignoring blank lines and
    lines starting with ``#``.
    """
    text = _read_text(path)
    first = text.split("\n", 1)[0].lower()
    if path.suffix.lower() == ".csv" or ("," in first and "url" in [c.strip() for c in first.split(",")]):
        rows = _csv_rows(text, str(path))
    else:
        rows = [{"url": line.strip(), "_row": str(n)} for n, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not rows:
        raise CorpusError(f"{path}: no addresses found; put one URL a line or a CSV 'url' column")
    return rows


def _merge(item: Item, row: dict[str, str]) -> Item:
    changes: dict[str, object] = {}
    for name in FIELDS:
        if row.get(name):
            changes[name] = row[name]
    changes["url"] = row["url"]
    extra = {k: v for k, v in row.items() if k not in FIELDS and not k.startswith("_") and k != "text"}
    return item.with_(extra={**item.extra, **extra}, **changes)


def iter_urls(rows: list[dict[str, str]], fetcher: Fetcher) -> Iterator[Item]:
    """Fetch each row's URL and yield one item per row (metadata from the row kept)."""
    for row in rows:
        url = row["url"]
        outcome = fetcher.fetch(url)
        if outcome.status != "ok":
            yield _merge(Item(source=url, status=outcome.status, reason=outcome.reason), row)
            continue
        item = extract_page(fetcher.body(outcome), source=url, url=outcome.final_url or url)
        yield _merge(item, row)
