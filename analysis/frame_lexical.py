"""Lexical frame detection: logistic regression over lemma n-grams and rule hits, no optional extra.

Each frame is one binary logistic regression (Cox 1958; scikit-learn's
``LogisticRegression``, liblinear solver (Fan et al. 2008), balanced class
weights, L2) over a small, documented feature set read from the cached token
table, so scoring runs no spaCy model and needs nothing beyond the default install:

* **terms** (:func:`sentence_terms`): presence (0/1) in the sentence of lower-cased
  lemma unigrams and bigrams of its *content tokens*: alphabetic tokens tagged
  NOUN, VERB, ADJ or ADV that are not stop words and not inside a named entity
  (:data:`NAME_ENTITIES`), plus the negations of :data:`NEGATIONS` (so ``not deny``
  is a bigram). Proper nouns, numbers and punctuation never enter. A bigram joins
  two content tokens that follow each other once the others are left out;
* the **vocabulary** (:func:`vocabulary`) keeps a term only if it occurs in
  sentences of at least :data:`MIN_CASES` different cases of the training data,
  so that words of one case (names, places, titles) cannot be learned; it is sorted;
* **rule hits**: 0/1 per frame of ``rule_frames``, the frame's rules
  (:mod:`analysis.frame_patterns`) left evidence in the sentence, and the same for
  its neighbours (1 when the previous or the next sentence of the document has one).

``C`` (:data:`C_GRID`) and the decision threshold
(:func:`analysis.frame_classifier.choose_threshold`) are chosen by 5-fold
cross-validation grouped by case on the training data only (:func:`train`). A
model is plain numbers and lemma n-grams (no sentence text), kept as JSON in
``analysis/lexicons/frames/models/<frame_id>.lexical.json``; scoring it is a
sum of weights (numpy only). A frame uses it when its lexicon file says
``method: lexical`` (:func:`analysis.framing.score`).

Example
-------
>>> tok = pd.DataFrame({"doc_id": ["a"] * 4, "sent": [0] * 4, "text": ["Anna", "denied", "the", "claim"],
...                     "lemma": ["Anna", "deny", "the", "claim"], "pos": ["PROPN", "VERB", "DET", "NOUN"],
...                     "ent": ["PERSON", "", "", ""], "is_stop": [False, False, True, False],
...                     "is_alpha": [True] * 4})
>>> sentence_terms(tok)["term"].tolist()
['deny', 'claim', 'deny claim']
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import LexiconError, ResultWarning
from analysis.io import atomic_write_json

#: Parts of speech of content tokens (spaCy's universal tags).
CONTENT_POS = ("NOUN", "VERB", "ADJ", "ADV")
#: Negation lemmas kept whatever their tag or stop-word flag (``n't`` has the lemma ``not``).
NEGATIONS = ("not", "no", "never", "nothing", "nobody", "none", "neither", "nor")
#: Named-entity labels whose tokens are left out (names of people, groups, places, works, events).
NAME_ENTITIES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT")
#: A term is kept only if it occurs in sentences of at least this many cases of the training data.
MIN_CASES = 3
#: Candidate inverse regularisation strengths, chosen by grouped cross-validation.
C_GRID = (0.03, 0.1, 0.3, 1.0)
SUFFIX = ".lexical.json"
LAYOUT = ("presence 0/1 of each term of vocabulary (lemma unigrams and bigrams of content tokens), rule hit 0/1 "
          "of each frame in rule_frames in the sentence, and in its previous or next sentence")
KEY = ["doc_id", "sentence_id"]


def sentence_terms(tokens: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, sentence_id, term``: the distinct terms of each sentence of the token table.

    Examples
    --------
    >>> tok = pd.DataFrame({"doc_id": ["a"] * 4, "sent": [0, 0, 0, 1], "text": ["not", "lie", "2017", "lie"],
    ...                     "lemma": ["not", "lie", "2017", "lie"], "pos": ["PART", "VERB", "NUM", "VERB"],
    ...                     "ent": ["", "", "DATE", ""], "is_stop": [True, False, False, False],
    ...                     "is_alpha": [True, True, False, True]})
    >>> sentence_terms(tok).values.tolist()
    [['a', 0, 'not'], ['a', 0, 'lie'], ['a', 1, 'lie'], ['a', 0, 'not lie']]
    """
    lemma = tokens["lemma"].str.lower()
    negation = lemma.isin(NEGATIONS)
    content = (tokens["is_alpha"] & tokens["pos"].isin(CONTENT_POS) & ~tokens["is_stop"]
               & ~tokens["ent"].isin(NAME_ENTITIES) & lemma.str.isalpha())
    keep = (negation | content).to_numpy()
    doc, sent, lem = tokens["doc_id"].to_numpy()[keep], tokens["sent"].to_numpy()[keep], lemma.to_numpy()[keep]
    same = np.r_[(doc[1:] == doc[:-1]) & (sent[1:] == sent[:-1]), False]
    uni = pd.DataFrame({"doc_id": doc, "sentence_id": sent.astype(int), "term": lem})
    bi = pd.DataFrame({"doc_id": doc[:-1][same[:-1]], "sentence_id": sent[:-1][same[:-1]].astype(int),
                       "term": lem[:-1][same[:-1]] + " " + lem[1:][same[:-1]]})
    return pd.concat([uni, bi], ignore_index=True).drop_duplicates(ignore_index=True)


def vocabulary(terms: pd.DataFrame, case_of_doc: dict, min_cases: int = MIN_CASES) -> tuple[str, ...]:
    """The sorted terms that occur in sentences of at least ``min_cases`` cases (``case_of_doc``: doc id -> case).

    Examples
    --------
    >>> t = pd.DataFrame({"doc_id": ["a", "b", "c", "a"], "sentence_id": 0, "term": ["sue", "sue", "sue", "x"]})
    >>> vocabulary(t, {"a": 1, "b": 2, "c": 3})
    ('sue',)
    """
    cases = terms["doc_id"].map(case_of_doc)
    if cases.isna().any():
        raise LexiconError(f"documents without a case: {sorted(terms.loc[cases.isna(), 'doc_id'].unique())[:3]}")
    n = pd.DataFrame({"term": terms["term"], "case": cases}).drop_duplicates().groupby("term").size()
    return tuple(sorted(n.index[n >= min_cases]))


def rule_hits(evidence: pd.DataFrame, keys: pd.DataFrame, frame_ids) -> np.ndarray:
    """0/1 per sentence (rows of ``keys``: ``doc_id, sentence_id``) and frame: the frame's rules hit it.

    Examples
    --------
    >>> ev = pd.DataFrame({"doc_id": ["a"], "sentence_id": [1], "frame": ["f"]})
    >>> rule_hits(ev, pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1]}), ["f", "g"]).tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """
    out = np.zeros((len(keys), len(frame_ids)))
    index = pd.MultiIndex.from_arrays([keys["doc_id"], keys["sentence_id"].astype(int)])
    for j, fid in enumerate(frame_ids):
        ev = evidence[evidence["frame"] == fid]
        rows = index.get_indexer(pd.MultiIndex.from_arrays([ev["doc_id"], ev["sentence_id"].astype(int)]))
        out[rows[rows >= 0], j] = 1.0
    return out


def neighbour_hits(hits: np.ndarray, doc_ids) -> np.ndarray:
    """1 where the previous or the next row of the same document has a hit (rows in reading order).

    Examples
    --------
    >>> neighbour_hits(np.array([[1.0], [0.0], [0.0]]), ["a", "a", "b"]).tolist()
    [[0.0], [1.0], [0.0]]
    """
    doc_ids = np.asarray(doc_ids)
    out = np.zeros_like(hits, dtype=float)
    same = doc_ids[1:] == doc_ids[:-1]
    out[1:][same] = np.maximum(out[1:][same], hits[:-1][same])
    out[:-1][same] = np.maximum(out[:-1][same], hits[1:][same])
    return out


def _pairs(keys: pd.DataFrame, terms: pd.DataFrame, vocab: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (row of ``keys``, column of ``vocab``) of the sentence terms in the vocabulary (presence)."""
    index = pd.MultiIndex.from_arrays([keys["doc_id"], keys["sentence_id"].astype(int)])
    rows = index.get_indexer(pd.MultiIndex.from_arrays([terms["doc_id"], terms["sentence_id"].astype(int)]))
    cols = pd.Index(vocab).get_indexer(terms["term"])
    ok = (rows >= 0) & (cols >= 0)
    flat = np.unique(rows[ok].astype(np.int64) * max(len(vocab), 1) + cols[ok])
    return flat // max(len(vocab), 1), flat % max(len(vocab), 1)


@dataclass(frozen=True)
class LexicalModel:
    """One frame's lexical classifier: ``p = sigmoid(terms·coef + hits·rule_coef + nb·neighbour_coef + b)``."""

    frame: str
    vocabulary: tuple[str, ...]
    coef: np.ndarray
    rule_frames: tuple[str, ...]
    rule_coef: np.ndarray
    neighbour_coef: np.ndarray
    intercept: float
    threshold: float = 0.5
    c: float = 1.0
    trained_on: str = ""
    kind: str = "lexical"
    extra: dict = field(default_factory=dict, compare=False)

    def probability(self, keys: pd.DataFrame, terms: pd.DataFrame, hits: np.ndarray) -> np.ndarray:
        """Probability per row of ``keys`` (reading order); ``hits``: :func:`rule_hits` of ``rule_frames``."""
        rows, cols = _pairs(keys, terms, self.vocabulary)
        z = np.bincount(rows, weights=self.coef[cols], minlength=len(keys)) + self.intercept
        z = z + hits @ self.rule_coef + neighbour_hits(hits, keys["doc_id"].to_numpy()) @ self.neighbour_coef
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict:
        r6 = [round(float(c), 6) for c in self.coef]
        return {"frame": self.frame, "kind": self.kind, "features": LAYOUT, "trained_on": self.trained_on,
                "min_cases": MIN_CASES, "c": self.c, "threshold": self.threshold, "intercept": round(float(self.intercept), 6),
                "vocabulary": list(self.vocabulary), "coef": r6, "rule_frames": list(self.rule_frames),
                "rule_coef": [round(float(c), 6) for c in self.rule_coef],
                "neighbour_coef": [round(float(c), 6) for c in self.neighbour_coef], **self.extra}


def design(keys: pd.DataFrame, terms: pd.DataFrame, vocab: tuple[str, ...], hits: np.ndarray):
    """The sparse feature matrix (:data:`LAYOUT`) of the rows of ``keys`` (for fitting; needs scipy).

    Examples
    --------
    >>> k = pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1]})
    >>> t = pd.DataFrame({"doc_id": ["a"], "sentence_id": [1], "term": ["sue"]})
    >>> design(k, t, ("sue",), np.array([[1.0], [0.0]])).toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]
    """
    from scipy import sparse

    rows, cols = _pairs(keys, terms, vocab)
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keys), len(vocab)))
    return sparse.hstack([x, sparse.csr_matrix(hits), sparse.csr_matrix(neighbour_hits(hits, keys["doc_id"].to_numpy()))],
                         format="csr")


def fit(x, y: np.ndarray, *, frame: str, vocab: tuple[str, ...], rule_frames: tuple[str, ...], c: float = 1.0,
        threshold: float = 0.5, trained_on: str = "", seed: int = 20181010) -> LexicalModel:
    """Fit one frame's model on :func:`design` features (balanced class weights, L2, ``C = c``).

    Examples
    --------
    >>> k = pd.DataFrame({"doc_id": list("abcd"), "sentence_id": 0})
    >>> t = pd.DataFrame({"doc_id": ["a", "b"], "sentence_id": 0, "term": ["sue", "sue"]})
    >>> m = fit(design(k, t, ("sue",), np.zeros((4, 0))), np.array([1, 1, 0, 0]), frame="f", vocab=("sue",),
    ...         rule_frames=())
    >>> (m.probability(k, t, np.zeros((4, 0))) >= 0.5).astype(int).tolist()
    [1, 1, 0, 0]
    """
    from sklearn.linear_model import LogisticRegression

    if len(set(np.asarray(y).tolist())) < 2:
        raise LexiconError(f"frame {frame!r}: the training sentences have only one class; code some positives")
    lr = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=2000,
                            random_state=seed).fit(x, y)
    w, n, k = lr.coef_[0].astype(float), len(vocab), len(rule_frames)
    return LexicalModel(frame, tuple(vocab), w[:n], tuple(rule_frames), w[n:n + k], w[n + k:n + 2 * k],
                        float(lr.intercept_[0]), float(threshold), float(c), trained_on)


def _oof(x, y: np.ndarray, groups: np.ndarray, c: float, seed: int, n_splits: int) -> np.ndarray:
    """Out-of-fold probabilities, folds grouped by case; NaN where a fold has one class only."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    p = np.full(len(y), np.nan)
    k = min(n_splits, len(set(groups.tolist())))
    if k < 2:
        return p
    for tr, te in GroupKFold(n_splits=k).split(np.zeros(len(y)), groups=groups):
        if len(set(y[tr].tolist())) == 2:
            lr = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=2000,
                                    random_state=seed).fit(x[tr], y[tr])
            p[te] = lr.predict_proba(x[te])[:, 1]
    return p


def select(x, y: np.ndarray, groups: np.ndarray, seed: int = 20181010, grid: tuple[float, ...] = C_GRID,
           n_splits: int = 5) -> tuple[float, float]:
    """``(C, threshold)`` with the best case-grouped cross-validated F1 (ties: the smaller C).

    The threshold of each C is :func:`analysis.frame_classifier.choose_threshold` on its
    out-of-fold probabilities.
    """
    from analysis.frame_classifier import choose_threshold

    best, key = (grid[0], 0.5), -1.0
    for c in grid:
        p = _oof(x, y, groups, c, seed, n_splits)
        ok = ~np.isnan(p)
        if not ok.any() or not y[ok].sum():
            continue
        t = choose_threshold(y[ok], p[ok])
        pred = p[ok] >= t
        tp = int((pred & (y[ok] == 1)).sum())
        f = 2 * tp / (pred.sum() + y[ok].sum())
        if f > key + 1e-12:
            best, key = (float(c), float(t)), f
    return best


def train(x, y: np.ndarray, groups: np.ndarray, *, frame: str, vocab: tuple[str, ...],
          rule_frames: tuple[str, ...], trained_on: str = "", seed: int = 20181010) -> LexicalModel:
    """:func:`select` C and threshold on the training data, then :func:`fit` on all of it."""
    c, t = select(x, y, groups, seed)
    return fit(x, y, frame=frame, vocab=vocab, rule_frames=rule_frames, c=c, threshold=t, trained_on=trained_on,
               seed=seed)


def model_path(frame: str, folder: Path | None = None) -> Path:
    from analysis.frame_classifier import models_folder

    return (folder or models_folder()) / f"{frame}{SUFFIX}"


def save(model: LexicalModel, folder: Path | None = None) -> Path:
    """Write the model as JSON (numbers and lemma n-grams only) to ``models/<frame>.lexical.json``."""
    path = model_path(model.frame, folder)
    atomic_write_json(path, model.to_dict())
    return path


def read(path: str | Path) -> LexicalModel:
    """Read a model file written by :func:`save`; errors name the file (:class:`LexiconError`)."""
    path = Path(path)
    try:
        d = json.loads(path.read_text("utf-8"))
        vocab, coef = tuple(str(v) for v in d["vocabulary"]), np.asarray(d["coef"], dtype=float)
        rf = tuple(str(f) for f in d["rule_frames"])
        rc, nc = np.asarray(d["rule_coef"], dtype=float), np.asarray(d["neighbour_coef"], dtype=float)
        if d.get("kind") != "lexical" or coef.shape != (len(vocab),) or not rc.shape == nc.shape == (len(rf),):
            raise ValueError("kind is not 'lexical' or the weights do not match the vocabulary and rule_frames")
        extra = {k: d[k] for k in ("command", "training_sets") if k in d}
        return LexicalModel(str(d["frame"]), vocab, coef, rf, rc, nc, float(d["intercept"]),
                            float(d.get("threshold", 0.5)), float(d.get("c", 1.0)), str(d.get("trained_on", "")),
                            extra=extra)
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise LexiconError(f"{path}: not a lexical frame model ({exc}); re-train it "
                           "(benchmarks/train_frames.py --kinds lexical --save)") from None


def shipped_models(frame_ids, folder: Path | None = None) -> dict[str, LexicalModel]:
    """The shipped lexical models of these frames; a missing or broken file is left out with a warning."""
    out = {}
    for fid in frame_ids:
        path = model_path(fid, folder)
        if not path.is_file():
            warnings.warn(f"{path}: no lexical model for frame {fid!r}", ResultWarning, stacklevel=2)
            continue
        try:
            out[fid] = read(path)
        except LexiconError as exc:
            warnings.warn(str(exc), ResultWarning, stacklevel=2)
    return out


def sentence_keys(tokens: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, sentence_id`` of every sentence of the token table, in reading order."""
    doc, sent = tokens["doc_id"].to_numpy(), tokens["sent"].to_numpy()
    first = np.r_[True, (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])] if len(doc) else np.zeros(0, bool)
    return pd.DataFrame({"doc_id": doc[first], "sentence_id": sent[first].astype(int)})


def predict(models: dict[str, LexicalModel], tokens: pd.DataFrame, evidence: pd.DataFrame,
            frame_ids) -> pd.DataFrame:
    """``doc_id, sentence_id, frame, probability, label`` for every sentence of ``tokens`` and frame.

    ``evidence`` holds the rule evidence (:func:`analysis.framing.score`) of every model's ``rule_frames``.
    """
    keys, terms = sentence_keys(tokens), sentence_terms(tokens)
    parts = []
    for fid in frame_ids:
        m = models[fid]
        p = m.probability(keys, terms, rule_hits(evidence, keys, m.rule_frames))
        parts.append(keys.assign(frame=fid, probability=p, label=(p >= m.threshold).astype(int)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["doc_id", "sentence_id", "frame", "probability", "label"])
