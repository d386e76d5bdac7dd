"""Train and choose the learned frame scorers on the tuning half of the real-news set.

Usage: ``python benchmarks/train_frames.py [--seed S] [--save] [--curve] [--sets tuning,tuning_batch2,...]``
or ``python benchmarks/train_frames.py --sets tuning,tuning_batch2 --test-set tuning_batch3`` (:func:`transfer`;
``--kinds lexical`` or ``--kinds supervised,hybrid,lexical`` picks the learned scorers compared there), or
``python benchmarks/train_frames.py --kinds lexical --sets tuning,tuning_batch2,tuning_batch3 --save``
(:func:`save_lexical`: refit the lexical models of the frames that qualified on the test set, on all the sets)

For every frame, three scorers are compared by 5-fold cross-validation on the *tuning* half (or,
with ``--sets``, on several tuning sets pooled: the tuning half and the tuning batches, whose cases
are disjoint), folds grouped by case (so that no case is in both the training and the test fold):

* ``rules``: the frame's context rules and lexicon (:func:`analysis.framing.score`); they are not
  fitted, so their figure is their score on the tuning half, on which they were written (optimistic);
* ``supervised``: logistic regression on the sentence's all-MiniLM-L6-v2 embedding;
* ``hybrid``: logistic regression on the sentence's embedding, the mean embedding of its
  neighbours and of its excerpt, and the rule hits of every frame
  (:func:`analysis.frame_classifier.hybrid_features`);
* ``lexical`` (:func:`transfer` only): logistic regression on lemma n-grams of content tokens
  kept in at least three training cases, and the rule hits of every frame in the sentence and its
  neighbours (:mod:`analysis.frame_lexical`; no optional extra; C and threshold by grouped CV on
  the training sets). It ships as a frame's default only by the rule declared before any number
  was seen (:func:`lexical_qualifies`).

Each learned scorer's decision threshold is chosen inside the training folds (a nested, also
case-grouped, 3-fold cross-validation; :func:`analysis.frame_classifier.choose_threshold`: precision
>= 0.75 and recall >= 0.50 where possible, else the best F1), so the test fold never sets it
(Varma & Simon 2006 on nested cross-validation). The rules' hits are features of the hybrid, and
they were written from these cases: the hybrid's figure shares the rules' optimism, so it needs
only a small margin over the rules (:data:`MARGIN_HYBRID`); a supervised scorer, which shares none
of it, must beat the rules by :data:`MARGIN`. A tie keeps the rules: a learned scorer makes a
frame's result depend on an optional package and embeds every sentence (tens of sentences per
second per core), so it has to earn its place.

``--save`` fits the kept scorers on the whole tuning half (threshold from grouped cross-validation
there) and writes them, numbers only (weights, intercept, threshold; no text), to
``analysis/lexicons/frames/models/``, sets the ``method:`` line of each frame's YAML file, and
writes the table to ``benchmarks/results/validity_frames_choice.csv``. ``--curve`` adds a learning
curve (grouped CV F1 when the training folds keep 25, 50, 75 and 100 % of their cases) to
``benchmarks/results/validity_learning_curve.csv``. Only the project's own codes train the models;
the texts stay outside the repository (:mod:`benchmarks.realnews_data`). The evaluation half is
never read here.

Example
-------
>>> import numpy as np
>>> f1(np.array([1, 0, 1]), np.array([1, 1, 0]))
0.5
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import framing  # noqa: E402
from benchmarks import realnews_data as rn  # noqa: E402

KEY = ["doc_id", "sentence_id"]
#: How much better than the rules (F1) a supervised scorer must be to be kept.
MARGIN = 0.05
#: How much better than the rules (F1) a hybrid scorer must be to be kept (it contains the rules' hits;
#: a tie keeps the rules, which need no optional package and no embedding of every sentence).
MARGIN_HYBRID = 0.02
TRAINED_ON = "real-news development set, tuning half (issue 13), codes by the project's coders"
TRAINED_ON_POOLED = "real-news tuning sets (issue 13), codes by the project's coders: "
RESULTS = Path(__file__).resolve().parent / "results"
CHOICE_CSV = RESULTS / "validity_frames_choice.csv"
CURVE_CSV = RESULTS / "validity_learning_curve.csv"
TRANSFER_CSV = RESULTS / "validity_frames_transfer.csv"
COMMAND = "python benchmarks/train_frames.py --save --curve"
#: The pre-declared rule for ``method: lexical`` (fixed before the first batch-3 run): on the test set,
#: F1 >= the rules' F1 + LEXICAL_F1_GAIN and precision >= the rules' precision - LEXICAL_PRECISION_LOSS.
LEXICAL_F1_GAIN = 0.03
LEXICAL_PRECISION_LOSS = 0.10
EMBEDDING_KINDS = ("supervised", "hybrid")


def f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """F1 of binary predictions (NaN when there are no positives in either)."""
    tp = int(((gold == 1) & (pred == 1)).sum())
    wrong = int((gold != pred).sum())
    return 2 * tp / (2 * tp + wrong) if tp + wrong else float("nan")


def _pr(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    tp = int(((gold == 1) & (pred == 1)).sum())
    return (tp / pred.sum() if pred.sum() else float("nan"), tp / gold.sum() if gold.sum() else float("nan"))


def tuning_units(dev: rn.DevSet) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Gold codes (with ``sentence`` text), the rules' 0/1 predictions and each sentence's case (tuning half)."""
    return set_units(dev.half("tuning"))


def pooled_units(names: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """:func:`set_units` of several tuning sets (``frames_dev.SETS``), stacked.

    Refuses a set that is not a tuning set, and sets that share a case (a case in two sets would
    sit in two cross-validation folds).
    """
    from benchmarks import frames_dev

    parts = [set_units(frames_dev.load_set(name)) for name in names]
    groups = [set(g.tolist()) for _, _, g in parts]
    shared = set.intersection(*groups) if len(groups) > 1 else set()
    if shared:
        raise SystemExit(f"--sets {','.join(names)}: case(s) {sorted(shared)[:3]} occur in more than one set")
    return (pd.concat([g for g, _, _ in parts], ignore_index=True),
            pd.concat([r for _, r, _ in parts], ignore_index=True),
            np.concatenate([g for _, _, g in parts]))


def set_units(tune: rn.DevSet) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Gold codes (with ``sentence`` text), the rules' 0/1 predictions and each sentence's case (one set).

    The rules are run with no classifier (``classifiers={}``), whatever the YAML ``method:`` says.
    ``gold`` also holds ``terms``: each sentence's lemma n-grams (:func:`analysis.frame_lexical.sentence_terms`).
    """
    from analysis.frame_lexical import sentence_terms
    from benchmarks.validity import sentence_predictions

    tokens = rn.token_table(tune)
    gold = rn.gold_by_sentence(tune.codes, rn.workbench_sentences(tokens))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, evidence = framing.score(rn.as_corpus(tune), tokens, classifiers={})
    rules = sentence_predictions(evidence, gold, rn.FRAMES)
    text = gold[KEY].merge(framing.sentence_texts(tokens), on=KEY, how="left")
    terms = sentence_terms(tokens).groupby(KEY, sort=False)["term"].agg(tuple)
    gold = gold.assign(sentence=text["sentence"].fillna("").to_numpy(),
                       terms=[terms.get((d, s), ()) for d, s in zip(gold["doc_id"], gold["sentence_id"], strict=True)])
    case = dict(zip(tune.manifest["id"], tune.manifest["case"], strict=True))
    return gold, rules, gold["doc_id"].map(case).to_numpy()


def _splits(groups: np.ndarray, n_splits: int) -> list:
    from sklearn.model_selection import GroupKFold

    k = min(n_splits, len(set(groups.tolist())))
    return list(GroupKFold(n_splits=k).split(np.zeros(len(groups)), groups=groups)) if k >= 2 else []


def oof_probabilities(x: np.ndarray, y: np.ndarray, groups: np.ndarray, frame: str, seed: int, *,
                      n_splits: int = 3, hybrid: bool = False) -> np.ndarray:
    """Out-of-fold probabilities, folds grouped by case (``GroupKFold``); NaN where a fold could not be fitted."""
    from analysis import frame_classifier

    p = np.full(len(y), np.nan)
    for train, test in _splits(groups, n_splits):
        if len(set(y[train].tolist())) == 2:
            m = frame_classifier.fit(x[train], y[train], frame=frame, seed=seed,
                                     rule_frames=rn.FRAMES if hybrid else ())
            p[test] = m.probability(x[test])
    return p


def fitted_threshold(x: np.ndarray, y: np.ndarray, groups: np.ndarray, frame: str, seed: int, *,
                     hybrid: bool) -> float:
    """Threshold for a model fitted on (x, y): chosen on grouped 3-fold out-of-fold probabilities."""
    from analysis import frame_classifier

    p = oof_probabilities(x, y, groups, frame, seed, hybrid=hybrid)
    ok = ~np.isnan(p)
    return frame_classifier.choose_threshold(y[ok], p[ok]) if ok.any() and y[ok].sum() else 0.5


def cv_predictions(x: np.ndarray, y: np.ndarray, groups: np.ndarray, frame: str, seed: int,
                   n_splits: int = 5, *, hybrid: bool = False, nested: bool = True,
                   keep: float = 1.0) -> np.ndarray:
    """Out-of-fold decisions, folds grouped by case; the threshold is chosen within the training folds.

    ``keep`` < 1 keeps only that share of the training folds' cases (seeded), for a learning curve;
    ``nested=False`` uses the threshold 0.5 (faster).
    """
    from analysis import frame_classifier

    rng = np.random.default_rng(seed)
    pred = np.zeros_like(y)
    for train, test in _splits(groups, n_splits):
        if keep < 1.0:
            cases = sorted(set(groups[train].tolist()))
            chosen = set(rng.choice(cases, size=max(2, round(keep * len(cases))), replace=False).tolist())
            train = train[np.isin(groups[train], list(chosen))]
        if len(set(y[train].tolist())) < 2:
            continue
        thr = fitted_threshold(x[train], y[train], groups[train], frame, seed, hybrid=hybrid) if nested else 0.5
        m = frame_classifier.fit(x[train], y[train], frame=frame, seed=seed, threshold=thr,
                                 rule_frames=rn.FRAMES if hybrid else ())
        pred[test] = m.decide(x[test])
    return pred


def features(gold: pd.DataFrame, rules: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(supervised, hybrid) features of the units of :func:`set_units`: sentence embeddings, and those with
    the neighbour and excerpt embeddings and every frame's rule hits."""
    from analysis import frame_classifier

    x = frame_classifier.embed(gold["sentence"].tolist())
    return x, frame_classifier.hybrid_features(x, gold["doc_id"].to_numpy(), rules[list(rn.FRAMES)].to_numpy())


def set_names(sets: str) -> list[str]:
    """The tuning sets of a ``--sets`` value.

    Examples
    --------
    >>> set_names("tuning, tuning_batch2,")
    ['tuning', 'tuning_batch2']
    """
    return [n.strip() for n in sets.split(",") if n.strip()]


def pick(row: dict) -> str:
    """The kept scorer of one frame's row of F1s: a learned one only if it beats the rules by its margin.

    Examples
    --------
    >>> pick({"f1_rules": 0.40, "f1_hybrid": 0.43, "f1_supervised": 0.44})
    'hybrid'
    >>> pick({"f1_rules": 0.40, "f1_hybrid": 0.41, "f1_supervised": 0.44})
    'rules'
    """
    rule_f1 = np.nan_to_num(row["f1_rules"])
    wins = {"hybrid": np.nan_to_num(row["f1_hybrid"]) - MARGIN_HYBRID,
            "supervised": np.nan_to_num(row["f1_supervised"]) - MARGIN}
    best = max(wins, key=wins.get)
    return best if wins[best] >= rule_f1 and wins[best] > 0 else "rules"


def choose(gold: pd.DataFrame, rules: pd.DataFrame, x: np.ndarray, groups: np.ndarray, seed: int,
           xh: np.ndarray | None = None, nested: bool = True) -> pd.DataFrame:
    """Per frame: positives, P/R/F1 of rules, supervised and hybrid (grouped CV), and the choice.

    ``x`` are the supervised features, ``xh`` the hybrid ones (default: ``x``).
    """
    from tqdm import tqdm

    xh = x if xh is None else xh
    rows = []
    for f in tqdm(rn.FRAMES, desc="frames (grouped CV)", leave=False):
        y, r = gold[f].to_numpy(), rules[f].to_numpy()
        enough = y.sum() >= 2
        preds = {"rules": r,
                 "supervised": cv_predictions(x, y, groups, f, seed, nested=nested) if enough else 0 * y,
                 "hybrid": cv_predictions(xh, y, groups, f, seed, hybrid=True, nested=nested) if enough else 0 * y}
        row = {"frame": f, "positives": int(y.sum())}
        for k, pr in preds.items():
            row[f"f1_{k}"] = f1(y, pr)
            row[f"precision_{k}"], row[f"recall_{k}"] = _pr(y, pr)
        row["choice"] = pick(row)
        rows.append(row)
    return pd.DataFrame(rows)


def learning_curve(gold: pd.DataFrame, x: np.ndarray, xh: np.ndarray, groups: np.ndarray, seed: int,
                   shares: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)) -> pd.DataFrame:
    """Grouped 5-fold CV F1 per frame (threshold 0.5) when the training folds keep a share of their cases."""
    from tqdm import tqdm

    rows = []
    for share in tqdm(shares, desc="learning curve", leave=False):
        for kind, feats in (("supervised", x), ("hybrid", xh)):
            row = {"share": share, "kind": kind}
            for f in rn.FRAMES:
                y = gold[f].to_numpy()
                row[f] = f1(y, cv_predictions(feats, y, groups, f, seed, hybrid=kind == "hybrid", nested=False,
                                              keep=share))
            row["macro_f1"] = float(np.nanmean([row[f] for f in rn.FRAMES]))
            rows.append(row)
    return pd.DataFrame(rows)


def lexical_qualifies(row: dict) -> bool:
    """The pre-declared rule: the lexical scorer beats the rules' F1 by 0.03 and loses at most 0.10 precision.

    Examples
    --------
    >>> lexical_qualifies({"f1_rules": 0.40, "precision_rules": 0.80, "f1_lexical": 0.43, "precision_lexical": 0.70})
    True
    >>> lexical_qualifies({"f1_rules": 0.40, "precision_rules": 0.80, "f1_lexical": 0.50, "precision_lexical": 0.69})
    False
    """
    f, p = (np.nan_to_num(row[k]) for k in ("f1_lexical", "precision_lexical"))
    return bool(f >= np.nan_to_num(row["f1_rules"]) + LEXICAL_F1_GAIN - 1e-12 and f > 0
                and p >= np.nan_to_num(row["precision_rules"]) - LEXICAL_PRECISION_LOSS - 1e-12)


def lexical_features(gold: pd.DataFrame, rules: pd.DataFrame, groups: np.ndarray | None = None,
                     vocab: tuple[str, ...] | None = None) -> tuple:
    """(sparse features, vocabulary) of the units of :func:`set_units` (:func:`analysis.frame_lexical.design`).

    Without ``vocab`` the vocabulary is built from these units (``groups``: their cases); it uses
    no codes, so building it once on all the training data leaks nothing into the cross-validation.
    """
    from analysis import frame_lexical

    terms = _terms(gold)
    if vocab is None:
        vocab = frame_lexical.vocabulary(terms, dict(zip(gold["doc_id"], groups, strict=True)))
    return frame_lexical.design(gold[KEY], terms, vocab, rules[list(rn.FRAMES)].to_numpy(float)), vocab


def transfer(train_names: list[str], test_name: str, seed: int = 20181010,
             kinds: tuple[str, ...] = EMBEDDING_KINDS) -> pd.DataFrame:
    """Rules and the learned scorers ``kinds`` fitted on ``train_names`` and scored once on ``test_name``.

    The honest out-of-sample comparison the in-sample rules figure cannot give: the test set is
    a tuning set of new cases that neither the rules' authors nor the fit have read (the rules
    are scored as they stand; the learned scorers are fitted on the training sets, thresholds
    (and the lexical scorer's C) from grouped cross-validation there, as in :func:`save_models`).
    """
    from analysis import frame_classifier, frame_lexical
    from benchmarks import frames_dev

    gold, rules, groups = pooled_units(train_names)
    tgold, trules, tgroups = set_units(frames_dev.load_set(test_name))
    if set(groups.tolist()) & set(tgroups.tolist()):
        raise SystemExit(f"--test-set {test_name}: shares cases with the training sets")
    emb = [k for k in kinds if k in EMBEDDING_KINDS]
    feats = dict(zip(EMBEDDING_KINDS, features(gold, rules), strict=True)) if emb else {}
    tfeats = dict(zip(EMBEDDING_KINDS, features(tgold, trules), strict=True)) if emb else {}
    if "lexical" in kinds:
        feats["lexical"], vocab = lexical_features(gold, rules, groups)
        tfeats["lexical"], _ = lexical_features(tgold, trules, vocab=vocab)
    rows = []
    for f in rn.FRAMES:
        y, ty = gold[f].to_numpy(), tgold[f].to_numpy()
        preds = {"rules": trules[f].to_numpy()}
        for kind in kinds:
            if y.sum() < 2:
                preds[kind] = 0 * ty
            elif kind == "lexical":
                m = frame_lexical.train(feats[kind], y, groups, frame=f, vocab=vocab, rule_frames=rn.FRAMES, seed=seed)
                preds[kind] = (m.probability(tgold[KEY], _terms(tgold), trules[list(rn.FRAMES)].to_numpy(float))
                               >= m.threshold).astype(int)
            else:
                hybrid = kind == "hybrid"
                thr = fitted_threshold(feats[kind], y, groups, f, seed, hybrid=hybrid)
                preds[kind] = frame_classifier.fit(feats[kind], y, frame=f, seed=seed, threshold=thr,
                                                   rule_frames=rn.FRAMES if hybrid else ()).decide(tfeats[kind])
        row = {"frame": f, "positives_train": int(y.sum()), "positives_test": int(ty.sum())}
        for k, pr in preds.items():
            row[f"f1_{k}"] = f1(ty, pr)
            row[f"precision_{k}"], row[f"recall_{k}"] = _pr(ty, pr)
        if emb:
            row["choice"] = pick(row) if ty.sum() and len(emb) == 2 else "rules"
        if "lexical" in kinds:
            row["lexical_qualifies"] = lexical_qualifies(row) if ty.sum() else False
        rows.append(row)
    return pd.DataFrame(rows).assign(train_sets=",".join(train_names), test_set=test_name,
                                     n_train=len(gold), n_test=len(tgold))


def _terms(gold: pd.DataFrame) -> pd.DataFrame:
    return gold[[*KEY, "terms"]].explode("terms").dropna().rename(columns={"terms": "term"})


def save_lexical(names: list[str], seed: int, command: str, table: pd.DataFrame) -> list[str]:
    """Refit the lexical models of the frames ``table`` (a :func:`transfer` table) qualifies, on ``names``; write them.

    C and threshold come from grouped cross-validation on ``names``. A frame that did not
    qualify loses any lexical model file of an earlier run. Returns the frames written.
    """
    from analysis import frame_lexical

    gold, rules, groups = pooled_units(names)
    x, vocab = lexical_features(gold, rules, groups)
    ok = set(table.loc[table["lexical_qualifies"].astype(bool), "frame"])
    trained = TRAINED_ON_POOLED + ",".join(names)
    for f in rn.FRAMES:
        if f not in ok:
            frame_lexical.model_path(f).unlink(missing_ok=True)
            continue
        m = frame_lexical.train(x, gold[f].to_numpy(), groups, frame=f, vocab=vocab, rule_frames=rn.FRAMES,
                                trained_on=trained, seed=seed)
        frame_lexical.save(dataclasses.replace(m, extra={"command": command, "training_sets": list(names)}))
    return sorted(ok)


def save_transfer_choice(table: pd.DataFrame, names: list[str], seed: int, command: str = COMMAND) -> None:
    """Fit the scorers :func:`transfer` kept on all of ``names`` (training and test sets) and write them.

    The choice is made out of sample (on the test set); the winning learned scorers are then
    refitted on every tuning set, test set included, so that the model sees all coded cases, and
    written as :func:`save_models` does. The YAML ``method:`` lines are left alone: the frames ship
    as rules (a learned scorer needs the optional embeddings extra and embeds every sentence), and
    a user opts in by setting ``method:`` in a copy of the frame's file.
    """
    gold, rules, groups = pooled_units(names)
    x, xh = features(gold, rules)
    save_models(gold, x, xh, groups, table, seed, ",".join(names), command)


def transfer_markdown(table: pd.DataFrame) -> str:
    """The transfer table as Markdown (for the validity report): the scorers the table holds."""
    first = table.iloc[0]
    kinds = [k for k in ("rules", *EMBEDDING_KINDS, "lexical") if f"f1_{k}" in table]
    extra = [c for c in ("choice", "lexical_qualifies") if c in table]
    names = {"choice": "wins", "lexical_qualifies": "lexical ships"}
    lines = [f"Trained on {first['train_sets'].replace(',', ', ')} ({first['n_train']} sentences), scored once on "
             f"{first['test_set']} ({first['n_test']} sentences of new cases).", "",
             "| frame | positives (train / test) | " + " | ".join(f"{k} P / R / F1" for k in kinds)
             + "".join(f" | {names[c]}" for c in extra) + " |",
             "| --- | ---: |" + " --- |" * (len(kinds) + len(extra))]
    for r in table.to_dict("records"):
        cells = [" / ".join(f"{r[f'{m}_{k}']:.2f}" for m in ("precision", "recall", "f1")) for k in kinds]
        lines.append(f"| {r['frame']} | {r['positives_train']} / {r['positives_test']} | {' | '.join(cells)} "
                     + "".join(f"| {r[c]} " for c in extra) + "|")
    has = table["positives_test"] > 0
    macro = ", ".join(f"{k} {np.nanmean(table.loc[has, f'f1_{k}']):.2f}" for k in kinds)
    lines += ["", f"Macro F1 on the test set (frames with positives): {macro}."]
    return "\n".join(lines)


def markdown(choice: pd.DataFrame, n_sentences: int, n_cases: int, sets: str = "tuning") -> str:
    """The choice table as Markdown (for the validity report)."""
    where = "Tuning half" if sets == "tuning" else f"Tuning sets pooled ({sets.replace(',', ', ')})"
    lines = [f"{where}: {n_sentences} sentences, {n_cases} cases; 5-fold cross-validation grouped by case, "
             "thresholds chosen inside the training folds.", "",
             "| frame | positives | rules P / R / F1 (in-sample) | supervised P / R / F1 (CV) | "
             "hybrid P / R / F1 (CV) | kept |", "| --- | ---: | --- | --- | --- | --- |"]
    for r in choice.to_dict("records"):
        cells = [" / ".join(f"{r[f'{m}_{k}']:.2f}" for m in ("precision", "recall", "f1"))
                 for k in ("rules", "supervised", "hybrid")]
        lines.append(f"| {r['frame']} | {r['positives']} | {' | '.join(cells)} | {r['choice']} |")
    macro = {k: np.nanmean(choice[f"f1_{k}"]) for k in ("rules", "supervised", "hybrid")}
    kept = np.nanmean([r[f"f1_{r['choice']}"] for r in choice.to_dict("records")])
    scope = "tuning half" if sets == "tuning" else "pooled tuning sets"
    lines += ["", f"Macro F1 on the {scope}: " + "rules {rules:.2f} (in-sample), supervised {supervised:.2f}, "
              "hybrid {hybrid:.2f} (CV); the kept mix {kept:.2f}.".format(**macro, kept=kept)]
    return "\n".join(lines)


def set_methods(choice: pd.DataFrame) -> None:
    """Write each frame's kept scorer into the ``method:`` line of its YAML file (a one-line edit).

    A frame that says ``method: lexical`` is left alone: that choice is made out of sample
    (:func:`lexical_qualifies`), not by this in-sample comparison.
    """
    import re

    from analysis.io import atomic_write_text

    lexicons = framing.load_lexicons()
    for r in choice.itertuples(index=False):
        if framing.frame_method(lexicons[r.frame]) == "lexical":
            continue
        path = Path(lexicons[r.frame].source)
        path = path if path.is_absolute() else rn.ROOT / path
        text = path.read_text("utf-8")
        atomic_write_text(path, re.sub(r"(?m)^(method: *)\w+", rf"\g<1>{r.choice}", text, count=1))


def save_models(gold: pd.DataFrame, x: np.ndarray, xh: np.ndarray, groups: np.ndarray, choice: pd.DataFrame,
                seed: int, sets: str = "tuning", command: str = COMMAND) -> None:
    """Fit the kept learned scorers on the whole tuning set(s) and write them (numbers only).

    A frame that keeps its rules loses any model file of an earlier run.
    """
    from analysis import frame_classifier

    trained = TRAINED_ON if sets == "tuning" else TRAINED_ON_POOLED + sets
    for r in choice.itertuples(index=False):
        if r.choice == "rules":
            (frame_classifier.models_folder() / f"{r.frame}.json").unlink(missing_ok=True)
            continue
        hybrid = r.choice == "hybrid"
        feats, y = (xh if hybrid else x), gold[r.frame].to_numpy()
        thr = fitted_threshold(feats, y, groups, r.frame, seed, hybrid=hybrid)
        frame_classifier.save(frame_classifier.fit(feats, y, frame=r.frame, seed=seed, threshold=thr,
                                                   trained_on=f"{trained}; `{command}`",
                                                   rule_frames=rn.FRAMES if hybrid else ()))


def train(dev: rn.DevSet | None, *, seed: int = 20181010, save: bool = False, curve: bool = False,
          sets: str = "tuning") -> tuple[pd.DataFrame, str]:
    """Compare the scorers on the tuning set(s); with ``save``, write the kept ones. Returns (table, md).

    ``sets`` is ``"tuning"`` (the tuning half of ``dev``) or a comma-separated list of tuning sets
    (:func:`pooled_units`; ``dev`` is then unused).
    """
    from analysis.io import atomic_write_csv

    names = set_names(sets)
    gold, rules, groups = tuning_units(dev) if names == ["tuning"] else pooled_units(names)
    x, xh = features(gold, rules)
    choice = choose(gold, rules, x, groups, seed, xh)
    md = markdown(choice, len(gold), len(set(groups)), ",".join(names))
    if save:
        save_models(gold, x, xh, groups, choice, seed, ",".join(names))
        set_methods(choice)
    atomic_write_csv(CHOICE_CSV, choice.assign(n_sentences=len(gold), n_cases=len(set(groups)),
                                               sets=",".join(names), saved=save), index=False)
    if curve:
        lc = learning_curve(gold, x, xh, groups, seed)
        atomic_write_csv(CURVE_CSV, lc, index=False)
        md += "\n\n" + lc.round(3).to_string(index=False)
    return choice, md


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20181010)
    ap.add_argument("--save", action="store_true", help="write the kept scorers, the YAML methods and the table")
    ap.add_argument("--curve", action="store_true", help="also write the learning curve")
    ap.add_argument("--test-set", default=None,
                    help="instead: fit on --sets and score once on this tuning set of new cases; with --save, "
                         "refit the learned scorers that win there on all the sets and write their models")
    ap.add_argument("--sets", default="tuning",
                    help="comma-separated tuning sets to pool (tuning, tuning_batch2, tuning_batch3)")
    ap.add_argument("--kinds", default="supervised,hybrid",
                    help="learned scorers: supervised, hybrid (optional embeddings extra), lexical (no extra); "
                         "'--kinds lexical --save' without --test-set refits the lexical models that qualified "
                         f"in {TRANSFER_CSV.name} on --sets")
    args = ap.parse_args(argv)
    from analysis import frame_classifier

    kinds = tuple(set_names(args.kinds))
    if bad := sorted(set(kinds) - {*EMBEDDING_KINDS, "lexical"}):
        print(f"--kinds: unknown scorer(s) {bad} (supervised, hybrid, lexical)", file=sys.stderr)
        return 2
    embeddings = any(k in EMBEDDING_KINDS for k in kinds)
    if not rn.available() or (embeddings and not frame_classifier.available()):
        print(rn.missing_message() or frame_classifier.unavailable_reason())
        return 0
    if args.test_set:
        from analysis.io import atomic_write_csv

        names = set_names(args.sets)
        table = transfer(names, args.test_set, args.seed, kinds)
        if args.save and embeddings:
            save_transfer_choice(table, [*names, args.test_set], args.seed,
                                 f"python benchmarks/train_frames.py --sets {','.join(names)} "
                                 f"--test-set {args.test_set} --save")
        atomic_write_csv(TRANSFER_CSV, table, index=False)
        print(transfer_markdown(table))
        return 0
    if not embeddings:
        if not args.save:
            print("--kinds lexical without --test-set: add --save to refit the qualified lexical models")
            return 0
        table = pd.read_csv(TRANSFER_CSV)
        if "lexical_qualifies" not in table:
            print(f"{TRANSFER_CSV}: no lexical column; run --kinds ...,lexical --test-set first", file=sys.stderr)
            return 2
        names = set_names(args.sets)
        written = save_lexical(names, args.seed, f"python benchmarks/train_frames.py --kinds lexical --sets "
                                                 f"{','.join(names)} --save", table)
        print(f"lexical models written for {written or 'no frame'}")
        return 0
    _, md = train(rn.load(), seed=args.seed, save=args.save, curve=args.curve, sets=args.sets)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
