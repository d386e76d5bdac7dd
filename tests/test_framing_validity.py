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
    # a tie with perfect rules: never the supervised scorer (it must win by MARGIN); a hybrid may tie
    assert set(train_frames.choose(gold, perfect, x, groups, seed=1)["choice"]) <= {"rules", "hybrid"}
    noise = rng.normal(0, 1, (n, 2))
    assert set(train_frames.choose(gold, perfect, noise, groups, seed=1)["choice"]) == {"rules"}
    assert set(train_frames.choose(gold, useless, x, groups, seed=1)["choice"]) <= {"supervised", "hybrid"}
    assert train_frames.f1(np.array([1, 1, 0]), np.array([1, 0, 0])) == pytest.approx(2 / 3)


def test_extra_evaluation_codes_hold_evaluation_half_only(tmp_path):
    path = _extra(tmp_path, "e1,0,5,abc,coder_d,1\n")
    assert rn.read_extra_codes(MANIFEST, COLUMNS, path, half="evaluation")["f"].tolist() == [1]
    with pytest.raises(rn.CorpusError, match=r"'t1' is in the tuning half; this file may hold evaluation-half"):
        rn.read_extra_codes(MANIFEST, COLUMNS, _extra(tmp_path, "t1,0,5,abc,coder_d,1\n"), half="evaluation")


def _dev_with_text():
    from analysis.io import sha256_text

    text = "One two. Three four."
    manifest = pd.DataFrame({"id": ["e1", "t1"], "half": ["evaluation", "tuning"], "case": ["x", "y"]})
    codes = pd.DataFrame({"id": ["e1"], "start": [0], "end": [8], "sentence_sha256": [sha256_text(text[0:8])],
                          "coder": ["coder_a"], "f": [1]})
    return rn.DevSet(manifest, codes, {"e1": text, "t1": text}), text


def test_with_evaluation_extra_adds_the_new_sentences_and_checks_hashes(tmp_path):
    from analysis.io import sha256_text

    dev, text = _dev_with_text()
    parts = tmp_path / "parts"
    parts.mkdir()
    assert rn.with_evaluation_extra(dev, parts).codes["start"].tolist() == [0]          # no extra file yet
    (parts / "evaluation_extra_hw_frames_coded.csv").write_text(
        "id,start,end,sentence_sha256,coder,f\n"
        f"e1,0,8,{sha256_text(text[0:8])},coder_d,0\ne1,9,20,{sha256_text(text[9:20])},coder_d,1\n")
    merged = rn.with_evaluation_extra(dev, parts)
    assert merged.codes[["start", "f"]].values.tolist() == [[0, 1], [9, 1]]            # coder_a's code kept
    assert set(merged.manifest["id"]) == {"e1"}
    (parts / "evaluation_extra_hw_frames_coded.csv").write_text(
        "id,start,end,sentence_sha256,coder,f\ne1,9,20,0000,coder_d,1\n")
    with pytest.raises(rn.CorpusError, match="evaluation_extra_hw_frames_coded.csv row 2.*does not match"):
        rn.with_evaluation_extra(dev, parts)


def _heldout(tmp_path, sentence_hash: str | None = None, doc_id: str = "h1"):
    from analysis.io import sha256_text

    text = "A held-out sentence. Another one."
    texts = tmp_path / "texts"
    texts.mkdir(exist_ok=True)
    (texts / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    labels = tmp_path / "heldout"
    labels.mkdir(exist_ok=True)
    (labels / "manifest.csv").write_text(f"id,case,text_sha256\n{doc_id},new-case,{sha256_text(text)}\n")
    (labels / "frames_coded.csv").write_text(
        f"id,start,end,sentence_sha256,coder,f\n{doc_id},0,20,{sentence_hash or sha256_text(text[0:20])},coder_e,1\n")
    return texts, labels


def test_heldout_batch_loads_and_checks_hashes_and_ids(tmp_path):
    dev_manifest = pd.DataFrame({"id": ["e1"], "case": ["old-case"]})
    texts, labels = _heldout(tmp_path)
    held = rn.load_heldout(texts, labels, dev_manifest)
    assert held.codes["f"].tolist() == [1] and list(held.texts) == ["h1"]
    assert rn.missing_message(tmp_path / "nowhere").endswith("not found (no codes of this set have been committed yet)")
    texts, labels = _heldout(tmp_path, sentence_hash="0" * 64)
    with pytest.raises(rn.CorpusError, match=r"heldout/frames_coded.csv row 2, column 'sentence_sha256'"):
        rn.load_heldout(texts, labels, dev_manifest)
    texts, labels = _heldout(tmp_path, doc_id="e1")
    with pytest.raises(rn.CorpusError, match="also in the development set"):
        rn.load_heldout(texts, labels, dev_manifest)


def test_present_only_leaves_out_missing_texts_but_still_checks_hashes(tmp_path):
    from analysis.io import sha256_text

    dev_manifest = pd.DataFrame({"id": ["e1"], "case": ["old-case"]})
    texts, labels = _heldout(tmp_path)
    with open(labels / "manifest.csv", "a", encoding="utf-8") as fh:          # a second excerpt, not gathered
        fh.write(f"h2,new-case,{sha256_text('Not here.')}\n")
    with open(labels / "frames_coded.csv", "a", encoding="utf-8") as fh:
        fh.write(f"h2,0,9,{sha256_text('Not here.')},coder_e,0\n")
    with pytest.raises(rn.CorpusError, match=r"h2.txt: missing"):
        rn.load_heldout(texts, labels, dev_manifest)
    part = rn.load_heldout(texts, labels, dev_manifest, present_only=True)
    assert list(part.texts) == ["h1"] and part.codes["id"].tolist() == ["h1"]
    (texts / "h1.txt").write_text("Another text.", encoding="utf-8")               # present but changed
    with pytest.raises(rn.CorpusError, match="SHA-256 differs"):
        rn.load_heldout(texts, labels, dev_manifest, present_only=True)


def test_human_ceiling_by_hand(tmp_path):
    head = "id,start,end,sentence_sha256,coder,f\n"
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text(head + "x,0,5,h1,coder_a,1\nx,6,9,h2,coder_a,1\ny,0,4,h3,coder_a,0\n")
    b.write_text(head + "x,0,5,h1,coder_b,1\nx,6,9,h2,coder_b,0\ny,0,4,h3,coder_b,1\n")
    from unittest import mock

    with mock.patch.object(rn, "FRAMES", ("f",)):
        table, macro = validity.human_ceiling(b, a, n_boot=50)
        # coder_b against coder_a: tp 1, fp 1, fn 1
        assert table.loc[0, ["tp", "fp", "fn"]].tolist() == [1, 1, 1]
        assert macro["n_sentences"] == 3 and macro["macro_f1"] == pytest.approx(0.5)
        b.write_text(head + "x,0,5,OTHER,coder_b,1\n")
        with pytest.raises(rn.CorpusError, match=r"x\[0:5\] is not coded the same way"):
            validity.human_ceiling(b, a, n_boot=50)


def test_distance_to_target():
    assert validity.to_target(0.80, 0.55) == "P ok, R ok"
    assert validity.to_target(0.60, 0.30) == "P -0.15, R -0.20"
    assert validity.to_target(float("nan"), 0.0) == "P n/a, R -0.50"


def test_threshold_reaches_precision_where_possible():
    import numpy as np

    from analysis import frame_classifier

    y = np.array([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    p = np.array([0.95, 0.85, 0.75, 0.65, 0.64, 0.3, 0.62, 0.61, 0.55, 0.52, 0.1])
    # 0.6: P 5/7 < 0.75, F1 10/13; 0.7: P 1.0, R 0.5 (meets both targets), F1 2/3 -> 0.7
    assert frame_classifier.choose_threshold(y, p) == 0.7
    assert frame_classifier.choose_threshold(y, p, min_precision=1.01) == 0.6
