"""benchmarks/realnews_status.py: the state of the real-news texts folder against the manifests,
checked on made-up manifests and texts (no real text is needed)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.io import sha256_text
from benchmarks import realnews_status as st


def _manifest():
    return pd.DataFrame({"id": ["a", "b", "c", "d"], "query": ["q1", "q1", "q2", "q2"],
                         "url": ["u1", "u2", "u3", "u4"],
                         "text_sha256": [sha256_text("right"), sha256_text("other"), sha256_text("x"), "0" * 64],
                         "n_chars": ["5", "5", "1", "3"]})


def test_each_text_is_present_different_or_missing(tmp_path):
    (tmp_path / "a.txt").write_text("right", encoding="utf-8")
    (tmp_path / "b.txt").write_text("wrong", encoding="utf-8")          # same length, other digest
    (tmp_path / "c.txt").write_bytes(b"\xff")                           # not UTF-8
    checked = st.check_manifest(_manifest(), tmp_path)
    assert checked["state"].tolist() == ["present", "different", "different", "missing"]
    assert "text" not in checked.columns                                # no text is kept


def test_a_right_digest_with_the_wrong_length_is_different(tmp_path):
    m = _manifest().iloc[:1].assign(n_chars="6")
    (tmp_path / "a.txt").write_text("right", encoding="utf-8")
    assert st.check_manifest(m, tmp_path)["state"].tolist() == ["different"]


def test_summary_and_queries_count_what_is_left(tmp_path):
    (tmp_path / "a.txt").write_text("right", encoding="utf-8")
    checked = {"main": st.check_manifest(_manifest(), tmp_path)}
    assert st.summary(checked).loc["main"].tolist() == [4, 1, 0, 3]
    assert st.queries_to_run(checked).values.tolist() == [["q2", 2], ["q1", 1]]


def test_a_manifest_without_a_needed_column_is_named(tmp_path):
    path = tmp_path / "manifest.csv"
    _manifest().drop(columns="query").to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"manifest.csv: column\(s\) query missing"):
        st.read_manifest(path)


def test_the_command_exits_1_while_texts_are_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("METOO_REAL_NEWS", str(tmp_path / "nothing"))
    assert st.main([]) == 1
    out = capsys.readouterr().out
    assert "does not exist" in out and "queries to run" in out


def test_the_command_exits_0_when_every_text_is_right(tmp_path, monkeypatch, capsys):
    labels = tmp_path / "labels"
    (labels / "heldout").mkdir(parents=True)
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("right", encoding="utf-8")
    _manifest().iloc[:1].to_csv(labels / "manifest.csv", index=False)
    _manifest().iloc[:0].to_csv(labels / "heldout" / "manifest.csv", index=False)
    monkeypatch.setattr(st.rn, "TUNING_BATCHES", ())
    monkeypatch.setattr(st, "set_manifests", lambda: {"main": labels / "manifest.csv",
                                                      "heldout": labels / "heldout" / "manifest.csv"})
    monkeypatch.setenv("METOO_REAL_NEWS", str(texts))
    assert st.main(["--missing"]) == 0
    assert "1 of 1 present and right" in capsys.readouterr().out
