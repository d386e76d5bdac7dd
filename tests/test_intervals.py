"""Every interval in every output table is sound (issue 11, item 4; DESIGN.md section 4).

An interval (``estimate`` or ``share``, ``ci_low``, ``ci_high``) either contains its estimate and
lies in the measure's possible range, or is NaN with a non-empty ``reason``. Ranges: a topic share
lies in [0, 1], so a difference of shares in [-1, 1] and an interaction (a difference of two
differences) in [-2, 2]; a rate per 1,000 words lies in [0, 1000], so its differences in
[-1000, 1000] and [-2000, 2000]; role shares (``*_share``) like topic shares; other measures
(counts, scores) need only be finite. Checked on the teaching corpus's results and on generated
corpora run into scratch folders.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import pipeline
from analysis.corpus import CorpusWarning, load
from analysis.errors import ResultWarning
from tests.conftest import write_corpus
from tests.test_properties_commands import mixed

TOL = 1e-9


def measure_range(table_name: str, row: pd.Series) -> tuple[float, float]:
    """The possible range of one row's estimate (see the module docstring)."""
    contrast = str(row.get("contrast", ""))
    width = 2.0 if contrast.startswith("(") else 1.0               # interactions: difference of differences
    if table_name == "topics_over_time":
        return 0.0, 1.0
    if table_name == "prevalence_effects" or str(row.get("measure", "")).endswith("_share"):
        return -width, width
    if table_name == "frame_effects":
        return -1000 * width, 1000 * width
    return -np.inf, np.inf


def interval_problems(table_name: str, table: pd.DataFrame) -> list[str]:
    """Rows of ``table`` whose interval breaks the rules (empty list: all sound)."""
    est_col = "estimate" if "estimate" in table.columns else "share"
    if not {est_col, "ci_low", "ci_high"} <= set(table.columns):
        return []
    problems = []
    reasons = table["reason"].astype("string").fillna("").str.strip() if "reason" in table.columns else None
    for i, row in table.iterrows():
        values = [float(row[est_col]), float(row["ci_low"]), float(row["ci_high"])]
        where = f"{table_name} row {i} ({', '.join(str(row[c]) for c in table.columns[:2])})"
        if any(np.isnan(values)):
            if reasons is None or not reasons[i]:
                problems.append(f"{where}: NaN without a reason")
            continue
        est, low, high = values
        lo, hi = measure_range(table_name, row)
        if not all(np.isfinite(values)):
            problems.append(f"{where}: not finite {values}")
        elif not low - TOL <= est <= high + TOL:
            problems.append(f"{where}: [{low:.4g}, {high:.4g}] does not contain {est:.4g}")
        elif low < lo - TOL or high > hi + TOL:
            problems.append(f"{where}: [{low:.4g}, {high:.4g}] outside the possible range [{lo:g}, {hi:g}]")
    return problems


def folder_problems(folder: Path) -> tuple[int, list[str]]:
    """(number of intervals checked, problems) over every CSV table in ``folder``."""
    checked, problems = 0, []
    for csv in sorted(folder.glob("*.csv")):
        table = pd.read_csv(csv)
        if {"ci_low", "ci_high"} <= set(table.columns):
            checked += len(table)
            problems += interval_problems(csv.stem, table)
    return checked, problems


def test_the_checker_catches_bad_intervals():
    table = pd.DataFrame({"topic": [0, 1, 2, 3, 4, 5],
                          "contrast": ["a - b", "a - b", "(x | a) - (x | b)", "a - b", "a - b", "a - b"],
                          "estimate": [0.2, 0.99, 1.5, np.nan, np.nan, 0.5],
                          "ci_low": [0.1, 0.64, 1.2, np.nan, np.nan, 0.6],
                          "ci_high": [0.3, 1.34, 1.9, np.nan, np.nan, 0.7],
                          "reason": ["", "", "", "no male-victim documents in b", "", ""]})
    problems = interval_problems("prevalence_effects", table)
    assert [p.split(":")[0] for p in problems] == [
        "prevalence_effects row 1 (1, a - b)", "prevalence_effects row 4 (4, a - b)",
        "prevalence_effects row 5 (5, a - b)"]
    assert "outside the possible range [-1, 1]" in problems[0] and "NaN without a reason" in problems[1]
    assert "does not contain 0.5" in problems[2]
    assert interval_problems("frame_effects", table.iloc[[1]]) == []          # a rate: range is wider


@pytest.mark.slow
def test_teaching_corpus_intervals(teaching):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResultWarning)
        out = pipeline.ensure_results(teaching, pipeline.RunParams(), progress=False)
    checked, problems = folder_problems(out)
    assert checked > 300
    assert not problems, "\n".join(problems[:20])


GENERATED = {
    # name: (documents, groups, cases with these victim genders per group or None)
    "two_groups_cases": (8, ("north", "south"), ("female", "male")),
    "three_groups": (8, ("north", "south", "east"), None),
    "one_gender_cell_empty": (8, ("north", "south"), ("female", "female")),
}


def _generated(root: Path, name: str) -> Path:
    n, groups, genders = GENERATED[name]
    rows = "".join(f"d{i},{groups[i % len(groups)]},2019-0{1 + i % 9}-15,{'c' + str(i % len(groups)) if genders else 'none'}\n"
                   for i in range(n))
    cases = None
    if genders:
        cases = "case_id,region,victim_gender\n" + "".join(f"c{j},{g},{genders[j]}\n" for j, g in enumerate(groups))
    return write_corpus(root / name, "doc_id,region,date,case_id\n" + rows,
                        {f"d{i}": mixed(1000 * len(name) + i) + " " + mixed(i) for i in range(n)}, cases)


@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_corpus_intervals(scratch_root, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        warnings.simplefilter("ignore", ResultWarning)
        corpus = load(_generated(Path(tempfile.mkdtemp(dir=scratch_root)), name))
        out = pipeline.run(corpus, pipeline.RunParams(k=2), scratch_root / f"results-{name}", progress=False)
    checked, problems = folder_problems(out)
    assert checked > 0
    assert not problems, "\n".join(problems[:20])
