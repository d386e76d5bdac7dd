"""Tests for analysis.keyness: hand-checked statistics, properties, KWIC and its rendering.

Token tables are built here with a tiny regex tokeniser (no spaCy, no
teaching corpus): every statistic is compared with a value worked out by hand
in the comments next to it.
"""

from __future__ import annotations

import doctest
import math
import re
import shutil
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis import cli
from analysis import keyness as kn
from analysis.keyness import (
    KEYNESS_COLUMNS,
    collocations,
    format_kwic,
    keyness,
    kwic,
    kwic_html,
    register_cli,
    term_counts,
)

STOP = frozenset({"the", "a", "and", "it", "she", "he", "him", "to", "was", "of"})
LEMMAS = {"accused": "accuse", "spoke": "speak", "wept": "weep", "denied": "deny",
          "claims": "claim", "allegations": "allegation", "harassed": "harass"}


def make_tokens(texts: dict[str, str], lemmas: dict[str, str] = LEMMAS,
                stop: frozenset[str] = STOP) -> pd.DataFrame:
    """A token table in the shape of analysis.preprocess.tokens(), from plain texts.

    Words (``\\w+``) and single punctuation characters are tokens; ``ws`` is
    the whitespace up to the next token; a sentence ends after . ! or ?.
    """
    rows = []
    for doc_id, text in texts.items():
        found = list(re.finditer(r"\w+|[^\w\s]", text))
        sent = 0
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(text)
            word = m.group()
            rows.append({"doc_id": doc_id, "sent": sent, "i": i, "text": word,
                         "ws": text[m.end():end],
                         "lemma": lemmas.get(word.lower(), word.lower()),
                         "pos": "NOUN" if word.isalpha() else "PUNCT",
                         "is_stop": word.lower() in stop, "is_alpha": word.isalpha()})
            if word in ".!?":
                sent += 1
    columns = ["doc_id", "sent", "i", "text", "ws", "lemma", "pos", "is_stop", "is_alpha"]
    return pd.DataFrame(rows, columns=columns)


# Three documents. Counted terms (alphabetic, non-stopword lemmas):
#   hollywood (h1, h2): actress 3, accuse 1, producer 1, speak 1, weep 1  -> n_a = 7
#   pakistan  (p1):     producer 2, deny 1, accuse 1, actress 1           -> n_b = 5
#   pooled:             actress 4, producer 3, accuse 2, speak 1, weep 1, deny 1 -> n = 12
TEXTS = {
    "h1": "The actress accused the producer.",
    "h2": "The actress spoke; the actress wept.",
    "p1": "The producer denied it. The producer accused the actress.",
}
DOCS = pd.DataFrame({
    "doc_id": ["h1", "h2", "p1"],
    "region": ["hollywood", "hollywood", "pakistan"],
    "outlet": ["Variety", "Deadline", "Dawn"],
    "year": [2017, 2018, 2018],
    "text": list(TEXTS.values()),
})


@pytest.fixture()
def tokens() -> pd.DataFrame:
    return make_tokens(TEXTS)


def _row(frame: pd.DataFrame, term: str, column: str = "term") -> pd.Series:
    hits = frame[frame[column] == term]
    assert len(hits) == 1, f"{term!r} not (uniquely) in {frame[column].tolist()}"
    return hits.iloc[0]


# --------------------------------------------------------------------------- keyness by hand


def test_keyness_hand_computed(tokens):
    k = keyness(tokens, DOCS, by="region", a="hollywood", b="pakistan", min_count=1)
    assert list(k.columns[:6]) == ["term", "count_a", "count_b", "log_odds_z", "g2", "log_ratio"]
    assert list(k.columns) == list(KEYNESS_COLUMNS)
    assert (k.attrs["n_a"], k.attrs["n_b"], k.attrs["alpha0"]) == (7, 5, 12.0)

    # actress: y_a = 3, y_b = 1; default prior alpha0 = n = 12, alpha_w = 12 * 4/12 = 4
    #   delta = ln((3+4)/(7+12-3-4)) - ln((1+4)/(5+12-1-4)) = ln(7/12) - ln(5/12) = ln(1.4)
    #         = 0.336472
    #   var = 1/7 + 1/5 = 0.342857, z = 0.336472 / 0.585540 = 0.574636
    #   G2: E_a = 7*4/12 = 2.333333, E_b = 5*4/12 = 1.666667
    #       2 (3 ln(3/2.333333) + 1 ln(1/1.666667)) = 2 (0.753943 - 0.510826) = 0.486235
    #   Log Ratio = log2((3/7) / (1/5)) = log2(2.142857) = 1.099536
    a = _row(k, "actress")
    assert (a.count_a, a.count_b, a.docs_a, a.docs_b) == (3, 1, 2, 1)
    assert a.log_odds == pytest.approx(0.336472, abs=1e-5)
    assert a.log_odds_z == pytest.approx(0.574636, abs=1e-5)
    assert a.g2 == pytest.approx(0.486235, abs=1e-5)
    assert a.log_ratio == pytest.approx(1.099536, abs=1e-5)
    assert a.freq_per_10k_a == pytest.approx(3 / 7 * 10_000)      # 4285.714
    assert a.freq_per_10k_b == pytest.approx(1 / 5 * 10_000)      # 2000
    assert a.direction == "hollywood"

    # producer: y_a = 1, y_b = 2, alpha_w = 3
    #   delta = ln(4/(19-1-3)) - ln(5/(17-2-3)) = ln(4/15) - ln(5/12) = ln(0.64) = -0.446287
    #   var = 1/4 + 1/5 = 0.45, z = -0.446287 / 0.670820 = -0.665286
    #   G2: E_a = 7*3/12 = 1.75, E_b = 1.25
    #       2 (1 ln(1/1.75) + 2 ln(2/1.25)) = 2 (-0.559616 + 0.940007) = 0.760783
    #   Log Ratio = log2((1/7) / (2/5)) = log2(5/14) = -1.485427
    p = _row(k, "producer")
    assert p.log_odds_z == pytest.approx(-0.665286, abs=1e-5)
    assert p.g2 == pytest.approx(0.760783, abs=1e-5)
    assert p.log_ratio == pytest.approx(-1.485427, abs=1e-5)
    assert p.direction == "pakistan"

    # deny: y_a = 0, y_b = 1, alpha_w = 1
    #   delta = ln(1/18) - ln(2/15) = -2.890372 + 2.014903 = -0.875469
    #   var = 1/1 + 1/2 = 1.5, z = -0.875469 / 1.224745 = -0.714817
    #   G2: E_b = 5/12; 2 (0 + 1 ln(1/(5/12))) = 2 ln(2.4) = 1.750937
    #   p = P(chi2_1 > 1.750937) = erfc(sqrt(1.750937 / 2)) = 0.185759
    #   Log Ratio with 0.5 for the zero: log2((0.5/7) / (1/5)) = log2(0.357143) = -1.485427
    d = _row(k, "deny")
    assert d.log_odds_z == pytest.approx(-0.714817, abs=1e-5)
    assert d.g2 == pytest.approx(1.750937, abs=1e-5)
    assert d.p_value == pytest.approx(0.185759, abs=1e-5)
    assert d.log_ratio == pytest.approx(-1.485427, abs=1e-5)

    # sorted by z: the most typical of hollywood first, of pakistan last
    assert k["log_odds_z"].is_monotonic_decreasing
    assert k["term"].iloc[-1] == "deny"


def test_keyness_explicit_prior(tokens):
    # alpha0 = 1.2: alpha_actress = 1.2 * 4/12 = 0.4
    #   delta = ln(3.4/(7+1.2-3-0.4)) - ln(1.4/(5+1.2-1-0.4)) = ln(3.4/4.8) - ln(1.4/4.8)
    #         = ln(3.4/1.4) = 0.887303
    #   var = 1/3.4 + 1/1.4 = 1.008403, z = 0.887303 / 1.004193 = 0.883598
    k = keyness(tokens, DOCS, by="region", a="hollywood", min_count=1, prior=1.2)
    a = _row(k, "actress")
    assert a.log_odds == pytest.approx(0.887303, abs=1e-5)
    assert a.log_odds_z == pytest.approx(0.883598, abs=1e-5)
    assert k.attrs["alpha0"] == 1.2


def test_keyness_thresholds_do_not_change_statistics(tokens):
    full = keyness(tokens, DOCS, by="region", a="hollywood", min_count=1)
    # min_count on the total: actress 4, producer 3, accuse 2 remain
    k3 = keyness(tokens, DOCS, by="region", a="hollywood", min_count=2)
    assert sorted(k3["term"]) == ["accuse", "actress", "producer"]
    # rows kept keep the same values: n_a, n_b and the prior use the full vocabulary
    merged = k3.merge(full, on="term", suffixes=("", "_full"))
    assert np.allclose(merged["log_odds_z"], merged["log_odds_z_full"])
    # larger of the two counts >= 2: actress (3) and producer (2)
    k_either = keyness(tokens, DOCS, by="region", a="hollywood", min_count=1, min_group_count=2)
    assert sorted(k_either["term"]) == ["actress", "producer"]
    # in at least 3 documents: only actress (h1, h2, p1)
    assert keyness(tokens, DOCS, by="region", a="hollywood", min_count=1,
                   min_docs=3)["term"].tolist() == ["actress"]


def test_keyness_rest_and_lists():
    texts = {**TEXTS, "b1": "The producer wept."}
    docs = pd.concat([DOCS, pd.DataFrame({"doc_id": ["b1"], "region": ["bollywood"],
                                          "outlet": ["Mid-day"], "year": [2018],
                                          "text": [texts["b1"]]})], ignore_index=True)
    toks = make_tokens(texts)
    rest = keyness(toks, docs, by="region", a="hollywood", min_count=1)
    assert rest.attrs["b"] == "rest" and rest.attrs["n_b"] == 5 + 2
    assert _row(rest, "producer").count_b == 3 and _row(rest, "weep").count_b == 1
    both = keyness(toks, docs, by="region", a="hollywood", b=["pakistan", "bollywood"],
                   min_count=1)
    pd.testing.assert_frame_equal(rest.drop(columns="direction"), both.drop(columns="direction"))
    assert both.attrs["b"] == "pakistan|bollywood"


def test_keyness_on_text_and_pos(tokens):
    k = keyness(tokens, DOCS, by="region", a="hollywood", on="text", min_count=1)
    # surface forms, lower-cased: "accused" not "accuse"
    assert "accused" in set(k["term"]) and "accuse" not in set(k["term"])
    toks = tokens.assign(pos=np.where(tokens["lemma"] == "actress", "PROPN", tokens["pos"]))
    only = keyness(toks, DOCS, by="region", a="hollywood", min_count=1, pos={"PROPN"})
    assert only["term"].tolist() == ["actress"]
    with_stop = keyness(tokens, DOCS, by="region", a="hollywood", min_count=1, drop_stop=False)
    assert _row(with_stop, "the").count_a == 4


def test_keyness_year_as_string_and_docs_from_tokens(tokens):
    # the command line passes strings: "2017" must select the integer year 2017
    k = keyness(tokens, DOCS, by="year", a="2017", min_count=1)
    assert k.attrs["n_a"] == 3                                   # actress accuse producer
    toks = tokens.merge(DOCS[["doc_id", "region"]], on="doc_id")
    pd.testing.assert_frame_equal(keyness(toks, None, "region", "hollywood", min_count=1),
                                  keyness(tokens, DOCS, "region", "hollywood", min_count=1))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"by": "regoin", "a": "hollywood"}, "valid columns: doc_id, region, outlet, year"),
    ({"by": "region", "a": "holywood"}, "valid values of 'region': hollywood, pakistan"),
    ({"by": "region", "a": "hollywood", "b": "hollywood"}, "share documents"),
    ({"by": "region", "a": ["hollywood", "pakistan"]}, "no documents outside"),
])
def test_keyness_errors_name_valid_choices(tokens, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        keyness(tokens, DOCS, **kwargs)


def test_keyness_missing_columns():
    with pytest.raises(ValueError, match="no column.*is_alpha"):
        keyness(pd.DataFrame({"doc_id": ["h1"], "lemma": ["x"]}), DOCS, "region", "hollywood")


def test_term_counts(tokens):
    t = term_counts(tokens)
    assert t.iloc[0].to_dict() == {"term": "actress", "count": 4, "docs": 3,
                                   "freq_per_10k": pytest.approx(4 / 12 * 10_000)}
    assert t["count"].sum() == 12
    p = term_counts(tokens, DOCS, by="region", value="pakistan")
    assert dict(zip(p["term"], p["count"], strict=True)) == {
        "producer": 2, "accuse": 1, "actress": 1, "deny": 1}


# --------------------------------------------------------------------------- keyness properties


@st.composite
def two_group_tokens(draw):
    """Documents in groups x and y, each a list of terms from a small vocabulary."""
    n_docs = draw(st.integers(2, 6))
    groups = draw(st.lists(st.sampled_from(["x", "y"]), min_size=n_docs, max_size=n_docs))
    assume("x" in groups and "y" in groups)
    rows = []
    for d, _ in enumerate(groups):
        terms = draw(st.lists(st.sampled_from(list("abcdef")), min_size=1, max_size=12))
        rows += [{"doc_id": f"d{d}", "sent": 0, "i": i, "text": t, "ws": " ", "lemma": t,
                  "pos": "NOUN", "is_stop": False, "is_alpha": True} for i, t in enumerate(terms)]
    docs = pd.DataFrame({"doc_id": [f"d{d}" for d in range(n_docs)], "group": groups})
    return pd.DataFrame(rows), docs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_group_tokens(), st.one_of(st.none(), st.floats(0.05, 50)))
def test_keyness_properties(data, prior):
    toks, docs = data
    xy = keyness(toks, docs, "group", "x", "y", min_count=0, prior=prior)
    yx = keyness(toks, docs, "group", "y", "x", min_count=0, prior=prior)
    # G2 is never negative, p-values are probabilities
    assert (xy["g2"] >= 0).all() and xy["g2"].notna().all()
    assert xy["p_value"].between(0, 1).all()
    # counts add up: every counted token is in exactly one group
    by_doc_group = toks["doc_id"].map(dict(zip(docs["doc_id"], docs["group"], strict=True)))
    assert xy["count_a"].sum() == (by_doc_group == "x").sum() == xy.attrs["n_a"]
    assert xy["count_b"].sum() == (by_doc_group == "y").sum() == xy.attrs["n_b"]
    raw = toks["lemma"].value_counts()
    assert dict(zip(xy["term"], xy["count_a"] + xy["count_b"], strict=True)) == raw.to_dict()
    # symmetry: swapping a and b swaps the counts and flips the signed measures
    m = xy.merge(yx, on="term", suffixes=("_xy", "_yx"))
    assert len(m) == len(xy) == len(yx)
    assert (m["count_a_xy"] == m["count_b_yx"]).all()
    assert np.allclose(m["log_odds_z_xy"], -m["log_odds_z_yx"], atol=1e-9)
    assert np.allclose(m["log_ratio_xy"], -m["log_ratio_yx"], atol=1e-9)
    assert np.allclose(m["g2_xy"], m["g2_yx"], atol=1e-9)
    # the prior shrinks towards the pooled rate, so z has the sign of the rate difference
    diff = xy["count_a"] / xy.attrs["n_a"] - xy["count_b"] / xy.attrs["n_b"]
    assert ((np.sign(xy["log_odds_z"]) == np.sign(diff)) | (diff.abs() < 1e-12)).all()


# --------------------------------------------------------------------------- collocations

# Content-word stream (stopwords "the", "she" and punctuation removed):
#   c1: harvey accuse woman | deny harvey        (two sentences)
#   c2: claim woman accuse harvey
# N = 9, f(harvey) = 3, f(accuse) = 2, f(woman) = 2, f(deny) = 1, f(claim) = 1.
COLL_TEXTS = {"c1": "Harvey accused the woman. She denied Harvey.",
              "c2": "Claims: the woman accused Harvey."}


def test_collocations_hand_computed():
    toks = make_tokens(COLL_TEXTS)
    c = collocations(toks, "harvey", window=1, min_freq=1, min_node_freq=1)
    # window 1 around each harvey: c1[0] -> accuse (right); c1[4] -> deny (left; the right
    # neighbour would be c2's "claim", another document); c2[3] -> accuse (left).
    # R = 3 window positions; O(accuse) = 2, O(deny) = 1.
    assert c.attrs["window_positions"] == 3 and c.attrs["n_tokens"] == 9
    assert c.attrs["f_node"] == 3
    assert sorted(c["collocate"]) == ["accuse", "deny"]         # no "claim", no "harvey"
    acc = _row(c, "accuse", "collocate")
    # E = R f_c / N = 3 * 2 / 9 = 0.666667
    # logDice = 14 + log2(2*2 / (3+2)) = 14 + log2(0.8) = 13.678072
    # PMI = log2(2 / 0.666667) = log2(3) = 1.584963
    # t = (2 - 0.666667) / sqrt(2) = 0.942809
    # G2 over [[2, 1], [0, 6]] with E = [[0.666667, 2.333333], [1.333333, 4.666667]]:
    #   2 (2 ln 3 + 1 ln(1/2.333333) + 0 + 6 ln(6/4.666667))
    #   = 2 (2.197225 - 0.847298 + 1.507887) = 5.715627
    assert (acc.freq, acc.freq_left, acc.freq_right, acc.freq_collocate) == (2, 1, 1, 2)
    assert acc.expected == pytest.approx(0.666667, abs=1e-6)
    assert acc.log_dice == pytest.approx(13.678072, abs=1e-6)
    assert acc.pmi == pytest.approx(1.584963, abs=1e-6)
    assert acc.t_score == pytest.approx(0.942809, abs=1e-6)
    assert acc.g2 == pytest.approx(5.715627, abs=1e-5)
    deny = _row(c, "deny", "collocate")
    # E = 3 * 1 / 9 = 0.333333; logDice = 14 + log2(2 / 4) = 13; PMI = log2(3);
    # t = (1 - 0.333333) / 1 = 0.666667
    # G2 over [[1, 2], [0, 6]], E = [[0.333333, 2.666667], [0.666667, 5.333333]]:
    #   2 (ln 3 + 2 ln(0.75) + 6 ln(1.125)) = 2 (1.098612 - 0.575364 + 0.706695) = 2.459893
    assert (deny.freq, deny.freq_left, deny.freq_right) == (1, 1, 0)
    assert deny.log_dice == pytest.approx(13.0)
    assert deny.pmi == pytest.approx(math.log2(3))
    assert deny.t_score == pytest.approx(2 / 3)
    assert deny.g2 == pytest.approx(2.459893, abs=1e-5)
    assert c["log_dice"].is_monotonic_decreasing


def test_collocations_sentences_and_min_freq():
    toks = make_tokens(COLL_TEXTS)
    # window 2: woman is within 2 of c1[0] harvey, of c1[4] harvey (across the full stop) and
    # of c2[3] harvey -> 3; within sentences the middle one is lost -> 2
    free = collocations(toks, "harvey", window=2, min_freq=1, min_node_freq=1)
    sent = collocations(toks, "harvey", window=2, min_freq=1, min_node_freq=1,
                        within_sentence=True)
    assert _row(free, "woman", "collocate").freq == 3
    assert _row(sent, "woman", "collocate").freq == 2
    assert (free["freq"] == free["freq_left"] + free["freq_right"]).all()
    assert free["freq"].sum() <= free.attrs["window_positions"]
    # min_freq drops rare collocates
    assert collocations(toks, "harvey", window=2, min_freq=3, min_node_freq=1)[
        "collocate"].tolist() == ["woman"]


def test_collocations_stopword_node_and_rare_node():
    toks = make_tokens(COLL_TEXTS)
    # "she" is a stopword but still works as a node: stream c1 = harvey accuse woman she deny harvey
    c = collocations(toks, "She", window=1, min_freq=1, min_node_freq=1)
    assert sorted(c["collocate"]) == ["deny", "woman"]
    with pytest.warns(UserWarning, match="occurs 1 times"):
        empty = collocations(toks, "she", min_node_freq=3)
    assert empty.empty and list(empty.columns) == list(kn.COLLOCATION_COLUMNS)


@settings(max_examples=40, deadline=None)
@given(two_group_tokens(), st.integers(1, 4))
def test_collocation_properties(data, window):
    toks, _ = data
    assume((toks["lemma"] == "a").any())
    c = collocations(toks, "a", window=window, min_freq=1, min_node_freq=1)
    assert (c["freq"] == c["freq_left"] + c["freq_right"]).all()
    assert c["freq"].sum() <= c.attrs["window_positions"]
    assert ((c["g2"] >= 0) | c["g2"].isna()).all()
    assert "a" not in set(c["collocate"])


# --------------------------------------------------------------------------- KWIC

KWIC_TEXTS = {
    "k1": "The producer denied it.\nThe Producer harassed staff.",
    "k2": "Allegations of harassment: she accused the producer of assault.",
    "k3": "Zeta court. Alpha court. Beta alpha court.",
}
KWIC_DOCS = pd.DataFrame({"doc_id": ["k1", "k2", "k3"],
                          "region": ["pakistan", "bollywood", "hollywood"],
                          "genre": ["news", "opinion", "news"],
                          "text": list(KWIC_TEXTS.values())})


@pytest.fixture()
def ktokens() -> pd.DataFrame:
    return make_tokens(KWIC_TEXTS)


def test_kwic_word_contexts_and_metadata(ktokens):
    k = kwic(ktokens, KWIC_DOCS, "producer", window=3)
    assert list(k.columns) == ["doc_id", "position", "left", "match", "right", "region", "genre"]
    assert "text" not in k.columns
    assert k[["doc_id", "position"]].values.tolist() == [["k1", 1], ["k1", 6], ["k2", 7]]
    first, second = k.iloc[0], k.iloc[1]
    assert (first.left, first.match, first.right) == ("The", "producer", "denied it.")
    # punctuation is a token of context; the newline in the text becomes one space;
    # a case-insensitive match keeps the surface form
    assert (second.left, second.match, second.right) == ("it. The", "Producer",
                                                         "harassed staff.")
    assert kwic(ktokens, KWIC_DOCS, "producer", window=5).iloc[1].left == "producer denied it. The"
    assert k.iloc[2].region == "bollywood"
    assert kwic(ktokens, KWIC_DOCS, "Producer", case_sensitive=True)["position"].tolist() == [6]


@pytest.mark.parametrize(("query", "mode", "expected"), [
    ("accuse", "lemma", ["accused"]),
    ("harass*", "wildcard", ["harassed", "harassment"]),
    ("?eta", "wildcard", ["Zeta", "Beta"]),
    ("ALLEG*", "wildcard", ["Allegations"]),
    (r"harass(ed|ment)", "regex", ["harassed", "harassment"]),
    (r"harass", "regex", []),                                  # regex must match a whole token
    ("accuse the producer", "phrase", ["accused the producer"]),   # lemma or surface per word
    ("allegation of", "phrase", ["Allegations of"]),
    ("alpha court", "word", ["Alpha court", "alpha court"]),
    ("producer deny", "lemma", ["producer denied"]),
])
def test_kwic_modes(ktokens, query, mode, expected):
    assert kwic(ktokens, KWIC_DOCS, query, mode=mode)["match"].tolist() == expected


def test_kwic_phrase_never_spans_documents():
    toks = make_tokens({"a": "It ended with court", "b": "case closed"})
    assert kwic(toks, None, "court case", mode="phrase").empty
    assert len(kwic(toks, None, "case closed", mode="phrase")) == 1


def test_kwic_sorting(ktokens):
    # left: by L1, then L2 ...: "alpha" with L2 "." and "alpha" with L2 "beta", then "zeta"
    left = kwic(ktokens, KWIC_DOCS, "court", window=2, sort="left")
    assert left["left"].tolist() == [". Alpha", "Beta alpha", "Zeta"]
    right = kwic(ktokens, KWIC_DOCS, "court", window=2, sort="right")
    assert right["right"].tolist() == [".", ". Alpha", ". Beta"]
    unsorted = kwic(ktokens, KWIC_DOCS, "court", window=2)
    assert unsorted["position"].tolist() == [1, 4, 8]
    assert kwic(ktokens, KWIC_DOCS, "court", sort="left", limit=1)["left"].tolist() == [
        "Zeta court. Alpha"]
    limited = kwic(ktokens, KWIC_DOCS, "court", limit=2)
    assert len(limited) == 2 and limited.attrs["n_matches"] == 3


def test_kwic_filters(ktokens):
    assert kwic(ktokens, KWIC_DOCS, "producer", filters={"region": "pakistan"})[
        "doc_id"].unique().tolist() == ["k1"]
    both = kwic(ktokens, KWIC_DOCS, "producer", filters={"region": ["pakistan", "bollywood"],
                                                          "genre": "opinion"})
    assert both["doc_id"].tolist() == ["k2"]
    with pytest.raises(ValueError, match="valid values of 'region': bollywood, hollywood, pakistan"):
        kwic(ktokens, KWIC_DOCS, "producer", filters={"region": "lollywood"})
    with pytest.raises(ValueError, match="valid columns: doc_id, region, genre"):
        kwic(ktokens, KWIC_DOCS, "producer", filters={"outlet": "Dawn"})
    with pytest.raises(ValueError, match="documents table"):
        kwic(ktokens, None, "producer", filters={"region": "pakistan"})


def test_kwic_unordered_tokens_and_bad_input(ktokens):
    shuffled = ktokens.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(kwic(shuffled, KWIC_DOCS, "producer"),
                                  kwic(ktokens, KWIC_DOCS, "producer"))
    with pytest.raises(ValueError, match="invalid regular expression"):
        kwic(ktokens, KWIC_DOCS, "harass(", mode="regex")
    with pytest.raises(ValueError, match="mode must be one of"):
        kwic(ktokens, KWIC_DOCS, "x", mode="fuzzy")
    with pytest.raises(ValueError, match="empty"):
        kwic(ktokens, KWIC_DOCS, "   ")
    none = kwic(ktokens, KWIC_DOCS, "nonexistent")
    assert none.empty and list(none.columns[:5]) == list(kn.KWIC_COLUMNS)


XSS_TEXT = ('Reports quoted <script>alert(1)</script> and <img src=x onerror="alert(2)"> '
            "in the court & the press.")


def _xss_lines() -> pd.DataFrame:
    toks = make_tokens({"x1": XSS_TEXT})
    docs = pd.DataFrame({"doc_id": ["x1"], "region": ["<b>pk</b>"], "text": [XSS_TEXT]})
    return kwic(toks, docs, "court", window=40)


def test_kwic_html_escapes_everything():
    lines = _xss_lines()
    assert "<script>alert(1)</script>" in lines["left"].iloc[0]
    out = kwic_html(lines, meta=("doc_id", "region"))
    assert "<script" not in out.lower() and "<img" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "onerror=&quot;alert(2)&quot;" in out
    assert "&amp; the press." in out and "&lt;b&gt;pk&lt;/b&gt;" in out
    assert '<td class="kwic-match"><mark>court</mark></td>' in out
    assert "text-align:right" in out
    assert kwic_html(lines.iloc[:0]) == '<p class="kwic-note">No matches.</p>'


def test_kwic_html_notes_truncation(ktokens):
    k = kwic(ktokens, KWIC_DOCS, "court")
    out = kwic_html(k, max_rows=2)
    assert out.count("<tr>") == 3 and "Showing 2 of 3 lines." in out


def test_format_kwic_aligns_and_sanitises(ktokens):
    text = format_kwic(kwic(ktokens, KWIC_DOCS, "court", window=3), width=20)
    lines = text.splitlines()
    starts = {line.index("court", 4 + 20) for line in lines}   # after "kN  " and the left column
    assert starts == {4 + 20 + 2}
    assert lines[0] == "k3  " + "Zeta".rjust(20) + "  court  . Alpha court"
    frame = pd.DataFrame({"doc_id": ["d\x1b"], "position": [0], "left": ["a\x1b[2J" + "x" * 50],
                          "match": ["m\u202e"], "right": ["r" * 50]})
    out = format_kwic(frame, width=10)
    assert "\x1b" not in out and "\u202e" not in out
    assert out == "d   " + "\u2026" + "x" * 9 + "  m   " + "r" * 9 + "\u2026"
    assert format_kwic(frame.iloc[:0]) == "No matches."


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.mark.browser
def test_kwic_html_in_headless_chromium(tmp_path):
    binary = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    driver_path = str(CHROMEDRIVER) if CHROMEDRIVER.exists() else shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.skip("headless Chromium not available: need /usr/bin/chromium and "
                    "/usr/bin/chromedriver (run 'make browser' as root to install them)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    page = tmp_path / "kwic.html"
    page.write_text('<!doctype html><html><head><meta charset="utf-8"><title>kwic</title>'
                    f"</head><body>{kwic_html(_xss_lines())}</body></html>", encoding="utf-8")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-extensions", "--no-first-run",
                "--disable-sync", "--disable-default-apps", "--user-data-dir=" + str(tmp_path / "p")):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        driver.set_page_load_timeout(30)
        driver.get(page.as_uri())
        with pytest.raises(NoAlertPresentException):            # no alert(1) / alert(2) ran
            _ = driver.switch_to.alert.text
        assert driver.execute_script("return document.querySelectorAll('script, img').length") == 0
        visible = driver.find_element(By.CSS_SELECTOR, "table.kwic").text
        assert "<script>alert(1)</script>" in visible
        assert 'onerror="alert(2)">' in visible
        mark = driver.find_element(By.CSS_SELECTOR, "td.kwic-match mark")
        assert mark.text == "court"
        left = driver.find_element(By.CSS_SELECTOR, "td.kwic-left")
        assert left.value_of_css_property("text-align") == "right"
    finally:
        driver.quit()


# --------------------------------------------------------------------------- command line


@pytest.fixture()
def cli_corpus(tmp_path, monkeypatch) -> Path:
    """A CSV corpus on disk and a stand-in for analysis.preprocess (tokens without spaCy)."""
    path = tmp_path / "mini.csv"
    pd.DataFrame({"doc_id": list(TEXTS) + ["b1"],
                  "region": ["hollywood", "hollywood", "pakistan", "bollywood"],
                  "text": list(TEXTS.values()) + ["The producer wept."]}).to_csv(path, index=False)
    fake = types.ModuleType("analysis.preprocess")
    fake.tokens = lambda corpus: make_tokens(dict(zip(corpus.docs["doc_id"], corpus.docs["text"],
                                                      strict=True)))
    monkeypatch.setitem(sys.modules, "analysis.preprocess", fake)
    monkeypatch.setattr(cli, "_EXTRA_COMMANDS", [register_cli])
    return path


def test_cli_keyness_writes_csv(cli_corpus, tmp_path, capsys):
    out = tmp_path / "out"
    status = cli.main(["keyness", "--corpus", str(cli_corpus), "--by", "region", "--a",
                       "hollywood", "--b", "pakistan", "--out", str(out), "--min-count", "1"])
    assert status == 0, capsys.readouterr().err
    table = pd.read_csv(out / "keyness.csv")
    assert list(table.columns[:6]) == ["term", "count_a", "count_b", "log_odds_z", "g2",
                                       "log_ratio"]
    assert _row(table, "actress").log_odds_z == pytest.approx(0.574636, abs=1e-5)
    assert not list(out.glob(".keyness*"))                       # no temporary file left
    printed = capsys.readouterr().out
    assert "most typical of hollywood: actress" in printed


@pytest.mark.parametrize(("args", "message"), [
    (["--by", "regoin", "--a", "x"], "valid columns: doc_id, region"),
    (["--by", "region", "--a", "holywood"], "valid values of 'region': bollywood, hollywood"),
    (["--by", "region", "--a", "hollywood", "--b", "pakistn"], "pakistan"),
    (["--by", "region", "--a", "hollywood", "--b", "hollywood"], "same documents"),
])
def test_cli_keyness_usage_errors(cli_corpus, tmp_path, capsys, args, message):
    status = cli.main(["keyness", "--corpus", str(cli_corpus), "--out", str(tmp_path), *args])
    assert status == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "keyness.csv").exists()


def test_cli_kwic(cli_corpus, capsys):
    status = cli.main(["kwic", "--corpus", str(cli_corpus), "--query", "producer",
                       "--window", "2", "--by", "region", "--value", "pakistan"])
    assert status == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2 match(es) for 'producer' (word); showing 2"
    assert len(out) == 3 and all(line.startswith("p1") for line in out[1:])
    assert len({line.index("producer") for line in out[1:]}) == 1      # aligned
    assert cli.main(["kwic", "--corpus", str(cli_corpus), "--query", "x", "--by", "region"]) == 2
    assert "--by and --value go together" in capsys.readouterr().err


# --------------------------------------------------------------------------- docstrings


def test_docstring_examples_run():
    result = doctest.testmod(kn, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0
