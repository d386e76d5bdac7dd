"""Group comparisons: contrast algebra, cluster bootstrap and permutation, method of composition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from analysis import compare
from analysis.errors import ResultWarning


def _docs():
    rows = []
    for r in ("hollywood", "pakistan"):
        for g in ("female", "male"):
            for case in range(3):
                for d in range(2):
                    rows.append({"doc_id": f"{r}-{g}-{case}-{d}", "region": r, "victim_gender": g,
                                 "case_id": f"{r}-{g}-{case}"})
    return pd.DataFrame(rows)


def test_contrasts_by_hand():
    docs = _docs()
    # value = 1 in pakistan, +2 for male victims in pakistan only
    value = (docs["region"] == "pakistan") * 1.0 + ((docs["region"] == "pakistan") & (docs["victim_gender"] == "male")) * 2.0
    vals = pd.DataFrame({"doc_id": docs["doc_id"], "measure": "m", "value": value})
    out = compare.contrasts(vals, docs, n_boot=200, n_perm=200, seed=1).set_index("contrast")
    # pakistan mean = (1*12 + 2*6)/12 = 2; hollywood mean = 0
    assert out.loc["pakistan - hollywood", "estimate"] == pytest.approx(2.0)
    assert out.loc["male - female | pakistan", "estimate"] == pytest.approx(2.0)
    assert out.loc["male - female | hollywood", "estimate"] == pytest.approx(0.0)
    assert out.loc["(male - female | pakistan) - (male - female | hollywood)", "estimate"] == pytest.approx(2.0)
    assert out.loc["pakistan - hollywood", "p_value"] < 0.05
    assert set(out.columns) >= {"frame", "estimate", "ci_low", "ci_high", "p_value", "p_adj"}


def test_holm_adjustment_across_measures():
    docs = _docs()
    rng = np.random.default_rng(0)
    shift = (docs["region"] == "pakistan").to_numpy() * 0.8
    vals = pd.concat([pd.DataFrame({"doc_id": docs["doc_id"], "measure": f"m{i}",
                                    "value": rng.normal(size=len(docs)) + shift * (i % 2)}) for i in range(5)])
    out = compare.contrasts(vals, docs, n_boot=100, n_perm=200, seed=2)
    for _, part in out.groupby("contrast"):
        expected = multipletests(part["p_value"].to_numpy(), method="holm")[1]
        assert part["p_adj"].to_numpy() == pytest.approx(expected)
    # the adjustment really changes something (an unadjusted p_adj would fail above and here)
    assert (out["p_adj"] > out["p_value"] + 1e-9).any()


def test_holm_by_hand():
    # Holm (1979): sorted p 0.01, 0.03, 0.04 times 3, 2, 1 -> 0.03, 0.06, 0.06 (monotone)
    assert multipletests([0.01, 0.04, 0.03], method="holm")[1] == pytest.approx([0.03, 0.06, 0.06])


def test_a_group_without_male_victims_gives_nan_with_a_reason():
    docs = _docs()
    docs = docs[~((docs["region"] == "pakistan") & (docs["victim_gender"] == "male"))]
    vals = pd.DataFrame({"doc_id": docs["doc_id"], "measure": "m", "value": np.arange(len(docs), dtype=float)})
    with pytest.warns(ResultWarning, match="pakistan, male"):
        out = compare.contrasts(vals, docs, n_boot=50, n_perm=50, seed=1).set_index("contrast")
    row = out.loc["male - female | pakistan"]
    assert np.isnan(row["estimate"]) and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert "no documents in pakistan, male" in row["reason"]
    assert np.isfinite(out.loc["male - female | hollywood", "estimate"])
    assert out.loc["male - female | hollywood", "reason"] == ""


def test_prevalence_contrast_of_an_empty_cell_is_nan_not_a_number():
    docs = _docs()
    docs = docs[~((docs["region"] == "pakistan") & (docs["victim_gender"] == "male"))].reset_index(drop=True)
    rng = np.random.default_rng(4)
    fit = _FakeFit(docs["doc_id"].tolist(), rng.dirichlet([1, 1], len(docs)) * 50)
    with pytest.warns(ResultWarning, match="pakistan, male"):
        eff = compare.prevalence_effects(fit, docs, n_draws=20, seed=1, progress=False)
    bad = eff[eff["contrast"].str.contains("pakistan") & eff["contrast"].str.contains("male - female")]
    assert len(bad) and bad["estimate"].isna().all() and bad["ci_low"].isna().all()
    assert bad["reason"].str.contains("no documents in pakistan, male").all()
    good = eff[eff["reason"] == ""]
    assert good["estimate"].notna().all()
    assert ((good["ci_low"] >= -1) & (good["ci_high"] <= 1)).all()


def test_explicit_levels_set_the_contrast_direction_and_subset():
    docs = _docs()
    vals = pd.DataFrame({"doc_id": docs["doc_id"], "measure": "m", "value": (docs["region"] == "pakistan") * 1.0})
    out = compare.contrasts(vals, docs, levels=["pakistan", "hollywood"], n_boot=20, n_perm=20)
    assert out.set_index("contrast").loc["hollywood - pakistan", "estimate"] == pytest.approx(-1.0)
    one = compare.contrasts(vals, docs, levels=["pakistan"], n_boot=20, n_perm=20)
    assert set(one["contrast"]) == {"male - female", "male - female | pakistan"}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=24, max_size=24), st.integers(0, 100))
def test_intervals_contain_estimate_and_p_values_are_valid(values, seed):
    docs = _docs()
    vals = pd.DataFrame({"doc_id": docs["doc_id"], "measure": "m", "value": values})
    out = compare.contrasts(vals, docs, n_boot=100, n_perm=100, seed=seed)
    diff = out[out["p_method"] == "permutation"]
    assert ((diff["p_value"] > 0) & (diff["p_value"] <= 1)).all()
    assert (out["ci_low"] <= out["estimate"] + 1e-9).all() and (out["estimate"] <= out["ci_high"] + 1e-9).all()


class _FakeFit:
    """The parts of a fitted topic model that prevalence_effects reads."""

    def __init__(self, doc_ids, gamma):
        self.bow = type("B", (), {"doc_ids": doc_ids})()
        self.gamma = gamma
        self.k = gamma.shape[1]


def test_composition_intervals_are_wider_than_point_estimate_intervals():
    docs = _docs()
    docs = pd.concat([docs.assign(doc_id=docs["doc_id"] + f"-{i}") for i in range(5)], ignore_index=True)
    rng = np.random.default_rng(3)
    # short documents: gamma sums to ~6 tokens, so each document's topic shares are very uncertain
    base = np.where(docs["region"].eq("pakistan").to_numpy()[:, None], [0.6, 0.2, 0.2], [0.2, 0.4, 0.4])
    gamma = rng.dirichlet([1, 1, 1], len(docs)) * 2 + base * 4
    fit = _FakeFit(docs["doc_id"].tolist(), gamma)
    comp = compare.prevalence_effects(fit, docs, n_draws=100, seed=1, progress=False)
    point = compare.prevalence_effects(fit, docs, method="point", progress=False)
    m = comp.merge(point, on=["topic", "contrast"], suffixes=("", "_pt"))
    ratio = (m["ci_high"] - m["ci_low"]) / (m["ci_high_pt"] - m["ci_low_pt"])
    assert ratio.median() > 1.2
    pk = comp.query("topic == 1 and contrast == 'pakistan - hollywood'").iloc[0]
    assert pk["ci_low"] > 0   # the planted difference is recovered
