"""Command line: exit codes and messages (DESIGN.md section 4)."""

from __future__ import annotations

import subprocess
import sys

from analysis.cli import main
from analysis.config import PATHS
from tests.conftest import write_corpus


def test_validate_good_corpus(tmp_path, capsys):
    root = write_corpus(tmp_path / "c", "doc_id,region,date,genre\na,x,2018-01-01,news\nb,y,2019-02-02,opinion\n",
                        {"a": "one two", "b": "three"})
    assert main(["corpus", "validate", str(root)]) == 0
    out = capsys.readouterr().out
    assert "2 documents" in out and "Documents per region" in out and "Documents per year" in out


def test_validate_bad_corpus_exits_2_with_one_line(tmp_path):
    root = write_corpus(tmp_path / "c", "doc_id,region\na,x\na,y\n", {"a": "t"})
    proc = subprocess.run([sys.executable, "-m", "analysis", "corpus", "validate", str(root)],
                          capture_output=True, text=True, cwd=PATHS.root)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "is duplicated" in proc.stderr and "Traceback" not in proc.stderr


def test_usage_error_exits_2():
    proc = subprocess.run([sys.executable, "-m", "analysis", "nonsense"], capture_output=True, text=True,
                          cwd=PATHS.root)
    assert proc.returncode == 2


def test_framing_without_case_registry(tmp_path, teaching):
    """The framing command infers everything when there is no cases.csv."""
    import shutil

    root = tmp_path / "nocases"
    (root / "texts").mkdir(parents=True)
    docs = teaching.docs[teaching.docs["case_id"].notna()].groupby("region").head(3)
    docs[["doc_id", "region", "date", "outlet", "genre"]].assign(date=lambda d: d["date"].dt.date) \
        .to_csv(root / "documents.csv", index=False)
    for doc_id in docs["doc_id"]:
        shutil.copy(PATHS.teaching / "texts" / f"{doc_id}.txt", root / "texts" / f"{doc_id}.txt")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "analysis", "framing", "--corpus", str(root), "--out", str(out)],
                          capture_output=True, text=True, cwd=PATHS.root)
    assert proc.returncode == 0, proc.stderr
    import pandas as pd

    vg = pd.read_csv(out / "victim_gender.csv")
    assert set(vg["source"]) == {"inferred"} and len(vg) == 9
    effects = pd.read_csv(out / "frame_effects.csv")
    assert {"frame", "contrast", "estimate", "ci_low", "ci_high", "p_value", "p_adj"} <= set(effects.columns)
    mentions = pd.read_csv(out / "mentions.csv")
    assert list(mentions.columns[:8]) == ["doc_id", "sentence_id", "person", "role", "gender", "gender_source",
                                          "voice", "verb"]


def test_run_workers_1_and_2_give_identical_results(tmp_path, monkeypatch, capsys):
    """``run --workers N``: where the work runs, never what it gives (nor the run's identity)."""
    import filecmp
    import json

    from analysis import streaming
    from tests.conftest import project_root_at
    from tests.test_stage_cache import small_corpus

    corpus_dir = small_corpus(tmp_path / "small", per_region=4)
    monkeypatch.setattr(streaming, "DOCS_PER_CHUNK", 3)          # several chunks of frames and roles
    monkeypatch.delenv("METOO_DASK_SCHEDULER", raising=False)
    outs = {}
    for workers in (1, 2):
        with project_root_at(tmp_path / f"root{workers}"):      # each run cold: its own caches
            out = tmp_path / f"out{workers}"
            assert main(["run", "--corpus", str(corpus_dir), "--out", str(out), "--k", "3",
                         "--workers", str(workers)]) == 0
            outs[workers] = out
        assert "time per stage: tokens" in capsys.readouterr().err
    names = sorted(p.name for p in outs[1].iterdir())
    assert names == sorted(p.name for p in outs[2].iterdir()) and "manifest.json" in names
    _, mismatch, errors = filecmp.cmpfiles(outs[1], outs[2], names, shallow=False)
    assert not mismatch and not errors
    manifest = json.loads((outs[1] / "manifest.json").read_text())
    assert "workers" not in json.dumps(manifest) and "scheduler" not in json.dumps(manifest)


def test_run_bad_workers_exits_2():
    proc = subprocess.run([sys.executable, "-m", "analysis", "run", "--corpus", str(PATHS.teaching), "--workers",
                           "0"], capture_output=True, text=True, cwd=PATHS.root)
    assert proc.returncode == 2 and "at least 1" in proc.stderr and "Traceback" not in proc.stderr


def test_learned_roles_without_the_extra_or_model_exits_2_naming_what_is_missing(tmp_path):
    """Run as a subprocess with an empty models folder in front: what CI sees (no torch) or a missing model."""
    code = ("import sys; from analysis.roles import learned; from pathlib import Path; "
            f"learned.model_path = lambda: Path({str(tmp_path / 'none.npz')!r}); "
            "from analysis.cli import main; "
            f"sys.exit(main(['framing', '--corpus', {str(PATHS.teaching)!r}, '--out', {str(tmp_path / 'o')!r}, "
            "'--learned-roles']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PATHS.root)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "--learned-roles:" in proc.stderr and "Traceback" not in proc.stderr
    assert ("embeddings" in proc.stderr) or ("none.npz" in proc.stderr)
    assert not (tmp_path / "o" / "mentions.csv").exists()
