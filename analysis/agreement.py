"""Agreement and accuracy statistics for hand-coded validation samples.

* :func:`cohen_kappa` — chance-corrected agreement of two coders (Cohen 1960);
* :func:`krippendorff_alpha_nominal` — Krippendorff's alpha for nominal codes,
  any number of coders, missing values allowed (Krippendorff 2004, ch. 11;
  Hayes & Krippendorff 2007);
* :func:`confusion` and :func:`prf` — precision, recall and F1 of a tool
  against a coder, with sampling weights (inverse inclusion probabilities,
  Horvitz & Thompson 1952) so that a sample which over-represents tagged
  sentences still estimates corpus-level recall;
* :func:`cluster_bootstrap` — percentile intervals that resample whole
  documents (clusters), because sentences of one article are not independent
  (Davison & Hinkley 1997, section 3.8; Field & Welsh 2007).

Every function takes arrays and returns numbers or new arrays; undefined
values are NaN and :func:`prf` says why.

Example
-------
>>> round(cohen_kappa([1, 0, 1, 0], [1, 0, 1, 1]), 3)
0.5
>>> prf([1, 1, 0, 0], [1, 0, 1, 0])["f1"]
0.5
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Reasons given when a measure is undefined.
NO_TOOL_POSITIVES = "the tool tagged none of the coded sentences of this frame"
NO_CODER_POSITIVES = "the coder marked none of the coded sentences as showing this frame"


def cohen_kappa(a, b) -> float:
    """Cohen's kappa (Cohen 1960) of two coders' nominal codes over the same units.

    kappa = (p_o - p_e) / (1 - p_e), with p_e from each coder's own marginal
    distribution. NaN when undefined (no units, or both coders used a single
    and the same category, so that p_e = 1).

    Examples
    --------
    >>> cohen_kappa([1, 1, 0, 0], [1, 1, 0, 0])
    1.0
    >>> round(cohen_kappa(["f", "m", "f", "f"], ["f", "m", "m", "f"]), 3)
    0.5
    """
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa: {len(a)} and {len(b)} codes; give both coders' codes for the same units")
    if len(a) == 0:
        return float("nan")
    cats = sorted(set(a.tolist()) | set(b.tolist()), key=str)
    p_o = float(np.mean(a == b))
    p_e = sum(float(np.mean(a == c)) * float(np.mean(b == c)) for c in cats)
    if p_e >= 1.0:
        return float("nan")
    return (p_o - p_e) / (1.0 - p_e)


def krippendorff_alpha_nominal(codes) -> float:
    """Krippendorff's alpha for nominal codes: coders × units, NaN = missing (Krippendorff 2004).

    alpha = 1 - D_o / D_e from the coincidence matrix: a unit coded by m >= 2
    coders adds each ordered pair of its values with weight 1 / (m - 1);
    units with fewer than two codes are not pairable and are left out. NaN
    when undefined (fewer than two pairable values, or every pairable value is
    the same category).

    Examples
    --------
    >>> krippendorff_alpha_nominal(np.array([[1, 0, 1, 1], [1, 0, 1, 1]]))
    1.0
    >>> round(krippendorff_alpha_nominal(np.array([[1, 0, 1, 0], [1, 1, 1, 0]])), 3)
    0.533
    """
    codes = np.asarray(codes, dtype=float)
    if codes.ndim != 2:
        raise ValueError("krippendorff_alpha_nominal: give a 2-d array, coders × units")
    values = np.unique(codes[~np.isnan(codes)])
    if len(values) == 0:
        return float("nan")
    # counts[u, c]: how many coders gave unit u the value c
    counts = np.stack([(codes == v).sum(axis=0) for v in values], axis=1).astype(float)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    if len(m) == 0:
        return float("nan")
    o = np.einsum("uc,uk,u->ck", counts, counts, 1.0 / (m - 1))
    o -= np.diag((counts / (m - 1)[:, None]).sum(axis=0))          # a value is not paired with itself
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d_e = (n * n - (n_c ** 2).sum()) / (n - 1) if n > 1 else 0.0
    if d_e <= 0:
        return float("nan")
    d_o = o.sum() - np.trace(o)
    return float(1.0 - d_o / d_e)


def confusion(tool, coder, weight=None) -> dict[str, float]:
    """Weighted counts ``tp, fp, fn, tn`` of a 0/1 tool against a 0/1 reference coder.

    Examples
    --------
    >>> confusion([1, 1, 0, 0], [1, 0, 1, 0], [1, 1, 4, 4])
    {'tp': 1.0, 'fp': 1.0, 'fn': 4.0, 'tn': 4.0}
    """
    t = np.asarray(tool, dtype=int)
    c = np.asarray(coder, dtype=int)
    w = np.ones(len(t)) if weight is None else np.asarray(weight, dtype=float)
    return {"tp": float(w[(t == 1) & (c == 1)].sum()), "fp": float(w[(t == 1) & (c == 0)].sum()),
            "fn": float(w[(t == 0) & (c == 1)].sum()), "tn": float(w[(t == 0) & (c == 0)].sum())}


def prf_from_counts(tp, fp, fn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 from (arrays of) weighted counts; NaN where undefined.

    F1 is NaN when precision or recall is; it is 0 when both are 0.

    Examples
    --------
    >>> [float(x) for x in prf_from_counts(1.0, 1.0, 3.0)]
    [0.5, 0.25, 0.3333333333333333]
    """
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / total, np.where(np.isnan(total), np.nan, 0.0))
    return precision, recall, f1


def prf(tool, coder, weight=None) -> dict[str, float | str]:
    """Precision, recall and F1 of the tool against a coder, with a reason where one is undefined.

    Examples
    --------
    >>> r = prf([0, 0], [0, 0])
    >>> r["precision"], r["note"]  # doctest: +ELLIPSIS
    (nan, 'precision: the tool tagged none ...; recall: the coder marked none ...')
    """
    k = confusion(tool, coder, weight)
    p, r, f = (float(x) for x in prf_from_counts(k["tp"], k["fp"], k["fn"]))
    notes = []
    if np.isnan(p):
        notes.append(f"precision: {NO_TOOL_POSITIVES}")
    if np.isnan(r):
        notes.append(f"recall: {NO_CODER_POSITIVES}")
    return {"precision": p, "recall": r, "f1": f, "note": "; ".join(notes)}


def cluster_bootstrap(per_cluster: np.ndarray, statistic: Callable[[np.ndarray], np.ndarray], *,
                      n_boot: int = 1000, level: float = 0.95,
                      seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile intervals of statistics of summed per-cluster quantities, resampling clusters.

    Parameters
    ----------
    per_cluster : array, clusters × q
        Quantities that add up over clusters (e.g. weighted tp, fp, fn per document).
    statistic : callable
        Maps totals (replicates × q) to statistics (replicates × s); NaN where undefined.
    n_boot, level, seed
        Replicates, interval level and the seed of the resampling.

    Returns
    -------
    low, high, undefined_share : arrays of length s
        Percentile bounds over the replicates where the statistic is defined
        (NaN when none is), widened where needed so that they contain the
        estimate from the full sample, and the share of replicates left out.

    Examples
    --------
    >>> x = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    >>> lo, hi, _ = cluster_bootstrap(x, lambda t: (t[:, 0] / t[:, 1])[:, None], n_boot=200, seed=1)
    >>> bool(lo[0] <= 0.75 <= hi[0])
    True
    """
    per_cluster = np.asarray(per_cluster, dtype=float)
    n = len(per_cluster)
    estimate = np.atleast_1d(np.asarray(statistic(per_cluster.sum(axis=0)[None, :]), dtype=float)[0])
    if n == 0:
        nan = np.full(len(estimate), np.nan)
        return nan, nan.copy(), np.ones(len(estimate))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(n_boot, n))
    times = np.stack([np.bincount(row, minlength=n) for row in draws])        # replicates × clusters
    stats = np.asarray(statistic(times @ per_cluster), dtype=float).reshape(n_boot, -1)
    alpha = (1 - level) / 2
    low, high, undefined = (np.full(stats.shape[1], np.nan) for _ in range(3))
    for j in range(stats.shape[1]):
        ok = ~np.isnan(stats[:, j])
        undefined[j] = 1 - ok.mean()
        if ok.any() and not np.isnan(estimate[j]):
            lo, hi = np.quantile(stats[ok, j], [alpha, 1 - alpha])
            low[j], high[j] = min(lo, estimate[j]), max(hi, estimate[j])
    return low, high, undefined


def prf_statistic(totals: np.ndarray) -> np.ndarray:
    """Precision, recall, F1 (replicates × 3) from totals of (tp, fp, fn) (replicates × 3)."""
    return np.column_stack(prf_from_counts(totals[:, 0], totals[:, 1], totals[:, 2]))


def ratio_statistic(totals: np.ndarray) -> np.ndarray:
    """A weighted share (replicates × 1) from totals of (weighted hits, weight) (replicates × 2)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals[:, 1] > 0, totals[:, 0] / totals[:, 1], np.nan)[:, None]
