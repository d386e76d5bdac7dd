"""The fine-tuned frame encoder (analysis/frame_finetuned.py) and round 8's comparison (benchmarks/finetune_frames.py).

The model tests need the optional ``embeddings`` extra (torch, peft, the packaged encoder) and skip
without it, as in CI; the declared keep rule and the grouped split are plain Python and always run.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import frame_finetuned as ft
from benchmarks import finetune_frames

NEEDS_EXTRA = pytest.mark.skipif(bool(ft.unavailable_reason()), reason=ft.unavailable_reason() or "extra present")


def row(rules: float, fine: float, p_fine: float, union: float, p_union: float) -> dict:
    return {"f1_rules": rules, "f1_finetuned": fine, "precision_finetuned": p_fine,
            "f1_rules_or_finetuned": union, "precision_rules_or_finetuned": p_union}


def test_keep_rule_needs_the_declared_margin_and_precision():
    assert finetune_frames.keep(row(0.40, 0.45, 0.9, 0.44, 0.9)) == "finetuned"       # exactly + 0.05
    assert finetune_frames.keep(row(0.40, 0.44, 0.9, 0.43, 0.9)) == "rules"           # + 0.04 only
    assert finetune_frames.keep(row(0.40, 0.60, 0.49, 0.40, 0.9)) == "rules"          # best has low precision
    assert finetune_frames.keep(row(0.40, 0.50, 0.6, 0.55, 0.7)) == "rules_or_finetuned"
    assert finetune_frames.keep(row(0.40, 0.50, 0.6, 0.50, 0.7)) == "finetuned"       # a tie prefers the model alone


@given(st.lists(st.sampled_from("abcdefghij"), min_size=2, max_size=60))
def test_grouped_split_keeps_whole_cases_apart(groups):
    groups = np.array(groups)
    fit, held = finetune_frames.grouped_split(groups, seed=1)
    assert (fit ^ held).all()
    assert not set(groups[fit]) & set(groups[held])
    assert held.any()


def test_unavailable_reason_names_the_missing_package(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda m, *a: None if m == "peft" else real(m, *a))
    reason = ft.unavailable_reason()
    assert "peft" in reason and "[embeddings]" in reason


def test_thresholds_follow_the_classifier_rule():
    y = np.array([[1, 0], [1, 0], [0, 0], [0, 0]])
    p = np.array([[0.9, 0.2], [0.7, 0.1], [0.3, 0.1], [0.2, 0.3]])
    t = ft.choose_thresholds(y, p)
    assert 0.3 < t[0] <= 0.7          # separates the two positives from the negatives
    assert t[1] == 0.5                # no positives: the default


@pytest.fixture(scope="module")
def tiny():
    texts = (["The film was shelved after the allegations."] * 12 + ["She said the claims were lies."] * 12
             + ["The weather was mild on Tuesday."] * 12)
    y = np.zeros((36, 2), int)
    y[:12, 0] = 1
    y[12:24, 1] = 1
    return texts, y, ft.Settings(epochs=4, batch_size=12, learning_rate=2e-3)


@NEEDS_EXTRA
def test_training_learns_separable_frames_and_is_deterministic(tiny, tmp_path):
    texts, y, settings = tiny
    model = ft.train(texts, y, ("career", "doubt"), settings=settings, progress=False)
    p = model.probabilities(["The film was shelved after the allegations.", "The weather was mild on Tuesday."])
    assert p[0, 0] > p[1, 0]          # the career sentence scores higher on career than the weather one
    again = ft.train(texts, y, ("career", "doubt"), settings=settings, progress=False)
    assert all(np.array_equal(model.adapters[k], again.adapters[k]) for k in model.adapters)
    back = ft.load(ft.save(model, tmp_path / "m.finetuned.npz"))
    assert back.frames == model.frames and back.settings == model.settings
    np.testing.assert_allclose(back.probabilities(texts[:3]), model.probabilities(texts[:3]), atol=1e-6)


@NEEDS_EXTRA
def test_training_refuses_labels_of_the_wrong_shape(tiny):
    texts, y, settings = tiny
    with pytest.raises(ValueError, match="labels must be"):
        ft.train(texts, y[:, :1], ("career", "doubt"), settings=settings, progress=False)


@NEEDS_EXTRA
def test_no_texts_give_an_empty_table(tiny):
    texts, y, settings = tiny
    model = ft.train(texts[:4], y[:4], ("career", "doubt"), settings=ft.Settings(epochs=1), progress=False)
    assert model.probabilities([]).shape == (0, 2)


def test_the_script_refuses_a_set_that_is_not_a_tuning_set(capsys):
    assert finetune_frames.main(["--train", "tuning", "--test", "evaluation"]) == 2
    assert "not a tuning set" in capsys.readouterr().err


class _KeywordModel(ft.FineTuned):
    """A stand-in for the encoder (no torch): probability 0.9 where the sentence holds the frame's keyword."""

    def __init__(self, keywords: dict[str, str]):
        frames = tuple(keywords)
        super().__init__(frames, {}, np.zeros((len(frames), 1)), np.zeros(len(frames)), np.full(len(frames), 0.5),
                         ft.Settings())
        self.keywords = keywords

    def probabilities(self, texts, *, progress=False):
        self.calls = getattr(self, "calls", 0) + 1
        return np.array([[0.9 if self.keywords[f] in t.lower() else 0.1 for f in self.frames] for t in texts])


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    import warnings

    from analysis import corpus, preprocess
    from tests.conftest import write_corpus

    texts = {"a": "The studio shelved his film. She filed a police complaint. Fans were angry online.",
             "b": "He said the weather was fine. Nobody spoke to the press."}
    root = tmp_path_factory.mktemp("ft")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = corpus.load(write_corpus(root / "c", "doc_id,region\na,x\nb,x\n", texts))
    return c, preprocess.tokens(c, cache_dir=root / "cache", progress=False)


def _frames(methods: dict[str, str]) -> dict:
    import dataclasses

    from analysis import framing

    return {fid: dataclasses.replace(f, extra={**f.extra, "method": methods.get(fid, "rules")})
            for fid, f in framing.load_lexicons().items()}


def test_framing_replaces_or_joins_the_rules_with_the_encoder(parsed):
    from analysis import framing

    c, tok = parsed
    _, rules = framing.score(c, tok, _frames({}), classifiers={})
    legal = rules[rules["frame"] == "legal_institutional"]
    legal_rules = set(zip(legal["doc_id"], legal["sentence_id"], strict=True))
    assert ("a", 1) in legal_rules                                     # "police complaint" is a rule hit
    model = _KeywordModel({"legal_institutional": "weather", "career_industry": "shelved"})
    methods = {"legal_institutional": "rules_or_finetuned", "career_industry": "finetuned"}
    _, ev = framing.score(c, tok, _frames(methods), classifiers=dict.fromkeys(methods, model))
    assert model.calls == 1                                            # one encoding for both frames
    legal = ev[ev["frame"] == "legal_institutional"]
    got = set(zip(legal["doc_id"], legal["sentence_id"], strict=True))
    assert got == legal_rules | {("b", 0)}                             # the rules' sentences plus the encoder's
    assert set(legal.loc[legal["doc_id"] == "b", "rule"]) == {"classifier"}
    career = ev[ev["frame"] == "career_industry"]
    assert set(career["rule"]) == {"classifier"}
    assert set(zip(career["doc_id"], career["sentence_id"], strict=True)) == {("a", 0)}
    others = ev[~ev["frame"].isin(methods)].drop(columns="sentence").reset_index(drop=True)
    same = rules[~rules["frame"].isin(methods)].drop(columns="sentence").reset_index(drop=True)
    import pandas as pd

    pd.testing.assert_frame_equal(others, same)


def test_a_finetuned_frame_without_its_model_keeps_its_rules_and_says_why(parsed, monkeypatch):
    from analysis import framing
    from analysis.errors import ResultWarning

    c, tok = parsed
    monkeypatch.setattr(ft, "shipped_model", lambda: None)
    with pytest.warns(ResultWarning, match="finetuned"):
        _, ev = framing.score(c, tok, _frames({"career_industry": "finetuned"}))
    _, rules = framing.score(c, tok, _frames({}), classifiers={})
    assert len(ev[ev["frame"] == "career_industry"]) == len(rules[rules["frame"] == "career_industry"])


def test_predict_refuses_a_frame_the_model_has_no_head_for():
    import pandas as pd

    model = _KeywordModel({"career_industry": "shelved"})
    s = pd.DataFrame({"doc_id": ["a"], "sentence_id": [0], "sentence": ["x"]})
    with pytest.raises(ValueError, match="no head for frames"):
        ft.predict(model, s, ["family_honour"])
    out = ft.predict(model, s.assign(sentence=["It was shelved."]), ["career_industry"], progress=False)
    assert out["label"].tolist() == [1]
