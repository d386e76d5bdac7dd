"""Validation tools: the sample is stratified and blind; metrics match hand computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus import CorpusError
from analysis.validation import coding_sample, krippendorff_alpha_nominal, read_coding

SENTENCES = pd.DataFrame({"doc_id": ["a"] * 6 + ["b"] * 6, "sentence_id": list(range(6)) * 2,
                          "sentence": [f"s{i}" for i in range(12)]})
EVIDENCE = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sentence_id": [0, 1, 0, 1],
                         "frame": ["legal", "legal", "legal", "trauma"]})


def test_sample_has_tagged_and_untagged_sentences_and_hides_the_tool_label():
    sheet, key = coding_sample(EVIDENCE, SENTENCES, n_per_frame=4, seed=1)
    assert "tool" not in sheet.columns and {"code_1", "code_2"} <= set(sheet.columns)
    legal = key[key["frame"] == "legal"]
    assert legal["tool"].tolist().count(1) == 2 and legal["tool"].tolist().count(0) == 2
    merged = sheet.merge(key, on=["item_id", "frame"])
    tagged = set(map(tuple, EVIDENCE[["doc_id", "sentence_id", "frame"]].to_numpy()))
    for _, r in merged.iterrows():
        assert ((r["doc_id"], r["sentence_id"], r["frame"]) in tagged) == bool(r["tool"])


def test_read_coding_matches_hand_computation():
    key = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "frame": "legal", "tool": [1, 1, 0, 0]})
    sheet = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "code_1": ["1", "0", "1", "0"],
                          "code_2": ["1", "0", "1", "1"]})
    r = read_coding(sheet, key).iloc[0]
    # tool vs coder 1: TP=1 (i1), FP=1 (i2), FN=1 (i3) -> precision 0.5, recall 0.5, F1 0.5
    assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((0.5, 0.5, 0.5))
    # coders agree on 3 of 4: po=0.75; coder1 p(1)=0.5, coder2 p(1)=0.75 -> pe=0.5*0.75+0.5*0.25=0.5
    assert r["cohen_kappa"] == pytest.approx((0.75 - 0.5) / (1 - 0.5))
    assert r["krippendorff_alpha"] == pytest.approx(0.5333, abs=1e-3)


def test_bad_code_is_a_clear_error():
    key = pd.DataFrame({"item_id": ["i1"], "frame": "legal", "tool": [1]})
    with pytest.raises(CorpusError, match="row 2, column 'code_1': 'yes'"):
        read_coding(pd.DataFrame({"item_id": ["i1"], "code_1": ["yes"]}), key)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2), min_size=2, max_size=30))
def test_alpha_is_one_for_perfect_agreement_and_at_most_one(codes):
    arr = np.array([codes, codes], dtype=float)
    a = krippendorff_alpha_nominal(arr)
    assert a == pytest.approx(1.0) or np.isnan(a)
    rng = np.random.default_rng(len(codes))
    other = np.array([codes, rng.permutation(codes)], dtype=float)
    b = krippendorff_alpha_nominal(other)
    assert np.isnan(b) or b <= 1.0 + 1e-12
