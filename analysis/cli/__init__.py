"""Command line: ``python -m analysis SUBCOMMAND ...`` (DESIGN.md, section 4).

Exit status: 0 success; 2 bad input or usage (one message on stderr naming
the file, row and column); 1 unexpected internal error.

Example
-------
``python -m analysis corpus validate data/raw/teaching``
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence

from analysis import corpus as corpus_mod
from analysis.config import SEED
from analysis.errors import CorpusError, CorpusWarning, UsageError, WorkbenchError
from analysis.keyness import register_cli as register_keyness_cli


def _cmd_corpus_validate(args: argparse.Namespace) -> int:
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


def _load(path: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        corpus = corpus_mod.load(path)
    for p in corpus.report.excluded + corpus.report.warnings:
        print(f"warning: {p}", file=sys.stderr)
    return corpus


def _k(value: str) -> int | str:
    if value == "auto":
        return value
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--k must be a whole number or 'auto', not {value!r}") from None
    if k < 2:
        raise argparse.ArgumentTypeError("--k must be at least 2")
    return k


def _cmd_topics(args: argparse.Namespace) -> int:
    from analysis import pipeline

    res = pipeline.run_topics(_load(args.corpus), args.out, k=args.k, seed=args.seed)
    print(f"{res.reason}\nwrote topic_terms.csv, doc_topics.csv, prevalence_effects.csv, ldavis.html to {args.out}")
    return 0


def _cmd_framing(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.run_framing(_load(args.corpus), args.out, seed=args.seed, lexicons=args.lexicon or ())
    print(f"wrote doc_frames.csv, mentions.csv, victim_gender.csv, frame_effects.csv to {args.out}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis import pipeline

    corpus = _load(args.corpus)
    res = pipeline.run_topics(corpus, args.out, k=args.k, seed=args.seed)
    print(res.reason, file=sys.stderr)
    pipeline.run_framing(corpus, args.out, seed=args.seed)
    pipeline.run_keyness(corpus, args.out)
    print(f"wrote the pipeline's tables to {args.out}")
    return 0


def _cmd_figures(args: argparse.Namespace) -> int:
    from analysis import paper

    saved = paper.build_all(args.results)
    print(f"regenerated {len(saved)} figures and tables; see figures/INDEX.md")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-parser per DESIGN.md command)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="#MeToo Discourse Workbench: comparative discourse analysis of news coverage.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", required=True)

    p_corpus = sub.add_parser("corpus", help="corpus utilities")
    corpus_sub = p_corpus.add_subparsers(dest="corpus_command", required=True)
    p_val = corpus_sub.add_parser("validate", help="validate a corpus and print a summary")
    p_val.add_argument("path", help="corpus folder, .csv or .jsonl")
    p_val.set_defaults(func=_cmd_corpus_validate)

    p_run = sub.add_parser("run", help="the whole pipeline: topics, framing, keyness")
    p_run.add_argument("--corpus", required=True)
    p_run.add_argument("--out", required=True)
    p_run.add_argument("--k", type=_k, default="auto", help="number of topics, or 'auto' (default)")
    p_run.add_argument("--seed", type=int, default=SEED)
    p_run.set_defaults(func=_cmd_run)

    p_top = sub.add_parser("topics", help="topic model, stability, prevalence effects, pyLDAvis")
    p_top.add_argument("--corpus", required=True)
    p_top.add_argument("--out", required=True)
    p_top.add_argument("--k", type=_k, required=True, help="number of topics, or 'auto' to select K first")
    p_top.add_argument("--seed", type=int, default=SEED)
    p_top.set_defaults(func=_cmd_topics)

    p_fr = sub.add_parser("framing", help="frames, people and roles, victim gender, contrasts")
    p_fr.add_argument("--corpus", required=True)
    p_fr.add_argument("--out", required=True)
    p_fr.add_argument("--seed", type=int, default=SEED)
    p_fr.add_argument("--lexicon", action="append", help="extra frame lexicon (YAML file or folder)")
    p_fr.set_defaults(func=_cmd_framing)

    p_fig = sub.add_parser("figures", help="regenerate the paper figures and tables from cached results")
    p_fig.add_argument("--results", default=None, help="result tables (default data/processed/results)")
    p_fig.set_defaults(func=_cmd_figures)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


#: Other modules' commands register themselves here (keeps this file small).
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [register_keyness_cli]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: exit 1, not a raw traceback
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (re-run with --debug for the traceback, "
              "and please report it)", file=sys.stderr)
        return 1
