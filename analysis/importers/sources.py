"""Which importer reads a source: format detection and one item stream per source.

``auto`` decides per file by its name and a sniff of its content: ``.warc``
/ ``.warc.gz`` are web archives, ``.docx`` and ``.rtf`` database exports,
``.html`` a Factiva export when it carries Factiva's article paragraphs and a
saved page otherwise; a ``.csv`` or ``.txt`` file given as SOURCE is a URL
list. An explicit format reads every file of a folder with that importer and
reports the files it cannot read.

Example
-------
>>> from pathlib import Path
>>> detect_format(Path("crawl.warc.gz")), detect_format(Path("stories.csv"))
('warc', 'urls')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from analysis.errors import UsageError
from analysis.importers import exports, html, urls, warc
from analysis.importers.fetch import Fetcher
from analysis.importers.records import Item, dropped

FORMATS: tuple[str, ...] = ("auto", "html", "warc", "urls", "mediacloud", "nexis", "factiva")
_URL_LISTS = (".csv", ".txt", ".lst", ".urls")
_EXPORTS = {"nexis": (".docx", ".rtf"), "factiva": (".html", ".htm", ".rtf", ".txt")}


def detect_format(source: Path) -> str:
    """The format of a single-file SOURCE (a folder is ``auto``: decided per file)."""
    if source.is_dir():
        return "auto"
    if warc.is_warc(source):
        return "warc"
    suffix = source.suffix.lower()
    if suffix in _URL_LISTS:
        return "urls"
    if suffix == ".docx":
        return "nexis"
    if suffix == ".rtf":
        return "auto"
    if suffix in html.HTML_SUFFIXES:
        return "auto"
    raise UsageError(f"{source}: cannot tell its format from the name; give --format "
                     f"({', '.join(FORMATS[1:])})")


def _files(source: Path) -> list[tuple[Path, str]]:
    if source.is_file():
        return [(source, source.name)]
    return [(p, p.relative_to(source).as_posix())
            for p in sorted(source.rglob("*")) if p.is_file() and not any(s.startswith(".") for s in p.parts[-1:])]


def _auto_file(path: Path, name: str) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if warc.is_warc(path):
        yield from warc.iter_warc(path, name=name)
    elif suffix in (".docx", ".rtf"):
        yield from exports.read_export(path, name=name)
    elif suffix in html.HTML_SUFFIXES:
        yield from _html_file(path, name, factiva_ok=True)
    else:
        yield dropped(name, f"not a known source file (suffix {suffix or 'none'!r}); "
                            "expected .html, .warc(.gz), .docx or .rtf")


def _html_file(path: Path, name: str, *, factiva_ok: bool, max_mb: float = 20.0) -> Iterator[Item]:
    try:
        if path.stat().st_size > max_mb * 1_000_000:
            yield Item(source=name, status="refused", reason=f"larger than {max_mb:g} MB; not one article page")
            return
        content = path.read_bytes()
    except OSError as exc:
        yield dropped(name, f"cannot be read ({exc.strerror}); check permissions")
        return
    if factiva_ok and exports.is_factiva_html(content):
        yield from exports.read_export(path, name=name)
    else:
        yield html.extract_page(content, source=name)


def _by_format(path: Path, name: str, fmt: str) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if fmt == "html":
        if suffix in html.HTML_SUFFIXES:
            yield from _html_file(path, name, factiva_ok=False)
        else:
            yield dropped(name, f"not a saved page (suffix {suffix or 'none'!r}); --format html reads .html files")
    elif fmt == "warc":
        if warc.is_warc(path):
            yield from warc.iter_warc(path, name=name)
        else:
            yield dropped(name, "not a .warc or .warc.gz file; --format warc reads web archives")
    elif suffix in _EXPORTS[fmt]:
        yield from exports.read_export(path, name=name)
    else:
        yield dropped(name, f"suffix {suffix or 'none'!r} is not a {fmt} export ({', '.join(_EXPORTS[fmt])})")


def iter_items(source: Path, fmt: str, fetcher: Callable[[], Fetcher]) -> Iterator[Item]:
    """Every item of ``source`` in order; ``fetcher()`` is called only for URL lists."""
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: unknown; use one of {', '.join(FORMATS)}")
    if fmt == "auto" and source.is_file():
        fmt = detect_format(source)
    if fmt in ("urls", "mediacloud"):
        if not source.is_file():
            raise UsageError(f"{source}: --format {fmt} needs a file with one URL a line or a CSV 'url' column")
        rows = urls.read_url_list(source)
        if fmt == "mediacloud" and not urls.is_mediacloud([k for k in rows[0] if not k.startswith("_")]):
            raise UsageError(f"{source}: --format mediacloud needs a Media Cloud story-list export "
                             "(columns such as stories_id, publish_date, media_name); use --format urls")
        yield from urls.iter_urls(rows, fetcher())
        return
    for path, name in _files(source):
        yield from (_auto_file(path, name) if fmt == "auto" else _by_format(path, name, fmt))
