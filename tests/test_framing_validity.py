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


def _extra(tmp_path, rows: str):
    path = tmp_path / "tuning_extra_frames_coded.csv"
    path.write_text("id,start,end,sentence_sha256,coder,f\n" + rows, encoding="utf-8")
    return path


MANIFEST = pd.DataFrame({"id": ["t1", "e1"], "half": ["tuning", "evaluation"]})
COLUMNS = ["id", "start", "end", "sentence_sha256", "coder", "f"]


def test_extra_codes_hold_tuning_half_only(tmp_path):
    ok = rn.read_extra_codes(MANIFEST, COLUMNS, _extra(tmp_path, "t1,0,5,abc,coder_c,1\n"))
    assert ok["f"].tolist() == [1]
    with pytest.raises(rn.CorpusError, match=r"row 3, column 'id': 'e1' is in the evaluation half"):
        rn.read_extra_codes(MANIFEST, COLUMNS, _extra(tmp_path, "t1,0,5,abc,coder_c,1\ne1,0,5,abc,coder_c,0\n"))
    with pytest.raises(rn.CorpusError, match="not in manifest.csv"):
        rn.read_extra_codes(MANIFEST, COLUMNS, _extra(tmp_path, "zz,0,5,abc,coder_c,1\n"))


def test_extra_codes_header_and_unfinished_row(tmp_path):
    with pytest.raises(rn.CorpusError, match="differ from frames_coded.csv"):
        rn.read_extra_codes(MANIFEST, [*COLUMNS, "g"], _extra(tmp_path, "t1,0,5,abc,coder_c,1\n"))
    with pytest.warns(rn.CorpusWarning, match="row 3"):
        out = rn.read_extra_codes(MANIFEST, COLUMNS, _extra(tmp_path, "t1,0,5,abc,coder_c,1\nt1,6,9,abd,coder_c,\n"))
    assert len(out) == 1


def test_merge_keeps_the_first_coding_of_a_sentence():
    a = pd.DataFrame({"id": ["t1"], "start": [0], "end": [5], "f": [1]})
    b = pd.DataFrame({"id": ["t1", "t1"], "start": [0, 6], "end": [5, 9], "f": [0, 0]})
    assert rn.merge_codes(a, b)[["start", "f"]].values.tolist() == [[0, 1], [6, 0]]


def test_choice_keeps_a_learned_scorer_only_when_it_clearly_wins():
    pytest.importorskip("sklearn")
    import numpy as np

    from benchmarks import train_frames

    rng = np.random.default_rng(0)
    n = 120
    y = (np.arange(n) % 3 == 0).astype(int)
    x = np.c_[y + rng.normal(0, 0.05, n), rng.normal(0, 1, n)]       # the first feature separates y
    groups = np.arange(n) % 6
    gold = pd.DataFrame({f: y for f in rn.FRAMES})
    perfect = gold.copy()
    useless = gold.assign(**{f: 0 for f in rn.FRAMES})
    assert set(train_frames.choose(gold, perfect, x, groups, seed=1)["choice"]) == {"rules"}
    assert set(train_frames.choose(gold, useless, x, groups, seed=1)["choice"]) <= {"supervised", "hybrid"}
    assert train_frames.f1(np.array([1, 1, 0]), np.array([1, 0, 0])) == pytest.approx(2 / 3)
