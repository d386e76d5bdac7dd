"""Tests for analysis.keyness.collocation: logDice, PMI, t-score and G2 worked out by hand."""

from __future__ import annotations

import doctest
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis.errors import UsageError
from analysis.keyness import collocation, collocations
from tests.test_keyness_statistics import make_tokens, row, two_group_tokens

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
    acc = row(c, "accuse", "collocate")
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
    deny = row(c, "deny", "collocate")
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
    assert row(free, "woman", "collocate").freq == 3
    assert row(sent, "woman", "collocate").freq == 2
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
    assert empty.empty and list(empty.columns) == ["collocate", "freq", "freq_left",
                                                     "freq_right", "freq_collocate", "expected",
                                                     "log_dice", "pmi", "t_score", "g2"]


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


def test_collocations_bad_window_and_unordered_tokens():
    toks = make_tokens(COLL_TEXTS)
    with pytest.raises(UsageError, match="window must be at least 1, not 0"):
        collocations(toks, "harvey", window=0)
    with pytest.raises(UsageError, match="'sent' missing"):
        collocations(toks.drop(columns="sent"), "harvey", within_sentence=True)
    # rows in any order give the same table: windows follow the token index i
    shuffled = toks.sample(frac=1, random_state=3)
    a = collocations(shuffled, "harvey", window=2, min_freq=1, min_node_freq=1)
    b = collocations(toks, "harvey", window=2, min_freq=1, min_node_freq=1)
    assert a.equals(b) and a.attrs == b.attrs


def test_docstring_examples_run():
    result = doctest.testmod(collocation, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3 and result.failed == 0
