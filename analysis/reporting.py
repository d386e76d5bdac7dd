"""Routine reporting attribution, measured on its own (not as the credibility-doubt frame).

News reports claims with routine distancing, "alleged", "claimed", "according
to", "X denied the allegations" (Bell 1991 on attribution in news; Bednarek
2006 on evidentiality). Such attribution is a reporting convention, not an
emphasis that questions the accuser (coding guide, issue 13), so it is a
separate measure: per document, sentences with attribution and their rate per
1,000 words, with evidence. The cues are a pattern file
(``analysis/lexicons/frames/patterns/attribution.json``, same format as the
frame patterns). Negation is not applied ("not alleged" is still attribution
talk).

Example
-------
>>> from analysis.reporting import attribution_frame
>>> attribution_frame().id
'attribution'
"""

from __future__ import annotations

import pandas as pd

from analysis import frame_patterns, framing
from analysis.corpus import Corpus

MEASURE = "attribution"


def attribution_frame() -> framing.Frame:
    """The measure as a frame with no lexicon entries of its own (all cues are rules)."""
    return framing.Frame(MEASURE, "Routine attribution", "Reporting with routine distancing.", terms=(),
                         source=f"{frame_patterns.BUILTIN_PREFIX}{MEASURE}.yaml")


def attribution(corpus: Corpus, tokens: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attribution per document and the evidence behind it (the shapes of :func:`analysis.framing.score`).

    Returns ``doc_id, frame ('attribution'), hits, rate_per_1k, n_words`` and the evidence table.

    Examples
    --------
    >>> doc_rates, evidence = attribution(corpus, toks)     # doctest: +SKIP
    """
    frame = attribution_frame()
    rules = frame_patterns.rules_for({MEASURE: frame})
    return framing.score(corpus, tokens, {MEASURE: frame}, rules=rules, negation=False)
