"""The installable package: the wheel carries every data file the code reads and works without the source tree.

The wheel is built from this checkout, installed with ``--no-deps`` into a fresh virtual environment
that sees the test environment's third-party packages (but not the editable install of the project),
and ``framing`` runs on a small corpus in a folder outside the repository.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analysis.config import PATHS
from tests.conftest import write_corpus


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(PATHS.root)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return next(out.glob("*.whl"))


def test_wheel_holds_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    package_data = [p.relative_to(PATHS.root).as_posix() for p in (PATHS.root / "analysis" / "lexicons").rglob("*")
                    if p.is_file() and p.suffix in (".yaml", ".yml", ".csv", ".txt", ".md", ".json", ".npz")]
    assert package_data, "no lexicon files found in the checkout"
    missing = sorted(set(package_data) - names)
    assert not missing, f"not in the wheel: {missing}"
    assert any(n.startswith("analysis/lexicons/frames/") and n.endswith(".yaml") for n in names)


@pytest.mark.slow
def test_installed_wheel_scores_frames_outside_the_repository(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    target = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 capture_output=True, text=True, check=True).stdout.strip())
    # Third-party packages from the test environment; its .pth files (the editable install) are not read.
    (target / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    docs = "doc_id,region,date,outlet\n" + "".join(f"d{i},{'ab'[i % 2]},2019-0{i % 9 + 1}-01,o{i % 3}\n"
                                                     for i in range(6))
    text = ("The actress filed a complaint with the police and the court will hear the case. "
            "She said the trauma left her with anxiety. Fans on Twitter shared the post.\n")
    corpus = write_corpus(tmp_path / "outside" / "corpus", docs, {f"d{i}": text for i in range(6)})
    env = {k: v for k, v in os.environ.items() if k not in ("METOO_WORKBENCH_ROOT", "PYTHONPATH")}
    env["TQDM_DISABLE"] = "1"
    where = subprocess.run([py, "-c", "import analysis; print(analysis.__file__)"], capture_output=True, text=True,
                           cwd=tmp_path / "outside", env=env)
    assert str(target) in where.stdout, where.stdout + where.stderr
    out = tmp_path / "outside" / "results"
    proc = subprocess.run([py, "-m", "analysis", "framing", "--corpus", str(corpus), "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path / "outside", env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    frames = (out / "doc_frames.csv").read_text()
    assert "legal_institutional" in frames and "trauma_mental_health" in frames
