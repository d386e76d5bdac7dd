"""Figures are byte-identical on re-run and recorded in INDEX.md; tables go to CSV and LaTeX."""

from __future__ import annotations

import hashlib

import matplotlib.pyplot as plt
import pandas as pd

from analysis import figures


def _draw():
    figures.set_theme()
    fig, ax = plt.subplots(figsize=figures.TWO_COLUMN)
    colours = figures.colours_for(["a", "b", "c"])
    ax.bar(["a", "b", "c"], [3, 4, 5], color=[colours[g] for g in ("a", "b", "c")])
    ax.set_title("Documents by region")
    return fig


def _digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_save_twice_gives_byte_identical_files(tmp_path):
    first = _digest(figures.save(_draw(), "fig_test", caption="Test.", notebook="t", out_dir=tmp_path))
    plt.close("all")
    second = _digest(figures.save(_draw(), "fig_test", caption="Test.", notebook="t", out_dir=tmp_path))
    plt.close("all")
    assert first == second
    assert set(first) == {"fig_test.pdf", "fig_test.svg", "fig_test.png"}
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_index_records_caption_notebook_and_parameters(tmp_path):
    figures.save(_draw(), "fig_a", caption="Alpha | beta.", notebook="01-x", parameters={"k": 8},
                 out_dir=tmp_path)
    plt.close("all")
    figures.save_table(pd.DataFrame({"x": [1.5]}), "tab_b", caption="A table.", notebook="02-y", out_dir=tmp_path)
    index = (tmp_path / "INDEX.md").read_text()
    assert "| fig_a | figure | Alpha \\| beta. | 01-x | k=8 | fig_a.pdf, fig_a.png, fig_a.svg |" in index
    assert "| tab_b | table | A table. | 02-y |" in index
    tex = (tmp_path / "tables" / "tab_b.tex").read_text()
    assert "\\toprule" in tex and "1.50" in tex


def test_groups_get_distinct_colours_in_order_and_genders_keep_theirs():
    levels = [f"g{i}" for i in range(len(figures.GROUP_SEQUENCE))]
    colours = figures.colours_for(levels)
    assert [colours[g] for g in levels] == list(figures.GROUP_SEQUENCE)
    assert len(set(colours[g] for g in levels)) == len(levels)
    assert colours["female"] != colours["male"]
    assert figures.colours_for(levels + ["extra"])["extra"] == "#999999"
    # the same level gets the same colour whatever the other levels are called
    assert figures.colours_for(["a", "b"])["b"] == figures.colours_for(["x", "y"])["y"]
