"""The paper-figure pipeline: every headline figure and table, byte-identical on a re-run."""

from __future__ import annotations

import hashlib

import pytest

from analysis import paper, pipeline
from analysis.errors import ResultsError


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_build_all_twice_gives_byte_identical_files(tmp_path, teaching):
    results = pipeline.ensure_results(teaching, pipeline.RunParams(), progress=False)
    first = paper.build_all(results, tmp_path / "a")
    second = paper.build_all(results, tmp_path / "b")
    assert first == second
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a == b
    assert {"fig01_documents_by_group_year.pdf", "fig04_topic_group_contrasts.svg",
            "fig07_frame_gender_contrasts.png", "tables/tab01_frame_effects.tex", "INDEX.md"} <= set(a)
    index = (tmp_path / "a" / "INDEX.md").read_text()
    for name in first:
        assert f"| {name} |" in index


def test_build_all_refuses_a_folder_without_a_finished_run(tmp_path):
    (tmp_path / "doc_topics.csv").write_text("doc_id,topic,share\n")
    with pytest.raises(ResultsError, match="no finished run"):
        paper.build_all(tmp_path, tmp_path / "figs")
