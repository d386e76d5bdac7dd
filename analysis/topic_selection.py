"""Choosing K for an LDA model: coherence, exclusivity, held-out perplexity and stability across seeds.

* :func:`stability` fits several seeds and aligns their topics with the
  Hungarian algorithm (Kuhn 1955) on Jensen-Shannon distance (as in Greene,
  O'Callaghan & Cunningham 2014, who align by top terms).
* :func:`select_k` fits, for every K of a grid, one model on a training split
  (coherence c_v, c_npmi, u_mass by Röder, Both & Hinneburg 2015; FREX
  exclusivity, Roberts, Stewart & Airoldi 2016; held-out perplexity) and one
  model per seed on all documents (stability), in parallel processes; the
  fits are seeded per candidate, so the table is the same whatever the
  number of workers. Above ``DEFAULTS.select_sample_docs`` documents the
  candidates are fitted on a seeded random sample of that many documents
  (Wallach et al. 2009 on held-out estimates), and the chosen K on all.
* :func:`choose_k` is the rule: among the K whose c_npmi is within a stated
  tolerance of the best, the largest K whose median topic stability reaches
  a stated level; its reason says which criterion decided.

Example
-------
>>> table, k, reason = select_k(bow, (6, 8, 10), seed=1, workers=2)   # doctest: +SKIP
>>> print(reason)                                                    # doctest: +SKIP
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import jensenshannon
from tqdm.auto import tqdm

from analysis.config import DEFAULTS
from analysis.errors import DataTooSmallError
from analysis.parallel import die_with_parent
from analysis.preprocess import BagOfWords
from analysis.topic_fit import (
    check_data,
    coherence,
    exclusivity,
    fit,
    sample_bag,
    split,
    supported_k,
    train,
)

#: The selection rule's defaults: c_npmi tolerance and the median stability wanted.
COHERENCE_TOLERANCE = 0.02
MIN_STABILITY = 0.6


def match_topics(ref: np.ndarray, others: list[np.ndarray], n_top: int = 10) -> pd.DataFrame:
    """Per-topic stability of ``ref`` against other runs' topic-term matrices.

    Each run's topics are matched to ``ref`` by the Hungarian algorithm on
    Jensen-Shannon distance (base 2); a topic's stability is the mean of
    ``1 - JSD`` over runs, ``top_terms_jaccard`` the mean Jaccard overlap of
    the top ``n_top`` terms, ``min_similarity`` the worst run.

    Examples
    --------
    >>> phi = np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]])
    >>> match_topics(phi, [phi[::-1]])["stability"].tolist()
    [1.0, 1.0]
    """
    k = ref.shape[0]
    sims = np.zeros((len(others), k))
    jacc = np.zeros((len(others), k))
    ref_top = [set(np.argsort(-row)[:n_top]) for row in ref]
    for r, other in enumerate(others):
        cost = np.array([[jensenshannon(a, b, base=2) for b in other] for a in ref])
        if not np.isfinite(cost).all():
            raise DataTooSmallError(f"the K={k} topic models are degenerate (undefined distances between "
                                    "topics): use a smaller K or more documents")
        rows, cols = linear_sum_assignment(cost)
        for t, o in zip(rows, cols, strict=True):
            sims[r, t] = 1 - cost[t, o]
            top = set(np.argsort(-other[o])[:n_top])
            jacc[r, t] = len(ref_top[t] & top) / len(ref_top[t] | top)
    return pd.DataFrame({"topic": np.arange(1, k + 1), "stability": sims.mean(axis=0),
                         "top_terms_jaccard": jacc.mean(axis=0), "min_similarity": sims.min(axis=0)})


def _fit_phi(job: tuple) -> np.ndarray:
    bow, k, seed, passes, cache_dir = job
    return train(bow, k, seed, passes=passes, cache_dir=cache_dir).get_topics()


def _fit_scores(job: tuple) -> dict[str, float]:
    bow, k, seed, passes, cache_dir, train, test = job
    fitted = fit(bow, k, seed, passes=passes, subset=train, cache_dir=cache_dir)
    bound = fitted.model.log_perplexity([bow.corpus[i] for i in test])
    return {"k": k, **coherence(fitted), "exclusivity": float(exclusivity(fitted.phi).mean()),
            "heldout_perplexity": float(2 ** (-bound))}


def _run(func, jobs: list[tuple], workers: int, desc: str, progress: bool) -> list:
    """``[func(job) for job in jobs]``, in ``workers`` processes; results in job order."""
    bar = tqdm(total=len(jobs), desc=desc, unit="fit", file=sys.stderr, disable=not progress)
    if workers <= 1 or len(jobs) <= 1:
        out = []
        for job in jobs:
            out.append(func(job))
            bar.update(1)
    else:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=die_with_parent) as pool:
            out = []
            for result in pool.map(func, jobs):
                out.append(result)
                bar.update(1)
    bar.close()
    return out


def stability(bow: BagOfWords, k: int, seeds: list[int] | None = None, *, threshold: float = 0.5,
              passes: int = DEFAULTS.passes, progress: bool = True, cache_dir: Path | None = None,
              workers: int = 1, sample_docs: int | None = DEFAULTS.select_sample_docs) -> pd.DataFrame:
    """How reproducible each topic is across seeds (the first seed's model is the reference).

    See :func:`match_topics`; topics with stability below ``threshold`` are
    flagged unstable. The fits run in ``workers`` processes.

    When ``bow`` has more than ``sample_docs`` documents, the reference is
    still the model of the first seed on all documents (the reported
    topics), and the other seeds are fitted on the seeded random sample of
    ``sample_docs`` documents that :func:`select_k` fitted (drawn with the
    first seed; those fits come from its cache). This is the stability
    analysis of Greene, O'Callaghan & Cunningham (2014), who fit the
    comparison models on random subsets of the documents: a topic must recur
    under another seed *and* other documents, a stricter test than another
    seed alone. The table then has a column ``sample_docs``.

    Returns
    -------
    pandas.DataFrame
        ``topic, stability, top_terms_jaccard, min_similarity, unstable``
        (and ``sample_docs`` when sampled)

    Examples
    --------
    >>> stability(bow, 8, [1, 2, 3])["stability"].median()    # doctest: +SKIP
    """
    seeds = seeds or [DEFAULTS.seed + i for i in range(DEFAULTS.stability_seeds)]
    sub = sample_bag(bow, sample_docs, seeds[0])
    if sub is bow:
        phis = _run(_fit_phi, [(bow, k, s, passes, cache_dir) for s in seeds], workers, "stability", progress)
    else:   # the reference (normally cached by the caller's fit) here: the whole corpus is not sent to workers
        phis = [_fit_phi((bow, k, seeds[0], passes, cache_dir)),
                *_run(_fit_phi, [(sub, k, s, passes, cache_dir) for s in seeds[1:]], workers, "stability", progress)]
    out = match_topics(phis[0], phis[1:])
    out["unstable"] = out["stability"] < threshold
    if sub is not bow:
        out["sample_docs"] = len(sub.corpus)
    return out


def choose_k(table: pd.DataFrame, tolerance: float = COHERENCE_TOLERANCE,
             min_stability: float = MIN_STABILITY) -> tuple[int, str]:
    """The selection rule: near-best coherence first, then the largest K that is stable enough.

    Among the K whose ``c_npmi`` is at least ``best - tolerance``, take the
    largest K whose ``stability_median`` reaches ``min_stability``; if none
    does, the near-best K with the highest median stability (ties to the
    smaller K). The reason names the criterion that decided.

    Examples
    --------
    >>> t = pd.DataFrame({"k": [4, 6, 8], "c_npmi": [0.05, 0.04, 0.0], "stability_median": [0.8, 0.7, 0.9]})
    >>> choose_k(t)
    (6, 'K=6 decided by stability: the largest K whose median topic stability reaches 0.6 (0.70) among the K with c_npmi within 0.02 of the best (0.050 at K=4): [4, 6]')
    """
    best = table.loc[table["c_npmi"].idxmax()]
    near = table[table["c_npmi"] >= best["c_npmi"] - tolerance]
    ks = [int(k) for k in near["k"]]
    head = f"among the K with c_npmi within {tolerance:g} of the best ({best['c_npmi']:.3f} at K={int(best['k'])}): {ks}"
    stable = near[near["stability_median"] >= min_stability]
    if len(near) == 1:
        return int(best["k"]), (f"K={int(best['k'])} decided by coherence: the only K with c_npmi within "
                                f"{tolerance:g} of the best ({best['c_npmi']:.3f}); median stability "
                                f"{best['stability_median']:.2f}")
    if len(stable):
        row = stable.loc[stable["k"].idxmax()]
        return int(row["k"]), (f"K={int(row['k'])} decided by stability: the largest K whose median topic "
                               f"stability reaches {min_stability:g} ({row['stability_median']:.2f}) {head}")
    row = near.sort_values(["stability_median", "k"], ascending=[False, True]).iloc[0]
    return int(row["k"]), (f"K={int(row['k'])} decided by stability: no K reaches median stability "
                           f"{min_stability:g}; this is the most stable ({row['stability_median']:.2f}) {head}")


def rounded(table: pd.DataFrame) -> pd.DataFrame:
    """The model-selection table rounded for display: held-out perplexity to a whole number and the
    composite ``score`` to one decimal, everything else to three. LDA's held-out perplexity differs
    in its sixth significant digit between CPUs (BLAS summation order), so three decimals of it
    would make committed notebooks and tables machine-specific.

    Examples
    --------
    >>> rounded(pd.DataFrame({"k": [6], "c_v": [0.49123], "heldout_perplexity": [338.7495], "score": [0.5026]}))
       k    c_v  heldout_perplexity  score
    0  6  0.491                 339    0.5
    """
    out = table.round(3)
    if "heldout_perplexity" in out.columns:
        out["heldout_perplexity"] = out["heldout_perplexity"].round(0).astype("Int64")
    if "score" in out.columns:
        out["score"] = out["score"].round(1)
    return out


def _grid(bow: BagOfWords, k_grid) -> tuple[list[int], str]:
    top = supported_k(bow)
    ks = [int(k) for k in k_grid if 2 <= int(k) <= top]
    if ks:
        cut = [int(k) for k in k_grid if int(k) > top]
        return ks, (f"; K above {top} left out of the grid (the most this corpus supports)" if cut else "")
    ks = list(range(2, top + 1))[-5:]
    if not ks:
        check_data(bow, 2)
    return ks, f"; the grid {list(k_grid)} is beyond this corpus (K <= {top}), so K in {ks} was tried"


def select_k(bow: BagOfWords, k_grid=DEFAULTS.k_grid, seed: int = DEFAULTS.seed, *,
             heldout_share: float = 0.2, passes: int = DEFAULTS.passes, progress: bool = True,
             cache_dir: Path | None = None, n_seeds: int = DEFAULTS.stability_seeds, workers: int = 2,
             tolerance: float = COHERENCE_TOLERANCE, min_stability: float = MIN_STABILITY,
             sample_docs: int | None = DEFAULTS.select_sample_docs) -> tuple[pd.DataFrame, int, str]:
    """Fit every K of the grid and choose one by coherence and stability.

    Per K: a model on the training split (``heldout_share`` held out, fixed
    by ``seed``) gives c_v, c_npmi, u_mass, exclusivity and held-out
    perplexity (``2 ** -bound``, gensim's per-word bound); models on all
    documents with seeds ``seed, seed + 1, ...`` (``n_seeds``) give the
    median and minimum topic stability (:func:`match_topics`). These are the
    models :func:`analysis.topics.fit` and :func:`stability` later read from
    the cache. ``score`` is the earlier rule's combined z-score of c_v,
    c_npmi and exclusivity (Roberts et al. 2014), kept for comparison; K is
    chosen by :func:`choose_k`. A grid beyond what the data supports
    (:func:`analysis.topics.supported_k`) is cut, and the reason says so.

    A corpus of more than ``sample_docs`` documents is first reduced to a
    seeded simple random sample of ``sample_docs`` documents
    (:func:`analysis.topic_fit.sample_bag`, drawn with ``seed``), and
    everything above -- split, scores, stability -- is computed on the
    sample; the table gets the columns ``fit_docs``, ``corpus_docs`` and
    ``sample_seed``, and the reason says so. The caller then fits the chosen
    K once on all documents. The scores are estimates of per-document and
    per-word quantities, so their precision depends on the sample size, not
    on the corpus size: held-out likelihood is estimated on held-out
    documents (Wallach, Murray, Salakhutdinov & Mimno 2009), and coherence
    from word co-occurrence in a reference set of documents (Röder et al.
    2015; Mimno et al. 2011 score coherence on a sample of documents). The
    cost of selection then stays constant as the corpus grows. ``None``
    never samples.

    Returns
    -------
    table, k, reason

    Examples
    --------
    >>> table, k, reason = select_k(bow, (6, 8), workers=2)   # doctest: +SKIP
    """
    check_data(bow)
    n_all = len(bow.corpus)
    bow = sample_bag(bow, sample_docs, seed)
    ks, note = _grid(bow, k_grid)
    train_docs, test = split(len(bow.corpus), heldout_share, seed)
    seeds = [seed + i for i in range(max(n_seeds, 2))]
    score_jobs = [(bow, k, seed, passes, cache_dir, train_docs, test) for k in ks]
    phi_jobs = [(bow, k, s, passes, cache_dir) for k in ks for s in seeds]
    rows = _run(_fit_scores, score_jobs, workers, "model selection", progress)
    phis = _run(_fit_phi, phi_jobs, workers, "stability per K", progress)
    table = pd.DataFrame(rows)
    z = lambda s: (s - s.mean()) / s.std(ddof=0) if s.std(ddof=0) > 0 else s * 0  # noqa: E731
    table["score"] = z(table["c_v"]) + z(table["c_npmi"]) + z(table["exclusivity"])
    medians, minima = [], []
    for i in range(len(ks)):
        runs = phis[i * len(seeds):(i + 1) * len(seeds)]
        stab = match_topics(runs[0], runs[1:])["stability"]
        medians.append(float(stab.median()))
        minima.append(float(stab.min()))
    table["stability_median"], table["stability_min"] = medians, minima
    k, reason = choose_k(table, tolerance, min_stability)
    table["chosen"] = table["k"] == k
    row = table.set_index("k").loc[k]
    reason += (f"; at K={k}: c_v {row['c_v']:.3f}, exclusivity {row['exclusivity']:.2f}, held-out "
               f"perplexity {row['heldout_perplexity']:.0f}, {len(seeds)} seeds" + note)
    if len(bow.corpus) < n_all:
        table["fit_docs"], table["corpus_docs"], table["sample_seed"] = len(bow.corpus), n_all, seed
        reason += (f"; every K was fitted on a seeded random sample of {len(bow.corpus)} of the {n_all} "
                   f"documents (seed {seed}), the chosen K then on all {n_all}")
    return table, k, reason
