"""``python -m analysis validate ...``: human validation commands.

``validate topics`` writes word and topic intrusion tasks for a fitted
model's result tables, or scores returned answer files
(:mod:`analysis.intrusion`). ``validate sample`` and ``validate score``
(frame coding) are added beside it by their own ``_add_*`` functions.

Example
-------
``python -m analysis validate topics --results data/processed/teaching/results --out intrusion``
``python -m analysis validate topics --score intrusion/rater1.csv --key intrusion/answer_key.csv``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from analysis.cli.common import number_at_least, seed
from analysis.errors import ResultsError, UsageError

_positive = number_at_least(1)


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise ResultsError(f"{path}: not found; run 'python -m analysis topics --corpus PATH --k K --out "
                           f"{folder}' first, or point --results at the folder holding {name}")
    return pd.read_csv(path)


def _write(args: argparse.Namespace) -> int:
    from analysis import intrusion

    if not args.results or not args.out:
        raise UsageError("validate topics: give --results DIR and --out DIR to write tasks, "
                         "or --score FILE [FILE ...] to score returned answers")
    results, out = Path(args.results), Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file; name a folder")
    docs = None
    if args.corpus:
        from analysis import corpus as corpus_mod

        docs = corpus_mod.load(args.corpus).docs
    paths = intrusion.write_tasks(out, _read_table(results, "topic_terms.csv"),
                                  _read_table(results, "doc_topics.csv"), docs, seed=args.seed,
                                  per_topic=args.per_topic, n_docs=args.n_docs)
    print(f"wrote {paths['word'].name} and {paths['topic'].name} for raters, and {paths['key'].name} "
          f"(keep it apart) to {out}")
    return 0


def _score(args: argparse.Namespace) -> int:
    from analysis import intrusion
    from analysis.io import atomic_write_csv

    files = [Path(p) for p in args.score]
    files = [f for p in files for f in (sorted(p.glob("*.csv")) if p.is_dir() else [p])]
    key_path = Path(args.key) if args.key else next(
        (p.parent / intrusion.KEY_FILE for p in files if (p.parent / intrusion.KEY_FILE).is_file()), None)
    if key_path is None or not key_path.is_file():
        raise UsageError(f"validate topics --score: no answer key found; give --key "
                         f"{key_path or 'DIR/' + intrusion.KEY_FILE}")
    files = [f for f in files if f.resolve() != key_path.resolve()]
    scores = intrusion.score(intrusion.read_answers(files), pd.read_csv(key_path), seed=args.seed)
    for name in ("summary", "model_precision", "topic_log_odds"):
        print(f"\n{name}:\n{scores[name].to_string(index=False)}")
    if args.out:
        for name, table in scores.items():
            atomic_write_csv(Path(args.out) / f"intrusion_{name}.csv", table)
        print(f"\nwrote intrusion_summary.csv, intrusion_model_precision.csv, intrusion_topic_log_odds.csv "
              f"to {args.out}")
    return 0


def _cmd_validate_topics(args: argparse.Namespace) -> int:
    return _score(args) if args.score else _write(args)


def _add_topics(sub: argparse._SubParsersAction) -> None:
    """``validate topics``: word and topic intrusion tasks (Chang et al. 2009), and their scores."""
    p = sub.add_parser("topics", help="word and topic intrusion tasks for a topic model, or score answers")
    p.add_argument("--results", help="folder with topic_terms.csv and doc_topics.csv")
    p.add_argument("--out", help="folder for the task files (or, with --score, for the score tables)")
    p.add_argument("--seed", type=seed, default=20181010)
    p.add_argument("--corpus", help="corpus, to show document titles in the topic intrusion tasks")
    p.add_argument("--per-topic", type=_positive, default=2, help="word intrusion tasks per topic (default 2)")
    p.add_argument("--n-docs", type=_positive, default=20, help="topic intrusion documents (default 20)")
    p.add_argument("--score", nargs="+", metavar="ANSWERS", help="returned answer files or folders to score")
    p.add_argument("--key", help="answer_key.csv (default: beside the answer files)")
    p.set_defaults(func=_cmd_validate_topics)


def register(subparsers: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Add ``validate`` and its sub-commands; returns the ``validate`` sub-parsers for later additions."""
    p = subparsers.add_parser("validate", help="human validation: intrusion tasks, coding samples, scores")
    sub = p.add_subparsers(dest="validate_command", required=True)
    _add_topics(sub)
    from analysis.cli import validate_coding_cmds

    validate_coding_cmds.add(sub)
    return sub
