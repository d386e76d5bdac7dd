"""Loader of the real-news development set: manifest, texts (kept outside the repository) and codes.

The labels live in ``data/annotations/real_news/`` (see its README); the texts are other
people's writing and live in ``~/.cache/metoo-workbench/real_news/texts/<id>.txt`` (or the
folder named by the environment variable ``METOO_REAL_NEWS``, either the ``real_news`` folder
or its ``texts`` folder). :func:`available` says whether they are there; :func:`load` reads
them, checks every text against ``text_sha256`` and every coded sentence against its
``sentence_sha256``, and :func:`token_table` parses them with the workbench's own pipeline
(:func:`analysis.preprocess.load_nlp`, line-aware sentences) and adds each token's character
offset, so that workbench sentences can be mapped to the coded spans by overlap
(:func:`gold_by_sentence`).

Three sets of codes are kept apart: the original codes (``frames_coded.csv``, both halves, plus
the extra *tuning* codes of :data:`EXTRA_CODES`), the extra *evaluation* codes written later by
coders who never saw the workbench's output (:data:`EVAL_EXTRA_GLOB`, :func:`with_evaluation_extra`),
and a held-out batch of new cases (:data:`HELDOUT`, :func:`load_heldout`), whose texts live in the
same folder as the others.

Example
-------
>>> import benchmarks.realnews_data as rn
>>> isinstance(available(), bool)
True
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import corpus as corpus_mod  # noqa: E402
from analysis import preprocess  # noqa: E402
from analysis.errors import CorpusError, CorpusWarning  # noqa: E402
from analysis.io import sha256_text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "data" / "annotations" / "real_news"
#: Extra tuning-half codes from a later coding round (same columns as ``frames_coded.csv``; optional).
EXTRA_CODES = LABELS / "parts" / "tuning_extra_frames_coded.csv"
#: Extra evaluation-half codes (same columns; evaluation-half excerpts only; optional).
EVAL_EXTRA_GLOB = "evaluation_extra_*_frames_coded.csv"
#: The held-out batch: ``manifest.csv``, ``people.csv``, ``frames_coded.csv`` (same columns as the main files).
HELDOUT = LABELS / "heldout"
FRAMES = ("legal_institutional", "workplace_accountability", "career_industry", "credibility_doubt",
          "backlash_defamation", "belief_support", "trauma_mental_health", "family_honour",
          "men_victims_too", "social_media_virality")
EXTRA = ("attribution", "furniture")
#: The tuning batches, each a folder of its own under ``LABELS`` (new cases, in the order they were gathered);
#: frames_dev.py, validity_roles.py and train_roles.py read this one list.
TUNING_BATCHES = ("tuning_batch2", "tuning_batch3", "tuning_batch4", "tuning_batch5", "tuning_batch6",
                  "tuning_batch7")


def texts_dir() -> Path:
    """Where the excerpt texts are expected (``METOO_REAL_NEWS`` or the user cache).

    Examples
    --------
    >>> texts_dir().name
    'texts'
    """
    base = Path(os.environ.get("METOO_REAL_NEWS") or Path.home() / ".cache" / "metoo-workbench" / "real_news")
    return base if base.name == "texts" and not (base / "texts").is_dir() else base / "texts"


def missing_message(labels: Path = LABELS) -> str:
    """Why the evaluation cannot run here, and what to do (empty when the texts are present).

    ``labels`` is the folder of the ``manifest.csv`` to check (default: the development set;
    :data:`HELDOUT` for the held-out batch).
    """
    folder = texts_dir()
    if not (labels / "manifest.csv").is_file():
        return f"{labels / 'manifest.csv'}: not found (no codes of this set have been committed yet)"
    manifest = pd.read_csv(labels / "manifest.csv", dtype=str, keep_default_na=False)
    missing = [i for i in manifest["id"] if not (folder / f"{i}.txt").is_file()]
    if not missing:
        return ""
    return (f"real-news texts not found: {len(missing)} of {len(manifest)} files of {labels.name}/manifest.csv "
            f"missing in {folder} (first: {missing[0]}.txt); re-gather them as data/annotations/real_news/README.md "
            "says, or set METOO_REAL_NEWS to their folder")


def available() -> bool:
    """True when every excerpt named in the manifest has its text file.

    Examples
    --------
    >>> available() in (True, False)
    True
    """
    return not missing_message()


@dataclass(frozen=True)
class DevSet:
    """The development set: ``manifest`` (one row per excerpt), ``codes`` (coded sentences), ``texts``."""

    manifest: pd.DataFrame
    codes: pd.DataFrame
    texts: dict[str, str]

    def half(self, name: str) -> DevSet:
        """Only the excerpts of one half (``tuning`` or ``evaluation``) that have codes."""
        ids = set(self.manifest.loc[self.manifest["half"] == name, "id"]) & set(self.codes["id"])
        return DevSet(self.manifest[self.manifest["id"].isin(ids)].reset_index(drop=True),
                      self.codes[self.codes["id"].isin(ids)].reset_index(drop=True),
                      {i: t for i, t in self.texts.items() if i in ids})


def _check_sentences(codes: pd.DataFrame, texts: dict[str, str], name: str = "frames_coded.csv") -> None:
    for row_no, row in enumerate(codes.itertuples(index=False), start=2):
        text = texts.get(row.id)
        if text is None:
            raise CorpusError(f"{name} row {row_no}, column 'id': {row.id!r} is not in manifest.csv")
        if sha256_text(text[row.start:row.end]) != row.sentence_sha256:
            raise CorpusError(f"{name} row {row_no}, column 'sentence_sha256': text[{row.start}:"
                              f"{row.end}] of {row.id} does not match; the text file differs from the coded one")


def read_extra_codes(manifest: pd.DataFrame, columns: list[str], path: Path = EXTRA_CODES, half: str = "tuning"
                     ) -> pd.DataFrame:
    """Extra codes of one half (empty when the file is absent); every id must be an excerpt of that ``half``.

    The file is written while a coder works, so it is re-read on every :func:`load`; a last row
    still being written (a code missing) is left out with a warning.

    Raises
    ------
    CorpusError
        When the columns differ from ``frames_coded.csv`` or a row names an excerpt that is not in
        ``half`` (tuning codes must not reach the evaluation half, nor evaluation codes the tuning half).

    Examples
    --------
    >>> m = pd.DataFrame({"id": ["a"], "half": ["evaluation"]})
    >>> read_extra_codes(m, ["id"], Path("/nonexistent.csv")).empty
    True
    """
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    extra = pd.read_csv(path, dtype={"id": str, "sentence_sha256": str, "coder": str})
    if list(extra.columns) != columns:
        raise CorpusError(f"{path}: columns {list(extra.columns)} differ from frames_coded.csv ({columns}); "
                          "write the same header")
    incomplete = extra.isna().any(axis=1)
    if incomplete.any():
        warnings.warn(f"{path}: {int(incomplete.sum())} row(s) with an empty cell left out (first: row "
                      f"{int(incomplete.to_numpy().argmax()) + 2}); finish coding them", CorpusWarning, stacklevel=2)
        extra = extra[~incomplete].copy()
    halves = dict(zip(manifest["id"], manifest["half"], strict=True))
    for row_no, doc_id in zip(extra.index + 2, extra["id"], strict=True):
        if halves.get(doc_id) != half:
            raise CorpusError(f"{path} row {row_no}, column 'id': {doc_id!r} is "
                              f"{'not in manifest.csv' if doc_id not in halves else 'in the ' + halves[doc_id] + ' half'}"
                              f"; this file may hold {half}-half excerpts only")
    ints = [c for c in columns if c not in ("id", "sentence_sha256", "coder")]
    return extra.astype({c: int for c in ints}).reset_index(drop=True)


def merge_codes(codes: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Codes plus extra codes; a sentence (id, start, end) coded in both keeps its first coding.

    Examples
    --------
    >>> a = pd.DataFrame({"id": ["x"], "start": [0], "end": [5], "f": [1]})
    >>> b = pd.DataFrame({"id": ["x", "y"], "start": [0, 0], "end": [5, 4], "f": [0, 1]})
    >>> merge_codes(a, b)["f"].tolist()
    [1, 1]
    """
    if extra.empty:
        return codes
    both = pd.concat([codes, extra], ignore_index=True)
    return both.drop_duplicates(["id", "start", "end"], keep="first").reset_index(drop=True)


def _read_texts(manifest: pd.DataFrame, folder: Path, name: str, present_only: bool = False) -> dict[str, str]:
    """The excerpt texts by id, every hash verified; ``present_only``: skip the missing files."""
    texts: dict[str, str] = {}
    for row_no, row in enumerate(manifest.itertuples(index=False), start=2):
        path = folder / f"{row.id}.txt"
        if not path.is_file():
            if present_only:
                continue
            raise CorpusError(f"{path}: missing ({name} row {row_no}); re-gather it as "
                              "data/annotations/real_news/README.md says, or set METOO_REAL_NEWS")
        text = path.read_bytes().decode("utf-8")
        if sha256_text(text) != row.text_sha256:
            raise CorpusError(f"{path}: SHA-256 differs from {name} row {row_no}, column 'text_sha256'; "
                              "re-gather the excerpt verbatim (data/annotations/real_news/README.md)")
        texts[row.id] = text
    return texts


def load(folder: Path | None = None, present_only: bool = False) -> DevSet:
    """Read manifest, codes (plus :data:`EXTRA_CODES`, tuning half only) and texts; verify every hash.

    ``present_only``: only the excerpts whose text file is present (a partial set, for reading
    errors or a partial report that says so; the manifest and codes of the others are left out).

    The extra evaluation codes are not included (:func:`with_evaluation_extra` adds them), so that
    the evaluation half stays comparable to earlier rounds.

    Raises
    ------
    CorpusError
        When a text is missing or differs from the one that was coded (naming the file and row).

    Examples
    --------
    >>> dev = load()                                         # doctest: +SKIP
    >>> dev.half("evaluation").codes["id"].nunique()         # doctest: +SKIP
    22
    """
    folder = folder or texts_dir()
    manifest = pd.read_csv(LABELS / "manifest.csv", dtype=str, keep_default_na=False)
    codes = pd.read_csv(LABELS / "frames_coded.csv", dtype={"id": str, "sentence_sha256": str})
    texts = _read_texts(manifest, folder, "manifest.csv", present_only)
    extra = read_extra_codes(manifest, list(codes.columns))
    if present_only:
        manifest = manifest[manifest["id"].isin(texts)].reset_index(drop=True)
        codes = codes[codes["id"].isin(texts)].reset_index(drop=True)
        extra = extra[extra["id"].isin(texts)].reset_index(drop=True)
    _check_sentences(codes, texts)
    _check_sentences(extra, texts, EXTRA_CODES.name)
    return DevSet(manifest, merge_codes(codes, extra), texts)


def evaluation_extra_codes(dev: DevSet, parts: Path = LABELS / "parts") -> pd.DataFrame:
    """The extra evaluation-half codes of every :data:`EVAL_EXTRA_GLOB` file, hashes checked (may be empty).

    Examples
    --------
    >>> m = pd.DataFrame({"id": ["a"], "half": ["evaluation"]})
    >>> c = pd.DataFrame(columns=["id", "start", "end", "sentence_sha256"])
    >>> evaluation_extra_codes(DevSet(m, c, {"a": "x"}), Path("/nonexistent")).empty
    True
    """
    columns = list(dev.codes.columns)
    found = []
    for path in sorted(parts.glob(EVAL_EXTRA_GLOB)):
        extra = read_extra_codes(dev.manifest, columns, path, half="evaluation")
        _check_sentences(extra, dev.texts, path.name)
        found.append(extra)
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)


def with_evaluation_extra(dev: DevSet, parts: Path = LABELS / "parts") -> DevSet:
    """The evaluation half with the original codes plus the extra evaluation codes (originals win on overlap).

    Examples
    --------
    >>> dev = with_evaluation_extra(load())                  # doctest: +SKIP
    """
    ev = dev.half("evaluation")
    extra = evaluation_extra_codes(dev, parts)
    codes = merge_codes(dev.codes, extra)
    ids = set(dev.manifest.loc[dev.manifest["half"] == "evaluation", "id"]) & set(codes["id"])
    return DevSet(dev.manifest[dev.manifest["id"].isin(ids)].reset_index(drop=True),
                  codes[codes["id"].isin(ids)].reset_index(drop=True),
                  {i: t for i, t in dev.texts.items() if i in ids}) if len(extra) else ev


def load_heldout(folder: Path | None = None, labels: Path = HELDOUT, dev_manifest: pd.DataFrame | None = None,
                 present_only: bool = False) -> DevSet:
    """The held-out batch (:data:`HELDOUT`): its manifest, codes and texts, every hash verified.

    Raises
    ------
    CorpusError
        When a file is missing, a text or sentence differs from the coded one, a code names an
        excerpt not in the batch's manifest, or an excerpt id is also in the development set.

    Examples
    --------
    >>> held = load_heldout()                                # doctest: +SKIP
    """
    folder = folder or texts_dir()
    for name in ("manifest.csv", "frames_coded.csv"):
        if not (labels / name).is_file():
            raise CorpusError(f"{labels / name}: not found; the held-out batch needs manifest.csv and frames_coded.csv")
    manifest = pd.read_csv(labels / "manifest.csv", dtype=str, keep_default_na=False)
    dev_manifest = pd.read_csv(LABELS / "manifest.csv", dtype=str, keep_default_na=False) \
        if dev_manifest is None else dev_manifest
    clash = sorted(set(manifest["id"]) & set(dev_manifest["id"]))
    if clash:
        raise CorpusError(f"{labels / 'manifest.csv'}: excerpt id(s) {clash[:3]} are also in the development set; "
                          "held-out excerpts need their own ids")
    shared = sorted(set(manifest.get("case", pd.Series(dtype=str))) & set(dev_manifest["case"]))
    if shared:
        warnings.warn(f"{labels / 'manifest.csv'}: case(s) {shared[:3]} also occur in the development set; "
                      "those excerpts are not held-out cases", CorpusWarning, stacklevel=2)
    codes = pd.read_csv(labels / "frames_coded.csv", dtype={"id": str, "sentence_sha256": str, "coder": str})
    if codes.isna().any(axis=None):
        raise CorpusError(f"{labels / 'frames_coded.csv'}: row {int(codes.isna().any(axis=1).to_numpy().argmax()) + 2}"
                          " has an empty cell; finish coding it")
    texts = _read_texts(manifest, folder, f"{labels.name}/manifest.csv", present_only)
    if present_only:
        codes = codes[codes["id"].isin(texts)].reset_index(drop=True)
    _check_sentences(codes, texts, f"{labels.name}/frames_coded.csv")
    ids = set(codes["id"])
    return DevSet(manifest[manifest["id"].isin(ids)].reset_index(drop=True), codes, texts={i: texts[i] for i in ids})


def token_table(dev: DevSet) -> pd.DataFrame:
    """Parse the texts as the workbench does; the token table plus ``char`` (offset of each token).

    The texts are parsed as they are (the corpus loader's clean-up is not run), so that the
    character offsets agree with the coded ones.
    """
    nlp = preprocess.load_nlp()
    parts = []
    for doc_id, text in dev.texts.items():
        cols = preprocess.doc_tokens(nlp(text), doc_id, sha256_text(text))
        part = pd.DataFrame(cols)
        lengths = (part["text"].str.len() + part["ws"].str.len()).to_numpy()
        part["char"] = lengths.cumsum() - lengths
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def as_corpus(dev: DevSet) -> corpus_mod.Corpus:
    """A :class:`analysis.corpus.Corpus` over the excerpts (no clean-up), for :func:`analysis.framing.score`."""
    docs = dev.manifest.rename(columns={"id": "doc_id"}).copy()
    docs["text"] = docs["doc_id"].map(dev.texts)
    docs["text_hash"] = docs["text"].map(sha256_text)
    return corpus_mod.Corpus(name="real_news_dev", path=LABELS, docs=docs, cases=None,
                             report=corpus_mod.LoadReport(source=str(LABELS)),
                             content_hash=sha256_text("".join(docs["text_hash"])))


def workbench_sentences(tokens: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, sentence_id, start, end``: character span of each workbench sentence (spaces trimmed)."""
    t = tokens[~tokens["text"].str.isspace() & (tokens["text"] != "")]
    end = t["char"] + t["text"].str.len()
    out = pd.DataFrame({"doc_id": t["doc_id"], "sentence_id": t["sent"], "start": t["char"], "end": end})
    return out.groupby(["doc_id", "sentence_id"], sort=False).agg(start=("start", "min"),
                                                                   end=("end", "max")).reset_index()


def gold_by_sentence(codes: pd.DataFrame, sentences: pd.DataFrame,
                     columns: tuple[str, ...] = FRAMES + EXTRA) -> pd.DataFrame:
    """Gold codes per workbench sentence: 1 when any coded span overlapping it has the code.

    Examples
    --------
    >>> codes = pd.DataFrame({"id": ["a", "a"], "start": [0, 10], "end": [9, 20], "f": [1, 0]})
    >>> sents = pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1], "start": [0, 10], "end": [9, 20]})
    >>> gold_by_sentence(codes, sents, ("f",))["f"].tolist()
    [1, 0]
    """
    rows = []
    for doc_id, sents in sentences.groupby("doc_id", sort=False):
        spans = codes[codes["id"] == doc_id]
        if spans.empty:
            continue
        for s in sents.itertuples(index=False):
            hit = spans[(spans["start"] < s.end) & (spans["end"] > s.start)]
            if hit.empty:
                continue
            rows.append({"doc_id": doc_id, "sentence_id": s.sentence_id,
                         **{c: int(hit[c].max()) for c in columns}})
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", *columns])
