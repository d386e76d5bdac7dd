"""Any corpus, end to end (issue 10): renamed, one, two groups, another group column, no cases.

Each variant of the teaching corpus goes through ``run`` and ``figures --corpus`` on the command line
(exit 0, figures in the corpus's own folder, a manifest naming its groups); results of another corpus
are refused; the teaching figures and results are never written.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import PATHS

VARIANTS = {
    # name: (region rename, regions kept, keep cases, extra group column, every n-th document)
    "renamed": ({"hollywood": "us", "bollywood": "india", "pakistan": "pk"}, None, True, None, 3),
    "one": (None, {"pakistan"}, True, None, 2),
    "two": (None, {"hollywood", "pakistan"}, True, None, 3),
    "period": (None, None, True, "period", 3),
    "nocases": (None, None, False, None, 3),
}


def make_variant(root: Path, name: str) -> Path:
    """A variant of the teaching corpus in ``root/name`` (see :data:`VARIANTS`)."""
    rename, keep, cases, column, every = VARIANTS[name]
    dst = root / name
    (dst / "texts").mkdir(parents=True)
    rows = list(csv.DictReader(open(PATHS.teaching / "documents.csv", encoding="utf-8")))[::every]
    out = []
    for r in rows:
        if keep and r["region"] not in keep:
            continue
        if rename:
            r["region"] = rename[r["region"]]
        if column:
            r[column] = "before" if r["date"] < "2019-06-01" else "after"
        out.append(r)
        shutil.copy(PATHS.teaching / "texts" / f"{r['doc_id']}.txt", dst / "texts")
    with open(dst / "documents.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    if cases:
        shutil.copy(PATHS.teaching / "cases.csv", dst / "cases.csv")
    return dst


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A scratch project root, so caches, results and figures never touch the repository."""
    root = tmp_path_factory.mktemp("project")
    (root / "data" / "raw").mkdir(parents=True)
    (root / "figures").mkdir()
    return root


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"METOO_WORKBENCH_ROOT": str(project), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0",
           "TQDM_DISABLE": "1", "HOME": str(Path.home())}
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=PATHS.root, env=env)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_runs_and_draws_its_own_figures(project, name):
    corpus = make_variant(project / "corpora", name)
    by = VARIANTS[name][3] or "region"
    run = _cli(project, "run", "--corpus", str(corpus), "--by", by, "--k", "3")
    assert run.returncode == 0, run.stderr[-2000:]
    results = project / "data" / "processed" / name / "results"
    manifest = json.loads((results / "manifest.json").read_text())
    assert manifest["group_by"] == by and manifest["corpus"]["name"] == name
    if name == "renamed":
        assert manifest["levels"] == ["india", "us", "pk"]          # first appearance in documents.csv
    if name == "one":
        assert manifest["levels"] == ["pakistan"] and "one group" in run.stderr
    figs = _cli(project, "figures", "--corpus", str(corpus), "--by", by, "--k", "3")
    assert figs.returncode == 0, figs.stderr[-2000:]
    index = json.loads((project / "figures" / name / "index.json").read_text())
    assert "fig02_article_length" in index and all(e["parameters"]["corpus"] == name for e in index.values())
    assert not (project / "figures" / "teaching").exists()


@pytest.mark.slow
def test_results_of_another_corpus_are_refused_not_overwritten(project):
    a = make_variant(project / "corpora2", "two")
    b = make_variant(project / "corpora3", "renamed")
    out = project / "shared_results"
    assert _cli(project, "run", "--corpus", str(a), "--out", str(out), "--k", "3").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    proc = _cli(project, "figures", "--corpus", str(b), "--results", str(out), "--k", "3")
    assert proc.returncode == 2 and "holds results of corpus 'two'" in proc.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.slow
def test_other_parameters_are_recomputed_and_stale_outputs_removed(project):
    corpus = make_variant(project / "corpora4", "two")
    out = project / "res4"
    assert _cli(project, "run", "--corpus", str(corpus), "--out", str(out), "--k", "3").returncode == 0
    (out / "keyness_region_pakistan_vs_hollywood.csv").unlink()    # an output missing: the run is incomplete
    stale = json.loads((out / "manifest.json").read_text())
    stale["outputs"].append("keyness_old_table.csv")
    (out / "manifest.json").write_text(json.dumps(stale))
    (out / "keyness_old_table.csv").write_text("term\n")
    proc = _cli(project, "figures", "--corpus", str(corpus), "--results", str(out), "--k", "3", "--seed", "7")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "stale" in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["seed"] == 7
    assert not (out / "keyness_old_table.csv").exists()
    assert (out / "keyness_region_pakistan_vs_hollywood.csv").is_file()


def test_out_inside_data_raw_and_out_naming_a_file_are_refused(tmp_path):
    proc = _cli(PATHS.root, "run", "--corpus", str(PATHS.teaching), "--out", str(PATHS.teaching / "results"))
    assert proc.returncode == 2 and "data/raw" in proc.stderr
    f = tmp_path / "file.txt"
    f.write_text("x")
    proc = _cli(PATHS.root, "run", "--corpus", str(PATHS.teaching), "--out", str(f))
    assert proc.returncode == 2 and "existing file" in proc.stderr


@pytest.mark.parametrize("seed", ["-1", str(2**40), "abc"])
def test_seed_out_of_range_is_a_usage_error(seed):
    proc = _cli(PATHS.root, "run", "--corpus", str(PATHS.teaching), "--seed", seed)
    assert proc.returncode == 2 and "--seed" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_group_column_and_level_are_clear_errors():
    proc = _cli(PATHS.root, "run", "--corpus", str(PATHS.teaching), "--by", "colour")
    assert proc.returncode == 2 and "no such column" in proc.stderr
    proc = _cli(PATHS.root, "run", "--corpus", str(PATHS.teaching), "--groups", "mars,pakistan")
    assert proc.returncode == 2 and "'mars' not found" in proc.stderr


def test_broken_pipe_is_a_quiet_exit():
    proc = subprocess.run(f"{sys.executable} -m analysis corpus validate {PATHS.teaching} | head -1",
                          shell=True, capture_output=True, text=True, cwd=PATHS.root)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
