"""Round 8: the fine-tuned encoder (:mod:`analysis.frame_finetuned`) against the rules on a set of new cases.

Usage::

    python benchmarks/finetune_frames.py --train tuning,tuning_batch2,tuning_batch3,tuning_batch4 \\
        --test tuning_batch5
    python benchmarks/finetune_frames.py --train tuning,tuning_batch2,tuning_batch3,tuning_batch4,tuning_batch5 \\
        --save

The first form trains on the training sets (80 % of their cases; each frame's threshold chosen on the
other 20 %, grouped by case, :func:`analysis.frame_finetuned.choose_thresholds`) and scores the rules,
the fine-tuned model and their union (``rules_or_finetuned``) once on the test set, a tuning set of
new cases; it writes ``benchmarks/results/validity_frames_finetuned.csv`` and applies the rule
declared before the run (:func:`keep`, round 8 in ``validity_notes.md``). ``--save`` refits with the
same settings on all the given sets and writes the model (numbers only) to
``analysis/lexicons/frames/models/frames.finetuned.npz``. Both need the real texts
(:mod:`benchmarks.realnews_data`) and the ``embeddings`` extra; only tuning sets are accepted.

Example
-------
>>> keep({"f1_rules": 0.30, "f1_finetuned": 0.40, "precision_finetuned": 0.6,
...       "f1_rules_or_finetuned": 0.38, "precision_rules_or_finetuned": 0.7})
'finetuned'
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import frames_dev, train_frames  # noqa: E402
from benchmarks import realnews_data as rn  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
OUT_CSV = RESULTS / "validity_frames_finetuned.csv"
MODEL_PATH = Path(__file__).resolve().parent.parent / "analysis" / "lexicons" / "frames" / "models" / "frames.finetuned.npz"
MARGIN = 0.05          # declared: F1 at least the rules' + 0.05 ...
MIN_PRECISION = 0.50   # ... and precision at least 0.50
CANDIDATES = ("finetuned", "rules_or_finetuned")


def keep(row: dict) -> str:
    """The declared rule of round 8: the better candidate if it beats the rules by :data:`MARGIN` F1."""
    best = max(CANDIDATES, key=lambda k: (row[f"f1_{k}"], k == "finetuned"))
    ok = row[f"f1_{best}"] >= row["f1_rules"] + MARGIN and row[f"precision_{best}"] >= MIN_PRECISION
    return best if ok else "rules"


def grouped_split(groups: np.ndarray, seed: int, share: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (fit, threshold): whole cases, about ``share`` of them for the thresholds."""
    cases = np.array(sorted(set(groups.tolist())))
    rng = np.random.default_rng(seed)
    held = set(rng.choice(cases, size=max(1, round(share * len(cases))), replace=False).tolist())
    mask = np.array([g in held for g in groups])
    return ~mask, mask


def fit(gold: pd.DataFrame, groups: np.ndarray, trained_on: str):
    """Train on the fit cases, thresholds from the held cases; returns the model."""
    from analysis import frame_finetuned as ft

    fit_mask, thr_mask = grouped_split(groups, ft.Settings().seed)
    texts = gold["sentence"].fillna("").tolist()
    y = gold[list(rn.FRAMES)].to_numpy(int)
    model = ft.train([t for t, m in zip(texts, fit_mask, strict=True) if m], y[fit_mask], rn.FRAMES,
                     trained_on=trained_on)
    held_texts = [t for t, m in zip(texts, thr_mask, strict=True) if m]
    thresholds = ft.choose_thresholds(y[thr_mask], model.probabilities(held_texts, progress=True))
    return ft.with_thresholds(model, thresholds)


def compare(train_names: list[str], test_name: str) -> pd.DataFrame:
    """Rules, fine-tuned and their union on ``test_name``, the model trained on ``train_names``."""
    gold, _, groups = train_frames.pooled_units(train_names)
    tgold, trules, tgroups = train_frames.set_units(frames_dev.load_set(test_name))
    if set(groups.tolist()) & set(tgroups.tolist()):
        raise SystemExit(f"--test {test_name}: shares cases with the training sets")
    model = fit(gold, groups, trained_on=",".join(train_names))
    decided = model.decide(tgold["sentence"].fillna("").tolist(), progress=True)
    rows = []
    for j, f in enumerate(rn.FRAMES):
        ty = tgold[f].to_numpy(int)
        preds = {"rules": trules[f].to_numpy(int), "finetuned": decided[:, j]}
        preds["rules_or_finetuned"] = np.maximum(preds["rules"], preds["finetuned"])
        row = {"frame": f, "positives_train": int(gold[f].sum()), "positives_test": int(ty.sum()),
               "threshold": float(model.thresholds[j])}
        for k, pr in preds.items():
            row[f"f1_{k}"] = train_frames.f1(ty, pr)
            row[f"precision_{k}"], row[f"recall_{k}"] = train_frames._pr(ty, pr)
        row["kept"] = keep(row) if ty.sum() else "rules"
        rows.append(row)
    return pd.DataFrame(rows).assign(train_sets=",".join(train_names), test_set=test_name,
                                     n_train=len(gold), n_test=len(tgold))


def markdown(table: pd.DataFrame) -> str:
    """The comparison as a Markdown table with the macro F1 of each scorer over frames with positives."""
    lines = ["| frame | positives (train / test) | rules P / R / F1 | fine-tuned P / R / F1 | "
             "rules or fine-tuned P / R / F1 | kept |", "| --- | ---: | --- | --- | --- | --- |"]
    for r in table.to_dict("records"):
        cells = [" / ".join(f"{r[f'{m}_{k}']:.2f}" for m in ("precision", "recall", "f1"))
                 for k in ("rules", *CANDIDATES)]
        lines.append(f"| {r['frame']} | {r['positives_train']} / {r['positives_test']} | {' | '.join(cells)} | "
                     f"{r['kept']} |")
    has = table[table["positives_test"] > 0]
    macro = {k: has[f"f1_{k}"].mean() for k in ("rules", *CANDIDATES)}
    lines.append("")
    lines.append("Macro F1 (frames with positives): " + ", ".join(f"{k} {v:.3f}" for k, v in macro.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from analysis import frame_finetuned as ft

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True, help="comma-separated tuning sets to train on")
    ap.add_argument("--test", help="one tuning set of new cases to score once")
    ap.add_argument("--save", action="store_true", help="refit on --train and write the model")
    args = ap.parse_args(argv)
    names = train_frames.set_names(args.train)
    bad = [n for n in [*names, args.test or "tuning"] if n not in frames_dev.SETS]
    if bad:
        print(f"error: {bad[0]!r} is not a tuning set (only {', '.join(frames_dev.SETS)})", file=sys.stderr)
        return 2
    folders = {n: rn.LABELS if n == "tuning" else rn.LABELS / n for n in [*names, *([args.test] if args.test else [])]}
    if reason := ft.unavailable_reason() or next(filter(None, map(rn.missing_message, folders.values())), ""):
        print(f"skipped: {reason}")
        return 0
    if args.test:
        table = compare(names, args.test)
        RESULTS.mkdir(exist_ok=True)
        table.to_csv(OUT_CSV, index=False, float_format="%.4f")
        print(markdown(table))
    if args.save:
        gold, _, groups = train_frames.pooled_units(names)
        model = fit(gold, groups, trained_on="real-news tuning sets (issue 13): " + ",".join(names))
        print(f"wrote {ft.save(model, MODEL_PATH)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
