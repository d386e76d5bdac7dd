"""Per-document stages over the token cache, chunk by chunk: frames, people and roles, keyness counts.

No function here holds the whole corpus's token table. :func:`chunk_plan`
cuts the token cache (:func:`analysis.preprocess.tokens_path`) into
document-aligned row ranges (:func:`analysis.preprocess.iter_tokens` reads
only the ``doc_id`` column for this); :func:`per_document` sends one
:class:`ChunkTask` per range through :func:`analysis.parallel.imap_chunks`
(this process, local processes, or a ``dask.distributed`` cluster, which
must see the same file system for the token cache); each task reads its
own rows, runs :func:`analysis.framing.score`, :func:`analysis.roles.mentions`,
:func:`analysis.roles.victim_gender` and :func:`analysis.roles.role_measures`
on a sub-corpus of its documents, and the per-document results are put back
together in document order. The chunks depend only on the corpus and
``docs_per_chunk``, never on the number of workers, so neither do the
results. :func:`keyness_counts` streams the term counts of named groups of
documents (:func:`analysis.keyness.statistics.group_term_counts`).

Example
-------
>>> from analysis import corpus, framing, streaming
>>> c = corpus.load("data/raw/teaching")                                  # doctest: +SKIP
>>> plan = streaming.chunk_plan(c, docs_per_chunk=50)                     # doctest: +SKIP
>>> out = streaming.per_document(c, plan, framing.load_lexicons(), workers=2)  # doctest: +SKIP
>>> sorted(out)                                                           # doctest: +SKIP
['doc_frames', 'frame_evidence', 'mentions', 'role_measures', 'seconds', 'victim_gender']
"""

from __future__ import annotations

import dataclasses
import sys
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from analysis import framing, parallel, preprocess
from analysis.corpus import Corpus
from analysis.errors import CorpusError, UsageError
from analysis.io import sha256_file

#: Documents per task of the frames and roles stages (a bound on memory per worker).
DOCS_PER_CHUNK = 500
#: Token columns that frames (rules and the lexical scorer, which reads is_stop) and roles read.
PER_DOCUMENT_COLUMNS = ("doc_id", "sent", "i", "text", "ws", "lemma", "pos", "ent", "is_alpha", "is_stop")
FRAME_TABLES = ("doc_frames", "frame_evidence")
ROLE_TABLES = ("mentions", "victim_gender", "role_measures")


@dataclass(frozen=True)
class ChunkTask:
    """One task: rows ``start:stop`` of the token cache at ``path``, the documents of ``corpus``.

    ``frames`` are the lexicons to score (None: no frames); ``roles`` says
    whether to find people and roles; ``learned_roles`` whether the opt-in
    learned roles (:mod:`analysis.roles.learned`) fill the people the patterns leave as other.
    """

    path: str
    start: int
    stop: int
    corpus: Corpus
    frames: Mapping[str, Any] | None = None
    roles: bool = True
    learned_roles: bool = False


def ensure_tokens(corpus: Corpus, *, workers: int = parallel.WORKERS, scheduler: Any = None,
                  progress: bool = True) -> Path:
    """Build the token cache if needed (parsing with ``workers`` / ``scheduler``); return its path."""
    chunks = preprocess.iter_tokens(corpus, columns=["doc_id"], docs_per_chunk=1, progress=progress,
                                    workers=workers, scheduler=scheduler)
    next(chunks, None)
    chunks.close()
    return preprocess.tokens_path(corpus)


def chunk_plan(corpus: Corpus, *, docs_per_chunk: int | None = None,
               progress: bool = True) -> list[tuple[int, int, Corpus]]:
    """``(start_row, stop_row, sub_corpus)`` per chunk: every document of ``corpus`` in exactly one.

    ``docs_per_chunk`` defaults to :data:`DOCS_PER_CHUNK`.

    A document without tokens (an empty text) goes with the chunk where it
    falls in document order, so each sub-corpus lists its documents in order.

    Examples
    --------
    >>> plan = chunk_plan(corpus.load("data/raw/teaching"), docs_per_chunk=100)   # doctest: +SKIP
    >>> [len(sub) for _, _, sub in plan]                                           # doctest: +SKIP
    [100, 86]
    """
    docs = corpus.docs
    position = {d: k for k, d in enumerate(docs["doc_id"])}
    plan: list[tuple[int, int, Corpus]] = []
    row, done = 0, 0
    for part in preprocess.iter_tokens(corpus, columns=["doc_id"], docs_per_chunk=docs_per_chunk or DOCS_PER_CHUNK,
                                       progress=progress):
        last = position.get(part["doc_id"].iat[-1], -1)
        if last < done:
            raise CorpusError(f"the token cache {preprocess.tokens_path(corpus)} is not in the corpus's "
                              "document order; delete it to rebuild it")
        plan.append((row, row + len(part), dataclasses.replace(corpus, docs=docs.iloc[done:last + 1])))
        row, done = row + len(part), last + 1
    if done < len(docs):                       # documents without tokens at the end
        if plan:
            start, stop, _ = plan[-1]
            plan[-1] = (start, stop, dataclasses.replace(corpus, docs=docs.iloc[plan_first(plan):]))
        else:
            plan.append((row, row, corpus))
    return plan


def plan_first(plan: list[tuple[int, int, Corpus]]) -> int:
    """Position in the corpus of the first document of the plan's last chunk."""
    return sum(len(sub) for _, _, sub in plan[:-1])


def read_rows(path: str | Path, start: int, stop: int, columns: Sequence[str]) -> pd.DataFrame:
    """Rows ``start:stop`` of a parquet file, reading only the row groups that hold them.

    Examples
    --------
    >>> import tempfile, pyarrow as pa
    >>> p = tempfile.mkdtemp() + "/t.parquet"
    >>> pq.write_table(pa.table({"doc_id": list("aabbc")}), p, row_group_size=2)
    >>> read_rows(p, 1, 4, ["doc_id"])["doc_id"].tolist()
    ['a', 'b', 'b']
    """
    pf = pq.ParquetFile(str(path))
    groups, first, offset = [], None, 0
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        if offset < stop and offset + n > start:
            groups.append(g)
            first = offset if first is None else first
        offset += n
    if not groups or stop <= start:
        return pf.schema_arrow.empty_table().select(list(columns)).to_pandas()
    table = pf.read_row_groups(groups, columns=list(columns))
    return table.slice(start - first, stop - start).to_pandas()


def run_chunk(task: ChunkTask) -> dict[str, Any]:
    """Frames and/or people and roles of one chunk (a pure function of the task).

    Returns the tables of :data:`FRAME_TABLES` and :data:`ROLE_TABLES` that
    were asked for, and ``seconds``: ``{"frames": s, "roles": s}``.
    """

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = _run_chunk(task)
    # a worker's warnings are returned, not printed, so the parent says each one once (see per_document)
    out["warnings"] = list(dict.fromkeys((w.category, str(w.message)) for w in caught))
    return out


def _run_chunk(task: ChunkTask) -> dict[str, Any]:
    from analysis import roles

    tok = read_rows(task.path, task.start, task.stop, PER_DOCUMENT_COLUMNS)
    out: dict[str, Any] = {"seconds": {}}
    if task.frames is not None:
        start = time.perf_counter()
        out["doc_frames"], out["frame_evidence"] = framing.score(task.corpus, tok, dict(task.frames))
        out["seconds"]["frames"] = time.perf_counter() - start
    if task.roles:
        start = time.perf_counter()
        ment = roles.mentions(task.corpus, tokens=tok, progress=False)
        out["victim_gender"] = roles.victim_gender(task.corpus, ment)   # from the pattern roles (round 8c)
        if task.learned_roles:
            from analysis.roles import learned

            ment = learned.fill_roles(ment, tok)
        out["mentions"], out["role_measures"] = ment, roles.role_measures(ment)
        out["seconds"]["roles"] = time.perf_counter() - start
    return out


def run_chunks(tasks: list[ChunkTask]) -> list[dict[str, Any]]:
    """:func:`run_chunk` of every task (the top-level, picklable function for :mod:`analysis.parallel`)."""
    return [run_chunk(t) for t in tasks]


def _combine(parts: list[dict[str, Any]], names: Sequence[str],
             frame_order: Sequence[str] = ()) -> dict[str, pd.DataFrame]:
    """Concatenate each table over the chunks, in chunk order, in the order one whole-corpus call gives."""
    out = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in names}
    if "frame_evidence" in out:
        # framing.score puts classifier rows after the rule rows, frame by frame in lexicon order
        # (framing._learned: frame_classifier.predict, frame_lexical); chunk by chunk they come per chunk.
        ev = out["frame_evidence"]
        rank = {f: k + 1 for k, f in enumerate(frame_order)}
        learned = (ev["rule"] == "classifier").to_numpy()
        order = np.where(learned, ev["frame"].map(rank).fillna(len(rank) + 1).to_numpy(), 0)
        out["frame_evidence"] = ev.iloc[order.argsort(kind="stable")].reset_index(drop=True)
    if "role_measures" in out:                 # role_measures groups by (doc_id, role), sorted
        out["role_measures"] = out["role_measures"].sort_values(["doc_id", "role"], kind="mergesort") \
            .reset_index(drop=True)
    return out


def learned_roles_key(on: bool) -> str | bool:
    """The stage-cache key of ``learned_roles``: False, or the learned role model's SHA-256.

    Raises :class:`~analysis.errors.UsageError` (exit 2) when the opt-in cannot run here.

    Examples
    --------
    >>> learned_roles_key(False)
    False
    """
    if not on:
        return False
    from analysis.roles import learned

    if why := learned.unavailable_reason():
        raise UsageError(f"--learned-roles: {why}")
    return sha256_file(learned.model_path())


def per_document(corpus: Corpus, plan: list[tuple[int, int, Corpus]], frames: Mapping[str, Any] | None, *,
                 roles: bool = True, workers: int = parallel.WORKERS, scheduler: Any = None,
                 progress: bool = True, learned_roles: bool = False) -> dict[str, Any]:
    """Frames (unless ``frames`` is None) and roles (if ``roles``) of every document, chunk by chunk.

    Parameters
    ----------
    corpus : Corpus
    plan : list
        From :func:`chunk_plan`.
    frames : dict or None
        :func:`analysis.framing.load_lexicons`; None skips frames.
    roles : bool
        Find people, roles and victim gender.
    learned_roles : bool
        With ``roles``: fill the roles the patterns leave as other by the opt-in learned model
        (:func:`analysis.roles.learned.fill_roles`; the victim gender stays the patterns').
    workers, scheduler
        As :func:`analysis.parallel.imap_chunks`; results do not depend on them.
    progress : bool
        A progress bar over documents.

    Returns
    -------
    dict
        The tables (as one whole-corpus call of each function would give
        them) and ``seconds``: time of each part summed over the chunks
        (worker time; with two workers it can exceed the wall time).
    """
    path = str(preprocess.tokens_path(corpus))
    tasks = [ChunkTask(path, a, b, sub, frames, roles, learned_roles) for a, b, sub in plan]
    parts: list[dict[str, Any]] = []
    label = " and ".join(x for x, on in (("frames", frames is not None), ("roles", roles)) if on)
    with tqdm(total=len(corpus), desc=label or "per document", unit="doc", file=sys.stderr,
              disable=not progress) as bar:
        for result, task in zip(parallel.imap_chunks(run_chunks, tasks, chunk_size=1, workers=workers,
                                                     scheduler=scheduler), tasks, strict=True):
            parts.extend(result)
            bar.update(len(task.corpus))
    for category, message in dict.fromkeys(w for p in parts for w in p.pop("warnings", [])):
        warnings.warn(message, category, stacklevel=2)
    names = [*(FRAME_TABLES if frames is not None else ()), *(ROLE_TABLES if roles else ())]
    out: dict[str, Any] = _combine(parts, names, list(frames or ())) if parts else {}
    out["seconds"] = {k: sum(p["seconds"].get(k, 0.0) for p in parts) for k in ("frames", "roles")}
    return out


def keyness_counts(corpus: Corpus, groups: Mapping[str, Sequence[str]], *,
                   docs_per_chunk: int | None = None, progress: bool = False) -> pd.DataFrame:
    """Term counts of each named group of documents, streamed over the token cache.

    ``groups`` maps a group name to its document ids. Returns ``group, term,
    count, docs`` (:func:`analysis.keyness.statistics.group_term_counts`,
    summed over the chunks; a document lies in one chunk, so ``docs`` adds up).

    Examples
    --------
    >>> keyness_counts(c, {"hw": ["hw1", "hw2"]}).columns.tolist()          # doctest: +SKIP
    ['group', 'term', 'count', 'docs']
    """
    from analysis.keyness.statistics import group_term_counts

    parts = [group_term_counts(tok, groups)
             for tok in preprocess.iter_tokens(corpus, columns=["lemma", "is_alpha", "is_stop"],
                                               docs_per_chunk=docs_per_chunk or DOCS_PER_CHUNK,
                                               progress=progress)]
    if not parts:
        return pd.DataFrame({"group": [], "term": [], "count": [], "docs": []})
    both = pd.concat(parts, ignore_index=True)
    return both.groupby(["group", "term"], sort=False, as_index=False)[["count", "docs"]].sum()
