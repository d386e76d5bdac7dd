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

import ctypes
import gc
import json
import re
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import (
    framing,
    parallel,
    preprocess,
    provenance,
    stage_cache,
    streaming,
    topics,
)
from analysis.config import DEFAULTS, PATHS
from analysis.corpus import Corpus
from analysis.errors import ResultsError, ResultWarning, UsageError
from analysis.io import atomic_write_csv, atomic_write_text, clean_stale_temporaries
from analysis.selection import group_label, select_docs
from analysis.stage_cache import StageCache


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
    #: Opt-in learned roles for people the patterns leave as other (:mod:`analysis.roles.learned`).
    learned_roles: bool = False


def default_results(corpus: Corpus) -> Path:
    """``data/processed/<corpus name>/results/``."""
    return PATHS.results_for(corpus.name)


def check_out(out: str | Path) -> Path:
    """A usable results folder: not inside ``data/raw/`` and not an existing file (exit 2 otherwise)."""
    out = Path(out)
    if PATHS.is_raw(out):
        raise UsageError(f"--out {out}: inside data/raw/, which holds immutable input; choose another folder "
                         f"(default data/processed/<corpus>/results)")
    if any(p.exists() and not p.is_dir() for p in (out, *out.parents)):
        raise UsageError(f"--out {out}: it, or a folder above it, is an existing file, not a folder; give a folder name")
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


#: Victim-gender tables already computed in this process from a given token table, keyed by corpus
#: content and lexicon hashes (a memo of a pure function).
_VG_MEMO: dict[tuple[str, str], pd.DataFrame] = {}

#: Processes for parallel work (K candidates, stability seeds, frames and roles); results do not depend on it.
WORKERS = parallel.WORKERS
#: Fields of :class:`RunParams` each cached stage depends on (with the stages it reads from).
TOPIC_FIELDS = ("k", "seed", "k_grid", "n_stability")
PREVALENCE_FIELDS = (*TOPIC_FIELDS, "by", "groups", "n_draws", "clusters_once")
CONTRAST_FIELDS = ("by", "groups", "n_boot", "n_perm", "seed", "clusters_once", "lexicons")
KEYNESS_FIELDS = ("by", "groups", "clusters_once")
#: The stages of the time summary, in order.
STAGES = ("tokens", "bag of words", "K selection", "model", "stability", "prevalence", "frames", "roles",
          "contrasts", "keyness")


def release_memory() -> None:
    """Collect garbage and give freed heap pages back to the operating system.

    Python frees a stage's temporaries, but the C allocator keeps the freed pages
    of its heap, so without this a process stays at the resident size of its
    largest stage for the rest of the run (and forked workers start from it).
    On Linux with glibc, ``malloc_trim(0)`` returns them; elsewhere only the
    collection runs. Results do not depend on it.

    Examples
    --------
    >>> release_memory()
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):     # not glibc (musl): nothing to trim
            pass


@dataclass
class Session:
    """One run's corpus, parameters, workers, stage cache and timings (see :func:`session`)."""

    corpus: Corpus
    params: RunParams
    workers: int = WORKERS
    scheduler: Any = None
    progress: bool = True
    cache: StageCache | None = None
    timings: dict[str, float] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Add the time of the block to ``timings[name]``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    def stage(self, name: str, names: tuple[str, ...], compute) -> tuple[dict[str, pd.DataFrame], dict]:
        """(tables, meta) of a stage: memo, stage cache, or ``compute()``; keyed by ``names`` of RunParams."""
        if name not in self.memo:
            fields = {f: getattr(self.params, f) for f in names}
            if "lexicons" in names:
                fields["lexicons"] = provenance.lexicon_hashes(tuple(self.params.lexicons))
            if "learned_roles" in names:     # the model's hash; exit 2 when the opt-in cannot run here
                fields["learned_roles"] = streaming.learned_roles_key(self.params.learned_roles)
            self.memo[name] = self.cache.get(name, fields, compute) if self.cache else compute()
            release_memory()                    # the stage's temporaries are gone: give their pages back
        return self.memo[name]

    def tokens(self) -> None:
        """Build the token cache when a stage needs it (parsing with the session's workers)."""
        if "tokens" not in self.memo:
            with self.timed("tokens"):
                self.memo["tokens"] = streaming.ensure_tokens(self.corpus, workers=self.workers,
                                                              scheduler=self.scheduler, progress=self.progress)

    def summary(self) -> str:
        """One line: seconds per stage, the stages read from the stage cache, the total."""
        parts = [f"{k} {self.timings[k]:.1f} s" + (" (worker time)" if k in ("frames", "roles") else "")
                 for k in STAGES if k in self.timings]
        parts += [f"{k} {v:.1f} s" for k, v in self.timings.items() if k not in STAGES]
        hits = self.cache.hits if self.cache else []
        return ("time per stage: " + ", ".join(parts) + (f"; from the stage cache: {', '.join(hits)}" if hits
                                                          else ""))


def session(corpus: Corpus, params: RunParams = RunParams(), *, workers: int = WORKERS, scheduler: Any = None,
            progress: bool = True, use_cache: bool = True) -> Session:
    """A :class:`Session` with the stage cache ``data/processed/<corpus>/stages/`` (unless ``use_cache=False``).

    Examples
    --------
    >>> s = session(corpus.load("data/raw/teaching"))          # doctest: +SKIP
    >>> s.cache.folder.name                                     # doctest: +SKIP
    'stages'
    """
    cache = StageCache(PATHS.processed_for(corpus.name) / "stages", content_hash=corpus.content_hash,
                       signature=stage_cache.software_signature()) if use_cache else None
    return Session(corpus, params, workers, scheduler, progress, cache)


def victim_gender_table(corpus: Corpus, tokens: pd.DataFrame | None = None, *,
                        progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(mentions, victim_gender)`` of :mod:`analysis.roles` (streamed and stage-cached without ``tokens``)."""
    from analysis import roles

    if tokens is None:
        tables = _roles(session(corpus, progress=progress))
        return tables["mentions"].copy(), tables["victim_gender"].copy()
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


def topic_model(corpus: Corpus, *, k: int | str = "auto", seed: int = DEFAULTS.seed, k_grid=DEFAULTS.k_grid,
                n_stability: int = DEFAULTS.stability_seeds,
                progress: bool = True) -> tuple[topics.Fitted, pd.DataFrame | None, str]:
    """Preprocess and fit the topic model (selecting K first when ``k="auto"``); cached.

    Returns
    -------
    fitted, selection table (None when K was given), reason for K
    """
    bow = preprocess.bag_of_words(corpus, preprocess.tokens(corpus, progress=progress))
    selection, reason = None, f"K={k} given by the user"
    if k == "auto":
        selection, k, reason = topics.select_k(bow, k_grid, seed, progress=progress, n_seeds=n_stability,
                                               workers=WORKERS)
    return topics.fit(bow, int(k), seed), selection, reason


def _write(out: Path, tables: dict[str, pd.DataFrame]) -> list[str]:
    for name, table in tables.items():
        atomic_write_csv(out / f"{name}.csv", table)
    return [f"{name}.csv" for name in tables]


def _topics(s: Session) -> tuple[dict[str, pd.DataFrame], dict]:
    """The topic model's tables and ``{"k", "reason", "ldavis"}`` (stage ``topics``)."""
    def compute():
        p = s.params
        s.tokens()
        with s.timed("bag of words"):
            bow = preprocess.bag_of_words(s.corpus)
            release_memory()                    # before K selection forks its workers
        tables, k, reason = {}, p.k, f"K={p.k} given by the user"
        if p.k == "auto":
            with s.timed("K selection"):
                tables["model_selection"], k, reason = topics.select_k(
                    bow, p.k_grid, p.seed, progress=s.progress, n_seeds=p.n_stability, workers=s.workers)
        with s.timed("model"):
            fitted = s.memo["fitted"] = topics.fit(bow, int(k), p.seed)
        with s.timed("stability"):
            seeds = [p.seed + i for i in range(p.n_stability)]
            tables["topic_stability"] = topics.stability(bow, fitted.k, seeds, progress=s.progress,
                                                         workers=s.workers)
        with s.timed("model"):
            tables["preprocessing_report"] = preprocess.removal_report(fitted.bow)
            tables["topic_terms"] = topics.label(fitted)
            tables["doc_topics"] = topics.doc_topics(fitted)
            html = topics.ldavis_html(fitted)
        return tables, {"k": int(fitted.k), "reason": reason, "ldavis": html}

    return s.stage("topics", TOPIC_FIELDS, compute)


def _fitted(s: Session) -> topics.Fitted:
    """The chosen topic model (from the model cache when the topics stage came from the stage cache)."""
    if "fitted" not in s.memo:
        k = _topics(s)[1]["k"]
        s.tokens()
        s.memo["fitted"] = topics.fit(preprocess.bag_of_words(s.corpus), k, s.params.seed)
    return s.memo["fitted"]


def _per_document(s: Session, want_frames: bool) -> None:
    """Frames and roles in one streamed pass over the token cache (only the stages not yet cached)."""
    frames = framing.load_lexicons(s.params.lexicons)        # a bad --lexicon stops before any parsing
    shared: dict[str, Any] = {}

    def one_pass(need_frames: bool, need_roles: bool) -> None:
        s.tokens()
        with s.timed("frames and roles wall"):
            plan = streaming.chunk_plan(s.corpus, progress=False)
            res = streaming.per_document(s.corpus, plan, frames if need_frames else None, roles=need_roles,
                                         workers=s.workers, scheduler=s.scheduler, progress=s.progress,
                                         learned_roles=s.params.learned_roles)
        for part, seconds in res.pop("seconds").items():
            s.timings[part] = s.timings.get(part, 0.0) + seconds
        shared.update(res)

    def compute_frames():
        one_pass(True, "roles" not in s.memo and not _cached(s, "roles", ("learned_roles",)))
        return {t: shared[t] for t in streaming.FRAME_TABLES}, {}

    def compute_roles():
        if "mentions" not in shared:
            one_pass(False, True)
        return {t: shared[t] for t in streaming.ROLE_TABLES}, {}

    if want_frames:
        s.stage("frames", ("lexicons",), compute_frames)
    s.stage("roles", ("learned_roles",), compute_roles)


def _cached(s: Session, name: str, names: tuple[str, ...]) -> bool:
    if s.cache is None:
        return False
    fields = {f: getattr(s.params, f) for f in names}
    if "lexicons" in names:
        fields["lexicons"] = provenance.lexicon_hashes(tuple(s.params.lexicons))
    fields.update({"learned_roles": streaming.learned_roles_key(s.params.learned_roles)} if "learned_roles" in names else {})
    return s.cache.path(name, fields).is_dir()


def _roles(s: Session) -> dict[str, pd.DataFrame]:
    """``mentions, victim_gender, role_measures`` (stage ``roles``)."""
    if "roles" not in s.memo:
        _per_document(s, want_frames=False)
    return s.memo["roles"][0]


def _frames(s: Session) -> dict[str, pd.DataFrame]:
    """``doc_frames, frame_evidence`` (stage ``frames``)."""
    if "frames" not in s.memo:
        _per_document(s, want_frames=True)
    return s.memo["frames"][0]


def _compared_docs(s: Session) -> pd.DataFrame:
    return compared(docs_for(s.corpus, _roles(s)["victim_gender"]), s.params)


def _prevalence(s: Session) -> dict[str, pd.DataFrame]:
    """``prevalence_effects, topics_over_time`` (stage ``prevalence``)."""
    def compute():
        from analysis import compare  # statsmodels: imported only when a comparison is computed

        p, docs = s.params, _compared_docs(s)
        fitted = _fitted(s)
        with s.timed("prevalence"):
            kw = {"by": p.by, "levels": s.corpus.levels(p.by, p.groups)}
            prev = compare.prevalence_effects(fitted, docs, n_draws=p.n_draws, seed=p.seed,
                                              progress=s.progress, **kw)
            point = compare.prevalence_effects(fitted, docs, method="point", progress=False, **kw)
            over_time = compare.prevalence_over_time(fitted, docs, by=p.by, seed=p.seed)
        return {"prevalence_effects": pd.concat([prev, point], ignore_index=True),
                "topics_over_time": over_time}, {}

    return s.stage("prevalence", PREVALENCE_FIELDS, compute)[0]


def _contrasts(s: Session) -> dict[str, pd.DataFrame]:
    """``frame_effects, role_effects`` (stage ``contrasts``): only per-document tables go in."""
    def compute():
        from analysis import compare

        p, docs, doc_frames, measures = s.params, _compared_docs(s), _frames(s)["doc_frames"], \
            _roles(s)["role_measures"]
        with s.timed("contrasts"):
            kw = {"by": p.by, "levels": s.corpus.levels(p.by, p.groups), "n_boot": p.n_boot,
                  "n_perm": p.n_perm, "seed": p.seed}
            frame_effects = compare.contrasts(framing.frame_values(doc_frames), docs, item="frame", **kw)
            role_values = measures.assign(measure=measures["role"] + ":" + measures["measure"])
            role_effects = compare.contrasts(role_values[["doc_id", "measure", "value"]], docs, item="measure",
                                             **kw)
            names = role_effects["measure"].astype(str)
            role_effects = role_effects.drop(columns="measure")
            role_effects.insert(0, "measure", [n.partition(":")[2] for n in names])
            role_effects.insert(0, "role", [n.partition(":")[0] for n in names])
        return {"frame_effects": frame_effects, "role_effects": role_effects}, {}

    return s.stage("contrasts", CONTRAST_FIELDS, compute)[0]


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "-", str(value)).strip("-").lower() or "x"


def comparisons_for(docs: pd.DataFrame, levels: list[str], by: str) -> list[tuple[str, str, str]]:
    """(column, a, b) for every pair of groups (later vs earlier) and, where known, male vs female.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "victim_gender": ["male", "female"]})
    >>> comparisons_for(d, ["x", "y"], "region")
    [('region', 'y', 'x'), ('victim_gender', 'male', 'female')]
    """
    pairs = [(by, b, a) for i, a in enumerate(levels) for b in levels[i + 1:]]
    if "victim_gender" in docs.columns and {"male", "female"} <= set(docs["victim_gender"].dropna()):
        pairs.append(("victim_gender", "male", "female"))
    return pairs


def keyness_comparisons(corpus: Corpus, params: RunParams) -> list[tuple[str, str, str]]:
    """(column, a, b) for every pair of groups (later vs earlier) and, where known, male vs female."""
    return comparisons_for(victim_gender_for(corpus), corpus.levels(params.by, params.groups), params.by)


def _keyness(s: Session) -> dict[str, pd.DataFrame]:
    """``keyness_<column>_<a>_vs_<b>`` per comparison (stage ``keyness``), counts streamed chunk by chunk."""
    def compute():
        from analysis.keyness.statistics import keyness_from_counts

        p, docs = s.params, _compared_docs(s)
        comparisons = comparisons_for(docs_for(s.corpus, _roles(s)["victim_gender"]),
                                      s.corpus.levels(p.by, p.groups), p.by)
        s.tokens()
        with s.timed("keyness"):
            groups = {f"{by}={v}": docs.loc[select_docs(docs, by, v), "doc_id"].astype(str).tolist()
                      for by, a, b in comparisons for v in (a, b)}
            counts = streaming.keyness_counts(s.corpus, groups)
            tables = {f"keyness_{_slug(by)}_{_slug(a)}_vs_{_slug(b)}":
                      keyness_from_counts(counts, f"{by}={a}", f"{by}={b}", by=by,
                                          labels=(group_label(a), group_label(b)))
                      for by, a, b in comparisons}
        return tables, {"comparisons": [list(c) for c in comparisons]}

    tables, meta = s.stage("keyness", KEYNESS_FIELDS, compute)
    tables = dict(tables)
    group_pairs = [k for k, (by, _, _) in zip(tables, meta["comparisons"], strict=True) if by == s.params.by]
    if tables:
        tables["keyness"] = tables[group_pairs[-1] if group_pairs else next(iter(tables))]
    else:
        warnings.warn("keyness: one group and no known victim gender, so there is nothing to compare",
                      ResultWarning, stacklevel=3)
    return tables


def _topic_tables(s: Session, out: Path) -> dict[str, object]:
    tables, meta = _topics(s)
    tables = {**tables, **_prevalence(s)}
    order = ["model_selection", "topic_stability", "preprocessing_report", "topic_terms", "doc_topics",
             "prevalence_effects", "topics_over_time"]
    tables = {name: tables[name] for name in order if name in tables}
    written = _write(out, tables)
    atomic_write_text(out / "ldavis.html", meta["ldavis"])
    atomic_write_text(out / "topics.json", json.dumps({"k": meta["k"], "seed": s.params.seed,
                                                       "reason": meta["reason"]}, indent=1) + "\n")
    return {**tables, "reason": meta["reason"], "written": [*written, "ldavis.html", "topics.json"]}


def run_topics(corpus: Corpus, out: str | Path, params: RunParams = RunParams(), *, progress: bool = True,
               workers: int = WORKERS, scheduler: Any = None) -> dict[str, object]:
    """Preprocess, (select K,) fit, check stability, label, compare prevalence; write tables.

    Writes ``topic_terms.csv, doc_topics.csv, prevalence_effects.csv,
    topic_stability.csv, topics_over_time.csv, ldavis.html, topics.json``
    (and ``model_selection.csv`` when K was selected). Returns the tables,
    the fitted model (``"fitted"``) and the reason for K (``"reason"``).
    Every stage reads and fills the stage cache (:mod:`analysis.stage_cache`).
    """
    s = session(corpus, params, workers=workers, scheduler=scheduler, progress=progress)
    result = _topic_tables(s, Path(out))
    return {**result, "fitted": _fitted(s)}


def _framing_tables(s: Session, out: Path) -> dict[str, pd.DataFrame]:
    frames, roles_tables = _frames(s), _roles(s)
    tables = {"doc_frames": frames["doc_frames"], "frame_evidence": frames["frame_evidence"],
              "mentions": roles_tables["mentions"], "victim_gender": roles_tables["victim_gender"],
              "role_measures": roles_tables["role_measures"], **_contrasts(s)}
    tables["written"] = _write(out, tables)
    return tables


def run_framing(corpus: Corpus, out: str | Path, params: RunParams = RunParams(), *, progress: bool = True,
                workers: int = WORKERS, scheduler: Any = None) -> dict[str, pd.DataFrame]:
    """Frame scores, people and roles, victim gender, and contrasts; write tables.

    Writes ``doc_frames.csv, frame_evidence.csv, mentions.csv,
    victim_gender.csv, role_measures.csv, frame_effects.csv`` and
    ``role_effects.csv``. Frames and role measures are two correction
    families (Holm within each). Works without ``cases.csv``: victim gender
    and roles are then inferred from the text, and the bootstrap resamples
    outlets instead of cases. Frames and roles stream over the token cache
    in chunks of documents, in ``workers`` processes or on ``scheduler``.
    """
    s = session(corpus, params, workers=workers, scheduler=scheduler, progress=progress)
    return _framing_tables(s, Path(out))


def run_keyness(corpus: Corpus, out: str | Path, params: RunParams = RunParams(), *, progress: bool = True,
                workers: int = WORKERS, scheduler: Any = None) -> dict[str, pd.DataFrame]:
    """Keyness tables for every pair of groups and male vs female alleged victims.

    Writes ``keyness_<column>_<a>_vs_<b>.csv`` for each comparison and
    ``keyness.csv``, a copy of the headline comparison: the last pair of
    groups (for one group, male vs female where known). With one group and no
    victim gender there is nothing to compare, and only a note is given.
    Term counts are aggregated chunk by chunk over the token cache.
    """
    s = session(corpus, params, workers=workers, scheduler=scheduler, progress=progress)
    tables = _keyness(s)
    tables["written"] = _write(Path(out), tables)
    return tables


def _documents_table(corpus: Corpus, params: RunParams, vg: pd.DataFrame | None) -> pd.DataFrame:
    """The per-document metadata the figures need (``documents.csv`` of the results folder)."""
    docs = docs_for(corpus, vg)
    cols = ["doc_id", params.by, "year", "n_words", "victim_gender"]
    cols = list(dict.fromkeys(c for c in cols if c in docs.columns))
    return docs[cols]


def run(corpus: Corpus, params: RunParams = RunParams(), out: str | Path | None = None, *,
        progress: bool = True, workers: int = WORKERS, scheduler: Any = None,
        timings: dict[str, float] | None = None) -> Path:
    """Every stage; then ``manifest.json``; stale outputs of an earlier run are removed.

    Stages read and fill the stage cache (:mod:`analysis.stage_cache`), so a
    re-run with nothing changed recomputes nothing. ``workers`` (local
    processes) and ``scheduler`` (a Dask scheduler address, default
    ``$METOO_DASK_SCHEDULER``) change where the work runs, never the results,
    and are not part of the manifest. Prints a one-line summary of the time
    per stage on stderr; a ``timings`` dict given is filled with the seconds per stage
    (:data:`STAGES`, ``frames and roles wall``, ``total``; frames and roles are worker time).
    """
    out = check_out(out if out is not None else default_results(corpus))
    levels = corpus.levels(params.by, params.groups)
    if len(levels) == 1:
        warnings.warn(f"one group ({params.by} = {levels[0]!r}): only within-group results "
                      "(victim-gender contrasts where known); no between-group comparison", ResultWarning,
                      stacklevel=2)
    previous = provenance.read(out)
    (out / provenance.MANIFEST).unlink(missing_ok=True)     # the folder is not a finished run until the end
    start = time.perf_counter()
    s = session(corpus, params, workers=workers, scheduler=scheduler, progress=progress)
    framing.load_lexicons(params.lexicons)                  # a bad --lexicon stops before any work
    written = _topic_tables(s, out)["written"]
    written += _framing_tables(s, out)["written"]
    keyness_tables = _keyness(s)
    written += _write(out, keyness_tables)
    written += _write(out, {"documents": _documents_table(corpus, params, _roles(s)["victim_gender"])})
    provenance.remove_stale(out, previous, written)
    provenance.write(out, provenance.describe(corpus, params, levels, written))
    s.timings["total"] = time.perf_counter() - start
    if timings is not None:
        timings.update(s.timings)
    print(s.summary(), file=sys.stderr)
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
