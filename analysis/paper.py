"""The paper's headline figures and tables, built from the pipeline's cached tables.

Each ``fig_*`` function takes DataFrames and returns a matplotlib Figure (the
notebooks call them too, so a figure is drawn by one piece of code only);
:func:`build_all` reads the result tables of ``python -m analysis run`` and
saves every figure and table through :mod:`analysis.figures`.

Example
-------
>>> from analysis import paper
>>> saved = paper.build_all("data/processed/results")     # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis import figures
from analysis.compare import order_regions
from analysis.config import PATHS

REGION_CONTRASTS = ("bollywood - hollywood", "pakistan - hollywood", "pakistan - bollywood")


def fig_documents_by_region_year(docs: pd.DataFrame) -> plt.Figure:
    """Stacked bars: documents per year, coloured by region."""
    regions = order_regions(docs["region"].unique())
    table = docs.groupby(["year", "region"]).size().unstack("region").reindex(columns=regions).fillna(0)
    fig, ax = plt.subplots(figsize=figures.ONE_COLUMN)
    bottom = np.zeros(len(table))
    for r in regions:
        ax.bar(table.index.astype(str), table[r], bottom=bottom, label=r,
               color=figures.GROUP_COLOURS.get(r))
        bottom += table[r].to_numpy()
    ax.set_xlabel("year")
    ax.set_ylabel("documents")
    ax.legend(frameon=False)
    return fig


def fig_length_distribution(docs: pd.DataFrame) -> plt.Figure:
    """Box plots of article length (words) by region and alleged-victim gender."""
    fig, ax = plt.subplots(figsize=figures.ONE_COLUMN)
    sns.boxplot(data=docs, x="region", y="n_words", hue="victim_gender", order=order_regions(docs["region"].unique()),
                palette={k: v for k, v in figures.GROUP_COLOURS.items()}, ax=ax, fliersize=2, linewidth=0.6)
    ax.set_xlabel("")
    ax.set_ylabel("words per article")
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


def fig_topics_over_time(over_time: pd.DataFrame, topic_ids, names: dict | None = None) -> plt.Figure:
    """Mean topic share per year and region, with intervals, for selected topics."""
    topic_ids = list(topic_ids)
    fig, axes = plt.subplots(1, len(topic_ids), figsize=(figures.TWO_COLUMN[0], 2.0), sharey=True)
    for ax, t in zip(np.atleast_1d(axes), topic_ids, strict=True):
        part = over_time[over_time["topic"] == t]
        for g in order_regions(part["group"].unique()):
            p = part[part["group"] == g].sort_values("period")
            x = p["period"].astype(int)
            ax.plot(x, p["share"], marker="o", ms=2.5, lw=1, label=g, color=figures.GROUP_COLOURS.get(g))
            ax.fill_between(x, p["ci_low"], p["ci_high"], alpha=0.15, color=figures.GROUP_COLOURS.get(g), lw=0)
        ax.set_title(names.get(t, f"T{t}") if names else f"T{t}", fontsize=7)
        ax.set_xlabel("year")
    np.atleast_1d(axes)[0].set_ylabel("mean topic share")
    np.atleast_1d(axes)[-1].legend(frameon=False, fontsize=6)
    fig.tight_layout()
    return fig


def fig_frame_rates(doc_frames: pd.DataFrame, docs: pd.DataFrame, by: str = "region") -> plt.Figure:
    """Mean frame rate per 1,000 words by group (bars with 95% bootstrap intervals)."""
    data = doc_frames.merge(docs[["doc_id", by]], on="doc_id")
    data = data[data[by].isin(["female", "male"])] if by == "victim_gender" else data
    order = order_regions(data[by].unique()) if by == "region" else ["female", "male"]
    fig, ax = plt.subplots(figsize=(figures.TWO_COLUMN[0], 2.6))
    sns.barplot(data=data, x="frame", y="rate_per_1k", hue=by, hue_order=order, errorbar=("ci", 95),
                n_boot=500, seed=1, palette=figures.GROUP_COLOURS, ax=ax, err_kws={"linewidth": 0.8})
    ax.set_xlabel("")
    ax.set_ylabel("hits per 1,000 words")
    ax.tick_params(axis="x", rotation=35)
    for lbl in ax.get_xticklabels():
        lbl.set_horizontalalignment("right")
    ax.legend(frameon=False, fontsize=6)
    fig.tight_layout()
    return fig


def fig_agency(role_measures: pd.DataFrame, docs: pd.DataFrame, measure: str = "agency") -> plt.Figure:
    """Share of mentions as active subject, victims vs accused, by region."""
    data = role_measures[role_measures["measure"] == measure].merge(docs[["doc_id", "region"]], on="doc_id")
    data = data[data["role"].isin(["victim", "accused"])]
    fig, ax = plt.subplots(figsize=figures.ONE_COLUMN)
    sns.pointplot(data=data, x="region", y="value", hue="role", order=order_regions(data["region"].unique()),
                  errorbar=("ci", 95), n_boot=500, seed=1, dodge=0.3, linestyle="none", markersize=4,
                  palette={"victim": figures.PALETTE[6], "accused": figures.PALETTE[4]}, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel(f"{measure} (share of mentions)")
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, fontsize=6)
    return fig


def fig_keyness(table: pd.DataFrame, a: str, b: str, n: int = 15) -> plt.Figure:
    """Top distinctive terms of each side by log-odds z-score (Monroe et al. 2008)."""
    top = pd.concat([table.nlargest(n, "log_odds_z"), table.nsmallest(n, "log_odds_z")])
    top = top.sort_values("log_odds_z")
    fig, ax = plt.subplots(figsize=(figures.ONE_COLUMN[0], 0.14 * len(top) + 0.8))
    colours = np.where(top["log_odds_z"] > 0, figures.GROUP_COLOURS.get(a, figures.PALETTE[0]),
                       figures.GROUP_COLOURS.get(b, figures.PALETTE[1]))
    ax.barh(top["term"], top["log_odds_z"], color=colours)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel(f"log-odds z  (← {b}   {a} →)")
    ax.tick_params(axis="y", labelsize=6)
    return fig


def _read(results: Path, name: str) -> pd.DataFrame | None:
    path = results / name
    return pd.read_csv(path) if path.is_file() else None


def build_all(results: str | Path | None = None, out_dir: str | Path | None = None) -> list[str]:
    """Regenerate every headline figure and table from the result tables; return their names.

    Result tables that are missing or were made from another version of the
    teaching corpus are recomputed first (through the per-stage cache).
    """
    from analysis import corpus as corpus_mod
    from analysis import pipeline

    results = Path(results) if results else PATHS.results
    teaching = corpus_mod.load(PATHS.teaching)
    pipeline.ensure_results(teaching, results)     # cold cache: computes; warm: reads
    figures.set_theme()
    meta = json.loads((results / "topics.json").read_text())
    params = {"corpus": "teaching", "k": meta["k"], "seed": meta["seed"]}
    docs = teaching.docs
    terms = _read(results, "topic_terms.csv")
    names = {t: f"T{t} " + "·".join(g.sort_values("rank")["term_frex"].head(3)) for t, g in terms.groupby("topic")}
    saved: list[str] = []

    def keep(fig, name, caption, notebook):
        # The same parameters as the notebook that draws the figure, so INDEX.md does not depend on
        # which of the two wrote it last.
        if notebook.startswith("01"):
            used = {"corpus": "teaching"}
        elif notebook[:2] in ("03", "04"):
            used = params
        else:
            used = {"corpus": "teaching", "seed": meta["seed"]}
        figures.save(fig, name, caption=caption, notebook=notebook, parameters=used, out_dir=out_dir)
        plt.close(fig)
        saved.append(name)

    keep(fig_documents_by_region_year(docs), "fig01_documents_by_region_year",
         "Teaching corpus: documents per year and region.", "01-corpus-overview")
    keep(fig_length_distribution(docs), "fig02_article_length",
         "Article length in words by region and alleged-victim gender.", "01-corpus-overview")
    sel = _read(results, "model_selection.csv")
    if sel is not None:
        keep(fig_model_selection(sel, meta["k"]), "fig03_model_selection",
             f"Topic-model selection: coherence, exclusivity and held-out perplexity by K (chosen K={meta['k']}).",
             "03-topic-model")
    prev = _read(results, "prevalence_effects.csv")
    prev = prev[prev["method"] == "composition"]
    keep(fig_contrasts(prev, REGION_CONTRASTS, item="topic", names=names, xlabel="difference in topic share"),
         "fig04_topic_region_contrasts",
         "Topic prevalence differences between regions (method of composition, 95% intervals; "
         "coloured where the interval excludes zero).", "04-topics-by-region-and-victim-gender")
    keep(fig_contrasts(prev, ["male - female"] + [f"male - female | {r}" for r in ("hollywood", "bollywood", "pakistan")],
                       item="topic", names=names, xlabel="difference in topic share"),
         "fig05_topic_gender_contrasts",
         "Topic prevalence: male minus female alleged victims, overall and within each region (95% intervals).",
         "04-topics-by-region-and-victim-gender")
    effects = _read(results, "frame_effects.csv")
    frames_only = effects[~effects["frame"].str.contains(":")]
    keep(fig_contrasts(frames_only, REGION_CONTRASTS, item="frame", xlabel="difference, hits per 1,000 words"),
         "fig06_frame_region_contrasts",
         "Frame emphasis differences between regions (cluster bootstrap by case, 95% intervals).",
         "05-framing-by-region")
    keep(fig_contrasts(frames_only, ["male - female"] + [f"male - female | {r}" for r in ("hollywood", "bollywood", "pakistan")],
                       item="frame", xlabel="difference, hits per 1,000 words"),
         "fig07_frame_gender_contrasts",
         "Framing of male versus female alleged victims, overall and within each region (95% intervals).",
         "06-gender-of-victim-framing")
    roles_tab = _read(results, "role_measures.csv")
    if roles_tab is not None:
        keep(fig_agency(roles_tab, docs), "fig08_agency_by_role",
             "Grammatical agency: share of mentions as active subject, alleged victims vs accused (95% intervals).",
             "06-gender-of-victim-framing")
    key = _read(results, "keyness_region_pakistan_vs_bollywood.csv")
    if key is not None:
        keep(fig_keyness(key, "pakistan", "bollywood"), "fig09_keyness_pakistan_bollywood",
             "Distinctive lemmas, Pakistan vs Bollywood coverage (log-odds with informative Dirichlet prior).",
             "07-keyness-and-concordance")

    def table(frame, name, caption, notebook):
        figures.save_table(frame, name, caption=caption, notebook=notebook, parameters=params, out_dir=out_dir)
        saved.append(name)

    main = ["bollywood - hollywood", "pakistan - hollywood", "pakistan - bollywood", "male - female"]
    table(frames_only[frames_only["contrast"].isin(main)][["frame", "contrast", "estimate", "ci_low", "ci_high", "p_adj"]]
          .round(3), "tab01_frame_effects", "Frame contrasts with 95% cluster-bootstrap intervals and Holm-adjusted "
          "permutation p-values.", "05-framing-by-region")
    table(prev[prev["contrast"].isin(main)][["topic", "contrast", "estimate", "ci_low", "ci_high"]].round(3),
          "tab02_topic_prevalence_effects", "Topic prevalence contrasts (method of composition, 95% intervals).",
          "04-topics-by-region-and-victim-gender")
    top_terms = terms[terms["rank"] <= 8].groupby("topic").agg(
        probability=("term", " ".join), frex=("term_frex", " ".join), relevance=("term_relevance", " ".join))
    table(top_terms.reset_index(), "tab03_topic_labels", "Top terms per topic by probability, FREX and relevance "
          "(lambda 0.6).", "03-topic-model")
    if sel is not None:
        table(sel.round(3), "tab04_model_selection", "Model selection statistics by K.", "03-topic-model")
    return saved
