"""Frame lexicons and scores: schema, user lexicons, hand-checked counts, recovery of planted effects."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from analysis import compare, corpus, framing, preprocess
from analysis.corpus import CorpusError
from tests.conftest import write_corpus

REQUIRED = {"legal_institutional", "credibility_doubt", "belief_support", "backlash_defamation",
            "career_industry", "trauma_mental_health", "men_victims_too", "social_media_virality", "family_honour"}


def test_builtin_lexicons_are_documented():
    lex = framing.load_lexicons()
    assert REQUIRED <= set(lex)
    for f in lex.values():
        assert f.definition and f.inclusion_rules and f.examples and len(f.terms) >= 5
        assert all(t == t.lower() for t in f.terms + f.phrases)
        assert framing.frame_method(f) in ("rules", "supervised", "hybrid", "lexical")


def test_user_lexicon_is_added_and_bad_file_is_a_clear_error(tmp_path):
    good = tmp_path / "sport.yaml"
    good.write_text("id: sport\nlabel: Sport\ndefinition: Games.\nterms: [cricket, match]\nphrases: [world cup]\n")
    lex = framing.load_lexicons([good])
    assert lex["sport"].phrases == ("world cup",) and "legal_institutional" in lex
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nlabel: X\n")
    with pytest.raises(CorpusError, match=r"bad.yaml: missing key\(s\) \['definition', 'terms'\]"):
        framing.load_lexicons([bad])


def test_scores_and_evidence_by_hand(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = corpus.load(write_corpus(tmp_path / "c", "doc_id,region\na,x\n",
                                     {"a": "She watched the World Cup final. The cricket match ended. Nothing else."}))
    tok = preprocess.tokens(c, cache_dir=tmp_path / "cache", progress=False)
    lex = {"sport": framing.Frame("sport", "Sport", "Games.", terms=("cricket", "match", "world"),
                                  phrases=("world cup",))}
    doc_frames, evidence = framing.score(c, tok, lex, rules={})
    # "World Cup" counts once (the phrase wins over the term 'world'), plus 'cricket' and 'match': 3 hits;
    # 12 word tokens -> 3 / 12 * 1000 = 250 per 1,000 words
    row = doc_frames.iloc[0]
    assert (row["hits"], row["n_words"]) == (3, 12)
    assert row["rate_per_1k"] == pytest.approx(250.0)
    assert evidence["match"].tolist() == ["World Cup", "cricket", "match"]
    assert evidence["rule"].tolist() == ["lexicon"] * 3
    assert evidence["sentence"].iloc[0] == "She watched the World Cup final."
    assert evidence["sentence_id"].tolist() == [0, 1, 1]


@pytest.mark.slow
def test_recovers_planted_frame_effects(teaching):
    """CODEBOOK R1-R8 and R10, in the stated direction, with intervals excluding zero.

    R7 is still recovered by credibility_doubt without the hedged-attribution words (the planted
    doubt phrases carry it); hedged attribution itself is the separate reporting measure.
    Contrast labels follow the group order of the data, so either "a - b" or "b - a" is read.
    """
    tok = preprocess.tokens(teaching, progress=False)
    doc_frames, _ = framing.score(teaching, tok)
    eff = compare.contrasts(framing.frame_values(doc_frames), teaching.docs, n_boot=500, n_perm=500)
    eff = eff.set_index(["frame", "contrast"])
    planted = [  # (frame, contrast, sign)
        ("legal_institutional", "pakistan - hollywood", 1), ("legal_institutional", "pakistan - bollywood", 1),
        ("backlash_defamation", "pakistan - hollywood", 1), ("backlash_defamation", "pakistan - bollywood", 1),
        ("career_industry", "bollywood - hollywood", 1), ("career_industry", "pakistan - bollywood", -1),
        ("workplace_accountability", "bollywood - hollywood", -1),
        ("workplace_accountability", "pakistan - hollywood", -1),
        ("family_honour", "pakistan - hollywood", 1),
        ("trauma_mental_health", "male - female", 1), ("men_victims_too", "male - female", 1),
        ("belief_support", "male - female", -1), ("credibility_doubt", "male - female", 1),
    ]
    failed = []
    for frame, contrast, sign in planted:
        if (frame, contrast) not in eff.index:
            a, b = contrast.split(" - ")
            contrast, sign = f"{b} - {a}", -sign
        r = eff.loc[(frame, contrast)]
        low, high = sorted((sign * r["ci_low"], sign * r["ci_high"]))
        if not (low > 0 and r["p_adj"] < 0.05):
            failed.append(f"{frame} {contrast}: [{r['ci_low']:.2f}, {r['ci_high']:.2f}] p_adj={r['p_adj']:.3f}")
    assert not failed, failed


def test_frame_values_shape():
    df = pd.DataFrame({"doc_id": ["a"], "frame": ["f"], "hits": [1], "rate_per_1k": [2.0], "n_words": [500]})
    assert framing.frame_values(df).columns.tolist() == ["doc_id", "measure", "value"]
