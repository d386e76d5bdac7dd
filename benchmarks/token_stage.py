"""Where the token stage spends its CPU (issue 14): spaCy components one by one, conversion, writing, workers.

Usage::

    python benchmarks/token_stage.py [--docs 500] [--seed 20181010] [--batch-size 64]
                                     [--variant NAME ...] [--end-to-end]

The corpus is the scale-benchmark corpus (:func:`benchmarks.scale.build_corpus`, the same
``--docs``/``--seed`` give the same articles), loaded as the pipeline loads it. Every number is
CPU seconds (user + system), not wall time, because the machine is shared:

* ``process start + import`` and ``+ model load``: a fresh Python process that imports
  :mod:`analysis.preprocess` (and then loads the model), from ``RUSAGE_CHILDREN``; every parse
  worker pays this once;
* ``tokenizer`` and each pipeline component (``nlp.make_doc``, then ``component.pipe`` over all
  documents in ``--batch-size`` batches, in pipeline order), in this process;
* ``Doc -> table``: the per-token reference conversion and :func:`analysis.token_store.doc_table`
  (``Doc.to_array``), both checked equal;
* ``parquet write``: the tables grouped and written as the token stage writes them;
* ``--end-to-end``: :func:`analysis.preprocess.tokens` on two worker processes (this process and
  every descendant, read from ``/proc``), cold, in a cache folder of its own.

``--variant`` times a pipeline that changes results (see :data:`VARIANTS`) next to the default, on
the same documents, and counts how its token table differs (sentences, lemmas, entity labels).
The run works under ``~/.cache/metoo-workbench/scale-s2-root/`` unless ``METOO_WORKBENCH_ROOT`` is set.

Example
-------
>>> main(["--docs", "50"])                               # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _own_root() -> Path:
    """The benchmark's project root (``data/raw`` linked to the project's), unless one is set."""
    root = Path(os.environ.get("METOO_WORKBENCH_ROOT")
                or Path.home() / ".cache" / "metoo-workbench" / "scale-s2-root")
    (root / "data").mkdir(parents=True, exist_ok=True)
    if not (root / "data" / "raw").exists():
        (root / "data" / "raw").symlink_to(ROOT / "data" / "raw", target_is_directory=True)
    os.environ["METOO_WORKBENCH_ROOT"] = str(root)
    return root


if __name__ == "__main__":
    _own_root()

import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402

from analysis import corpus, preprocess, token_store  # noqa: E402

#: Result-changing pipelines: name -> keyword arguments of :func:`analysis.preprocess.load_nlp`.
VARIANTS: dict[str, dict] = {
    "sentencizer": {"sentences": "sentencizer"},
}


def cpu() -> float:
    """User + system CPU seconds of this process."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child_cpu(code: str) -> float:
    """CPU seconds of a fresh Python process running ``code`` (cwd: the project)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=dict(os.environ))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def load_corpus(n_docs: int, seed: int) -> corpus.Corpus:
    """The ``n_docs``-article scale corpus, built in the temporary folder and loaded."""
    from benchmarks import scale

    folder = scale.build_corpus(n_docs, seed, 0.2, Path(tempfile.gettempdir()) / "metoo-token-stage")
    return corpus.load(folder)


def component_times(nlp, texts: list[str], batch_size: int) -> tuple[dict[str, float], list]:
    """CPU seconds of the tokenizer and of each enabled component, run one after another; the docs."""
    times: dict[str, float] = {}
    t = cpu()
    docs = [nlp.make_doc(text) for text in texts]
    times["tokenizer"] = cpu() - t
    for name, proc in nlp.pipeline:
        t = cpu()
        docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        times[name] = cpu() - t
    return times, docs


def conversion_times(docs: list, ids: list[str]) -> tuple[dict[str, float], list[pa.Table]]:
    """CPU seconds of the per-token reference conversion and of ``Doc.to_array``; the tables (checked equal)."""
    schema, names = preprocess.TOKEN_SCHEMA, preprocess.TOKEN_SCHEMA.names
    t = cpu()
    ref = [pa.table(token_store.doc_columns_reference(d, i, "h", names), schema=schema) for d, i in zip(docs, ids, strict=True)]
    middle = cpu()
    new = [preprocess.doc_table(d, i, "h") for d, i in zip(docs, ids, strict=True)]
    end = cpu()
    if not all(a.equals(b) for a, b in zip(ref, new, strict=True)):
        raise SystemExit("Doc.to_array conversion differs from the per-token reference")
    return {"Doc -> table (per token, before)": middle - t, "Doc -> table (Doc.to_array)": end - middle}, new


def write_time(tables: list[pa.Table]) -> float:
    """CPU seconds of grouping and writing the tables as the token stage does."""
    with tempfile.TemporaryDirectory() as tmp:
        t = cpu()
        preprocess._atomic_parquet(Path(tmp) / "tokens.parquet",
                                   token_store.group_documents(iter(tables), preprocess.CHUNK_DOCS))
        return cpu() - t


def end_to_end(c: corpus.Corpus, batch_size: int) -> float:
    """CPU seconds (this process and its descendants) of a cold :func:`analysis.preprocess.tokens`, 2 workers."""
    from benchmarks.scale import MemorySampler

    sampler = MemorySampler()
    sampler.start()
    with tempfile.TemporaryDirectory() as tmp:
        start = sampler.cpu()
        preprocess.tokens(c, batch_size=batch_size, progress=False, cache_dir=Path(tmp), workers=2)
        spent = sampler.cpu() - start
    sampler.stop()
    return spent


def differences(a: list[pa.Table], b: list[pa.Table]) -> dict[str, int]:
    """How two token tables of the same documents differ: sentences, lemmas, entity labels (token counts)."""
    x = pa.concat_tables(a).to_pandas()
    y = pa.concat_tables(b).to_pandas()
    if len(x) != len(y) or not (x["text"].to_numpy() == y["text"].to_numpy()).all():
        raise SystemExit("the variant tokenises differently")
    n_sent = lambda t: int(t.groupby("doc_id", sort=False)["sent"].max().add(1).sum())  # noqa: E731
    first = lambda t: t["sent"].ne(t["sent"].shift()) | t["doc_id"].ne(t["doc_id"].shift())  # noqa: E731
    return {"tokens": len(x), "sentences before": n_sent(x), "sentences after": n_sent(y),
            "tokens with another sentence start": int((first(x) != first(y)).sum()),
            "lemmas changed": int((x["lemma"] != y["lemma"]).sum()),
            "pos changed": int((x["pos"] != y["pos"]).sum()),
            "entity labels changed": int((x["ent"] != y["ent"]).sum()),
            "PERSON tokens before": int((x["ent"] == "PERSON").sum()),
            "PERSON tokens after": int((y["ent"] == "PERSON").sum())}


def _print(title: str, rows: dict[str, float], n_words: int) -> None:
    table = pd.DataFrame({"CPU s": rows}).round(2)
    table["words per CPU s"] = (n_words / table["CPU s"].where(table["CPU s"] > 0)).round(0)
    print(f"\n{title}\n{table.to_string()}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20181010)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--variant", action="append", default=[], choices=sorted(VARIANTS))
    ap.add_argument("--end-to-end", action="store_true", help="also time preprocess.tokens on two workers")
    args = ap.parse_args(argv)
    c = load_corpus(args.docs, args.seed)
    texts, ids = c.docs["text"].tolist(), c.docs["doc_id"].tolist()
    n_words = int(sum(len(t.split()) for t in texts))
    print(f"{len(texts)} documents, {n_words} words, batch size {args.batch_size}, spaCy CPU threads: "
          f"{os.environ.get('OMP_NUM_THREADS', 'default')}")
    start = child_cpu("import analysis.preprocess")
    loaded = child_cpu("from analysis import preprocess; preprocess.load_nlp()")
    rows = {"process start + import": start, "model load (per worker)": loaded - start}
    times, docs = component_times(preprocess.load_nlp(), texts, args.batch_size)
    rows |= times
    conv, tables = conversion_times(docs, ids)
    rows |= conv
    rows["parquet write"] = write_time(tables)
    rows["total in process (to_array)"] = sum(v for k, v in rows.items() if k not in (
        "process start + import", "model load (per worker)", "Doc -> table (per token, before)"))
    if args.end_to_end:
        t0 = time.perf_counter()
        rows["preprocess.tokens, 2 workers (all processes)"] = end_to_end(c, args.batch_size)
        print(f"end to end: {time.perf_counter() - t0:.1f} s wall")
    _print("default pipeline " + "+".join(preprocess.TOKEN_PIPES), rows, n_words)
    for name in args.variant:
        nlp = preprocess.load_nlp(**VARIANTS[name])
        times, vdocs = component_times(nlp, texts, args.batch_size)
        times["total in process"] = sum(times.values())
        _print(f"variant {name}: " + "+".join(nlp.pipe_names), times, n_words)
        vtables = [preprocess.doc_table(d, i, "h") for d, i in zip(vdocs, ids, strict=True)]
        print(pd.Series(differences(tables, vtables)).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
