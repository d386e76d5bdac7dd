"""Write an imported corpus folder in the data contract (DESIGN.md, section 3).

The folder is built under a temporary name and renamed into place in one
step (:func:`analysis.io.atomic_folder`), so a reader never sees half a
corpus. Texts are written as they arrive and read back lazily
(:class:`TextFolder`), so memory does not grow with the number of pages.

Files written: ``documents.csv`` (``doc_id, region, date, outlet, title,
url, author, language`` first, then duplicate flags and any kept metadata),
``texts/<doc_id>.txt``, ``import_report.csv`` (one row per source item) and
a ``README.md`` data-card stub naming the source, the import date and the
settings.

Example
-------
>>> import tempfile, pathlib
>>> folder = TextFolder(pathlib.Path(tempfile.mkdtemp()))
>>> folder.add("a", "Some text.")
>>> dict(folder)
{'a': 'Some text.'}
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from analysis.io import atomic_write_csv, atomic_write_text

DOCUMENT_COLUMNS: tuple[str, ...] = ("doc_id", "region", "date", "outlet", "title", "url", "author", "language",
                                     "exact_duplicate_of", "near_duplicate_cluster")
REPORT_COLUMNS: tuple[str, ...] = ("source", "doc_id", "status", "reason", "url", "n_words", "language",
                                   "language_p")


class TextFolder(Mapping[str, str]):
    """``texts/<doc_id>.txt`` under ``root``, as a read-only mapping once written."""

    def __init__(self, root: Path):
        self.dir = Path(root) / "texts"
        self._ids: list[str] = []

    def add(self, doc_id: str, text: str) -> None:
        """Write one text (UTF-8, final newline)."""
        atomic_write_text(self.dir / f"{doc_id}.txt", text.rstrip("\n") + "\n")
        self._ids.append(doc_id)

    def remove(self, doc_id: str) -> None:
        """Delete one text (e.g. an exact duplicate left out)."""
        (self.dir / f"{doc_id}.txt").unlink(missing_ok=True)
        self._ids.remove(doc_id)

    def __getitem__(self, doc_id: str) -> str:
        if doc_id not in self._ids:
            raise KeyError(doc_id)
        text = (self.dir / f"{doc_id}.txt").read_text(encoding="utf-8")
        return text[:-1] if text.endswith("\n") else text

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._ids))

    def __len__(self) -> int:
        return len(self._ids)


def documents_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    """documents.csv as a frame: contract columns first, then the rest in first-seen order.

    Examples
    --------
    >>> list(documents_frame([{"doc_id": "a", "region": "x", "stories_id": "7"}]).columns)[:3]
    ['doc_id', 'region', 'date']
    """
    extra: list[str] = []
    for row in rows:
        extra += [k for k in row if k not in DOCUMENT_COLUMNS and k not in extra]
    frame = pd.DataFrame(rows, columns=[*DOCUMENT_COLUMNS, *extra], dtype=object)
    return frame.fillna("")


def report_frame(rows: list[dict[str, object]], rules: tuple[str, ...]) -> pd.DataFrame:
    """import_report.csv as a frame: one row per source item, ``removed_<rule>`` counts last."""
    columns = [*REPORT_COLUMNS, *(f"removed_{r}" for r in rules)]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    for rule in rules:
        frame[f"removed_{rule}"] = frame[f"removed_{rule}"].fillna(0).astype(int)
    return frame.fillna("")


def data_card(source: str, settings: Mapping[str, object], counts: Mapping[str, int],
              removed: Mapping[str, int], imported_on: str) -> str:
    """The README.md stub: source, date of import, settings, what was kept and removed."""
    lines = [
        f"# Corpus imported from {Path(source).name}", "",
        "Data card stub written by `python -m analysis corpus import`; complete the sections marked 'To complete'.", "",
        "## Source", "", f"- source: `{source}`", f"- imported on: {imported_on} (UTC)", "",
        "## Import settings", "",
        *(f"- {key}: `{value}`" for key, value in settings.items()), "",
        "## What was imported", "",
        "See `import_report.csv` for one row per source item with its status and reason.", "",
        *(f"- {status}: {n}" for status, n in counts.items()), "",
        "Lines removed by clean-up rule (`analysis.cleanup`):", "",
        *(f"- {rule}: {n}" for rule, n in removed.items()), "",
        "## Licence", "",
        "To complete. The texts are the publishers' work: keep them for research use and do not redistribute them.", "",
        "## How collected, limitations", "", "To complete: search terms, dates, outlets, what is missing.", "",
    ]
    return "\n".join(lines)


def carry_over(old: Path, new: Path, names: tuple[str, ...]) -> None:
    """Hard-link (or copy) folders such as the fetch state from ``old`` into ``new``."""
    for name in names:
        src = old / name
        if src.is_dir():
            def link(a: str, b: str) -> None:
                try:
                    os.link(a, b)
                except OSError:
                    shutil.copy2(a, b)
            shutil.copytree(src, new / name, copy_function=link, dirs_exist_ok=True)


def write_tables(root: Path, documents: pd.DataFrame, report: pd.DataFrame, card: str) -> None:
    """Write documents.csv (if any document), import_report.csv and README.md into ``root``."""
    if len(documents):
        atomic_write_csv(root / "documents.csv", documents)
    atomic_write_csv(root / "import_report.csv", report)
    atomic_write_text(root / "README.md", card)
