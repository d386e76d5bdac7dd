"""The prefiltered frame matcher gives exactly the tables of the per-document matcher.

``framing.score(prefilter=True)`` (the default) matches only the sentences where a lexicon entry or a
rule cue could match, derived from the lexicons and pattern files; ``prefilter=False`` runs every
pattern on every token of every document. Both must give identical ``doc_frames`` and evidence: on the
teaching corpus (built-in frames and the attribution measure) and on generated token tables with
negation, sentence boundaries, optional and repeated pattern tokens, and contexts that run into the
next sentence.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import frame_patterns, framing, preprocess, reporting


def _both(corpus, tok, frames=None, **kw):
    fast = framing.score(corpus, tok, frames, prefilter=True, **kw)
    slow = framing.score(corpus, tok, frames, prefilter=False, **kw)
    return fast, slow


def _assert_same(fast, slow):
    pd.testing.assert_frame_equal(fast[0], slow[0])
    pd.testing.assert_frame_equal(fast[1], slow[1])


@pytest.fixture(scope="module")
def teaching_tokens(teaching):
    return preprocess.tokens(teaching, progress=False)


def test_teaching_corpus_frames_identical(teaching, teaching_tokens):
    fast, slow = _both(teaching, teaching_tokens, classifiers={})
    _assert_same(fast, slow)
    assert len(fast[1]) > 100 and set(fast[1]["rule"]) - {"lexicon"}     # rules and lexicon both fire


def test_teaching_corpus_without_negation_and_attribution_identical(teaching, teaching_tokens):
    _assert_same(*_both(teaching, teaching_tokens, negation=False, classifiers={}))
    frame = reporting.attribution_frame()
    rules = frame_patterns.rules_for({frame.id: frame})
    fast, slow = _both(teaching, teaching_tokens, {frame.id: frame}, rules=rules, negation=False)
    _assert_same(fast, slow)
    assert len(fast[1]) > 0


def test_teaching_chunks_in_shuffled_document_order_identical(teaching, teaching_tokens):
    ids = list(teaching.docs["doc_id"])[:40]
    part = teaching_tokens[teaching_tokens["doc_id"].isin(ids)]
    order = part.groupby("doc_id", sort=False).ngroup().map(lambda k: (k * 7) % 40)
    mixed = part.iloc[order.argsort(kind="stable").to_numpy()[::-1]]      # rows of a document still together
    sub = dataclasses.replace(teaching, docs=teaching.docs[teaching.docs["doc_id"].isin(ids)])
    _assert_same(*_both(sub, mixed, classifiers={}))


def test_requirements_and_lengths():
    assert frame_patterns.token_requirements([{"LOWER": "a", "OP": "?"}, {"ORTH": "B", "OP": "+"}]) == \
        (("text", frozenset({"B"})),)
    assert frame_patterns.token_requirements([{"POS": "NOUN"}]) == ()
    assert frame_patterns.token_requirements([{"ENT_TYPE": "PERSON"}]) is None
    assert frame_patterns.max_length([{"LOWER": "a"}, {"OP": "{2,3}"}]) == 4
    assert frame_patterns.max_length([{"LOWER": "a"}, {"OP": "*"}]) is None
    rule = frame_patterns.Rule("f", "r", (json.dumps([{"IS_SENT_START": True}]),))
    assert frame_patterns.prefilter(["x"], [rule]) is None            # such a rule runs on whole documents


# --------------------------------------------------------------------------- generated token tables

WORDS = ["a", "b", "c", "d", "not", "never", "no", "only", "more", ",", "but", ".", "the"]
RULES = {"f": [{"id": "opt", "cue": [[{"LEMMA": "a"}, {"LOWER": "b", "OP": "?"}]]},
               {"id": "plus", "cue": [[{"LEMMA": "c"}, {"LEMMA": "d", "OP": "+"}]], "negation": False},
               {"id": "star", "cue": [[{"LOWER": {"IN": ["b", "c"]}}, {"POS": "NOUN", "OP": "*"},
                                       {"LEMMA": "d"}]]},
               {"id": "near2", "cue": [[{"LEMMA": "d"}]], "near": [[{"LEMMA": "a"}, {"LEMMA": "b"}]],
                "window": 3},
               {"id": "veto", "cue": [[{"LEMMA": "b"}]], "unless": [[{"LEMMA": "the"}, {"LEMMA": "c"}]]}],
         "g": []}
#: Rules that make every sentence a candidate (a cue of part of speech only) or keep whole documents
#: (a context with no longest match); the bounded rules above keep two tokens after a sentence.
WIDE = {"g": [{"id": "far", "cue": [[{"POS": "VERB"}, {"LEMMA": "a"}]], "near": [[{"LEMMA": "c", "OP": "+"}]]},
              {"id": "posonly", "cue": [[{"POS": "ADJ"}]]}]}


def _frames() -> dict[str, framing.Frame]:
    return {"f": framing.Frame("f", "F", "d", terms=("a", "d"), phrases=("c d", "b . a")),
            "g": framing.Frame("g", "G", "d", terms=("b",), phrases=("d d d",))}


def _rules(wide: bool = False) -> dict:
    rules = {**RULES, **WIDE} if wide else RULES
    return {fid: frame_patterns.parse_rules({"frame": fid, "rules": rs}, f"{fid}.json") for fid, rs in rules.items()
            if rs}


token = st.tuples(st.sampled_from(WORDS), st.booleans(), st.sampled_from(["NOUN", "VERB", "ADJ"]),
                  st.sampled_from([" ", "", "\n"]))
sentence = st.lists(token, min_size=1, max_size=9)
document = st.lists(sentence, min_size=1, max_size=5)


def _table(docs: list, repeating: bool) -> pd.DataFrame:
    rows = []
    for d, doc in enumerate(docs):
        for s, sent in enumerate(doc):
            number = s % 2 if repeating and d == 0 else s          # sentence numbers 0, 1, 0, 1 in one doc
            for word, upper, pos, ws in sent:
                text = word.upper() if upper else word
                rows.append({"doc_id": f"d{d}", "sent": number, "text": text, "ws": ws, "lemma": word,
                             "pos": pos, "is_alpha": text.isalpha()})
    return pd.DataFrame(rows)


def _doc(*sentences: str) -> list:
    return [[(w, False, "NOUN", " ") for w in s.split()] for s in sentences]


@pytest.mark.parametrize("docs, repeating", [
    ([_doc("the d a", "b c")], False),             # a near context that runs into the next sentence
    ([_doc("c", "d d d", "d")], True),             # a cue whose ends share sentence number 0, its middle not
    ([_doc("b .", "a d d d")], False),             # a lexicon phrase across a sentence boundary
    ([_doc("b the", "c"), _doc("never a b")], False),   # a veto in the next sentence; negation
])
def test_boundary_cases_identical(teaching, docs, repeating):
    tok = _table(docs, repeating)
    sub = dataclasses.replace(teaching, docs=pd.DataFrame({"doc_id": [f"d{k}" for k in range(len(docs))]}))
    fast, slow = _both(sub, tok, _frames(), rules=_rules())
    _assert_same(fast, slow)
    assert len(slow[1])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(document, min_size=1, max_size=4), st.booleans(), st.booleans(), st.booleans())
def test_generated_tables_identical(teaching, docs, repeating, negation, wide):
    tok = _table(docs, repeating)
    sub = dataclasses.replace(teaching, docs=pd.DataFrame({"doc_id": [f"d{k}" for k in range(len(docs) + 1)]}))
    _assert_same(*_both(sub, tok, _frames(), rules=_rules(wide), negation=negation))


def _builtin_vocabulary() -> list[str]:
    """Lemmas of every fifth built-in rule's patterns, and the words negation reads."""
    lex = framing.load_lexicons()
    rules = [r for rs in frame_patterns.rules_for(lex).values() for r in rs][::5]
    words = set()
    for r in rules:
        for text in (*r.cue, *r.near, *r.unless):
            for spec in json.loads(text):
                for key, value in spec.items():
                    if key in ("LEMMA", "LOWER"):
                        if isinstance(value, dict):  # {"IN": [...]}; NOT_IN and REGEX name no word to draw
                            words |= set(value.get("IN", [])[:4])
                        else:
                            words.add(value)
    first = sorted(p for f in lex.values() for p in f.terms)[::25]
    return sorted(words | set(first) | {"not", "never", "no", "only", ",", "but", ".", "the", "she"})


BUILTIN_WORDS = _builtin_vocabulary()
builtin_sentence = st.lists(st.tuples(st.sampled_from(BUILTIN_WORDS), st.booleans(),
                                      st.sampled_from(["NOUN", "VERB", "ADJ", "PRON"]), st.just(" ")),
                            min_size=1, max_size=14)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(builtin_sentence, min_size=1, max_size=6), min_size=1, max_size=3))
def test_generated_tables_with_builtin_frames_identical(teaching, docs):
    tok = _table(docs, False)
    sub = dataclasses.replace(teaching, docs=pd.DataFrame({"doc_id": [f"d{k}" for k in range(len(docs))]}))
    _assert_same(*_both(sub, tok, classifiers={}))


def test_rule_hits_keep_the_order_and_names_of_the_per_document_matcher(teaching):
    """Which frame's rows come first in a document and which rule names a span two rules match both
    follow the matcher over the whole document, although each rule is matched on its own sentences."""
    rules = {"f": [{"id": "first", "cue": [[{"LEMMA": "sue"}]]}, {"id": "second", "cue": [[{"LEMMA": "sue"}]]}],
             "g": [{"id": "g1", "cue": [[{"LEMMA": "court"}]]}],
             "h": [{"id": "h1", "cue": [[{"LEMMA": "fire"}, {"LEMMA": "him", "OP": "?"}]]}]}
    parsed = {fid: frame_patterns.parse_rules({"frame": fid, "rules": rs}, f"{fid}.json") for fid, rs in rules.items()}
    frames = {fid: framing.Frame(fid, fid.upper(), "d", terms=("zzz",)) for fid in rules}
    tok = _table([_doc("they fire him", "they sue in court", "court fire"), _doc("court sue")], False)
    sub = dataclasses.replace(teaching, docs=pd.DataFrame({"doc_id": ["d0", "d1"]}))
    fast, slow = _both(sub, tok, frames, rules=parsed)
    _assert_same(fast, slow)
    ev = fast[1]
    assert list(ev.loc[ev["doc_id"] == "d0", "frame"]) == ["h", "h", "f", "g", "g"]
    assert list(ev.loc[ev["doc_id"] == "d1", "frame"]) == ["g", "f"]
    assert set(ev.loc[ev["frame"] == "f", "rule"]) == {"first"}
