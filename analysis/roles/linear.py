"""A learned role without torch: logistic regression over the words around a marked mention.

The same job as the opt-in encoder of :mod:`analysis.roles.learned` (a role for the people the
role patterns leave as ``other``), for the default install: each mention sentence, with the
mention marked ``[[ Name ]]`` (:func:`analysis.roles.learned.marked_sentences`), becomes a bag of
features (:func:`features`): the lower-cased words within :data:`WINDOW` tokens left and right of
the mention, each with its side, the words next to it, and every word of the sentence; capitalised
words inside the sentence (other people's names, places, titles) become ``<cap>``, so that a
model trained on some cases does not learn their names. Two binary logistic regressions (victim,
accused; L2 penalty, Hosmer & Lemeshow 2000; fitted with scikit-learn, Pedregosa et al. 2011)
give the probabilities that :func:`analysis.roles.learned.fill_roles` averages over a person's
mentions. The fitted model is a vocabulary and two weight vectors in one ``.npz`` file (numbers
and words only), written by ``benchmarks/train_roles.py --linear --save``.

Example
-------
>>> features("Later [[ Ali Khan ]] accused the Director of assault.").split()[:6]
['l:later', 'r:accused', 'r:the', 'r:<cap>', 'r:of', 'r:assault']
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import LexiconError
from analysis.io import atomic_write

ROLES = ("victim", "accused")
#: Words each side of the mention that count as its context.
WINDOW = 5
#: Inverse L2 strength of both regressions (fixed before the round-9 check, not tuned on it).
C = 1.0

_WORD = re.compile(r"\[\[|\]\]|[A-Za-z][A-Za-z'\-]*|\d+|[^\sA-Za-z\d]")


def model_path() -> Path:
    """Where the shipped model lives: ``analysis/lexicons/roles/roles.linear.npz``."""
    return Path(str(resources.files("analysis.lexicons").joinpath("roles"))) / "roles.linear.npz"


def _words(text: str) -> list[str]:
    out = []
    for k, w in enumerate(_WORD.findall(text)):
        if w in ("[[", "]]"):
            out.append(w)
        elif w[0].isalpha():
            out.append("<cap>" if w[0].isupper() and k > 0 and w != "I" else w.lower())
    return out


def features(marked: str) -> str:
    """The feature words of one marked mention sentence, space-separated (see the module text).

    A sentence without a marked mention gives only its sentence words.

    Examples
    --------
    >>> features("She said [[ Raj ]] harassed her")
    'l:she l:said r:harassed r:her r1:harassed l1:said s:she s:said s:harassed s:her'
    """
    words = _words(marked)
    try:
        start, end = words.index("[["), words.index("]]")
    except ValueError:
        start = end = -1
    inside = set(range(start, end + 1)) if start >= 0 else set()
    sentence = [w for k, w in enumerate(words) if k not in inside and w not in ("[[", "]]")]
    out: list[str] = []
    if start >= 0:
        left, right = words[max(0, start - WINDOW):start], words[end + 1:end + 1 + WINDOW]
        out += [f"l:{w}" for w in left] + [f"r:{w}" for w in right]
        out += [f"r1:{right[0]}"] if right else ["r1:<end>"]
        out += [f"l1:{left[-1]}"] if left else ["l1:<start>"]
    out += [f"s:{w}" for w in sentence]
    return " ".join(out)


@dataclass(frozen=True)
class LinearRoles:
    """A fitted linear role model: ``probabilities`` of victim and accused per marked sentence."""

    vocabulary: tuple[str, ...]
    coef: np.ndarray  # (2, len(vocabulary))
    intercept: np.ndarray  # (2,)
    frames: tuple[str, ...] = ROLES
    trained_on: str = ""

    def _matrix(self, texts: list[str]):
        from sklearn.feature_extraction.text import CountVectorizer

        vec = CountVectorizer(vocabulary=list(self.vocabulary), binary=True, lowercase=False,
                              token_pattern=r"\S+")
        return vec.transform([features(t) for t in texts])

    def probabilities(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """``(len(texts), 2)`` probabilities (victim, accused); ``progress`` is accepted for the
        encoder's interface (this model needs no progress bar: a few thousand sentences a second)."""
        if not texts:
            return np.zeros((0, len(self.frames)))
        z = self._matrix(texts) @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(z)))

    def digest(self) -> str:
        """SHA-256 of the model's numbers and words (keys caches of the roles stage)."""
        h = hashlib.sha256("\n".join(self.vocabulary).encode("utf-8"))
        h.update(np.ascontiguousarray(self.coef, dtype=np.float64).tobytes())
        h.update(np.ascontiguousarray(self.intercept, dtype=np.float64).tobytes())
        return h.hexdigest()


def train(texts: list[str], labels: np.ndarray, *, c: float = C, trained_on: str = "") -> LinearRoles:
    """Fit the two regressions on marked sentences and their 0/1 ``labels`` (victim, accused).

    Examples
    --------
    >>> t = ["[[ A ]] accused B", "B harassed [[ A ]]", "[[ B ]] denied it", "[[ B ]] was accused"]
    >>> m = train(t * 5, np.array([[1, 0], [1, 0], [0, 1], [0, 1]] * 5))
    >>> bool(m.probabilities(["[[ C ]] denied it"])[0, 1] > 0.5)
    True
    """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = CountVectorizer(binary=True, lowercase=False, token_pattern=r"\S+", min_df=2)
    x = vec.fit_transform([features(t) for t in texts])
    labels = np.asarray(labels)
    coef, intercept = [], []
    for k in range(labels.shape[1]):
        y = labels[:, k]
        if y.min() == y.max():  # one class only: a constant model at its rate
            coef.append(np.zeros(x.shape[1]))
            intercept.append(10.0 if y.max() else -10.0)
            continue
        lr = LogisticRegression(C=c, max_iter=2000, solver="liblinear", random_state=0).fit(x, y)
        coef.append(lr.coef_[0])
        intercept.append(float(lr.intercept_[0]))
    return LinearRoles(tuple(vec.get_feature_names_out()), np.vstack(coef), np.asarray(intercept),
                       trained_on=trained_on)


def save(model: LinearRoles, path: str | Path) -> Path:
    """Write ``model`` as one ``.npz`` (feature words, weights, and its settings as JSON), atomically."""
    path = Path(path)
    meta = {"frames": list(model.frames), "trained_on": model.trained_on, "window": WINDOW}
    atomic_write(path, lambda tmp: np.savez_compressed(
        tmp, vocabulary=np.array(model.vocabulary, dtype=str), coef=model.coef, intercept=model.intercept,
        meta=np.array(json.dumps(meta))))
    return path


def load(path: str | Path) -> LinearRoles:
    """Read a model written by :func:`save`.

    Raises :class:`~analysis.errors.LexiconError` naming the file when it is unreadable or was
    written with another feature window (its weights would not fit these features).

    Examples
    --------
    >>> import tempfile
    >>> m = train(["[[ A ]] accused B", "[[ B ]] denied it"] * 3, np.array([[1, 0], [0, 1]] * 3))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     back = load(save(m, Path(d) / "m.npz"))
    >>> back.digest() == m.digest()
    True
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            model = LinearRoles(tuple(str(w) for w in data["vocabulary"]), data["coef"], data["intercept"],
                                tuple(meta["frames"]), meta.get("trained_on", ""))
    except (OSError, KeyError, ValueError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: not a readable linear role model ({exc}); rewrite it with "
                           "benchmarks/train_roles.py --linear --save") from exc
    if meta.get("window") != WINDOW or model.coef.shape != (len(model.frames), len(model.vocabulary)):
        raise LexiconError(f"{path}: written for other features (window {meta.get('window')}, this code "
                           f"{WINDOW}); rewrite it with benchmarks/train_roles.py --linear --save")
    return model


def shipped_model() -> LinearRoles:
    """The shipped model (:func:`model_path`), read once per file version."""
    path = model_path()
    if not path.is_file():
        raise LexiconError(f"{path}: the linear role model is missing (the package is incomplete; "
                           "rewrite it with benchmarks/train_roles.py --linear --save)")
    return _load_cached(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=2)
def _load_cached(path: str, _mtime: int) -> LinearRoles:
    return load(path)


def fill_roles(mentions: pd.DataFrame, tokens: pd.DataFrame, model: LinearRoles | None = None) -> pd.DataFrame:
    """``mentions`` with this model's role for every person the patterns leave as ``other``
    (:func:`analysis.roles.learned.fill_with`; changed rows get ``role_source = "linear"``).

    Examples
    --------
    >>> tok = pd.DataFrame({"doc_id": ["a"] * 4, "sent": [0] * 4, "i": [0, 1, 2, 3],
    ...                     "text": ["Ali", "denied", "it", "."], "ws": [" ", " ", "", ""]})
    >>> m = pd.DataFrame({"doc_id": ["a"], "sentence_id": [0], "token": [0], "text": ["Ali"],
    ...                   "person": ["Ali"], "role": ["other"], "role_source": ["none"]})
    >>> toy = train(["[[ A ]] accused B", "[[ B ]] denied it"] * 3, np.array([[1, 0], [0, 1]] * 3))
    >>> fill_roles(m, tok, toy)[["role", "role_source"]].values.tolist()
    [['accused', 'linear']]
    """
    from analysis.roles import learned

    return learned.fill_with(mentions, tokens, model if model is not None else shipped_model(), "linear")
