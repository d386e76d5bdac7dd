"""The lexical frame scorer (analysis.frame_lexical) on invented sentences and hand-made models."""

from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import corpus, frame_classifier, frame_lexical, framing, preprocess
from analysis.errors import LexiconError
from tests.conftest import write_corpus

# All sentences invented for these tests.
TEXTS = {"a": "Maria Lopez denied the rumour in 2019. The studio dropped him from the sequel.",
         "b": "Nobody believed the story. He did not lose the role. She filed a complaint with the police.",
         "c": "The weather was mild and the market opened late."}


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    root = tmp_path_factory.mktemp("lex")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = corpus.load(write_corpus(root / "c", "doc_id,region\na,x\nb,x\nc,x\n", TEXTS))
    return c, preprocess.tokens(c, cache_dir=root / "cache", progress=False)


def _model(frame: str, weights: dict[str, float], intercept: float = -3.0, rule_frames=(), rule_w=()) -> \
        frame_lexical.LexicalModel:
    vocab = tuple(sorted(weights))
    return frame_lexical.LexicalModel(frame, vocab, np.array([weights[v] for v in vocab]), tuple(rule_frames),
                                      np.array(rule_w, dtype=float), np.zeros(len(rule_frames)), intercept, 0.5)


def test_terms_leave_out_names_numbers_and_punctuation_and_keep_negation(parsed):
    _, tok = parsed
    terms = frame_lexical.sentence_terms(tok)
    every = set(terms["term"])
    assert {"deny", "rumour", "drop", "studio", "sequel", "lose", "role", "not lose", "lose role"} <= every
    assert not {"maria", "lopez", "2019", ".", "maria lopez"} & every          # proper nouns, numbers, punctuation
    assert not any(t.split()[0] in ("the", "he", "do") for t in every)          # stop words left out
    assert not terms.duplicated().any()
    first = terms[(terms["doc_id"] == "a") & (terms["sentence_id"] == 0)]
    assert "rumour" in set(first["term"]) and "drop" not in set(first["term"])  # terms stay in their sentence
    assert not any(" " in t and t.split()[1] == "studio" for t in first["term"])  # no bigram across sentences


def test_each_filter_of_the_terms_holds_on_its_own():
    rows = [("Lopez", "lopez", "NOUN", "PERSON", False, True),       # a name the tagger missed: entity
            ("Lahore", "Lahore", "PROPN", "", False, True),          # a proper noun outside an entity
            ("five", "five", "NUM", "", False, True), ("!", "!", "PUNCT", "", False, False),
            ("the", "the", "DET", "", True, True), ("very", "very", "ADV", "", True, True),  # stop words
            ("harass", "harass", "VERB", "", False, True), ("n't", "not", "PART", "", True, False),
            ("quickly", "quickly", "ADV", "", False, True)]
    tok = pd.DataFrame(rows, columns=["text", "lemma", "pos", "ent", "is_stop", "is_alpha"]).assign(doc_id="a", sent=0)
    assert frame_lexical.sentence_terms(tok)["term"].tolist() == ["harass", "not", "quickly", "harass not",
                                                                  "not quickly"]


def test_vocabulary_needs_three_cases_and_is_sorted():
    t = pd.DataFrame({"doc_id": ["a", "b", "c", "a", "b", "d", "a", "e"], "sentence_id": 0,
                      "term": ["sue", "sue", "sue", "zeta", "zeta", "zeta", "once", "once"]})
    cases = {"a": 1, "b": 2, "c": 3, "d": 2, "e": 1}
    assert frame_lexical.vocabulary(t, cases) == ("sue",)            # zeta: 2 cases (b and d share case 2)
    assert frame_lexical.vocabulary(t, cases, min_cases=2) == ("sue", "zeta")   # once: a and e are case 1
    assert frame_lexical.vocabulary(t, cases, min_cases=1) == ("once", "sue", "zeta")
    with pytest.raises(LexiconError, match="without a case"):
        frame_lexical.vocabulary(t, {"a": 1})


def test_fit_scores_as_sklearn_does_and_train_picks_from_the_grids():
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(1)
    n = 90
    keys = pd.DataFrame({"doc_id": [f"d{i // 3}" for i in range(n)], "sentence_id": [i % 3 for i in range(n)]})
    y = (np.arange(n) % 3 == 0).astype(int)
    noise = rng.choice(["mild", "late", "open"], size=n)
    terms = pd.concat([keys[y == 1].assign(term="accuse"), keys.assign(term=noise), keys[y == 1][:5].assign(term="accuse")],
                      ignore_index=True)                               # repeated terms count once
    hits = rng.integers(0, 2, size=(n, 2)).astype(float)
    vocab = ("accuse", "late", "mild", "open")
    x = frame_lexical.design(keys, terms, vocab, hits)
    assert x.shape == (n, 4 + 2 + 2) and set(x.data.tolist()) == {1.0}
    m = frame_lexical.fit(x, y, frame="f", vocab=vocab, rule_frames=("f", "g"), c=1.0)
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear", max_iter=2000,
                            random_state=20181010).fit(x, y)
    assert np.allclose(m.probability(keys, terms, hits), lr.predict_proba(x)[:, 1])
    assert (m.probability(keys, terms, hits) >= 0.5).astype(int).tolist() == y.tolist()
    groups = np.arange(n) // 9
    t = frame_lexical.train(x, y, groups, frame="f", vocab=vocab, rule_frames=("f", "g"))
    cv = []                                                            # the best grouped-CV F1, ties: smaller C
    for c in frame_lexical.C_GRID:
        p = frame_lexical._oof(x, y, groups, c, 20181010, 5)
        pred = p >= frame_classifier.choose_threshold(y, p)
        cv.append(2 * int((pred & (y == 1)).sum()) / (pred.sum() + y.sum()))
    assert t.c == frame_lexical.C_GRID[int(np.argmax(cv))]
    assert t.c in frame_lexical.C_GRID and t.threshold in frame_classifier.THRESHOLDS
    again = frame_lexical.train(x, y, groups, frame="f", vocab=vocab, rule_frames=("f", "g"))   # deterministic
    assert again.to_dict() == t.to_dict()
    with pytest.raises(LexiconError, match="only one class"):
        frame_lexical.fit(x, 0 * y, frame="f", vocab=vocab, rule_frames=("f", "g"))


def test_neighbour_hits_stay_inside_the_document():
    hits = np.array([[0.0], [1.0], [0.0], [1.0]])
    assert frame_lexical.neighbour_hits(hits, ["a", "a", "a", "b"]).ravel().tolist() == [1.0, 0.0, 1.0, 0.0]


def test_model_round_trips_json_and_a_broken_file_names_itself(tmp_path):
    m = _model("career_industry", {"drop": 2.5, "sequel": 0.5}, rule_frames=("career_industry",), rule_w=(1.5,))
    m = dataclasses.replace(m, extra={"command": "python x", "training_sets": ["tuning"]})
    path = frame_lexical.save(m, tmp_path)
    assert path.name == "career_industry.lexical.json"
    d = json.loads(path.read_text("utf-8"))
    assert d["vocabulary"] == ["drop", "sequel"] and d["kind"] == "lexical" and d["command"] == "python x"
    back = frame_lexical.read(path)
    assert back.vocabulary == m.vocabulary and np.allclose(back.coef, m.coef) and back.extra == m.extra
    assert back.rule_frames == m.rule_frames and np.allclose(back.rule_coef, m.rule_coef)
    for key, bad in (("coef", d["coef"][:1]), ("rule_coef", []), ("neighbour_coef", [1.0, 2.0]), ("kind", "hybrid")):
        path.write_text(json.dumps({**d, key: bad}), "utf-8")
        with pytest.raises(LexiconError, match="career_industry.lexical.json"):
            frame_lexical.read(path)
    path.write_text("{not json", "utf-8")
    with pytest.raises(LexiconError, match="not a lexical frame model"):
        frame_lexical.read(path)


def _lexical_frames(*ids: str) -> dict:
    """The built-in frames, ``ids`` with ``method: lexical`` and every other one with ``method: rules``."""
    lex = framing.load_lexicons()
    return {fid: dataclasses.replace(f, extra={**f.extra, "method": "lexical" if fid in ids else "rules"})
            for fid, f in lex.items()}


def test_framing_scores_a_lexical_frame_with_its_model(parsed):
    c, tok = parsed
    lex = _lexical_frames("career_industry")
    model = _model("career_industry", {"drop": 4.0, "role": 4.0}, rule_frames=tuple(sorted(lex)),
                   rule_w=[0.0] * len(lex))
    _, ev = framing.score(c, tok, lex, classifiers={"career_industry": model})
    learned = ev[ev["frame"] == "career_industry"]
    assert set(learned["rule"]) == {"classifier"}
    assert sorted(zip(learned["doc_id"], learned["sentence_id"], strict=True)) == [("a", 1), ("b", 1)]
    assert learned["sentence"].str.len().gt(0).all()                 # the sentence text is attached
    _, rules_only = framing.score(c, tok, _lexical_frames())
    others = ev[ev["frame"] != "career_industry"].drop(columns="sentence").reset_index(drop=True)
    same = rules_only[rules_only["frame"] != "career_industry"].drop(columns="sentence").reset_index(drop=True)
    pd.testing.assert_frame_equal(others, same)                        # the other frames keep their rules
    parts = []                                                         # a chunk of documents gets its own rows
    for ids in (["a"], ["b", "c"]):
        sub = dataclasses.replace(c, docs=c.docs[c.docs["doc_id"].isin(ids)].reset_index(drop=True))
        parts.append(framing.score(sub, tok[tok["doc_id"].isin(ids)], lex,
                                   classifiers={"career_industry": model})[1])
    key = ["doc_id", "sentence_id", "frame", "rule"]
    assert sorted(map(tuple, pd.concat(parts)[key].values.tolist())) == sorted(map(tuple, ev[key].values.tolist()))


def test_rule_hits_of_the_sentence_reach_the_model(parsed):
    c, tok = parsed
    lex = _lexical_frames("credibility_doubt")
    _, rules_only = framing.score(c, tok, _lexical_frames())
    hit = rules_only[rules_only["frame"] == "legal_institutional"]
    assert len(hit) and len(hit) < tok.groupby(["doc_id", "sent"]).ngroups
    model = _model("credibility_doubt", {}, intercept=-2.0, rule_frames=("legal_institutional",), rule_w=(4.0,))
    _, ev = framing.score(c, tok, lex, classifiers={"credibility_doubt": model})
    got = ev[ev["frame"] == "credibility_doubt"]
    assert set(zip(got["doc_id"], got["sentence_id"], strict=True)) == set(zip(hit["doc_id"], hit["sentence_id"],
                                                                                 strict=True))


def test_missing_or_broken_model_file_falls_back_to_the_rules(parsed, tmp_path, monkeypatch):
    c, tok = parsed
    monkeypatch.setattr(frame_classifier, "models_folder", lambda: tmp_path)
    lex = _lexical_frames("career_industry")
    _, rules_only = framing.score(c, tok, _lexical_frames())
    with pytest.warns(UserWarning, match="no usable model file"):
        _, ev = framing.score(c, tok, lex)
    pd.testing.assert_frame_equal(ev, rules_only)
    (tmp_path / "career_industry.lexical.json").write_text('{"frame": "career_industry"}', "utf-8")
    with pytest.warns(UserWarning, match=r"career_industry\.lexical\.json: not a lexical frame model"):
        _, ev = framing.score(c, tok, lex)
    pd.testing.assert_frame_equal(ev, rules_only)
    frame_lexical.save(_model("career_industry", {"drop": 9.0}), tmp_path)
    _, ev = framing.score(c, tok, lex)                                 # a good file is read by default
    assert set(ev.loc[ev["frame"] == "career_industry", "rule"]) == {"classifier"}


def test_lexical_rule_is_the_declared_one():
    from benchmarks import train_frames

    base = {"f1_rules": 0.40, "precision_rules": 0.80}
    assert train_frames.lexical_qualifies({**base, "f1_lexical": 0.43, "precision_lexical": 0.70})
    assert not train_frames.lexical_qualifies({**base, "f1_lexical": 0.42, "precision_lexical": 0.90})
    assert not train_frames.lexical_qualifies({**base, "f1_lexical": 0.60, "precision_lexical": 0.69})
    assert train_frames.lexical_qualifies({"f1_rules": float("nan"), "precision_rules": float("nan"),
                                           "f1_lexical": 0.1, "precision_lexical": 0.1})


def test_shipped_lexical_frames_have_readable_models():
    lex = framing.load_lexicons()
    lexical = [fid for fid, f in lex.items() if framing.frame_method(f) == "lexical"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")                                 # a missing or broken file warns
        models = frame_lexical.shipped_models(lexical)
    for fid, m in models.items():
        assert m.frame == fid and set(m.rule_frames) <= set(lex) and m.vocabulary == tuple(sorted(m.vocabulary))
        assert m.threshold in frame_classifier.THRESHOLDS and m.c in frame_lexical.C_GRID
        assert {"command", "training_sets"} <= set(m.extra)


def test_learned_rows_come_frame_by_frame_in_lexicon_order(parsed, monkeypatch):
    c, tok = parsed
    monkeypatch.setattr(frame_classifier, "embed", lambda texts, batch_size=64: np.ones((len(texts), 384)))
    lex = _lexical_frames("belief_support")
    lex["career_industry"] = dataclasses.replace(lex["career_industry"], extra={"method": "supervised"})
    models = {"belief_support": _model("belief_support", {}, intercept=5.0),
              "career_industry": frame_classifier.Model("career_industry", np.zeros(384), 5.0)}
    _, ev = framing.score(c, tok, lex, classifiers=models)              # every sentence, both frames
    learned = ev[ev["rule"] == "classifier"]
    assert list(dict.fromkeys(learned["frame"])) == ["belief_support", "career_industry"]
    assert (learned["frame"] == "belief_support").sum() == tok.groupby(["doc_id", "sent"]).ngroups
