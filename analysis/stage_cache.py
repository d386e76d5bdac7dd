"""Per-stage cache of the pipeline's output tables, so a warm re-run recomputes nothing.

Each stage of :mod:`analysis.pipeline` (topics, prevalence, frames, roles,
contrasts, keyness) stores the tables it produced in
``data/processed/<corpus>/stages/<stage>-<key>/``. The key hashes everything
the stage's result depends on:

* the stage name and the corpus content hash (:attr:`Corpus.content_hash`);
* the :class:`~analysis.pipeline.RunParams` fields the stage uses (given by
  the caller, including those of the stages it reads from);
* :func:`analysis.provenance.lexicon_hashes` (every lexicon, pattern and word
  list, plus extra ``--lexicon`` files) and
  :func:`analysis.preprocess.pipeline_signature` (spaCy model, sentence rule);
* the versions of the packages that compute results and a SHA-256 of the
  source of the whole ``analysis`` package, so a code change never gives a
  stale result.

An entry is written atomically (:func:`analysis.io.atomic_folder`) with a
``checksums.json`` holding the SHA-256 of every file. An entry that is
partial, unreadable or whose checksums do not match is reported with a
:class:`~analysis.errors.ResultWarning` and rebuilt. Tables are stored with
:func:`pandas.to_pickle`, which keeps dtypes and ``attrs`` exactly, so a table
read from the cache writes the same CSV bytes as the freshly computed one.

Example
-------
>>> import tempfile, pathlib, pandas as pd
>>> cache = StageCache(pathlib.Path(tempfile.mkdtemp()), content_hash="abc", signature="test")
>>> calls = []
>>> def compute():
...     calls.append(1)
...     return {"t": pd.DataFrame({"a": [1]})}, {"note": "x"}
>>> tables, meta = cache.get("demo", {"k": 3}, compute)
>>> tables, meta = cache.get("demo", {"k": 3}, compute)
>>> len(calls), meta["note"], tables["t"]["a"].tolist()
(1, 'x', [1])
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import warnings
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import ResultWarning
from analysis.io import atomic_folder, clean_stale_temporaries, sha256_file

#: Entries kept per stage (older ones, by modification time, are removed).
KEEP_PER_STAGE = 4
CHECKSUMS = "checksums.json"
META = "meta.json"

Computed = tuple[dict[str, pd.DataFrame], dict[str, Any]]


@lru_cache(maxsize=1)
def source_hash() -> str:
    """SHA-256 over the path and bytes of every ``.py`` file of the ``analysis`` package.

    Examples
    --------
    >>> len(source_hash())
    64
    """
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def software_signature(extra_lexicons: tuple[str, ...] = ()) -> str:
    """Lexicon hashes, spaCy pipeline signature, package versions and package source, as one hash.

    Examples
    --------
    >>> len(software_signature())                  # doctest: +SKIP
    64
    """
    from analysis import preprocess, provenance

    parts = {"lexicons": provenance.lexicon_hashes(tuple(extra_lexicons)),
             "pipeline": preprocess.pipeline_signature(), "packages": provenance.describe_packages(),
             "source": source_hash()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class StageCache:
    """The stage entries of one corpus under ``folder`` (``data/processed/<corpus>/stages``).

    Parameters
    ----------
    folder : Path
        Where the entries live.
    content_hash : str
        The corpus content hash.
    signature : str
        :func:`software_signature` (computed once per run by the caller).
    """

    def __init__(self, folder: Path, *, content_hash: str, signature: str) -> None:
        self.folder = Path(folder)
        self.content_hash = content_hash
        self.signature = signature
        self.hits: list[str] = []
        self.misses: list[str] = []

    def key(self, stage: str, fields: Mapping[str, Any]) -> str:
        """The 16-hex-digit key of ``stage`` with these parameter ``fields``.

        Examples
        --------
        >>> c = StageCache(Path("."), content_hash="a", signature="s")
        >>> c.key("x", {"k": 1}) == c.key("x", {"k": 1}) != c.key("x", {"k": 2})
        True
        """
        blob = json.dumps({"stage": stage, "corpus": self.content_hash, "fields": dict(fields),
                           "software": self.signature}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def path(self, stage: str, fields: Mapping[str, Any]) -> Path:
        """``<folder>/<stage>-<key>``."""
        return self.folder / f"{stage}-{self.key(stage, fields)}"

    def load(self, stage: str, fields: Mapping[str, Any]) -> Computed | None:
        """The stored (tables, meta) of the stage, or None when absent or broken (broken: a warning)."""
        entry = self.path(stage, fields)
        if not entry.exists():
            return None
        try:
            sums = json.loads((entry / CHECKSUMS).read_text(encoding="utf-8"))
            for name, digest in sums.items():
                if sha256_file(entry / name) != digest:
                    raise ValueError(f"checksum of {name} does not match")
            meta = json.loads((entry / META).read_text(encoding="utf-8"))
            tables = {name: pd.read_pickle(entry / f"{name}.pkl") for name in meta["tables"]}
        except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError) as exc:
            warnings.warn(f"stage cache {entry}: broken entry ({type(exc).__name__}: {exc}); rebuilding it",
                          ResultWarning, stacklevel=3)
            shutil.rmtree(entry, ignore_errors=True)
            return None
        return tables, meta["meta"]

    def save(self, stage: str, fields: Mapping[str, Any], tables: Mapping[str, pd.DataFrame],
             meta: Mapping[str, Any]) -> Path:
        """Write an entry atomically (tables, ``meta.json``, ``checksums.json``); prune old entries."""
        entry = self.path(stage, fields)
        clean_stale_temporaries(self.folder, recursive=False)
        with atomic_folder(entry) as tmp:
            for name, table in tables.items():
                table.to_pickle(tmp / f"{name}.pkl", protocol=pickle.HIGHEST_PROTOCOL)
            (tmp / META).write_text(json.dumps({"stage": stage, "fields": dict(fields), "tables": list(tables),
                                                "meta": dict(meta)}, sort_keys=True, default=str, indent=1),
                                    encoding="utf-8")
            sums = {p.name: sha256_file(p) for p in sorted(tmp.iterdir())}
            (tmp / CHECKSUMS).write_text(json.dumps(sums, sort_keys=True, indent=1), encoding="utf-8")
        others = sorted((p for p in self.folder.glob(f"{stage}-*") if p.is_dir() and p != entry),
                        key=lambda p: p.stat().st_mtime)
        for old in others[:max(len(others) - (KEEP_PER_STAGE - 1), 0)]:
            shutil.rmtree(old, ignore_errors=True)
        return entry

    def get(self, stage: str, fields: Mapping[str, Any], compute: Callable[[], Computed]) -> Computed:
        """The stage's (tables, meta): from the cache, else ``compute()`` (then stored)."""
        found = self.load(stage, fields)
        if found is not None:
            self.hits.append(stage)
            return found
        self.misses.append(stage)
        tables, meta = compute()
        self.save(stage, fields, tables, meta)
        return tables, meta
