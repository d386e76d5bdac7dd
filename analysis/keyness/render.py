"""Rendering concordance lines: an escaped HTML table for notebooks, aligned text for a terminal.

Both renderers treat the text of a document as untrusted: :func:`kwic_html`
escapes every value (so markup in an article is shown, never run) and
:func:`format_kwic` replaces control characters and bidirectional overrides
(so a document cannot move the cursor, recolour or reorder the terminal).
The layout, matches aligned in one column between right-aligned left
context and left-aligned right context, is the classic KWIC display (Luhn
1960).

References
----------
Luhn, H. P. (1960). Key word-in-context index for technical literature
(KWIC index). *American Documentation* 11(4), 288-295.

Example
-------
>>> line = pd.DataFrame({"doc_id": ["d1"], "position": [3], "left": ["the"],
...                      "match": ["court"], "right": ["ruled"]})
>>> format_kwic(line, width=6)
'd1     the  court  ruled'
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

#: Control characters and bidirectional overrides: replaced in terminal output
#: so that a document cannot move the cursor, recolour or reorder the terminal.
_UNSAFE_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_KWIC_CSS = (
    "table.kwic{border-collapse:collapse;font-family:ui-monospace,Menlo,Consolas,monospace;"
    "font-size:0.85em}"
    "table.kwic td,table.kwic th{padding:1px 6px;white-space:nowrap;vertical-align:top}"
    "table.kwic td.kwic-left{text-align:right}"
    "table.kwic td.kwic-match{text-align:center}"
    "table.kwic td.kwic-right{text-align:left}"
    "table.kwic mark{background:#F0E442;color:#000;font-weight:bold}"
    "table.kwic td.kwic-meta{color:#555}"
)


def kwic_html(frame: pd.DataFrame, max_rows: int = 200,
              meta: Sequence[str] = ("doc_id",)) -> str:
    """Render a concordance as an HTML table (for notebooks: ``IPython.display.HTML``).

    The left context is right-aligned and the match highlighted with
    ``<mark>`` so that matches line up in a column. Every value is escaped
    with :func:`html.escape`, so markup in an article (``<script>``) is shown
    as text, never run.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`kwic`.
    max_rows : int
        Show at most this many lines; a note says how many were left out.
    meta : sequence of str
        Metadata columns shown before the context (missing ones are skipped).

    Returns
    -------
    str
        An HTML fragment (a ``<style>`` scoped to ``table.kwic`` and the table).

    Examples
    --------
    >>> line = pd.DataFrame({"doc_id": ["d1"], "position": [3], "left": ["said <b>"],
    ...                      "match": ["court"], "right": ["ruled"]})
    >>> "said &lt;b&gt;" in kwic_html(line)
    True
    """
    esc = html.escape
    if frame.empty:
        return '<p class="kwic-note">No matches.</p>'
    cols = [c for c in meta if c in frame.columns]
    head = "".join(f"<th>{esc(str(c))}</th>" for c in cols)
    rows = []
    for values in frame.iloc[:max_rows].to_dict("records"):      # only the rows displayed
        cells = "".join(f'<td class="kwic-meta">{esc(str(values.get(c, "")))}</td>' for c in cols)
        rows.append(
            f"<tr>{cells}<td class=\"kwic-left\">{esc(str(values['left']))}</td>"
            f"<td class=\"kwic-match\"><mark>{esc(str(values['match']))}</mark></td>"
            f"<td class=\"kwic-right\">{esc(str(values['right']))}</td></tr>")
    total = int(frame.attrs.get("n_matches", len(frame)))
    shown = min(len(frame), max_rows)
    note = ""
    if shown < total:
        note = f'<p class="kwic-note">Showing {shown:,} of {total:,} lines.</p>'
    return (f"<style>{_KWIC_CSS}</style>"
            f'<table class="kwic"><thead><tr>{head}<th>left</th><th>match</th>'
            f"<th>right</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{note}")


def _terminal_safe(value: Any) -> str:
    return _UNSAFE_TERMINAL.sub(" ", str(value))


def format_kwic(frame: pd.DataFrame, width: int = 40, show_doc: bool = True,
                max_rows: int | None = None) -> str:
    """Aligned plain-text concordance for a terminal.

    The left context is right-justified in ``width`` characters (cut on the
    left, keeping the words nearest the match), the matches are padded to one
    column and the right context is cut at ``width`` characters. Control
    characters and bidirectional overrides are replaced by spaces so a
    document cannot take over the terminal.

    Examples
    --------
    >>> from analysis.keyness.concordance import kwic
    >>> from analysis.keyness.example import example_data
    >>> tokens, docs = example_data()
    >>> print(format_kwic(kwic(tokens, docs, "court", window=3), width=16))
    hw1      spoke to the  court  .
    pk1               The  court  heard the court
    pk1   court heard the  court  case.
    """
    if frame.empty:
        return "No matches."
    lines = frame if max_rows is None else frame.iloc[:max_rows]
    left = [_terminal_safe(s) for s in lines["left"]]
    match = [_terminal_safe(s) for s in lines["match"]]
    right = [_terminal_safe(s) for s in lines["right"]]
    left = [s if len(s) <= width else "\u2026" + s[len(s) - width + 1:] for s in left]
    right = [s if len(s) <= width else s[:width - 1] + "\u2026" for s in right]
    match_width = min(max(len(m) for m in match), width)
    docs = [_terminal_safe(d) for d in lines["doc_id"]] if show_doc else [""] * len(lines)
    doc_width = max(len(d) for d in docs)
    out = []
    for d, lft, m, r in zip(docs, left, match, right, strict=True):
        prefix = f"{d:<{doc_width}}  " if show_doc else ""
        out.append(f"{prefix}{lft:>{width}}  {m:<{match_width}}  {r}".rstrip())
    return "\n".join(out)
