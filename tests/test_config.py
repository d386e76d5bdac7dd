"""The project root is found from the repo root, from notebooks/, and via the environment."""

from __future__ import annotations

import subprocess
import sys

from analysis.config import DEFAULTS, PATHS, find_root


def test_root_has_package_and_paths_hang_off_it():
    assert (PATHS.root / "analysis" / "config.py").is_file()
    assert PATHS.teaching == PATHS.root / "data" / "raw" / "teaching"
    assert PATHS.processed_for("x") == PATHS.root / "data" / "processed" / "x"
    assert DEFAULTS.seed == 20181010


def test_root_found_from_notebooks_folder():
    out = subprocess.run([sys.executable, "-c", "from analysis.config import PATHS; print(PATHS.root)"],
                         cwd=PATHS.notebooks, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(PATHS.root)


def test_environment_variable_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("METOO_WORKBENCH_ROOT", str(tmp_path))
    assert find_root() == tmp_path.resolve()
