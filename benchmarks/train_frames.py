"""Train and choose the supervised frame classifiers on the tuning half of the real-news set.

Usage: ``python benchmarks/train_frames.py [--seed S] [--save]``

For every frame, three scorers are compared by 5-fold cross-validation on the *tuning* half,
folds grouped by case (so that no case is in both the training and the test fold):

* ``rules``: the frame's context rules and lexicon (:func:`analysis.framing.score`); they are not
  fitted, so their fold F1 is their F1 on the tuning half, on which they were written (optimistic);
* ``supervised``: logistic regression on all-MiniLM-L6-v2 sentence embeddings
  (:mod:`analysis.frame_classifier`), fitted on the training folds;
* ``hybrid``: a sentence carries the frame when the rules or the classifier say so.

A learned scorer is kept only when its grouped cross-validated F1 beats the rules' F1 by
:data:`MARGIN` (the rules' figure is in-sample, so a learned scorer must do clearly better).
``--save`` fits the winning classifiers on the whole tuning half and writes them, numbers
only (weights, intercept, threshold; no text), to ``analysis/lexicons/frames/models/``; the
``method:`` line of each frame's YAML file is then set by hand from the printed table. Only the
project's own codes (``data/annotations/real_news/``) train the models; the texts stay outside
the repository (:mod:`benchmarks.realnews_data`). The evaluation half is never read here.

Example
-------
>>> import numpy as np
>>> f1(np.array([1, 0, 1]), np.array([1, 1, 0]))
0.5
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import framing  # noqa: E402
from benchmarks import realnews_data as rn  # noqa: E402

KEY = ["doc_id", "sentence_id"]
#: How much better than the rules (F1) a learned scorer must be to be kept.
MARGIN = 0.05
TRAINED_ON = "real-news development set, tuning half (issue 13), codes by the project's coders"


def f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """F1 of binary predictions (NaN when there are no positives in either)."""
    tp = int(((gold == 1) & (pred == 1)).sum())
    wrong = int((gold != pred).sum())
    return 2 * tp / (2 * tp + wrong) if tp + wrong else float("nan")


def tuning_units(dev: rn.DevSet) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Gold codes, the rules' 0/1 predictions and each sentence's case, per sentence of the tuning half.

    The rules are run with no classifier (``classifiers={}``), whatever the YAML ``method:`` says.
    """
    from benchmarks.validity import sentence_predictions

    tune = dev.half("tuning")
    tokens = rn.token_table(tune)
    gold = rn.gold_by_sentence(tune.codes, rn.workbench_sentences(tokens))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, evidence = framing.score(rn.as_corpus(tune), tokens, classifiers={})
    rules = sentence_predictions(evidence, gold, rn.FRAMES)
    text = gold[KEY].merge(framing.sentence_texts(tokens), on=KEY, how="left")
    gold = gold.assign(sentence=text["sentence"].fillna("").to_numpy())
    case = dict(zip(tune.manifest["id"], tune.manifest["case"], strict=True))
    return gold, rules, gold["doc_id"].map(case).to_numpy()


def cv_predictions(x: np.ndarray, y: np.ndarray, groups: np.ndarray, frame: str, seed: int,
                   n_splits: int = 5) -> np.ndarray:
    """Out-of-fold classifier decisions, folds grouped by case (``GroupKFold``)."""
    from sklearn.model_selection import GroupKFold

    from analysis import frame_classifier

    pred = np.zeros_like(y)
    for train, test in GroupKFold(n_splits=min(n_splits, len(set(groups)))).split(x, y, groups):
        if len(set(y[train].tolist())) == 2:
            pred[test] = frame_classifier.fit(x[train], y[train], frame=frame, seed=seed).decide(x[test])
    return pred


def choose(gold: pd.DataFrame, rules: pd.DataFrame, x: np.ndarray, groups: np.ndarray, seed: int
           ) -> pd.DataFrame:
    """Per frame: positives, F1 of rules, supervised (grouped CV) and hybrid (grouped CV), and the choice."""
    rows = []
    for f in rn.FRAMES:
        y, r = gold[f].to_numpy(), rules[f].to_numpy()
        sup = cv_predictions(x, y, groups, f, seed) if y.sum() >= 2 else np.zeros_like(y)
        scores = {"rules": f1(y, r), "supervised": f1(y, sup), "hybrid": f1(y, np.maximum(r, sup))}
        best = max(("supervised", "hybrid"), key=lambda k: np.nan_to_num(scores[k]))
        pick = best if np.nan_to_num(scores[best]) > np.nan_to_num(scores["rules"]) + MARGIN else "rules"
        rows.append({"frame": f, "positives": int(y.sum()), **{f"f1_{k}": v for k, v in scores.items()},
                     "choice": pick})
    return pd.DataFrame(rows)


def markdown(choice: pd.DataFrame, n_sentences: int, n_cases: int) -> str:
    """The choice table as Markdown (for the validity report)."""
    lines = [f"Tuning half: {n_sentences} sentences, {n_cases} cases; 5-fold cross-validation grouped by case.", "",
             "| frame | positives | rules F1 (in-sample) | supervised F1 (CV) | hybrid F1 (CV) | kept |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    lines += [f"| {r.frame} | {r.positives} | {r.f1_rules:.2f} | {r.f1_supervised:.2f} | {r.f1_hybrid:.2f} | "
              f"{r.choice} |" for r in choice.itertuples(index=False)]
    return "\n".join(lines)


def train(dev: rn.DevSet, *, seed: int = 20181010, save: bool = False) -> tuple[pd.DataFrame, str]:
    """Compare the scorers on the tuning half; with ``save``, write the kept classifiers. Returns (table, md)."""
    from analysis import frame_classifier

    gold, rules, groups = tuning_units(dev)
    x = frame_classifier.embed(gold["sentence"].tolist())
    choice = choose(gold, rules, x, groups, seed)
    if save:
        for r in choice.itertuples(index=False):
            if r.choice != "rules":
                frame_classifier.save(frame_classifier.fit(x, gold[r.frame].to_numpy(), frame=r.frame, seed=seed,
                                                           trained_on=TRAINED_ON))
    return choice, markdown(choice, len(gold), len(set(groups)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20181010)
    ap.add_argument("--save", action="store_true", help="write the kept classifiers to the models folder")
    args = ap.parse_args(argv)
    from analysis import frame_classifier

    if not rn.available() or not frame_classifier.available():
        print(rn.missing_message() or frame_classifier.unavailable_reason())
        return 0
    _, md = train(rn.load(), seed=args.seed, save=args.save)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
