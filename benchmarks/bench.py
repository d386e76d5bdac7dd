"""Time the pipeline stages on the teaching corpus (cold cache in a temporary folder, then warm).

Usage: python benchmarks/bench.py [--notebook] [--replicate N]

--replicate N  also time tokenising a corpus made of N copies of the teaching corpus
               (documents renamed, texts unchanged) to estimate throughput at scale.
--notebook     also time a cached re-run of notebooks/03-topic-model.ipynb.
Prints one line per stage: seconds, and documents or sentences per second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import corpus, framing, preprocess, roles, topics  # noqa: E402
from analysis.config import DEFAULTS, PATHS  # noqa: E402


class Clock:
    def __init__(self):
        self.rows = []

    def __call__(self, label, fn, *args, **kwargs):
        t = time.perf_counter()
        out = fn(*args, **kwargs)
        dt = time.perf_counter() - t
        self.rows.append((label, dt))
        print(f"{label:<48} {dt:8.1f} s", flush=True)
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notebook", action="store_true")
    ap.add_argument("--replicate", type=int, default=0)
    ap.add_argument("--n-process", type=int, default=2)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    clock = Clock()
    c = corpus.load(PATHS.teaching)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        tok = clock("tokens (spaCy, cold)", preprocess.tokens, c, cache_dir=cache, n_process=args.n_process,
                    progress=False)
        clock("tokens (cached)", preprocess.tokens, c, cache_dir=cache, progress=False)
        bow = clock("bag of words", preprocess.bag_of_words, c, tok, cache_dir=cache)
        sel, k, _ = clock(f"select K over {list(DEFAULTS.k_grid)}", topics.select_k, bow, DEFAULTS.k_grid,
                          progress=False, cache_dir=cache / "m")
        clock(f"fit chosen model K={k}", topics.fit, bow, k, cache_dir=cache / "m")
        clock(f"stability, {DEFAULTS.stability_seeds} seeds", topics.stability, bow, k, progress=False,
              cache_dir=cache / "m")
        topic_total = sum(dt for _, dt in clock.rows if not _.startswith("tokens (cached"))
        print(f"{'= preprocessing + selection + model + stability':<48} {topic_total:8.1f} s")
        clock("frame scores", framing.score, c, tok)
        t = time.perf_counter()
        ment = roles.mentions(c, tokens=tok, progress=False)
        dt = time.perf_counter() - t
        n_sent = ment[["doc_id", "sentence_id"]].drop_duplicates().shape[0]
        print(f"{'people and roles (parser on selected sentences)':<48} {dt:8.1f} s  ({n_sent / dt:.0f} "
              "sentences with a person per second)")
        if args.replicate:
            docs = c.docs
            import pandas as pd
            big = pd.concat([docs.assign(doc_id=docs["doc_id"] + f"-r{i}",
                                         text=docs["text"] + f"\n(copy {i})") for i in range(args.replicate)])
            import hashlib

            from analysis.corpus import Corpus, LoadReport, content_hash
            big["text_hash"] = big["text"].map(lambda s: hashlib.sha256(s.encode()).hexdigest()[:16])
            bc = Corpus("bench", PATHS.teaching, big.reset_index(drop=True), None, LoadReport("bench"),
                        content_hash(big))
            t = time.perf_counter()
            preprocess.tokens(bc, cache_dir=cache / "big", n_process=args.n_process, progress=False)
            dt = time.perf_counter() - t
            print(f"{f'tokens for {len(big)} documents':<48} {dt:8.1f} s  ({len(big) / dt:.1f} docs/s)")
    if args.notebook:
        import nbformat
        from nbclient import NotebookClient

        nb = nbformat.read(PATHS.notebooks / "03-topic-model.ipynb", as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(PATHS.notebooks)}})
        clock("notebook 03 re-run (warm cache, incl. kernel start)", client.execute)


if __name__ == "__main__":
    main()
