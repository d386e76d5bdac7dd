"""Lexicon loaders of the role analysis (analysis.roles.lexicons).

Formats and labels of the power/agency lexicon, error messages that name the
file line (comment lines included), LexiconError, the verb classes read from
the shipped files, and the cache that re-reads an edited file.
"""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import roles
from analysis.errors import CorpusError, LexiconError
from analysis.roles import lexicons


def test_load_verb_lexicon_formats(tmp_path):
    p = tmp_path / "cf.csv"
    p.write_text("# connotation frames\nVerb,Agency,Power,extra\n"
                 "harass,agency_pos,power_agent,x\nsuffer,agency_neg,power_theme,x\n"
                 "say,agency_equal,power_equal,x\nHelp,0.5,-0.25,x\nignore,,,x\nharass,1,0,x\n")
    lex = roles.load_verb_lexicon(p).set_index("verb")
    assert lex.loc["suffer"].tolist() == [-1.0, -1.0]
    assert lex.loc["say"].tolist() == [0.0, 0.0]
    assert lex.loc["help"].tolist() == [0.5, -0.25]
    assert lex.loc["ignore"].isna().all()
    assert lex.loc["harass"].tolist() == [1.0, 0.0]        # the last row of a duplicate wins
    default = roles.load_verb_lexicon()
    assert {"verb", "agency", "power"} <= set(default.columns) and len(default) > 20


def test_load_verb_lexicon_errors_are_lexicon_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("verb,agency,power\nharass,very_much,power_agent\n")
    with pytest.raises(LexiconError, match=r"bad.csv line 2, column 'agency'") as err:
        roles.load_verb_lexicon(bad)
    assert not isinstance(err.value, CorpusError)
    nohead = tmp_path / "nohead.csv"
    nohead.write_text("# a comment\nword,agency,power\nharass,1,1\n")
    with pytest.raises(LexiconError, match=r"line 2: no 'verb' column"):
        roles.load_verb_lexicon(nohead)
    with pytest.raises(LexiconError, match="missing.csv"):
        roles.load_verb_lexicon(tmp_path / "missing.csv")


def test_error_after_comment_lines_names_the_file_line(tmp_path):
    p = tmp_path / "cf.csv"
    p.write_text("# comment one\n# comment two\nverb,agency,power\nharass,1,1\ngrope,1,lots\n")
    with pytest.raises(LexiconError, match=r"line 5, column 'power'"):
        roles.load_verb_lexicon(p)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.lists(st.sampled_from(["row", "comment", "blank"]), min_size=1, max_size=12),
       bad_at=st.integers(min_value=0, max_value=11), lead=st.integers(min_value=0, max_value=3))
def test_error_line_is_the_file_line(tmp_path_factory, layout, bad_at, lead):
    """Property: whatever comments and blank lines surround the rows, the reported line is the
    line of the bad value in the file (1-based)."""
    lines = ["# header comment"] * lead + ["verb,agency,power"]
    rows = [i for i, kind in enumerate(layout) if kind == "row"] or [0]
    bad = rows[bad_at % len(rows)]
    for i, kind in enumerate(layout):
        if i == bad:
            lines.append(f"verb{i},oops,1")
        elif kind == "row":
            lines.append(f"verb{i},1,0")
        else:
            lines.append("# note" if kind == "comment" else "")
    p = tmp_path_factory.mktemp("lex") / "cf.csv"
    p.write_text("\n".join(lines) + "\n")
    expected = lines.index(f"verb{bad},oops,1") + 1
    with pytest.raises(LexiconError, match=rf"line {expected}, column 'agency'"):
        roles.load_verb_lexicon(p)


def _touch_later(path):
    st_ = os.stat(path)
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 1_000_000_000))


def test_an_edited_lexicon_is_read_again(tmp_path):
    p = tmp_path / "cf.csv"
    p.write_text("verb,agency,power\nharass,1,1\n")
    assert roles.load_verb_lexicon(p)["power"].tolist() == [1.0]
    p.write_text("verb,agency,power\nharass,1,0\n")          # same size: the mtime tells
    _touch_later(p)
    assert roles.load_verb_lexicon(p)["power"].tolist() == [0.0]
    out = roles.load_verb_lexicon(p)
    out.loc[0, "power"] = 5.0                                 # the caller's copy, not the cache
    assert roles.load_verb_lexicon(p)["power"].tolist() == [0.0]


def test_verb_sets_follow_the_files(tmp_path, monkeypatch):
    folder = tmp_path / "lexicons"
    shutil.copytree(lexicons.lexicon_path("verbs.csv").parent, folder)
    monkeypatch.setattr(lexicons, "lexicon_path", lambda name: folder / name)
    shipped = pd.read_csv(folder / "harassment_verbs.csv")
    sets = lexicons.verb_sets()
    assert sets["accuse"] == frozenset(shipped.loc[shipped["kind"] == "accuse", "verb"])
    assert len(sets["accuse"]) == 14
    assert set(shipped.loc[shipped["kind"] == "act", "verb"]) <= sets["harm"]
    assert not sets["assertive"] & sets["hedged"]
    with open(folder / "harassment_verbs.csv", "a", encoding="utf-8") as fh:
        fh.write("blame,accuse\nsnub,act\n")
    sets = lexicons.verb_sets()
    assert "blame" in sets["accuse"] and "snub" in sets["harm"]
    with open(folder / "names_gender.csv", "a", encoding="utf-8") as fh:
        fh.write("Zorblax,female\n")
    assert lexicons.name_genders()["zorblax"] == "female"


def test_comment_lines_in_a_verb_file_are_skipped(tmp_path, monkeypatch):
    folder = tmp_path / "lexicons"
    shutil.copytree(lexicons.lexicon_path("verbs.csv").parent, folder)
    monkeypatch.setattr(lexicons, "lexicon_path", lambda name: folder / name)
    path = folder / "reporting_verbs.csv"
    path.write_text("# reporting verbs\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert "claim" in lexicons.verb_sets()["hedged"]


def test_a_missing_lexicon_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicons, "lexicon_path", lambda name: tmp_path / name)
    with pytest.raises(LexiconError, match="harassment_verbs.csv"):
        lexicons.verb_sets()


def test_victim_pronoun_patterns_follow_the_file_and_name_a_bad_line(tmp_path, monkeypatch):
    folder = tmp_path / "lexicons"
    shutil.copytree(lexicons.lexicon_path("verbs.csv").parent, folder)
    monkeypatch.setattr(lexicons, "lexicon_path", lambda name: folder / name)
    assert {g for g, _ in lexicons.victim_pronoun_patterns()} == {"female", "male"}
    path = folder / "roles" / "victim_pronoun_patterns.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + 'zorb_her,female,"\\bzorbled\\s+her\\b"\n', encoding="utf-8")
    assert any(p.search("he zorbled her") for _, p in lexicons.victim_pronoun_patterns())
    n = len(text.splitlines()) + 1
    path.write_text(text + "bad,female,(unclosed\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=f"victim_pronoun_patterns.csv line {n}"):
        lexicons.victim_pronoun_patterns()


def test_pattern_files_stay_cached_when_called_alternately(monkeypatch):
    """The two gender-pattern files have one cache entry each: alternating calls read neither again."""
    from analysis.roles import lexicons as lx

    lx.victim_pronoun_patterns()
    lx.group_victim_patterns()
    reads = []
    real = lx.read_table
    monkeypatch.setattr(lx, "read_table", lambda path: reads.append(path) or real(path))
    for _ in range(3):
        lx.victim_pronoun_patterns()
        lx.group_victim_patterns()
    assert reads == []
