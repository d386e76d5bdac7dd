"""End to end on the teaching corpus: the output tables keep the DESIGN.md contract; R9 is recovered."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import compare, pipeline

CONTRACT = {
    "topic_terms.csv": ["topic", "rank", "term", "prob", "frex", "relevance"],
    "doc_topics.csv": ["doc_id", "topic", "share"],
    "prevalence_effects.csv": ["topic", "contrast", "estimate", "ci_low", "ci_high", "method", "reason"],
    "doc_frames.csv": ["doc_id", "frame", "hits", "rate_per_1k"],
    "mentions.csv": ["doc_id", "sentence_id", "person", "role", "gender", "gender_source", "voice", "verb"],
    "victim_gender.csv": ["doc_id", "victim_gender", "source", "confidence"],
    "frame_effects.csv": ["frame", "contrast", "estimate", "ci_low", "ci_high", "p_value", "p_adj", "n_a", "n_b",
                          "p_method", "reason"],
    "role_effects.csv": ["role", "measure", "contrast", "estimate", "ci_low", "ci_high", "p_value", "p_adj"],
    "frame_evidence.csv": ["doc_id", "sentence_id", "frame", "match", "sentence"],
    "keyness.csv": ["term", "count_a", "count_b", "log_odds_z", "g2", "log_ratio"],
}


@pytest.fixture(scope="module")
def results(teaching):
    return pipeline.ensure_results(teaching, pipeline.RunParams(), progress=False)


@pytest.mark.slow
@pytest.mark.parametrize("name,columns", CONTRACT.items())
def test_output_tables_keep_the_contract(results, name, columns):
    """The contract's columns come first, in the contract's order (extra columns may follow)."""
    table = pd.read_csv(results / name)
    assert list(table.columns[:len(columns)]) == columns
    assert len(table) > 0


@pytest.mark.slow
def test_frames_and_role_measures_are_separate_correction_families(results):
    frames = pd.read_csv(results / "frame_effects.csv")
    assert not frames["frame"].str.contains(":").any()
    roles = pd.read_csv(results / "role_effects.csv")
    assert set(roles["role"]) <= {"victim", "accused", "other"} and len(roles) > 0


@pytest.mark.slow
def test_manifest_describes_the_run(results, teaching):
    import json

    m = json.loads((results / "manifest.json").read_text())
    assert m["corpus"] == {"name": "teaching", "content_hash": teaching.content_hash, "n_documents": len(teaching)}
    assert m["group_by"] == "region" and m["levels"] == ["hollywood", "bollywood", "pakistan"]
    assert "lexicons/frames/legal_institutional.yaml" in m["lexicons"] and m["spacy_model"]["version"]
    assert all((results / name).is_file() for name in m["outputs"])
    assert "timestamp" not in json.dumps(m).lower()


@pytest.mark.slow
def test_doc_topics_shares_sum_to_one(results):
    shares = pd.read_csv(results / "doc_topics.csv").groupby("doc_id")["share"].sum()
    assert shares.between(0.999, 1.001).all() and len(shares) == 186


@pytest.mark.slow
def test_accused_are_agents_more_than_alleged_victims(results, teaching):
    """CODEBOOK R9: within articles, the accused's agency exceeds the alleged victim's (interval > 0)."""
    rm = pd.read_csv(results / "role_measures.csv")
    agency = rm[rm["measure"] == "agency"].pivot(index="doc_id", columns="role", values="value")
    gap = compare.cluster_mean(agency["accused"] - agency["victim"], teaching.docs)
    assert gap["ci_low"] > 0, gap
    assert agency["accused"].mean() > 0.6


@pytest.mark.slow
def test_no_byline_author_is_a_person_in_mentions(results, teaching):
    """Issue 12: bylines are moved into metadata by the clean-up, so their authors are never mentions."""
    mentions = pd.read_csv(results / "mentions.csv")
    authors = set(teaching.docs["author"].dropna())
    assert authors and not (set(mentions["person"]) & authors)
    assert (teaching.docs["byline"] != "").all()
