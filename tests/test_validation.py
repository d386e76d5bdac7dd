"""Validation samples and scores: blind stratified samples, agreement against oracles, P/R/F1 by hand, the CLI."""

from __future__ import annotations

import argparse
import re

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from analysis import agreement as agr
from analysis import coding_files, role_coding, sampling, validation
from analysis.errors import CorpusError, CorpusWarning, ResultWarning, UsageError
from tests.conftest import write_corpus

SENTENCES = pd.DataFrame({"doc_id": ["a"] * 6 + ["b"] * 6, "sentence_id": list(range(6)) * 2,
                          "sentence": [f"s{i}" for i in range(12)]})
EVIDENCE = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sentence_id": [0, 1, 0, 1],
                         "frame": ["legal", "legal", "legal", "trauma"]})


# --------------------------------------------------------------------------- agreement statistics

@st.composite
def reliability_data(draw):
    """coders × units nominal codes (0..2), some missing."""
    n_coders = draw(st.integers(2, 3))
    n_units = draw(st.integers(2, 25))
    cell = st.one_of(st.integers(0, 2).map(float), st.just(np.nan))
    rows = [draw(st.lists(cell, min_size=n_units, max_size=n_units)) for _ in range(n_coders)]
    return np.array(rows, dtype=float)


@settings(max_examples=150, deadline=None)
@given(reliability_data())
def test_alpha_matches_the_krippendorff_package(codes):
    ours = agr.krippendorff_alpha_nominal(codes)
    pairable = (~np.isnan(codes)).sum(axis=0) >= 2
    values = np.unique(codes[:, pairable][~np.isnan(codes[:, pairable])])
    if len(values) < 2:
        # the package refuses a single-valued domain; alpha is undefined and we say NaN
        assert np.isnan(ours)
        return
    with np.errstate(all="ignore"):
        oracle = krippendorff.alpha(reliability_data=codes, level_of_measurement="nominal")
    assert ours == pytest.approx(oracle, abs=1e-9)


def test_alpha_hand_example():
    # Two coders, four units: coincidences o(0,0)=2, o(1,1)=4, o(0,1)=o(1,0)=1 -> n=8, n0=3, n1=5
    # D_o = 2, D_e = (64 - 9 - 25) / 7 = 30/7 -> alpha = 1 - 2 * 7/30 = 0.5333
    assert agr.krippendorff_alpha_nominal(np.array([[1, 0, 1, 0], [1, 1, 1, 0]])) == pytest.approx(1 - 14 / 30)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=2, max_size=40))
def test_kappa_matches_sklearn(pairs):
    a, b = (list(x) for x in zip(*pairs, strict=True))
    assume(len(set(a) | set(b)) > 1)
    assert agr.cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)


def test_kappa_undefined_without_variation():
    assert np.isnan(agr.cohen_kappa([1, 1, 1], [1, 1, 1]))


# --------------------------------------------------------------------------- precision, recall, F1

def test_prf_by_hand_unweighted_and_weighted():
    tool = [1, 1, 1, 0, 0, 0]
    coder = [1, 1, 0, 1, 0, 0]
    # TP=2, FP=1, FN=1 -> P = 2/3, R = 2/3, F1 = 2/3
    r = agr.prf(tool, coder)
    assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    # untagged items stand for 10 sentences each: FN weighs 10 -> R = 2 / 12, F1 = 2PR/(P+R) = 2/7
    r = agr.prf(tool, coder, [1, 1, 1, 10, 10, 10])
    assert (r["precision"], r["recall"]) == pytest.approx((2 / 3, 2 / 12))
    assert r["f1"] == pytest.approx(2 * (2 / 3) * (1 / 6) / (2 / 3 + 1 / 6))


def test_prf_nan_with_reason_and_zero_f1():
    r = agr.prf([0, 0, 0], [0, 1, 0])
    assert np.isnan(r["precision"]) and r["recall"] == 0 and np.isnan(r["f1"])
    assert agr.NO_TOOL_POSITIVES in r["note"]
    r = agr.prf([1, 0], [0, 1])
    assert (r["precision"], r["recall"], r["f1"]) == (0.0, 0.0, 0.0) and r["note"] == ""


def test_score_frames_weights_recall_by_the_sampling_design():
    key = pd.DataFrame({"item_id": [f"i{i}" for i in range(6)], "frame": "legal",
                        "doc_id": list("abcdef"), "tool": [1, 1, 1, 0, 0, 0], "weight": [1, 1, 1, 10, 10, 10]})
    codes = pd.Series([1, 1, 0, 1, 0, 0], index=key["item_id"])
    r = validation.score_frames(key, {"c": codes}, n_boot=200, seed=1).iloc[0]
    assert (r["tp"], r["fp"], r["fn"], r["tn"]) == (2, 1, 1, 2)           # sample counts, unweighted
    assert r["recall"] == pytest.approx(2 / 12) and r["precision"] == pytest.approx(2 / 3)


def test_score_frames_skips_uncoded_items():
    key = pd.DataFrame({"item_id": ["i1", "i2", "i3"], "frame": "legal", "doc_id": ["a", "b", "c"],
                        "tool": [1, 1, 0]})
    codes = pd.Series([1, np.nan, 0], index=key["item_id"])
    r = validation.score_frames(key, {"c": codes}, n_boot=50).iloc[0]
    assert r["n_coded"] == 2 and r["precision"] == 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 1), st.integers(0, 1), st.sampled_from([1.0, 3.0])),
                min_size=1, max_size=40), st.integers(0, 1000))
def test_bootstrap_intervals_contain_the_estimate_and_lie_in_0_1(items, seed):
    doc, tool, code, weight = (list(x) for x in zip(*items, strict=True))
    key = pd.DataFrame({"item_id": [f"i{i}" for i in range(len(items))], "frame": "f",
                        "doc_id": [f"d{d}" for d in doc], "tool": tool, "weight": weight})
    r = validation.score_frames(key, {"c": pd.Series(code, index=key["item_id"])}, n_boot=100, seed=seed).iloc[0]
    for m in ("precision", "recall", "f1"):
        est, lo, hi = r[m], r[f"{m}_low"], r[f"{m}_high"]
        if np.isnan(est):
            assert np.isnan(lo) and np.isnan(hi)
            assert m == "f1" or r["note"]                                   # NaN comes with its reason
        else:
            assert 0.0 <= lo <= est <= hi <= 1.0
    if sum(c for c in code) == 0:
        assert np.isnan(r["recall"]) and agr.NO_CODER_POSITIVES in r["note"]


def test_bootstrap_resamples_documents_not_sentences():
    # one document holds every item: resampling documents can only redraw it, so the interval is a point
    key = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "frame": "f", "doc_id": "a", "tool": [1, 1, 0, 0]})
    r = validation.score_frames(key, {"c": pd.Series([1, 0, 1, 0], index=key["item_id"])}, n_boot=100).iloc[0]
    assert r["precision_low"] == r["precision_high"] == 0.5


def test_article_accuracy_counts_unknown_as_wrong_and_weights_groups():
    key = pd.DataFrame({"doc_id": list("abcd"), "group": ["x", "x", "y", "y"],
                        "tool": ["male", "unknown", "female", "female"], "weight": [1.0, 1.0, 3.0, 3.0]})
    codes = pd.Series(["male", "female", "female", "male"], index=list("abcd"))
    r = validation.score_articles(key, {"c": codes}, n_boot=100).set_index("group")
    assert r.loc["x", "accuracy"] == 0.5 and r.loc["y", "accuracy"] == 0.5
    assert r.loc["all", "accuracy"] == pytest.approx((1 + 3) / 8) and r.loc["x", "predicted_unknown"] == 1
    assert (r["accuracy_low"] <= r["accuracy"]).all() and (r["accuracy"] <= r["accuracy_high"]).all()


def test_agreement_hand_example():
    key = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "frame": "legal", "tool": [1, 1, 0, 0]})
    codes = {"a": pd.Series([1, 0, 1, 0], index=key["item_id"]), "b": pd.Series([1, 0, 1, 1], index=key["item_id"])}
    r = validation.agreement(key, codes).set_index(["measure", "a", "b"])
    # a vs b agree on 3 of 4: po = .75; pe = .5 * .75 + .5 * .25 = .5 -> kappa .5
    assert r.loc[("legal", "a", "b"), "cohen_kappa"] == pytest.approx(0.5)
    assert r.loc[("legal", "a", "b"), "percent_agreement"] == 0.75
    # a vs tool agree on 2 of 4: po = .5 = pe -> kappa 0
    assert r.loc[("legal", "a", "tool"), "cohen_kappa"] == pytest.approx(0.0)


# --------------------------------------------------------------------------- sampling

@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60), st.dictionaries(st.sampled_from("abcde"), st.integers(0, 20), min_size=1))
def test_allocate_is_even_within_availability(n, available):
    plan = validation.allocate(n, available)
    assert sum(plan.values()) == min(n, sum(available.values()))
    assert all(0 <= plan[g] <= available[g] for g in available)
    uncapped = [plan[g] for g in available if plan[g] < available[g]]
    if uncapped:
        # a group below its size never gets fewer than any other group minus one
        assert min(uncapped) >= max(plan.values()) - 1


def test_frame_sample_is_blind_correct_and_weighted():
    strata = pd.Series({"a": "x", "b": "y"})
    sheet, key = validation.frame_sample(EVIDENCE, SENTENCES, frames=["legal", "trauma", "unseen"], strata=strata,
                                         per_frame=4, seed=1)
    assert "tool" not in sheet.columns and set(sheet["code"]) == {""}
    assert set(key["frame"]) == {"legal", "trauma", "unseen"}
    legal = key[key["frame"] == "legal"]
    assert sorted(legal["tool"]) == [0, 0, 1, 1] and sorted(legal["group"]) == ["x", "x", "y", "y"]
    tagged = set(map(tuple, EVIDENCE[["doc_id", "sentence_id", "frame"]].to_numpy()))
    for r in key.itertuples():
        assert ((r.doc_id, r.sentence_id, r.frame) in tagged) == bool(r.tool)
        assert r.weight == pytest.approx(r.stratum_size / r.drawn)
    # legal, tagged, group x: sentences a0 and a1 (2), one drawn -> weight 2
    assert legal[(legal["tool"] == 1) & (legal["group"] == "x")]["weight"].tolist() == [2.0]
    assert (key.loc[key["frame"] == "unseen", "tool"] == 0).all()          # a frame never tagged: recall still estimable
    assert sheet.merge(key, on="item_id")["sentence_id_x"].equals(sheet.merge(key, on="item_id")["sentence_id_y"])


def test_frame_sample_is_reproducible_and_seed_dependent():
    one = validation.frame_sample(EVIDENCE, SENTENCES, per_frame=4, seed=3)[1]
    assert one.equals(validation.frame_sample(EVIDENCE, SENTENCES, per_frame=4, seed=3)[1])
    assert any(not one.equals(validation.frame_sample(EVIDENCE, SENTENCES, per_frame=4, seed=s)[1]) for s in range(4, 9))


def test_retag_follows_new_evidence_and_drops_moved_sentences():
    _, key = validation.frame_sample(EVIDENCE, SENTENCES, per_frame=4, seed=1)
    new = pd.DataFrame({"doc_id": ["a"], "sentence_id": [2], "frame": ["legal"]})
    moved = SENTENCES.assign(sentence=SENTENCES["sentence"].where(SENTENCES["doc_id"] != "b", "changed"))
    out = validation.retag(key, new, moved)
    assert set(out["doc_id"]) <= {"a"}
    for r in out.itertuples():
        assert r.tool == int((r.doc_id, r.sentence_id, r.frame) == ("a", 2, "legal"))


def test_article_sample_stratified_with_registry_column():
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(9)], "region": ["x"] * 6 + ["y"] * 3,
                         "title": "t", "victim_gender": "female"})
    tool = pd.DataFrame({"doc_id": docs["doc_id"], "victim_gender": "male"})
    sheet, key = validation.article_sample(docs, tool, by="region", n=4, seed=2)
    assert key["group"].value_counts().to_dict() == {"x": 2, "y": 2}
    assert set(key["tool"]) == {"male"} and set(key["registry"]) == {"female"}
    assert list(sheet.columns) == ["doc_id", "title", "victim_gender"] and set(sheet["victim_gender"]) == {""}
    assert key.set_index("group")["weight"].to_dict() == {"x": 3.0, "y": 1.5}


# --------------------------------------------------------------------------- coder files

def _key_dir(tmp_path):
    key = pd.DataFrame({"item_id": ["item-0001", "item-0002"], "frame": "legal", "doc_id": ["a", "b"],
                        "tool": [1, 0], "weight": 1.0})
    key.to_csv(tmp_path / coding_files.FRAMES_KEY, index=False)
    return coding_files.read_keys(tmp_path)["frames"]


@pytest.mark.parametrize("body, message", [
    ("item_id,code\nitem-0001,1\nitem-0002,yes\n", "row 3, column 'code': 'yes' is not a code"),
    ("item_id,code\nitem-0001,1\nitem-0001,0\n", "row 3, column 'item_id': 'item-0001' is duplicated (first seen on row 2)"),
    ("item_id,code\nitem-9999,1\n", "row 2, column 'item_id': 'item-9999' is not in the key"),
    ("item_id,codes\nitem-0001,1\n", "row 1: column 'code' missing"),
])
def test_bad_frame_codes_name_file_row_and_column(tmp_path, body, message):
    key = _key_dir(tmp_path)
    path = tmp_path / "coder.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CorpusError, match=re.escape(message)) as err:
        coding_files.read_frame_codes(path, key)
    assert str(path) in str(err.value)


def test_frame_codes_accept_blanks_and_spreadsheet_floats(tmp_path):
    key = _key_dir(tmp_path)
    path = tmp_path / "coder.csv"
    path.write_text("item_id,code\nitem-0001, 1.0\nitem-0002,\n", encoding="utf-8")
    codes = coding_files.read_frame_codes(path, key)
    assert codes["item-0001"] == 1.0 and np.isnan(codes["item-0002"])


def test_bad_victim_gender_code():
    with pytest.raises(CorpusError, match=r"c.csv row 3, column 'victim_gender': 'woman' is not a code"):
        coding_files.parse_genders(pd.Series(["male", "woman"]), "c.csv")


def test_key_folder_must_exist(tmp_path):
    with pytest.raises(UsageError, match="--key"):
        coding_files.read_keys(tmp_path / "absent")


def test_legacy_two_column_sheet():
    key = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "frame": "legal", "tool": [1, 1, 0, 0]})
    sheet = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "code_1": ["1", "0", "1", "0"],
                          "code_2": ["1", "0", "1", "1"]})
    r = validation.read_coding(sheet, key).iloc[0]
    assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((0.5, 0.5, 0.5))
    assert r["cohen_kappa"] == pytest.approx(0.5) and r["krippendorff_alpha"] == pytest.approx(1 - 14 / 30)
    with pytest.raises(CorpusError, match="row 2, column 'code_1': 'yes'"):
        validation.read_coding(pd.DataFrame({"item_id": ["i1"], "code_1": ["yes"]}), key)
    old_sheet, old_key = validation.coding_sample(EVIDENCE, SENTENCES, n_per_frame=4, seed=1)
    assert {"code_1", "code_2"} <= set(old_sheet.columns) and list(old_key.columns) == ["item_id", "frame", "tool"]


# --------------------------------------------------------------------------- command line, end to end

TEXTS = {
    "a1": "Mira Sen filed a lawsuit in court against the producer. The film was shelved. She posted on Twitter.",
    "a2": "The court heard the case on Monday. Fans shared the hashtag widely. The weather was mild.",
    "a3": "Her lawyer spoke to the judge. The studio dropped him from the film. Nobody answered.",
    "b1": "Ravi Rao said he was harassed by his boss. He told the police. His therapist helped him with anxiety.",
    "b2": "The union opened an inquiry. The post went viral on Instagram. It rained all day.",
    "b3": "He sued the channel in the high court. He said men can be victims too. The office was quiet.",
}


def _main(argv):
    """``python -m analysis`` with ``validate sample|score`` registered (as validate_cmds.register will do)."""
    from analysis.cli import main, validate_cmds, validate_coding_cmds

    original = validate_cmds.register

    def register(subparsers: argparse._SubParsersAction):
        sub = original(subparsers)
        if "sample" not in sub.choices:
            validate_coding_cmds.add(sub)
        return sub

    validate_cmds.register = register
    try:
        return main(argv)
    finally:
        validate_cmds.register = original


@pytest.fixture(scope="module")
def tiny_sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("v") / "validation-tiny"
    docs = "doc_id,region,title\n" + "".join(f"{d},{'east' if d[0] == 'a' else 'west'},Title {d}\n" for d in TEXTS)
    write_corpus(root, docs, TEXTS)
    out = root.parent / "sample"
    assert _main(["validate", "sample", "--corpus", str(root), "--out", str(out), "--per-frame", "4",
                  "--articles", "4", "--seed", "5"]) == 0
    return out


def test_cli_sample_writes_blind_sheets_and_keys(tiny_sample):
    names = {p.name for p in tiny_sample.iterdir()}
    assert {"frames_sheet.csv", "frames_key.csv", "articles_sheet.csv", "articles_key.csv", "CODING.md",
            "sample.json"} <= names
    sheet = pd.read_csv(tiny_sample / "frames_sheet.csv")
    key = pd.read_csv(tiny_sample / "frames_key.csv")
    assert list(sheet.columns) == ["item_id", "frame", "doc_id", "sentence_id", "sentence", "code"]
    assert "tool" in key.columns and len(key) == len(sheet) and key["frame"].nunique() >= 2
    articles = pd.read_csv(tiny_sample / "articles_key.csv")
    assert articles["group"].value_counts().to_dict() == {"east": 2, "west": 2}
    assert "legal_institutional" in (tiny_sample / "CODING.md").read_text(encoding="utf-8")


def _code_like_the_tool(sample, folder, flip: int = 0):
    """A coder who agrees with the tool except on the first ``flip`` items."""
    folder.mkdir(exist_ok=True)
    sheet = pd.read_csv(sample / "frames_sheet.csv", dtype=str, keep_default_na=False)
    key = pd.read_csv(sample / "frames_key.csv")
    codes = key["tool"].to_numpy().copy()
    codes[:flip] = 1 - codes[:flip]
    sheet.assign(code=codes.astype(str)).to_csv(folder / "frames_sheet.csv", index=False)
    art = pd.read_csv(sample / "articles_sheet.csv", dtype=str, keep_default_na=False)
    akey = pd.read_csv(sample / "articles_key.csv")
    art.assign(victim_gender=akey["tool"].to_numpy()).to_csv(folder / "articles_sheet.csv", index=False)


def test_cli_score_end_to_end(tiny_sample, tmp_path, capsys):
    _code_like_the_tool(tiny_sample, tmp_path / "ann")
    _code_like_the_tool(tiny_sample, tmp_path / "bob", flip=2)
    out = tmp_path / "scores"
    assert _main(["validate", "score", "--key", str(tiny_sample), "--coder", str(tmp_path / "ann"),
                  "--coder", str(tmp_path / "bob" / "frames_sheet.csv"), "--out", str(out), "--n-boot", "50"]) == 0
    printed = capsys.readouterr().out
    assert "precision" in printed and "cohen_kappa" in printed and "accuracy" in printed
    scores = pd.read_csv(out / "frame_scores.csv")
    ann = scores[scores["reference"] == "ann"]
    assert (ann["precision"].dropna() == 1.0).all() and (ann["recall"].dropna() == 1.0).all()
    assert set(scores["reference"]) == {"ann", "bob"}
    vg = pd.read_csv(out / "victim_gender_scores.csv")
    assert vg.loc[(vg["predictor"] == "tool") & (vg["group"] == "all"), "accuracy"].tolist() == [1.0]
    agree = pd.read_csv(out / "agreement.csv")
    pair = agree[(agree["measure"] == "all frames") & (agree["a"] == "ann") & (agree["b"] == "bob")].iloc[0]
    assert pair["n"] == len(pd.read_csv(tiny_sample / "frames_key.csv"))
    assert pair["percent_agreement"] == pytest.approx(1 - 2 / pair["n"])
    with_tool = agree[(agree["measure"] == "all frames") & (agree["a"] == "ann") & (agree["b"] == "tool")].iloc[0]
    assert with_tool["percent_agreement"] == 1.0 and with_tool["cohen_kappa"] == pytest.approx(1.0)


def test_cli_score_bad_code_exits_2_naming_row_and_column(tiny_sample, tmp_path, capsys):
    folder = tmp_path / "bad"
    _code_like_the_tool(tiny_sample, folder)
    sheet = pd.read_csv(folder / "frames_sheet.csv", dtype=str, keep_default_na=False)
    sheet.loc[2, "code"] = "maybe"
    sheet.to_csv(folder / "frames_sheet.csv", index=False)
    assert _main(["validate", "score", "--key", str(tiny_sample), "--coder", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "frames_sheet.csv row 4, column 'code': 'maybe' is not a code" in err and "Traceback" not in err


def test_cli_sample_bad_by_exits_2(tiny_sample, capsys):
    corpus = tiny_sample.parent / "validation-tiny"
    assert _main(["validate", "sample", "--corpus", str(corpus), "--by", "nope", "--out",
                  str(tiny_sample.parent / "x")]) == 2
    assert "nope" in capsys.readouterr().err


# --------------------------------------------------------------------------- person roles

def test_people_sample_lists_everyone_in_the_sampled_articles_in_their_order():
    key = pd.DataFrame({"doc_id": ["b", "a"], "group": ["x", "y"], "weight": [1.0, 3.0]})
    m = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "c"], "person": ["Zed", "Ann", "Bo", "Bo", "Cy"],
                      "role": ["other", "victim", "accused", "accused", "victim"]})
    sheet, pkey = role_coding.people_sample(key, m)
    assert sheet["person"].tolist() == ["Bo", "Ann", "Zed"]                 # article order, then name
    assert sheet["mentions"].tolist() == [2, 1, 1] and set(sheet["role"]) == {""}
    assert "tool" not in sheet.columns                                     # blind
    assert pkey["tool"].tolist() == ["accused", "victim", "other"]
    assert pkey["weight"].tolist() == [1.0, 3.0, 3.0] and pkey["group"].tolist() == ["x", "y", "y"]


def test_score_people_both_sides_by_hand_and_weighted():
    key = pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4", "p5"], "doc_id": ["a", "a", "b", "b", "b"],
                        "tool": ["victim", "victim", "accused", "other", "victim"],
                        "weight": [1.0, 1.0, 3.0, 3.0, 3.0]})
    codes = pd.Series(["victim", "other", "victim", "other", "not_a_person"], index=key["person_id"])
    r = role_coding.score_people(key, {"ann": codes}, n_boot=200).iloc[0]
    assert r["role_accuracy"] == pytest.approx(1 / 4)        # p1 right (w 1), p3 wrong (w 3)
    assert r["bystanders_given_role"] == pytest.approx(1 / 4)   # p2 given victim (w 1), p4 kept other (w 3)
    assert r["not_a_person"] == pytest.approx(3 / 11)       # p5 (w 3) of all five (w 11)
    assert 0 <= r["role_accuracy_low"] <= r["role_accuracy_high"] <= 1
    empty = role_coding.score_people(key, {"bob": pd.Series(["other"], index=["p4"])}, n_boot=20).iloc[0]
    assert np.isnan(empty["role_accuracy"]) and np.isnan(empty["role_accuracy_low"])
    assert "no person coded victim or accused" in empty["note"]


def test_retag_people_takes_todays_roles_for_the_same_people():
    key = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "doc_id": ["a", "a", "b"],
                        "person": ["Ann", "Bo", "Ann"], "tool": ["other", "victim", "accused"],
                        "weight": [1.0, 1.0, 2.0]})
    m = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "person": ["Ann", "Ann", "Ann", "Bo"],
                      "role": ["victim", "victim", "other", "accused"]})
    got = role_coding.retag_people(key, m)
    assert got["tool"].tolist() == ["victim", "not_found", "other"]     # Bo is in article c only now
    assert got["weight"].tolist() == [1.0, 1.0, 2.0] and key["tool"].tolist()[0] == "other"  # a new frame
    r = role_coding.score_people(got, {"ann": pd.Series(["victim", "accused", "other"], index=["p1", "p2", "p3"])},
                                 n_boot=20).iloc[0]
    assert r["role_accuracy"] == pytest.approx(1 / 2) and r["bystanders_given_role"] == 0.0


def test_bad_role_code_names_file_row_and_column(tmp_path):
    key = pd.DataFrame({"person_id": ["p0001", "p0002"], "doc_id": ["a", "a"], "tool": ["victim", "other"]})
    path = tmp_path / "people_sheet.csv"
    path.write_text("person_id,doc_id,person,mentions,role\np0001,a,Ann,1,victim\np0002,a,Bo,1,witness\n")
    with pytest.raises(CorpusError, match=r"people_sheet.csv row 3, column 'role': 'witness' is not a code"):
        coding_files.read_people_codes(path, key)
    path.write_text("person_id,doc_id,person,mentions,role\np0001,a,Ann,1,Victim\np0002,a,Bo,1,\n")
    got = coding_files.read_people_codes(path, key)
    assert got["p0001"] == "victim" and pd.isna(got["p0002"])


@pytest.fixture(scope="module")
def all_articles(tiny_sample):
    out = tiny_sample.parent / "sample_all"
    assert _main(["validate", "sample", "--corpus", str(tiny_sample.parent / "validation-tiny"), "--out", str(out),
                  "--per-frame", "2", "--articles", "6", "--seed", "5"]) == 0
    return out


def test_cli_sample_writes_the_people_sheet(all_articles):
    tiny_sample = all_articles
    sheet = pd.read_csv(tiny_sample / "people_sheet.csv", dtype=str, keep_default_na=False)
    key = pd.read_csv(tiny_sample / "people_key.csv", dtype=str, keep_default_na=False)
    assert list(sheet.columns) == ["person_id", "doc_id", "person", "mentions", "role"]
    assert len(sheet) == len(key) > 0 and set(sheet["role"]) == {""}
    arts = set(pd.read_csv(tiny_sample / "articles_key.csv", dtype=str)["doc_id"])
    assert set(sheet["doc_id"]) <= arts
    assert set(key["tool"]) <= {"victim", "accused", "other"}
    assert "people_sheet.csv" in (tiny_sample / "CODING.md").read_text(encoding="utf-8")


def test_cli_score_reads_people_sheets(all_articles, tmp_path, capsys):
    tiny_sample = all_articles
    folder = tmp_path / "cy"
    _code_like_the_tool(tiny_sample, folder)
    sheet = pd.read_csv(tiny_sample / "people_sheet.csv", dtype=str, keep_default_na=False)
    key = pd.read_csv(tiny_sample / "people_key.csv", dtype=str, keep_default_na=False)
    sheet.assign(role=key["tool"].to_numpy()).to_csv(folder / "people_sheet.csv", index=False)
    out = tmp_path / "scores"
    assert _main(["validate", "score", "--key", str(tiny_sample), "--coder", str(folder), "--out", str(out),
                  "--n-boot", "50"]) == 0
    assert "person roles" in capsys.readouterr().out
    roles_t = pd.read_csv(out / "role_scores.csv")
    assert (key["tool"] != "other").any()                    # Mira Sen and Ravi Rao have a role
    assert roles_t["role_accuracy"].tolist() == [1.0] and roles_t["n_coded"].tolist() == [len(key)]
    agree = pd.read_csv(out / "agreement.csv")
    assert "role" in set(agree["measure"])


# --------------------------------------------------------------------------- review of 3 December 2026

def test_blank_rows_reweight_the_coded_rows_of_their_stratum():
    # two strata of 10 sentences each, 2 drawn from each; the coder leaves one untagged row blank, so
    # the other untagged row stands for all 10 untagged sentences (weight 10, not 5)
    key = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "frame": "legal", "doc_id": list("abcd"),
                        "tool": [1, 1, 0, 0], "stratum_size": 10, "drawn": 2, "weight": 5.0,
                        "stratum": ["legal|1|x", "legal|1|x", "legal|0|x", "legal|0|x"]})
    codes = pd.Series([1, 1, 1, np.nan], index=key["item_id"])
    r = validation.score_frames(key, {"c": codes}, n_boot=50).iloc[0]
    assert r["recall"] == pytest.approx(10 / (10 + 10))                   # was 10 / (10 + 5)
    # an older key without the stratum column falls back on frame, group, size and draws
    r_old = validation.score_frames(key.drop(columns="stratum").assign(stratum_size=[10, 10, 30, 30]),
                                    {"c": codes}, n_boot=50).iloc[0]
    assert r_old["recall"] == pytest.approx(10 / (10 + 30))


def test_every_frame_and_group_of_the_key_keeps_a_row_when_nothing_is_coded():
    key = pd.DataFrame({"item_id": ["i1", "i2"], "frame": ["legal", "career"], "doc_id": ["a", "b"],
                        "tool": [1, 0]})
    rows = validation.score_frames(key, {"c": pd.Series([1, np.nan], index=key["item_id"])}, n_boot=20)
    career = rows[rows["frame"] == "career"].iloc[0]
    assert career["n_coded"] == 0 and np.isnan(career["recall"]) and "no sentence" in career["note"]
    arts = pd.DataFrame({"doc_id": ["a", "b"], "group": ["x", "y"], "tool": ["male", "female"]})
    r = validation.score_articles(arts, {"c": pd.Series(["male", np.nan], index=["a", "b"])}, n_boot=20)
    y = r[r["group"] == "y"].iloc[0]
    assert y["n_coded"] == 0 and np.isnan(y["accuracy"]) and np.isnan(y["accuracy_low"]) and y["note"]
    nothing = validation.score_articles(arts, {"c": pd.Series([np.nan, np.nan], index=["a", "b"])}, n_boot=20)
    assert nothing["accuracy"].isna().all() and (nothing["note"] != "").all()


def test_a_small_sample_draws_groups_at_random_and_warns():
    firsts = set()
    for seed in range(20):
        plan = validation.allocate(1, {"a": 5, "b": 5, "c": 5}, np.random.default_rng(seed))
        assert sum(plan.values()) == 1
        firsts |= {g for g, k in plan.items() if k}
    assert firsts == {"a", "b", "c"}                                      # not always the first by name
    part = pd.DataFrame({"group": ["a", "b", "c"], "x": [1, 2, 3]})
    with pytest.warns(ResultWarning, match="2 group.s. got none"):
        sampling._draw(part, 1, np.random.default_rng(0), "articles")


def test_agreement_says_why_kappa_is_nan():
    key = pd.DataFrame({"item_id": ["i1", "i2"], "frame": "legal", "tool": [0, 0]})
    r = validation.agreement(key, {"a": pd.Series([0, 0], index=key["item_id"])}, by=None)
    assert np.isnan(r["cohen_kappa"].iloc[0]) and "undefined" in r["note"].iloc[0]


def _sheet_dir(tmp_path, sheet: str):
    key = _key_dir(tmp_path)
    path = tmp_path / "coder.csv"
    path.write_text(sheet, encoding="utf-8")
    return key, path


def test_a_sheet_from_another_draw_is_refused(tmp_path):
    key, path = _sheet_dir(tmp_path, "item_id,frame,doc_id,code\nitem-0001,legal,a,1\nitem-0002,legal,z,0\n")
    with pytest.raises(CorpusError, match=r"coder.csv row 3, column 'doc_id': 'z' is not the key's 'b'"):
        coding_files.read_frame_codes(path, key)


def test_wholly_empty_rows_are_skipped_with_a_warning_and_rows_keep_their_numbers(tmp_path):
    key, path = _sheet_dir(tmp_path, "item_id,code \n,\nitem-0001,1\nitem-0002,maybe\n,\n")
    with pytest.warns(CorpusWarning, match=r"2 wholly empty row\(s\) skipped \(row 2, 5\)"):
        with pytest.raises(CorpusError, match="row 4, column 'code': 'maybe'"):   # header 'code ' is read
            coding_files.read_frame_codes(path, key)


def test_coder_names_do_not_clash(tmp_path):
    key = _key_dir(tmp_path)
    keys = {"frames": key}
    for name in ("ann", "tool"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "frames_sheet.csv").write_text("item_id,code\nitem-0001,1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="given twice"):
        coding_files.read_coders([tmp_path / "ann", tmp_path / "ann" / "frames_sheet.csv"], keys)
    with pytest.raises(UsageError, match="named 'tool'"):
        coding_files.read_coders([tmp_path / "tool"], keys)


def test_cli_score_of_an_uncoded_sheet_warns_instead_of_failing(tiny_sample, tmp_path, capsys):
    assert _main(["validate", "score", "--key", str(tiny_sample), "--coder", str(tiny_sample / "frames_sheet.csv"),
                  "--out", str(tmp_path), "--n-boot", "20"]) == 0
    err = capsys.readouterr().err
    assert "no row of the frames_sheet.csv is coded" in err and "internal error" not in err
    with pytest.raises(SystemExit) as stop:                                # argparse: exit 2 with usage
        _main(["validate", "score", "--key", str(tiny_sample), "--coder", str(tiny_sample), "--n-boot", "0"])
    assert stop.value.code == 2 and "at least 1" in capsys.readouterr().err


def test_cli_redraw_without_articles_removes_the_old_keys(tiny_sample, tmp_path, capsys):
    import shutil

    out = tmp_path / "redraw"
    shutil.copytree(tiny_sample, out)
    corpus = tiny_sample.parent / "validation-tiny"
    assert _main(["validate", "sample", "--corpus", str(corpus), "--out", str(out), "--per-frame", "4",
                  "--articles", "0"]) == 0
    assert not (out / "articles_key.csv").exists() and not (out / "people_key.csv").exists()
    assert "removed articles_sheet.csv, articles_key.csv" in capsys.readouterr().out


def test_an_article_whose_people_are_all_left_blank_is_stood_for_by_its_group():
    key = pd.DataFrame({"person_id": ["p1", "p2", "p3"], "doc_id": ["a", "b", "c"], "group": ["x", "x", "y"],
                        "tool": ["victim", "victim", "accused"], "weight": 1.0})
    codes = pd.Series(["victim", np.nan, "victim"], index=key["person_id"])   # article b not coded
    r = role_coding.score_people(key, {"c": codes}, n_boot=50).iloc[0]
    assert r["role_accuracy"] == pytest.approx(2 / 3)                   # a stands for a and b: 2 of 3
    assert r["n_coded"] == 2


# --------------------------------------------------------------------------- re-check of the review's fixes

def test_a_stratum_left_wholly_blank_is_named_in_the_note():
    key = pd.DataFrame({"item_id": ["i1", "i2", "i3"], "frame": "legal", "doc_id": list("abc"), "tool": [1, 0, 0],
                        "stratum_size": [5, 50, 40], "drawn": 1, "weight": [5.0, 50.0, 40.0],
                        "stratum": ["legal|1|x", "legal|0|x", "legal|0|y"]})
    codes = pd.Series([1, 0, np.nan], index=key["item_id"])
    note = validation.score_frames(key, {"c": codes}, n_boot=20).iloc[0]["note"]
    assert "left out of the estimate: stratum legal|0|y (40 in the corpus)" in note
    arts = pd.DataFrame({"doc_id": ["a", "b"], "group": ["x", "y"], "tool": ["male", "male"]})
    r = validation.score_articles(arts, {"c": pd.Series(["male", np.nan], index=["a", "b"])}, n_boot=20)
    assert "group(s) y" in r.loc[r["group"] == "all", "note"].iloc[0]


def test_a_re_saved_sheet_still_matches_its_key(tmp_path):
    key = pd.DataFrame({"item_id": ["item-0001", "item-0002"], "frame": "legal", "doc_id": ["017", "NA"],
                        "sentence_id": [27, 3], "tool": [1, 0], "weight": 1.0})
    key.to_csv(tmp_path / coding_files.FRAMES_KEY, index=False)
    key = coding_files.read_keys(tmp_path)["frames"]
    assert key["doc_id"].tolist() == ["017", "NA"] and key["tool"].tolist() == [1, 0]
    path = tmp_path / "coder.csv"
    path.write_text("item_id,frame,doc_id,sentence_id,code\nitem-0001,legal,17,27.0,1\nitem-0002,legal, NA,3,0\n",
                    encoding="utf-8")
    assert coding_files.read_frame_codes(path, key).tolist() == [1.0, 0.0]


def test_a_sheet_without_its_checking_columns_warns(tmp_path):
    key, path = _sheet_dir(tmp_path, "item_id,code\nitem-0001,1\n")
    with pytest.warns(CorpusWarning, match="cannot be checked to come from the same draw"):
        coding_files.read_frame_codes(path, key)


def test_a_column_named_twice_and_empty_lines(tmp_path):
    key, path = _sheet_dir(tmp_path, "item_id,code,code \nitem-0001,1,1\n")
    with pytest.raises(CorpusError, match="'code' appear more than once"):
        coding_files.read_frame_codes(path, key)
    path.write_text("item_id,code\n\nitem-0001,1\n\nitem-0002,maybe\n", encoding="utf-8")
    with pytest.warns(CorpusWarning), pytest.raises(CorpusError, match="row 5, column 'code'"):  # the file's line
        coding_files.read_frame_codes(path, key)


def test_one_coder_keeps_one_name_in_every_table(tmp_path):
    tmp = tmp_path / "k"
    tmp.mkdir()
    keys = {"frames": _key_dir(tmp), "articles": pd.DataFrame({"doc_id": ["a"], "tool": ["male"]})}
    for folder, sheets in (("x", ["frames"]), ("y", ["frames", "articles"])):
        (tmp_path / folder / "ann").mkdir(parents=True)
        (tmp_path / folder / "ann" / "frames_sheet.csv").write_text("item_id,code\nitem-0001,1\n", encoding="utf-8")
        if "articles" in sheets:
            (tmp_path / folder / "ann" / "articles_sheet.csv").write_text("doc_id,victim_gender\na,male\n",
                                                                          encoding="utf-8")
    with pytest.warns(CorpusWarning):
        out = coding_files.read_coders([tmp_path / "x" / "ann", tmp_path / "y" / "ann"], keys)
    assert list(out["frames"]) == ["ann", "ann_2"] and list(out["articles"]) == ["ann_2"]


def test_cli_score_out_under_a_file_exits_2(tiny_sample, tmp_path, capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    _code_like_the_tool(tiny_sample, tmp_path / "ann")
    for out in (tmp_path / "file", tmp_path / "file" / "sub"):
        assert _main(["validate", "score", "--key", str(tiny_sample), "--coder", str(tmp_path / "ann"),
                      "--out", str(out), "--n-boot", "20"]) == 2
        assert "internal error" not in capsys.readouterr().err
