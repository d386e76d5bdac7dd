"""Pipeline helpers: documents compared, results folders, provenance decisions."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import pipeline, provenance
from analysis.config import PATHS
from analysis.errors import UsageError


def test_clusters_once_keeps_one_document_per_cluster():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "near_duplicate_cluster": ["a", "a", "", "c"]})
    assert pipeline.compared(docs, pipeline.RunParams())["doc_id"].tolist() == ["a", "b", "c", "d"]
    assert pipeline.compared(docs, pipeline.RunParams(clusters_once=True))["doc_id"].tolist() == ["a", "c"]


def test_check_out_refuses_raw_and_files(tmp_path):
    with pytest.raises(UsageError, match="data/raw"):
        pipeline.check_out(PATHS.data_raw / "x")
    f = tmp_path / "f"
    f.write_text("")
    with pytest.raises(UsageError, match="existing file"):
        pipeline.check_out(f)
    assert pipeline.check_out(tmp_path / "new") == tmp_path / "new"


def test_manifest_difference_names_the_changed_parameters(teaching):
    a = provenance.describe(teaching, pipeline.RunParams(), teaching.levels(), [])
    b = provenance.describe(teaching, pipeline.RunParams(seed=3, n_boot=10), teaching.levels(), [])
    assert provenance.same_run(a, a)
    assert provenance.difference(a, b) == "different parameters n_boot, seed"


def test_remove_stale_deletes_only_previous_outputs_not_produced_now(tmp_path):
    for name in ("old.csv", "kept.csv", "user_notes.txt"):
        (tmp_path / name).write_text("x")
    gone = provenance.remove_stale(tmp_path, {"outputs": ["old.csv", "kept.csv"]}, ["kept.csv"])
    assert gone == ["old.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv", "user_notes.txt"]


# --------------------------------------------------------------------------- streaming (issue 14)

import warnings  # noqa: E402

from analysis import framing, preprocess, roles, streaming  # noqa: E402
from analysis.corpus import load  # noqa: E402
from analysis.errors import CorpusWarning  # noqa: E402
from analysis.keyness import keyness  # noqa: E402
from analysis.keyness.statistics import group_term_counts, keyness_from_counts  # noqa: E402
from tests.test_stage_cache import small_corpus  # noqa: E402


def test_keyness_from_chunked_counts_equals_keyness_on_the_whole_table(teaching):
    tok = preprocess.tokens(teaching, progress=False)
    docs = teaching.docs
    groups = {g: docs.loc[docs["region"] == g, "doc_id"].tolist() for g in teaching.levels()}
    parts = [group_term_counts(chunk, groups)
             for chunk in preprocess.iter_tokens(teaching, columns=["lemma", "is_alpha", "is_stop"],
                                                 docs_per_chunk=17, progress=False)]
    counts = pd.concat(parts).groupby(["group", "term"], as_index=False)[["count", "docs"]].sum()
    assert len(parts) > 5
    for a, b in [("bollywood", "hollywood"), ("pakistan", "bollywood")]:
        whole = keyness(tok, docs, "region", a, b)
        chunked = keyness_from_counts(counts, a, b, by="region")
        pd.testing.assert_frame_equal(whole, chunked)
        assert whole.attrs == chunked.attrs


@pytest.fixture(scope="module")
def small(scratch_root):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load(small_corpus(scratch_root / "small", per_region=5))


@pytest.fixture(scope="module")
def whole_corpus_tables(small):
    tok = preprocess.tokens(small, progress=False)
    doc_frames, evidence = framing.score(small, tok, framing.load_lexicons())
    ment = roles.mentions(small, tokens=tok, progress=False)
    return {"doc_frames": doc_frames, "frame_evidence": evidence, "mentions": ment,
            "victim_gender": roles.victim_gender(small, ment), "role_measures": roles.role_measures(ment)}


def _assert_same_tables(expected: dict, got: dict) -> None:
    for name, table in expected.items():
        pd.testing.assert_frame_equal(table.reset_index(drop=True), got[name].reset_index(drop=True),
                                      obj=name)


def test_chunk_plan_puts_every_document_in_one_chunk_in_order(small):
    plan = streaming.chunk_plan(small, docs_per_chunk=4, progress=False)
    assert [len(sub) for _, _, sub in plan] == [4, 4, 4, 3]
    ids = [d for _, _, sub in plan for d in sub.docs["doc_id"]]
    assert ids == small.docs["doc_id"].tolist()
    assert plan[0][0] == 0 and all(plan[i][1] == plan[i + 1][0] for i in range(len(plan) - 1))


@pytest.mark.parametrize("workers", [1, 2])
def test_frames_and_roles_in_chunks_equal_one_whole_corpus_call(small, whole_corpus_tables, workers):
    plan = streaming.chunk_plan(small, docs_per_chunk=4, progress=False)
    got = streaming.per_document(small, plan, framing.load_lexicons(), workers=workers, progress=False)
    _assert_same_tables(whole_corpus_tables, got)
    assert set(got["seconds"]) == {"frames", "roles"}


def test_frames_and_roles_on_a_two_worker_local_cluster_equal_local(small, whole_corpus_tables, dask_cluster):
    from dask import distributed

    plan = streaming.chunk_plan(small, docs_per_chunk=5, progress=False)
    with distributed.Client(dask_cluster, set_as_default=False) as client:
        got = streaming.per_document(small, plan, framing.load_lexicons(), scheduler=client, progress=False)
    _assert_same_tables(whole_corpus_tables, got)
