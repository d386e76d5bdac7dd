"""Tests for analysis.cli.text_cmds: the keyness and kwic commands, their output and exit codes."""

from __future__ import annotations

import doctest
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli
from analysis.cli import text_cmds
from tests.test_keyness_statistics import TEXTS, make_tokens, row

# --------------------------------------------------------------------------- command line


@pytest.fixture()
def cli_corpus(tmp_path, monkeypatch) -> Path:
    """A CSV corpus on disk and a stand-in for analysis.preprocess (tokens without spaCy)."""
    path = tmp_path / "mini.csv"
    pd.DataFrame({"doc_id": list(TEXTS) + ["b1"],
                  "region": ["hollywood", "hollywood", "pakistan", "bollywood"],
                  "text": list(TEXTS.values()) + ["The producer wept."]}).to_csv(path, index=False)
    fake = types.ModuleType("analysis.preprocess")
    fake.tokens = lambda corpus: make_tokens(dict(zip(corpus.docs["doc_id"], corpus.docs["text"],
                                                      strict=True)))
    monkeypatch.setitem(sys.modules, "analysis.preprocess", fake)
    monkeypatch.setattr(cli, "COMMANDS", ("text_cmds",))
    return path


def test_cli_keyness_writes_csv(cli_corpus, tmp_path, capsys):
    out = tmp_path / "out"
    status = cli.main(["keyness", "--corpus", str(cli_corpus), "--by", "region", "--a",
                       "hollywood", "--b", "pakistan", "--out", str(out), "--min-count", "1"])
    assert status == 0, capsys.readouterr().err
    table = pd.read_csv(out / "keyness.csv")
    assert list(table.columns[:6]) == ["term", "count_a", "count_b", "log_odds_z", "g2",
                                       "log_ratio"]
    assert row(table, "actress").log_odds_z == pytest.approx(0.574636, abs=1e-5)
    assert not list(out.glob(".keyness*"))                       # no temporary file left
    printed = capsys.readouterr().out
    assert "most typical of hollywood: actress" in printed


@pytest.mark.parametrize(("args", "message"), [
    (["--by", "regoin", "--a", "x"], "valid columns: doc_id, region"),
    (["--by", "region", "--a", "holywood"], "valid values of 'region': bollywood, hollywood"),
    (["--by", "region", "--a", "hollywood", "--b", "pakistn"], "pakistan"),
    (["--by", "region", "--a", "hollywood", "--b", "hollywood"], "same documents"),
])
def test_cli_keyness_usage_errors(cli_corpus, tmp_path, capsys, args, message):
    status = cli.main(["keyness", "--corpus", str(cli_corpus), "--out", str(tmp_path), *args])
    assert status == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "keyness.csv").exists()


def test_cli_kwic(cli_corpus, capsys):
    status = cli.main(["kwic", "--corpus", str(cli_corpus), "--query", "producer",
                       "--window", "2", "--by", "region", "--value", "pakistan"])
    assert status == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2 match(es) for 'producer' (word); showing 2"
    assert len(out) == 3 and all(line.startswith("p1") for line in out[1:])
    assert len({line.index("producer") for line in out[1:]}) == 1      # aligned
    assert cli.main(["kwic", "--corpus", str(cli_corpus), "--query", "x", "--by", "region"]) == 2
    assert "--by and --value go together" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["--query", "harass(", "--mode", "regex"], "invalid regular expression 'harass('"),
    (["--query", "x", "--window", "-1"], "--window and --limit must be >= 0"),
    (["--query", "x", "--by", "regoin", "--value", "a"], "no metadata column 'regoin'"),
    (["--query", "x", "--by", "region", "--value", "lollywood"], "valid values of 'region'"),
])
def test_cli_kwic_usage_errors(cli_corpus, capsys, args, message):
    assert cli.main(["kwic", "--corpus", str(cli_corpus), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_cli_kwic_sorted_and_limited(cli_corpus, capsys):
    assert cli.main(["kwic", "--corpus", str(cli_corpus), "--query", "actress", "--window", "1",
                     "--sort", "right", "--limit", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    # actress: h1 "accused", h2 "spoke" and "wept", p1 "." -> sorted by R1: ".", "accused"
    assert out[0] == "4 match(es) for 'actress' (word); showing 2"
    assert [line.split()[0] for line in out[1:]] == ["p1", "h1"]
    assert out[2].endswith("actress  accused")


def test_docstring_examples_run():
    result = doctest.testmod(text_cmds, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0
