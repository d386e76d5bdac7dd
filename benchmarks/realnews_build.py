"""Merge the per-region parts of the real-news development set and split it by case.

Reads ``data/annotations/real_news/parts/{hw,bw,pk}_{manifest,people,frames_coded}.csv``
(written by the coders; see ``data/annotations/real_news/README.md``) and writes

* ``manifest.csv``: one row per excerpt, with the ``half`` it belongs to;
* ``people.csv``: named people with role and gender;
* ``frames_coded.csv``: coder_a's sentence codes (offsets and sentence hash, never text);
* ``frames_coded_overlap.csv``: the blind second coder's codes on an overlap sample, if present;
* ``frames_coded_tuning_extra.csv``: a second round of codes on further tuning-half excerpts, if present;
* ``split.csv``: every case with its region, victim gender, excerpt count and half.

The split assigns whole cases to a ``tuning`` and an ``evaluation`` half, stratified by region and
the case's alleged-victim gender: within each stratum, cases are taken largest first (ties broken
by a SHA-256 of the case name, so the split is deterministic) and each goes to the half with fewer
excerpts so far (the evaluation half first). Once committed, the split is never re-drawn: re-running
this script keeps the half of every case already in ``split.csv`` and assigns only new cases.

With ``--batch NAME`` it merges a batch folder of its own instead
(``data/annotations/real_news/NAME/{hw,bw,pk}_{manifest,people,frames_coded}.csv`` into that
folder's ``manifest.csv``, ``people.csv`` and ``frames_coded.csv``; no split: a batch is one half).

Usage: ``python benchmarks/realnews_build.py [--batch tuning_batch3]``
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DIR = ROOT / "data" / "annotations" / "real_news"
PARTS = DIR / "parts"
REGIONS = ("hw", "bw", "pk")


def _write(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV atomically (``\\n`` line ends, no index; :func:`analysis.io.atomic_write_csv`)."""
    from analysis.io import atomic_write_csv

    atomic_write_csv(path, frame)


def _read_parts(kind: str, folder: Path = PARTS) -> pd.DataFrame:
    frames = [pd.read_csv(folder / f"{r}_{kind}.csv", dtype=str, keep_default_na=False)
              for r in REGIONS if (folder / f"{r}_{kind}.csv").is_file()]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def merge_batch(folder: Path) -> int:
    """Merge a batch's per-region files into its ``manifest.csv``, ``people.csv`` and ``frames_coded.csv``.

    Refuses (exit 2) a batch whose excerpt ids or cases also occur in the development set, the
    held-out batch or another batch, so a tuning batch can never leak into an evaluation set.
    """
    manifest = _read_parts("manifest", folder)
    if manifest.empty:
        print(f"no parts ({'/'.join(REGIONS)}_manifest.csv) in {folder}", file=sys.stderr)
        return 2
    others = [DIR / "manifest.csv", *(p / "manifest.csv" for p in sorted(DIR.iterdir())
                                      if p.is_dir() and p != folder and (p / "manifest.csv").is_file())]
    for other in others:
        seen = pd.read_csv(other, dtype=str, keep_default_na=False)
        for column in ("id", "case", "url"):
            clash = sorted(set(manifest[column]) & set(seen[column]))
            if clash:
                print(f"{folder}: {column} {clash[:3]} also in {other}; a batch needs new excerpts of new cases",
                      file=sys.stderr)
                return 2
    codes = _read_parts("frames_coded", folder)
    for frame, name in ((manifest, "manifest"), (_read_parts("people", folder), "people"), (codes, "frames_coded")):
        _write(frame, folder / f"{name}.csv")
    print(manifest.groupby(["region", "victim_gender"]).size().unstack(fill_value=0).to_string())
    print(f"\n{len(manifest)} excerpts, {manifest['outlet'].nunique()} outlets, {manifest['case'].nunique()} cases, "
          f"{len(codes)} coded sentences; male share {(manifest['victim_gender'] == 'male').mean():.2f}")
    return 0


def _case_gender(group: pd.DataFrame) -> str:
    counts = group["victim_gender"].value_counts()
    return str(counts.index[0])


def assign_halves(manifest: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per case: region, victim_gender (modal), n_excerpts, half.

    Examples
    --------
    >>> m = pd.DataFrame({"case": ["a", "a", "b", "c"], "region": "x", "victim_gender": "male"})
    >>> assign_halves(m).set_index("case")["half"].to_dict()
    {'a': 'evaluation', 'b': 'tuning', 'c': 'tuning'}
    """
    cases = (manifest.groupby("case").apply(lambda g: pd.Series({
        "region": g["region"].iloc[0], "victim_gender": _case_gender(g), "n_excerpts": len(g)}),
        include_groups=False).reset_index())
    known = {} if previous is None else dict(zip(previous["case"], previous["half"], strict=True))
    cases["tiebreak"] = cases["case"].map(lambda c: hashlib.sha256(c.encode()).hexdigest())
    halves = []
    for _, stratum in cases.groupby(["region", "victim_gender"], sort=True):
        load = {"evaluation": 0, "tuning": 0}
        for c, n in zip(stratum["case"], stratum["n_excerpts"], strict=True):
            if c in known:
                load[known[c]] += n
        order = stratum.sort_values(["n_excerpts", "tiebreak"], ascending=[False, True])
        for c, n in zip(order["case"], order["n_excerpts"], strict=True):
            half = known.get(c) or ("evaluation" if load["evaluation"] <= load["tuning"] else "tuning")
            if c not in known:
                load[half] += n
            halves.append((c, half))
    out = cases.drop(columns="tiebreak").merge(pd.DataFrame(halves, columns=["case", "half"]), on="case")
    return out.sort_values(["region", "victim_gender", "case"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--batch"] and len(argv) == 2:
        return merge_batch(DIR / argv[1])
    if argv:
        print("usage: python benchmarks/realnews_build.py [--batch NAME]", file=sys.stderr)
        return 2
    manifest = _read_parts("manifest")
    if manifest.empty:
        print(f"no parts in {PARTS}", file=sys.stderr)
        return 2
    previous = pd.read_csv(DIR / "split.csv", dtype=str) if (DIR / "split.csv").is_file() else None
    split = assign_halves(manifest, previous)
    manifest = manifest.merge(split[["case", "half"]], on="case", how="left")
    _write(split, DIR / "split.csv")
    _write(manifest, DIR / "manifest.csv")
    _write(_read_parts("people"), DIR / "people.csv")
    _write(_read_parts("frames_coded"), DIR / "frames_coded.csv")
    for source, target in (("tuning_extra_frames_coded.csv", "frames_coded_tuning_extra.csv"),
                           ("overlap_coder_b.csv", "frames_coded_overlap.csv")):
        if (PARTS / source).is_file():
            _write(pd.read_csv(PARTS / source, dtype=str), DIR / target)
    summary = manifest.groupby(["half", "region", "victim_gender"]).size().unstack(fill_value=0)
    print(summary.to_string())
    print(f"\n{len(manifest)} excerpts, {manifest['outlet'].nunique()} outlets, {len(split)} cases; "
          f"male share {(manifest['victim_gender'] == 'male').mean():.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
