"""The pipeline stages behind ``python -m analysis run|topics|framing`` and the notebooks.

Each stage takes a loaded corpus and parameters, writes its output tables
(DESIGN.md section 4) atomically into an output folder, and returns them as
DataFrames, so a notebook and the command line compute exactly the same
thing.

Example
-------
>>> from analysis import corpus, pipeline
>>> c = corpus.load("data/raw/teaching")                          # doctest: +SKIP
>>> tables = pipeline.run_framing(c, "data/processed/results")    # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import compare, framing, preprocess, topics
from analysis.config import DEFAULTS
from analysis.corpus import Corpus
from analysis.figures import atomic_write_csv, atomic_write_text


@dataclass
class TopicResult:
    """Everything the topic stage produced."""

    fitted: topics.Fitted
    selection: pd.DataFrame | None
    reason: str
    stability: pd.DataFrame
    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame
    prevalence: pd.DataFrame
    prevalence_point: pd.DataFrame
    over_time: pd.DataFrame


def _with_victim_gender(docs: pd.DataFrame, vg: pd.DataFrame) -> pd.DataFrame:
    """``docs`` with its ``victim_gender`` column replaced by the one in ``vg``."""
    return docs.drop(columns=["victim_gender"], errors="ignore").merge(
        vg[["doc_id", "victim_gender"]], on="doc_id", how="left")


def victim_gender_for(corpus: Corpus, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Documents with the alleged-victim gender used in comparisons.

    From the case registry where the corpus has one; otherwise inferred by
    :func:`analysis.roles.victim_gender` from the text.
    """
    docs = corpus.docs
    if corpus.cases is not None and "victim_gender" in docs.columns:
        return docs
    from analysis import roles

    ment = roles.mentions(corpus, tokens=tokens, progress=False)
    return _with_victim_gender(docs, roles.victim_gender(corpus, ment))


def topic_model(corpus: Corpus, *, k: int | str = "auto", seed: int = DEFAULTS.seed, k_grid=DEFAULTS.k_grid,
                progress: bool = True) -> tuple[topics.Fitted, pd.DataFrame | None, str]:
    """Preprocess and fit the topic model (selecting K first when ``k="auto"``); cached.

    Returns
    -------
    fitted, selection table (None when K was given), reason for K
    """
    tok = preprocess.tokens(corpus, progress=progress)
    bow = preprocess.bag_of_words(corpus, tok)
    selection, reason = None, f"K={k} given by the user"
    if k == "auto":
        selection, k, reason = topics.select_k(bow, k_grid, seed, progress=progress)
    return topics.fit(bow, int(k), seed), selection, reason


def run_topics(corpus: Corpus, out: str | Path, *, k: int | str = DEFAULTS.k, seed: int = DEFAULTS.seed,
               k_grid=DEFAULTS.k_grid, n_stability: int = DEFAULTS.stability_seeds,
               n_draws: int = DEFAULTS.n_draws, progress: bool = True) -> TopicResult:
    """Preprocess, (select K,) fit, check stability, label, compare prevalence; write tables.

    Writes ``topic_terms.csv, doc_topics.csv, prevalence_effects.csv,
    ldavis.html`` and also ``model_selection.csv, topic_stability.csv,
    topics_over_time.csv`` into ``out``.
    """
    out = Path(out)
    tok = preprocess.tokens(corpus, progress=progress)
    fitted, selection, reason = topic_model(corpus, k=k, seed=seed, k_grid=k_grid, progress=progress)
    if selection is not None:
        atomic_write_csv(out / "model_selection.csv", selection)
    k = fitted.k
    stab = topics.stability(fitted.bow, k, [seed + i for i in range(n_stability)], progress=progress)
    terms = topics.label(fitted)
    shares = topics.doc_topics(fitted)
    docs = victim_gender_for(corpus, tok)
    prev = compare.prevalence_effects(fitted, docs, n_draws=n_draws, seed=seed, progress=progress)
    point = compare.prevalence_effects(fitted, docs, method="point", progress=False)
    over_time = compare.prevalence_over_time(fitted, docs, seed=seed)
    atomic_write_csv(out / "topic_terms.csv", terms)
    atomic_write_csv(out / "doc_topics.csv", shares)
    atomic_write_csv(out / "prevalence_effects.csv", pd.concat([prev, point], ignore_index=True))
    atomic_write_csv(out / "topic_stability.csv", stab)
    atomic_write_csv(out / "topics_over_time.csv", over_time)
    atomic_write_text(out / "ldavis.html", topics.ldavis_html(fitted))
    atomic_write_text(out / "topics.json", json.dumps({"k": k, "seed": seed, "reason": reason,
                                                       "corpus_hash": corpus.content_hash}, indent=1) + "\n")
    return TopicResult(fitted, selection, reason, stab, terms, shares, prev, point, over_time)


@dataclass
class FramingResult:
    """Everything the framing stage produced."""

    doc_frames: pd.DataFrame
    evidence: pd.DataFrame
    mentions: pd.DataFrame
    victim_gender: pd.DataFrame
    role_measures: pd.DataFrame
    frame_effects: pd.DataFrame


def run_framing(corpus: Corpus, out: str | Path, *, seed: int = DEFAULTS.seed, n_boot: int = DEFAULTS.n_boot,
                n_perm: int = DEFAULTS.n_perm, lexicons=(), progress: bool = True) -> FramingResult:
    """Frame scores, people and roles, victim gender, and contrasts; write tables.

    Writes ``doc_frames.csv, mentions.csv, victim_gender.csv,
    frame_effects.csv`` (DESIGN.md) plus ``frame_evidence.csv`` and
    ``role_measures.csv``. Works without ``cases.csv``: victim gender and
    roles are then inferred from the text, and the bootstrap resamples
    outlets instead of cases.
    """
    from analysis import roles

    out = Path(out)
    tok = preprocess.tokens(corpus, progress=progress)
    frames = framing.load_lexicons(lexicons)
    doc_frames, evidence = framing.score(corpus, tok, frames)
    ment = roles.mentions(corpus, tokens=tok, progress=progress)
    vg = roles.victim_gender(corpus, ment)
    measures = roles.role_measures(ment)
    docs = _with_victim_gender(corpus.docs, vg)
    values = pd.concat([framing.frame_values(doc_frames),
                        measures.assign(measure=measures["role"] + ":" + measures["measure"])
                        [["doc_id", "measure", "value"]]], ignore_index=True)
    effects = compare.contrasts(values, docs, n_boot=n_boot, n_perm=n_perm, seed=seed)
    for name, table in (("doc_frames", doc_frames), ("frame_evidence", evidence), ("mentions", ment),
                        ("victim_gender", vg), ("role_measures", measures), ("frame_effects", effects)):
        atomic_write_csv(out / f"{name}.csv", table)
    return FramingResult(doc_frames, evidence, ment, vg, measures, effects)


#: The comparisons ``run`` writes keyness tables for: (column, a, b).
KEYNESS_COMPARISONS = (
    ("region", "pakistan", "bollywood"),
    ("region", "pakistan", "hollywood"),
    ("region", "bollywood", "hollywood"),
    ("victim_gender", "male", "female"),
)


def run_keyness(corpus: Corpus, out: str | Path, comparisons=KEYNESS_COMPARISONS,
                progress: bool = True) -> dict[str, pd.DataFrame]:
    """Keyness tables for the standard comparisons; ``keyness.csv`` is the first one.

    Writes ``keyness_<column>_<a>_vs_<b>.csv`` for each comparison.
    """
    from analysis import keyness

    out = Path(out)
    tok = preprocess.tokens(corpus, progress=progress)
    tables = {}
    for by, a, b in comparisons:
        if by not in corpus.docs.columns:
            continue
        table = keyness.keyness(tok, corpus.docs, by, a, b)
        name = f"keyness_{by}_{a}_vs_{b}"
        atomic_write_csv(out / f"{name}.csv", table)
        tables[name] = table
    if tables:
        atomic_write_csv(out / "keyness.csv", next(iter(tables.values())))
    return tables


def ensure_results(corpus: Corpus, out: str | Path, *, k: int | str = "auto", seed: int = DEFAULTS.seed,
                   progress: bool = True) -> Path:
    """Run the pipeline stages whose result tables are missing or stale in ``out``.

    A stage is stale when ``out/topics.json`` records another corpus content
    hash; every stage reads the per-stage cache, so a warm re-run is quick.
    """
    out = Path(out)
    meta_file = out / "topics.json"
    fresh = meta_file.is_file() and json.loads(meta_file.read_text()).get("corpus_hash") == corpus.content_hash
    if not fresh or not (out / "prevalence_effects.csv").is_file():
        run_topics(corpus, out, k=k, seed=seed, progress=progress)
        fresh = False
    if not fresh or not (out / "frame_effects.csv").is_file():
        run_framing(corpus, out, seed=seed, progress=progress)
    if not fresh or not (out / "keyness.csv").is_file():
        run_keyness(corpus, out, progress=progress)
    return out
