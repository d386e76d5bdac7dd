"""Tests for analysis.keyness.concordance: KWIC search modes, filters, sorting and limits."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from analysis.errors import UsageError
from analysis.keyness import concordance, kwic
from tests.test_keyness_statistics import make_tokens

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
    with pytest.raises(UsageError, match="valid values of 'region': bollywood, hollywood, pakistan"):
        kwic(ktokens, KWIC_DOCS, "producer", filters={"region": "lollywood"})
    with pytest.raises(UsageError, match="valid columns: doc_id, region, genre"):
        kwic(ktokens, KWIC_DOCS, "producer", filters={"outlet": "Dawn"})
    with pytest.raises(UsageError, match="documents table"):
        kwic(ktokens, None, "producer", filters={"region": "pakistan"})


def test_kwic_unordered_tokens_and_bad_input(ktokens):
    shuffled = ktokens.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(kwic(shuffled, KWIC_DOCS, "producer"),
                                  kwic(ktokens, KWIC_DOCS, "producer"))
    with pytest.raises(UsageError, match="invalid regular expression"):
        kwic(ktokens, KWIC_DOCS, "harass(", mode="regex")
    with pytest.raises(UsageError, match="mode must be one of"):
        kwic(ktokens, KWIC_DOCS, "x", mode="fuzzy")
    with pytest.raises(UsageError, match="empty"):
        kwic(ktokens, KWIC_DOCS, "   ")
    none = kwic(ktokens, KWIC_DOCS, "nonexistent")
    assert none.empty and list(none.columns[:5]) == ["doc_id", "position", "left", "match", "right"]


def test_kwic_bad_window_and_sort(ktokens):
    with pytest.raises(UsageError, match="window must be >= 0, not -1"):
        kwic(ktokens, KWIC_DOCS, "court", window=-1)
    with pytest.raises(UsageError, match="sort must be None, 'left' or 'right', not 'middle'"):
        kwic(ktokens, KWIC_DOCS, "court", sort="middle")
    with pytest.raises(UsageError, match="'lemma' missing"):
        kwic(ktokens.drop(columns="lemma"), KWIC_DOCS, "accuse", mode="lemma")
    # window 0: the match alone
    bare = kwic(ktokens, KWIC_DOCS, "court", window=0)
    assert (bare["left"] == "").all() and (bare["right"] == "").all()


def test_docstring_examples_run():
    result = doctest.testmod(concordance, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0
