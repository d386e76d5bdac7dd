"""Argument types and helpers shared by the command modules.

Example
-------
>>> seed("7")
7
"""

from __future__ import annotations

import argparse
import sys
import warnings

from analysis import corpus as corpus_mod
from analysis.errors import CorpusWarning

#: Seeds must fit numpy's and gensim's 32-bit generators.
SEED_MAX = 2**32 - 1


def seed(value: str) -> int:
    """A seed in [0, 2**32 - 1]."""
    try:
        s = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a whole number, not {value!r}") from None
    if not 0 <= s <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"--seed must be between 0 and {SEED_MAX:,}, not {s}")
    return s


def number_at_least(minimum: float, kind: type = int):
    """An argparse type: a number (``int`` or ``float``) of at least ``minimum``.

    Examples
    --------
    >>> number_at_least(1)("3")
    3
    """
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {what}, not {value!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"expected a number of at least {minimum:g}, not {value}")
        return number
    return parse


def k_value(value: str) -> int | str:
    """A number of topics (at least 2) or ``auto``."""
    if value == "auto":
        return value
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--k must be a whole number or 'auto', not {value!r}") from None
    if k < 2:
        raise argparse.ArgumentTypeError("--k must be at least 2")
    return k


def groups(value: str) -> tuple[str, ...]:
    """A comma-separated list of group levels."""
    parts = tuple(p.strip() for p in value.split(",") if p.strip())
    if not parts:
        raise argparse.ArgumentTypeError("--groups needs at least one level, e.g. --groups us,india")
    return parts


def load_corpus(path: str):
    """Load a corpus; print each excluded item and warning on stderr (one line each)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        corpus = corpus_mod.load(path)
    for p in corpus.report.excluded:
        print(f"warning: excluded {p}", file=sys.stderr)
    for p in corpus.report.warnings:
        print(f"warning: {p}", file=sys.stderr)
    return corpus


def add_grouping(parser: argparse.ArgumentParser) -> None:
    """``--by COLUMN`` and ``--groups a,b,c``."""
    parser.add_argument("--by", default="region", help="grouping column of documents.csv (default region)")
    parser.add_argument("--groups", type=groups, default=None,
                        help="group levels in the order to compare (default: corpus.yaml, else first appearance)")
