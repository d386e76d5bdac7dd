"""Figure functions: each takes DataFrames and returns a matplotlib Figure.

The notebooks and :mod:`analysis.paper` call the same functions, so every
figure is drawn by one piece of code; :mod:`analysis.figures` holds the
theme and saves them. Nothing here is specific to a corpus: the grouping
column and its levels are parameters, and groups get colours in order
(:func:`analysis.figures.colours_for`).

Example
-------
>>> import pandas as pd
>>> docs = pd.DataFrame({"year": [2018, 2019], "region": ["a", "b"]})
>>> fig = fig_documents_by_group_year(docs, levels=["a", "b"])
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis import figures


def fig_documents_by_group_year(docs: pd.DataFrame, *, by: str = "region",
                                levels: Sequence[str] | None = None) -> plt.Figure:
    """Stacked bars: documents per year, coloured by group."""
    levels = list(levels) if levels is not None else list(dict.fromkeys(docs[by].dropna()))
    colours = figures.colours_for(levels)
    table = docs.groupby(["year", by]).size().unstack(by).reindex(columns=levels).fillna(0)
    fig, ax = plt.subplots(figsize=figures.ONE_COLUMN)
    bottom = np.zeros(len(table))
    for r in levels:
        ax.bar(table.index.astype(str), table[r], bottom=bottom, label=r, color=colours.get(r))
        bottom += table[r].to_numpy()
    ax.set_xlabel("year")
    ax.set_ylabel("documents")
    ax.legend(frameon=False)
    return fig


def fig_length_distribution(docs: pd.DataFrame, *, by: str = "region",
                            levels: Sequence[str] | None = None) -> plt.Figure:
    """Box plots of article length (words) by group and alleged-victim gender."""
    levels = list(levels) if levels is not None else list(dict.fromkeys(docs[by].dropna()))
    fig, ax = plt.subplots(figsize=figures.ONE_COLUMN)
    hue = "victim_gender" if "victim_gender" in docs.columns else None
    with warnings.catch_warnings():
        # seaborn 0.13 passes matplotlib's deprecated ``vert`` to bxp (its own call, not ours); the warning
        # would appear in notebooks only when this runs first in a session.
        warnings.filterwarnings("ignore", message="vert: bool was deprecated")
        sns.boxplot(data=docs, x=by, y="n_words", hue=hue, order=levels,
                    palette=figures.colours_for(levels) if hue else None, ax=ax, fliersize=2, linewidth=0.6)
    ax.set_xlabel("")
    ax.set_ylabel("words per article")
    if hue:
        ax.legend(title="alleged victim", frameon=False, fontsize=6, title_fontsize=6)
    return fig


def fig_model_selection(selection: pd.DataFrame, chosen: int | None = None) -> plt.Figure:
    """Coherence, exclusivity and held-out perplexity against K."""
    cols = ["c_v", "c_npmi", "u_mass", "exclusivity", "heldout_perplexity"]
    fig, axes = plt.subplots(1, len(cols), figsize=(figures.TWO_COLUMN[0], 1.8))
    for ax, col in zip(axes, cols, strict=True):
        ax.plot(selection["k"], selection[col], marker="o", ms=3, color=figures.PALETTE[4])
        if chosen is not None:
            ax.axvline(chosen, color="#999999", lw=0.8, ls="--")
        ax.set_title(col.replace("_", " "))
        ax.set_xlabel("K")
    fig.tight_layout()
    return fig


def fig_contrasts(effects: pd.DataFrame, contrasts, *, item: str, names: dict | None = None,
                  xlabel: str = "difference") -> plt.Figure:
    """Point estimates with intervals, one panel per contrast, one row per item (topic or frame)."""
    contrasts = list(contrasts)
    sub = effects[effects["contrast"].isin(contrasts)].copy()
    sub["label"] = sub[item].map(names) if names else sub[item].astype(str)
    items = list(dict.fromkeys(sub.sort_values(item)["label"]))
    height = max(2.0, 0.22 * len(items) + 0.8)
    fig, axes = plt.subplots(1, len(contrasts), figsize=(figures.TWO_COLUMN[0], height), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, name in zip(axes, contrasts, strict=True):
        part = sub[sub["contrast"] == name].set_index("label").reindex(items)
        y = np.arange(len(items))
        excl = (part["ci_low"] > 0) | (part["ci_high"] < 0)
        colours = np.where(excl, figures.PALETTE[5], "#999999")
        ax.errorbar(part["estimate"], y, xerr=[part["estimate"] - part["ci_low"], part["ci_high"] - part["estimate"]],
                    fmt="none", ecolor=colours, elinewidth=1)
        ax.scatter(part["estimate"], y, c=colours, s=10, zorder=3)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_yticks(y, items)
        ax.invert_yaxis()
        ax.set_title(name, fontsize=7)
        ax.set_xlabel(xlabel)
    fig.tight_layout()
    return fig


def fig_topics_over_time(over_time: pd.DataFrame, topic_ids, names: dict | None = None, *,
                         levels: Sequence[str] | None = None) -> plt.Figure:
    """Mean topic share per year and group, with intervals, for selected topics."""
    topic_ids = list(topic_ids)
    levels = list(levels) if levels is not None else list(dict.fromkeys(over_time["group"]))
    colours = figures.colours_for(levels)
    fig, axes = plt.subplots(1, len(topic_ids), figsize=(figures.TWO_COLUMN[0], 2.0), sharey=True)
    for ax, t in zip(np.atleast_1d(axes), topic_ids, strict=True):
        part = over_time[over_time["topic"] == t]
        for g in [lv for lv in levels if lv in set(part["group"])]:
            p = part[part["group"] == g].sort_values("period")
            x = p["period"].astype(int)
            ax.plot(x, p["share"], marker="o", ms=2.5, lw=1, label=g, color=colours.get(g))
            ax.fill_between(x, p["ci_low"], p["ci_high"], alpha=0.15, color=colours.get(g), lw=0)
        ax.set_title(names.get(t, f"T{t}") if names else f"T{t}", fontsize=7)
        ax.set_xlabel("year")
    np.atleast_1d(axes)[0].set_ylabel("mean topic share")
    np.atleast_1d(axes)[-1].legend(frameon=False, fontsize=6)
    fig.tight_layout()
    return fig


def fig_frame_rates(doc_frames: pd.DataFrame, docs: pd.DataFrame, by: str = "region",
                    levels: Sequence[str] | None = None) -> plt.Figure:
    """Mean frame rate per 1,000 words by group (bars with 95% bootstrap intervals)."""
    data = doc_frames.merge(docs[["doc_id", by]], on="doc_id")
    data = data[data[by].isin(["female", "male"])] if by == "victim_gender" else data
    if by == "victim_gender":
        order = ["female", "male"]
    else:
        order = list(levels) if levels is not None else list(dict.fromkeys(data[by].dropna()))
    fig, ax = plt.subplots(figsize=(figures.TWO_COLUMN[0], 2.6))
    sns.barplot(data=data, x="frame", y="rate_per_1k", hue=by, hue_order=order, errorbar=("ci", 95),
                n_boot=500, seed=1, palette=figures.colours_for(order), ax=ax, err_kws={"linewidth": 0.8})
    ax.set_xlabel("")
    ax.set_ylabel("hits per 1,000 words")
    ax.tick_params(axis="x", rotation=35)
    for lbl in ax.get_xticklabels():
        lbl.set_horizontalalignment("right")
    ax.legend(frameon=False, fontsize=6)
    fig.tight_layout()
    return fig


def fig_agency(role_measures: pd.DataFrame, docs: pd.DataFrame, measure: str = "agency", *,
               by: str = "region", levels: Sequence[str] | None = None) -> plt.Figure:
    """Share of mentions as active subject, victims vs accused, by group."""
    data = role_measures[role_measures["measure"] == measure].merge(docs[["doc_id", by]], on="doc_id")
    data = data[data["role"].isin(["victim", "accused"])]
    levels = list(levels) if levels is not None else list(dict.fromkeys(data[by].dropna()))
    fig, ax = plt.subplots(figsize=figures.ONE_COLUMN)
    sns.pointplot(data=data, x=by, y="value", hue="role", order=levels,
                  errorbar=("ci", 95), n_boot=500, seed=1, dodge=0.3, linestyle="none", markersize=4,
                  palette={"victim": figures.PALETTE[6], "accused": figures.PALETTE[4]}, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel(f"{measure} (share of mentions)")
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, fontsize=6)
    return fig


def fig_keyness(table: pd.DataFrame, a: str, b: str, n: int = 15,
                colours: dict[str, str] | None = None) -> plt.Figure:
    """Top distinctive terms of each side by log-odds z-score (Monroe et al. 2008)."""
    colours = colours or {}
    top = pd.concat([table.nlargest(n, "log_odds_z"), table.nsmallest(n, "log_odds_z")])
    top = top.sort_values("log_odds_z")
    fig, ax = plt.subplots(figsize=(figures.ONE_COLUMN[0], 0.14 * len(top) + 0.8))
    bars = np.where(top["log_odds_z"] > 0, colours.get(a, figures.PALETTE[0]), colours.get(b, figures.PALETTE[1]))
    ax.barh(top["term"], top["log_odds_z"], color=bars)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel(f"log-odds z  (← {b}   {a} →)")
    ax.tick_params(axis="y", labelsize=6)
    return fig
