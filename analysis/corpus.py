"""Load, validate and normalise a corpus (the data contract in DESIGN.md, section 3).

Accepted: a folder with ``documents.csv`` (one row per document), texts in ``texts/<doc_id>.txt``
or a ``text`` column, an optional ``cases.csv`` case registry and a ``README.md`` data card; a
single CSV file with a ``text`` column; a JSON Lines file (``.jsonl``/``.ndjson``).

Every problem either stops loading with a :class:`CorpusError` naming the file, the row
(spreadsheet numbering: the header is row 1) and the column and saying what to do, or is recorded
in the :class:`LoadReport` (and emitted as a :class:`CorpusWarning`) with what was excluded.
Input files are only ever read. Edge input, by rule: a text without a letter or digit (empty,
punctuation only) is excluded with a warning; a text over :data:`MAX_DOC_CHARS` characters (the
spaCy parser's limit) or a file over ``max_doc_mb`` is refused with advice on splitting it; a
file that is a symbolic link leading outside the corpus folder is refused; a ``;``- or
tab-delimited CSV is refused as such; a case whose region no document has is a warning.

Example
-------
>>> from analysis.config import PATHS
>>> corpus = load(PATHS.teaching)                      # doctest: +SKIP
>>> corpus.docs.groupby("region").size()               # doctest: +SKIP
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.corpus_options import clean_docs, read_settings
from analysis.errors import CorpusError, CorpusWarning

REQUIRED_COLUMNS: tuple[str, ...] = ("doc_id", "region")
RECOMMENDED_COLUMNS: tuple[str, ...] = ("date", "outlet", "title", "genre", "case_id", "url")
CASE_COLUMNS: tuple[str, ...] = ("case_id", "region", "victims", "victim_gender", "accused", "accused_gender",
                                 "year", "summary")
GENDERS: tuple[str, ...] = ("female", "male", "mixed", "unknown")
NO_CASE: frozenset[str] = frozenset({"", "none", "na", "n/a"})
#: Largest text per document: a news article is a few kB; more is almost always several pasted together.
MAX_DOC_MB: float = 5.0
#: Longest text per document in characters: spaCy's ``nlp.max_length`` (error E088), parsed in one piece.
MAX_DOC_CHARS: int = 1_000_000
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?([T ].*)?$")
_WORD = re.compile(r"[^\W_]")
_BIG = "split it into several files and load each as its own corpus"
_SPLIT = ("split it at its paragraph breaks into one document per article, each with its own row and text "
          f"(a text may have at most {MAX_DOC_CHARS:,} characters, the most the spaCy parser takes in one piece)")


@dataclass(frozen=True)
class Problem:
    """One recorded problem: where it is and what happened."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = f" row {self.row}" if self.row is not None else ""
        return f"{self.file}{row}{f', column {self.column!r}' if self.column else ''}: {self.message}"


@dataclass
class LoadReport:
    """What loading found: warnings, and documents or files that were excluded."""

    source: str
    n_documents: int = 0
    warnings: list[Problem] = field(default_factory=list)
    excluded: list[Problem] = field(default_factory=list)

    def warn(self, problem: Problem, *, excluded: bool = False) -> None:
        (self.excluded if excluded else self.warnings).append(problem)
        warnings.warn(str(problem), CorpusWarning, stacklevel=3)

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: kind, file, row, column, message."""
        rows = [{"kind": "excluded", **p.__dict__} for p in self.excluded]
        rows += [{"kind": "warning", **p.__dict__} for p in self.warnings]
        return pd.DataFrame(rows, columns=["kind", "file", "row", "column", "message"])

    def __str__(self) -> str:
        lines = [f"{self.source}: {self.n_documents} documents loaded"]
        lines += [f"  excluded: {p}" for p in self.excluded]
        lines += [f"  warning: {p}" for p in self.warnings]
        return "\n".join(lines)


@dataclass(frozen=True)
class Corpus:
    """A validated corpus.

    Attributes
    ----------
    name : str
        Short name (the folder or file stem), used for the cache folder.
    docs : pandas.DataFrame
        One row per document: ``doc_id, region, text, n_words, year, text_hash``
        plus every input column (``date`` parsed to datetime) and, when a case
        registry exists, ``victim_gender`` and ``accused_gender`` from it.
    cases : pandas.DataFrame or None
        The case registry, normalised.
    report : LoadReport
    content_hash : str
        SHA-256 over every document's id, metadata and text, and the cases.
    """

    name: str
    path: Path
    docs: pd.DataFrame
    cases: pd.DataFrame | None
    report: LoadReport
    content_hash: str
    settings: dict = field(default_factory=dict)
    #: What the text clean-up removed: ``doc_id, rule, removed`` (lines), see :mod:`analysis.cleanup`.
    cleaning: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.docs)

    def levels(self, by: str = "region", explicit: Sequence[str] | None = None) -> list[str]:
        """Levels of grouping column ``by`` in the documented order.

        ``explicit`` (``--groups``) first; else the order the corpus declares in
        ``corpus.yaml`` (``group_order: {column: [levels]}``); else the order of
        first appearance in documents.csv. Raises :class:`CorpusError` when
        ``by`` is not a column or ``explicit`` names a level that does not occur.

        Examples
        --------
        >>> load("data/raw/teaching").levels()          # doctest: +SKIP
        ['hollywood', 'bollywood', 'pakistan']
        """
        from analysis.selection import order_levels

        if by not in self.docs.columns:
            usable = [c for c in self.docs.columns if c not in ("text", "text_hash", "n_words")]
            raise CorpusError(f"--by {by!r}: documents.csv of {self.name!r} has no such column; "
                              f"choose one of {', '.join(usable)}")
        values = self.docs[by].dropna().astype(str)
        values = values[values.str.strip() != ""]
        if explicit and (missing := [g for g in explicit if g not in set(values)]):
            raise CorpusError(f"--groups: {', '.join(map(repr, missing))} not found in column {by!r} "
                              f"(it has {', '.join(sorted(set(values))[:20])})")
        declared = (self.settings.get("group_order") or {}).get(by)
        return order_levels(values, explicit=explicit, declared=declared)


# --------------------------------------------------------------------------- reading


def _decode(raw: bytes, label: str, report: LoadReport) -> str:
    """Decode bytes as UTF-8; accept a BOM, UTF-16 and Windows-1252 with a warning."""
    if raw.startswith(b"\xef\xbb\xbf"):
        report.warn(Problem(label, None, None, "starts with a UTF-8 byte-order mark (removed)"))
        raw, encoding = raw[3:], "utf-8"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
        if encoding == "utf-16":
            report.warn(Problem(label, None, None, "is UTF-16; decoded it, re-save as UTF-8"))
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise CorpusError(
                f"{label}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}) "
                "nor Windows-1252; re-save the file as UTF-8") from None
        report.warn(Problem(
            label, None, None,
            f"is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); decoded as "
            "Windows-1252, check accented letters and quotes, and re-save as UTF-8",
        ))
    if bad := _CONTROL.search(text):
        raise CorpusError(
            f"{label}: contains control character {bad.group()!r} at character {bad.start()}; "
            "this looks like a binary file, not text; export it as plain UTF-8 text")
    return text


def _read_bytes(path: Path, label: str, max_mb: float, root: Path | None = None, advice: str = _SPLIT) -> bytes:
    """The file's bytes, refused when above ``max_mb`` or a link leading outside folder ``root``."""
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise CorpusError(f"{label}: a symbolic link to {path.resolve()}, outside the corpus folder {root}; "
                          "links out of a corpus are not followed: copy the file into the corpus instead")
    size = path.stat().st_size
    if size > max_mb * 1_000_000:
        raise CorpusError(f"{label}: {size / 1_000_000:.1f} MB, above the limit of {max_mb:g} MB per file; {advice}")
    return path.read_bytes()


def _sniff_delimiter(text: str, label: str) -> None:
    """Refuse a file whose header is separated by ``;`` or tabs instead of commas."""
    first = text.split("\n", 1)[0]
    for sep, name in ((";", "';'"), ("\t", "tab")):
        if first.count(sep) > first.count(","):
            raise CorpusError(
                f"{label} row 1: the file looks {name}-delimited ({first.count(sep)} {name} and "
                f"{first.count(',')} ',' in the header); save it as comma-separated CSV (in a spreadsheet: "
                "'CSV UTF-8 (comma delimited)'; in pandas: pd.read_csv(path, sep=...).to_csv(path, index=False))")


def _parse_csv(text: str, label: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Parse CSV text into (header, [(row_number, fields)]), rejecting ragged rows.

    The csv module, not pandas.read_csv: pandas pads short rows with NaN and
    numbers rows its own way; we need spreadsheet row numbers and no padding.
    """
    _sniff_delimiter(text, label)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise CorpusError(f"{label}: the file is empty; it needs a header row")
        header = [h.strip() for h in header]
        record = 1
        for fields in reader:
            record += 1
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise CorpusError(
                    f"{label} row {record}: has {len(fields)} fields but the header has "
                    f"{len(header)}; check for a stray comma or a missing quote on this row")
            rows.append((record, fields))
    except csv.Error as exc:
        raise CorpusError(
            f"{label} row {reader.line_num}: malformed CSV ({exc}); check for an unbalanced "
            "quote (\") on or before this row") from None
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        raise CorpusError(f"{label} row 1: column(s) {dup} appear more than once; rename them")
    if "" in header:
        raise CorpusError(f"{label} row 1: a column has no name; name it or delete it")
    return header, rows


def _frame(header: list[str], rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    df = pd.DataFrame([f for _, f in rows], columns=header, dtype=object)
    df.insert(0, "_row", [r for r, _ in rows])
    for col in header:
        df[col] = df[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    return df


def _require(df: pd.DataFrame, columns: Iterable[str], label: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise CorpusError(
            f"{label} row 1: required column(s) {missing} missing (found {list(df.columns[1:])}); "
            "add them to the header")


# --------------------------------------------------------------------------- validation


def _check_ids(df: pd.DataFrame, label: str) -> None:
    first_seen: dict[str, int] = {}
    for row, doc_id in zip(df["_row"], df["doc_id"], strict=True):
        if not doc_id:
            raise CorpusError(f"{label} row {row}, column 'doc_id': empty; give every document an id")
        if not _DOC_ID.match(doc_id):
            raise CorpusError(
                f"{label} row {row}, column 'doc_id': {doc_id!r} is not a valid id; use letters, "
                "digits, '.', '_' and '-' only (it names the text file)")
        if doc_id in first_seen:
            raise CorpusError(
                f"{label} row {row}, column 'doc_id': {doc_id!r} is duplicated "
                f"(first seen on row {first_seen[doc_id]}); make ids unique")
        first_seen[doc_id] = row
    for row, region in zip(df["_row"], df["region"], strict=True):
        if not region:
            raise CorpusError(f"{label} row {row}, column 'region': empty; every document needs a group")


def _parse_dates(df: pd.DataFrame, label: str) -> pd.DataFrame:
    if "date" not in df.columns:
        return df.assign(year=pd.Series(pd.NA, index=df.index, dtype="Int64"))
    parsed = []
    for row, value in zip(df["_row"], df["date"], strict=True):
        if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
            parsed.append(pd.NaT)
            continue
        value = str(value).strip()
        stamp = pd.to_datetime(value, errors="coerce", format="ISO8601") if _DATE.match(value) else pd.NaT
        if pd.isna(stamp):
            raise CorpusError(
                f"{label} row {row}, column 'date': {value!r} is not an ISO 8601 date; "
                "write it as YYYY-MM-DD (or leave it empty)")
        parsed.append(stamp.tz_localize(None) if stamp.tzinfo else stamp)
    dates = pd.to_datetime(pd.Series(parsed, index=df.index, dtype=object))
    return df.assign(date=dates, year=dates.dt.year.astype("Int64"))


def _normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def _load_cases(path: Path, report: LoadReport, root: Path) -> pd.DataFrame:
    label = str(path)
    header, rows = _parse_csv(_decode(_read_bytes(path, label, MAX_DOC_MB, root, _BIG), label, report), label)
    df = _frame(header, rows)
    _require(df, ("case_id", "victim_gender"), label)
    seen: dict[str, int] = {}
    for row, cid in zip(df["_row"], df["case_id"], strict=True):
        if not cid:
            raise CorpusError(f"{label} row {row}, column 'case_id': empty; give every case an id")
        if cid in seen:
            raise CorpusError(
                f"{label} row {row}, column 'case_id': {cid!r} is duplicated (first seen on row {seen[cid]})")
        seen[cid] = row
    for col in [c for c in ("victim_gender", "accused_gender") if c in df.columns]:
        values = df[col].str.lower()
        for row, value in zip(df["_row"], values, strict=True):
            if value not in GENDERS:
                raise CorpusError(
                    f"{label} row {row}, column '{col}': unknown gender label {value!r}; "
                    f"use one of {', '.join(GENDERS)}")
        df[col] = values
    if "year" in df.columns:
        for row, value in zip(df["_row"], df["year"], strict=True):
            if value and not re.fullmatch(r"\d{4}", value):
                raise CorpusError(f"{label} row {row}, column 'year': {value!r} is not a four-digit year")
        df["year"] = pd.to_numeric(df["year"].replace("", None)).astype("Int64")
    return df.drop(columns="_row").reset_index(drop=True)


def _attach_cases(docs: pd.DataFrame, cases: pd.DataFrame | None, label: str) -> pd.DataFrame:
    if "case_id" not in docs.columns:
        return docs
    case_ids = docs["case_id"].fillna("").map(str)
    docs = docs.assign(case_id=case_ids.map(lambda c: pd.NA if c.lower() in NO_CASE else c))
    if cases is None:
        return docs
    known = set(cases["case_id"])
    for row, cid in zip(docs["_row"], docs["case_id"], strict=True):
        if isinstance(cid, str) and cid not in known:
            raise CorpusError(
                f"{label} row {row}, column 'case_id': {cid!r} is not in cases.csv; "
                "add the case to cases.csv or set case_id to none")
    keep = [c for c in ("case_id", "victim_gender", "accused_gender") if c in cases.columns]
    merged = docs.merge(cases[keep], on="case_id", how="left", suffixes=("_input", ""))
    for col in ("victim_gender", "accused_gender"):
        if col in merged.columns:
            merged[col] = merged[col].fillna("unknown")
    return merged


def _finish(name: str, path: Path, docs: pd.DataFrame, cases: pd.DataFrame | None,
            report: LoadReport, label: str, max_doc_mb: float = float("inf")) -> Corpus:
    for row, text in zip(docs["_row"], docs["text"], strict=True):
        if isinstance(text, str) and len(text) > max_doc_mb * 1_000_000:
            raise CorpusError(f"{label} row {row}, column 'text': longer than {max_doc_mb:g} MB; {_SPLIT}")
    texts = docs["text"].map(lambda t: _normalise_text(t) if isinstance(t, str) else "")
    empty = ~texts.map(lambda t: bool(_WORD.search(t)))
    for row, doc_id, text in zip(docs.loc[empty, "_row"], docs.loc[empty, "doc_id"], texts[empty], strict=True):
        what = "has no text" if not text else "has no words (only punctuation or symbols)"
        report.warn(Problem(label, int(row), "text", f"document {doc_id!r} {what}; excluded"), excluded=True)
    for row, doc_id, n in zip(docs["_row"], docs["doc_id"], texts.str.len(), strict=True):
        if n > MAX_DOC_CHARS:
            raise CorpusError(
                f"{label} row {row}: the text of {doc_id!r} has {n:,} characters, above the limit; {_SPLIT}")
    docs = docs.assign(text=texts)[~empty]
    if docs.empty:
        raise CorpusError(f"{label}: no document with text remains; see the warnings above")
    docs["region"] = docs["region"].str.strip().str.lower()
    if "genre" in docs.columns:
        docs["genre"] = docs["genre"].fillna("").str.strip().str.lower()
    docs = _parse_dates(docs, label)
    docs = _attach_cases(docs, cases, label)
    docs["n_words"] = docs["text"].str.split().str.len().astype(int)
    docs["text_hash"] = docs["text"].map(lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest()[:16])
    docs = docs.drop(columns="_row").reset_index(drop=True)
    front = ["doc_id", "region", "text", "n_words"]
    docs = docs[front + [c for c in docs.columns if c not in front]]
    report.n_documents = len(docs)
    return Corpus(name, path, docs, cases, report, content_hash(docs, cases))


def content_hash(docs: pd.DataFrame, cases: pd.DataFrame | None = None) -> str:
    """SHA-256 over documents (ids, metadata, text) and the case registry.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "region": ["x"], "text": ["hi"]})
    >>> content_hash(d) == content_hash(d.copy())
    True
    """
    h = hashlib.sha256()
    frame = docs.sort_values("doc_id")
    h.update(frame.astype(str).to_csv(index=False).encode("utf-8"))
    if cases is not None:
        h.update(cases.astype(str).to_csv(index=False).encode("utf-8"))
    return h.hexdigest()


# --------------------------------------------------------------------------- loaders


def _read_table(file: Path, report: LoadReport, required: Sequence[str], root: Path | None = None) -> pd.DataFrame:
    """documents.csv (or a single-file CSV corpus) as a frame with ``_row``, ids checked."""
    label = str(file)
    docs = _frame(*_parse_csv(_decode(_read_bytes(file, label, 200.0, root, _BIG), label, report), label))
    _require(docs, required, label)
    if docs.empty:
        raise CorpusError(f"{label}: has a header but no document rows")
    _check_ids(docs, label)
    return docs


def _load_folder(path: Path, max_doc_mb: float, use_cases: bool) -> Corpus:
    """A corpus folder. Text files that are links leading outside the folder are refused (CorpusError)."""
    report = LoadReport(str(path))
    doc_file = path / "documents.csv"
    if not doc_file.is_file():
        raise CorpusError(f"{path}: no documents.csv; a corpus folder needs documents.csv with columns "
                          f"{', '.join(REQUIRED_COLUMNS)} (see README, 'Use your own corpus')")
    label = str(doc_file)
    docs = _read_table(doc_file, report, REQUIRED_COLUMNS, path)
    texts_dir, tlabel = path / "texts", str(path / "texts")
    has_column = "text" in docs.columns
    texts: list[str] = []
    for row, doc_id, inline in zip(docs["_row"], docs["doc_id"], docs["text"] if has_column else [None] * len(docs),
                                   strict=True):
        file, flabel = texts_dir / f"{doc_id}.txt", f"{tlabel}/{doc_id}.txt"
        if not inline and not file.is_file():
            raise CorpusError(
                f"{label} row {row}, column 'doc_id': no text for {doc_id!r} (expected "
                f"texts/{doc_id}.txt{' or a text value' if has_column else ''}); add the file or remove the row")
        texts.append(inline or _decode(_read_bytes(file, flabel, max_doc_mb, path), flabel, report))
    docs["text"] = texts
    if texts_dir.is_dir():
        listed = set(docs["doc_id"])
        for orphan in sorted(texts_dir.glob("*.txt")):
            if orphan.stem not in listed:
                report.warn(Problem(f"{tlabel}/{orphan.name}", None, None,
                                    "has no row in documents.csv; excluded (add a row to include it)"),
                            excluded=True)
    cases = None
    if use_cases and (path / "cases.csv").is_file():
        cases = _load_cases(path / "cases.csv", report, path)
    corpus = _finish(path.name, path, docs, cases, report, label)
    _check_case_regions(corpus.docs, cases, report, str(path / "cases.csv"))
    return dataclasses.replace(corpus, settings=read_settings(path / "corpus.yaml"))


def _check_case_regions(docs: pd.DataFrame, cases: pd.DataFrame | None, report: LoadReport, label: str) -> None:
    """Warn about every case whose ``region`` no document has (usually a spelling difference)."""
    if cases is None or "region" not in cases.columns:
        return
    regions = set(docs["region"])
    for cid, region in zip(cases["case_id"], cases["region"].fillna("").str.strip().str.lower(), strict=True):
        if region and region not in regions:
            report.warn(Problem(label, None, "region", (
                f"case {cid!r} has region {region!r}, which no document has (documents have "
                f"{', '.join(sorted(regions)[:10])}); check the spelling in cases.csv or documents.csv")))


def _load_csv(path: Path, max_doc_mb: float) -> Corpus:
    report = LoadReport(str(path))
    label = str(path)
    docs = _read_table(path, report, (*REQUIRED_COLUMNS, "text"))
    return _finish(path.stem, path, docs, None, report, label, max_doc_mb)


def _load_jsonl(path: Path, max_doc_mb: float) -> Corpus:
    report = LoadReport(str(path))
    label = str(path)
    text = _decode(_read_bytes(path, label, 200.0, advice=_BIG), label, report)
    records: list[dict] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{label} row {number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise CorpusError(f"{label} row {number}: expected a JSON object per line, got {type(obj).__name__}")
        for key in (*REQUIRED_COLUMNS, "text"):
            if not isinstance(obj.get(key), str):
                raise CorpusError(f"{label} row {number}, column '{key}': missing or not a string")
        records.append({"_row": number, **{k: v if isinstance(v, str) or v is None else json.dumps(v)
                                           for k, v in obj.items()}})
    if not records:
        raise CorpusError(f"{label}: no documents (expected one JSON object per line)")
    docs = pd.DataFrame(records, dtype=object)
    for col in docs.columns.drop("_row"):
        docs[col] = docs[col].map(lambda v: v.strip() if isinstance(v, str) else ("" if v is None else v))
    _check_ids(docs, label)
    return _finish(path.stem, path, docs, None, report, label, max_doc_mb)


def _apply_cleanup(corpus: Corpus, clean: bool) -> Corpus:
    """Load-time clean-up and the English-only rule (:mod:`analysis.corpus_options`)."""
    docs, cleaning, dropped = clean_docs(corpus.docs, corpus.settings, clean=clean)
    for doc_id, why in dropped:
        corpus.report.warn(Problem(str(corpus.path), None, "text", f"document {doc_id!r} {why}; excluded"),
                           excluded=True)
    if docs.empty:
        raise CorpusError(f"{corpus.path}: no document with article text remains after clean-up; see the warnings")
    if cleaning is None and not dropped:
        return corpus
    docs["n_words"] = docs["text"].str.split().str.len().astype(int)
    docs["text_hash"] = docs["text"].map(lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest()[:16])
    corpus.report.n_documents = len(docs)
    return dataclasses.replace(corpus, docs=docs, cleaning=cleaning, content_hash=content_hash(docs, corpus.cases))


def load(path: str | Path, *, max_doc_mb: float = MAX_DOC_MB, use_cases: bool = True,
         clean: bool = True) -> Corpus:
    """Load and validate a corpus from a folder, a CSV file or a JSON Lines file.

    Parameters
    ----------
    path : str or Path
        Corpus folder, ``.csv`` file (with a ``text`` column) or ``.jsonl`` file.
    max_doc_mb : float
        Largest text accepted per document, in MB.
    use_cases : bool
        Read ``cases.csv`` when present. ``False`` hides the registry, e.g. to
        check what the framing module infers without it.
    clean : bool
        Remove page furniture and move bylines and datelines into metadata
        (:mod:`analysis.cleanup`; per-rule counts in ``corpus.cleaning``).

    Returns
    -------
    Corpus
        ``corpus.docs`` is a new DataFrame; input files are never modified.

    Raises
    ------
    CorpusError
        With a message naming file, row and column and what to do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "c.csv").write_text("doc_id,region,text\\na,x,Hello world\\n")
    >>> load(d / "c.csv").docs[["doc_id", "n_words"]].values.tolist()
    [['a', 2]]
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder; check the path (a corpus is a folder, .csv or .jsonl)")
    loader = {".csv": _load_csv, ".jsonl": _load_jsonl, ".ndjson": _load_jsonl}.get(path.suffix.lower())
    try:
        if path.is_dir():
            return _apply_cleanup(_load_folder(path, max_doc_mb, use_cases), clean)
        if loader is not None:
            return _apply_cleanup(loader(path, max_doc_mb), clean)
    except OSError as exc:
        raise CorpusError(f"{exc.filename or path}: cannot be read ({exc.strerror}); check permissions") from None
    raise CorpusError(f"{path}: unsupported corpus format {path.suffix!r}; use a folder, .csv or .jsonl")


def summary(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Tables describing a corpus: documents and words per region, year and genre.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "c.csv").write_text("doc_id,region,text\\na,x,Hello world\\nb,y,Hi\\n")
    >>> summary(load(d / "c.csv"))["region"]["documents"].tolist()
    [1, 1]
    """
    docs = corpus.docs
    out: dict[str, pd.DataFrame] = {}
    for by in ("region", "year", "genre", "victim_gender"):
        if by not in docs.columns or docs[by].isna().all():
            continue
        g = docs.groupby(by, dropna=False)["n_words"]
        table = pd.DataFrame({"documents": g.size(), "words": g.sum(), "median_words": g.median()})
        table["median_words"] = table["median_words"].round().astype(int)
        out[by] = table
    return out
