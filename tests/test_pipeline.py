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
