"""LDA topic models with gensim: fitting, model selection, stability, labels, pyLDAvis.

* :func:`fit` fits ``gensim.models.LdaModel`` (Blei, Ng & Jordan 2003) with a
  fixed ``random_state``, so the same seed gives the same topics.
* :func:`select_k` fits one model per K on a training split and reports
  coherence (c_v, c_npmi, u_mass; Röder, Both & Hinneburg 2015), FREX-based
  exclusivity (Roberts, Stewart & Airoldi 2016) and held-out perplexity, and
  recommends a K with its reason.
* :func:`stability` fits several seeds and aligns topics with the Hungarian
  algorithm on Jensen-Shannon distance (as in Greene, O'Callaghan & Cunningham
  2014, who align by top terms).
* :func:`label` gives top terms by probability, FREX (Bischof & Airoldi 2012)
  and relevance (Sievert & Shirley 2014, lambda = 0.6).
* :func:`ldavis_html` exports pyLDAvis as one self-contained HTML file.

Example
-------
>>> fitted = fit(bow, k=10, seed=20181010)                 # doctest: +SKIP
>>> label(fitted).head()                                   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import jensenshannon
from scipy.stats import rankdata
from tqdm.auto import tqdm

from analysis.config import DEFAULTS, PATHS
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


def _cache_path(bow: BagOfWords, k: int, seed: int, passes: int, iterations: int,
                docs: tuple[int, ...] | None, cache_dir: Path | None) -> Path:
    key = hashlib.sha256(json.dumps([bow.key, k, seed, passes, iterations, docs]).encode()).hexdigest()[:16]
    base = cache_dir or PATHS.data_processed / "models"
    return base / f"lda-k{k}-s{seed}-{key}.gensim"


def fit(bow: BagOfWords, k: int = DEFAULTS.k, seed: int = DEFAULTS.seed, *, passes: int = DEFAULTS.passes,
        iterations: int = DEFAULTS.iterations, subset: list[int] | None = None, cache: bool = True,
        cache_dir: Path | None = None) -> Fitted:
    """Fit (or load from cache) an LDA model; exactly reproducible for a given seed.

    Parameters
    ----------
    bow : BagOfWords
        From :func:`analysis.preprocess.bag_of_words`.
    k : int
        Number of topics.
    seed : int
        ``random_state`` for gensim.
    passes, iterations : int
        gensim training parameters.
    subset : list of int, optional
        Fit on these documents only (held-out evaluation).
    cache : bool
        Save and reuse the model under ``data/processed/<corpus>/models``.

    Examples
    --------
    >>> a = fit(bow, 8, seed=1); b = fit(bow, 8, seed=1, cache=False)   # doctest: +SKIP
    >>> np.allclose(a.phi, b.phi)                                      # doctest: +SKIP
    True
    """
    from gensim.models import LdaModel

    docs = bow.corpus if subset is None else [bow.corpus[i] for i in subset]
    path = _cache_path(bow, k, seed, passes, iterations, tuple(subset) if subset else None, cache_dir)
    model = None
    if cache and path.is_file():
        model = LdaModel.load(str(path))
    if model is None:
        model = LdaModel(corpus=docs, id2word=bow.dictionary, num_topics=k, random_state=seed,
                         passes=passes, iterations=iterations, alpha="auto", eta="auto",
                         eval_every=None, chunksize=max(len(docs), 1))
        if cache:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            model.save(str(tmp))
            for extra in tmp.parent.glob(f"{tmp.name}*"):
                extra.replace(path.parent / extra.name.replace(f".{path.name}.tmp", path.name))
    gamma, _ = model.inference(bow.corpus)
    return Fitted(model, bow, k, seed, model.get_topics(), np.asarray(gamma))


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


def label(fitted: Fitted, n_terms: int = 10, lam: float = DEFAULTS.relevance_lambda) -> pd.DataFrame:
    """Top terms per topic by probability, FREX and relevance (the topic_terms.csv table).

    Returns
    -------
    pandas.DataFrame
        ``topic, rank, term, prob, frex, relevance`` for the top ``n_terms``
        by probability, plus ``term_frex`` and ``term_relevance``: the terms
        ranked by those scores at the same rank.
    """
    phi, vocab = fitted.phi, np.array(fitted.vocab)
    fx, rel = frex(phi), relevance(phi, term_shares(fitted.bow), lam)
    rows = []
    for t in range(fitted.k):
        by_prob, by_frex, by_rel = (np.argsort(-s[t], kind="stable")[:n_terms] for s in (phi, fx, rel))
        for r in range(min(n_terms, len(vocab))):
            w = by_prob[r]
            rows.append({"topic": t + 1, "rank": r + 1, "term": vocab[w], "prob": phi[t, w],
                         "frex": fx[t, w], "relevance": rel[t, w],
                         "term_frex": vocab[by_frex[r]], "term_relevance": vocab[by_rel[r]]})
    return pd.DataFrame(rows)


def topic_names(fitted: Fitted, n: int = 3) -> dict[int, str]:
    """Short names for topics: ``"T3 court·complaint·hearing"`` from the top FREX terms."""
    terms = label(fitted, n_terms=n)
    return {t: f"T{t} " + "·".join(g["term_frex"]) for t, g in terms.groupby("topic")}


def doc_topics(fitted: Fitted) -> pd.DataFrame:
    """Long table of document-topic shares (doc_topics.csv: doc_id, topic, share)."""
    theta = fitted.theta
    return pd.DataFrame({
        "doc_id": np.repeat(fitted.bow.doc_ids, fitted.k),
        "topic": np.tile(np.arange(1, fitted.k + 1), len(fitted.bow.doc_ids)),
        "share": theta.ravel(),
    })


def representative_docs(fitted: Fitted, docs: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` documents with the highest share of each topic, with title and region."""
    share = doc_topics(fitted)
    top = share.sort_values(["topic", "share", "doc_id"], ascending=[True, False, True]).groupby("topic").head(n)
    keep = [c for c in ("doc_id", "region", "title", "date") if c in docs.columns]
    return top.merge(docs[keep], on="doc_id", how="left").reset_index(drop=True)


# --------------------------------------------------------------------------- selection


def coherence(fitted: Fitted, measures=("c_v", "c_npmi", "u_mass"), topn: int = 10) -> dict[str, float]:
    """Mean topic coherence (Röder et al. 2015) for each measure, via gensim."""
    from gensim.models.coherencemodel import CoherenceModel

    out = {}
    for m in measures:
        cm = CoherenceModel(model=fitted.model, texts=fitted.bow.texts, corpus=fitted.bow.corpus,
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


def select_k(bow: BagOfWords, k_grid=DEFAULTS.k_grid, seed: int = DEFAULTS.seed, *,
             heldout_share: float = 0.2, passes: int = DEFAULTS.passes, progress: bool = True,
             cache_dir: Path | None = None) -> tuple[pd.DataFrame, int, str]:
    """Fit one model per K and report coherence, exclusivity and held-out perplexity.

    Each K is fitted on the same training split (``heldout_share`` of the
    documents held out, fixed by ``seed``). Perplexity is
    ``2 ** -bound`` with gensim's per-word variational bound on the held-out
    documents. The recommended K maximises the sum of the z-scores of c_v,
    c_npmi and exclusivity (the semantic-coherence/exclusivity trade-off of
    Roberts et al. 2014), ties going to the smaller K.

    Returns
    -------
    table, k, reason
    """
    train, test = split(len(bow.corpus), heldout_share, seed)
    rows = []
    for k in tqdm(list(k_grid), desc="model selection", unit="K", file=sys.stderr, disable=not progress):
        fitted = fit(bow, k, seed, passes=passes, subset=train, cache_dir=cache_dir)
        scores = coherence(fitted)
        bound = fitted.model.log_perplexity([bow.corpus[i] for i in test])
        rows.append({"k": k, **scores, "exclusivity": float(exclusivity(fitted.phi).mean()),
                     "heldout_perplexity": float(2 ** (-bound))})
    table = pd.DataFrame(rows)
    z = lambda s: (s - s.mean()) / s.std(ddof=0) if s.std(ddof=0) > 0 else s * 0  # noqa: E731
    table["score"] = z(table["c_v"]) + z(table["c_npmi"]) + z(table["exclusivity"])
    best = table.sort_values(["score", "k"], ascending=[False, True]).iloc[0]
    k = int(best["k"])
    reason = (f"K={k} has the best combined z-score of c_v ({best['c_v']:.3f}), c_npmi "
              f"({best['c_npmi']:.3f}) and exclusivity ({best['exclusivity']:.2f}) over K in "
              f"{list(k_grid)}; held-out perplexity there is {best['heldout_perplexity']:.0f}")
    return table, k, reason


def stability(bow: BagOfWords, k: int, seeds: list[int] | None = None, *, threshold: float = 0.5,
              passes: int = DEFAULTS.passes, progress: bool = True,
              cache_dir: Path | None = None) -> pd.DataFrame:
    """How reproducible each topic is across seeds.

    The first seed's model is the reference; every other run's topics are
    matched to it by the Hungarian algorithm (Kuhn 1955) on Jensen-Shannon
    distance between topic-term distributions. A topic's stability is the
    mean of ``1 - JSD`` (base 2, so 0 to 1) over runs; ``top_terms_jaccard``
    is the mean Jaccard overlap of the top-10 terms. Topics with stability
    below ``threshold`` are flagged unstable.

    Returns
    -------
    pandas.DataFrame
        ``topic, stability, top_terms_jaccard, min_similarity, unstable``
    """
    seeds = seeds or [DEFAULTS.seed + i for i in range(DEFAULTS.stability_seeds)]
    fits = [fit(bow, k, s, passes=passes, cache_dir=cache_dir)
            for s in tqdm(seeds, desc="stability", unit="seed", file=sys.stderr, disable=not progress)]
    ref = fits[0].phi
    sims = np.zeros((len(fits) - 1, k))
    jacc = np.zeros((len(fits) - 1, k))
    ref_top = [set(np.argsort(-row)[:10]) for row in ref]
    for r, other in enumerate(fits[1:]):
        cost = np.array([[jensenshannon(a, b, base=2) for b in other.phi] for a in ref])
        rows, cols = linear_sum_assignment(cost)
        for t, o in zip(rows, cols, strict=True):
            sims[r, t] = 1 - cost[t, o]
            top = set(np.argsort(-other.phi[o])[:10])
            jacc[r, t] = len(ref_top[t] & top) / len(ref_top[t] | top)
    out = pd.DataFrame({"topic": np.arange(1, k + 1), "stability": sims.mean(axis=0),
                        "top_terms_jaccard": jacc.mean(axis=0), "min_similarity": sims.min(axis=0)})
    out["unstable"] = out["stability"] < threshold
    return out


# --------------------------------------------------------------------------- pyLDAvis


def ldavis_prepared(fitted: Fitted):
    """pyLDAvis ``PreparedData`` for a fitted model (topic order kept as in the model)."""
    import pyLDAvis

    lengths = np.array([sum(n for _, n in d) for d in fitted.bow.corpus])
    keep = lengths > 0
    theta = fitted.theta[keep]
    return pyLDAvis.prepare(topic_term_dists=fitted.phi, doc_topic_dists=theta,
                            doc_lengths=lengths[keep], vocab=fitted.vocab,
                            term_frequency=term_shares(fitted.bow) * lengths.sum(),
                            sort_topics=False, start_index=1, n_jobs=1, mds="pcoa")


def ldavis_html(fitted: Fitted, visid: str = "ldavis") -> str:
    """One self-contained HTML page of the pyLDAvis view: scripts and styles inlined.

    pyLDAvis's own HTML loads d3 and LDAvis from a CDN and shows nothing
    offline; here the JavaScript and CSS files shipped inside the pyLDAvis
    package are inlined instead, so the page needs no network.
    """
    import pyLDAvis.urls as urls

    data = ldavis_prepared(fitted).to_json()
    d3 = Path(urls.D3_LOCAL).read_text(encoding="utf-8")
    ldavis = Path(urls.LDAVIS_LOCAL).read_text(encoding="utf-8")
    css = Path(urls.LDAVIS_CSS_LOCAL).read_text(encoding="utf-8")
    safe = lambda s: s.replace("</script", "<\\/script")  # noqa: E731
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Topic model (K={fitted.k}, seed={fitted.seed})</title>\n<style>{css}</style>\n"
        f"<script>{safe(d3)}</script>\n<script>{safe(ldavis)}</script>\n</head>\n<body>\n"
        f"<div id=\"{visid}\" style=\"background-color:white;\"></div>\n"
        f"<script>new LDAvis(\"#{visid}\", {safe(data)});</script>\n</body></html>\n"
    )
