"""The record every importer yields: one source item, its text and metadata, or why it has none.

Importers (saved pages, WARC, URL lists, database exports) turn each source
item into an :class:`Item`. An item without text carries a ``status``
(``dropped`` or ``refused``) and a ``reason``, so that it becomes a row of
``import_report.csv`` instead of disappearing.

Example
-------
>>> item = Item(source="page.html", text="Body.", title="A title")
>>> item.ok
True
>>> Item(source="x.pdf", status="dropped", reason="not an HTML page").ok
False
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

#: Report statuses (DESIGN.md, section 3; issue 12).
STATUSES: tuple[str, ...] = ("kept", "dropped", "refused", "duplicate", "not_english")
#: Metadata fields every importer tries to fill, in documents.csv order.
FIELDS: tuple[str, ...] = ("date", "outlet", "title", "url", "author")


@dataclass(frozen=True)
class Item:
    """One source item.

    Parameters
    ----------
    source : str
        Where it came from: a file name (relative to the import source), a
        ``file#record`` for items inside a WARC or an export, or a URL.
    text : str
        Extracted main text ("" when none).
    title, date, outlet, author, url : str
        Metadata ("" when unknown); ``date`` is ``YYYY-MM-DD`` or "".
    extra : dict
        Other metadata to keep as documents.csv columns (e.g. a Media Cloud
        export's ``stories_id``).
    status : str
        "" while the item is still a candidate, else ``dropped`` or ``refused``.
    reason : str
        Why it was dropped or refused.
    """

    source: str
    text: str = ""
    title: str = ""
    date: str = ""
    outlet: str = ""
    author: str = ""
    url: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    status: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        """True when the item has text and was not dropped or refused."""
        return not self.status and bool(self.text.strip())

    def with_(self, **changes) -> Item:
        """A copy with some fields changed (items are immutable)."""
        return replace(self, **changes)

    def metadata(self) -> dict[str, str]:
        """The metadata fields and the extras as one dict."""
        return {**{name: getattr(self, name) for name in FIELDS}, **self.extra}


def dropped(source: str, reason: str, **meta) -> Item:
    """An item that was read but yields no document (e.g. no main text)."""
    return Item(source=source, status="dropped", reason=reason, **meta)


def refused(source: str, reason: str, **meta) -> Item:
    """An item the importer would not read or fetch (robots.txt, size, scheme)."""
    return Item(source=source, status="refused", reason=reason, **meta)
