"""Pages from web archives: WARC and WARC.gz files read with warcio.

Every ``response`` record (and ``resource`` record) becomes one item:
HTML with status 200 is extracted (:func:`analysis.importers.html.extract_page`);
other statuses, other content types and oversized payloads become dropped or
refused items, so the report accounts for every record. ``request``,
``warcinfo`` and ``metadata`` records carry no page and are skipped.

Example
-------
>>> from pathlib import Path
>>> items = list(iter_warc(Path("crawl.warc.gz")))          # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from analysis.importers.html import extract_page
from analysis.importers.records import Item, dropped, refused

WARC_SUFFIXES: tuple[str, ...] = (".warc", ".warc.gz")
_PAGE_RECORDS = ("response", "resource")


def is_warc(path: Path) -> bool:
    """True for a file named like a web archive.

    Examples
    --------
    >>> is_warc(Path("a.warc.gz")), is_warc(Path("a.html"))
    (True, False)
    """
    return path.name.lower().endswith(WARC_SUFFIXES)


def _record_item(record, source: str, max_bytes: int) -> Item:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        status, ctype = "200", record.rec_headers.get_header("Content-Type") or ""
    if status != "200":
        return dropped(source, f"archived response has HTTP status {status}, not 200", url=url)
    if ctype and "html" not in ctype.lower():
        return dropped(source, f"archived response is {ctype.split(';')[0]!r}, not an HTML page", url=url)
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return refused(source, f"archived page larger than {max_bytes / 1e6:g} MB", url=url)
    return extract_page(body, source=source, url=url)


def iter_warc(path: Path, *, name: str | None = None, max_mb: float = 20.0) -> Iterator[Item]:
    """Yield one item per page record of a WARC file.

    Parameters
    ----------
    path : Path
        ``.warc`` or ``.warc.gz`` file.
    name : str, optional
        How the file is named in the report (default: its file name); each
        record is reported as ``NAME#N`` (N counts records from 1).
    max_mb : float
        Largest payload extracted, in MB.
    """
    name = name or path.name
    max_bytes = int(max_mb * 1_000_000)
    not_warc = "not a WARC file ({}); check that it is a complete .warc or .warc.gz"
    number = 0
    try:
        with open(path, "rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if record.format != "warc":  # warcio reads any text as a legacy ARC record
                    yield dropped(name, not_warc.format("no WARC/1.x record header"))
                    return
                if record.rec_type in _PAGE_RECORDS:
                    yield _record_item(record, f"{name}#{number}", max_bytes)
        if number == 0:
            yield dropped(name, not_warc.format("no records: empty or cut short"))
    except ArchiveLoadFailed as exc:
        yield dropped(name, not_warc.format(exc))
    except OSError as exc:
        yield dropped(name, f"cannot be read ({exc.strerror or exc}); check the file")
