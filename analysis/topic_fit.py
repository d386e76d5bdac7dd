"""LDA topic models with gensim: fitting and caching, data checks, and the term and model scores.

* :func:`fit` fits ``gensim.models.LdaModel`` (Blei, Ng & Jordan 2003) with a
  fixed ``random_state``, so the same seed gives the same topics; models are
  cached as one atomic folder each; the corpus is streamed in chunks
  (:func:`train`).
* :func:`sample_bag` is the seeded document sample K selection fits on when
  a corpus is large (:func:`analysis.topic_selection.select_k`).
* :func:`check_data` and :func:`supported_k` refuse data too small for a
  topic model, or a K the data cannot carry, with the numbers.
* :func:`frex` (Bischof & Airoldi 2012; Roberts et al. 2016),
  :func:`relevance` (Sievert & Shirley 2014), :func:`exclusivity` and
  :func:`coherence` (Röder, Both & Hinneburg 2015) score terms and models.

:mod:`analysis.topics` re-exports everything here; use it.

Example
-------
>>> fitted = fit(bow, k=10, seed=20181010)                 # doctest: +SKIP
>>> frex(fitted.phi).shape == fitted.phi.shape             # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

from analysis.bow_store import PackedCorpus, materialised
from analysis.config import DEFAULTS, PATHS
from analysis.errors import DataTooSmallError, ResultWarning
from analysis.io import atomic_folder, atomic_write_json, clean_stale_temporaries
from analysis.preprocess import BagOfWords


@dataclass
class Fitted:
    """A fitted topic model with its inputs.

    ``phi``: topics × terms probabilities; ``gamma``: documents × topics
    variational Dirichlet parameters; ``theta``: document-topic shares
    (``gamma`` normalised).
    """

    model: object
    bow: BagOfWords
    k: int
    seed: int
    phi: np.ndarray
    gamma: np.ndarray

    @property
    def theta(self) -> np.ndarray:
        return self.gamma / self.gamma.sum(axis=1, keepdims=True)

    @property
    def vocab(self) -> list[str]:
        d = self.bow.dictionary
        return [d[i] for i in range(len(d))]


#: Fewest documents with terms, and fewest distinct terms, a topic model is fitted on.
MIN_DOCS, MIN_TERMS = 6, 4


def n_with_terms(bow: BagOfWords) -> int:
    """Documents of ``bow`` with at least one term (read from the offsets of a packed corpus).

    Examples
    --------
    >>> n_with_terms(bow)                                     # doctest: +SKIP
    187
    """
    if isinstance(bow.corpus, PackedCorpus):
        return int(np.count_nonzero(np.diff(bow.corpus.offsets)))
    return sum(1 for d in bow.corpus if d)


def supported_k(bow: BagOfWords) -> int:
    """The largest K this bag of words supports: half its documents and half its terms.

    With more topics than half the documents, several topics have no document
    of their own and gensim's estimates degenerate (non-finite topic-term
    matrices); the rule is a documented working limit, not a theorem.

    Examples
    --------
    >>> supported_k(bow)                                      # doctest: +SKIP
    93
    """
    n_docs = n_with_terms(bow)
    return max(min(n_docs // 2, len(bow.dictionary) // 2), 0)


def check_data(bow: BagOfWords, k: int | None = None) -> None:
    """Raise :class:`~analysis.errors.DataTooSmallError` if ``bow`` cannot carry a K-topic model.

    Examples
    --------
    >>> check_data(bow, 50)                                   # doctest: +SKIP
    Traceback (most recent call last):
    DataTooSmallError: K=50 is more than 12 documents with terms support ...
    """
    n_docs, n_terms = n_with_terms(bow), len(bow.dictionary)
    excluded = len(getattr(bow, "excluded", {}) or {})
    if n_docs < MIN_DOCS or n_terms < MIN_TERMS:
        raise DataTooSmallError(
            f"too few documents or terms for a topic model: {n_docs} document(s) with terms "
            f"({excluded} left out as empty) and {n_terms} distinct term(s) after preprocessing; "
            f"a topic model needs at least {MIN_DOCS} documents and {MIN_TERMS} terms: add documents, "
            "or loosen the vocabulary pruning (BowParams(min_df=1))")
    top = supported_k(bow)
    if k is not None and not 2 <= k <= top:
        raise DataTooSmallError(
            f"K={k} is outside what this corpus supports ({n_docs} documents with terms and {n_terms} terms "
            f"allow K from 2 to {top}): use --k between 2 and {top}, or --k auto")


def _cache_path(bow: BagOfWords, k: int, seed: int, passes: int, iterations: int,
                docs: tuple[int, ...] | None, cache_dir: Path | None, chunk: int | None = None) -> Path:
    parts = [bow.key, k, seed, passes, iterations, docs] + ([["batch-chunks", chunk]] if chunk else [])
    key = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]
    base = cache_dir or PATHS.data_processed / "models"
    return base / f"lda-k{k}-s{seed}-{key}"


def _load_cached(path: Path, k: int, n_terms: int):
    """The cached model in folder ``path``, or None (a broken entry is removed with a warning)."""
    from gensim.models import LdaModel

    if not path.exists():
        return None
    try:
        if not (path / "done.json").is_file():
            raise ValueError("no done.json")
        model = LdaModel.load(str(path / "model.gensim"))
        if model.get_topics().shape != (k, n_terms):
            raise ValueError(f"topic-term matrix of shape {model.get_topics().shape}")
        return model
    except Exception as exc:  # noqa: BLE001 - any failure to read means the entry is broken
        warnings.warn(f"cached topic model {path} is broken ({type(exc).__name__}: {exc}); removed and "
                      "fitted again", ResultWarning, stacklevel=3)
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        return None


def train(bow: BagOfWords, k: int = DEFAULTS.k, seed: int = DEFAULTS.seed, *, passes: int = DEFAULTS.passes,
          iterations: int = DEFAULTS.iterations, subset: list[int] | None = None, cache: bool = True,
          cache_dir: Path | None = None, chunk_docs: int = DEFAULTS.lda_chunk_docs):
    """The gensim ``LdaModel`` of :func:`fit`, fitted or loaded from the cache, without inferring gamma.

    The bag of words is streamed: gensim reads ``chunk_docs`` documents at a
    time, so a Matrix Market corpus (``gensim.corpora.MmCorpus``) is never
    held whole. A corpus of at most ``chunk_docs`` documents is one chunk and
    one update per pass (batch variational Bayes, Blei, Ng & Jordan 2003;
    the fit of earlier versions, same cache entries). A larger corpus is fitted
    with ``update_every=0``: every pass reads all chunks with the same topics
    and updates them once at its end, still batch variational Bayes, not the
    online algorithm (Hoffman, Blei & Bach 2010); the one difference is that
    gensim's ``alpha="auto"`` step (Minka's fixed point) is taken per chunk.

    Examples
    --------
    >>> model = train(bow, 8, seed=1)                        # doctest: +SKIP
    >>> model.get_topics().shape == (8, len(bow.dictionary))  # doctest: +SKIP
    True
    """
    from gensim.models import LdaModel

    check_data(bow, k)
    docs = bow.corpus if subset is None else [bow.corpus[i] for i in subset]
    n_docs = len(docs)
    chunked = n_docs > chunk_docs
    path = _cache_path(bow, k, seed, passes, iterations, tuple(subset) if subset else None, cache_dir,
                       chunk_docs if chunked else None)
    if cache:
        clean_stale_temporaries(path.parent)
        model = _load_cached(path, k, len(bow.dictionary))
        if model is not None:
            return model
    model = LdaModel(corpus=docs, id2word=bow.dictionary, num_topics=k, random_state=seed,
                     passes=passes, iterations=iterations, alpha="auto", eta="auto", eval_every=None,
                     chunksize=max(min(n_docs, chunk_docs), 1), update_every=0 if chunked else 1)
    if not np.isfinite(model.get_topics()).all():
        raise DataTooSmallError(f"the K={k} topic model did not converge on {n_docs} documents and "
                                f"{len(bow.dictionary)} terms (non-finite topic-term probabilities): "
                                "use a smaller K or more documents")
    if cache:
        with atomic_folder(path) as tmp:
            model.save(str(tmp / "model.gensim"))
            atomic_write_json(tmp / "done.json", {"k": k, "seed": seed, "passes": passes,
                                                  "iterations": iterations, "bow": bow.key,
                                                  **({"chunk_docs": chunk_docs} if chunked else {})})
    return model


def fit(bow: BagOfWords, k: int = DEFAULTS.k, seed: int = DEFAULTS.seed, *, passes: int = DEFAULTS.passes,
        iterations: int = DEFAULTS.iterations, subset: list[int] | None = None, cache: bool = True,
        cache_dir: Path | None = None, chunk_docs: int = DEFAULTS.lda_chunk_docs) -> Fitted:
    """Fit (or load from cache) an LDA model; exactly reproducible for a given seed.

    The model is cached as one folder (``lda-k<K>-s<seed>-<key>/``) built
    under a temporary name and renamed into place in one step
    (:func:`analysis.io.atomic_folder`), so a killed save leaves no half
    entry; an entry that cannot be read is removed and refitted with a
    :class:`~analysis.errors.ResultWarning`. Fitting streams the corpus in
    chunks (see :func:`train`).

    Parameters
    ----------
    bow : BagOfWords
        From :func:`analysis.preprocess.bag_of_words`.
    k : int
        Number of topics (2 to :func:`supported_k`; else ``DataTooSmallError``).
    seed : int
        ``random_state`` for gensim.
    passes, iterations : int
        gensim training parameters.
    subset : list of int, optional
        Fit on these documents only (held-out evaluation).
    cache : bool
        Save and reuse the model under ``data/processed/models``.
    chunk_docs : int
        Documents gensim reads at a time (:func:`train`).

    Examples
    --------
    >>> a = fit(bow, 8, seed=1); b = fit(bow, 8, seed=1, cache=False)   # doctest: +SKIP
    >>> np.allclose(a.phi, b.phi)                                      # doctest: +SKIP
    True
    """
    model = train(bow, k, seed, passes=passes, iterations=iterations, subset=subset, cache=cache,
                  cache_dir=cache_dir, chunk_docs=chunk_docs)
    gamma, _ = model.inference(bow.corpus)
    return Fitted(model, bow, k, seed, model.get_topics(), np.asarray(gamma))


def sample_indices(n_docs: int, size: int, seed: int = DEFAULTS.seed) -> list[int]:
    """A seeded simple random sample of ``size`` of ``n_docs`` document indices, in corpus order.

    Drawn without replacement by ``numpy.random.default_rng((seed, 1)).choice``
    (stream 1 of the seed, so it is not the stream :func:`split` uses).

    Examples
    --------
    >>> sample_indices(10, 3, seed=1) == sample_indices(10, 3, seed=1)
    True
    >>> len(sample_indices(10, 3, seed=1)), sample_indices(3, 3)
    (3, [0, 1, 2])
    """
    if size >= n_docs:
        return list(range(n_docs))
    rng = np.random.default_rng((seed, 1))
    return sorted(rng.choice(n_docs, size=size, replace=False).tolist())


def sample_bag(bow: BagOfWords, size: int | None, seed: int = DEFAULTS.seed) -> BagOfWords:
    """The bag of words of a seeded random sample of ``size`` documents (``bow`` itself when it is no larger).

    Same dictionary; the sample's documents and texts are read in one pass
    over the (streamed) corpus, and its ``key`` names the sample, so its
    models are cached apart from the whole corpus's.

    Examples
    --------
    >>> sample_bag(bow, 3000, seed=1) is bow                 # doctest: +SKIP
    True
    """
    n_docs = len(bow.corpus)
    if size is None or n_docs <= size:
        return bow
    if size < MIN_DOCS:
        raise DataTooSmallError(f"a sample of {size} documents is too small for a topic model (at least "
                                f"{MIN_DOCS}); raise the sample size (DEFAULTS.select_sample_docs)")
    idx = sample_indices(n_docs, size, seed)
    corpus, texts = [bow.corpus[i] for i in idx], [bow.texts[i] for i in idx]     # decoded: the sample only
    return replace(bow, doc_ids=[bow.doc_ids[i] for i in idx], texts=texts, corpus=corpus,
                   key=f"{bow.key}:sample-{size}-of-{n_docs}-seed-{seed}")


# --------------------------------------------------------------------------- term scores


def frex(phi: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX score per topic and term (Bischof & Airoldi 2012; Roberts et al. 2016).

    The weighted harmonic mean of a term's within-topic frequency rank (ECDF
    of phi within the topic) and its exclusivity rank (ECDF of
    phi / sum over topics):
    ``FREX = 1 / (w / ECDF(excl) + (1 - w) / ECDF(freq))``.

    Examples
    --------
    >>> phi = np.array([[0.5, 0.3, 0.2], [0.1, 0.3, 0.6]])
    >>> frex(phi).round(3).tolist()
    [[1.0, 0.5, 0.333], [0.333, 0.5, 1.0]]
    """
    excl = phi / phi.sum(axis=0, keepdims=True)
    n = phi.shape[1]
    ecdf_excl = np.vstack([rankdata(row, method="max") / n for row in excl])
    ecdf_freq = np.vstack([rankdata(row, method="max") / n for row in phi])
    return 1.0 / (weight / ecdf_excl + (1 - weight) / ecdf_freq)


def relevance(phi: np.ndarray, term_share: np.ndarray, lam: float = DEFAULTS.relevance_lambda) -> np.ndarray:
    """Relevance of each term to each topic (Sievert & Shirley 2014).

    ``r = lam * log(phi) + (1 - lam) * log(phi / p_w)`` with ``p_w`` the
    term's share of all tokens.

    Examples
    --------
    >>> phi = np.array([[0.5, 0.5], [0.9, 0.1]]); p = np.array([0.7, 0.3])
    >>> relevance(phi, p, 0.6).round(4).tolist()
    [[-0.5505, -0.0769], [-0.0953, -1.3109]]
    """
    with np.errstate(divide="ignore"):
        return lam * np.log(phi) + (1 - lam) * np.log(phi / term_share[None, :])


def term_shares(bow: BagOfWords) -> np.ndarray:
    """Each term's share of all tokens in the bag-of-words corpus."""
    if isinstance(bow.corpus, PackedCorpus):     # the same sums of whole numbers, without decoding documents
        counts = np.bincount(bow.corpus.ids, weights=bow.corpus.counts, minlength=len(bow.dictionary))
        return counts / counts.sum()
    counts = np.zeros(len(bow.dictionary))
    for doc in bow.corpus:
        for term, n in doc:
            counts[term] += n
    return counts / counts.sum()


def exclusivity(phi: np.ndarray, n_terms: int = 10, weight: float = 0.7) -> np.ndarray:
    """Per-topic exclusivity: sum of FREX over the topic's top terms (Roberts et al. 2016).

    Examples
    --------
    >>> phi = np.array([[0.5, 0.3, 0.2], [0.1, 0.3, 0.6]])
    >>> exclusivity(phi, n_terms=1).round(2).tolist()
    [1.0, 1.0]
    """
    scores = frex(phi, weight)
    top = np.argsort(-phi, axis=1)[:, :n_terms]
    return np.take_along_axis(scores, top, axis=1).sum(axis=1)


# --------------------------------------------------------------------------- model scores


def coherence(fitted: Fitted, measures=("c_v", "c_npmi", "u_mass"), topn: int = 10) -> dict[str, float]:
    """Mean topic coherence (Röder et al. 2015) for each measure, via gensim."""
    from gensim.models.coherencemodel import CoherenceModel

    out = {}
    texts, corpus = materialised(fitted.bow.texts), materialised(fitted.bow.corpus)
    for m in measures:
        cm = CoherenceModel(model=fitted.model, texts=texts, corpus=corpus,
                            dictionary=fitted.bow.dictionary, coherence=m, topn=topn, processes=1)
        out[m] = float(cm.get_coherence())
    return out


def split(n_docs: int, heldout_share: float = 0.2, seed: int = DEFAULTS.seed) -> tuple[list[int], list[int]]:
    """Deterministic train/held-out split of document indices.

    Examples
    --------
    >>> train, test = split(10, 0.2, seed=1)
    >>> len(train), len(test), sorted(train + test) == list(range(10))
    (8, 2, True)
    """
    rng = np.random.default_rng(seed)
    order = rng.permutation(n_docs)
    n_test = max(1, int(round(n_docs * heldout_share)))
    return sorted(order[n_test:].tolist()), sorted(order[:n_test].tolist())
