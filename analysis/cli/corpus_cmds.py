"""``corpus validate`` (and ``corpus import`` when the importers are installed).

Example
-------
``python -m analysis corpus validate data/raw/teaching``
"""

from __future__ import annotations

import argparse
import importlib
import warnings

from analysis import corpus as corpus_mod
from analysis.errors import CorpusWarning


def _cmd_validate(args: argparse.Namespace) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        corpus = corpus_mod.load(args.path)
    docs = corpus.docs
    print(f"Corpus {corpus.name!r}: {len(docs)} documents, {int(docs['n_words'].sum()):,} words "
          f"(median {int(docs['n_words'].median())} per document)")
    if corpus.cases is not None:
        print(f"Case registry: {len(corpus.cases)} cases")
    for by, table in corpus_mod.summary(corpus).items():
        print(f"\nDocuments per {by}:")
        print(table.to_string())
    problems = corpus.report.excluded + corpus.report.warnings
    if problems:
        print(f"\n{len(corpus.report.excluded)} excluded, {len(corpus.report.warnings)} warnings:")
        for p in corpus.report.excluded:
            print(f"  excluded: {p}")
        for p in corpus.report.warnings:
            print(f"  warning: {p}")
    print(f"\ncontent hash {corpus.content_hash[:16]}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``corpus validate`` and, when available, ``corpus import``."""
    p_corpus = sub.add_parser("corpus", help="corpus utilities: validate, import")
    corpus_sub = p_corpus.add_subparsers(dest="corpus_command", required=True)
    p_val = corpus_sub.add_parser("validate", help="validate a corpus and print a summary")
    p_val.add_argument("path", help="corpus folder, .csv or .jsonl")
    p_val.set_defaults(func=_cmd_validate)
    try:
        import_cmd = importlib.import_module("analysis.cli.import_cmd")
    except ModuleNotFoundError as exc:
        if exc.name != "analysis.cli.import_cmd":
            raise
        return
    import_cmd.register(corpus_sub)
