"""Shared fixtures: the teaching corpus, the seed articles, small corpora written on the fly."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis import corpus as corpus_mod
from analysis.config import PATHS

SEEDS = PATHS.root.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def teaching():
    """The bundled teaching corpus (loaded once)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", corpus_mod.CorpusWarning)
        return corpus_mod.load(PATHS.teaching)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """../shared/seeds (real articles); tests using it skip with a reason if it is absent."""
    if not (SEEDS / "README.md").is_file():
        pytest.skip(f"seed articles not found at {SEEDS} (they live beside the repository in shared/)")
    return SEEDS


def write_corpus(root: Path, documents: str, texts: dict[str, bytes | str] | None = None,
                 cases: str | None = None) -> Path:
    """Write a small corpus folder for a test and return its path."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "documents.csv").write_bytes(documents.encode("utf-8") if isinstance(documents, str) else documents)
    (root / "texts").mkdir(exist_ok=True)
    for doc_id, body in (texts or {}).items():
        data = body.encode("utf-8") if isinstance(body, str) else body
        (root / "texts" / f"{doc_id}.txt").write_bytes(data)
    if cases is not None:
        (root / "cases.csv").write_text(cases, encoding="utf-8")
    return root


@contextlib.contextmanager
def project_root_at(root: Path) -> Iterator[Path]:
    """Point the project root (caches, default results and figures) at ``root`` for a while."""
    old = PATHS.root
    object.__setattr__(PATHS, "root", root)
    try:
        yield root
    finally:
        object.__setattr__(PATHS, "root", old)


@pytest.fixture(scope="module")
def scratch_root(tmp_path_factory):
    """A scratch project root for one test module, so nothing is written into the repository."""
    with project_root_at(tmp_path_factory.mktemp("project")) as root:
        yield root


@pytest.fixture(scope="session")
def dask_cluster():
    """One two-worker ``dask.distributed.LocalCluster`` (processes) for every Dask test of the session."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as lc:
        yield lc
