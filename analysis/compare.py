"""Group comparisons with uncertainty: topic prevalence and framing/role contrasts.

Contrasts (the same labels everywhere):

* ``"<a> - <b>"`` for every pair of regions (averaged over victim gender for
  topic prevalence; a plain difference in group means for framing);
* ``"male - female"`` (alleged-victim gender; averaged over regions);
* ``"male - female | <region>"`` within each region;
* ``"(male - female | <a>) - (male - female | <b>)"``: the region × victim
  gender interaction.

:func:`prevalence_effects` follows the structural topic model's
``estimateEffect`` (Roberts, Stewart & Tingley 2019): the method of
composition (Treier & Jackman 2008) draws each document's topic shares from
its variational posterior Dirichlet(gamma_d), refits the regression for each
draw, simulates coefficients from each fit's sampling distribution and pools.

:func:`contrasts` compares document-level measures with a cluster bootstrap
(resampling cases, or outlets when there are no cases; Cameron, Gelbach &
Miller 2008) for confidence intervals, permutation tests (Good 2005) for
p-values, and Holm's (1979) step-down correction across measures.

Example
-------
>>> eff = prevalence_effects(fitted, corpus.docs, n_draws=50, seed=1)   # doctest: +SKIP
>>> eff.query("contrast == 'pakistan - hollywood'")                     # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import sys
import warnings

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from tqdm.auto import tqdm

from analysis.config import DEFAULTS

GENDERS = ("female", "male")
#: Preferred order of regions: contrasts read "later - earlier" (e.g. "pakistan - hollywood").
REGION_ORDER = ("hollywood", "bollywood", "pakistan")


def order_regions(regions) -> list[str]:
    """Regions in :data:`REGION_ORDER` first, then any others alphabetically.

    Examples
    --------
    >>> order_regions(["pakistan", "zeta", "hollywood"])
    ['hollywood', 'pakistan', 'zeta']
    """
    regions = set(regions)
    return [r for r in REGION_ORDER if r in regions] + sorted(regions - set(REGION_ORDER))


# --------------------------------------------------------------------------- contrast algebra


def _cells(regions: list[str]) -> pd.DataFrame:
    return pd.DataFrame(list(itertools.product(regions, GENDERS)), columns=["region", "victim_gender"])


def contrast_weights(regions: list[str]) -> dict[str, np.ndarray]:
    """Weights over region × gender cells (order of :func:`_cells`) for each contrast.

    Examples
    --------
    >>> w = contrast_weights(["a", "b"])
    >>> w["b - a"].tolist(), w["male - female"].tolist()
    ([-0.5, -0.5, 0.5, 0.5], [-0.5, 0.5, -0.5, 0.5])
    """
    cells = _cells(regions)
    out: dict[str, np.ndarray] = {}

    def cell(r, g):
        v = np.zeros(len(cells))
        v[((cells.region == r) & (cells.victim_gender == g)).to_numpy()] = 1.0
        return v

    gap = {r: cell(r, "male") - cell(r, "female") for r in regions}
    for b, a in itertools.combinations(regions, 2):
        out[f"{a} - {b}"] = sum(cell(a, g) - cell(b, g) for g in GENDERS) / len(GENDERS)
    out["male - female"] = sum(gap.values()) / len(regions)
    for r in regions:
        out[f"male - female | {r}"] = gap[r]
    for b, a in itertools.combinations(regions, 2):
        out[f"(male - female | {a}) - (male - female | {b})"] = gap[a] - gap[b]
    return out


def _design(data: pd.DataFrame, regions: list[str], with_year: bool):
    formula = "C(region, levels=REG) * C(victim_gender, levels=GEN)" + (" + year_c" if with_year else "")
    env = {"REG": regions, "GEN": list(GENDERS)}
    X = patsy.dmatrix(formula, data.assign(**{}), return_type="dataframe", eval_env=patsy.EvalEnvironment([env]))
    cells = _cells(regions).assign(year_c=0.0)
    Xc = patsy.build_design_matrices([X.design_info], cells, return_type="dataframe")[0]
    return X.to_numpy(), Xc.to_numpy()


def _prepare(doc_ids: list[str], docs: pd.DataFrame, with_year: bool) -> tuple[pd.DataFrame, np.ndarray]:
    meta = docs.set_index("doc_id").loc[doc_ids, ["region", "victim_gender", *(["year"] if with_year else [])]]
    keep = meta["victim_gender"].isin(GENDERS).to_numpy()
    if with_year:
        keep &= meta["year"].notna().to_numpy()
    dropped = int((~keep).sum())
    if dropped:
        warnings.warn(f"{dropped} documents without a female/male alleged victim (or year) are left out "
                      "of the prevalence regression", stacklevel=3)
    data = meta[keep].reset_index()
    if with_year:
        data["year_c"] = data["year"].astype(float) - data["year"].astype(float).mean()
    return data, keep


def prevalence_effects(fitted, docs: pd.DataFrame, *, n_draws: int = DEFAULTS.n_draws, n_sims: int = 20,
                       seed: int = DEFAULTS.seed, with_year: bool = False, level: float = 0.95,
                       method: str = "composition", progress: bool = True) -> pd.DataFrame:
    """Topic prevalence contrasts by region and alleged-victim gender, with intervals.

    Regress each topic's share on region × victim gender (and optionally
    centred year) by OLS.

    * ``method="composition"``: for each of ``n_draws`` draws, sample every
      document's shares from Dirichlet(gamma_d), refit, and draw ``n_sims``
      coefficient vectors from N(beta_hat, Var(beta_hat)); the interval is the
      percentile interval of the pooled contrasts (Roberts, Stewart & Tingley
      2019; Treier & Jackman 2008).
    * ``method="point"``: OLS on the point-estimate shares only, with
      t-based intervals; it ignores topic-model uncertainty and is reported
      for comparison.

    Returns
    -------
    pandas.DataFrame
        ``topic, contrast, estimate, ci_low, ci_high, method``
        (prevalence_effects.csv).

    Examples
    --------
    >>> eff = prevalence_effects(fitted, docs, n_draws=20)      # doctest: +SKIP
    """
    regions = order_regions(docs["region"].unique())
    data, keep = _prepare(list(fitted.bow.doc_ids), docs, with_year)
    X, Xc = _design(data, regions, with_year)
    weights = contrast_weights(regions)
    L = np.vstack([w @ Xc for w in weights.values()])           # contrasts × coefficients
    gamma = fitted.gamma[keep]
    n, p = X.shape
    xtx_inv = np.linalg.pinv(X.T @ X)
    alpha = (1 - level) / 2
    rows = []
    if method == "point":
        theta = gamma / gamma.sum(axis=1, keepdims=True)
        for t in range(theta.shape[1]):
            res = sm.OLS(theta[:, t], X).fit()
            est = L @ res.params
            se = np.sqrt(np.einsum("ij,jk,ik->i", L, res.cov_params(), L))
            q = float(stats.norm.ppf(1 - alpha))  # normal, like the composition percentiles
            for name, e, s in zip(weights, est, se, strict=True):
                rows.append((t + 1, name, e, e - q * s, e + q * s))
    elif method == "composition":
        rng = np.random.default_rng(seed)
        draws = []
        # Vectorised OLS across topics and draws (the estimator statsmodels' OLS computes, but
        # for all K topics at once; refitting K × n_draws statsmodels models would be ~100× slower).
        for _ in tqdm(range(n_draws), desc="composition draws", file=sys.stderr, disable=not progress):
            g = rng.standard_gamma(gamma)
            theta = g / g.sum(axis=1, keepdims=True)
            beta = xtx_inv @ X.T @ theta                             # p × K
            resid = theta - X @ beta
            sigma2 = (resid ** 2).sum(axis=0) / max(n - p, 1)        # K
            chol = np.linalg.cholesky(xtx_inv + 1e-12 * np.eye(p))
            z = rng.standard_normal((n_sims, p, beta.shape[1]))
            sims = beta[None] + np.einsum("ij,sjk->sik", chol, z) * np.sqrt(sigma2)[None, None, :]
            draws.append(np.einsum("cp,spk->sck", L, sims))        # sims × contrasts × K
        pooled = np.concatenate(draws)                               # (draws·sims) × contrasts × K
        est = pooled.mean(axis=0)
        lo, hi = np.quantile(pooled, [alpha, 1 - alpha], axis=0)
        for t in range(pooled.shape[2]):
            for c, name in enumerate(weights):
                rows.append((t + 1, name, est[c, t], lo[c, t], hi[c, t]))
    else:
        raise ValueError(f"method must be 'composition' or 'point', not {method!r}")
    out = pd.DataFrame(rows, columns=["topic", "contrast", "estimate", "ci_low", "ci_high"])
    out["method"] = method
    return out


def prevalence_over_time(fitted, docs: pd.DataFrame, *, by: str = "region", period: str = "year",
                         n_draws: int = 200, seed: int = DEFAULTS.seed, level: float = 0.95) -> pd.DataFrame:
    """Mean topic share per group and period, with intervals.

    Each replicate draws document shares from Dirichlet(gamma_d) and
    resamples documents within each group × period cell (a bootstrap, Efron
    & Tibshirani 1993), so the interval reflects both topic-model and
    sampling uncertainty.

    Returns
    -------
    pandas.DataFrame
        ``group, period, topic, share, ci_low, ci_high, n_docs``
    """
    meta = docs.set_index("doc_id").loc[list(fitted.bow.doc_ids)]
    if period == "quarter":
        labels = meta["date"].dt.to_period("Q").astype(str).to_numpy()
    else:
        labels = meta[period].astype("string").to_numpy()
    groups = meta[by].astype(str).to_numpy()
    rng = np.random.default_rng(seed)
    rows = []
    alpha = (1 - level) / 2
    for (g, per) in sorted({(a, b) for a, b in zip(groups, labels, strict=True) if pd.notna(b)}):
        idx = np.flatnonzero((groups == g) & (labels == per))
        gam = fitted.gamma[idx]
        reps = np.empty((n_draws, fitted.k))
        for r in range(n_draws):
            pick = rng.integers(0, len(idx), len(idx))
            s = rng.standard_gamma(gam[pick])
            reps[r] = (s / s.sum(axis=1, keepdims=True)).mean(axis=0)
        point = (gam / gam.sum(axis=1, keepdims=True)).mean(axis=0)
        lo, hi = np.quantile(reps, [alpha, 1 - alpha], axis=0)
        for t in range(fitted.k):
            rows.append((g, per, t + 1, point[t], lo[t], hi[t], len(idx)))
    return pd.DataFrame(rows, columns=["group", "period", "topic", "share", "ci_low", "ci_high", "n_docs"])


# --------------------------------------------------------------------------- framing contrasts


def _group_contrasts(regions: list[str]) -> dict[str, tuple]:
    """Contrast name -> ((region set, gender set) of group a, of group b[, interaction parts])."""
    out: dict[str, tuple] = {}
    for b, a in itertools.combinations(regions, 2):
        out[f"{a} - {b}"] = ("diff", ({a}, None), ({b}, None))
    out["male - female"] = ("diff", (set(regions), {"male"}), (set(regions), {"female"}))
    for r in regions:
        out[f"male - female | {r}"] = ("diff", ({r}, {"male"}), ({r}, {"female"}))
    for b, a in itertools.combinations(regions, 2):
        out[f"(male - female | {a}) - (male - female | {b})"] = (
            "inter", (({a}, {"male"}), ({a}, {"female"})), (({b}, {"male"}), ({b}, {"female"})))
    return out


def _means(w: np.ndarray, sums: np.ndarray, counts: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Group means for weights w (B × C), cluster sums/counts (C × M), cluster mask (C)."""
    num = w[:, mask] @ sums[mask]
    den = w[:, mask] @ counts[mask]
    with np.errstate(invalid="ignore", divide="ignore"):
        return num / den


def contrasts(values: pd.DataFrame, docs: pd.DataFrame, *, measure_col: str = "measure",
              value_col: str = "value", cluster: str | None = None, n_boot: int = DEFAULTS.n_boot,
              n_perm: int = DEFAULTS.n_perm, seed: int = DEFAULTS.seed, level: float = 0.95,
              gender_col: str = "victim_gender") -> pd.DataFrame:
    """Compare document-level measures across region, victim gender and their interaction.

    Parameters
    ----------
    values : DataFrame
        Long table ``doc_id, measure, value`` (e.g. frame rates per 1,000
        words, or victim agency per document). Missing values are left out
        of that measure's means.
    docs : DataFrame
        ``doc_id, region`` and ``victim_gender`` (plus the cluster column).
    cluster : str, optional
        Column to resample: default ``case_id`` when present (documents with
        no case are their own cluster), else ``outlet``.

    Returns
    -------
    pandas.DataFrame
        ``frame, contrast, estimate, ci_low, ci_high, p_value, p_adj, n_a, n_b, p_method``
        (frame_effects.csv). ``estimate`` is the difference in group means;
        intervals are cluster-bootstrap percentile intervals with resampling
        within region; ``p_value`` is a permutation p-value (labels permuted
        across clusters, within region for victim-gender contrasts); for
        interaction contrasts the p-value is the bootstrap sign test
        ``2·min(P(b ≤ 0), P(b ≥ 0))``. ``p_adj``: Holm across measures within
        each contrast.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "region": ["x", "x", "y", "y"],
    ...                      "victim_gender": ["male", "female"] * 2, "case_id": list("abcd")})
    >>> vals = pd.DataFrame({"doc_id": list("abcd"), "measure": "m", "value": [1., 1., 3., 3.]})
    >>> contrasts(vals, docs, n_boot=50, n_perm=50).set_index("contrast").loc["y - x", "estimate"]
    np.float64(2.0)
    """
    if cluster is None:
        cluster = "case_id" if "case_id" in docs.columns and docs["case_id"].notna().any() else "outlet"
    meta = docs.set_index("doc_id")
    wide = values.pivot_table(index="doc_id", columns=measure_col, values=value_col, aggfunc="mean")
    wide = wide.loc[wide.index.intersection(meta.index)]
    measures = list(wide.columns)
    m = meta.loc[wide.index]
    clus = m[cluster].astype("string").fillna("doc:" + pd.Series(m.index, index=m.index)) \
        if cluster in m.columns else pd.Series(m.index, index=m.index)
    gender = m[gender_col].fillna("unknown") if gender_col in m.columns else pd.Series("unknown", index=m.index)
    # A unit is a (cluster, region, gender) cell: labels are then constant within units.
    unit = clus + "|" + m["region"] + "|" + gender
    codes, uniques = pd.factorize(unit)
    vals = wide.to_numpy()
    has = ~np.isnan(vals)
    n_units = len(uniques)
    sums = np.zeros((n_units, len(measures)))
    counts = np.zeros((n_units, len(measures)))
    np.add.at(sums, codes, np.where(has, vals, 0.0))
    np.add.at(counts, codes, has.astype(float))
    u_region = np.array([u.split("|")[1] for u in uniques])
    u_gender = np.array([u.split("|")[2] for u in uniques])
    regions = order_regions(u_region)
    rng = np.random.default_rng(seed)

    # Cluster bootstrap weights, resampling units within region.
    W = np.zeros((n_boot, n_units))
    for r in regions:
        idx = np.flatnonzero(u_region == r)
        picks = rng.integers(0, len(idx), (n_boot, len(idx)))
        np.add.at(W, (np.repeat(np.arange(n_boot), len(idx)), idx[picks].ravel()), 1.0)
    ones = np.ones((1, n_units))

    def stat(w, spec, reg, gen):
        if spec[0] == "diff":
            (ra, ga), (rb, gb) = spec[1], spec[2]
            ma = np.isin(reg, list(ra)) & (np.isin(gen, list(ga)) if ga else True)
            mb = np.isin(reg, list(rb)) & (np.isin(gen, list(gb)) if gb else True)
            return _means(w, sums, counts, ma) - _means(w, sums, counts, mb)
        (a1, a2), (b1, b2) = spec[1], spec[2]
        part = lambda rr, gg: _means(w, sums, counts, np.isin(reg, list(rr)) & np.isin(gen, list(gg)))  # noqa: E731
        return (part(*a1) - part(*a2)) - (part(*b1) - part(*b2))

    alpha = (1 - level) / 2
    rows = []
    for name, spec in _group_contrasts(regions).items():
        est = stat(ones, spec, u_region, u_gender)[0]
        boot = stat(W, spec, u_region, u_gender)
        lo, hi = np.nanquantile(boot, [alpha, 1 - alpha], axis=0)
        if spec[0] == "diff":
            perm = np.empty((n_perm, len(measures)))
            (ra, ga), (rb, _) = spec[1], spec[2]
            for i in range(n_perm):
                reg, gen = u_region.copy(), u_gender.copy()
                if ga is None:                      # region contrast: permute region labels across units
                    pool = np.flatnonzero(np.isin(reg, list(ra | rb)))
                    reg[pool] = rng.permutation(reg[pool])
                else:                               # gender contrast: permute gender within region
                    for r in regions:
                        pool = np.flatnonzero((reg == r) & np.isin(gen, GENDERS))
                        gen[pool] = rng.permutation(gen[pool])
                perm[i] = stat(ones, spec, reg, gen)[0]
            with np.errstate(invalid="ignore"):
                p = (1 + (np.abs(perm) >= np.abs(est) - 1e-12).sum(axis=0)) / (n_perm + 1)
            p_method = "permutation"
        else:
            valid = np.isfinite(boot)
            p = np.minimum(1.0, 2 * np.minimum((boot <= 0).sum(axis=0), (boot >= 0).sum(axis=0))
                           / np.maximum(valid.sum(axis=0), 1))
            p_method = "bootstrap"
        if spec[0] == "diff":
            (ra, ga), (rb, gb) = spec[1], spec[2]
            ma = np.isin(u_region, list(ra)) & (np.isin(u_gender, list(ga)) if ga else True)
            mb = np.isin(u_region, list(rb)) & (np.isin(u_gender, list(gb)) if gb else True)
            n_a, n_b = counts[ma].sum(axis=0), counts[mb].sum(axis=0)
        else:
            n_a = counts[np.isin(u_region, list(spec[1][0][0]))].sum(axis=0)
            n_b = counts[np.isin(u_region, list(spec[2][0][0]))].sum(axis=0)
        ok = np.isfinite(est)
        p_adj = np.full(len(measures), np.nan)
        if ok.any():
            p_adj[ok] = multipletests(np.where(np.isnan(p[ok]), 1.0, p[ok]), method="holm")[1]
        for j, meas in enumerate(measures):
            rows.append((meas, name, est[j], lo[j], hi[j], p[j] if ok[j] else np.nan, p_adj[j],
                         int(n_a[j]), int(n_b[j]), p_method))
    return pd.DataFrame(rows, columns=["frame", "contrast", "estimate", "ci_low", "ci_high", "p_value",
                                       "p_adj", "n_a", "n_b", "p_method"])


def cluster_mean(values: pd.Series, docs: pd.DataFrame, *, cluster: str | None = None,
                 n_boot: int = DEFAULTS.n_boot, seed: int = DEFAULTS.seed, level: float = 0.95) -> dict[str, float]:
    """Mean of a per-document quantity with a cluster-bootstrap interval (Cameron et al. 2008).

    Useful for within-document comparisons, e.g. the accused's agency minus
    the alleged victim's agency in each article (CODEBOOK R9).

    Parameters
    ----------
    values : Series
        Indexed by ``doc_id``; missing values are dropped.
    docs : DataFrame
        ``doc_id`` and the cluster column (default ``case_id``; documents
        without a case are their own cluster).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "case_id": ["x", "x", "y", "y"]})
    >>> cluster_mean(pd.Series([1.0, 1.0, 3.0, 3.0], index=list("abcd")), docs, n_boot=200)["estimate"]
    2.0
    """
    cluster = cluster or ("case_id" if "case_id" in docs.columns else "doc_id")
    values = values.dropna()
    labels = docs.set_index("doc_id").loc[values.index, cluster].astype("string")
    labels = labels.fillna(pd.Series("doc:" + values.index.to_series().astype(str), index=values.index))
    codes, _ = pd.factorize(labels)
    sums = np.bincount(codes, weights=values.to_numpy())
    counts = np.bincount(codes).astype(float)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(sums), (n_boot, len(sums)))
    boot = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    alpha = (1 - level) / 2
    lo, hi = np.quantile(boot, [alpha, 1 - alpha])
    return {"estimate": float(values.mean()), "ci_low": float(lo), "ci_high": float(hi), "n_docs": int(len(values)),
            "n_clusters": int(len(sums))}
