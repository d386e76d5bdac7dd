"""Clause-scoped context rules (``"clause": true`` in a frame pattern file), on invented sentences."""

from __future__ import annotations

import pytest

from analysis import frame_patterns
from analysis.errors import LexiconError


def _rule(clause: bool) -> frame_patterns.Rule:
    data = {"frame": "f", "rules": [{"id": "r", "cue": [[{"LEMMA": "slam"}]], "near": [[{"LEMMA": "lie"}]],
                                     "window": 6, "clause": clause}]}
    return frame_patterns.parse_rules(data, "f.json")[0]


def _decide(rule: frame_patterns.Rule, lemmas: list[str], cue: int, near: int) -> list:
    return frame_patterns.decide([("f|r", cue, cue + 1)], {"near|f|r": [(near, near + 1)]}, [rule],
                                 [0] * len(lemmas), lemmas)


def test_clause_rule_fires_within_its_clause() -> None:
    lemmas = ["he", "slam", "the", "report", "as", "lie"]
    assert _decide(_rule(True), lemmas, 1, 5) == [("f", "r", 1, 2)]


@pytest.mark.parametrize("brk", [",", ";", ":", "but", "however", "—"])
def test_clause_break_between_cue_and_context_vetoes(brk: str) -> None:
    lemmas = ["he", "slam", "the", "show", brk, "a", "lie"]
    assert _decide(_rule(True), lemmas, 1, 6) == []
    assert _decide(_rule(False), lemmas, 1, 6) == [("f", "r", 1, 2)]          # default: the window only


def test_context_before_the_cue_and_brackets() -> None:
    before = ["a", "lie", ",", "they", "slam"]
    assert _decide(_rule(True), before, 4, 1) == []
    bracket = ["slam", "the", "(", "new", ")", "lie"]                         # brackets hold an aside
    assert _decide(_rule(True), bracket, 0, 5) == [("f", "r", 0, 1)]


def test_clause_must_be_boolean() -> None:
    data = {"frame": "f", "rules": [{"id": "r", "cue": [[{"LEMMA": "slam"}]], "clause": "yes"}]}
    with pytest.raises(LexiconError, match="'clause' must be true or false"):
        frame_patterns.parse_rules(data, "f.json")
    assert frame_patterns.parse_rules({"frame": "f", "rules": [{"id": "r", "cue": [[{"LEMMA": "x"}]]}]},
                                      "f.json")[0].clause is False
