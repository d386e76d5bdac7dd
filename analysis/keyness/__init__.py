"""Keyness, collocations and concordance (KWIC) over a token table.

Every function takes the token table of :func:`analysis.preprocess.tokens`
(one row per token, punctuation and stopwords included: ``doc_id, sent, i,
text, ws, lemma, pos, is_stop, is_alpha``) and, where groups or metadata are
involved, the documents table ``corpus.docs``; every function returns a new
DataFrame (or a string) and changes nothing it is given.

One job per module:

* :mod:`~analysis.keyness.statistics`: :func:`keyness` and
  :func:`term_counts`, with the log-odds ratio with informative Dirichlet
  prior (Monroe, Colaresi & Quinn 2008), Dunning's G2 (Dunning 1993) and
  Hardie's Log Ratio (Hardie 2014);
* :mod:`~analysis.keyness.collocation`: :func:`collocations` with logDice
  (Rychly 2008), PMI (Church & Hanks 1990), t-score and G2 (Evert 2008);
* :mod:`~analysis.keyness.concordance`: :func:`kwic`, search modes,
  metadata filters and sorting;
* :mod:`~analysis.keyness.render`: :func:`kwic_html` and
  :func:`format_kwic`;
* :mod:`~analysis.keyness.tokens`: the shared token-table encoding and
  filter; :mod:`~analysis.keyness.example`: token tables without spaCy.

Choosing documents by metadata (:func:`~analysis.selection.select_docs`)
lives in :mod:`analysis.selection`; the ``keyness`` and ``kwic`` commands in
:mod:`analysis.cli.text_cmds`.

Example
-------
>>> from analysis import keyness
>>> tokens, docs = keyness.example_data()
>>> keyness.keyness(tokens, docs, by="region", a="hollywood", min_count=3)["term"].tolist()
['victim', 'court']
"""

from __future__ import annotations

from analysis.keyness.collocation import COLLOCATION_COLUMNS, collocations
from analysis.keyness.concordance import KWIC_COLUMNS, KWIC_MODES, Mode, Sort, kwic
from analysis.keyness.example import example_data, regex_tokens
from analysis.keyness.render import format_kwic, kwic_html
from analysis.keyness.statistics import (
    KEYNESS_COLUMNS,
    keyness,
    log_likelihood_g2,
    log_odds_dirichlet,
    log_ratio,
    term_counts,
)
from analysis.selection import select_docs

__all__ = [
    "COLLOCATION_COLUMNS", "KEYNESS_COLUMNS", "KWIC_COLUMNS", "KWIC_MODES", "Mode", "Sort",
    "collocations", "example_data", "format_kwic", "keyness", "kwic", "kwic_html",
    "log_likelihood_g2", "log_odds_dirichlet", "log_ratio", "regex_tokens", "select_docs",
    "term_counts",
]
