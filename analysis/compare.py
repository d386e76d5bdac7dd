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

import sys
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from tqdm.auto import tqdm

from analysis import contrasts as spec
from analysis.config import DEFAULTS
from analysis.errors import DataTooSmallError, ResultWarning


def _design(data: pd.DataFrame, levels: list[str], genders: list[str], with_year: bool):
    if genders:
        formula = "C(group, levels=LEV) * C(victim_gender, levels=GEN)"
    else:
        formula = "C(group, levels=LEV)"
    formula += " + year_c" if with_year else ""
    env = {"LEV": levels, "GEN": genders}
    X = patsy.dmatrix(formula, data, return_type="dataframe", eval_env=patsy.EvalEnvironment([env]))
    grid = pd.DataFrame(spec.cells(levels, genders or ["any"]), columns=["group", "victim_gender"])
    Xc = patsy.build_design_matrices([X.design_info], grid.assign(year_c=0.0), return_type="dataframe")[0]
    return X.to_numpy(), Xc.to_numpy()


def _prepare(doc_ids: list[str], docs: pd.DataFrame, by: str, genders: list[str],
             with_year: bool, levels: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    cols = [by, "victim_gender", *(["year"] if with_year else [])]
    meta = docs.set_index("doc_id").reindex(doc_ids)
    for col in cols:
        if col not in meta.columns:
            meta[col] = np.nan
    meta = meta[cols].rename(columns={by: "group"})
    keep = meta["group"].astype("string").isin(levels).fillna(False).to_numpy(dtype=bool).copy()
    if genders:
        keep &= meta["victim_gender"].isin(genders).to_numpy()
    if with_year:
        keep &= meta["year"].notna().to_numpy()
    dropped = int((~keep).sum())
    if dropped:
        why = [f"not in a compared {by} group"] + (["no female/male alleged victim"] if genders else []) \
            + (["no year"] if with_year else [])
        warnings.warn(f"{dropped} documents left out of the prevalence regression ({' or '.join(why)})",
                      ResultWarning, stacklevel=3)
    data = meta[keep].reset_index()
    data["group"] = data["group"].astype(str)
    if with_year:
        data["year_c"] = data["year"].astype(float) - data["year"].astype(float).mean()
    return data, keep


def _estimable(L: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Rows of ``L`` that are estimable from design ``X`` (in its row space; Searle 1971)."""
    proj = L @ np.linalg.pinv(X) @ X
    return np.abs(proj - L).max(axis=1) < 1e-8


def _gender_levels(docs: pd.DataFrame) -> list[str]:
    """The victim genders compared: both when both occur, else none."""
    if "victim_gender" not in docs.columns:
        return []
    present = set(docs["victim_gender"].dropna())
    return list(spec.GENDERS) if all(g in present for g in spec.GENDERS) else []


def _prevalence_setup(fitted, docs: pd.DataFrame, by: str, levels, with_year: bool):
    """Design, contrast matrix and the estimable contrasts for :func:`prevalence_effects`."""
    genders = _gender_levels(docs)
    if levels is None:
        levels = spec.order_levels(docs[by].dropna())
    data, keep = _prepare(list(fitted.bow.doc_ids), docs, by, genders, with_year, levels)
    levels = [lv for lv in levels if (data["group"] == lv).any()]
    if not levels:
        raise DataTooSmallError(f"no document has both a {by!r} value and a topic share to compare")
    contrasts_ = spec.specify(levels, genders=bool(genders))
    X, Xc = _design(data, levels, genders, with_year)
    L = np.vstack([spec.cell_weights(c, levels, genders or ["any"]) @ Xc for c in contrasts_]) \
        if contrasts_ else np.zeros((0, X.shape[1]))
    ok = _estimable(L, X) if len(L) else np.zeros(0, bool)
    reasons = []
    for c, fine in zip(contrasts_, ok, strict=True):
        if fine:
            reasons.append("")
            continue
        empty = [f"{lv}, {g}" for grp in c.groups() for lv in levels if lv in grp.levels
                 for g in (sorted(grp.genders) if grp.genders else genders)
                 if not _has_docs(data, spec.Group(frozenset({lv}), frozenset({g})))]
        reasons.append("no documents in " + "; ".join(dict.fromkeys(empty)) if empty
                       else "not estimable from the documents")
        warnings.warn(f"topic prevalence contrast {c.name!r} is NaN: {reasons[-1]}", ResultWarning,
                      stacklevel=3)
    return X, L, ok, reasons, contrasts_, keep


def _has_docs(data: pd.DataFrame, group: spec.Group) -> bool:
    mask = data["group"].isin(group.levels)
    if group.genders is not None:
        mask &= data["victim_gender"].isin(group.genders)
    return bool(mask.any())


def _point_rows(gamma: np.ndarray, X: np.ndarray, L: np.ndarray, alpha: float) -> list[list[float]]:
    """Per topic, contrasts × (estimate, low, high) from OLS on point-estimate shares."""
    theta = gamma / gamma.sum(axis=1, keepdims=True)
    q = float(stats.norm.ppf(1 - alpha))  # normal, like the composition percentiles
    out = []
    for t in range(theta.shape[1]):
        res = sm.OLS(theta[:, t], X).fit()
        est = L @ res.params
        se = np.sqrt(np.einsum("ij,jk,ik->i", L, res.cov_params(), L))
        out.append([est, est - q * se, est + q * se])
    return out


def _composition_rows(gamma: np.ndarray, X: np.ndarray, L: np.ndarray, alpha: float, n_draws: int,
                      n_sims: int, seed: int, progress: bool) -> list[list[np.ndarray]]:
    """Per topic, contrasts × (estimate, low, high) by the method of composition."""
    n, p = X.shape
    xtx_inv = np.linalg.pinv(X.T @ X)
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
    return [[est[:, t], lo[:, t], hi[:, t]] for t in range(pooled.shape[2])]


def prevalence_effects(fitted, docs: pd.DataFrame, *, by: str = "region", levels: list[str] | None = None,
                       n_draws: int = DEFAULTS.n_draws, n_sims: int = 20, seed: int = DEFAULTS.seed,
                       with_year: bool = False, level: float = 0.95, method: str = "composition",
                       progress: bool = True) -> pd.DataFrame:
    """Topic prevalence contrasts by group and alleged-victim gender, with intervals.

    Regress each topic's share on group × victim gender (and optionally
    centred year) by OLS; contrasts come from :func:`analysis.contrasts.specify`
    (victim-gender contrasts only where both genders occur).

    * ``method="composition"``: for each of ``n_draws`` draws, sample every
      document's shares from Dirichlet(gamma_d), refit, and draw ``n_sims``
      coefficient vectors from N(beta_hat, Var(beta_hat)); the interval is the
      percentile interval of the pooled contrasts (Roberts, Stewart & Tingley
      2019; Treier & Jackman 2008).
    * ``method="point"``: OLS on the point-estimate shares only, with
      normal intervals; it ignores topic-model uncertainty and is reported
      for comparison.

    A contrast that is not estimable (a cell without documents, e.g. no
    male-victim article in a group) is NaN with a ``reason`` and a
    :class:`~analysis.errors.ResultWarning`. Intervals are clipped to the
    possible range of the contrast (±1 for a difference of shares, ±2 for
    an interaction).

    Returns
    -------
    pandas.DataFrame
        ``topic, contrast, estimate, ci_low, ci_high, method, reason``
        (prevalence_effects.csv).

    Examples
    --------
    >>> eff = prevalence_effects(fitted, docs, n_draws=20)      # doctest: +SKIP
    """
    if method not in ("composition", "point"):
        raise ValueError(f"method must be 'composition' or 'point', not {method!r}")
    X, L, ok, reasons, contrasts_, keep = _prevalence_setup(fitted, docs, by, levels, with_year)
    gamma = fitted.gamma[keep]
    alpha = (1 - level) / 2
    if method == "point":
        per_topic = _point_rows(gamma, X, L, alpha)
    else:
        per_topic = _composition_rows(gamma, X, L, alpha, n_draws, n_sims, seed, progress)
    bound = np.array([2.0 if c.kind == "interaction" else 1.0 for c in contrasts_])
    rows = []
    for t, (est, lo, hi) in enumerate(per_topic):
        est, lo, hi = (np.where(ok, v, np.nan) for v in (est, lo, hi))
        lo, hi = np.clip(lo, -bound, bound), np.clip(hi, -bound, bound)
        for c, e, lw, h, why in zip(contrasts_, est, lo, hi, reasons, strict=True):
            rows.append((t + 1, c.name, e, lw, h, why))
    out = pd.DataFrame(rows, columns=["topic", "contrast", "estimate", "ci_low", "ci_high", "reason"])
    out.insert(5, "method", method)
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
        raw = meta["date"].dt.to_period("Q").astype("string")
    else:
        raw = meta[period].astype("string") if period in meta.columns else pd.Series(pd.NA, index=meta.index)
    # Documents without a period (no date) are left out; "" marks them (pd.NA cannot be compared).
    labels = raw.fillna("").to_numpy(dtype=object)
    groups = meta[by].astype("string").fillna("").to_numpy(dtype=object)
    rng = np.random.default_rng(seed)
    rows = []
    alpha = (1 - level) / 2
    for (g, per) in sorted({(a, b) for a, b in zip(groups, labels, strict=True) if a and b}):
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


@dataclass
class _Units:
    """Documents pooled into (cluster, group, gender) units: labels are constant within a unit."""

    sums: np.ndarray        # units × measures
    counts: np.ndarray      # units × measures
    group: np.ndarray       # units
    gender: np.ndarray      # units
    measures: list[str]


def _units(values: pd.DataFrame, docs: pd.DataFrame, by: str, measure_col: str, value_col: str,
           cluster: str, gender_col: str) -> _Units:
    meta = docs.set_index("doc_id")
    wide = values.pivot_table(index="doc_id", columns=measure_col, values=value_col, aggfunc="mean")
    wide = wide.loc[wide.index.intersection(meta.index[meta[by].notna()])]
    m = meta.loc[wide.index]
    clus = m[cluster].astype("string").fillna("doc:" + pd.Series(m.index, index=m.index)) \
        if cluster in m.columns else pd.Series(m.index, index=m.index)
    gender = m[gender_col].fillna("unknown") if gender_col in m.columns else pd.Series("unknown", index=m.index)
    unit = clus + "|" + m[by].astype(str) + "|" + gender
    codes, uniques = pd.factorize(unit)
    vals = wide.to_numpy()
    has = ~np.isnan(vals)
    sums = np.zeros((len(uniques), vals.shape[1]))
    counts = np.zeros((len(uniques), vals.shape[1]))
    np.add.at(sums, codes, np.where(has, vals, 0.0))
    np.add.at(counts, codes, has.astype(float))
    parts = [u.rsplit("|", 2) for u in uniques]
    return _Units(sums, counts, np.array([q[1] for q in parts]), np.array([q[2] for q in parts]),
                  list(wide.columns))


def _group_mask(group: spec.Group, grp: np.ndarray, gen: np.ndarray) -> np.ndarray:
    mask = np.isin(grp, list(group.levels))
    if group.genders is not None:
        mask &= np.isin(gen, list(group.genders))
    return mask


def _stat(w: np.ndarray, contrast: spec.Contrast, u: _Units, grp: np.ndarray, gen: np.ndarray) -> np.ndarray:
    """The contrast for unit weights ``w`` (B × units): differences of weighted group means."""
    def mean(group: spec.Group) -> np.ndarray:
        mask = _group_mask(group, grp, gen)
        num = w[:, mask] @ u.sums[mask]
        den = w[:, mask] @ u.counts[mask]
        with np.errstate(invalid="ignore", divide="ignore"):
            return num / den
    return spec.evaluate(contrast.term, mean)


def _bootstrap_weights(u: _Units, levels: list[str], n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Cluster-bootstrap weights, resampling units within each group (Cameron et al. 2008)."""
    W = np.zeros((n_boot, len(u.group)))
    for lv in levels:
        idx = np.flatnonzero(u.group == lv)
        picks = rng.integers(0, len(idx), (n_boot, len(idx)))
        np.add.at(W, (np.repeat(np.arange(n_boot), len(idx)), idx[picks].ravel()), 1.0)
    return W


def _permutation_p(contrast: spec.Contrast, u: _Units, levels: list[str], est: np.ndarray, n_perm: int,
                   rng: np.random.Generator) -> np.ndarray:
    """Permutation p-values (Good 2005): group labels permuted across the two groups' units, or
    victim-gender labels permuted within each group."""
    ones = np.ones((1, len(u.group)))
    perm = np.empty((n_perm, len(u.measures)))
    a, b = contrast.term.a, contrast.term.b
    for i in range(n_perm):
        grp, gen = u.group.copy(), u.gender.copy()
        if contrast.kind == "groups":
            pool = np.flatnonzero(np.isin(grp, list(a.levels | b.levels)))
            grp[pool] = rng.permutation(grp[pool])
        else:
            for lv in levels:
                pool = np.flatnonzero((grp == lv) & np.isin(gen, spec.GENDERS))
                gen[pool] = rng.permutation(gen[pool])
        perm[i] = _stat(ones, contrast, u, grp, gen)[0]
    with np.errstate(invalid="ignore"):
        return (1 + (np.abs(perm) >= np.abs(est) - 1e-12).sum(axis=0)) / (n_perm + 1)


def _sizes(contrast: spec.Contrast, u: _Units) -> tuple[np.ndarray, np.ndarray]:
    """Documents with a value on each side of the contrast (for interactions: per group)."""
    def side(term) -> np.ndarray:
        levels = frozenset().union(*(g.levels for g in spec._leaves(term)))
        genders = None if contrast.kind == "interaction" else term.genders
        return u.counts[_group_mask(spec.Group(levels, genders), u.group, u.gender)].sum(axis=0)
    return side(contrast.term.a), side(contrast.term.b)


def _reason(contrast: spec.Contrast, u: _Units, levels: list[str], j: int) -> str:
    empty = [spec.group_label(g, levels) for g in contrast.groups()
             if u.counts[_group_mask(g, u.group, u.gender), j].sum() == 0]
    return "no documents in " + "; ".join(dict.fromkeys(empty)) if empty else "no variation to compare"


def contrasts(values: pd.DataFrame, docs: pd.DataFrame, *, by: str = "region", levels: list[str] | None = None,
              measure_col: str = "measure", value_col: str = "value", cluster: str | None = None,
              n_boot: int = DEFAULTS.n_boot, n_perm: int = DEFAULTS.n_perm, seed: int = DEFAULTS.seed,
              level: float = 0.95, gender_col: str = "victim_gender", item: str = "frame") -> pd.DataFrame:
    """Compare document-level measures across groups, victim gender and their interaction.

    Parameters
    ----------
    values : DataFrame
        Long table ``doc_id, measure, value`` (e.g. frame rates per 1,000
        words, or victim agency per document). Missing values are left out
        of that measure's means.
    docs : DataFrame
        ``doc_id``, the grouping column ``by`` and ``victim_gender`` (plus the
        cluster column).
    levels : list of str, optional
        Group order (default: order of first appearance in ``docs``).
    cluster : str, optional
        Column to resample: default ``case_id`` when present (documents with
        no case are their own cluster), else ``outlet``.
    item : str
        Name of the first output column (``frame`` for frame_effects.csv).

    Returns
    -------
    pandas.DataFrame
        ``<item>, contrast, estimate, ci_low, ci_high, p_value, p_adj, n_a, n_b, p_method, reason``.
        ``estimate`` is the difference in group means (contrasts from
        :func:`analysis.contrasts.specify`); intervals are cluster-bootstrap
        percentile intervals with resampling within group; ``p_value`` is a
        permutation p-value (labels permuted across clusters, within group
        for victim-gender contrasts); for interaction contrasts it is the
        bootstrap sign test ``2·min(P(b ≤ 0), P(b ≥ 0))``. ``p_adj``: Holm
        (1979) across the measures of ``values`` within each contrast (one
        family per call). A contrast with an empty group is NaN with a
        ``reason`` and a :class:`~analysis.errors.ResultWarning`.

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
    u = _units(values, docs, by, measure_col, value_col, cluster, gender_col)
    levels = [lv for lv in (levels or spec.order_levels(docs[by].dropna())) if (u.group == lv).any()]
    genders = all((u.gender == g).any() for g in spec.GENDERS)
    rng = np.random.default_rng(seed)
    W = _bootstrap_weights(u, levels, n_boot, rng)
    ones = np.ones((1, len(u.group)))
    alpha = (1 - level) / 2
    rows = []
    for c in spec.specify(levels, genders=genders):
        est = _stat(ones, c, u, u.group, u.gender)[0]
        boot = _stat(W, c, u, u.group, u.gender)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)      # all-NaN columns: handled below
            lo, hi = np.nanquantile(boot, [alpha, 1 - alpha], axis=0)
        if c.kind != "interaction":
            p, p_method = _permutation_p(c, u, levels, est, n_perm, rng), "permutation"
        else:
            valid = np.isfinite(boot)
            p = np.minimum(1.0, 2 * np.minimum((boot <= 0).sum(axis=0), (boot >= 0).sum(axis=0))
                           / np.maximum(valid.sum(axis=0), 1))
            p_method = "bootstrap"
        n_a, n_b = _sizes(c, u)
        ok = np.isfinite(est)
        p_adj = np.full(len(u.measures), np.nan)
        if ok.any():
            p_adj[ok] = multipletests(np.where(np.isnan(p[ok]), 1.0, p[ok]), method="holm")[1]
        for j, meas in enumerate(u.measures):
            why = "" if ok[j] else _reason(c, u, levels, j)
            if why:
                warnings.warn(f"{item} {meas!r}, contrast {c.name!r} is NaN: {why}", ResultWarning, stacklevel=2)
            rows.append((meas, c.name, est[j], lo[j] if ok[j] else np.nan, hi[j] if ok[j] else np.nan,
                         p[j] if ok[j] else np.nan, p_adj[j], int(n_a[j]), int(n_b[j]), p_method, why))
    return pd.DataFrame(rows, columns=[item, "contrast", "estimate", "ci_low", "ci_high", "p_value",
                                       "p_adj", "n_a", "n_b", "p_method", "reason"])


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
