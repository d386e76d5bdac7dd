"""Group comparisons: contrast algebra, cluster bootstrap and permutation, method of composition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import compare


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
    vals = pd.concat([pd.DataFrame({"doc_id": docs["doc_id"], "measure": f"m{i}", "value": rng.normal(size=len(docs))})
                      for i in range(5)])
    out = compare.contrasts(vals, docs, n_boot=100, n_perm=200, seed=2)
    for _, part in out.groupby("contrast"):
        assert (part["p_adj"] >= part["p_value"] - 1e-12).all()


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


def test_contrast_weights_sum_to_zero():
    for name, w in compare.contrast_weights(["hollywood", "bollywood", "pakistan"]).items():
        assert w.sum() == pytest.approx(0.0), name
