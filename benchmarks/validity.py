"""Validity of the workbench's measures on real news: the evaluation half of the development set.

Usage: ``python benchmarks/validity.py [--n-boot N] [--seed S] [--out FILE] [--baseline]``

Runs only where the real-news texts are present (:func:`benchmarks.realnews_data.available`;
otherwise it prints why and exits 0; a set whose texts or codes are absent is skipped with a
message). One function per family of measures; this file has the frame family
(:func:`frames_family`); roles and victim gender are added beside it. Frames are reported on
three sets, each next to the baseline: the ``evaluation`` half with its original codes (cases
drawn before any tuning, ``split.csv``; comparable to earlier rounds), the evaluation half with
the extra codes written later (:func:`benchmarks.realnews_data.with_evaluation_extra`), and the
held-out batch of new cases (:func:`benchmarks.realnews_data.load_heldout`); plus the human
ceiling (:func:`human_ceiling`: coder_b against coder_a on the overlap sample). The tuning half
is only for reading errors (:func:`tuning_errors`) and for the choices of
``benchmarks/train_frames.py``, whose table and learning curve are read from their CSV files.

Frames are scored sentence by sentence: the unit is the workbench's sentence, mapped to the
coded spans by character overlap; a sentence is predicted to carry a frame when the scorer
leaves evidence in it. Precision, recall and F1 per frame come with percentile bootstrap
intervals that resample excerpts (Efron & Tibshirani 1993; excerpts are the clusters), and
macro F1 averages the frames that have gold positives on the half. The baseline is the
lexicon scorer as committed before the rework (:data:`BASELINE_COMMIT`), re-run from git
(``--baseline``) or read from ``benchmarks/results/validity_frames_baseline.csv``.

Example
-------
>>> import pandas as pd
>>> g = pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1], "f": [1, 0]})
>>> prf(g, g, "f")
(1, 0, 0)
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import tempfile
import types
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import framing  # noqa: E402
from analysis.io import atomic_write_csv, atomic_write_text  # noqa: E402
from benchmarks import realnews_data as rn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
#: The last commit of ``analysis/framing.py`` and the frame lexicons before the rework (issue 13).
BASELINE_COMMIT = "15cb72a637a95fc32d8a874d0a08792475c5570e"
BASELINE_CSV = RESULTS / "validity_frames_baseline.csv"
KEY = ["doc_id", "sentence_id"]
#: Targets of issue 13 for every frame (sentence level).
TARGET_P, TARGET_R = 0.75, 0.50
NOTES_FILE = RESULTS / "validity_notes.md"


# --------------------------------------------------------------------------- scoring helpers


def sentence_predictions(evidence: pd.DataFrame, units: pd.DataFrame, frames: tuple[str, ...]) -> pd.DataFrame:
    """0/1 per unit sentence and frame: 1 when the evidence table has a row in that sentence.

    Examples
    --------
    >>> ev = pd.DataFrame({"doc_id": ["a"], "sentence_id": [1], "frame": ["f"]})
    >>> u = pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1]})
    >>> sentence_predictions(ev, u, ("f",))["f"].tolist()
    [0, 1]
    """
    out = units[KEY].copy()
    hits = set(zip(evidence["doc_id"], evidence["sentence_id"].astype(int), evidence["frame"], strict=True))
    for f in frames:
        out[f] = [int((d, int(s), f) in hits) for d, s in zip(out["doc_id"], out["sentence_id"], strict=True)]
    return out


def prf(gold: pd.DataFrame, pred: pd.DataFrame, frame: str) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of one frame (aligned on doc and sentence)."""
    m = gold[[*KEY, frame]].merge(pred[[*KEY, frame]], on=KEY, suffixes=("_g", "_p"))
    g, p = m[f"{frame}_g"].to_numpy(), m[f"{frame}_p"].to_numpy()
    return int(((g == 1) & (p == 1)).sum()), int(((g == 0) & (p == 1)).sum()), int(((g == 1) & (p == 0)).sum())


def _ratios(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        r = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f = np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return p, r, f


def frame_metrics(gold: pd.DataFrame, pred: pd.DataFrame, frames: tuple[str, ...], *, n_boot: int = 2000,
                  seed: int = 20181010) -> tuple[pd.DataFrame, dict[str, float]]:
    """Per-frame precision, recall, F1 with excerpt-bootstrap 95 % intervals; macro F1 with its interval.

    Returns a table ``frame, n_gold, n_pred, tp, fp, fn, precision, precision_low, ... f1_high``
    and ``{"macro_f1", "macro_f1_low", "macro_f1_high", "n_frames"}`` (frames with gold positives).

    Examples
    --------
    >>> g = pd.DataFrame({"doc_id": list("aabb"), "sentence_id": [0, 1, 0, 1], "f": [1, 0, 1, 0]})
    >>> p = g.assign(f=[1, 1, 0, 0])
    >>> t, macro = frame_metrics(g, p, ("f",), n_boot=10)
    >>> t[["tp", "fp", "fn"]].iloc[0].tolist(), round(macro["macro_f1"], 3)
    ([1, 1, 1], 0.5)
    """
    m = gold[[*KEY, *frames]].merge(pred[[*KEY, *frames]], on=KEY, suffixes=("_g", "_p"))
    docs = m["doc_id"].unique()
    counts = np.zeros((len(docs), len(frames), 3))
    # sorted excerpts: the resampling must not depend on the order the texts were loaded in
    # (a set of ids, so string-hash dependent without PYTHONHASHSEED)
    for i, (_, part) in enumerate(m.groupby("doc_id", sort=True)):
        for j, f in enumerate(frames):
            g, p = part[f"{f}_g"].to_numpy(), part[f"{f}_p"].to_numpy()
            counts[i, j] = (((g == 1) & (p == 1)).sum(), ((g == 0) & (p == 1)).sum(), ((g == 1) & (p == 0)).sum())
    total = counts.sum(axis=0)
    rng = np.random.default_rng(seed)
    boot = counts[rng.integers(0, len(docs), size=(n_boot, len(docs)))].sum(axis=1)   # n_boot × frames × 3
    bp, br, bf = _ratios(boot[..., 0], boot[..., 1], boot[..., 2])
    p, r, f1 = _ratios(total[:, 0], total[:, 1], total[:, 2])
    rows = []
    for j, f in enumerate(frames):
        row = {"frame": f, "n_gold": int(total[j, 0] + total[j, 2]), "n_pred": int(total[j, 0] + total[j, 1]),
               "tp": int(total[j, 0]), "fp": int(total[j, 1]), "fn": int(total[j, 2])}
        for name, point, b in (("precision", p, bp), ("recall", r, br), ("f1", f1, bf)):
            row[name] = float(point[j])
            ok = b[:, j][~np.isnan(b[:, j])]
            row[f"{name}_low"], row[f"{name}_high"] = (np.percentile(ok, [2.5, 97.5]) if len(ok) else (np.nan,) * 2)
        rows.append(row)
    table = pd.DataFrame(rows)
    has = (total[:, 0] + total[:, 2]) > 0
    macro_boot = np.nanmean(np.where(has, np.nan_to_num(bf), np.nan), axis=1) if has.any() else np.array([np.nan])
    macro = {"macro_f1": float(np.nanmean(np.where(has, np.nan_to_num(f1), np.nan))) if has.any() else np.nan,
             "macro_f1_low": float(np.percentile(macro_boot, 2.5)),
             "macro_f1_high": float(np.percentile(macro_boot, 97.5)), "n_frames": int(has.sum())}
    return table, macro


# --------------------------------------------------------------------------- the baseline scorer


def _git_show(commit: str, path: str) -> str:
    return subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def baseline_score(corpus, tokens: pd.DataFrame, commit: str = BASELINE_COMMIT):
    """Run the lexicon scorer and lexicons exactly as committed at ``commit`` (read from git)."""
    module = types.ModuleType("framing_baseline")
    sys.modules["framing_baseline"] = module
    exec(compile(_git_show(commit, "analysis/framing.py"), "framing_baseline", "exec"), module.__dict__)  # noqa: S102
    names = subprocess.run(["git", "ls-tree", "--name-only", commit, "analysis/lexicons/frames/"], cwd=ROOT,
                           check=True, capture_output=True, text=True).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            if name.endswith(".yaml"):
                (Path(tmp) / Path(name).name).write_text(_git_show(commit, name), encoding="utf-8")
        lexicons = module.load_lexicons([tmp], builtin=False)
    return module.score(corpus, tokens, lexicons)


# --------------------------------------------------------------------------- the frame family


def _units(dev: rn.DevSet, tokens: pd.DataFrame) -> pd.DataFrame:
    return rn.gold_by_sentence(dev.codes, rn.workbench_sentences(tokens))


def frames_family(dev: rn.DevSet, *, n_boot: int = 2000, seed: int = 20181010,
                  baseline: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict, pd.DataFrame | None]:
    """Sentence-level frame scores of the current scorer on one half: (table, macro, baseline table).

    ``baseline`` (a previous result table) is passed through for the report.
    """
    tokens = rn.token_table(dev)
    gold = _units(dev, tokens)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, evidence = framing.score(rn.as_corpus(dev), tokens)
    pred = sentence_predictions(evidence, gold, rn.FRAMES)
    table, macro = frame_metrics(gold, pred, rn.FRAMES, n_boot=n_boot, seed=seed)
    return table, macro, baseline


def baseline_family(dev: rn.DevSet, *, n_boot: int = 2000, seed: int = 20181010) -> tuple[pd.DataFrame, dict]:
    """The same measurement for the pre-rework lexicon scorer (:data:`BASELINE_COMMIT`)."""
    tokens = rn.token_table(dev)
    gold = _units(dev, tokens)
    _, evidence = baseline_score(rn.as_corpus(dev), tokens)
    pred = sentence_predictions(evidence, gold, rn.FRAMES)
    return frame_metrics(gold, pred, rn.FRAMES, n_boot=n_boot, seed=seed)


def reporting_family(dev: rn.DevSet, *, n_boot: int = 2000, seed: int = 20181010) -> tuple[pd.DataFrame, dict]:
    """Routine attribution (:mod:`analysis.reporting`) against the coders' ``attribution`` column."""
    from analysis import reporting

    tokens = rn.token_table(dev)
    gold = _units(dev, tokens)
    _, evidence = reporting.attribution(rn.as_corpus(dev), tokens)
    pred = sentence_predictions(evidence, gold, ("attribution",))
    return frame_metrics(gold, pred, ("attribution",), n_boot=n_boot, seed=seed)


def measure_set(dev: rn.DevSet, *, n_boot: int = 2000, seed: int = 20181010, baseline: bool = True,
                frames: dict | None = None) -> dict:
    """Frames on one coded set: the kept scorers, the rules alone and (``baseline``) the pre-rework scorer.

    ``frames`` (from :func:`with_methods`) replaces the shipped lexicons for the kept scorers.
    Returns ``{"n_excerpts", "n_sentences", "kept", "rules", "baseline"}``; each scorer entry is
    ``(table, macro)`` from :func:`frame_metrics` (``baseline`` is None when not asked for).
    """
    tokens = rn.token_table(dev)
    gold = _units(dev, tokens)
    corpus = rn.as_corpus(dev)
    out: dict = {"n_excerpts": int(gold["doc_id"].nunique()), "n_sentences": len(gold), "baseline": None}
    for name, kwargs in (("kept", {"frames": frames}), ("rules", {"classifiers": {}})):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, evidence = framing.score(corpus, tokens, **kwargs)
        out[name] = frame_metrics(gold, sentence_predictions(evidence, gold, rn.FRAMES), rn.FRAMES,
                                  n_boot=n_boot, seed=seed)
    if baseline:
        _, evidence = baseline_score(corpus, tokens)
        out["baseline"] = frame_metrics(gold, sentence_predictions(evidence, gold, rn.FRAMES), rn.FRAMES,
                                        n_boot=n_boot, seed=seed)
    return out


def human_ceiling(overlap: Path = rn.LABELS / "frames_coded_overlap.csv",
                  reference: Path | tuple[Path, ...] = rn.LABELS / "frames_coded.csv", *, n_boot: int = 2000,
                  seed: int = 20181010) -> tuple[pd.DataFrame, dict]:
    """Agreement of the blind second coder (coder_b) with coder_a, per frame: the ceiling of any scorer.

    coder_a is taken as the gold standard, as for the workbench, so precision, recall and F1 of
    coder_b are directly comparable with the scorer's; Cohen's (1960) kappa is added per frame.
    Needs no texts: the files share the sentences' offsets and hashes. ``reference`` may be several
    files (the first coder's codes split over files).

    Raises
    ------
    CorpusError
        When a sentence of the overlap sample is not coded in ``reference`` or its hash differs.

    Examples
    --------
    >>> table, macro = human_ceiling(n_boot=50)
    >>> len(table) == len(rn.FRAMES) and 0 <= macro["macro_f1"] <= 1
    True
    """
    from sklearn.metrics import cohen_kappa_score

    b = pd.read_csv(overlap, dtype={"id": str, "sentence_sha256": str})
    refs = (reference,) if isinstance(reference, Path) else tuple(reference)
    a = pd.concat([pd.read_csv(r, dtype={"id": str, "sentence_sha256": str}) for r in refs], ignore_index=True)
    m = b.merge(a, on=["id", "start", "end"], how="left", suffixes=("_b", "_a"), indicator=True)
    bad = m[(m["_merge"] != "both") | (m["sentence_sha256_b"] != m["sentence_sha256_a"])]
    if len(bad):
        r = bad.iloc[0]
        raise rn.CorpusError(f"{overlap.name}: sentence {r['id']}[{r['start']}:{r['end']}] is not coded the same "
                             f"way in {', '.join(r.name for r in refs)} (missing or another hash)")
    keys = {"doc_id": m["id"], "sentence_id": m["start"]}
    gold = pd.DataFrame({**keys, **{f: m[f"{f}_a"] for f in rn.FRAMES}})
    pred = pd.DataFrame({**keys, **{f: m[f"{f}_b"] for f in rn.FRAMES}})
    table, macro = frame_metrics(gold, pred, rn.FRAMES, n_boot=n_boot, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table["kappa"] = [cohen_kappa_score(gold[f], pred[f]) if gold[f].nunique() + pred[f].nunique() > 2
                          else np.nan for f in rn.FRAMES]
    macro.update(n_excerpts=int(m["id"].nunique()), n_sentences=len(m))
    return table, macro


def tuning_errors(dev: rn.DevSet, frame: str) -> pd.DataFrame:
    """False positives and negatives of one frame on the *tuning* half, with the sentence text (not saved)."""
    tune = dev.half("tuning")
    tokens = rn.token_table(tune)
    gold = _units(tune, tokens)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, evidence = framing.score(rn.as_corpus(tune), tokens)
    pred = sentence_predictions(evidence, gold, rn.FRAMES)
    m = gold[[*KEY, frame]].merge(pred[[*KEY, frame]], on=KEY, suffixes=("_gold", "_pred"))
    m = m[m[f"{frame}_gold"] != m[f"{frame}_pred"]]
    text = framing.sentence_texts(tokens)
    ev = evidence[evidence["frame"] == frame].groupby(KEY)["match"].agg("; ".join).reset_index()
    return m.merge(text, on=KEY, how="left").merge(ev, on=KEY, how="left")


# --------------------------------------------------------------------------- the report


def _fmt(row: pd.Series, name: str) -> str:
    if np.isnan(row[name]):
        return "n/a"
    return f"{row[name]:.2f} [{row[f'{name}_low']:.2f}, {row[f'{name}_high']:.2f}]"


def to_target(precision: float, recall: float) -> str:
    """How far a frame is from precision >= 0.75 and recall >= 0.50 (``ok`` where met).

    Examples
    --------
    >>> to_target(0.8, 0.3)
    'P ok, R -0.20'
    """
    gap = lambda v, t: "n/a" if np.isnan(v) else ("ok" if v >= t else f"-{t - v:.2f}")  # noqa: E731
    return f"P {gap(precision, TARGET_P)}, R {gap(recall, TARGET_R)}"


def _macro_text(macro: dict) -> str:
    return f"{macro['macro_f1']:.2f} [{macro['macro_f1_low']:.2f}, {macro['macro_f1_high']:.2f}]"


def frames_markdown(table: pd.DataFrame, macro: dict, base: pd.DataFrame | None, base_macro: dict | None,
                    methods: dict[str, str], rules: tuple[pd.DataFrame, dict] | None = None) -> str:
    """One set's frame table: the scorer per frame with intervals, distance to target, rules alone, baseline."""
    head = "| frame | method | gold | pred | precision [95% CI] | recall [95% CI] | F1 [95% CI] | to target |"
    head += " rules-only F1 |" if rules is not None else ""
    lines = [head + " baseline P / R / F1 |", "| --- | --- | ---: | ---: | --- | --- | --- | --- |"
             + (" ---: |" if rules is not None else "") + " --- |"]
    for _, row in table.iterrows():
        b = "" if base is None else "{:.2f} / {:.2f} / {:.2f}".format(
            *base.set_index("frame").loc[row["frame"], ["precision", "recall", "f1"]].fillna(np.nan))
        r = "" if rules is None else f" {rules[0].set_index('frame').loc[row['frame'], 'f1']:.2f} |"
        lines.append(f"| {row['frame']} | {methods.get(row['frame'], 'rules')} | {row['n_gold']} | {row['n_pred']} | "
                     f"{_fmt(row, 'precision')} | {_fmt(row, 'recall')} | {_fmt(row, 'f1')} | "
                     f"{to_target(row['precision'], row['recall'])} |{r} {b} |")
    lines.append("")
    lines.append(f"Macro F1 (over the {macro['n_frames']} frames with gold positives): **{_macro_text(macro)}**"
                 + ("" if rules is None else f"; rules alone {_macro_text(rules[1])}")
                 + ("" if base_macro is None else f"; baseline {_macro_text(base_macro)}") + ".")
    return "\n".join(lines)


def _read_baseline() -> tuple[pd.DataFrame | None, dict | None]:
    if not BASELINE_CSV.is_file():
        return None, None
    t = pd.read_csv(BASELINE_CSV)
    macro_row = t[t["frame"] == "__macro__"].iloc[0]
    macro = {"macro_f1": macro_row["f1"], "macro_f1_low": macro_row["f1_low"], "macro_f1_high": macro_row["f1_high"],
             "n_frames": int(macro_row["n_gold"])}
    return t[t["frame"] != "__macro__"].reset_index(drop=True), macro


def _write_baseline(table: pd.DataFrame, macro: dict) -> None:
    row = {"frame": "__macro__", "n_gold": macro["n_frames"], "f1": macro["macro_f1"],
           "f1_low": macro["macro_f1_low"], "f1_high": macro["macro_f1_high"]}
    atomic_write_csv(BASELINE_CSV, pd.concat([table, pd.DataFrame([row])], ignore_index=True), index=False)


def with_methods(spec: str) -> dict:
    """The shipped lexicons with the ``method:`` of some frames replaced: ``"frame=method,frame=method"``.

    Examples
    --------
    >>> sorted(f.extra["method"] for f in with_methods("career_industry=finetuned").values())[0]
    'finetuned'
    """
    frames = framing.load_lexicons()
    for item in filter(None, (x.strip() for x in spec.split(","))):
        fid, _, method = item.partition("=")
        if fid not in frames or method not in ("rules", *framing.LEARNED):
            raise SystemExit(f"--methods {item!r}: expected frame=method with a frame of {sorted(frames)} and a "
                             f"method of rules, {', '.join(framing.LEARNED)}")
        frames[fid] = dataclasses.replace(frames[fid], extra={**(frames[fid].extra or {}), "method": method})
    return frames


def set_section(title: str, result: dict | None, methods: dict[str, str], skipped: str = "") -> list[str]:
    """Markdown lines of one coded set (or why it was skipped)."""
    if result is None:
        return [f"## {title}", "", f"Skipped: {skipped}.", ""]
    base = result["baseline"] or (None, None)
    return [f"## {title}", "", f"{result['n_excerpts']} coded excerpts, {result['n_sentences']} sentences.", "",
            frames_markdown(*result["kept"], *base, methods, rules=result["rules"]), ""]


#: (title, second coder's file, reference coder's file) of each double-coded sample.
CEILINGS = (("coder_b against coder_a (overlap sample of the original codes)",
             rn.LABELS / "frames_coded_overlap.csv", rn.LABELS / "frames_coded.csv"),
            ("coder_e against coder_c and coder_c2 (overlap sample of the extra evaluation codes)",
             rn.LABELS / "parts" / "evaluation_overlap_e_frames_coded.csv",
             (rn.LABELS / "parts" / "evaluation_extra_c2_frames_coded.csv",
              rn.LABELS / "parts" / "evaluation_extra_c_frames_coded.csv")),
            ("coder_x3 against coder_hw3, coder_bw3 and coder_pk3 (overlap sample of tuning_batch3, new cases)",
             rn.LABELS / "tuning_batch3_overlap" / "frames_coded.csv", rn.LABELS / "tuning_batch3" / "frames_coded.csv"),
            ("coder_x4 against coder_hw4, coder_bw4 and coder_pk4 (overlap sample of tuning_batch4, new cases)",
             rn.LABELS / "tuning_batch4_overlap" / "frames_coded.csv", rn.LABELS / "tuning_batch4" / "frames_coded.csv"),
            ("coder_x5 against coder_hw5, coder_bw5 and coder_pk5 (overlap sample of tuning_batch5, new cases)",
             rn.LABELS / "tuning_batch5_overlap" / "frames_coded.csv", rn.LABELS / "tuning_batch5" / "frames_coded.csv"),
            ("coder_x6 against coder_hw6, coder_bw6 and coder_pk6 (overlap sample of tuning_batch6, new cases)",
             rn.LABELS / "tuning_batch6_overlap" / "frames_coded.csv", rn.LABELS / "tuning_batch6" / "frames_coded.csv"))


def ceiling_section(n_boot: int, seed: int) -> list[str]:
    """The human-ceiling tables: a second, blind coder against the first, on each double-coded sample."""
    lines = ["## Human ceiling: a second coder against the first", "",
             "No scorer can be expected to agree with a coder better than another careful human does. The first "
             "coder is taken as gold, as for the scorer; Cohen's kappa beside.", ""]
    for title, second, reference in CEILINGS:
        refs = (reference,) if isinstance(reference, Path) else reference
        if not (second.is_file() and all(r.is_file() for r in refs)):
            lines += [f"### {title}", "", f"Skipped: {second.name} or its reference codes not found.", ""]
            continue
        table, macro = human_ceiling(second, refs, n_boot=n_boot, seed=seed)
        names = " + ".join(f"`{r.relative_to(rn.LABELS)}`" for r in refs)
        lines += [f"### {title}", "", f"`{second.relative_to(rn.LABELS)}` against {names}: {macro['n_excerpts']} excerpts, "
                  f"{macro['n_sentences']} sentences.", "",
                  "| frame | first coder positives | second coder positives | precision [95% CI] | recall [95% CI] | "
                  "F1 [95% CI] | kappa |", "| --- | ---: | ---: | --- | --- | --- | ---: |"]
        lines += [f"| {r['frame']} | {r['n_gold']} | {r['n_pred']} | {_fmt(r, 'precision')} | {_fmt(r, 'recall')} "
                  f"| {_fmt(r, 'f1')} | {r['kappa']:.2f} |" for _, r in table.iterrows()]
        lines += ["", f"Macro F1 of the second coder (over {macro['n_frames']} frames with positives): "
                  f"**{_macro_text(macro)}**.", ""]
    return lines


def tuning_sections() -> list[str]:
    """The tuning-set comparison, learning curve and out-of-sample choice, read from train_frames.py's CSV files."""
    from benchmarks import train_frames as tf

    if not tf.CHOICE_CSV.is_file():
        return ["## How each frame's scorer was chosen (tuning half)", "",
                f"Skipped: {tf.CHOICE_CSV.name} not found; run `{tf.COMMAND}`.", ""]
    choice = pd.read_csv(tf.CHOICE_CSV)
    sets = str(choice["sets"].iloc[0]) if "sets" in choice else "tuning"
    chosen_here = bool(choice["saved"].iloc[0]) if "saved" in choice else True
    title = "How each frame's scorer was chosen" if chosen_here else "Cross-validated comparison"
    lines = [f"## {title} (tuning sets only: {sets.replace(',', ', ')})", "",
             f"`python benchmarks/train_frames.py --sets {sets}{' --save' if chosen_here else ''} --curve` "
             f"(case-grouped 5-fold CV; a hybrid wins when it beats the rules' F1 by "
             f"{tf.MARGIN_HYBRID}, a supervised scorer when it beats them by {tf.MARGIN}; a tie keeps the rules"
             f"{'' if chosen_here else '; for information: the out-of-sample comparison below decides which learned models ship as an opt-in'}).",
             "",
             tf.markdown(choice, int(choice["n_sentences"].iloc[0]), int(choice["n_cases"].iloc[0]), sets), ""]
    if tf.CURVE_CSV.is_file():
        lc = pd.read_csv(tf.CURVE_CSV)
        lines += [f"### Learning curve ({sets.replace(',', ', ')}; grouped 5-fold CV, threshold 0.5)", "",
                  "| share of training cases | scorer | " + " | ".join(rn.FRAMES) + " | macro F1 |",
                  "| ---: | --- |" + " ---: |" * (len(rn.FRAMES) + 1)]
        lines += [f"| {r['share']:.2f} | {r['kind']} | " + " | ".join(f"{r[f]:.2f}" for f in rn.FRAMES)
                  + f" | {r['macro_f1']:.2f} |" for _, r in lc.iterrows()]
        lines.append("")
    if tf.TRANSFER_CSV.is_file():
        table = pd.read_csv(tf.TRANSFER_CSV)
        lines += ["## Rules against learned scorers on new cases (tuning sets only)", "",
                  f"`python benchmarks/train_frames.py --sets {table['train_sets'].iloc[0]} --test-set "
                  f"{table['test_set'].iloc[0]} --save`: fitted on the first, scored once on new cases nobody had "
                  "read; a learned "
                  f"scorer wins where it beats the rules there (hybrid by {tf.MARGIN_HYBRID}, supervised by "
                  f"{tf.MARGIN}); an embedding model is then refitted on all the sets and shipped as an opt-in (those frames "
                  "stay `method: rules`: an embedding scorer needs the optional embeddings extra, so results would "
                  "differ between installations, and it embeds every sentence; each frame's file says so). The "
                  "lexical scorer (no extra) ships as the default where it qualified by the rule declared before "
                  "this run (`lexical_qualifies`: F1 at least the rules' + 0.03, precision at least the rules' - 0.10).", "",
                  tf.transfer_markdown(table), ""]
    return lines


def _other_sets(dev: rn.DevSet, n_boot: int, seed: int, frames: dict | None = None) -> tuple[tuple, tuple]:
    """(result, why skipped) for the evaluation half with the extra codes and for the held-out batch."""
    extra = rn.evaluation_extra_codes(dev)
    ev_extra = (measure_set(rn.with_evaluation_extra(dev), n_boot=n_boot, seed=seed, frames=frames), "") \
        if len(extra) else \
        (None, f"no extra evaluation codes yet (`data/annotations/real_news/parts/{rn.EVAL_EXTRA_GLOB}`)")
    why = rn.missing_message(rn.HELDOUT)
    held = (None, why) if why else (measure_set(rn.load_heldout(), n_boot=n_boot, seed=seed, frames=frames), "")
    return ev_extra, held


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-boot", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20181010)
    ap.add_argument("--out", type=Path, default=RESULTS / "validity.md")
    ap.add_argument("--baseline", action="store_true", help="re-run the pre-rework scorer from git and save it")
    ap.add_argument("--methods", default="", help="score some frames by another method, e.g. "
                    "career_industry=rules_or_finetuned (an opt-in mix; write it to another --out)")
    args = ap.parse_args(argv)
    frames = with_methods(args.methods) if args.methods else None
    if not rn.available():
        print(rn.missing_message())
        return 0
    full = rn.load()
    dev = full.half("evaluation")
    if args.baseline:
        _write_baseline(*baseline_family(dev, n_boot=args.n_boot, seed=args.seed))
    main_set = measure_set(dev, n_boot=args.n_boot, seed=args.seed, baseline=False, frames=frames)
    main_set["baseline"] = _read_baseline() if BASELINE_CSV.is_file() else None
    methods = {f.id: framing.frame_method(f) for f in (frames or framing.load_lexicons()).values()}
    (ev_extra, why_extra), (held, why_held) = _other_sets(full, args.n_boot, args.seed, frames)
    parts = ["# Validity on real news: frames", "",
             f"Bootstrap over excerpts, {args.n_boot} draws, seed {args.seed}. Command: "
             f"`python benchmarks/validity.py{' --methods ' + args.methods if args.methods else ''}`. `method` is "
             "the scorer each frame's YAML file names (chosen on the tuning half"
             f"{'; here replaced by --methods for the frames it names' if args.methods else ''}); `to target` is the distance from precision >= {TARGET_P} and recall >= {TARGET_R}.",
             "", *set_section("Evaluation half, original codes (comparable to earlier rounds)", main_set, methods),
             *set_section("Evaluation half with the extra codes", ev_extra, methods, why_extra),
             *set_section("Held-out batch of new cases", held, methods, why_held),
             *([] if args.methods else ceiling_section(args.n_boot, args.seed))]
    att, _ = reporting_family(dev, n_boot=args.n_boot, seed=args.seed)
    parts += ["## Routine attribution (the separate reporting measure; evaluation half, original codes)", "",
              frames_markdown(att, {"macro_f1": float(att["f1"].iloc[0]), "macro_f1_low": float(att["f1_low"].iloc[0]),
                                    "macro_f1_high": float(att["f1_high"].iloc[0]), "n_frames": 1}, None, None,
                              {"attribution": "rules"}), "", *([] if args.methods else tuning_sections())]
    if NOTES_FILE.is_file() and not args.methods:      # an opt-in mix's report holds its tables only
        parts.append(NOTES_FILE.read_text("utf-8"))
    text = "\n".join(parts)
    atomic_write_text(args.out, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
