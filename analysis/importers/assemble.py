"""Turn imported items into corpus documents and report rows.

For each item, in order: its group (``--region`` or the metadata file),
clean-up of page furniture (:func:`analysis.cleanup.clean_text`; bylines and
datelines it finds become ``author`` and ``dateline``), a minimum length, the
language (:func:`analysis.language.identify`) and an id. Then, over all kept
texts, exact and near duplicates (:func:`analysis.dedup.find_duplicates`).
Every item ends as one report row with a status from
:data:`analysis.importers.records.STATUSES` and a reason.

Policy: near duplicates are kept and flagged (``near_duplicate_cluster``) so
that comparisons can count a cluster once; exact duplicates are left out
(status ``duplicate``) unless ``keep_exact_duplicates``; documents not in an
expected language are kept with their ``language`` (status ``not_english``)
so that English-only measures can leave them out with a warning.

Example
-------
>>> Options(region=None).group_of(Item(source="a.html"), None) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis import cleanup, dedup, language
from analysis.errors import CorpusError, UsageError
from analysis.importers.records import FIELDS, Item
from analysis.importers.writer import DOCUMENT_COLUMNS, TextFolder

_SLUG = re.compile(r"[^a-z0-9._-]+")
_RESERVED = frozenset({*DOCUMENT_COLUMNS, "text", "n_words", "year", "text_hash", "dateline"})
_KEYS = ("source", "url", "file")
_GENERIC = frozenset({"index", "default", "article", "story", "news", "amp"})


@dataclass(frozen=True)
class Options:
    """What to keep and how (see the module docstring for the policy)."""

    region: str | None = None
    metadata: pd.DataFrame | None = None
    disable: tuple[str, ...] = ()
    min_words: int = 30
    languages: tuple[str, ...] = ("en",)
    min_language_p: float = 0.5
    threshold: float = 0.8
    keep_exact_duplicates: bool = False

    def group_of(self, item: Item, key: str | None) -> dict[str, str] | None:
        """Region and other metadata for an item, or None when it has no group."""
        if self.region:
            return {"region": self.region}
        if self.metadata is not None and key is not None:
            return self.metadata.loc[key].to_dict() if key in self.metadata.index else None
        region = item.extra.get("region", "")
        return {"region": region} if region else None


def read_metadata(path: Path) -> pd.DataFrame:
    """Read a ``--metadata`` CSV: a key column (``source``, ``url`` or ``file``), ``region`` and any others.

    Returns the table indexed by the key. Raises :class:`CorpusError` naming
    the file, row and column for a missing column, an empty region or a key
    given twice.
    """
    label = str(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UsageError(f"--metadata {label}: cannot be read as CSV ({exc}); give a UTF-8 CSV file") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    key = next((k for k in _KEYS if k in table.columns), None)
    if key is None or "region" not in table.columns:
        raise CorpusError(f"{label} row 1: needs a 'region' column and one of {', '.join(_KEYS)} "
                          f"(columns: {', '.join(table.columns)}); add them")
    seen: dict[str, int] = {}
    for row, (value, region) in enumerate(zip(table[key], table["region"], strict=True), start=2):
        if not region.strip():
            raise CorpusError(f"{label} row {row}, column 'region': empty; every document needs a group")
        if value in seen:
            raise CorpusError(f"{label} row {row}, column '{key}': {value!r} is given twice "
                              f"(first on row {seen[value]}); keep one row per source")
        seen[value] = row
    return table.set_index(key)


def metadata_key(item: Item, table: pd.DataFrame | None) -> str | None:
    """The metadata row matching an item: by source, by URL, or by file name without ``#record``."""
    if table is None:
        return None
    for candidate in (item.source, item.url, item.source.split("#", 1)[0], Path(item.source.split("#", 1)[0]).name):
        if candidate and candidate in table.index:
            return candidate
    return None


def _id_base(item: Item) -> str:
    if item.url:
        last = urlsplit(item.url).path.rstrip("/").rsplit("/", 1)[-1]
        last = re.sub(r"\.(s?html?|php|aspx?)$", "", last.lower())
        if len(last) >= 3 and last not in _GENERIC:
            return last
    name, _, record = item.source.partition("#")
    name = urlsplit(name).netloc if "://" in name else Path(name).stem
    return name + (f"-{record}" if record else "")


def make_id(item: Item, taken: set[str]) -> str:
    """A readable, unique doc_id from the URL's last path part or the source name.

    Examples
    --------
    >>> make_id(Item(source="pages/Actor Story.html"), set())
    'actor-story'
    >>> make_id(Item(source="x#2", url="https://e.org/news/story-1/"), {"story-1"})
    'story-1-2'
    """
    slug = _SLUG.sub("-", _id_base(item).lower()).strip("-._")[:60].strip("-._") or "doc"
    doc_id, n = slug, 1
    while doc_id in taken:
        n += 1
        doc_id = f"{slug}-{n}"
    taken.add(doc_id)
    return doc_id


def _document(item: Item, group: dict[str, str], meta: dict[str, str], doc_id: str, lang: str) -> dict[str, str]:
    row = {"doc_id": doc_id, **{name: getattr(item, name) for name in FIELDS}, "language": lang}
    if not row["author"] and meta.get("byline"):
        row["author"] = meta["byline"]
    if meta.get("dateline"):
        row["dateline"] = meta["dateline"]
    for key, value in item.extra.items():
        row[key if key not in _RESERVED else f"source_{key}"] = value
    row.update({k: v for k, v in group.items() if v != "" or k not in row})
    return row


def _one(item: Item, options: Options, texts: TextFolder, taken: set[str]) -> tuple[dict, dict | None]:
    """Report row (and document row when kept) for one item."""
    base = {"source": item.source, "url": item.url}
    if not item.ok:
        return {**base, "status": item.status or "dropped", "reason": item.reason or "no text"}, None
    group = options.group_of(item, metadata_key(item, options.metadata))
    if group is None:
        where = "the --metadata file" if options.metadata is not None else "--region, --metadata or a 'region' column"
        return {**base, "status": "dropped", "reason": f"no group: not matched in {where}; add a row for it"}, None
    cleaned = cleanup.clean_text(item.text, disable=options.disable)
    removed = {f"removed_{rule}": n for rule, n in cleaned.removed.items()}
    n_words = len(cleaned.text.split())
    if n_words < options.min_words:
        return {**base, **removed, "status": "dropped", "n_words": n_words,
                "reason": f"only {n_words} words after clean-up (minimum {options.min_words})"}, None
    lang, prob = language.identify(cleaned.text)
    doc_id = make_id(item, taken)
    texts.add(doc_id, cleaned.text)
    row = {**base, **removed, "doc_id": doc_id, "status": "kept", "reason": "", "n_words": n_words,
           "language": lang, "language_p": round(prob, 3)}
    if lang not in options.languages or prob < options.min_language_p:
        row.update(status="not_english", reason=f"language {lang} (p={prob:.2f}); kept with language={lang}, "
                                                "left out of English-only measures")
    return row, _document(item, group, cleaned.metadata, doc_id, lang)


def _flag_duplicates(report: list[dict], docs: list[dict], texts: TextFolder, options: Options) -> list[dict]:
    if not docs:
        return docs
    flags = dedup.find_duplicates(texts, threshold=options.threshold).set_index("doc_id")
    staying = flags if options.keep_exact_duplicates else flags[flags["exact_duplicate_of"] == ""]
    sizes = staying["near_duplicate_cluster"].value_counts()
    # a cluster whose other members were exact duplicates left out is no cluster in the corpus
    flags.loc[flags["near_duplicate_cluster"].map(sizes).fillna(0) < 2, "near_duplicate_cluster"] = ""
    by_id = {r["doc_id"]: r for r in report if r.get("doc_id")}
    kept = []
    for doc in docs:
        exact, cluster = flags.loc[doc["doc_id"], ["exact_duplicate_of", "near_duplicate_cluster"]]
        doc.update(exact_duplicate_of=exact, near_duplicate_cluster=cluster)
        row = by_id[doc["doc_id"]]
        if exact:
            row.update(status="duplicate", reason=f"exact duplicate of {exact} ({by_id[exact]['source']})"
                       + ("; kept and flagged" if options.keep_exact_duplicates else "; left out"))
            if not options.keep_exact_duplicates:
                texts.remove(doc["doc_id"])
                row["doc_id"] = ""
                continue
        elif cluster and row["status"] == "kept":
            row["reason"] = f"near-duplicate cluster {cluster} (Jaccard >= {options.threshold:g}); kept and flagged"
        kept.append(doc)
    return kept


def assemble(items: Iterable[Item], options: Options, texts: TextFolder) -> tuple[list[dict], list[dict]]:
    """Process items into (report rows, document rows); kept texts are written into ``texts``.

    Parameters
    ----------
    items : iterable of Item
        From any importer, in source order.
    options : Options
    texts : TextFolder
        Where kept texts go (inside the corpus folder being built).
    """
    unknown = sorted(set(options.disable) - set(cleanup.RULES))
    if unknown:
        raise UsageError(f"--no-clean {', '.join(unknown)}: unknown rule; rules are {', '.join(cleanup.RULES)}")
    report: list[dict] = []
    docs: list[dict] = []
    taken: set[str] = set()
    for item in items:
        row, doc = _one(item, options, texts, taken)
        report.append(row)
        if doc is not None:
            docs.append(doc)
    return report, _flag_duplicates(report, docs, texts, options)
