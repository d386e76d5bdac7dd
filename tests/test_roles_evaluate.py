"""Role and victim-gender accuracy against a case registry (analysis.validation.evaluate)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import validation
from analysis.errors import UsageError


def _gold():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "case_id": ["c1", "c2", None],
                         "victim_gender": ["male", "female", None]})
    cases = pd.DataFrame({"case_id": ["c1", "c2"], "victims": ["Noor Hassan", "Hina Baloch; Sana Sheikh"],
                          "accused": ["Adnan Shah", "Faraz Haider"]})
    return type("C", (), {"docs": docs, "cases": cases})()


def test_missed_people_count_as_wrong():
    # a: both found, both right; b: Baloch right, Haider wrong, Sheikh not found
    m = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b"],
                      "person": ["Noor Hassan", "Adnan Shah", "Hina Baloch", "Faraz Haider", "Someone Else"],
                      "role": ["victim", "accused", "victim", "victim", "other"]})
    s = validation.evaluate(_gold(), m)
    assert (s["n_docs"], s["n_case_people"], s["n_people"]) == (2.0, 5.0, 4.0)
    assert s["role_accuracy"] == pytest.approx(3 / 5)
    assert s["role_accuracy_found"] == pytest.approx(3 / 4)
    assert s["people_found_share"] == pytest.approx(4 / 5)


def test_finding_nobody_is_not_perfect():
    m = pd.DataFrame({"doc_id": ["a"], "person": ["Noor Hassan"], "role": ["victim"]})
    s = validation.evaluate(_gold(), m)
    assert s["role_accuracy"] == pytest.approx(1 / 5) and s["role_accuracy_found"] == 1.0


def test_victim_gender_accuracy():
    inferred = pd.DataFrame({"doc_id": ["a", "b", "c"], "victim_gender": ["male", "male", "unknown"]})
    m = pd.DataFrame({"doc_id": [], "person": [], "role": []})
    assert validation.evaluate(_gold(), m, inferred)["victim_gender_accuracy"] == 0.5


def test_needs_a_registry():
    c = type("C", (), {"docs": pd.DataFrame({"doc_id": ["a"]}), "cases": None})()
    with pytest.raises(UsageError, match="corpus_with_cases"):
        validation.evaluate(c, pd.DataFrame({"doc_id": [], "person": [], "role": []}))
