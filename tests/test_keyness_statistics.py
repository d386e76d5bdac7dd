"""Tests for analysis.keyness.statistics: hand-checked keyness measures and their properties.

Token tables are built with the regex tokeniser of analysis.keyness.example
(no spaCy, no teaching corpus): every statistic is compared with a value
worked out by hand in the comments next to it. The shared test data (TEXTS,
DOCS, make_tokens, two_group_tokens) live here and are imported by the other
tests/test_keyness_*.py files.
"""

from __future__ import annotations

import doctest
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.errors import DataTooSmallError, UsageError
from analysis.keyness import keyness, statistics, term_counts
from analysis.keyness.example import regex_tokens
from analysis.keyness.statistics import log_likelihood_g2, log_odds_dirichlet, log_ratio

STOP = frozenset({"the", "a", "and", "it", "she", "he", "him", "to", "was", "of"})
LEMMAS = {"accused": "accuse", "spoke": "speak", "wept": "weep", "denied": "deny",
          "claims": "claim", "allegations": "allegation", "harassed": "harass"}


def make_tokens(texts: dict[str, str], lemmas: dict[str, str] = LEMMAS,
                stop: frozenset[str] = STOP) -> pd.DataFrame:
    """A token table in the shape of analysis.preprocess.tokens(), from plain texts."""
    return regex_tokens(texts, lemmas=lemmas, stop=stop)


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


def row(frame: pd.DataFrame, term: str, column: str = "term") -> pd.Series:
    """The one row of ``frame`` whose ``column`` is ``term``."""
    hits = frame[frame[column] == term]
    assert len(hits) == 1, f"{term!r} not (uniquely) in {frame[column].tolist()}"
    return hits.iloc[0]


# --------------------------------------------------------------------------- keyness by hand


def test_keyness_hand_computed(tokens):
    k = keyness(tokens, DOCS, by="region", a="hollywood", b="pakistan", min_count=1)
    assert list(k.columns[:6]) == ["term", "count_a", "count_b", "log_odds_z", "g2", "log_ratio"]
    assert list(k.columns) == ["term", "count_a", "count_b", "log_odds_z", "g2", "log_ratio",
                               "freq_per_10k_a", "freq_per_10k_b", "docs_a", "docs_b",
                               "log_odds", "p_value", "direction"]
    assert (k.attrs["n_a"], k.attrs["n_b"], k.attrs["alpha0"]) == (7, 5, 12.0)

    # actress: y_a = 3, y_b = 1; default prior alpha0 = n = 12, alpha_w = 12 * 4/12 = 4
    #   delta = ln((3+4)/(7+12-3-4)) - ln((1+4)/(5+12-1-4)) = ln(7/12) - ln(5/12) = ln(1.4)
    #         = 0.336472
    #   var = 1/7 + 1/5 = 0.342857, z = 0.336472 / 0.585540 = 0.574636
    #   G2: E_a = 7*4/12 = 2.333333, E_b = 5*4/12 = 1.666667
    #       2 (3 ln(3/2.333333) + 1 ln(1/1.666667)) = 2 (0.753943 - 0.510826) = 0.486235
    #   Log Ratio = log2((3/7) / (1/5)) = log2(2.142857) = 1.099536
    a = row(k, "actress")
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
    p = row(k, "producer")
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
    d = row(k, "deny")
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
    a = row(k, "actress")
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
    assert row(rest, "producer").count_b == 3 and row(rest, "weep").count_b == 1
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
    assert row(with_stop, "the").count_a == 4


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
    with pytest.raises(UsageError, match=re.escape(message)):
        keyness(tokens, DOCS, **kwargs)


def test_keyness_missing_columns_and_empty_group(tokens):
    with pytest.raises(UsageError, match=r"token table: required column\(s\) 'is_alpha' missing "
                       r"\(found: doc_id, lemma\); token tables come from"):
        keyness(pd.DataFrame({"doc_id": ["h1"], "lemma": ["x"]}), DOCS, "region", "hollywood")
    # every token of pakistan is a stopword: group b has nothing to count
    stopped = tokens.assign(is_stop=tokens["is_stop"] | (tokens["doc_id"] == "p1"))
    with pytest.raises(DataTooSmallError, match=r"group b \(region == 'rest'\) has no tokens"):
        keyness(stopped, DOCS, "region", "hollywood")
    with pytest.raises(UsageError, match="prior"):
        log_odds_dirichlet(np.array([1, 2]), np.array([3, 4]), prior=0)


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


# --------------------------------------------------------------------------- the measures directly

#: Counts of a vocabulary in groups a and b; every term occurs somewhere (keyness() passes only
#: such terms; a term absent from both groups has no log-odds, 0/0).
counts = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).filter(lambda t: sum(t) > 0),
                  min_size=2, max_size=12)


@settings(max_examples=80, deadline=None)
@given(counts, st.one_of(st.none(), st.floats(0.05, 100)))
def test_measures_properties(pairs, prior):
    y_a = np.array([a for a, _ in pairs])
    y_b = np.array([b for _, b in pairs])
    assume(y_a.sum() > 0 and y_b.sum() > 0)
    n_a, n_b = y_a.sum(), y_b.sum()
    d_ab, z_ab = log_odds_dirichlet(y_a, y_b, prior)
    d_ba, z_ba = log_odds_dirichlet(y_b, y_a, prior)
    # swapping a and b flips the sign of the log-odds, its z and the Log Ratio; G2 stays
    assert np.allclose(d_ab, -d_ba, atol=1e-9) and np.allclose(z_ab, -z_ba, atol=1e-9)
    lr = log_ratio(y_a, y_b, n_a, n_b)
    assert np.allclose(lr, -log_ratio(y_b, y_a, n_b, n_a), atol=1e-9)
    g2, p = log_likelihood_g2(y_a, y_b, n_a, n_b)
    g2_ba, _ = log_likelihood_g2(y_b, y_a, n_b, n_a)
    assert (g2 >= 0).all() and np.allclose(g2, g2_ba, atol=1e-9)
    assert ((p >= 0) & (p <= 1)).all()
    # G2 by its definition, 2 sum O ln(O/E) with 0 ln 0 = 0 (Rayson & Garside 2000)
    for ya, yb, value in zip(y_a, y_b, g2, strict=True):
        e_a, e_b = n_a * (ya + yb) / (n_a + n_b), n_b * (ya + yb) / (n_a + n_b)
        expected = 2 * sum(o * math.log(o / e) for o, e in ((ya, e_a), (yb, e_b)) if o > 0)
        assert value == pytest.approx(expected, abs=1e-7)
    # Log Ratio by its definition, with 0.5 for a zero count (Hardie 2014)
    for ya, yb, value in zip(y_a, y_b, lr, strict=True):
        assert value == pytest.approx(math.log2(((ya or 0.5) / n_a) / ((yb or 0.5) / n_b)))
    # the prior shrinks towards the pooled rate: z has the sign of the rate difference
    diff = y_a / n_a - y_b / n_b
    assert ((np.sign(z_ab) == np.sign(diff)) | (np.abs(diff) < 1e-12)).all()


def test_measures_hand_computed_without_the_table():
    # two terms, a = [3, 1], b = [0, 2]: n_a = 4, n_b = 2, default alpha0 = 6, alpha = [3, 3]
    #   term 1: delta = ln(6/(4+6-3-3)) - ln(3/(2+6-0-3)) = ln(1.5) - ln(0.6) = ln(2.5) = 0.916291
    #   var = 1/6 + 1/3 = 0.5, z = 0.916291 / 0.707107 = 1.295831
    d, z = log_odds_dirichlet(np.array([3, 1]), np.array([0, 2]))
    assert d[0] == pytest.approx(0.916291, abs=1e-6) and z[0] == pytest.approx(1.295831, abs=1e-6)
    # a one-term vocabulary: both distributions are the same, 0 rather than inf - inf
    assert log_odds_dirichlet(np.array([3]), np.array([5]))[1].tolist() == [0.0]
    g2, p = log_likelihood_g2(np.array([]), np.array([]), 1, 1)
    assert g2.size == 0 and p.size == 0


def test_docstring_examples_run():
    result = doctest.testmod(statistics, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8 and result.failed == 0
