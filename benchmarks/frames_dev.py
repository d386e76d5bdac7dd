"""Frame rules under development: fast scores on the *tuning* sets only, by case, with errors.

Usage::

    python benchmarks/frames_dev.py --set tuning            # tuning half (reading errors allowed)
    python benchmarks/frames_dev.py --set tuning_batch2     # second tuning batch (new cases)
    python benchmarks/frames_dev.py --set tuning_batch3     # third tuning batch (newer cases)
    python benchmarks/frames_dev.py --set tuning_batch4     # fourth batch (the round-6 check set)
    python benchmarks/frames_dev.py --set tuning_batch5     # fifth batch (the round-7 check set)
    python benchmarks/frames_dev.py --set tuning_batch6     # sixth batch (the round-8 second check)
    python benchmarks/frames_dev.py --set tuning_batch7     # seventh batch (the round-8c check)
    python benchmarks/frames_dev.py --set tuning --errors career_industry

It is the check a rule change must pass before it is kept: write a rule from errors read in
one tuning set and see that it helps on the other (cases in neither were used to write it).
The evaluation half and the held-out batch are refused here on purpose; their numbers come
from ``benchmarks/validity.py`` only, once the rules are fixed. No bootstrap (see validity.py
for intervals): point precision, recall and F1 per frame, and the macro F1 over the frames
with gold positives. ``--errors`` prints the sentences a frame gets wrong, with the rule that
fired; the texts are other people's writing, so the output is for reading, not for saving.

Example
-------
>>> main(["--set", "tuning"])                          # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import framing  # noqa: E402
from benchmarks import realnews_data as rn  # noqa: E402
from benchmarks.validity import KEY, prf, sentence_predictions, with_methods  # noqa: E402

#: Tuning batches with a folder of their own (read errors on them; never the evaluation sets).
BATCHES = rn.TUNING_BATCHES
SETS = ("tuning", *BATCHES)


def load_set(name: str, present_only: bool = False) -> rn.DevSet:
    """The coded tuning set ``name`` (``tuning`` half of the development set or a tuning batch);
    ``present_only``: the excerpts whose text is present."""
    if name == "tuning":
        return rn.load(present_only=present_only).half("tuning")
    if name in BATCHES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return rn.load_heldout(labels=rn.LABELS / name, present_only=present_only)
    raise SystemExit(f"--set {name!r}: only {', '.join(SETS)} (evaluation numbers come from validity.py)")


def predictions(dev: rn.DevSet, *, rules_only: bool = True, frames: dict | None = None
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(gold, pred, evidence, tokens) on one set: every frame by its rules, or (``rules_only=False``) as shipped.

    As shipped, a frame whose lexicon file says ``method: lexical`` (or an embedding method, when that
    extra is installed) is decided by its model; ``frames`` (:func:`benchmarks.validity.with_methods`)
    replaces the shipped lexicons, for an opt-in mix.
    """
    tokens = rn.token_table(dev)
    gold = rn.gold_by_sentence(dev.codes, rn.workbench_sentences(tokens))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, evidence = framing.score(rn.as_corpus(dev), tokens, frames,
                                    **({"classifiers": {}} if rules_only else {}))
    return gold, sentence_predictions(evidence, gold, rn.FRAMES), evidence, tokens


def scores(gold: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
    """Per-frame tp, fp, fn, precision, recall and F1 (point values).

    Examples
    --------
    >>> g = pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1], **{f: [1, 0] for f in rn.FRAMES}})
    >>> float(scores(g, g).loc["legal_institutional", "f1"])
    1.0
    """
    rows = []
    for f in rn.FRAMES:
        tp, fp, fn = prf(gold, pred, f)
        p = tp / (tp + fp) if tp + fp else float("nan")
        r = tp / (tp + fn) if tp + fn else float("nan")
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
        rows.append({"frame": f, "gold": tp + fn, "pred": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                     "precision": p, "recall": r, "f1": f1})
    return pd.DataFrame(rows).set_index("frame")


def errors(gold: pd.DataFrame, pred: pd.DataFrame, evidence: pd.DataFrame, tokens: pd.DataFrame,
           frame: str) -> pd.DataFrame:
    """False positives (gold 0) and negatives (gold 1) of ``frame`` with the sentence and the rule that fired."""
    m = gold[[*KEY, frame]].merge(pred[[*KEY, frame]], on=KEY, suffixes=("_gold", "_pred"))
    m = m[m[f"{frame}_gold"] != m[f"{frame}_pred"]]
    ev = evidence[evidence["frame"] == frame].groupby(KEY)["match"].agg("; ".join).reset_index()
    return m.merge(framing.sentence_texts(tokens), on=KEY, how="left").merge(ev, on=KEY, how="left")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="tuning", help=f"one of {', '.join(SETS)}")
    ap.add_argument("--errors", metavar="FRAME", help="print the sentences this frame gets wrong")
    ap.add_argument("--as-shipped", action="store_true",
                    help="score each frame by its lexicon file's method (default: every frame by its rules)")
    ap.add_argument("--methods", default="", help="with --as-shipped: score some frames by another method, "
                    "e.g. career_industry=rules_or_finetuned")
    ap.add_argument("--present-only", action="store_true", help="the excerpts whose text is present, when some "
                    "are missing (the output says how many)")
    args = ap.parse_args(argv)
    # the tuning half is checked against the whole development set's manifest, a batch against its own
    why = rn.missing_message(rn.LABELS if args.set == "tuning" else rn.LABELS / args.set)
    if why and not args.present_only:
        print(why + "; or pass --present-only")
        return 0
    frames = with_methods(args.methods) if args.methods and args.as_shipped else None
    dev = load_set(args.set, args.present_only)
    gold, pred, evidence, tokens = predictions(dev, rules_only=not args.as_shipped, frames=frames)
    table = scores(gold, pred)
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        how = (f"frames as shipped{' with ' + args.methods if frames else ''}" if args.as_shipped
               else "every frame by its rules")
        part = " (--present-only: only the excerpts whose text is present)" if args.present_only else ""
        print(f"{args.set}: {gold['doc_id'].nunique()} excerpts, {len(gold)} sentences, {how}{part}")
        print(table.round(2).to_string())
    print(f"macro F1 over frames with gold positives: {table.loc[table['gold'] > 0, 'f1'].mean():.3f}")
    if args.errors:
        if args.errors not in rn.FRAMES:
            raise SystemExit(f"--errors {args.errors!r}: not a frame ({', '.join(rn.FRAMES)})")
        with pd.option_context("display.max_colwidth", 400, "display.width", 400):
            for _, row in errors(gold, pred, evidence, tokens, args.errors).iterrows():
                kind = "FN" if row[f"{args.errors}_gold"] == 1 else "FP"
                print(f"{kind} {row['doc_id']}#{row['sentence_id']}: {row.get('sentence', '')}  [{row.get('match', '')}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
