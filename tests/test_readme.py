"""The README's walk-through for your own corpus: every command in it runs, as written, and succeeds.

The commands are read from the README's walk-through block, so README and test cannot drift apart;
``my_pages`` is a folder of project-written HTML pages (benchmarks/fixtures/pages), and the
commands run in a scratch project root so nothing is written into the repository.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import PATHS

PAGES = PATHS.root / "benchmarks" / "fixtures" / "pages"


def walkthrough_commands() -> list[list[str]]:
    text = (PATHS.root / "README.md").read_text(encoding="utf-8")
    section = text.split("### Walk-through", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_walkthrough_has_the_four_steps():
    commands = [" ".join(c[1:]) for c in walkthrough_commands()]
    assert commands[0].startswith("-m analysis corpus") and any("figures" in c for c in commands)


@pytest.mark.slow
def test_every_walkthrough_command_succeeds(tmp_path):
    if not any(PAGES.glob("*.html")):
        pytest.skip(f"no HTML fixture pages in {PAGES}")
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copytree(PAGES, root / "my_pages", ignore=shutil.ignore_patterns("*.txt", "*.json"))
    env = {**os.environ, "METOO_WORKBENCH_ROOT": str(root), "TQDM_DISABLE": "1"}
    for cmd in walkthrough_commands():
        assert cmd[0] == ".venv/bin/python"
        proc = subprocess.run([sys.executable, *cmd[1:]], cwd=root, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr[-3000:]}"
    report = (root / "my_corpus" / "import_report.csv").read_text()
    assert report.count("\n") > len(list(PAGES.glob("*.html")))
    index = json.loads((root / "figures" / "my_corpus" / "index.json").read_text())
    assert "fig02_article_length" in index
    assert (root / "data" / "processed" / "my_corpus" / "results" / "manifest.json").is_file()
    assert not Path(PATHS.figures / "my_corpus").exists()
