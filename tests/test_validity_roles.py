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


def test_a_partial_text_folder_stops_with_a_message_unless_asked_for_a_partial_report(tmp_path, monkeypatch,
                                                                                      capsys):
    gold, _ = vr.annotations("evaluation")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / f"{gold['id'].iloc[0]}.txt").write_text("One excerpt.", encoding="utf-8")
    monkeypatch.setenv("METOO_REAL_NEWS", str(tmp_path))
    assert vr.missing_texts("evaluation") == gold["id"].iloc[1:].tolist()
    assert vr.annotations("evaluation", present_only=True)[0]["id"].tolist() == [gold["id"].iloc[0]]
    assert vr.main([]) == 2
    err = capsys.readouterr().err
    assert f"evaluation {len(gold) - 1} (first {gold['id'].iloc[1]}.txt)" in err and "--present-only" in err
    assert vr.main(["--present-only"]) == 2                        # never over the committed report
    assert "needs --out" in capsys.readouterr().err
