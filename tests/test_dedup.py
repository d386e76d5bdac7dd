"""Exact and near-duplicate detection."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.dedup import find_duplicates, normalise, shingles
from analysis.errors import UsageError

_WORDS = ("court police actor singer film studio complaint statement lawyer hearing city week month "
          "channel anchor producer director shoot rehearsal press meet post online support protest").split()


def _story(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(_WORDS) for _ in range(n)) + "."


def test_normalise_and_shingles():
    assert normalise("A  b,\nC!") == "a b c"
    assert shingles("", 3) == set()
    assert shingles("one two", 3) == {"one two"}
    assert len(shingles("a b c d e", 2)) == 4


def test_exact_duplicates_point_to_the_smallest_id():
    text = _story(1)
    out = find_duplicates({"z": text, "m": text.upper(), "a": text + "  ", "q": _story(2)})
    assert out.doc_id.tolist() == ["a", "m", "q", "z"]
    assert out.exact_duplicate_of.tolist() == ["", "a", "", "a"]
    assert out.near_duplicate_cluster.tolist() == ["a", "a", "", "a"]


def test_near_duplicate_wire_story_forms_one_cluster():
    base = _story(3).split()
    one_word_changed = base.copy()
    one_word_changed[60] = "zzz"
    headline_added = ["Outlet", "headline"] + base
    texts = {"w-2": " ".join(one_word_changed), "w-1": " ".join(headline_added), "w-3": " ".join(base),
             "other": _story(4)}
    out = find_duplicates(texts, threshold=0.8).set_index("doc_id")
    assert out.loc[["w-1", "w-2", "w-3"], "near_duplicate_cluster"].tolist() == ["w-1"] * 3
    assert out.loc["other", "near_duplicate_cluster"] == ""
    assert (out.exact_duplicate_of == "").all()


def test_threshold_one_keeps_only_identical_shingle_sets():
    base = _story(5).split()
    changed = base[:60] + ["zzz"] + base[61:]
    out = find_duplicates({"a": " ".join(base), "b": " ".join(changed)}, threshold=1.0)
    assert out.near_duplicate_cluster.tolist() == ["", ""]


def test_different_stories_are_not_clustered():
    out = find_duplicates({f"d{i}": _story(100 + i) for i in range(20)})
    assert (out.near_duplicate_cluster == "").all()


def test_empty_texts_are_never_duplicates():
    out = find_duplicates({"a": "", "b": "", "c": "!!"})
    assert (out.exact_duplicate_of == "").all() and (out.near_duplicate_cluster == "").all()


@pytest.mark.parametrize("kwargs", [{"threshold": 0}, {"threshold": 1.5}, {"num_perm": 2}])
def test_bad_arguments(kwargs):
    with pytest.raises(UsageError):
        find_duplicates({"a": "x"}, **kwargs)


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from([_story(7), _story(8), _story(9), ""]),
                       min_size=1))
def test_clusters_are_order_independent_and_named_by_smallest_member(texts):
    out = find_duplicates(texts)
    again = find_duplicates(dict(reversed(list(texts.items()))))
    assert out.equals(again)
    for cluster, group in out[out.near_duplicate_cluster != ""].groupby("near_duplicate_cluster"):
        assert cluster == min(group.doc_id) and len(group) >= 2
    for _, row in out[out.exact_duplicate_of != ""].iterrows():
        assert row.exact_duplicate_of < row.doc_id
        assert normalise(texts[row.exact_duplicate_of]) == normalise(texts[row.doc_id])
