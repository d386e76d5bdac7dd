"""Draw blind, stratified coding samples of sentences and articles, and re-tag their keys.

:func:`frame_sample` draws, for every frame, sentences the tool tagged and sentences it did not
(without the latter, recall cannot be estimated), each stratified by a grouping column, and records
every item's sampling weight (stratum size / items drawn from it; Horvitz & Thompson 1952) and its
stratum. :func:`article_sample` draws articles, stratified by group, for coding the alleged victim's
gender. :func:`retag` puts today's tool labels into an older key. The scores are
:mod:`analysis.validation`; reading the coders' files is :mod:`analysis.coding_files`.

Example
-------
>>> sents = pd.DataFrame({"doc_id": ["a", "a", "b"], "sentence_id": [0, 1, 0],
...                       "sentence": ["He sued.", "It rained.", "She spoke."]})
>>> ev = pd.DataFrame({"doc_id": ["a"], "sentence_id": [0], "frame": ["legal"]})
>>> sheet, key = frame_sample(ev, sents, per_frame=2, seed=1)
>>> sorted(key["tool"].tolist()), "tool" in sheet.columns
([0, 1], False)
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis.config import DEFAULTS
from analysis.errors import ResultWarning, UsageError
from analysis.io import sha256_text

MISSING_GROUP = "(missing)"


def allocate(n: int, available: dict[str, int], rng: np.random.Generator | None = None) -> dict[str, int]:
    """Split ``n`` draws over groups as evenly as their sizes allow (unused draws go to larger groups).

    When ``n`` is smaller than the number of non-empty groups, not every group can have a draw:
    with ``rng`` the groups that get one are chosen at random (without it, the first in order),
    so that no group is left out by its name alone; the caller warns (:func:`_draw`).

    Examples
    --------
    >>> allocate(6, {"a": 1, "b": 10, "c": 10})
    {'a': 1, 'b': 3, 'c': 2}
    >>> allocate(5, {"a": 1, "b": 3, "c": 2})
    {'a': 1, 'b': 2, 'c': 2}
    >>> sum(allocate(1, {"a": 5, "b": 5, "c": 5}, np.random.default_rng(0)).values())
    1
    """
    out = {g: 0 for g in available}
    open_groups = [g for g in available if available[g] > 0]
    if rng is not None and 0 < n < len(open_groups):
        for i in np.sort(rng.choice(len(open_groups), size=n, replace=False)):
            out[open_groups[i]] = 1
        return out
    for _ in range(min(n, sum(available.values()))):
        # water-filling: the next draw goes to the open group with the fewest so far (first in order on ties)
        g = min((g for g in available if out[g] < available[g]), key=lambda g: out[g])
        out[g] += 1
    return out


def _draw(part: pd.DataFrame, n: int, rng: np.random.Generator, what: str = "rows") -> pd.DataFrame:
    """``n`` rows of ``part`` stratified by its ``group`` column, with ``stratum_size, drawn, weight``.

    Warns (:class:`~analysis.errors.ResultWarning`) when some non-empty group gets no draw: the
    weighted estimates then describe only the groups drawn.
    """
    sizes = part.groupby("group").size()
    plan = allocate(n, {str(g): int(s) for g, s in sizes.items()}, rng)
    left_out = sorted(g for g, k in plan.items() if k == 0 and sizes.get(g, 0) > 0)
    if left_out and n > 0:
        warnings.warn(ResultWarning(
            f"{what}: {n} draw(s) for {len(plan)} groups, so {len(left_out)} group(s) got none "
            f"({', '.join(left_out[:5])}{', ...' if len(left_out) > 5 else ''}); the estimates describe only "
            "the groups drawn; draw more (--per-frame, --articles) to cover every group"), stacklevel=3)
    picks = []
    for g, k in plan.items():
        if k == 0:
            continue
        rows = part[part["group"] == g]
        pick = rows.iloc[np.sort(rng.choice(len(rows), size=k, replace=False))]
        picks.append(pick.assign(stratum_size=len(rows), drawn=k, weight=len(rows) / k))
    return pd.concat(picks, ignore_index=True) if picks else part.iloc[:0].assign(
        stratum_size=0, drawn=0, weight=1.0)


def _groups(doc_ids: pd.Series, strata: pd.Series | None) -> pd.Series:
    if strata is None:
        return pd.Series("all", index=doc_ids.index)
    return doc_ids.map(strata).astype(object).where(lambda s: s.notna(), MISSING_GROUP).astype(str)


def frame_sample(evidence: pd.DataFrame, sentences: pd.DataFrame, *, frames: list[str] | None = None,
                 strata: pd.Series | None = None, per_frame: int = 20, negative_share: float = 0.5,
                 seed: int = DEFAULTS.seed) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A blind, stratified sample of sentences to code for each frame, and its key.

    Parameters
    ----------
    evidence : DataFrame
        The tool's frame evidence (at least ``doc_id, sentence_id, frame``).
    sentences : DataFrame
        Every sentence: ``doc_id, sentence_id, sentence``.
    frames : list of str, optional
        Frames to sample (default: those in ``evidence``); a frame the tool
        never tagged still gets untagged sentences, so that its recall can be
        estimated.
    strata : Series, optional
        Group per ``doc_id`` (e.g. region) to balance the draws over.
    per_frame : int
        Items per frame; ``negative_share`` of them from untagged sentences.

    Returns
    -------
    sheet : DataFrame
        ``item_id, frame, doc_id, sentence_id, sentence, code`` (``code`` empty).
    key : DataFrame
        ``item_id, frame, doc_id, sentence_id, group, tool, stratum_size, drawn,
        weight, sentence_sha256, stratum``.
    """
    if per_frame < 1:
        raise UsageError(f"--per-frame {per_frame}: give at least 1 sentence per frame")
    if int(round(per_frame * negative_share)) == 0:
        warnings.warn(ResultWarning(
            f"--per-frame {per_frame}: no untagged sentence is drawn, so recall cannot be estimated; "
            "give at least 2 sentences per frame"), stacklevel=2)
    rng = np.random.default_rng(seed)
    sents = sentences[["doc_id", "sentence_id", "sentence"]].copy()
    sents = sents[sents["sentence"].fillna("").str.strip() != ""].sort_values(["doc_id", "sentence_id"])
    sents["group"] = _groups(sents["doc_id"], strata)
    tagged = evidence[["doc_id", "sentence_id", "frame"]].drop_duplicates()
    n_neg = int(round(per_frame * negative_share))
    parts = []
    for frame in sorted(set(frames or []) | set(tagged["frame"])):
        ids = tagged.loc[tagged["frame"] == frame, ["doc_id", "sentence_id"]].assign(tool=1)
        marked = sents.merge(ids, on=["doc_id", "sentence_id"], how="left").fillna({"tool": 0})
        marked["tool"] = marked["tool"].astype(int)
        draws = [_draw(marked[marked["tool"] == t].reset_index(drop=True), n, rng,
                       f"frame {frame}, {'tagged' if t else 'untagged'} sentences")
                 for t, n in ((1, per_frame - n_neg), (0, n_neg))]
        chosen = pd.concat(draws, ignore_index=True).assign(frame=frame)
        # the stratum of the draw, kept apart from "tool" (which retag() overwrites), for the
        # adjustment of the weights to the rows a coder leaves blank (_response_weights)
        chosen["stratum"] = frame + "|" + chosen["tool"].astype(str) + "|" + chosen["group"].astype(str)
        parts.append(chosen.iloc[rng.permutation(len(chosen))])
    sample = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["doc_id", "sentence_id", "sentence", "group", "tool", "stratum_size", "drawn", "weight", "frame",
                 "stratum"])
    sample.insert(0, "item_id", [f"item-{i + 1:04d}" for i in range(len(sample))])
    sample["sentence_id"] = sample["sentence_id"].astype(int)
    sample["sentence_sha256"] = [sha256_text(str(s))[:16] for s in sample["sentence"]]
    sheet = sample[["item_id", "frame", "doc_id", "sentence_id", "sentence"]].assign(code="")
    key = sample[["item_id", "frame", "doc_id", "sentence_id", "group", "tool", "stratum_size", "drawn",
                  "weight", "sentence_sha256", "stratum"]]
    return sheet, key.reset_index(drop=True)


def article_sample(docs: pd.DataFrame, tool: pd.DataFrame, *, by: str | None = None, n: int = 30,
                   seed: int = DEFAULTS.seed) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified sample of articles to code for the alleged victim's gender, and its key.

    Parameters
    ----------
    docs : DataFrame
        The corpus documents (``doc_id``, the ``by`` column, optionally ``title``,
        and ``victim_gender`` when a case registry gives it).
    tool : DataFrame
        The tool's inference from the text: ``doc_id, victim_gender, source``.
    by : str, optional
        Grouping column to balance the sample over.

    Returns
    -------
    sheet : DataFrame
        ``doc_id, title, victim_gender`` (``victim_gender`` empty).
    key : DataFrame
        ``doc_id, group, tool, stratum_size, drawn, weight`` and ``registry``
        when the documents carry a registry gender.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b", "c"], "region": ["x", "x", "y"]})
    >>> t = pd.DataFrame({"doc_id": ["a", "b", "c"], "victim_gender": ["male", "female", "unknown"]})
    >>> sheet, key = article_sample(d, t, by="region", n=2, seed=3)
    >>> sorted(key["group"]), sheet["victim_gender"].tolist()
    (['x', 'y'], ['', ''])
    """
    rng = np.random.default_rng(seed)
    d = docs.sort_values("doc_id").reset_index(drop=True)
    strata = d.set_index("doc_id")[by] if by else None
    d = d.assign(group=_groups(d["doc_id"], strata))
    picked = _draw(d, n, rng, "articles")
    picked = picked.iloc[rng.permutation(len(picked))].reset_index(drop=True)
    inferred = tool.set_index("doc_id")["victim_gender"]
    key = picked[["doc_id", "group"]].assign(tool=picked["doc_id"].map(inferred).fillna("unknown"))
    key = key.assign(stratum_size=picked["stratum_size"], drawn=picked["drawn"], weight=picked["weight"])
    if "victim_gender" in picked.columns:
        key["registry"] = picked["victim_gender"].values
    title = picked["title"] if "title" in picked.columns else pd.Series("", index=picked.index)
    sheet = pd.DataFrame({"doc_id": picked["doc_id"], "title": title.fillna(""), "victim_gender": ""})
    return sheet, key


def retag(key: pd.DataFrame, evidence: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The key with ``tool`` recomputed from new evidence (e.g. after the lexicons changed).

    The sampling weights stay those of the original draw, which remain the
    inverse inclusion probabilities of the items, so the estimates stay
    unbiased for the new tool. Items whose sentence text changed (the
    sentence split moved) are dropped.

    Examples
    --------
    >>> k = pd.DataFrame({"item_id": ["i1"], "frame": ["legal"], "doc_id": ["a"], "sentence_id": [0],
    ...                   "tool": [0], "sentence_sha256": [sha256_text("He sued.")[:16]]})
    >>> s = pd.DataFrame({"doc_id": ["a"], "sentence_id": [0], "sentence": ["He sued."]})
    >>> retag(k, pd.DataFrame({"doc_id": ["a"], "sentence_id": [0], "frame": ["legal"]}), s)["tool"].tolist()
    [1]
    """
    now = sentences.assign(sha=[sha256_text(str(s))[:16] for s in sentences["sentence"]])
    merged = key.merge(now[["doc_id", "sentence_id", "sha"]], on=["doc_id", "sentence_id"], how="left")
    same = merged["sha"] == merged["sentence_sha256"]
    tagged = set(map(tuple, evidence[["doc_id", "sentence_id", "frame"]].astype(str).to_numpy()))
    out = merged[same].drop(columns="sha").copy()
    out["tool"] = [int((str(d), str(s), str(f)) in tagged)
                   for d, s, f in zip(out["doc_id"], out["sentence_id"], out["frame"], strict=True)]
    return out.reset_index(drop=True)
