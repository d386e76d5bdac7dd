"""``corpus import``: web pages, web archives, URL lists and news-database exports into a corpus.

One call reads a source (:mod:`analysis.importers.sources` picks the
importer), extracts text and metadata, cleans page furniture, identifies
languages and duplicates (:mod:`analysis.importers.assemble`) and writes a
corpus folder in the data contract with ``import_report.csv``
(:mod:`analysis.importers.writer`). Every source item is one report row;
nothing is dropped without a reason.

A URL-list import keeps its fetch state in ``OUT/.fetch-state/``: run the
same command again after a kill and it continues without fetching any URL
twice.

Example
-------
>>> summary = import_corpus("saved_pages/", "data/raw/pk_news", region="pakistan")  # doctest: +SKIP
>>> summary.counts                                                                   # doctest: +SKIP
{'kept': 41, 'dropped': 3, 'refused': 0, 'duplicate': 2, 'not_english': 1}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from analysis import cleanup
from analysis.errors import CorpusError, UsageError
from analysis.importers.assemble import Options, assemble, read_metadata
from analysis.importers.fetch import Fetcher, FetchSettings
from analysis.importers.records import STATUSES
from analysis.importers.sources import FORMATS, detect_format, iter_items
from analysis.importers.writer import (
    TextFolder,
    carry_over,
    data_card,
    documents_frame,
    report_frame,
    write_tables,
)
from analysis.io import atomic_folder, clean_stale_temporaries

STATE_DIR = ".fetch-state"
_OUR_FILES = ("documents.csv", "import_report.csv", STATE_DIR)

__all__ = ["FORMATS", "FetchSettings", "ImportSummary", "import_corpus"]


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: where, how many items per status, and the report."""

    out: Path
    fmt: str
    counts: dict[str, int]
    removed: dict[str, int]
    report: pd.DataFrame = field(repr=False)

    @property
    def n_documents(self) -> int:
        """Documents written to the corpus (kept, not_english and kept duplicates)."""
        return int((self.report["doc_id"] != "").sum())


def _check_out(source: Path, out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file; give a folder for the corpus")
    if out.is_dir() and any(out.iterdir()) and not any((out / name).exists() for name in _OUR_FILES):
        raise UsageError(f"--out {out}: exists and is not a corpus written by 'corpus import'; "
                         "give a new folder (it would be replaced)")
    if source.is_dir() and out.resolve().is_relative_to(source.resolve()):
        raise UsageError(f"--out {out}: is inside the source folder {source}; write the corpus elsewhere")


def _settings(fmt: str, opts: Options, metadata: str | Path | None, fetch: FetchSettings | None) -> dict:
    settings = {"format": fmt, "region": opts.region or "from the metadata", "metadata": str(metadata or "none"),
                "clean-up rules off": ", ".join(opts.disable) or "none", "minimum words": opts.min_words,
                "languages": ", ".join(opts.languages), "near-duplicate threshold": opts.threshold,
                "exact duplicates": "kept" if opts.keep_exact_duplicates else "left out"}
    if fetch is not None and fmt in ("urls", "mediacloud"):
        settings.update({f"fetch {k}": v for k, v in asdict(fetch).items()}, **{"user agent": fetch.user_agent})
    return settings


def import_corpus(source: str | Path, out: str | Path, *, fmt: str = "auto", region: str | None = None,
                  metadata: str | Path | None = None, disable: Iterable[str] = (), min_words: int = 30,
                  languages: Iterable[str] = ("en",), threshold: float = 0.8, keep_exact_duplicates: bool = False,
                  fetch: FetchSettings | None = None) -> ImportSummary:
    """Import ``source`` into the corpus folder ``out`` and write ``import_report.csv``.

    Parameters
    ----------
    source : str or Path
        A folder (saved pages, WARC files, exports: decided per file), a
        WARC file, an export file, or a URL list (``.txt`` or ``.csv``).
    out : str or Path
        Corpus folder to write (replaced if it is an earlier import).
    fmt : str
        One of :data:`FORMATS`.
    region : str, optional
        The group of every document. Give this or ``metadata`` (a URL CSV
        with a ``region`` column needs neither).
    metadata : str or Path, optional
        CSV with ``source``, ``url`` or ``file``, ``region`` and any other columns.
    disable : iterable of str
        Clean-up rules to turn off (:data:`analysis.cleanup.RULES`).
    min_words : int
        Documents shorter than this after clean-up are dropped.
    languages : iterable of str
        Expected languages (ISO 639-1); others get status ``not_english``.
    threshold : float
        Near-duplicate Jaccard threshold (MinHash LSH).
    keep_exact_duplicates : bool
        Keep exact duplicates in the corpus (flagged) instead of leaving them out.
    fetch : FetchSettings, optional
        Politeness and limits for URL lists (default :class:`FetchSettings()`).

    Returns
    -------
    ImportSummary

    Raises
    ------
    UsageError, CorpusError
        Bad arguments; or nothing could be imported (the report is still written).
    """
    source, out = Path(source).expanduser(), Path(out).expanduser()
    if not source.exists():
        raise UsageError(f"{source}: no such file or folder; check SOURCE")
    if region and metadata:
        raise UsageError("give --region or --metadata, not both")
    resolved = detect_format(source) if fmt == "auto" else fmt
    if not region and metadata is None and resolved not in ("urls", "mediacloud"):
        raise UsageError("give --region R (one group for every document) or --metadata FILE (a group per source)")
    _check_out(source, out)
    opts = Options(region=(region or "").strip().lower() or None,
                   metadata=read_metadata(Path(metadata)) if metadata else None, disable=tuple(disable),
                   min_words=min_words, languages=tuple(languages), threshold=threshold,
                   keep_exact_duplicates=keep_exact_duplicates)
    fetch = fetch or FetchSettings()
    clean_stale_temporaries(out.parent, recursive=False)
    with atomic_folder(out) as tmp:
        texts = TextFolder(tmp)
        items = tqdm(iter_items(source, fmt, lambda: Fetcher(fetch, out / STATE_DIR)), desc="import",
                     unit=" items", disable=None)  # a progress bar on stderr when it is a terminal
        report_rows, doc_rows = assemble(items, opts, texts)
        report = report_frame(report_rows, cleanup.RULES)
        counts = {status: int((report["status"] == status).sum()) for status in STATUSES}
        removed = {rule: int(report[f"removed_{rule}"].sum()) for rule in cleanup.RULES}
        card = data_card(str(source), _settings(resolved, opts, metadata, fetch), counts, removed,
                         dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"))
        write_tables(tmp, documents_frame(doc_rows), report, card)
        carry_over(out, tmp, (STATE_DIR,))
    summary = ImportSummary(out, resolved, counts, removed, report)
    if not doc_rows:
        reasons = report["reason"].value_counts().head(3)
        raise CorpusError(f"{source}: nothing could be imported ({len(report)} items; most common reasons: "
                          + "; ".join(f"{r} ({n})" for r, n in reasons.items())
                          + f"); see {out / 'import_report.csv'}")
    return summary
