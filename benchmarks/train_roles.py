"""Train and check the opt-in learned roles (:mod:`analysis.roles.learned`) on the real-news tuning sets.

Usage::

    python benchmarks/train_roles.py --train tuning,tuning_batch2,tuning_batch3,tuning_batch4,tuning_batch5 --save
    python benchmarks/train_roles.py --train tuning,tuning_batch2,tuning_batch3,tuning_batch4 --test tuning_batch5

Training data: every mention (:func:`analysis.roles.mentions`, corpus without a case registry) of a
person the coders listed in a set's ``people.csv`` (matched by
:func:`benchmarks.validity_roles.match_person`), its sentence with the mention marked, labelled
with the person's role (victim, accused or other: both outputs 0). The encoder and its settings
are those of :mod:`analysis.frame_finetuned` with 3 epochs. ``--test`` scores the patterns alone
and the patterns with the learned roles once on a tuning set of new cases (role per person and
alleged-victim gender); ``--save`` writes ``analysis/lexicons/roles/roles.finetuned.npz`` (numbers
only). Needs the real texts and the ``embeddings`` extra; only tuning sets are accepted.

Example
-------
>>> labels(pd.Series(["victim", "other", "accused"])).tolist()
[[1, 0], [0, 0], [0, 1]]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import validity_roles as vr  # noqa: E402

SETS = ("tuning", *(b for b in vr.BATCHES if b != "heldout"))
EPOCHS = 3


def labels(roles: pd.Series) -> np.ndarray:
    """0/1 columns (victim, accused) of gold role names."""
    return np.stack([(roles == "victim").to_numpy(int), (roles == "accused").to_numpy(int)], axis=1)


def training_rows(half: str) -> pd.DataFrame:
    """``marked, gold`` for every mention of a coded person in ``half``."""
    from analysis.roles import learned

    with tempfile.TemporaryDirectory() as tmp:
        _, tok, m, _, people = vr.parsed(half, Path(tmp))
        per = m.groupby(["doc_id", "person"]).size().rename("n").reset_index()
        gold: dict = {}
        for rec in people.to_dict("records"):
            who = vr.match_person(rec["person"], per[per["doc_id"] == rec["id"]])
            if who is not None:
                gold.setdefault((rec["id"], who), rec["role"])
        m = m.assign(gold=[gold.get(k, "") for k in zip(m["doc_id"], m["person"], strict=True)])
        m = m[m["gold"] != ""]
        return pd.DataFrame({"marked": learned.marked_sentences(tok, m), "gold": m["gold"].to_numpy()})


def train(names: list[str]):
    """The learned role model fitted on the mentions of ``names``."""
    from analysis import frame_finetuned as ft
    from analysis.roles import learned

    rows = pd.concat([training_rows(n) for n in names], ignore_index=True)
    return ft.train(rows["marked"].tolist(), labels(rows["gold"]), learned.ROLES,
                    settings=ft.Settings(epochs=EPOCHS), trained_on="real-news tuning sets (issue 13): "
                    + ",".join(names))


def compare(model, test: str) -> str:
    """Role per person and victim gender on ``test``: the patterns alone, then with the learned roles."""
    lines = [f"{test}: patterns alone, then patterns with the learned roles for their 'other' people", ""]
    for name, learned in (("patterns", None), ("patterns + learned", model)):
        table, role_rows, *_ = vr.measure(test, learned)
        acc = role_rows["correct"].mean()
        by = role_rows.groupby("role")["correct"].mean().round(3).to_dict()
        lines.append(f"{name:20s} role per person {acc:.3f} ({by}), victim gender "
                     f"{table.loc[0, 'accuracy']:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from analysis import frame_finetuned as ft
    from analysis.roles import learned

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True, help="comma-separated tuning sets")
    ap.add_argument("--test", help="one tuning set of new cases to score once")
    ap.add_argument("--save", action="store_true", help=f"write {learned.model_path()}")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.train.split(",") if n.strip()]
    bad = [n for n in [*names, *([args.test] if args.test else [])] if n not in SETS]
    if bad:
        print(f"error: {bad[0]!r} is not a tuning set (only {', '.join(SETS)})", file=sys.stderr)
        return 2
    if args.test in names:
        print(f"error: --test {args.test} is also a training set", file=sys.stderr)
        return 2
    if why := ft.unavailable_reason() or ("" if vr.texts_dir().is_dir() else f"no real-news texts in {vr.texts_dir()}"):
        print(f"skipped: {why}")
        return 0
    model = train(names)
    if args.test:
        print(compare(model, args.test))
    if args.save:
        learned.model_path().parent.mkdir(parents=True, exist_ok=True)
        print(f"wrote {ft.save(model, learned.model_path())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
