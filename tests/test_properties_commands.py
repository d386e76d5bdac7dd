"""Every command on generated small corpora (issue 11, item 2): exit 0 with sound numbers, or exit 2.

Hypothesis writes corpora of 1-8 documents in 1-3 groups, with or without a case registry, with
random dates and victim genders, and texts drawn from made-up articles, a few words, empty and
punctuation-only texts. Each command runs in-process through :func:`analysis.cli.main` (the
spaCy model is loaded once). Every outcome must be exit 0 with finite numbers (NaN only with a
non-empty ``reason`` where the table has a reason column), or exit 2 with one ``error:`` line;
never exit 1 and never a traceback. Caches, results and figures go under a scratch project root.
The outcomes are counted and printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import contextlib
import io
import random
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from analysis import cli
from tests.conftest import project_root_at, write_corpus
from tests.test_edge_input import TOPIC_WORDS, VERBS, article

GROUPS = ("north", "south", "east")
GENDERS = ("female", "male", "mixed", "unknown")
NOUNS = tuple(w for topic in TOPIC_WORDS for w in topic)


def mixed(seed: int) -> str:
    """A made-up text on 13 of the 30 nouns, so a noun is in about 3 of 8 documents (kept by the pruning)."""
    rng = random.Random(seed)
    nouns = rng.sample(NOUNS, 13)
    return " ".join(f"The {a} will {rng.choice(VERBS)} the {b}." for a, b in zip(nouns, nouns[1:] + nouns[:1],
                                                                                    strict=True))


#: Made-up texts: mixed nouns (most often), an article of one topic, a few words, empty, punctuation only.
TEXTS = st.one_of(st.integers(0, 10**6).map(mixed), st.integers(0, 10**6).map(mixed), st.integers(0, 40).map(article),
                  st.sampled_from(["", "...", "!? --", "Court.", "hi there"]))
OUTCOMES: Counter = Counter()
EXAMPLES: list[int] = []


@st.composite
def corpora(draw) -> dict:
    """A corpus description: documents (doc_id, region, date, case_id, text) and optional cases."""
    n = draw(st.one_of(st.integers(1, 8), st.integers(6, 8)))       # more often enough for a topic model
    groups = GROUPS[: draw(st.integers(1, 3))]
    with_cases = draw(st.booleans())
    cases = [{"case_id": f"c{j}", "region": g, "victim_gender": draw(st.sampled_from(GENDERS))}
             for j, g in enumerate(groups)] if with_cases else None
    docs = []
    for i in range(n):
        group = draw(st.sampled_from(groups))
        date = draw(st.one_of(st.just(""), st.dates(pd.Timestamp("2017-01-01").date(),
                                                    pd.Timestamp("2020-12-31").date()).map(str)))
        case = f"c{groups.index(group)}" if with_cases and draw(st.booleans()) else "none"
        docs.append({"doc_id": f"d{i}", "region": group, "date": date, "case_id": case, "text": draw(TEXTS)})
    return {"docs": docs, "cases": cases}


def _write(spec: dict, root: Path) -> Path:
    header = "doc_id,region,date,case_id\n"
    rows = "".join(f"{d['doc_id']},{d['region']},{d['date']},{d['case_id']}\n" for d in spec["docs"])
    cases = None
    if spec["cases"]:
        cases = "case_id,region,victim_gender\n" + "".join(
            f"{c['case_id']},{c['region']},{c['victim_gender']}\n" for c in spec["cases"])
    return write_corpus(root, header + rows, {d["doc_id"]: d["text"] for d in spec["docs"]}, cases)


def run_cli(*args: str) -> tuple[int, str, str]:
    """``analysis.cli.main(args)`` in-process: (exit status, stdout, stderr); usage errors give 2."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(list(args))
        except SystemExit as exc:
            rc = int(exc.code or 0)
    return rc, out.getvalue(), err.getvalue()


def table_problems(folder: Path) -> list[str]:
    """Numbers in the CSV tables of ``folder`` that break the rules: inf anywhere; NaN without reason."""
    problems = []
    for csv in sorted(folder.glob("*.csv")):
        table = pd.read_csv(csv)
        numbers = table.drop(columns=["reason"], errors="ignore").select_dtypes("number")
        if np.isinf(numbers.to_numpy(dtype=float)).any():
            problems.append(f"{csv.name}: infinite value")
        if "reason" in table.columns and len(numbers.columns):
            unexplained = numbers.isna().any(axis=1) & table["reason"].astype("string").fillna("").str.strip().eq("")
            if unexplained.any():
                problems.append(f"{csv.name}: NaN without a reason in row(s) {list(table.index[unexplained][:5])}")
    return problems


def commands(corpus: Path, work: Path, first_group: str) -> list[tuple[str, list[str], Path | None]]:
    """(name, argv, folder whose tables to check) for every command."""
    res = work / "results"
    return [
        ("corpus validate", ["corpus", "validate", str(corpus)], None),
        ("run", ["run", "--corpus", str(corpus), "--out", str(res), "--k", "2"], res),
        ("topics", ["topics", "--corpus", str(corpus), "--k", "2", "--out", str(work / "t")], work / "t"),
        ("framing", ["framing", "--corpus", str(corpus), "--out", str(work / "f")], work / "f"),
        ("keyness", ["keyness", "--corpus", str(corpus), "--by", "region", "--a", first_group,
                     "--out", str(work / "k")], work / "k"),
        ("kwic", ["kwic", "--corpus", str(corpus), "--query", "court"], None),
        ("figures", ["figures", "--corpus", str(corpus), "--results", str(res), "--out", str(work / "fig"),
                     "--k", "2"], None),
    ]


def check_outcome(name: str, rc: int, err: str, folder: Path | None) -> str:
    """The outcome's label (``exit 0`` / ``exit 2``); fails the test on any other outcome."""
    assert rc in (0, 2), f"{name}: exit {rc}\n{err[-3000:]}"
    assert "Traceback" not in err and "internal error" not in err, f"{name}:\n{err[-3000:]}"
    if rc == 2:
        errors = [line for line in err.splitlines() if line.startswith("error:") or line.startswith("usage:")]
        assert len(errors) == 1, f"{name}: expected one error line, got\n{err[-3000:]}"
        return "exit 2"
    if folder is not None:
        assert not table_problems(folder), f"{name}: {table_problems(folder)}"
    return "exit 0"


@pytest.fixture(scope="module")
def scratch_root(tmp_path_factory):
    """Point the project root (caches, default results) at a scratch folder for this module."""
    with project_root_at(tmp_path_factory.mktemp("project")) as root:
        yield root
    total = sum(OUTCOMES.values())
    print(f"\n{len(EXAMPLES)} generated corpora, {total} command runs: "
          + ", ".join(f"{k}: {v}" for k, v in sorted(OUTCOMES.items())))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True,
          phases=[Phase.explicit, Phase.generate])    # no shrinking: each example runs every command
@given(spec=corpora())
def test_every_command_exits_0_or_2_with_sound_numbers(scratch_root, spec):
    work = Path(tempfile.mkdtemp(dir=scratch_root))
    corpus = _write(spec, work / "corpus")
    EXAMPLES.append(len(spec["docs"]))
    for name, argv, folder in commands(corpus, work, spec["docs"][0]["region"]):
        rc, _, err = run_cli(*argv)
        OUTCOMES[f"{name} {check_outcome(name, rc, err, folder)}"] += 1


def test_outcome_checks_catch_bad_tables(tmp_path):
    (tmp_path / "a.csv").write_text("contrast,estimate,reason\nx,inf,\ny,,\nz,,no data\n")
    assert table_problems(tmp_path) == ["a.csv: infinite value", "a.csv: NaN without a reason in row(s) [1]"]
    (tmp_path / "a.csv").write_text("contrast,estimate,reason\nx,0.5,\n")     # an empty reason column is fine
    assert table_problems(tmp_path) == []
    with pytest.raises(AssertionError):
        check_outcome("x", 1, "internal error: boom", None)
    with pytest.raises(AssertionError):
        check_outcome("x", 2, "error: one\nerror: two\n", None)
    assert check_outcome("x", 2, "warning: w\nerror: one\n", None) == "exit 2"
