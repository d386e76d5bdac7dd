"""The torch-free learned roles (analysis/roles/linear.py): features, fitting, the model file, filling
roles, and that learned roles never decide the alleged-victim gender.

How well it does on real news is measured by benchmarks/train_roles.py --linear and
benchmarks/validity_roles.py (round 9 of benchmarks/results/validity_notes.md), not here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import roles
from analysis.errors import LexiconError
from analysis.roles import learned, linear


def test_features_hand_checked():
    got = linear.features("Police said [[ Ravi Kumar ]] was arrested on Friday in Delhi .").split()
    assert got[:2] == ["l:police", "l:said"]
    assert got[2:7] == ["r:was", "r:arrested", "r:on", "r:<cap>", "r:in"]   # window of 5; Friday masked
    assert "r1:was" in got and "l1:said" in got
    assert "s:<cap>" in got and "s:police" in got                                 # sentence-initial word kept
    assert not any("ravi" in w or "kumar" in w for w in got)                       # the mention itself is not a feature


def test_features_at_the_edges():
    assert linear.features("[[ Ali ]]").split() == ["r1:<end>", "l1:<start>"]
    assert linear.features("no marked mention here").split() == ["s:no", "s:marked", "s:mention", "s:here"]


@given(st.lists(st.sampled_from(["she", "He", "accused", "Khan", "was", "harassed", ",", "'s", "2018"]),
                max_size=12), st.lists(st.sampled_from(["Ali", "Omar", "Sana"]), min_size=1, max_size=3),
       st.integers(min_value=0, max_value=12))
def test_features_never_name_the_mention_and_are_all_prefixed(words, name, at):
    at = min(at, len(words))
    text = " ".join([*words[:at], "[[", *name, "]]", *words[at:]])
    feats = linear.features(text).split()
    assert all(f.split(":", 1)[0] in ("l", "r", "l1", "r1", "s") for f in feats)
    assert not any(f.split(":", 1)[1] in ("ali", "omar", "sana") for f in feats)
    assert sum(f.startswith("l:") for f in feats) <= linear.WINDOW
    assert sum(f.startswith("r:") for f in feats) <= linear.WINDOW


def _toy():
    texts = ["[[ A ]] accused him of assault", "he harassed [[ A ]] at work", "[[ B ]] denied the claims",
             "[[ B ]] was accused by her", "[[ C ]] reported the story", "[[ C ]] wrote the review"]
    y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 0], [0, 0]])
    return linear.train(texts * 4, np.vstack([y] * 4))


def test_train_learns_the_sides_and_probabilities_are_in_range():
    model = _toy()
    p = model.probabilities(["[[ X ]] denied the claims", "he harassed [[ Y ]] at work", "[[ Z ]] wrote it"])
    assert p.shape == (3, 2) and ((p > 0) & (p < 1)).all()
    assert p[0, 1] > 0.5 > p[0, 0]            # denied: accused
    assert p[1, 0] > 0.5 > p[1, 1]            # harassed X: victim
    assert p[2].max() < 0.5                   # wrote: neither
    assert model.probabilities([]).shape == (0, 2)


def test_one_class_output_is_a_constant():
    model = linear.train(["[[ A ]] spoke"] * 3, np.array([[0, 1]] * 3))
    p = model.probabilities(["[[ B ]] spoke", "anything"])
    assert (p[:, 0] < 0.01).all() and (p[:, 1] > 0.99).all()


def test_save_load_round_trip_and_broken_files(tmp_path):
    model = _toy()
    back = linear.load(linear.save(model, tmp_path / "m.npz"))
    assert back.digest() == model.digest() and back.vocabulary == model.vocabulary
    np.testing.assert_allclose(back.probabilities(["[[ Q ]] denied it"]), model.probabilities(["[[ Q ]] denied it"]))
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(LexiconError, match="bad.npz: not a readable linear role model"):
        linear.load(tmp_path / "bad.npz")


def test_a_model_written_for_another_window_is_refused(tmp_path, monkeypatch):
    path = linear.save(_toy(), tmp_path / "m.npz")
    monkeypatch.setattr(linear, "WINDOW", linear.WINDOW + 1)
    with pytest.raises(LexiconError, match="other features"):
        linear.load(path)


@pytest.mark.skipif(not linear.model_path().is_file(), reason="round 9: no linear role model shipped yet")
def test_the_shipped_model_reads_and_fits_the_features():
    model = linear.shipped_model()
    assert model.frames == linear.ROLES and model.coef.shape == (2, len(model.vocabulary))
    assert "tuning" in model.trained_on and "evaluation" not in model.trained_on


def _article():
    words = [["Omar", "Ali", "denied", "the", "claims", "."], ["Sana", "Mir", "was", "harassed", "."]]
    rows, i = [], 0
    for s, ws in enumerate(words):
        for k, w in enumerate(ws):
            rows.append({"doc_id": "a", "sent": s, "i": i, "text": w, "ws": "" if k + 2 == len(ws) else " "})
            i += 1
    tok = pd.DataFrame(rows)
    m = pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1], "person": ["Omar Ali", "Sana Mir"],
                      "role": ["other", "victim"], "role_source": ["none", "text"], "token": [0, 6],
                      "text": ["Omar Ali", "Sana Mir"], "gender": ["male", "female"],
                      "victim_evidence": [0.0, 2.0], "accused_evidence": [0.0, 0.0]})
    return tok, m


def test_fill_roles_changes_only_people_left_as_other():
    tok, m = _article()
    out = linear.fill_roles(m, tok, _toy())
    assert out["role"].tolist() == ["accused", "victim"]
    assert out["role_source"].tolist() == ["linear", "text"]
    assert m["role"].tolist() == ["other", "victim"]                      # the input is not changed
    assert learned.fill_with(m.iloc[:0], tok, _toy(), "linear").empty


def test_learned_roles_never_decide_the_victim_gender():
    c = type("C", (), {"docs": pd.DataFrame({"doc_id": ["a"]}), "cases": None})()
    m = pd.DataFrame({"doc_id": ["a"] * 2, "person": ["A", "B"], "role": ["victim", "victim"],
                      "gender": ["male", "female"], "victim_evidence": [2.0, 2.0],
                      "role_source": ["linear", "text"], "accused_evidence": [0.0, 0.0]})
    assert roles.victim_gender(c, m)["victim_gender"].tolist() == ["female"]
    both = roles.victim_gender(c, m.assign(role_source="text"))["victim_gender"].tolist()
    assert both == ["mixed"]                                                # had A counted, it would be mixed


def test_mentions_refuses_an_unknown_learned_option():
    with pytest.raises(ValueError, match="learned must be"):
        roles.mentions(type("C", (), {"docs": pd.DataFrame({"doc_id": []})})(), tokens=pd.DataFrame(),
                       learned="encoder")
