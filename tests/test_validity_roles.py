"""Helpers of benchmarks/validity_roles.py that need no real texts: matching coded people and scoring
both sides of the role step (coded victims and accused, and people coded other)."""

from __future__ import annotations

import pandas as pd

from benchmarks import validity_roles as vr


def _mentions():
    return pd.DataFrame({"doc_id": ["a", "a", "a", "a", "b"],
                         "person": ["Ann Lee", "Ann Lee", "Bo Chan", "Dev Rao", "Ann Lee"],
                         "role": ["victim", "victim", "accused", "other", "other"]})


def _people():
    return pd.DataFrame({"id": ["a", "a", "a", "a", "b"],
                         "person": ["Ann Lee", "Bo Chan", "Dev Rao", "Eve Ng", "Ann Lee"],
                         "role": ["victim", "other", "other", "other", "accused"]})


def test_roles_count_only_coded_victims_and_accused():
    rows = vr.evaluate_roles(_mentions(), _people())
    assert rows[["person", "predicted", "correct"]].values.tolist() == [["Ann Lee", "victim", True],
                                                                        ["Ann Lee", "other", False]]


def test_bystanders_given_a_role_are_counted_and_unfound_ones_left_out():
    rows = vr.evaluate_bystanders(_mentions(), _people())
    assert rows["person"].tolist() == ["Bo Chan", "Dev Rao"]                  # Eve Ng is not found
    assert rows["given_role"].tolist() == [True, False]                       # Bo Chan made accused: wrong
    assert vr.evaluate_bystanders(_mentions(), _people().iloc[:1]).empty      # nobody coded other


def test_the_report_has_the_bystander_line():
    gold = pd.DataFrame({"id": ["a", "b"], "case": ["x", "y"]})
    vg = pd.DataFrame([{"method": "workbench", "accuracy": 1.0, "ci_low": 1.0, "ci_high": 1.0,
                        "accuracy_female_male": 1.0, "n_articles": 2, "n_cases": 2}])
    basis = pd.DataFrame({"basis": ["victims"], "articles": [2], "correct": [2]})
    text = vr.report(vg, vr.evaluate_roles(_mentions(), _people()), "tuning", gold, basis,
                     vr.evaluate_bystanders(_mentions(), _people()))
    assert "| people coded other (found) given a victim or accused role | 1 of 2 (0.500, 95 % CI [" in text
    # found: Ann Lee in a (victim, right), Ann Lee in b (coded accused, tool other: wrong), Dev Rao kept other
    assert "| role accuracy over every coded person found (victim, accused and other) | 0.500 (2 of 4) |" in text
