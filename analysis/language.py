"""Offline language identification of documents with py3langid.

py3langid is a maintained port of langid.py (Lui & Baldwin 2012): a naive
Bayes classifier over byte n-grams whose model ships inside the package, so
nothing is downloaded. Probabilities are normalised over the 97 languages
(``norm_probs=True``). A text without letters gets ``("und", 0.0)``
(undetermined) instead of a guess.

Example
-------
>>> identify("The actress said she had been harassed on the set for years.")[0]
'en'
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import pandas as pd

from analysis.errors import CorpusWarning, UsageError

UNDETERMINED = "und"
#: Default minimum probability of the expected language for a document to count as in it.
MIN_PROB = 0.5
#: Characters of a document that are classified (the start of a long text is enough).
MAX_CHARS = 5000


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float]:
    """Most likely language (ISO 639-1 code) and its probability.

    Examples
    --------
    >>> code, p = identify("Die Schauspielerin sagte, sie sei jahrelang belästigt worden.")
    >>> code, p > 0.9
    ('de', True)
    >>> identify("12 34 !!")
    ('und', 0.0)
    """
    text = (text or "")[:MAX_CHARS]
    if not any(ch.isalpha() for ch in text):
        return UNDETERMINED, 0.0
    code, prob = _identifier().classify(text)
    return str(code), float(prob)


def flag_languages(docs: pd.DataFrame, expected: str = "en", min_prob: float = MIN_PROB) -> pd.DataFrame:
    """Identify each document's language and flag those not in ``expected``.

    A document is in the expected language when the identifier's best guess
    is ``expected`` with probability at least ``min_prob``. A
    :class:`CorpusWarning` names how many documents are not, so they are
    never silently scored by English-only measures.

    Parameters
    ----------
    docs : DataFrame with ``doc_id`` and ``text``
    expected : str
        ISO 639-1 code.
    min_prob : float
        Minimum probability in [0, 1].

    Returns
    -------
    DataFrame
        ``doc_id, language, probability, is_expected``.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "text": ["She told the court what had happened to her."]})
    >>> flag_languages(d).is_expected.tolist()
    [True]
    """
    if "doc_id" not in docs.columns or "text" not in docs.columns:
        raise UsageError("flag_languages: the documents table needs 'doc_id' and 'text' columns")
    if not 0 <= min_prob <= 1:
        raise UsageError(f"flag_languages: min_prob must be in [0, 1], got {min_prob!r}")
    found = [identify(t if isinstance(t, str) else "") for t in docs["text"]]
    out = pd.DataFrame({
        "doc_id": docs["doc_id"].tolist(),
        "language": [c for c, _ in found],
        "probability": [p for _, p in found],
    })
    out["is_expected"] = (out["language"] == expected) & (out["probability"] >= min_prob)
    n_other = int((~out["is_expected"]).sum())
    if n_other:
        ids = ", ".join(out.loc[~out["is_expected"], "doc_id"].astype(str).head(5))
        warnings.warn(f"{n_other} document(s) not identified as {expected!r} with probability >= {min_prob} "
                      f"(e.g. {ids}); they are left out of {expected!r}-only measures", CorpusWarning,
                      stacklevel=2)
    return out
