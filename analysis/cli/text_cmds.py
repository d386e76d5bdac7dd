"""The ``keyness`` and ``kwic`` commands (DESIGN.md, section 4).

``python -m analysis keyness --corpus PATH --by COLUMN --a A [--b B] --out DIR``
writes ``DIR/keyness.csv`` (log-odds z after Monroe, Colaresi & Quinn 2008,
G2 after Dunning 1993, Log Ratio after Hardie 2014);
``python -m analysis kwic --corpus PATH --query Q`` prints a concordance.
Both check the group or filter names against ``corpus.docs`` before the
(slower) tokenisation, so a typo fails at once with the valid names.

Example
-------
>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> register(parser.add_subparsers(dest="command"))
>>> parser.parse_args(["kwic", "--corpus", "c", "--query", "accused"]).window
8
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.cli.common import load_corpus
from analysis.errors import UsageError
from analysis.io import atomic_write_csv
from analysis.keyness import KWIC_MODES, format_kwic, keyness, kwic
from analysis.selection import select_docs


def _tokens(corpus: Any) -> pd.DataFrame:
    from analysis.preprocess import tokens as make_tokens  # spaCy: only when a command needs it

    return make_tokens(corpus)


def _typical_terms(table: pd.DataFrame) -> list[str]:
    """The lines naming the ten terms most typical of each group (positive z for a)."""
    at = table.attrs
    lines = []
    for label, part in ((at["a"], table.head(10)), (at["b"], table.iloc[::-1].head(10))):
        terms = [t for t, z in zip(part["term"], part["log_odds_z"], strict=True)
                 if (z > 0) == (label == at["a"])]
        lines.append(f"  most typical of {label}: {', '.join(terms) or '-'}")
    return lines


def cmd_keyness(args: argparse.Namespace) -> int:
    """Write ``keyness.csv`` for ``--a`` against ``--b`` (or the rest) and print a summary.

    Examples
    --------
    ``python -m analysis keyness --corpus data/raw/teaching --by region --a pakistan --out out``
    """
    if args.min_count < 0:
        raise UsageError(f"--min-count must be >= 0, not {args.min_count}")
    corpus = load_corpus(args.corpus)
    docs = corpus.docs
    in_a = select_docs(docs, args.by, args.a)          # check names before tokenising
    if args.b is not None:
        in_b = select_docs(docs, args.by, args.b)
        if (in_a & in_b).any():
            raise UsageError(f"--a {args.a!r} and --b {args.b!r} select the same documents")
    table = keyness(_tokens(corpus), docs, args.by, args.a, args.b, on=args.on,
                    min_count=args.min_count)
    target = Path(args.out) / "keyness.csv"
    atomic_write_csv(target, table)
    at = table.attrs
    print(f"wrote {target}: {len(table):,} terms; {args.by} = {at['a']} ({at['n_a']:,} tokens) "
          f"vs {at['b']} ({at['n_b']:,} tokens)")
    print("\n".join(_typical_terms(table)))
    return 0


def cmd_kwic(args: argparse.Namespace) -> int:
    """Print the concordance lines of ``--query``.

    Examples
    --------
    ``python -m analysis kwic --corpus data/raw/teaching --query 'harass*' --mode wildcard``
    """
    if (args.by is None) != (args.value is None):
        raise UsageError("--by and --value go together, e.g. --by region --value pakistan")
    if args.window < 0 or (args.limit is not None and args.limit < 0) or args.width < 5:
        raise UsageError("--window and --limit must be >= 0 and --width >= 5")
    corpus = load_corpus(args.corpus)
    filters = {args.by: args.value} if args.by is not None else None
    if filters:
        select_docs(corpus.docs, args.by, args.value)   # check names before tokenising
    sort = None if args.sort == "none" else args.sort
    lines = kwic(_tokens(corpus), corpus.docs, args.query, mode=args.mode, window=args.window,
                 case_sensitive=args.case_sensitive, sort=sort, filters=filters, limit=args.limit)
    total = lines.attrs.get("n_matches", len(lines))
    print(f"{total:,} match(es) for {args.query!r} ({args.mode}); showing {len(lines):,}")
    if len(lines):
        print(format_kwic(lines, width=args.width))
    return 0


def _add_keyness(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keyness", help="distinctive words of one group of documents vs another",
                       description="Write DIR/keyness.csv: log-odds z (Monroe et al. 2008), "
                       "G2 (Dunning 1993) and Log Ratio (Hardie 2014) for group A vs B.")
    p.add_argument("--corpus", required=True, help="corpus folder, .csv or .jsonl")
    p.add_argument("--by", required=True, help="metadata column defining the groups, e.g. region")
    p.add_argument("--a", required=True, help="value of --by for group A, e.g. pakistan")
    p.add_argument("--b", default=None, help="value for group B (default: all other documents)")
    p.add_argument("--out", required=True, help="output folder (keyness.csv goes there)")
    p.add_argument("--on", choices=["lemma", "text"], default="lemma",
                   help="count lemmas (default) or lower-cased surface forms")
    p.add_argument("--min-count", type=int, default=5,
                   help="minimum count in A and B together (default 5)")
    p.set_defaults(func=cmd_keyness)


def _add_kwic(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("kwic", help="keyword-in-context concordance",
                       description="Print concordance lines for a word, lemma, wildcard, "
                       "regular expression or phrase.")
    q.add_argument("--corpus", required=True, help="corpus folder, .csv or .jsonl")
    q.add_argument("--query", required=True, help="what to find, e.g. accused, 'harass*'")
    q.add_argument("--mode", choices=list(KWIC_MODES), default="word",
                   help="word (default), lemma, wildcard (* ?), regex (whole token), phrase")
    q.add_argument("--window", type=int, default=8, help="tokens of context each side (8)")
    q.add_argument("--by", default=None, help="only documents whose COLUMN ...")
    q.add_argument("--value", default=None, help="... equals VALUE, e.g. --by region --value pakistan")
    q.add_argument("--sort", choices=["none", "left", "right"], default="none",
                   help="corpus order (default) or sorted by left/right context")
    q.add_argument("--limit", type=int, default=50, help="show at most N lines (50)")
    q.add_argument("--width", type=int, default=40, help="characters of context each side (40)")
    q.add_argument("--case-sensitive", action="store_true", help="match case exactly")
    q.set_defaults(func=cmd_kwic)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``keyness`` and ``kwic`` commands to the command line.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> register(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["keyness", "--corpus", "c", "--by", "region", "--a", "pakistan",
    ...                    "--out", "o"]).min_count
    5
    """
    _add_keyness(subparsers)
    _add_kwic(subparsers)
