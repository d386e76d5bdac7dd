"""One place for paths, default parameters and seeds.

The project root is found in this order:

1. the ``METOO_WORKBENCH_ROOT`` environment variable, if set;
2. the folder above this package, when it holds ``pyproject.toml`` (a clone,
   or ``pip install -e .``);
3. the current working directory or one of its parents holding both
   ``pyproject.toml`` and ``analysis/`` (a notebook started in ``notebooks/``);
4. otherwise the current working directory.

Example
-------
>>> from analysis.config import PATHS
>>> PATHS.teaching.name
'teaching'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Default seed for every stochastic step (the date of the Indian #MeToo wave's peak).
SEED: int = 20181010


def _looks_like_root(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "analysis").is_dir()


def find_root(start: Path | None = None) -> Path:
    """Return the project root (see module docstring for the search order).

    Parameters
    ----------
    start : Path, optional
        Where to start the upward search (default: the working directory).

    Examples
    --------
    >>> (find_root() / "analysis").is_dir()
    True
    """
    env = os.environ.get("METOO_WORKBENCH_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    package_parent = Path(__file__).resolve().parent.parent
    if _looks_like_root(package_parent):
        return package_parent
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _looks_like_root(candidate):
            return candidate
    return here


@dataclass(frozen=True)
class Paths:
    """All project paths, derived from one root."""

    root: Path

    @property
    def data_raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def data_processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def teaching(self) -> Path:
        """The bundled teaching corpus."""
        return self.data_raw / "teaching"

    @property
    def figures(self) -> Path:
        """The top figures folder; each corpus has its own sub-folder (:meth:`figures_for`)."""
        return self.root / "figures"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    def processed_for(self, corpus_name: str) -> Path:
        """Cache folder of one corpus: ``data/processed/<corpus_name>/``."""
        return self.data_processed / corpus_name

    def results_for(self, corpus_name: str) -> Path:
        """Default results folder of one corpus: ``data/processed/<corpus_name>/results/``."""
        return self.processed_for(corpus_name) / "results"

    def figures_for(self, corpus_name: str) -> Path:
        """Figures and tables of one corpus: ``figures/<corpus_name>/``."""
        return self.figures / corpus_name

    def is_raw(self, path: str | Path) -> bool:
        """True when ``path`` is inside ``data/raw/`` (which the workbench never writes)."""
        resolved = Path(path).expanduser().resolve()
        raw = self.data_raw.resolve()
        return resolved == raw or raw in resolved.parents


@dataclass(frozen=True)
class Defaults:
    """Default analysis parameters (each function also takes them explicitly)."""

    seed: int = SEED
    k_grid: tuple[int, ...] = (6, 7, 8, 9, 10, 11, 12, 13, 14)
    k: int = 10
    stability_seeds: int = 5
    passes: int = 10
    iterations: int = 100
    n_draws: int = 50
    n_boot: int = 1000
    n_perm: int = 1000
    relevance_lambda: float = 0.6
    #: Above this many documents, K selection fits its candidates on a seeded random sample of this
    #: many documents (:func:`analysis.topic_selection.select_k`); the chosen K is fitted on all.
    select_sample_docs: int = 3000
    #: LDA fits stream the bag of words in chunks of at most this many documents; a corpus of at most
    #: this many is one chunk (batch variational Bayes as before, see :func:`analysis.topic_fit.fit`).
    lda_chunk_docs: int = 3000
    #: Default grouping variable of every comparison (``--by``).
    by: str = "region"


PATHS = Paths(find_root())
DEFAULTS = Defaults()
