"""The one contrast specification: names, order, cell weights and evaluation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import contrasts as spec


def test_names_and_order_for_three_groups():
    names = [c.name for c in spec.specify(["h", "b", "p"])]
    assert names == ["b - h", "p - h", "p - b", "male - female", "male - female | h", "male - female | b",
                     "male - female | p", "(male - female | b) - (male - female | h)",
                     "(male - female | p) - (male - female | h)", "(male - female | p) - (male - female | b)"]


def test_one_group_has_only_within_group_contrasts():
    assert [c.name for c in spec.specify(["only"])] == ["male - female", "male - female | only"]
    assert spec.specify(["only"], genders=False) == []


def test_cell_weights_by_hand():
    c = {x.name: x for x in spec.specify(["a", "b", "c"])}
    # cells: (a,f) (a,m) (b,f) (b,m) (c,f) (c,m)
    assert spec.cell_weights(c["c - a"], ["a", "b", "c"]).tolist() == [-0.5, -0.5, 0, 0, 0.5, 0.5]
    assert spec.cell_weights(c["male - female"], ["a", "b", "c"]) == pytest.approx([-1 / 3, 1 / 3] * 3)
    assert spec.cell_weights(c["male - female | b"], ["a", "b", "c"]).tolist() == [0, 0, -1, 1, 0, 0]
    inter = c["(male - female | c) - (male - female | a)"]
    assert spec.cell_weights(inter, ["a", "b", "c"]).tolist() == [1, -1, 0, 0, -1, 1]


@given(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=6, unique=True))
def test_every_contrast_weight_sums_to_zero_and_evaluate_agrees_with_weights(levels):
    rng = np.random.default_rng(len(levels))
    cell_means = rng.normal(size=2 * len(levels))
    grid = spec.cells(levels)
    for c in spec.specify(levels):
        w = spec.cell_weights(c, levels)
        assert w.sum() == pytest.approx(0.0), c.name

        def mean(group, grid=grid):
            wanted = group.genders or frozenset(spec.GENDERS)
            sel = [i for i, (lv, g) in enumerate(grid) if lv in group.levels and g in wanted]
            return cell_means[sel].mean()

        assert float(spec.evaluate(c.term, mean)) == pytest.approx(float(w @ cell_means)), c.name


@given(st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=12))
def test_order_levels_is_first_appearance_and_declared_order_wins(values):
    first = list(dict.fromkeys(values))
    assert spec.order_levels(values) == first
    declared = ["z", "y", "x"]
    out = spec.order_levels(values, declared=declared)
    assert out == [v for v in declared if v in first] and set(out) == set(first)
