"""Language identification (py3langid, offline)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import CorpusWarning, UsageError
from analysis.language import flag_languages, identify

EN = "The singer said in a statement on Monday that the allegations against him were false."
DE = "Der Sänger sagte am Montag in einer Erklärung, dass die Vorwürfe gegen ihn falsch seien."
FR = "Le chanteur a déclaré lundi dans un communiqué que les accusations portées contre lui étaient fausses."
UR = "گلوکار نے پیر کو ایک بیان میں کہا کہ ان پر لگائے گئے الزامات جھوٹے ہیں۔"


@pytest.mark.parametrize(("text", "code"), [(EN, "en"), (DE, "de"), (FR, "fr"), (UR, "ur")])
def test_identify_known_languages(text, code):
    found, prob = identify(text)
    assert found == code
    assert 0.5 < prob <= 1.0


def test_no_letters_is_undetermined():
    assert identify("") == ("und", 0.0)
    assert identify("2019 -- 12 / 34") == ("und", 0.0)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_probability_is_a_probability(text):
    code, prob = identify(text)
    assert isinstance(code, str) and code
    assert 0.0 <= prob <= 1.0


def test_flag_languages_warns_and_flags():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [EN, DE, ""]})
    with pytest.warns(CorpusWarning, match="2 document"):
        out = flag_languages(docs)
    assert out.columns.tolist() == ["doc_id", "language", "probability", "is_expected"]
    assert out.is_expected.tolist() == [True, False, False]
    assert out.language.tolist()[:2] == ["en", "de"]


def test_flag_languages_min_prob_one_flags_everything_uncertain():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["ok"]})
    with pytest.warns(CorpusWarning):
        assert not flag_languages(docs, min_prob=1.0).is_expected.any()


def test_flag_languages_bad_arguments():
    with pytest.raises(UsageError, match="min_prob"):
        flag_languages(pd.DataFrame({"doc_id": [], "text": []}), min_prob=2)
    with pytest.raises(UsageError, match="'text'"):
        flag_languages(pd.DataFrame({"doc_id": ["a"]}))
