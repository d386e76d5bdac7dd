"""Tests for analysis.selection: documents by metadata, required columns, messages that say what to do."""

from __future__ import annotations

import doctest
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import selection
from analysis.errors import CorpusError, UsageError
from analysis.selection import as_list, group_label, require_columns, select_docs, valid_values

DOCS = pd.DataFrame({
    "doc_id": ["h1", "h2", "p1", "b1"],
    "region": ["hollywood", "hollywood", "pakistan", None],
    "year": [2017, 2018, 2018, 2019],
    "date": pd.to_datetime(["2017-10-05", "2018-01-02", "2018-03-04", "2019-05-06"]),
    "text": ["a", "b", "c", "d"],
})


def test_select_docs_values_lists_and_strings():
    assert select_docs(DOCS, "region", "hollywood").tolist() == [True, True, False, False]
    assert select_docs(DOCS, "region", ["pakistan", "hollywood"]).tolist() == [True, True, True,
                                                                               False]
    # "2018" from the command line selects the integer year; 2018 works too
    assert select_docs(DOCS, "year", "2018").tolist() == [False, True, True, False]
    assert select_docs(DOCS, "year", 2018).tolist() == [False, True, True, False]
    # a datetime column against a string does not raise; it matches the text form
    assert select_docs(DOCS, "date", "2019-05-06").tolist() == [False, False, False, True]


@pytest.mark.parametrize(("by", "value", "message"), [
    ("regoin", "x", "no metadata column 'regoin'; valid columns: doc_id, region, year, date"),
    ("text", "a", "no metadata column 'text'"),
    ("region", "lollywood", "no document has region == 'lollywood'; valid values of 'region': "
                            "hollywood, pakistan"),
    ("region", ["hollywood", "lollywood"], "no document has region == 'lollywood'"),
])
def test_select_docs_errors_list_the_choices(by, value, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        select_docs(DOCS, by, value)


def test_require_columns():
    frame = pd.DataFrame({"_row": [2], "doc_id": ["a"], "date": ["2018-01-01"]})
    require_columns(frame, ["doc_id"], "documents.csv row 1")            # nothing missing
    with pytest.raises(CorpusError) as info:
        require_columns(frame, ["doc_id", "region"], "documents.csv row 1",
                        fix="add them to the header", error=CorpusError)
    assert str(info.value) == ("documents.csv row 1: required column(s) 'region' missing "
                               "(found: doc_id, date); add them to the header")
    with pytest.raises(UsageError, match=r"^token table: required column\(s\) 'i', 'ws' missing "
                                         r"\(found: none\)$"):
        require_columns(pd.DataFrame(), ["i", "ws"], "token table")


def test_labels_and_value_lists():
    assert as_list(("a", "b")) == ["a", "b"] and as_list(None) == [None]
    assert group_label(["pakistan", "bollywood"]) == "pakistan|bollywood"
    assert valid_values(pd.Series([f"v{i:02d}" for i in range(40)]), limit=3) == (
        "v00, v01, v02, ... (40 in all)")


@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=20),
       st.sets(st.sampled_from(["a", "b", "c"]), min_size=1))
def test_select_docs_is_membership(values, chosen):
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(values))], "g": values})
    present = [v for v in sorted(chosen) if v in values]
    if len(present) < len(chosen):
        with pytest.raises(UsageError, match="valid values of 'g'"):
            select_docs(docs, "g", sorted(chosen))
        return
    assert select_docs(docs, "g", sorted(chosen)).tolist() == [v in chosen for v in values]


def test_docstring_examples_run():
    result = doctest.testmod(selection, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0
