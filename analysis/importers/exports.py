"""News-database exports split into articles: Nexis Uni (DOCX, RTF) and Factiva (HTML, RTF).

Files are read with python-docx, striprtf and lxml; the article structure
is the one the databases print (described below), so a change in their
layout shows up as articles dropped with a reason, never as silently merged
text.

* Nexis Uni: each article is title, outlet, date line (``October 29, 2019
  Tuesday``), then labelled lines (``Copyright``, ``Section:``, ``Length:``,
  ``Byline:``), a ``Body`` line, the paragraphs, trailing labelled lines
  (``Classification``, ``Load-Date:``) and ``End of Document``.
* Factiva: each article is headline, optional byline, ``N words``, date,
  outlet, source code, language, copyright, the paragraphs and a
  ``Document ID`` line. In HTML exports articles are ``div.article``
  elements with paragraphs of class ``articleParagraph``.

Example
-------
>>> text = "\\n".join(["A title", "The Outlet", "October 29, 2019 Tuesday", "Byline: Jo Doe",
...                   "Body", "First paragraph.", "Load-Date: October 30, 2019", "End of Document"])
>>> [(i.title, i.outlet, i.date, i.author, i.text) for i in split_nexis(text.split("\\n"), "x.docx")]
[('A title', 'The Outlet', '2019-10-29', 'Jo Doe', 'First paragraph.')]
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import docx
import lxml.html
from docx.opc.exceptions import PackageNotFoundError
from striprtf.striprtf import rtf_to_text

from analysis.importers.records import Item, dropped

EXPORT_SUFFIXES: tuple[str, ...] = (".docx", ".rtf", ".html", ".htm")
_NEXIS_END = re.compile(r"^\s*End of Document\s*$", re.I)
_NEXIS_LABEL = re.compile(r"^(Copyright|Section|Length|Byline|Dateline|Highlight|Edition|Publication-Type)\b:?", re.I)
_NEXIS_TAIL = re.compile(r"^(Classification|Load-Date|Language|Publication-Type|Subject|Graphic|Notes)\b:?", re.I)
_FACTIVA_ID = re.compile(r"^\s*Document [A-Za-z0-9]{16,}\s*$")
_FACTIVA_WORDS = re.compile(r"^\s*[\d,]+ words\s*$", re.I)
_COPYRIGHT = re.compile(r"^\s*(\(c\)|©|copyright)", re.I)
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b,?", re.I)
_DATE_FORMATS = ("%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y", "%Y-%m-%d", "%B %Y")


def iso_date(line: str) -> str:
    """``YYYY-MM-DD`` for a database date line, or "" when the line is not a date.

    Examples
    --------
    >>> iso_date("October 29, 2019 Tuesday"), iso_date("29 October 2019"), iso_date("Body")
    ('2019-10-29', '2019-10-29', '')
    """
    cleaned = " ".join(_WEEKDAY.sub(" ", line).split())
    cleaned = re.sub(r"\s+\d{1,2}:\d{2}.*$", "", cleaned)  # a trailing time ("10:42 PM EST")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return ""


def _chunks(lines: list[str], end: re.Pattern[str], *, end_inclusive: bool) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        if end.match(line):
            if end_inclusive:
                chunk.append(line.strip())
            if any(s.strip() for s in chunk):
                yield chunk
            chunk = []
        else:
            chunk.append(line)
    if any(s.strip() for s in chunk):
        yield chunk


def _nexis_article(lines: list[str], source: str) -> Item:
    lines = [s.strip() for s in lines if s.strip()]
    try:
        body_at = next(i for i, s in enumerate(lines) if s.lower() == "body")
    except StopIteration:
        return dropped(source, "no 'Body' line; not a Nexis Uni article (a cover page or a changed layout?)")
    head = lines[:body_at]
    body: list[str] = []
    for line in lines[body_at + 1:]:
        if _NEXIS_TAIL.match(line):
            break
        body.append(line)
    plain = [s for s in head if not _NEXIS_LABEL.match(s)]
    date = next((d for d in map(iso_date, plain) if d), "")
    byline = next((s.split(":", 1)[1].strip() for s in head if s.lower().startswith("byline")), "")
    return Item(source=source, text="\n".join(body), title=plain[0] if plain else "",
                outlet=plain[1] if len(plain) > 1 and not iso_date(plain[1]) else "", date=date, author=byline)


def split_nexis(lines: list[str], name: str) -> list[Item]:
    """Split the paragraphs of a Nexis Uni export into articles (``NAME#1``, ``NAME#2``, ...)."""
    return [_nexis_article(chunk, f"{name}#{n}")
            for n, chunk in enumerate(_chunks(lines, _NEXIS_END, end_inclusive=False), start=1)]


def _factiva_head(lines: list[str]) -> tuple[dict[str, str], int] | None:
    """Title, author, date and outlet from a Factiva header, and where the body starts."""
    try:
        words_at = next(i for i, s in enumerate(lines) if _FACTIVA_WORDS.match(s))
    except StopIteration:
        return None
    head, rest = lines[:words_at], lines[words_at + 1:]
    date = iso_date(rest[0]) if rest else ""
    author = next((s for s in head[1:] if s.lower().startswith("by ")), "")
    meta = {"title": head[0] if head else "", "date": date, "outlet": rest[1] if date and len(rest) > 1 else "",
            "author": re.sub(r"^by\s+", "", author, flags=re.I)}
    start = next((i + 1 for i, s in enumerate(rest[:8]) if _COPYRIGHT.match(s)), min(len(rest), 5))
    return meta, words_at + 1 + start


def _factiva_article(lines: list[str], source: str) -> Item:
    lines = [s.strip() for s in lines if s.strip()]
    found = _factiva_head(lines)
    if found is None:
        return dropped(source, "no 'N words' line; not a Factiva article (a changed layout?)")
    meta, start = found
    return Item(source=source, text="\n".join(s for s in lines[start:] if not _FACTIVA_ID.match(s)), **meta)


def split_factiva(lines: list[str], name: str) -> list[Item]:
    """Split a Factiva text or RTF export into articles at its ``Document ID`` lines."""
    return [_factiva_article(chunk, f"{name}#{n}")
            for n, chunk in enumerate(_chunks(lines, _FACTIVA_ID, end_inclusive=False), start=1)]


def _factiva_html(content: bytes, name: str) -> list[Item]:
    root = lxml.html.fromstring(content)
    items = []
    for n, art in enumerate(root.xpath("//div[contains(concat(' ', @class, ' '), ' article ')]"), start=1):
        source = f"{name}#{n}"
        head = [" ".join(el.text_content().split()) for el in art.xpath("./div|./span|./b")]
        body = [" ".join(p.text_content().split()) for p in art.xpath(".//p[contains(@class, 'articleParagraph')]")]
        found = _factiva_head([s for s in head if s])
        if found is None:
            items.append(dropped(source, "no 'N words' line in the article header; not a Factiva article"))
            continue
        items.append(Item(source=source, text="\n".join(s for s in body if s), **found[0]))
    return items


def is_factiva_html(content: bytes) -> bool:
    """True when an HTML file carries Factiva's article paragraphs (a sniff, not a parse).

    Examples
    --------
    >>> is_factiva_html(b'<div class="article"><p class="articleParagraph">x</p></div>')
    True
    """
    return b"articleParagraph" in content


def read_export(path: Path, *, name: str | None = None) -> list[Item]:
    """Read one export file into articles (or one dropped item saying why not).

    ``.docx`` is read as Nexis Uni; ``.rtf`` as Nexis Uni when it has
    ``End of Document`` lines, else as Factiva; ``.html`` as Factiva.
    """
    name = name or path.name
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
            return split_nexis(paragraphs, name)
        raw = path.read_bytes()
    except OSError as exc:
        return [dropped(name, f"cannot be read ({exc.strerror or exc}); check the file")]
    except (ValueError, KeyError, PackageNotFoundError, zipfile.BadZipFile) as exc:  # not a DOCX package
        return [dropped(name, f"not a readable DOCX file ({exc}); re-export it from Nexis Uni")]
    if suffix == ".rtf":
        text = rtf_to_text(raw.decode("cp1252", errors="replace"), errors="ignore")
        lines = text.replace("\r\n", "\n").split("\n")
        if any(_NEXIS_END.match(s) for s in lines):
            return split_nexis(lines, name)
        if any(_FACTIVA_ID.match(s) for s in lines):
            return split_factiva(lines, name)
        return [dropped(name, "RTF without 'End of Document' or 'Document ID' lines; not a Nexis or Factiva export")]
    if suffix in (".html", ".htm"):
        items = _factiva_html(raw, name)
        return items or [dropped(name, "no div.article elements; not a Factiva HTML export")]
    return [dropped(name, f"suffix {suffix!r} is not an export format (.docx, .rtf, .html)")]
