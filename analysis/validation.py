"""Validate frame tagging against human coders.

1. :func:`coding_sample` draws a stratified random sample of sentences for
   manual coding: for every frame, sentences the lexicon tagged *and*
   sentences it did not tag (without the latter, recall cannot be estimated).
   It returns a coding sheet (no tool labels, so coders are blind to them) and
   a key.
2. :func:`read_coding` reads the coded sheet back and reports, per frame,
   precision, recall and F1 of the tool against the (first) coder, and
   agreement between coders: Cohen's kappa (Cohen 1960) and Krippendorff's
   alpha for nominal data (Krippendorff 2004).

Example
-------
>>> sheet, key = coding_sample(evidence, sentences, n_per_frame=20, seed=1)   # doctest: +SKIP
>>> sheet.to_csv("coding_sheet.csv", index=False)                              # doctest: +SKIP
>>> report = read_coding("coding_sheet_coded.csv", key)                        # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from analysis.config import DEFAULTS
from analysis.corpus import CorpusError


def coding_sample(evidence: pd.DataFrame, sentences: pd.DataFrame, *, n_per_frame: int = 20,
                  negative_share: float = 0.5, strata: pd.Series | None = None,
                  seed: int = DEFAULTS.seed) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified random sample of sentences to code by hand, per frame.

    Parameters
    ----------
    evidence : DataFrame
        From :func:`analysis.framing.score` (``doc_id, sentence_id, frame``).
    sentences : DataFrame
        From :func:`analysis.framing.sentence_texts`.
    n_per_frame : int
        Sentences per frame; ``negative_share`` of them are untagged sentences.
    strata : Series, optional
        A grouping per ``doc_id`` (e.g. region) to sample evenly within.

    Returns
    -------
    sheet : DataFrame
        ``item_id, frame, doc_id, sentence_id, sentence, code_1, code_2``
        (codes empty: coders write 1 if the frame is present, 0 if not).
    key : DataFrame
        ``item_id, frame, tool`` (1 if the lexicon tagged the sentence).
    """
    rng = np.random.default_rng(seed)
    tagged = evidence[["doc_id", "sentence_id", "frame"]].drop_duplicates()
    rows = []
    for frame in sorted(tagged["frame"].unique()):
        pos = tagged[tagged["frame"] == frame].merge(sentences, on=["doc_id", "sentence_id"])
        neg = sentences.merge(pos[["doc_id", "sentence_id"]], how="left", indicator=True)
        neg = neg[neg["_merge"] == "left_only"].drop(columns="_merge")
        n_neg = int(round(n_per_frame * negative_share))
        for part, n, tool in ((pos, n_per_frame - n_neg, 1), (neg, n_neg, 0)):
            part = part.sort_values(["doc_id", "sentence_id"]).reset_index(drop=True)
            if strata is not None:
                groups = part["doc_id"].map(strata).fillna("other")
                per = max(1, n // max(groups.nunique(), 1))
                idx = np.concatenate([rng.permutation(np.flatnonzero(groups == g))[:per]
                                      for g in sorted(groups.unique())])
            else:
                idx = rng.permutation(len(part))[:n]
            pick = part.iloc[np.sort(idx)]
            for _, r in pick.iterrows():
                rows.append({"frame": frame, "doc_id": r["doc_id"], "sentence_id": int(r["sentence_id"]),
                             "sentence": r["sentence"], "tool": tool})
    sample = pd.DataFrame(rows)
    order = rng.permutation(len(sample))
    sample = sample.iloc[order].reset_index(drop=True)
    sample.insert(0, "item_id", [f"item-{i + 1:04d}" for i in range(len(sample))])
    sheet = sample.drop(columns="tool").assign(code_1="", code_2="")
    return sheet, sample[["item_id", "frame", "tool"]]


def krippendorff_alpha_nominal(codes: np.ndarray) -> float:
    """Krippendorff's alpha for nominal codes (Krippendorff 2004), coders × units, NaN = missing.

    Computed from the coincidence matrix; written here because the formula
    is a few lines and avoids a dependency for one statistic.

    Examples
    --------
    >>> krippendorff_alpha_nominal(np.array([[1, 0, 1, 1], [1, 0, 1, 1]]))
    1.0
    >>> round(krippendorff_alpha_nominal(np.array([[1, 0, 1, 0], [1, 1, 1, 0]])), 3)
    0.533
    """
    codes = np.asarray(codes, dtype=float)
    values = np.unique(codes[~np.isnan(codes)])
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in codes.T:
        vals = unit[~np.isnan(unit)]
        m = len(vals)
        if m < 2:
            continue
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    o[index[a], index[b]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return float("nan")
    d_o = o.sum() - np.trace(o)
    d_e = (n * n - (n_c ** 2).sum()) / (n - 1)
    return float(1 - d_o / d_e) if d_e > 0 else 1.0


def read_coding(sheet: str | Path | pd.DataFrame, key: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall, F1 per frame and inter-coder agreement from a coded sheet.

    Returns
    -------
    pandas.DataFrame
        ``frame, n, precision, recall, f1, cohen_kappa, krippendorff_alpha``
        (agreement only where a second coder's codes are present).
    """
    label = str(sheet) if not isinstance(sheet, pd.DataFrame) else "coding sheet"
    df = pd.read_csv(sheet, dtype=str) if not isinstance(sheet, pd.DataFrame) else sheet.astype(str)
    for col in ("item_id", "code_1"):
        if col not in df.columns:
            raise CorpusError(f"{label} row 1: column '{col}' missing; use the sheet from coding_sample()")
    df = df.merge(key, on="item_id", how="inner", suffixes=("", "_key"))
    codes = {}
    for col in ("code_1", "code_2"):
        if col not in df.columns:
            continue
        raw = df[col].str.strip().replace({"nan": "", "None": ""})
        bad = ~raw.isin(["0", "1", ""])
        if bad.any():
            row = int(np.flatnonzero(bad)[0]) + 2
            raise CorpusError(f"{label} row {row}, column '{col}': {raw[bad].iloc[0]!r}; code 1 (frame present), "
                              "0 (absent), or leave empty")
        codes[col] = pd.to_numeric(raw.replace("", np.nan))
    rows = []
    for frame, part in df.groupby("frame"):
        c1 = codes["code_1"].loc[part.index]
        ok = c1.notna()
        p, r, f, _ = precision_recall_fscore_support(c1[ok].astype(int), part.loc[ok, "tool"].astype(int),
                                                     average="binary", zero_division=0)
        kappa = alpha = np.nan
        if "code_2" in codes:
            c2 = codes["code_2"].loc[part.index]
            both = ok & c2.notna()
            if both.sum() >= 2:
                kappa = cohen_kappa_score(c1[both].astype(int), c2[both].astype(int))
                alpha = krippendorff_alpha_nominal(np.vstack([c1[both], c2[both]]))
        rows.append({"frame": frame, "n": int(ok.sum()), "precision": p, "recall": r, "f1": f,
                     "cohen_kappa": kappa, "krippendorff_alpha": alpha})
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
