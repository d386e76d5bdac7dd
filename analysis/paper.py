"""The paper's headline figures and tables, drawn from a results folder only.

:func:`build_all` reads the result tables and ``manifest.json`` that
``python -m analysis run`` wrote (it never computes: the command line and
notebook 08 call :func:`analysis.pipeline.ensure_results` first), draws
every figure with :mod:`analysis.plots` and saves it with
:mod:`analysis.figures` into the corpus's own figures folder.

Example
-------
>>> from analysis import paper
>>> saved = paper.build_all("data/processed/teaching/results", "figures/teaching")   # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from analysis import figures, plots, provenance, topic_selection
from analysis.contrasts import specify
from analysis.errors import ResultsError


def _read(results: Path, name: str) -> pd.DataFrame | None:
    path = results / name
    return pd.read_csv(path, keep_default_na=False, na_values=[""]) if path.is_file() else None


class _Saver:
    """Saves figures and tables into one corpus's figures folder with the run's parameters."""

    def __init__(self, out_dir: Path, manifest: dict):
        self.out_dir, self.saved = out_dir, []
        params = manifest["parameters"]
        corpus = manifest["corpus"]["name"]
        by = manifest["group_by"]
        # The same parameters as the notebook that draws the figure, so INDEX.md does not depend on
        # which of the two wrote it last.
        self.params = {
            "01": {"corpus": corpus, "by": by},
            "03": {"corpus": corpus, "by": by, "k": manifest["k"], "seed": params["seed"]},
            "other": {"corpus": corpus, "by": by, "seed": params["seed"]},
        }
        self.params["04"] = self.params["03"]

    def _used(self, notebook: str) -> dict:
        return self.params.get(notebook[:2], self.params["other"])

    def figure(self, fig, name: str, caption: str, notebook: str) -> None:
        figures.save(fig, name, caption=caption, notebook=notebook, parameters=self._used(notebook),
                     out_dir=self.out_dir)
        plt.close(fig)
        self.saved.append(name)

    def table(self, frame: pd.DataFrame, name: str, caption: str, notebook: str) -> None:
        figures.save_table(frame, name, caption=caption, notebook=notebook, parameters=self.params["03"],
                           out_dir=self.out_dir)
        self.saved.append(name)


def _contrast_names(levels: list[str], has_gender: bool) -> tuple[list[str], list[str]]:
    """Between-group contrasts and victim-gender contrasts (overall and within groups)."""
    spec = specify(levels, genders=has_gender)
    pairs = [c.name for c in spec if c.kind == "groups"]
    gender = [c.name for c in spec if c.kind == "gender"]
    return pairs, gender


def _topic_figures(save: _Saver, results: Path, m: dict, names: dict) -> pd.DataFrame:
    by, levels = m["group_by"], m["levels"]
    sel = _read(results, "model_selection.csv")
    if sel is not None:
        save.figure(plots.fig_model_selection(sel, m["k"]), "fig03_model_selection",
                    f"Topic-model selection: coherence, exclusivity and held-out perplexity by K (chosen K={m['k']}).",
                    "03-topic-model")
    prev = _read(results, "prevalence_effects.csv")
    prev = prev[prev["method"] == "composition"]
    pairs, gender = _contrast_names(levels, "male - female" in set(prev["contrast"]))
    if pairs:
        save.figure(plots.fig_contrasts(prev, pairs, item="topic", names=names, xlabel="difference in topic share"),
                    "fig04_topic_group_contrasts",
                    f"Topic prevalence differences between {by} groups (method of composition, 95% intervals; "
                    "coloured where the interval excludes zero).", "04-topics-by-region-and-victim-gender")
    if gender:
        save.figure(plots.fig_contrasts(prev, gender, item="topic", names=names, xlabel="difference in topic share"),
                    "fig05_topic_gender_contrasts",
                    f"Topic prevalence: male minus female alleged victims, overall and within each {by} group "
                    "(95% intervals).", "04-topics-by-region-and-victim-gender")
    return prev


def _framing_figures(save: _Saver, results: Path, m: dict, docs: pd.DataFrame) -> pd.DataFrame:
    by, levels = m["group_by"], m["levels"]
    effects = _read(results, "frame_effects.csv")
    pairs, gender = _contrast_names(levels, "male - female" in set(effects["contrast"]))
    if pairs:
        save.figure(plots.fig_contrasts(effects, pairs, item="frame", xlabel="difference, hits per 1,000 words"),
                    "fig06_frame_group_contrasts",
                    f"Frame emphasis differences between {by} groups (cluster bootstrap, 95% intervals).",
                    "05-framing-by-region")
    if gender:
        save.figure(plots.fig_contrasts(effects, gender, item="frame", xlabel="difference, hits per 1,000 words"),
                    "fig07_frame_gender_contrasts",
                    f"Framing of male versus female alleged victims, overall and within each {by} group "
                    "(95% intervals).", "06-gender-of-victim-framing")
    roles_tab = _read(results, "role_measures.csv")
    if roles_tab is not None and not roles_tab.empty:
        save.figure(plots.fig_agency(roles_tab, docs, by=by, levels=levels), "fig08_agency_by_role",
                    "Grammatical agency: share of mentions as active subject, alleged victims vs accused "
                    "(95% intervals).", "06-gender-of-victim-framing")
    return effects


def _keyness_figure(save: _Saver, results: Path, m: dict) -> None:
    levels = m["levels"]
    if len(levels) < 2:
        return
    a, b = levels[-1], levels[-2]
    key = _read(results, "keyness.csv")
    if key is not None:
        save.figure(plots.fig_keyness(key, a, b, colours=figures.colours_for(levels)), "fig09_keyness",
                    f"Distinctive lemmas, {a} vs {b} coverage (log-odds with informative Dirichlet prior).",
                    "07-keyness-and-concordance")


def load_manifest(results: str | Path) -> dict:
    """The manifest of a finished run in ``results`` with ``k`` from topics.json added (exit 2 if absent)."""
    results = Path(results)
    manifest = provenance.read(results)
    if manifest is None or not provenance.complete(results, manifest):
        raise ResultsError(f"{results}: no finished run (manifest.json missing or outputs incomplete); "
                           "run `python -m analysis run --corpus PATH` or `figures --corpus PATH` first")
    manifest["k"] = json.loads((results / "topics.json").read_text())["k"]
    return manifest


def build_all(results: str | Path, out_dir: str | Path) -> list[str]:
    """Draw every headline figure and table from a finished results folder; return their names.

    Parameters
    ----------
    results : path
        A results folder with ``manifest.json`` (see :mod:`analysis.provenance`).
    out_dir : path
        The corpus's figures folder, e.g. ``figures/<corpus name>/``.
    """
    results, out_dir = Path(results), Path(out_dir)
    m = load_manifest(results)
    figures.set_theme()
    save = _Saver(out_dir, m)
    by, levels, corpus = m["group_by"], m["levels"], m["corpus"]["name"]
    docs = _read(results, "documents.csv")
    docs[by] = docs[by].astype(str)
    terms = _read(results, "topic_terms.csv")
    names = {t: f"T{t} " + "·".join(g.sort_values("rank")["term_frex"].head(3)) for t, g in terms.groupby("topic")}
    if "year" in docs.columns and docs["year"].notna().any():
        save.figure(plots.fig_documents_by_group_year(docs, by=by, levels=levels), "fig01_documents_by_group_year",
                    f"Corpus {corpus!r}: documents per year and {by}.", "01-corpus-overview")
    save.figure(plots.fig_length_distribution(docs, by=by, levels=levels), "fig02_article_length",
                f"Article length in words by {by} and alleged-victim gender.", "01-corpus-overview")
    prev = _topic_figures(save, results, m, names)
    effects = _framing_figures(save, results, m, docs)
    _keyness_figure(save, results, m)
    main = [c.name for c in specify(levels, genders=True) if c.kind == "groups"] + ["male - female"]
    save.table(effects[effects["contrast"].isin(main)][["frame", "contrast", "estimate", "ci_low", "ci_high",
                                                       "p_adj"]].round(3), "tab01_frame_effects",
               "Frame contrasts with 95% cluster-bootstrap intervals and Holm-adjusted permutation p-values.",
               "05-framing-by-region")
    save.table(prev[prev["contrast"].isin(main)][["topic", "contrast", "estimate", "ci_low", "ci_high"]].round(3),
               "tab02_topic_prevalence_effects", "Topic prevalence contrasts (method of composition, 95% intervals).",
               "04-topics-by-region-and-victim-gender")
    top_terms = terms[terms["rank"] <= 8].groupby("topic").agg(
        probability=("term", " ".join), frex=("term_frex", " ".join), relevance=("term_relevance", " ".join))
    save.table(top_terms.reset_index(), "tab03_topic_labels", "Top terms per topic by probability, FREX and "
               "relevance (lambda 0.6).", "03-topic-model")
    sel = _read(results, "model_selection.csv")
    if sel is not None:
        save.table(topic_selection.rounded(sel), "tab04_model_selection", "Model selection statistics by K.", "03-topic-model")
    return save.saved
