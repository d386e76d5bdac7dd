"""The opt-in learned roles (analysis/roles/learned.py) and their training script (benchmarks/train_roles.py).

A stand-in model (no torch) checks which people get a learned role; the real encoder is covered by
tests/test_frame_finetuned.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import frame_finetuned as ft
from analysis.roles import learned
from benchmarks import train_roles
from tests.test_stage_cache import (
    small_corpus as make_small_corpus,  # reads the teaching path at import
)


class _StandIn(ft.FineTuned):
    """Victim probability 0.9 for sentences with 'was abused', accused 0.8 for 'groped', else 0.1."""

    def __init__(self, frames=learned.ROLES):
        super().__init__(tuple(frames), {}, np.zeros((len(frames), 1)), np.zeros(len(frames)),
                         np.full(len(frames), 0.5), ft.Settings())
        self.seen: list[str] = []

    def probabilities(self, texts, *, progress=False):
        self.seen += list(texts)
        return np.array([[0.9 if "was abused" in t else 0.1, 0.8 if "groped" in t else 0.1] for t in texts])


def _tokens(doc: str, sentences: list[list[str]]) -> pd.DataFrame:
    rows, i = [], 0
    for s, words in enumerate(sentences):
        for k, w in enumerate(words):
            rows.append({"doc_id": doc, "sent": s, "i": i, "text": w,
                         "ws": "" if k + 1 < len(words) and words[k + 1] in ".," else " "})
            i += 1
    return pd.DataFrame(rows)


@pytest.fixture()
def article():
    tok = _tokens("a", [["Omar", "Ali", "was", "abused", "as", "a", "boy", "."],
                        ["Sana", "Mir", "groped", "him", "."],
                        ["Ali", "spoke", "to", "police", "."]])
    m = pd.DataFrame({"doc_id": ["a"] * 4, "sentence_id": [0, 1, 2, 1], "person": ["Omar Ali", "Sana Mir",
                      "Omar Ali", "Omar Ali"], "role": ["other", "accused", "other", "other"],
                      "role_source": ["none", "text", "none", "none"], "token": [0, 8, 13, 11],
                      "text": ["Omar Ali", "Sana Mir", "Ali", "him"]})
    # Omar Ali's three mentions: victim 0.9, 0.1, 0.1 and accused 0.1, 0.1, 0.8 ("groped him")
    return tok, m


def test_marked_sentences_wrap_the_mention(article):
    tok, m = article
    marked = learned.marked_sentences(tok, m)
    assert marked[0] == "[[ Omar Ali ]] was abused as a boy."
    assert marked[1] == "[[ Sana Mir ]] groped him."
    assert marked[3] == "Sana Mir groped [[ him ]]."


def test_only_people_left_as_other_get_a_learned_role(article):
    tok, m = article
    model = _StandIn()
    out = learned.fill_roles(m, tok, model)
    assert set(out.loc[out["person"] == "Omar Ali", "role"]) == {"other"}       # means 0.37 and 0.33: below 0.5
    two = m.drop(index=3)                                                       # without the "groped him" mention
    out = learned.fill_roles(two, tok, model)
    assert set(out.loc[out["person"] == "Omar Ali", "role"]) == {"victim"}      # victim mean 0.5 reaches it
    assert set(out.loc[out["person"] == "Omar Ali", "role_source"]) == {"learned"}
    assert out.loc[out["person"] == "Sana Mir", "role"].tolist() == ["accused"]
    assert out.loc[out["person"] == "Sana Mir", "role_source"].tolist() == ["text"]
    assert not any("[[ Sana Mir ]]" in s for s in model.seen)                  # a pattern role is not re-read
    assert two["role"].tolist() == ["other", "accused", "other"]                 # the input is not changed


def test_a_weak_mean_stays_other(article):
    tok, m = article
    m = m.assign(sentence_id=[2, 1, 2, 2], token=[13, 8, 13, 13], text=["Ali"] * 4)   # no 'was abused' mention
    out = learned.fill_roles(m, tok, _StandIn())
    assert set(out.loc[out["person"] == "Omar Ali", "role"]) == {"other"}


def test_a_model_with_other_outputs_is_refused(article):
    tok, m = article
    with pytest.raises(ValueError, match="outputs"):
        learned.fill_roles(m, tok, _StandIn(frames=("career_industry",)))


def test_person_probabilities_average_over_mentions():
    m = pd.DataFrame({"doc_id": ["a", "a", "b"], "person": ["X", "X", "X"]})
    per = learned.person_probabilities(m, np.array([[0.2, 0.4], [0.6, 0.0], [1.0, 1.0]]))
    assert per["p_victim"].round(6).tolist() == [0.4, 1.0] and per["p_accused"].round(6).tolist() == [0.2, 1.0]


def test_training_labels_and_script_refusals(capsys):
    assert train_roles.labels(pd.Series(["victim", "accused", "other"])).tolist() == [[1, 0], [0, 1], [0, 0]]
    assert train_roles.main(["--train", "tuning", "--test", "evaluation"]) == 2
    assert "not a tuning set" in capsys.readouterr().err
    assert train_roles.main(["--train", "tuning,tuning_batch2", "--test", "tuning_batch2"]) == 2


@pytest.fixture(scope="module")
def small_corpus(scratch_root):
    import warnings

    from analysis.corpus import load
    from analysis.errors import CorpusWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load(make_small_corpus(scratch_root / "learned", per_region=3))


def test_the_run_option_refuses_to_start_without_the_model(small_corpus, monkeypatch):
    from analysis import pipeline
    from analysis.errors import UsageError

    monkeypatch.setattr(learned, "unavailable_reason", lambda: "no torch here")
    s = pipeline.session(small_corpus, pipeline.RunParams(learned_roles=True), progress=False, workers=1,
                         use_cache=False)
    with pytest.raises(UsageError, match="--learned-roles: no torch here"):
        pipeline._roles(s)


def test_the_run_option_fills_roles_but_not_victim_gender(small_corpus, monkeypatch, tmp_path):
    from analysis import pipeline

    calls = []

    def fake_fill(mentions, tokens, model=None, *, progress=False):
        calls.append(len(mentions))
        other = mentions.groupby(["doc_id", "person"])["role"].transform("first") == "other"
        return mentions.assign(role=mentions["role"].where(~other, "victim"),
                               role_source=mentions["role_source"].where(~other, "learned"))

    fake_model = tmp_path / "roles.finetuned.npz"
    fake_model.write_bytes(b"numbers")
    monkeypatch.setattr(learned, "unavailable_reason", lambda: "")
    monkeypatch.setattr(learned, "model_path", lambda: fake_model)
    monkeypatch.setattr(learned, "fill_roles", fake_fill)
    plain = pipeline._roles(pipeline.session(small_corpus, pipeline.RunParams(), progress=False, workers=1,
                                             use_cache=False))
    with_learned = pipeline._roles(pipeline.session(small_corpus, pipeline.RunParams(learned_roles=True),
                                                    progress=False, workers=1, use_cache=False))
    assert calls                                                      # the chunks went through the model
    pd.testing.assert_frame_equal(with_learned["victim_gender"], plain["victim_gender"])
    was_other = plain["mentions"]["role"] == "other"
    assert was_other.any()
    assert set(with_learned["mentions"].loc[was_other.to_numpy(), "role_source"]) == {"learned"}
    assert (with_learned["mentions"].loc[~was_other.to_numpy(), "role"].to_numpy()
            == plain["mentions"].loc[~was_other, "role"].to_numpy()).all()
