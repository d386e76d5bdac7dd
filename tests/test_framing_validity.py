"""Frame validity on the real-news evaluation half (runs only where the texts are present)."""

from __future__ import annotations

import pandas as pd
import pytest

from benchmarks import realnews_data as rn
from benchmarks import validity


def test_metrics_by_hand():
    gold = pd.DataFrame({"doc_id": list("aabb"), "sentence_id": [0, 1, 0, 1], "f": [1, 0, 1, 1]})
    pred = gold.assign(f=[1, 1, 1, 0])
    table, macro = validity.frame_metrics(gold, pred, ("f",), n_boot=200)
    row = table.iloc[0]
    # tp 2, fp 1, fn 1 -> P 2/3, R 2/3, F1 2/3
    assert (row["tp"], row["fp"], row["fn"]) == (2, 1, 1)
    assert row["precision"] == pytest.approx(2 / 3) and row["f1"] == pytest.approx(2 / 3)
    assert 0 <= row["f1_low"] <= row["f1"] <= row["f1_high"] <= 1
    assert macro["macro_f1"] == pytest.approx(2 / 3)


def test_gold_is_mapped_by_overlap():
    codes = pd.DataFrame({"id": ["a", "a"], "start": [0, 12], "end": [11, 30], "f": [0, 1]})
    sents = pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1], "start": [0, 12], "end": [20, 30]})
    out = rn.gold_by_sentence(codes, sents, ("f",))
    assert out["f"].tolist() == [1, 1]        # sentence 0 overlaps the coded span at 12-30


@pytest.mark.slow
def test_frame_validity_on_the_evaluation_half():
    if not rn.available():
        pytest.skip(rn.missing_message())
    dev = rn.load().half("evaluation")
    table, macro, _ = validity.frames_family(dev, n_boot=200)
    base, base_macro = validity._read_baseline()
    assert len(table) == len(rn.FRAMES)
    assert base_macro is None or macro["macro_f1"] > base_macro["macro_f1"]
