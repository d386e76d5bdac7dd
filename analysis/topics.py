"""LDA topic models with gensim: fitting, model selection, stability, labels, pyLDAvis.

* :func:`fit` fits ``gensim.models.LdaModel`` (Blei, Ng & Jordan 2003) with a
  fixed ``random_state``, so the same seed gives the same topics.
* :func:`select_k` fits every K of a grid and reports coherence (c_v,
  c_npmi, u_mass; Röder, Both & Hinneburg 2015), FREX-based exclusivity
  (Roberts, Stewart & Airoldi 2016), held-out perplexity and stability
  across seeds, and chooses K by near-best coherence and stability
  (:mod:`analysis.topic_selection`).
* :func:`stability` fits several seeds and aligns topics with the Hungarian
  algorithm on Jensen-Shannon distance (as in Greene, O'Callaghan & Cunningham
  2014, who align by top terms).
* Above ``DEFAULTS.select_sample_docs`` documents, K selection and the
  comparison seeds of :func:`stability` are fitted on a seeded random sample
  of documents (:func:`sample_bag`); the chosen K is fitted on all.
* Fitting, caching and the term scores live in :mod:`analysis.topic_fit`;
  this module re-exports them, so ``topics.fit`` and ``topics.frex`` work.
* :func:`label` gives top terms by probability, FREX (Bischof & Airoldi 2012)
  and relevance (Sievert & Shirley 2014, lambda = 0.6).
* :func:`ldavis_html` exports pyLDAvis as one self-contained HTML file.

Example
-------
>>> fitted = fit(bow, k=10, seed=20181010)                 # doctest: +SKIP
>>> label(fitted).head()                                   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import DEFAULTS
from analysis.topic_fit import (  # noqa: F401 - re-exported: topics.fit, topics.frex, ...
    MIN_DOCS,
    MIN_TERMS,
    Fitted,
    check_data,
    coherence,
    exclusivity,
    fit,
    frex,
    relevance,
    sample_bag,
    sample_indices,
    split,
    supported_k,
    term_shares,
    train,
)
from analysis.topic_selection import choose_k, match_topics, select_k, stability  # noqa: F401 - re-exported


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


def topic_labels(fitted: Fitted, n: int = 3, by: str = "frex", lam: float = DEFAULTS.relevance_lambda
                 ) -> dict[int, list[str]]:
    """The default label of each topic: its top ``n`` terms by FREX (or ``by="relevance"``).

    FREX (Bischof & Airoldi 2012) and relevance (Sievert & Shirley 2014)
    down-weight corpus-wide words, so "president" or "say" do not name
    several topics. The first term of a label is unique: topics are taken in
    order of their best score, and each gets its best term not already
    leading another topic's label.

    Examples
    --------
    >>> labels = topic_labels(fitted)                         # doctest: +SKIP
    >>> len({terms[0] for terms in labels.values()}) == fitted.k   # doctest: +SKIP
    True
    """
    if by not in {"frex", "relevance"}:
        raise ValueError(f"by must be 'frex' or 'relevance', not {by!r}")
    scores = frex(fitted.phi) if by == "frex" else relevance(fitted.phi, term_shares(fitted.bow), lam)
    vocab = fitted.vocab
    order = np.argsort(-scores, axis=1, kind="stable")
    leads: set[int] = set()
    labels: dict[int, list[str]] = {}
    for t in sorted(range(fitted.k), key=lambda t: (-scores[t, order[t, 0]], t)):
        first = next((w for w in order[t] if w not in leads), order[t, 0])
        leads.add(int(first))
        rest = [w for w in order[t] if w != first][: n - 1]
        labels[t + 1] = [vocab[w] for w in [first, *rest]]
    return dict(sorted(labels.items()))


def topic_names(fitted: Fitted, n: int = 3) -> dict[int, str]:
    """Short names for topics: ``"T3 court·complaint·hearing"`` from :func:`topic_labels`."""
    return {t: f"T{t} " + "·".join(terms) for t, terms in topic_labels(fitted, n).items()}


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
