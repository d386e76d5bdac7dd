"""Context rules of the frames on invented sentences: right context, negation, topic words never count."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import corpus, frame_patterns, framing, preprocess, reporting
from analysis.errors import LexiconError
from tests.conftest import write_corpus

# (sentence, frames it must carry, frames it must not carry); all sentences invented for these tests.
CASES = [
    ("The studio dropped him from the film two weeks before the shoot.", {"career_industry"}, set()),
    ("The producers cancelled the shoot of the sequel after the complaint.", {"career_industry"}, set()),
    ("The accusations have done lasting damage to her career.", {"career_industry"}, set()),
    ("The actor, a singer and a filmmaker attended the premiere of the film.", set(),
     {"career_industry"}),
    ("The director and the producer of the series spoke to the crew.", set(), {"career_industry"}),
    ("He has not lost any work since the story broke.", set(), {"career_industry"}),
    ("The actor allegedly groped her, according to the complaint.", set(), {"credibility_doubt"}),
    ("She claimed that he cornered her, and he denied the allegations.", set(), {"credibility_doubt"}),
    ("His friends said they did not believe her account at all.", {"credibility_doubt"}, set()),
    ("Critics said she only wanted attention and a payday.", {"credibility_doubt"}, set()),
    ("He was at dinner with his wife and two friends.", set(), {"family_honour"}),
    ("Her family pressured her to stay silent to protect their honour.", {"family_honour"}, set()),
    ("Men can be victims too, and male victims are rarely believed.", {"men_victims_too"}, set()),
    ("The actor said harassment is not bound by gender.", {"men_victims_too"}, set()),
    ("She said there was no trauma and she never needed therapy.", set(), {"trauma_mental_health"}),
    ("He still has panic attacks and sees a therapist every week.", {"trauma_mental_health"}, set()),
    ("She filed a complaint with the police and the court granted him bail.", {"legal_institutional"}, set()),
    ("The agency suspended him and announced a new harassment policy.", {"workplace_accountability"}, set()),
    ("She posted the screenshots on Instagram and the story went viral.", {"social_media_virality"}, set()),
    ("Hundreds of people said they stand with her and praised her courage.", {"belief_support"}, set()),
    ("He called the accusation a baseless smear and sent her a legal notice.", {"backlash_defamation"}, set()),
    # round 2 (issue 13): broader context rules, all sentences invented
    ("Her version of the story has kept changing over the years, his lawyer said.", {"credibility_doubt"}, set()),
    ("Why did she wait ten years to complain?", {"credibility_doubt"}, set()),
    ("He asked people not to pass judgement until the truth comes out.", {"credibility_doubt"}, set()),
    ("Some people exploit the movement for their own gain, he wrote.", {"credibility_doubt"}, set()),
    ("She explained why the harassment had happened at the office.", set(), {"credibility_doubt"}),
    ("The producer told her she would not get the part unless she agreed.", {"career_industry"}, set()),
    ("He has not worked in the industry for two years since the allegations.", {"career_industry"}, set()),
    ("The label cut ties with the singer and his contract was terminated.", {"career_industry"}, set()),
    ("He said he has no place in the music industry any more.", {"career_industry"}, set()),
    ("Men are often bullied and sexually assaulted, the actor said.", {"men_victims_too"}, set()),
    ("He was harassed for months by a female colleague.", {"men_victims_too"}, set()),
    ("As a tall strong man, I never thought it could happen to me.", {"men_victims_too"}, set()),
    ("I have never felt more emasculated in my life.", {"men_victims_too"}, set()),
    ("Male models rarely speak about harassment in the fashion business.", {"men_victims_too"}, set()),
    ("Her male colleagues harassed her for years.", set(), {"men_victims_too"}),
    ("He said he had never doubted her account.", set(), {"credibility_doubt"}),
    # round 5 (issue 13): whose distress, whose support, who harasses; all sentences invented
    ("His fans were shocked and saddened by the news.", set(), {"trauma_mental_health"}),
    ("He said he was devastated by the false allegations.", set(), {"trauma_mental_health"}),
    ("She was left terrified and numb for weeks.", {"trauma_mental_health"}, set()),
    ("She has struggled with depression and anxiety ever since.", {"trauma_mental_health"}, set()),
    ("Several actors came out in support of her.", {"belief_support"}, set()),
    ("He was known to harass women on the set.", set(), {"men_victims_too"}),
    ("A female co-star groped him during the shoot.", {"men_victims_too"}, set()),
]


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    root = tmp_path_factory.mktemp("sent")
    docs = "doc_id,region\n" + "".join(f"s{i},x\n" for i in range(len(CASES)))
    texts = {f"s{i}": s for i, (s, _, _) in enumerate(CASES)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = corpus.load(write_corpus(root / "c", docs, texts))
    tok = preprocess.tokens(c, cache_dir=root / "cache", progress=False)
    return c, tok


def _frames_of(evidence, i: int) -> set[str]:
    return set(evidence.loc[evidence["doc_id"] == f"s{i}", "frame"])


@pytest.mark.parametrize("i", range(len(CASES)), ids=[c[0][:40] for c in CASES])
def test_hand_checked_sentence(scored, i):
    c, tok = scored
    with warnings.catch_warnings():               # the rules themselves (hybrid frames fall back to them)
        warnings.simplefilter("ignore")
        _, evidence = framing.score(c, tok, classifiers={})
    sentence, must, must_not = CASES[i]
    found = _frames_of(evidence, i)
    assert must <= found, f"{sentence!r}: missing {must - found}; found {found}"
    assert not (must_not & found), f"{sentence!r}: should not carry {must_not & found}"


def test_negation_switch_changes_the_decision(scored):
    c, tok = scored
    i = next(k for k, case in enumerate(CASES) if case[0].startswith("She said there was no trauma"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, with_neg = framing.score(c, tok, classifiers={})
        _, without = framing.score(c, tok, negation=False, classifiers={})
    assert "trauma_mental_health" not in _frames_of(with_neg, i)
    assert "trauma_mental_health" in _frames_of(without, i)


def test_attribution_is_the_reporting_measure_not_doubt(scored):
    c, tok = scored
    rates, evidence = reporting.attribution(c, tok)
    attributed = set(evidence["doc_id"])
    for i, (sentence, _, _) in enumerate(CASES):
        if "allegedly" in sentence or "claimed" in sentence:
            assert f"s{i}" in attributed, sentence
    assert "s0" not in attributed
    assert set(rates["frame"]) == {"attribution"}


def test_occupation_nouns_never_count_alone():
    lex = framing.load_lexicons()
    nouns = {"actor", "actress", "singer", "producer", "filmmaker", "director", "film", "movie", "star",
             "industry", "wife", "husband", "family", "allege", "alleged", "allegedly", "claim", "claimed"}
    for f in lex.values():
        assert not (nouns & set(f.terms)), (f.id, nouns & set(f.terms))


def test_negated_by_token_window():
    lemmas = ["she", "do", "not", "lose", "her", "role"]
    assert frame_patterns.negated(lemmas, [0] * 6, 3)
    far = ["she", "do", "not", "lose", "any", "of", "her", "role"]
    assert not frame_patterns.negated(far, [0] * 8, 7)               # more than three tokens away
    assert not frame_patterns.negated(["no", ",", "she", "lose"], [0] * 4, 3)   # a comma closes the scope
    assert not frame_patterns.negated(["not", "lose"], [0, 1], 1)             # another sentence


@given(st.lists(st.sampled_from(["he", "lose", "role", ",", "but", "the", "film", "x"]), min_size=1, max_size=12))
def test_without_a_negator_nothing_is_negated(lemmas):
    assert not any(frame_patterns.negated(lemmas, [0] * len(lemmas), k) for k in range(len(lemmas)))


def test_pattern_file_errors_name_the_file_and_rule(tmp_path):
    with pytest.raises(LexiconError, match=r"x.json, rule 1 \('a'\): missing 'cue'"):
        frame_patterns.parse_rules({"frame": "f", "rules": [{"id": "a"}]}, "x.json")
    with pytest.raises(LexiconError, match=r"unknown key\(s\) \['nearby'\]"):
        frame_patterns.parse_rules({"frame": "f", "rules": [{"id": "a", "cue": [[{"LOWER": "x"}]], "nearby": 1}]},
                                   "x.json")
    bad = tmp_path / "f.json"
    bad.write_text("{not json")
    with pytest.raises(LexiconError, match="f.json: not valid JSON"):
        frame_patterns.read_rules(bad)
    bad.write_text(json.dumps({"frame": "f", "rules": [{"id": "a", "cue": "sued"}]}))
    with pytest.raises(LexiconError, match="must be a list of spaCy Matcher patterns"):
        frame_patterns.read_rules(bad)


def test_every_shipped_pattern_file_loads_and_compiles():
    import spacy

    lex = framing.load_lexicons()
    rules = frame_patterns.rules_for(lex)
    assert set(rules) == set(lex)
    frame_patterns.build_matchers(spacy.blank("en").vocab, [r for rs in rules.values() for r in rs])


def test_supervised_method_falls_back_to_rules_with_a_warning(scored, monkeypatch):
    c, tok = scored
    lex = framing.load_lexicons()
    lex["legal_institutional"] = framing.Frame(**{**lex["legal_institutional"].__dict__,
                                                  "extra": {"method": "supervised"}})
    from analysis import frame_classifier
    monkeypatch.setattr(frame_classifier, "shipped_models", lambda ids: {})
    with pytest.warns(UserWarning, match="method: supervised"):
        _, evidence = framing.score(c, tok, lex)
    assert "legal_institutional" in set(evidence["frame"])


def _fake_embed(texts, batch_size=64):
    """A deterministic stand-in for the sentence embedding (a seeded vector per text)."""
    import hashlib

    import numpy as np

    rows = [np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)).normal(size=384)
            for t in texts]
    return np.asarray(rows).reshape(len(texts), 384)


def test_hybrid_rows_are_the_same_for_a_chunk_as_for_the_whole_corpus(tmp_path, monkeypatch):
    import dataclasses

    import numpy as np

    from analysis import frame_classifier

    texts = {"a": "She sued him. The court heard the case. He lost the role.",
             "b": "He still has panic attacks. She posted on Instagram.", "c": "Nothing happened here."}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = corpus.load(write_corpus(tmp_path / "c", "doc_id,region\na,x\nb,x\nc,x\n", texts))
    tok = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    monkeypatch.setattr(frame_classifier, "embed", _fake_embed)
    lex = framing.load_lexicons()
    lex["trauma_mental_health"] = framing.Frame(**{**lex["trauma_mental_health"].__dict__,
                                                   "extra": {"method": "hybrid"}})
    frames = tuple(sorted(lex))
    coef = np.random.default_rng(3).normal(size=3 * 384 + len(frames))
    model = frame_classifier.Model("trauma_mental_health", coef, 0.0, 0.5, kind="hybrid", rule_frames=frames)
    _, whole = framing.score(c, tok, lex, classifiers={"trauma_mental_health": model})
    learned = whole[whole["frame"] == "trauma_mental_health"]
    assert set(learned["rule"]) <= {"classifier"} and len(learned)     # the model, not the rules, decides
    parts = []
    for ids in (["a"], ["b", "c"]):
        sub = dataclasses.replace(c, docs=c.docs[c.docs["doc_id"].isin(ids)].reset_index(drop=True))
        parts.append(framing.score(sub, tok[tok["doc_id"].isin(ids)], lex,
                                   classifiers={"trauma_mental_health": model})[1])
    chunked = pd.concat(parts, ignore_index=True)
    key = ["doc_id", "sentence_id", "frame", "rule"]
    assert sorted(map(tuple, chunked[key].values.tolist())) == sorted(map(tuple, whole[key].values.tolist()))
    # the probabilities too, not only the decisions: a document's features use its own sentences only
    rules_only = whole[whole["rule"] != "classifier"]
    sents = framing.sentence_texts(tok)
    p_whole = frame_classifier.predict({"trauma_mental_health": model}, sents, ["trauma_mental_health"],
                                       evidence=rules_only)
    p_a = frame_classifier.predict({"trauma_mental_health": model}, sents[sents["doc_id"] == "a"],
                                   ["trauma_mental_health"], evidence=rules_only)
    assert np.allclose(p_a["probability"], p_whole.loc[p_whole["doc_id"] == "a", "probability"])


def test_hybrid_needs_every_rule_frame_or_falls_back(scored, monkeypatch):
    import numpy as np

    from analysis import frame_classifier

    c, tok = scored
    monkeypatch.setattr(frame_classifier, "embed", _fake_embed)
    lex = {k: v for k, v in framing.load_lexicons().items() if k in ("trauma_mental_health", "legal_institutional")}
    lex["trauma_mental_health"] = framing.Frame(**{**lex["trauma_mental_health"].__dict__,
                                                   "extra": {"method": "hybrid"}})
    model = frame_classifier.Model("trauma_mental_health", np.zeros(3 * 384 + 3), 5.0, 0.5, kind="hybrid",
                                   rule_frames=("legal_institutional", "trauma_mental_health", "men_victims_too"))
    with pytest.warns(UserWarning, match="need the rules of frames that are not scored here"):
        _, evidence = framing.score(c, tok, lex, classifiers={"trauma_mental_health": model})
    assert set(evidence.loc[evidence["frame"] == "trauma_mental_health", "rule"]) != {"classifier"}


# --------------------------------------------------------------------------- two required contexts, comparatives

def _rule(**kw) -> frame_patterns.Rule:
    return frame_patterns.parse_rules({"frame": "f", "rules": [{"id": "r", **kw}]}, "f.json")[0]


STATE = {"cue": [[{"LEMMA": "alone"}]], "near": [[{"LEMMA": "feel"}]],
         "also_near": [[{"LEMMA": {"IN": ["i", "my"]}}]], "window": 4}


def _decide(rule: frame_patterns.Rule, lemmas: list[str]) -> list:
    """Rule hits of one invented lemma sequence, matched by spaCy as the engine does."""
    import spacy
    from spacy.tokens import Doc

    doc = Doc(spacy.blank("en").vocab, words=lemmas, lemmas=lemmas)
    return frame_patterns.match(doc, [0] * len(lemmas), [rule])


@pytest.mark.parametrize("lemmas, fires", [
    ("i feel alone", True),
    ("she feel alone", False),                 # the second context (first person) is missing
    ("i be alone", False),                     # the first context (feel) is missing
    ("i feel alone at the party", True),
    ("i wait at the end of a long road and feel alone", False),   # first person out of the window
    ("i do not feel alone", False),            # the first context is negated
])
def test_also_near_needs_both_context_groups(lemmas, fires):
    assert bool(_decide(_rule(**STATE), lemmas.split())) is fires


def test_also_near_is_checked_and_compiled():
    with pytest.raises(LexiconError, match=r"'also_near' is a second required context and needs 'near'"):
        _rule(cue=[[{"LOWER": "x"}]], also_near=[[{"LOWER": "y"}]])
    with pytest.raises(LexiconError, match=r"f.json, rule 1 \('r'\), 'also_near': must be a list"):
        _rule(cue=[[{"LOWER": "x"}]], near=[[{"LOWER": "y"}]], also_near="z")
    rule = _rule(**STATE)
    pre = frame_patterns.prefilter([], [rule])          # the sentence must hold the cue and both contexts
    assert pre.needs["f|r"] == ((("lemma", frozenset({"alone"})), ("lemma", frozenset({"feel"})),
                                 ("lemma", frozenset({"i", "my"}))),)
    plain = _rule(cue=STATE["cue"], near=STATE["near"])
    assert plain.also_near == () and frame_patterns.prefilter([], [plain]).needs["f|r"] == \
        ((("lemma", frozenset({"alone"})), ("lemma", frozenset({"feel"}))),)


@pytest.mark.parametrize("lemmas, fires", [
    ("i have never feel more alone", True),    # a comparative after "never": the context is affirmed
    ("i have never feel so alone", True),
    ("i have never feel alone", False),        # plain negation of the context
    ("i never feel , more or less , alone", False),   # the comparative is in another clause
])
def test_comparative_exception_holds_for_the_near_context(lemmas, fires):
    rule = _rule(cue=STATE["cue"], near=STATE["near"], window=4)
    assert bool(_decide(rule, lemmas.split())) is fires


def test_also_near_rule_scores_the_same_with_and_without_prefilter(tmp_path):
    texts = {"a": "I feel alone. She feels alone. I am alone.", "b": "I have never felt more alone in my life.",
             "c": "I do not feel alone. My friends feel alone."}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = corpus.load(write_corpus(tmp_path / "c", "doc_id,region\na,x\nb,x\nc,x\n", texts))
    tok = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    frames = {"f": framing.Frame("f", "F", "d", terms=(), phrases=())}
    rules = {"f": [_rule(**STATE)]}
    fast = framing.score(c, tok, frames, rules=rules, classifiers={})[1]
    slow = framing.score(c, tok, frames, rules=rules, classifiers={}, prefilter=False)[1]
    pd.testing.assert_frame_equal(fast, slow)
    hits = sorted(map(tuple, fast[["doc_id", "sentence_id"]].values.tolist()))
    assert hits == [("a", 0), ("b", 0), ("c", 1)]     # "I feel alone", "never felt more", "My friends feel"
