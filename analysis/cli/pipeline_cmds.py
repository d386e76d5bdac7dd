"""``run``, ``topics``, ``framing`` and ``figures``.

Example
-------
``python -m analysis run --corpus data/raw/teaching --by region``
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.cli.common import add_grouping, k_value, load_corpus, seed
from analysis.config import PATHS, SEED
from analysis.errors import UsageError


def _params(args: argparse.Namespace, **extra):
    from analysis.pipeline import RunParams

    kw = {"by": args.by, "groups": args.groups, "seed": args.seed,
          "clusters_once": getattr(args, "clusters_once", False),
          "learned_roles": getattr(args, "learned_roles", False)}
    if getattr(args, "k", None) is not None:
        kw["k"] = args.k
    if getattr(args, "lexicon", None):
        kw["lexicons"] = tuple(args.lexicon)
    return RunParams(**kw, **extra)


def _prepare(args: argparse.Namespace):
    from analysis import pipeline

    corpus = load_corpus(args.corpus)
    params = _params(args)
    corpus.levels(params.by, params.groups)              # a bad --by/--groups stops here (exit 2)
    out = pipeline.check_out(args.out or pipeline.default_results(corpus))
    return corpus, params, out


def _partial(out) -> None:
    """A single stage changes part of a results folder: it no longer describes one finished run."""
    from analysis import provenance

    (out / provenance.MANIFEST).unlink(missing_ok=True)


def _where(args: argparse.Namespace) -> dict:
    """``workers`` and ``scheduler`` of the command (where the work runs; never part of the results)."""
    from analysis import parallel

    return {"workers": getattr(args, "workers", parallel.WORKERS),
            "scheduler": parallel.scheduler_address(getattr(args, "scheduler", None))}


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis import pipeline

    corpus, params, out = _prepare(args)
    pipeline.run(corpus, params, out, **_where(args))
    print(f"wrote the pipeline's tables and manifest.json to {out}")
    return 0


def _run_stage(args: argparse.Namespace, stage: str) -> int:
    from analysis import pipeline

    corpus, params, out = _prepare(args)
    _partial(out)
    res = getattr(pipeline, f"run_{stage}")(corpus, out, params, **_where(args))
    if "reason" in res:
        print(res["reason"])
    print(f"wrote {', '.join(res['written'])} to {out}")
    return 0


def _cmd_topics(args: argparse.Namespace) -> int:
    return _run_stage(args, "topics")


def _cmd_framing(args: argparse.Namespace) -> int:
    return _run_stage(args, "framing")


def _cmd_figures(args: argparse.Namespace) -> int:
    from analysis import paper, pipeline

    corpus, params, results = _prepare(argparse.Namespace(**{**vars(args), "out": args.results}))
    out = Path(args.out) if args.out else PATHS.figures_for(corpus.name)
    if PATHS.is_raw(out):
        raise UsageError(f"--out {out}: inside data/raw/, which holds immutable input; choose another folder")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is an existing file, not a folder")
    pipeline.ensure_results(corpus, params, results)
    saved = paper.build_all(results, out)
    print(f"drew {len(saved)} figures and tables of corpus {corpus.name!r} into {out} (see {out / 'INDEX.md'})")
    return 0


def _common(p: argparse.ArgumentParser, *, out_help: str) -> None:
    p.add_argument("--corpus", required=True, help="corpus folder, .csv or .jsonl")
    p.add_argument("--out", default=None, help=out_help)
    add_grouping(p)
    p.add_argument("--seed", type=seed, default=SEED, help=f"seed for every stochastic step (default {SEED})")
    p.add_argument("--clusters-once", action="store_true",
                   help="count each near-duplicate cluster (syndicated story) once in comparisons")
    p.add_argument("--learned-roles", action="store_true",
                   help="opt-in: a fine-tuned encoder gives a role to people the role patterns leave as other "
                        "(needs the embeddings extra; victim gender stays the patterns'; not recommended: it "
                        "also gives most bystanders a role, benchmarks/results/validity_notes.md round 9b)")


def workers_value(text: str) -> int:
    """``--workers``: a whole number of processes, at least 1.

    Examples
    --------
    >>> workers_value("2")
    2
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of processes, at least 1")
    return value


def _where_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=workers_value, default=2,
                   help="local processes for parsing, model fits, frames and roles (default 2; results do "
                        "not depend on it)")
    p.add_argument("--scheduler", default=None,
                   help="Dask scheduler address (tcp://host:8786) for the per-document stages (default "
                        "$METOO_DASK_SCHEDULER; none: local); the workers must see the project's data folder")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``run``, ``topics``, ``framing`` and ``figures``."""
    res_help = "results folder (default data/processed/<corpus>/results)"
    p = sub.add_parser("run", help="the whole pipeline: topics, framing, keyness, manifest")
    _common(p, out_help=res_help)
    p.add_argument("--k", type=k_value, default="auto", help="number of topics, or 'auto' (default)")
    _where_options(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("topics", help="topic model, stability, prevalence effects, pyLDAvis")
    _common(p, out_help=res_help)
    p.add_argument("--k", type=k_value, required=True, help="number of topics, or 'auto' to select K first")
    _where_options(p)
    p.set_defaults(func=_cmd_topics)

    p = sub.add_parser("framing", help="frames, people and roles, victim gender, contrasts")
    _common(p, out_help=res_help)
    p.add_argument("--lexicon", action="append", help="extra frame lexicon (YAML file or folder)")
    _where_options(p)
    p.set_defaults(func=_cmd_framing)

    p = sub.add_parser("figures", help="draw a corpus's paper figures and tables from its results")
    _common(p, out_help="figures folder (default figures/<corpus>/)")
    p.add_argument("--results", default=None, help=res_help)
    p.add_argument("--k", type=k_value, default="auto", help="number of topics of the run (default auto)")
    p.set_defaults(func=_cmd_figures)
