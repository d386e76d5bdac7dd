"""Validate the frame tagging and the alleged-victim gender against human coders.

A measure a researcher publishes must be checked against human reading of
the same text (Grimmer & Stewart 2013). This module draws the samples and
scores them; reading and checking the coders' files is
:mod:`analysis.coding_files`, the statistics are :mod:`analysis.agreement`.

1. :func:`frame_sample` draws, for every frame, sentences the tool tagged and
   sentences it did not (without the latter, recall cannot be estimated),
   each stratified by a grouping column, and records every item's sampling
   weight (stratum size / items drawn from it). The sheet hides the tool's
   labels; the key holds them. (Drawing is :mod:`analysis.sampling`; its
   functions are also here under the same names.)
2. :func:`article_sample` draws articles, stratified by group, for coding the
   alleged victim's gender (female, male, mixed or unknown).
3. :func:`score_frames` and :func:`score_articles` compare the tool with each
   coder: precision, recall and F1 per frame, weighted by the sampling design
   (Horvitz & Thompson 1952) with cluster-bootstrap intervals over documents,
   and accuracy of the victim gender (``unknown`` from the tool counts as
   wrong unless the coder also found it unknown). :func:`agreement` gives
   Cohen's kappa and Krippendorff's alpha between coders and of each coder
   with the tool.

:func:`coding_sample` and :func:`read_coding` are the older one-sheet
interface (two code columns in one file), kept for notebook 05.

Example
-------
>>> key = pd.DataFrame({"item_id": ["i1", "i2", "i3"], "frame": "legal", "doc_id": ["a", "b", "c"],
...                     "tool": [1, 0, 1]})
>>> coder = pd.Series([1, 1, 0], index=key["item_id"])
>>> float(score_frames(key, {"ann": coder}, n_boot=20).loc[0, "precision"])
0.5
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import agreement as agr
from analysis.config import DEFAULTS
from analysis.errors import CorpusError
from analysis.sampling import MISSING_GROUP, allocate, article_sample, frame_sample, retag

__all__ = ["MISSING_GROUP", "agreement", "allocate", "article_sample", "coding_sample", "evaluate", "frame_sample",
           "read_coding", "retag", "score_articles", "score_frames"]

def _interval_rows(per_doc: pd.DataFrame, cols: list[str], statistic, names: list[str], *,
                   n_boot: int, seed: int) -> dict[str, float]:
    low, high, _ = agr.cluster_bootstrap(per_doc[cols].to_numpy(), statistic, n_boot=n_boot, seed=seed)
    out = {}
    for name, lo, hi in zip(names, low, high, strict=True):
        out[f"{name}_low"], out[f"{name}_high"] = float(lo), float(hi)
    return out


def _response_weights(coded: pd.DataFrame, strata: list[str]) -> pd.Series:
    """Design weights adjusted to the rows a coder actually coded: stratum size / rows coded in it.

    A weighting-class adjustment for item non-response (Kalton & Flores-Cervantes 2003): rows a
    coder leaves blank are taken as missing at random within their sampling stratum, so the coded
    rows of a stratum stand for the whole stratum. Without ``stratum_size`` in the key (a key made
    by hand) the key's ``weight`` is used as it is.

    Examples
    --------
    >>> k = pd.DataFrame({"s": ["x", "x", "y"], "stratum_size": [10, 10, 4], "weight": [5.0, 5.0, 4.0]})
    >>> _response_weights(k.iloc[[0, 2]], ["s"]).tolist()
    [10.0, 4.0]
    """
    if "stratum_size" not in coded.columns or coded.empty or not strata:
        return coded["weight"].astype(float)
    n_coded = coded.groupby(strata, dropna=False)["stratum_size"].transform("size")
    return coded["stratum_size"].astype(float) / n_coded


def _frame_strata(key: pd.DataFrame) -> list[str]:
    """The columns that name a frame item's sampling stratum (``stratum``; older keys: its parts)."""
    if "stratum" in key.columns:
        return ["stratum"]
    # keys drawn before the stratum column: frame, group, and the stratum's size and draws
    # (the tool's label at drawing may since have been replaced by retag())
    return [c for c in ("frame", "group", "stratum_size", "drawn") if c in key.columns]


def _empty_frame_row(frame: str, name: str) -> dict:
    row = {"frame": frame, "reference": name, "n_coded": 0, "tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for m in ("precision", "recall", "f1"):
        row.update({m: np.nan, f"{m}_low": np.nan, f"{m}_high": np.nan})
    return {**row, "note": "no sentence of this frame coded by this coder"}


def score_frames(key: pd.DataFrame, codes: dict[str, pd.Series], *, n_boot: int = DEFAULTS.n_boot,
                 seed: int = DEFAULTS.seed) -> pd.DataFrame:
    """Precision, recall and F1 of the tool per frame against each coder, with bootstrap intervals.

    Estimates are weighted by the sampling design (column ``weight`` of the
    key; 1 when absent), so that they describe the corpus, not the sample;
    intervals resample documents (95% percentile, widened to contain the
    estimate). Rows a coder left blank are not counted, and the weights of
    the coded rows are adjusted to them (:func:`_response_weights`). Every
    frame of the key has a row for every coder; NaN with a ``note`` where a
    measure is undefined (including a frame the coder coded no sentence of).

    Parameters
    ----------
    key : DataFrame
        ``item_id, frame, doc_id, tool`` (and ``weight``).
    codes : dict
        Coder name -> Series of 0/1/NaN codes indexed by ``item_id``.

    Returns
    -------
    DataFrame
        ``frame, reference, n_coded, tp, fp, fn, tn`` (sample counts),
        ``precision, precision_low, precision_high, recall, …, f1, …, note``.

    Examples
    --------
    >>> k = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "frame": "legal",
    ...                   "doc_id": ["a", "b", "c", "d"], "tool": [1, 1, 0, 0]})
    >>> c = pd.Series([1, 0, 1, 0], index=["i1", "i2", "i3", "i4"])
    >>> r = score_frames(k, {"ann": c}, n_boot=50).iloc[0]
    >>> float(r["precision"]), float(r["recall"]), float(r["f1"])
    (0.5, 0.5, 0.5)
    """
    key = key.assign(weight=key["weight"] if "weight" in key.columns else 1.0)
    strata = _frame_strata(key)
    rows = []
    for name, code in codes.items():
        coded = key.assign(code=key["item_id"].map(code)).dropna(subset=["code"])
        coded = coded.assign(weight=_response_weights(coded, strata))
        for frame in sorted(key["frame"].unique()):
            part = coded[coded["frame"] == frame]
            if part.empty:
                rows.append(_empty_frame_row(frame, name))
                continue
            t, c, w = part["tool"].astype(int), part["code"].astype(int), part["weight"].astype(float)
            counts = agr.confusion(t, c)
            row = {"frame": frame, "reference": name, "n_coded": len(part),
                   **{k: int(v) for k, v in counts.items()}}
            est = agr.prf(t, c, w)
            per_doc = part.assign(tp=w * (t & c), fp=w * (t & (1 - c)), fn=w * ((1 - t) & c)
                                  ).groupby("doc_id")[["tp", "fp", "fn"]].sum()
            ci = _interval_rows(per_doc, ["tp", "fp", "fn"], agr.prf_statistic, ["precision", "recall", "f1"],
                                n_boot=n_boot, seed=seed)
            for m in ("precision", "recall", "f1"):
                row.update({m: est[m], f"{m}_low": ci[f"{m}_low"], f"{m}_high": ci[f"{m}_high"]})
            row["note"] = "; ".join(n for n in (est["note"], _uncoded_strata(key[key["frame"] == frame], part, strata))
                                    if n)
            rows.append(row)
    return pd.DataFrame(rows)


def _uncoded_strata(drawn: pd.DataFrame, coded: pd.DataFrame, strata: list[str]) -> str:
    """A note naming the sampling strata of ``drawn`` with no coded row (empty when every one has one).

    Their sentences or articles are then not represented by the weighted estimate at all, which
    the weighting cannot repair: code at least one row of each.

    Examples
    --------
    >>> d = pd.DataFrame({"s": ["a", "a", "b"], "stratum_size": [9, 9, 4]})
    >>> _uncoded_strata(d, d.iloc[:1], ["s"])
    'not coded, so left out of the estimate: stratum b (4 in the corpus)'
    """
    if not strata or drawn.empty:
        return ""
    have = set(map(tuple, coded[strata].astype(str).to_numpy()))
    missing = drawn.drop_duplicates(strata)
    missing = missing[[tuple(v) not in have for v in missing[strata].astype(str).to_numpy()]]
    if missing.empty:
        return ""
    size = missing["stratum_size"] if "stratum_size" in missing.columns else pd.Series(np.nan, index=missing.index)
    parts = [f"stratum {'|'.join(map(str, v))}" + ("" if pd.isna(n) else f" ({int(n)} in the corpus)")
             for v, n in zip(missing[strata].to_numpy(), size, strict=True)]
    return "not coded, so left out of the estimate: " + ", ".join(parts)


def score_articles(key: pd.DataFrame, codes: dict[str, pd.Series], *, n_boot: int = DEFAULTS.n_boot,
                   seed: int = DEFAULTS.seed) -> pd.DataFrame:
    """Accuracy of the alleged-victim gender against each coder, overall and per group.

    ``predictor`` is ``tool`` (inferred from the text) and, where the key has
    one, ``registry`` (the case registry). The overall accuracy is weighted
    by the sampling design, adjusted to the articles the coder coded
    (:func:`_response_weights`, group by group); intervals are 95% bootstrap
    percentiles over articles. Every group of the key has a row; NaN with a
    ``note`` for a group the coder coded no article of.

    Examples
    --------
    >>> k = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "group": ["x", "x", "y", "y"],
    ...                   "tool": ["male", "female", "unknown", "female"]})
    >>> c = pd.Series(["male", "female", "female", "female"], index=["a", "b", "c", "d"])
    >>> r = score_articles(k, {"ann": c}, n_boot=50)
    >>> r.loc[r["group"] == "all", "accuracy"].tolist()
    [0.75]
    """
    key = key.assign(weight=key["weight"] if "weight" in key.columns else 1.0)
    predictors = [p for p in ("tool", "registry") if p in key.columns]
    groups = sorted(key["group"].astype(str).unique()) if "group" in key.columns else []
    rows = []
    for name, code in codes.items():
        coded = key.assign(code=key["doc_id"].map(code)).dropna(subset=["code"])
        coded = coded.assign(weight=_response_weights(coded, ["group"] if "group" in key.columns else []))
        for pred in predictors:
            parts = [("all", coded), *((g, coded[coded["group"].astype(str) == g]) for g in groups)]
            for group, part in parts:
                hit = (part[pred].astype(str) == part["code"].astype(str)).astype(float)
                w = part["weight"].astype(float) if group == "all" else pd.Series(1.0, index=part.index)
                per_doc = pd.DataFrame({"hit": hit * w, "w": w})
                est = float(agr.ratio_statistic(per_doc.sum().to_numpy()[None, :])[0, 0]) if len(part) else np.nan
                ci = _interval_rows(per_doc, ["hit", "w"], agr.ratio_statistic, ["accuracy"], n_boot=n_boot,
                                    seed=seed) if len(part) else {"accuracy_low": np.nan, "accuracy_high": np.nan}
                rows.append({"predictor": pred, "reference": name, "group": group, "n_coded": len(part),
                             "correct": int(hit.sum()), "accuracy": est, **ci,
                             "predicted_unknown": int((part[pred].astype(str) == "unknown").sum()),
                             "note": _article_note(group, part, coded, groups)})
    return pd.DataFrame(rows)


def _article_note(group: str, part: pd.DataFrame, coded: pd.DataFrame, groups: list[str]) -> str:
    """Why an accuracy row is NaN, or which groups the overall row leaves out."""
    if not len(part):
        return f"no article {'' if group == 'all' else 'of this group '}coded by this coder"
    if group != "all":
        return ""
    left_out = [g for g in groups if not (coded["group"].astype(str) == g).any()]
    return f"no article coded in group(s) {', '.join(left_out)}, so left out of the estimate" if left_out else ""


def _label(value) -> str:
    """A code as text, with 1, 1.0 and "1" the same label (tool codes are integers, coders' floats)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _pair_stats(a: pd.Series, b: pd.Series) -> dict[str, float]:
    both = a.notna() & b.notna()
    x = np.array([_label(v) for v in a[both]], dtype=object)
    y = np.array([_label(v) for v in b[both]], dtype=object)
    cats = {v: i for i, v in enumerate(sorted(set(x) | set(y)))}
    matrix = np.array([[cats[v] for v in x], [cats[v] for v in y]], dtype=float)
    kappa = agr.cohen_kappa(x, y)
    alpha = agr.krippendorff_alpha_nominal(matrix) if len(x) else np.nan
    if not len(x):
        note = "no unit coded by both"
    elif np.isnan(kappa) or np.isnan(alpha):
        note = (f"{'kappa' if np.isnan(kappa) else 'alpha'}{' and alpha' if np.isnan(kappa) and np.isnan(alpha) else ''}"
                f" undefined: every code is {sorted(cats)[0]!r}, so agreement by chance is complete")
    else:
        note = ""
    return {"n": int(both.sum()), "percent_agreement": float(np.mean(x == y)) if len(x) else np.nan,
            "cohen_kappa": kappa, "krippendorff_alpha": alpha, "note": note}


def agreement(key: pd.DataFrame, codes: dict[str, pd.Series], *, unit: str = "item_id",
              by: str | None = "frame", overall: str = "all") -> pd.DataFrame:
    """Cohen's kappa and Krippendorff's alpha for every pair of coders and each coder with the tool.

    Computed on the units both members of a pair coded, per ``by`` level
    and over all units (``measure`` = ``overall``); unweighted (agreement of
    the coded sample). NaN where undefined (e.g. every code the same category).

    Returns
    -------
    DataFrame
        ``measure, a, b, n, percent_agreement, cohen_kappa, krippendorff_alpha, note``
        (``note``: why a statistic is NaN).

    Examples
    --------
    >>> k = pd.DataFrame({"item_id": ["i1", "i2", "i3", "i4"], "frame": "legal", "tool": [1, 1, 0, 0]})
    >>> codes = {"a": pd.Series([1, 0, 1, 0], index=k["item_id"]), "b": pd.Series([1, 0, 1, 1], index=k["item_id"])}
    >>> r = agreement(k, codes)
    >>> round(float(r.loc[(r["measure"] == "legal") & (r["b"] == "b"), "cohen_kappa"].iloc[0]), 3)
    0.5
    """
    names = list(codes)
    series = {n: key[unit].map(codes[n]) for n in names}
    series["tool"] = key["tool"]
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]] + [(n, "tool") for n in names]
    levels = [(overall, key.index)]
    if by is not None:
        levels += [(lvl, part.index) for lvl, part in key.groupby(by, sort=True)]
    rows = []
    for level, idx in levels:
        for a, b in pairs:
            rows.append({"measure": level, "a": a, "b": b, **_pair_stats(series[a][idx], series[b][idx])})
    return pd.DataFrame(rows)


def coding_sample(evidence: pd.DataFrame, sentences: pd.DataFrame, *, n_per_frame: int = 20,
                  negative_share: float = 0.5, strata: pd.Series | None = None,
                  seed: int = DEFAULTS.seed) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`frame_sample` as one sheet with two code columns (``code_1, code_2``); key ``item_id, frame, tool``.

    Examples
    --------
    >>> sheet, key = coding_sample(evidence, sentences, n_per_frame=20, seed=1)   # doctest: +SKIP
    """
    sheet, key = frame_sample(evidence, sentences, strata=strata, per_frame=n_per_frame,
                              negative_share=negative_share, seed=seed)
    return sheet.drop(columns="code").assign(code_1="", code_2=""), key[["item_id", "frame", "tool"]]


def read_coding(sheet: str | Path | pd.DataFrame, key: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 (unweighted, against ``code_1``) and agreement from a two-column sheet.

    Returns
    -------
    pandas.DataFrame
        ``frame, n, precision, recall, f1, cohen_kappa, krippendorff_alpha``
        (agreement only where ``code_2`` is present).

    Examples
    --------
    >>> report = read_coding("coding_sheet_coded.csv", key)     # doctest: +SKIP
    """
    from analysis.coding_files import parse_codes

    label = "coding sheet" if isinstance(sheet, pd.DataFrame) else str(sheet)
    df = sheet.astype(str) if isinstance(sheet, pd.DataFrame) else pd.read_csv(sheet, dtype=str)
    for col in ("item_id", "code_1"):
        if col not in df.columns:
            raise CorpusError(f"{label} row 1: column '{col}' missing; use the sheet from coding_sample()")
    df = df.merge(key, on="item_id", how="inner", suffixes=("", "_key"))
    codes = {col: parse_codes(df[col], label, col).set_axis(df["item_id"]) for col in ("code_1", "code_2")
             if col in df.columns}
    rows = []
    for frame, part in df.groupby("frame"):
        c1 = codes["code_1"][part["item_id"]]
        ok = c1.notna().to_numpy()
        est = agr.prf(part["tool"].astype(int)[ok], c1[ok].astype(int))
        kappa = alpha = np.nan
        if "code_2" in codes:
            stats = _pair_stats(c1, codes["code_2"][part["item_id"]])
            if stats["n"] >= 2:
                kappa, alpha = stats["cohen_kappa"], stats["krippendorff_alpha"]
        rows.append({"frame": frame, "n": int(ok.sum()), "precision": est["precision"], "recall": est["recall"],
                     "f1": est["f1"], "cohen_kappa": kappa, "krippendorff_alpha": alpha})
    return pd.DataFrame(rows)


def _case_people(cases: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """case_id -> [(name, registry role)] from a case registry."""
    from analysis.roles.people import split_names

    out = {}
    for rec in cases.to_dict("records"):
        people = [(n, "victim") for n in split_names(rec.get("victims"))]
        people += [(n, "accused") for n in split_names(rec.get("accused"))]
        out[rec["case_id"]] = people
    return out


def evaluate(corpus_with_cases, mentions_df: pd.DataFrame,
             inferred: pd.DataFrame | None = None) -> dict[str, float]:
    """Accuracy of inferred victim gender and roles against a case registry.

    Every registry person of a document's case counts: a person the text
    analysis did not find in the document (matched by surname) counts as a
    wrong role, so finding fewer people cannot raise the accuracy.

    Parameters
    ----------
    corpus_with_cases : Corpus
        The corpus loaded *with* its ``cases.csv`` (the gold standard).
    mentions_df : pandas.DataFrame
        Mentions inferred without the registry
        (:func:`analysis.roles.mentions` with ``use_registry=False`` or a
        corpus loaded with ``use_cases=False``).
    inferred : pandas.DataFrame, optional
        :func:`analysis.roles.victim_gender` output computed without the registry.

    Returns
    -------
    dict
        ``n_docs`` (documents with a case), ``victim_gender_accuracy`` (with
        ``inferred``), ``n_case_people`` (registry people over the documents
        of their case), ``n_people`` (of those, found in the document),
        ``people_found_share`` (= n_people / n_case_people),
        ``role_accuracy`` (people found with the registry role, out of
        ``n_case_people``) and ``role_accuracy_found`` (out of ``n_people``).

    Raises
    ------
    UsageError
        If the corpus has no case registry.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "case_id": ["c1"], "victim_gender": ["male"]})
    >>> cases = pd.DataFrame({"case_id": ["c1"], "victims": ["Noor Hassan"], "accused": ["Adnan Shah"]})
    >>> gold = type("C", (), {"docs": docs, "cases": cases})()
    >>> m = pd.DataFrame({"doc_id": ["a"], "person": ["Noor Hassan"], "role": ["victim"]})
    >>> s = evaluate(gold, m)
    >>> s["role_accuracy"], s["role_accuracy_found"], s["people_found_share"]
    (0.5, 1.0, 0.5)
    """
    from analysis.errors import UsageError

    docs = corpus_with_cases.docs
    cases = corpus_with_cases.cases
    if cases is None or "case_id" not in docs.columns:
        raise UsageError("evaluate(): argument 'corpus_with_cases' has no case registry; "
                         "load the corpus with its cases.csv (use_cases=True)")
    with_case = docs[docs["case_id"].notna()]
    out: dict[str, float] = {"n_docs": float(len(with_case))}
    if inferred is not None:
        merged = with_case[["doc_id", "victim_gender"]].merge(
            inferred[["doc_id", "victim_gender"]], on="doc_id", suffixes=("_true", "_pred"))
        out["victim_gender_accuracy"] = float((merged["victim_gender_true"] == merged["victim_gender_pred"]).mean())
    case_people = _case_people(cases)
    per_person = mentions_df.groupby(["doc_id", "person"])["role"].first().reset_index()
    per_person["surname"] = per_person["person"].astype(str).str.split().str[-1].str.lower()
    lookup = {(d, s): r for d, s, r in zip(per_person["doc_id"], per_person["surname"], per_person["role"],
                                           strict=True)}
    hits = found = total = 0
    for doc_id, cid in zip(with_case["doc_id"], with_case["case_id"], strict=True):
        for name, role in case_people.get(cid, []):
            total += 1
            key = (doc_id, name.split()[-1].lower())
            if key in lookup:
                found += 1
                hits += lookup[key] == role
    out["n_case_people"] = float(total)
    out["n_people"] = float(found)
    out["people_found_share"] = found / total if total else float("nan")
    out["role_accuracy"] = hits / total if total else float("nan")
    out["role_accuracy_found"] = hits / found if found else float("nan")
    return out
