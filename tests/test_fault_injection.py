"""A run killed at any point leaves caches that the next run can use (issue 11, item 3).

``python -m analysis run`` runs in a subprocess on a small made-up corpus and is killed with
SIGKILL at several points: while the token cache is written, while a topic model is saved, while
the framing tables are written (the test polls the cache and output folders and kills as soon as
the stage's files appear, or at the latest at a set share of an uninterrupted run's time), each in
a project of its own. After each kill one more run must finish (exit 0), its CSV tables must be
byte-identical to those of an uninterrupted run in a separate project root, and no temporary file
(``.tmp-`` in the name) may remain anywhere in the project.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis.config import PATHS
from tests.conftest import write_corpus
from tests.test_properties_commands import mixed

pytestmark = pytest.mark.slow


def _corpus(root: Path) -> Path:
    docs = "doc_id,region,date,case_id\n" + "".join(
        f"d{i},{'ab'[i % 2]},2019-0{1 + i % 9}-10,c{i % 2}\n" for i in range(10))
    cases = "case_id,region,victim_gender\nc0,a,female\nc1,b,male\n"
    return write_corpus(root / "fault", docs, {f"d{i}": mixed(i) + "\n\n" + mixed(50 + i) for i in range(10)}, cases)


def _start(project: Path, corpus: Path, out: Path) -> subprocess.Popen:
    env = {"METOO_WORKBENCH_ROOT": str(project), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0",
           "TQDM_DISABLE": "1", "HOME": str(Path.home())}
    log = open(project.parent / f"{project.name}-{time.monotonic_ns()}.log", "w+b")   # a file: a pipe could fill
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "run", "--corpus", str(corpus), "--out", str(out),
                             "--k", "2"], cwd=PATHS.root, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    return proc


def _finish(proc: subprocess.Popen, timeout: float = 300) -> str:
    """Wait for ``proc`` (killed after ``timeout`` s); its output."""
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.log.seek(0)
    text = proc.log.read().decode(errors="replace")
    proc.log.close()
    return text


def _kill_when(proc: subprocess.Popen, seen: Callable[[], bool], timeout: float = 200) -> bool:
    """SIGKILL ``proc`` as soon as ``seen()``; True if it was killed, False if it ended first."""
    end = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < end:
        if seen():
            os.kill(proc.pid, signal.SIGKILL)
            _finish(proc)
            return True
        time.sleep(0.005)
    _finish(proc, 1)
    return False


def _tables(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.csv")) if not p.name.startswith(".")}


def _temporaries(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".tmp-" in p.name)


def _any(folder: Path, *patterns: str) -> Callable[[], bool]:
    """True once a file matching one of ``patterns`` exists in ``folder``."""
    return lambda: folder.is_dir() and any(True for pattern in patterns for _ in folder.glob(pattern))


def _killer(seen: Callable[[], bool], after: float) -> Callable[[], bool]:
    """Kill once the stage's temporaries appear, or at the latest ``after`` seconds into the run
    (a small corpus writes its files in microseconds, so polling alone can miss every point)."""
    start = time.monotonic()
    return lambda: seen() or time.monotonic() - start >= after


def test_killed_runs_resume_to_identical_outputs(tmp_path):
    corpus = _corpus(tmp_path / "corpora")
    reference_root = tmp_path / "reference"
    reference_root.mkdir()
    began = time.monotonic()
    ref = _start(reference_root, corpus, reference_root / "out")
    err = _finish(ref)
    duration = time.monotonic() - began
    assert ref.returncode == 0, err[-2000:]
    expected = _tables(reference_root / "out")
    assert "doc_frames.csv" in expected and "prevalence_effects.csv" in expected

    killed = {}
    for i, (name, fraction) in enumerate((("token cache write", 0.35), ("topic model save", 0.6),
                                          ("framing writes", 0.85))):
        root = tmp_path / f"project{i}"                      # each kill in a cold project of its own
        root.mkdir()
        out = root / "out"
        cache, models = root / "data" / "processed" / "fault", root / "data" / "processed" / "models"
        seen = {"token cache write": _any(cache, ".tokens-*.tmp-*"),
                "topic model save": _any(models, ".lda-*.tmp-*"),
                "framing writes": _any(out, ".doc_frames.csv.tmp-*", ".frame_evidence.csv.tmp-*",
                                       ".mentions.csv.tmp-*", ".frame_effects.csv.tmp-*")}[name]
        proc = _start(root, corpus, out)
        killed[name] = _kill_when(proc, _killer(seen, fraction * duration))
        time.sleep(2.5)                                      # temporaries younger than 2 s are never removed
        final = _start(root, corpus, out)
        err = _finish(final)
        assert final.returncode == 0, f"{name}: {err[-3000:]}"
        got = _tables(out)
        assert sorted(got) == sorted(expected), name
        assert [t for t in expected if got[t] != expected[t]] == [], name
        assert _temporaries(root) == [], name
        assert (out / "manifest.json").is_file()
    print(f"\nkilled at: {killed}")
    assert sum(killed.values()) >= 2, killed                 # most runs were killed, not finished first


def test_leftover_temporaries_are_found(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / ".doc_frames.csv.tmp-123-abc.csv").write_text("half")
    (tmp_path / "a" / "done.csv").write_text("x")
    assert _temporaries(tmp_path) == ["a/b/.doc_frames.csv.tmp-123-abc.csv"]
