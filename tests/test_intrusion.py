"""Word and topic intrusion (Chang et al. 2009): task files, answer keys, scores, and the command line."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import intrusion
from analysis.cli import validate_cmds
from analysis.errors import WorkbenchError


def _terms(k: int = 4, n: int = 10) -> pd.DataFrame:
    return pd.DataFrame({"topic": np.repeat(np.arange(1, k + 1), n), "rank": np.tile(np.arange(1, n + 1), k),
                         "term": [f"t{t}w{r}" for t in range(1, k + 1) for r in range(1, n + 1)],
                         "prob": np.tile(np.linspace(0.2, 0.01, n), k)})


def _shares(n_docs: int = 6, k: int = 4, seed: int = 0) -> pd.DataFrame:
    theta = np.random.default_rng(seed).dirichlet(np.ones(k) * 0.5, size=n_docs)
    return pd.DataFrame({"doc_id": np.repeat([f"d{i}" for i in range(n_docs)], k),
                         "topic": np.tile(np.arange(1, k + 1), n_docs), "share": theta.ravel()})


def test_word_tasks_hide_one_intruder_from_another_topic():
    tasks, key = intrusion.word_intrusion_tasks(_terms(), per_topic=2, seed=5)
    assert len(tasks) == 8 and list(tasks.columns) == ["task_id", *[f"word_{i}" for i in range(1, 7)], "answer"]
    for _, k in key.iterrows():
        row = tasks.set_index("task_id").loc[k["task_id"]]
        assert row[f"word_{k['intruder_position']}"] == k["intruder"]
        shown = {row[f"word_{i}"] for i in range(1, 7)} - {k["intruder"]}
        assert shown == {f"t{k['topic']}w{r}" for r in range(1, 6)}        # the topic's five top words
        assert k["intruder"].startswith(f"t{k['intruder_topic']}w") and k["intruder_topic"] != k["topic"]
    assert "intruder" not in tasks.columns and (tasks["answer"] == "").all()


def test_tasks_are_seeded_and_positions_vary():
    a = intrusion.word_intrusion_tasks(_terms(8), seed=1)
    b = intrusion.word_intrusion_tasks(_terms(8), seed=1)
    c = intrusion.word_intrusion_tasks(_terms(8), seed=2)
    pd.testing.assert_frame_equal(a[0], b[0])
    assert not a[0].equals(c[0])
    assert a[1]["intruder_position"].nunique() > 1


def test_topic_tasks_offer_the_three_largest_topics_and_a_small_intruder():
    shares = _shares()
    tasks, key = intrusion.topic_intrusion_tasks(shares, _terms(), n_docs=6, seed=3)
    theta = shares.pivot(index="doc_id", columns="topic", values="share")
    for _, k in key.iterrows():
        topics = [int(t) for t in k["option_topics"].split(";")]
        top3 = set(theta.loc[k["doc_id"]].nlargest(3).index)
        assert set(topics) - {k["intruder_topic"]} == top3
        assert topics[k["intruder_position"] - 1] == k["intruder_topic"]
        row = tasks.set_index("task_id").loc[k["task_id"]]
        assert row[f"option_{k['intruder_position']}"].startswith(f"t{k['intruder_topic']}w1 ")


def _answer(tasks: pd.DataFrame, key: pd.DataFrame, right: set[str], prefix: str) -> pd.DataFrame:
    """Fill ``tasks``: the key's answer for task ids in ``right``, another position for the rest."""
    out = tasks.copy()
    pos = key.set_index("task_id")["intruder_position"]
    out["answer"] = [str(pos[t]) if t in right else str(pos[t] % 4 + 1) for t in out["task_id"]]
    return out


def test_scores_by_hand(tmp_path):
    terms, shares = _terms(), _shares()
    paths = intrusion.write_tasks(tmp_path, terms, shares, seed=4, per_topic=2, n_docs=2)
    key = pd.read_csv(paths["key"])
    words = pd.read_csv(paths["word"], dtype=str, keep_default_na=False)
    wkey = key[key["kind"] == "word"]
    topic1 = sorted(wkey.loc[wkey["topic"] == 1, "task_id"])
    filled = _answer(words, wkey, right=set(wkey["task_id"]) - {topic1[0]}, prefix="word_")
    # one right answer given as the word itself rather than its position
    i = int(np.flatnonzero(filled["task_id"] == topic1[1])[0])
    filled.loc[i, "answer"] = words.loc[i, f"word_{filled.loc[i, 'answer']}"]
    filled.to_csv(tmp_path / "ann.csv", index=False)
    docs = pd.read_csv(paths["topic"], dtype=str, keep_default_na=False)
    tkey = key[key["kind"] == "topic"]
    docs_filled = _answer(docs, tkey, right={docs["task_id"].iloc[0]}, prefix="option_")
    docs_filled.to_csv(tmp_path / "ann_topics.csv", index=False)
    scores = intrusion.score(intrusion.read_answers([tmp_path / "ann.csv", tmp_path / "ann_topics.csv"]), key,
                             n_boot=200, seed=1)
    mp = scores["model_precision"].set_index("topic")
    assert mp.loc[1, "model_precision"] == pytest.approx(0.5) and mp.loc[1, "n_answers"] == 2
    assert (mp.loc[2:, "model_precision"] == 1.0).all()
    assert ((mp["ci_low"] <= mp["model_precision"]) & (mp["model_precision"] <= mp["ci_high"])).all()
    assert mp[["ci_low", "ci_high"]].stack().between(0, 1).all()
    tlo = scores["topic_log_odds"].set_index("doc_id")
    right_doc = tkey.set_index("task_id").loc[docs["task_id"].iloc[0], "doc_id"]
    assert tlo.loc[right_doc, "topic_log_odds"] == 0.0
    wrong = tkey[tkey["doc_id"] != right_doc].iloc[0]
    s = [float(x) for x in wrong["option_shares"].split(";")]
    chosen = int(wrong["intruder_position"]) % 4 + 1
    expected = np.log(s[int(wrong["intruder_position"]) - 1]) - np.log(s[chosen - 1])
    assert tlo.loc[wrong["doc_id"], "topic_log_odds"] == pytest.approx(expected) and expected < 0
    summary = scores["summary"].set_index("measure")
    assert summary.loc["mean model_precision", "estimate"] == pytest.approx(mp["model_precision"].mean())


def test_bad_answers_name_file_row_and_column(tmp_path):
    tasks, key = intrusion.word_intrusion_tasks(_terms(), seed=1)
    tasks.loc[2, "answer"] = "banana"
    tasks.to_csv(tmp_path / "r.csv", index=False)
    with pytest.raises(WorkbenchError, match=r"r\.csv row 4, column 'answer': 'banana'"):
        intrusion.score(intrusion.read_answers([tmp_path / "r.csv"]), key)
    tasks.loc[2, "answer"] = ""
    tasks.loc[3, "task_id"] = "W999"
    tasks.to_csv(tmp_path / "r.csv", index=False)
    with pytest.raises(WorkbenchError, match="row 5, column 'task_id': 'W999'"):
        intrusion.score(intrusion.read_answers([tmp_path / "r.csv"]), key)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=40), st.integers(0, 2**16))
def test_bootstrap_interval_holds_the_mean_and_stays_in_range(values, seed):
    est, low, high = intrusion._boot(np.array(values, dtype=float), 200, np.random.default_rng(seed))
    assert 0 <= low <= est <= high <= 1
    assert est == pytest.approx(np.mean(values))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    validate_cmds.register(parser.add_subparsers(dest="command", required=True))
    return parser


def test_command_line_writes_tasks_and_scores_answers(tmp_path, capsys):
    results = tmp_path / "results"
    results.mkdir()
    _terms().to_csv(results / "topic_terms.csv", index=False)
    _shares().to_csv(results / "doc_topics.csv", index=False)
    args = _parser().parse_args(["validate", "topics", "--results", str(results), "--out", str(tmp_path / "t"),
                                 "--seed", "7"])
    assert args.func(args) == 0
    assert {p.name for p in (tmp_path / "t").iterdir()} == {"word_intrusion.csv", "topic_intrusion.csv",
                                                          "answer_key.csv", "README.md"}
    key = pd.read_csv(tmp_path / "t" / "answer_key.csv")
    words = pd.read_csv(tmp_path / "t" / "word_intrusion.csv", dtype=str, keep_default_na=False)
    _answer(words, key[key["kind"] == "word"], set(words["task_id"]), "word_").to_csv(tmp_path / "t" / "me.csv",
                                                                                   index=False)
    args = _parser().parse_args(["validate", "topics", "--score", str(tmp_path / "t" / "me.csv"),
                                 "--out", str(tmp_path / "s")])
    assert args.func(args) == 0
    mp = pd.read_csv(tmp_path / "s" / "intrusion_model_precision.csv")
    assert (mp["model_precision"] == 1.0).all() and len(mp) == 4


def test_command_line_usage_errors(tmp_path):
    with pytest.raises(SystemExit):
        _parser().parse_args(["validate", "topics", "--seed", "-1"])
    args = _parser().parse_args(["validate", "topics", "--results", str(tmp_path), "--out", str(tmp_path / "o")])
    with pytest.raises(WorkbenchError, match="topic_terms.csv: not found"):
        args.func(args)
    args = _parser().parse_args(["validate", "topics", "--out", str(tmp_path / "o")])
    with pytest.raises(WorkbenchError, match="--results"):
        args.func(args)
