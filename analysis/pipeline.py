"""The pipeline stages behind ``python -m analysis run|topics|framing|keyness`` and the notebooks.

Each stage takes a loaded corpus and a :class:`RunParams`, writes its output
tables (DESIGN.md section 4) atomically into an output folder, and returns
them, so a notebook and the command line compute exactly the same thing.
:func:`run` runs every stage and then writes ``manifest.json``
(:mod:`analysis.provenance`): a results folder always describes one run of
one corpus with one set of parameters, and outputs of an earlier run that
this run does not produce are removed.

Example
-------
>>> from analysis import corpus, pipeline
>>> c = corpus.load("data/raw/teaching")                                   # doctest: +SKIP
>>> out = pipeline.run(c, pipeline.RunParams(), "data/processed/teaching/results")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import compare, framing, preprocess, provenance, topics
from analysis.config import DEFAULTS, PATHS
from analysis.corpus import Corpus
from analysis.errors import ResultsError, ResultWarning, UsageError
from analysis.io import atomic_write_csv, atomic_write_text, clean_stale_temporaries


@dataclass(frozen=True)
class RunParams:
    """Every parameter of a run (recorded in ``manifest.json``)."""

    by: str = DEFAULTS.by
    groups: tuple[str, ...] | None = None
    k: int | str = "auto"
    seed: int = DEFAULTS.seed
    k_grid: tuple[int, ...] = DEFAULTS.k_grid
    n_stability: int = DEFAULTS.stability_seeds
    n_draws: int = DEFAULTS.n_draws
    n_boot: int = DEFAULTS.n_boot
    n_perm: int = DEFAULTS.n_perm
    lexicons: tuple[str, ...] = field(default_factory=tuple)
    #: Count each near-duplicate cluster (``near_duplicate_cluster`` of an imported corpus) once in
    #: comparisons: only the cluster's first document (its id) stands for it.
    clusters_once: bool = False


def default_results(corpus: Corpus) -> Path:
    """``data/processed/<corpus name>/results/``."""
    return PATHS.results_for(corpus.name)


def check_out(out: str | Path) -> Path:
    """A usable results folder: not inside ``data/raw/`` and not an existing file (exit 2 otherwise)."""
    out = Path(out)
    if PATHS.is_raw(out):
        raise UsageError(f"--out {out}: inside data/raw/, which holds immutable input; choose another folder "
                         f"(default data/processed/<corpus>/results)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is an existing file, not a folder; give a folder name")
    clean_stale_temporaries(out, recursive=False)      # what a killed earlier run left behind
    return out


def docs_for(corpus: Corpus, vg: pd.DataFrame | None) -> pd.DataFrame:
    """Documents with the alleged-victim gender used in comparisons.

    ``vg`` is the table of :func:`analysis.roles.victim_gender` (the registry's
    gender where a document has a case, else inferred from the text); without
    it, the documents as loaded.
    """
    docs = corpus.docs
    if vg is None:
        return docs
    return docs.drop(columns=["victim_gender"], errors="ignore").merge(
        vg[["doc_id", "victim_gender"]], on="doc_id", how="left")


def compared(docs: pd.DataFrame, params: RunParams) -> pd.DataFrame:
    """The documents that enter comparisons: all, or one per near-duplicate cluster.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b", "c"], "near_duplicate_cluster": ["a", "a", ""]})
    >>> compared(d, RunParams(clusters_once=True))["doc_id"].tolist()
    ['a', 'c']
    """
    if not params.clusters_once or "near_duplicate_cluster" not in docs.columns:
        return docs
    cluster = docs["near_duplicate_cluster"].fillna("").astype(str)
    return docs[(cluster == "") | (cluster == docs["doc_id"].astype(str))]


#: Victim-gender tables already computed in this process, keyed by corpus content and lexicon hashes
#: (a memo of a pure function: the same corpus and lexicons always give the same table).
_VG_MEMO: dict[tuple[str, str], pd.DataFrame] = {}


def victim_gender_table(corpus: Corpus, tokens: pd.DataFrame | None = None, *,
                        progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(mentions, victim_gender)`` of :mod:`analysis.roles`; computed once per corpus and lexicons."""
    from analysis import roles

    key = (corpus.content_hash, json.dumps(provenance.lexicon_hashes(), sort_keys=True))
    if key not in _VG_MEMO:
        ment = roles.mentions(corpus, tokens=tokens, progress=progress)
        _VG_MEMO.clear()                       # one corpus at a time: memory stays bounded
        _VG_MEMO[key] = (ment, roles.victim_gender(corpus, ment))
    ment, vg = _VG_MEMO[key]
    return ment.copy(), vg.copy()


def victim_gender_for(corpus: Corpus, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Documents with the alleged-victim gender every stage compares.

    The registry's gender where a document has a case, else the gender
    inferred from the text (:func:`analysis.roles.victim_gender`): the same
    table for topics, framing and keyness.
    """
    return docs_for(corpus, victim_gender_table(corpus, tokens)[1])


#: Processes for parallel model fits (K candidates, stability seeds); results do not depend on it.
WORKERS = 2


def topic_model(corpus: Corpus, *, k: int | str = "auto", seed: int = DEFAULTS.seed, k_grid=DEFAULTS.k_grid,
                n_stability: int = DEFAULTS.stability_seeds,
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
        selection, k, reason = topics.select_k(bow, k_grid, seed, progress=progress, n_seeds=n_stability,
                                               workers=WORKERS)
    return topics.fit(bow, int(k), seed), selection, reason


def _write(out: Path, tables: dict[str, pd.DataFrame]) -> list[str]:
    for name, table in tables.items():
        atomic_write_csv(out / f"{name}.csv", table)
    return [f"{name}.csv" for name in tables]


def run_topics(corpus: Corpus, out: str | Path, params: RunParams = RunParams(), *,
               progress: bool = True) -> dict[str, object]:
    """Preprocess, (select K,) fit, check stability, label, compare prevalence; write tables.

    Writes ``topic_terms.csv, doc_topics.csv, prevalence_effects.csv,
    topic_stability.csv, topics_over_time.csv, ldavis.html, topics.json``
    (and ``model_selection.csv`` when K was selected). Returns the tables,
    the fitted model (``"fitted"``) and the reason for K (``"reason"``).
    """
    out = Path(out)
    tok = preprocess.tokens(corpus, progress=progress)
    fitted, selection, reason = topic_model(corpus, k=params.k, seed=params.seed, k_grid=params.k_grid,
                                            n_stability=params.n_stability, progress=progress)
    levels = corpus.levels(params.by, params.groups)
    docs = compared(victim_gender_for(corpus, tok), params)
    tables: dict[str, pd.DataFrame] = {}
    if selection is not None:
        tables["model_selection"] = selection
    seeds = [params.seed + i for i in range(params.n_stability)]
    tables["topic_stability"] = topics.stability(fitted.bow, fitted.k, seeds, progress=progress, workers=WORKERS)
    tables["preprocessing_report"] = preprocess.removal_report(fitted.bow)
    tables["topic_terms"] = topics.label(fitted)
    tables["doc_topics"] = topics.doc_topics(fitted)
    kw = {"by": params.by, "levels": levels}
    prev = compare.prevalence_effects(fitted, docs, n_draws=params.n_draws, seed=params.seed,
                                      progress=progress, **kw)
    point = compare.prevalence_effects(fitted, docs, method="point", progress=False, **kw)
    tables["prevalence_effects"] = pd.concat([prev, point], ignore_index=True)
    tables["topics_over_time"] = compare.prevalence_over_time(fitted, docs, by=params.by, seed=params.seed)
    written = _write(out, tables)
    atomic_write_text(out / "ldavis.html", topics.ldavis_html(fitted))
    atomic_write_text(out / "topics.json", json.dumps({"k": fitted.k, "seed": params.seed, "reason": reason},
                                                      indent=1) + "\n")
    return {**tables, "fitted": fitted, "reason": reason, "written": [*written, "ldavis.html", "topics.json"]}


def run_framing(corpus: Corpus, out: str | Path, params: RunParams = RunParams(), *,
                progress: bool = True) -> dict[str, pd.DataFrame]:
    """Frame scores, people and roles, victim gender, and contrasts; write tables.

    Writes ``doc_frames.csv, frame_evidence.csv, mentions.csv,
    victim_gender.csv, role_measures.csv, frame_effects.csv`` and
    ``role_effects.csv``. Frames and role measures are two correction
    families (Holm within each). Works without ``cases.csv``: victim gender
    and roles are then inferred from the text, and the bootstrap resamples
    outlets instead of cases.
    """
    from analysis import roles

    out = Path(out)
    frames = framing.load_lexicons(params.lexicons)          # a bad --lexicon stops before any parsing
    tok = preprocess.tokens(corpus, progress=progress)
    doc_frames, evidence = framing.score(corpus, tok, frames)
    ment, vg = victim_gender_table(corpus, tok, progress=progress)
    measures = roles.role_measures(ment)
    docs = compared(docs_for(corpus, vg), params)
    kw = {"by": params.by, "levels": corpus.levels(params.by, params.groups), "n_boot": params.n_boot,
          "n_perm": params.n_perm, "seed": params.seed}
    frame_effects = compare.contrasts(framing.frame_values(doc_frames), docs, item="frame", **kw)
    role_values = measures.assign(measure=measures["role"] + ":" + measures["measure"])
    role_effects = compare.contrasts(role_values[["doc_id", "measure", "value"]], docs, item="measure", **kw)
    names = role_effects["measure"].astype(str)
    role_effects = role_effects.drop(columns="measure")
    role_effects.insert(0, "measure", [n.partition(":")[2] for n in names])
    role_effects.insert(0, "role", [n.partition(":")[0] for n in names])
    tables = {"doc_frames": doc_frames, "frame_evidence": evidence, "mentions": ment, "victim_gender": vg,
              "role_measures": measures, "frame_effects": frame_effects, "role_effects": role_effects}
    tables["written"] = _write(out, tables)
    return tables


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "-", str(value)).strip("-").lower() or "x"


def keyness_comparisons(corpus: Corpus, params: RunParams) -> list[tuple[str, str, str]]:
    """(column, a, b) for every pair of groups (later vs earlier) and, where known, male vs female."""
    levels = corpus.levels(params.by, params.groups)
    pairs = [(params.by, b, a) for i, a in enumerate(levels) for b in levels[i + 1:]]
    docs = victim_gender_for(corpus)
    if "victim_gender" in docs.columns and {"male", "female"} <= set(docs["victim_gender"].dropna()):
        pairs.append(("victim_gender", "male", "female"))
    return pairs


def run_keyness(corpus: Corpus, out: str | Path, params: RunParams = RunParams(), *,
                progress: bool = True) -> dict[str, pd.DataFrame]:
    """Keyness tables for every pair of groups and male vs female alleged victims.

    Writes ``keyness_<column>_<a>_vs_<b>.csv`` for each comparison and
    ``keyness.csv``, a copy of the headline comparison: the last pair of
    groups (for one group, male vs female where known). With one group and no
    victim gender there is nothing to compare, and only a note is given.
    """
    from analysis import keyness

    out = Path(out)
    tok = preprocess.tokens(corpus, progress=progress)
    docs = compared(victim_gender_for(corpus, tok), params)
    tok = tok[tok["doc_id"].isin(set(docs["doc_id"]))]
    comparisons = keyness_comparisons(corpus, params)
    tables: dict[str, pd.DataFrame] = {}
    for by, a, b in comparisons:
        tables[f"keyness_{_slug(by)}_{_slug(a)}_vs_{_slug(b)}"] = keyness.keyness(tok, docs, by, a, b)
    group_pairs = [k for k, (by, _, _) in zip(tables, comparisons, strict=True) if by == params.by]
    if tables:
        tables["keyness"] = tables[group_pairs[-1] if group_pairs else next(iter(tables))]
    else:
        warnings.warn("keyness: one group and no known victim gender, so there is nothing to compare",
                      ResultWarning, stacklevel=2)
    tables["written"] = _write(out, tables)
    return tables


def _documents_table(corpus: Corpus, params: RunParams, vg: pd.DataFrame | None) -> pd.DataFrame:
    """The per-document metadata the figures need (``documents.csv`` of the results folder)."""
    docs = docs_for(corpus, vg)
    cols = ["doc_id", params.by, "year", "n_words", "victim_gender"]
    cols = list(dict.fromkeys(c for c in cols if c in docs.columns))
    return docs[cols]


def run(corpus: Corpus, params: RunParams = RunParams(), out: str | Path | None = None, *,
        progress: bool = True) -> Path:
    """Every stage; then ``manifest.json``; stale outputs of an earlier run are removed.

    Prints a one-line summary of the time per stage on stderr.
    """
    out = check_out(out if out is not None else default_results(corpus))
    levels = corpus.levels(params.by, params.groups)
    if len(levels) == 1:
        warnings.warn(f"one group ({params.by} = {levels[0]!r}): only within-group results "
                      "(victim-gender contrasts where known); no between-group comparison", ResultWarning,
                      stacklevel=2)
    previous = provenance.read(out)
    (out / provenance.MANIFEST).unlink(missing_ok=True)     # the folder is not a finished run until the end
    timings, written = {}, []
    for name, stage in (("topics", run_topics), ("framing", run_framing), ("keyness", run_keyness)):
        start = time.perf_counter()
        result = stage(corpus, out, params, progress=progress)
        written += result["written"]
        timings[name] = time.perf_counter() - start
        if name == "framing":
            vg = result["victim_gender"]
    written += _write(out, {"documents": _documents_table(corpus, params, vg)})
    provenance.remove_stale(out, previous, written)
    provenance.write(out, provenance.describe(corpus, params, levels, written))
    print("time per stage: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()), file=sys.stderr)
    return out


def ensure_results(corpus: Corpus, params: RunParams = RunParams(), out: str | Path | None = None, *,
                   progress: bool = True) -> Path:
    """Results of ``corpus`` with ``params`` in ``out``: reused when the manifest matches, else recomputed.

    A folder holding another corpus's results is refused
    (:class:`~analysis.errors.ResultsError`, exit 2), never overwritten.
    Every stage reads the per-stage cache, so recomputing is quick when only
    the parameters of a late stage changed.
    """
    out = check_out(out if out is not None else default_results(corpus))
    expected = provenance.describe(corpus, params, corpus.levels(params.by, params.groups), [])
    found = provenance.read(out)
    if found is not None and found.get("corpus", {}).get("name") != corpus.name:
        raise ResultsError(f"{out}: holds results of corpus {found['corpus'].get('name')!r}, not "
                           f"{corpus.name!r}; give another --results folder (default "
                           f"{default_results(corpus)})")
    if found is not None and provenance.same_run(found, expected) and provenance.complete(out, found):
        return out
    if found is not None:
        why = provenance.difference(found, expected) or "some output files are missing"
        warnings.warn(f"{out}: results are stale ({why}); recomputing", ResultWarning, stacklevel=2)
    return run(corpus, params, out, progress=progress)
