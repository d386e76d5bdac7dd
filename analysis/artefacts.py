"""Source artefacts in a news vocabulary: outlet names, calendar words, bylines, outlet- and case-bound terms.

Topic prevalence is compared across groups of outlets, so a term that
belongs to a source rather than to a story (the outlet's own name, the
weekday of a dateline, a reporter's name, a word one outlet's template uses)
becomes a fake group difference. :func:`artefact_rules` marks such tokens by
rule, each rule a parameter of :class:`ArtefactParams` (part of
:class:`analysis.preprocess.BowParams`), and reports what each removed.
Concentration is tested with a one-sided binomial test against the group's
share of documents (as keyness tests compare a word's rate with its
expected rate; Dunning 1993).

Example
-------
>>> import pandas as pd
>>> tok = pd.DataFrame({"doc_id": ["a", "a"], "sent": [0, 0], "i": [0, 1], "text": ["Tuesday", "court"],
...                     "lemma": ["tuesday", "court"], "ent": ["DATE", ""]})
>>> artefact_rules(tok, pd.DataFrame({"doc_id": ["a"]}))[0].tolist()
['calendar_names', '']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Weekday and month names with their usual abbreviations (the calendar rule).
CALENDAR: frozenset[str] = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
#: Metadata columns whose values are bylines (the author rule).
AUTHOR_COLUMNS: tuple[str, ...] = ("author", "authors", "byline")


@dataclass(frozen=True)
class ArtefactParams:
    """Settings of the artefact rules (see :func:`artefact_rules`).

    ``drop_outlet_names``, ``drop_calendar``, ``drop_author_names`` switch
    those rules; ``outlet_concentration`` and ``case_concentration`` are the
    share of a term's documents that one outlet or case must reach (0 turns
    the rule off); ``concentration_min_docs`` and ``concentration_alpha``
    set the binomial test.
    """

    drop_outlet_names: bool = True
    drop_calendar: bool = True
    drop_author_names: bool = True
    outlet_concentration: float = 0.9
    case_concentration: float = 0.9
    concentration_min_docs: int = 3
    concentration_alpha: float = 0.001


def _words(values: Iterable[object]) -> set[str]:
    out: set[str] = set()
    for value in values:
        if isinstance(value, str):
            out |= set(re.findall(r"[^\W\d_]{2,}", value.lower()))
    return out


def _names(values: Iterable[object]) -> set[tuple[str, ...]]:
    """Outlet names as lower-case token sequences, a leading "the" dropped."""
    out = set()
    for value in values:
        seq = re.findall(r"[^\W_]+|[^\w\s]", value.lower()) if isinstance(value, str) else []
        seq = seq[1:] if seq[:1] == ["the"] else seq
        if seq:
            out.add(tuple(seq))
    return out


def _sequence_mask(tok: pd.DataFrame, names: set[tuple[str, ...]]) -> pd.Series:
    """Tokens inside an occurrence of one of ``names`` whose first token is capitalised.

    ``tok`` must be in document order (as the token table is).
    """
    low, doc = tok["text"].str.lower().to_numpy(), tok["doc_id"].to_numpy()
    cap = tok["text"].str[:1].str.isupper().to_numpy()
    mask = np.zeros(len(tok), dtype=bool)
    for seq in names:
        n = len(tok) - len(seq) + 1
        if n <= 0:
            continue
        hit = cap[:n].copy()
        for j, word in enumerate(seq):
            hit &= (low[j:j + n] == word) & (doc[j:j + n] == doc[:n])
        for j in range(len(seq)):
            mask[np.flatnonzero(hit) + j] = True
    return pd.Series(mask, index=tok.index)


def _domain_names(urls: Iterable[object]) -> set[str]:
    """The registrable label of each URL's host (``www.aljazeera.com`` -> ``aljazeera``).

    Examples
    --------
    >>> sorted(_domain_names(["https://www.rte.ie/news/x", "http://news.bbc.co.uk/a", "x"]))
    ['bbc', 'rte']
    """
    from urllib.parse import urlparse

    names = set()
    for url in urls:
        host = urlparse(url).hostname if isinstance(url, str) and "//" in url else None
        labels = [lab for lab in (host or "").lower().split(".") if lab and not lab.startswith("www")][:-1]
        if len(labels) >= 2 and labels[-1] in {"co", "com", "org", "net", "ac", "gov"}:
            labels = labels[:-1]
        if labels and len(labels[-1]) >= 3:
            names.add(labels[-1])
    return names


def _concentrated(kept: pd.DataFrame, group: pd.Series, share: float, min_docs: int, alpha: float) -> set[str]:
    """Lemmas whose documents come from one group far beyond that group's share of documents.

    A lemma in ``n >= min_docs`` documents, ``x`` of them in its most frequent
    group ``g``, is concentrated when ``x / n >= share`` and the one-sided
    binomial tail ``P(X >= x | n, p_g) < alpha``, with ``p_g`` the group's
    share of all documents (so a large outlet does not make its everyday
    words look concentrated).
    """
    from scipy.stats import binom

    group = group.dropna().astype(str)
    if share <= 0 or group.nunique() < 2 or kept.empty:
        return set()
    p_group = group.value_counts(normalize=True)
    pairs = kept[["doc_id", "lemma"]].drop_duplicates().assign(g=lambda f: f["doc_id"].map(group)).dropna()
    counts = pairs.groupby(["lemma", "g"]).size().rename("x").reset_index()
    top = counts.assign(n=counts.groupby("lemma")["x"].transform("sum"))
    top = top.sort_values(["lemma", "x", "g"], ascending=[True, False, True]).drop_duplicates("lemma")
    top = top[(top["n"] >= min_docs) & (top["x"] / top["n"] >= share)]
    p_tail = binom.sf(top["x"] - 1, top["n"], top["g"].map(p_group))
    return set(top.loc[p_tail < alpha, "lemma"])


def _rule_sets(tok: pd.DataFrame, docs: pd.DataFrame, params: ArtefactParams) -> list[tuple[str, str, pd.Series]]:
    """(rule, setting, token mask) for each artefact rule, in the order they are applied."""
    lower, lemma = tok["text"].str.lower(), tok["lemma"]
    name_like = tok["text"].str[:1].str.isupper()
    none = pd.Series(False, index=tok.index)
    rules = []
    if params.drop_outlet_names:
        names = _names(docs["outlet"]) if "outlet" in docs else set()
        domains = _domain_names(docs["url"]) if "url" in docs else set()
        mask = _sequence_mask(tok, names) | lower.isin(domains) | lemma.isin(domains)
        rules.append(("outlet_names", f"{len(names)} outlet names (capitalised), {len(domains)} URL domain "
                      "names", mask))
    else:
        rules.append(("outlet_names", "off", none))
    if params.drop_calendar:
        mask = (lower.isin(CALENDAR) | lemma.isin(CALENDAR)) & (name_like | tok["ent"].isin(["DATE", "TIME"]))
        rules.append(("calendar_names", "weekday and month names (capitalised or in a date)", mask))
    else:
        rules.append(("calendar_names", "off", none))
    columns = [c for c in AUTHOR_COLUMNS if c in docs]
    if params.drop_author_names and columns:
        words = _words(pd.concat([docs[c] for c in columns]))
        rules.append(("author_names", f"capitalised words of {', '.join(columns)} ({len(words)})",
                      name_like & (lower.isin(words) | lemma.isin(words))))
    else:
        rules.append(("author_names", "off" if not params.drop_author_names else "no author column", none))
    group_of = docs.set_index("doc_id")
    for rule, column, share, names_only in (("outlet_concentrated", "outlet", params.outlet_concentration, False),
                                            ("case_concentrated", "case_id", params.case_concentration, True)):
        if column not in docs or share <= 0:
            rules.append((rule, "off" if share <= 0 else f"no {column} column", none))
            continue
        rest = tok.loc[tok["_content"] & ~pd.concat([m for _, _, m in rules], axis=1).any(axis=1)]
        if names_only:
            cap = name_like.loc[rest.index].groupby(rest["lemma"]).mean()
            rest = rest[rest["lemma"].isin(cap[cap >= 0.9].index)]
        terms = _concentrated(rest, group_of[column], share, params.concentration_min_docs,
                              params.concentration_alpha)
        rules.append((rule, f"one {column} has >= {share:.0%} of the term's documents (>= "
                      f"{params.concentration_min_docs}), binomial p < {params.concentration_alpha:g}"
                      + ("; names only" if names_only else ""), lemma.isin(terms)))
    return rules


def artefact_rules(tok: pd.DataFrame, docs: pd.DataFrame, params: ArtefactParams = ArtefactParams(),
                   content: pd.Series | None = None) -> tuple[pd.Series, pd.DataFrame]:
    """Which content tokens are source artefacts, by rule, and a report of what each rule removed.

    Rules, applied in this order (a token is counted under the first rule
    that removes it): ``outlet_names``: tokens of an occurrence of a name in
    the ``outlet`` column (first token capitalised; "Karachi" alone stays,
    "The Karachi Courier" goes), and the registrable name of each ``url``
    domain (``aljazeera``, ``rte``) in any case; ``calendar_names``: weekday
    and month names, capitalised or inside a DATE/TIME entity (lower-case
    "march" stays); ``author_names``: capitalised tokens that are words of the
    ``author``/``byline`` column; ``outlet_concentrated``: terms whose
    documents come from one outlet (:func:`_concentrated`: share >=
    ``outlet_concentration`` of at least ``concentration_min_docs``
    documents, one-sided binomial p < ``concentration_alpha``);
    ``case_concentrated``: names (capitalised in >= 90% of their
    occurrences) concentrated in one ``case_id`` by the same test, the firms
    and people of a single case (Crimson Frame, Fairbanks).

    Parameters
    ----------
    tok : pandas.DataFrame
        Token table in document order (``doc_id, sent, i, text, lemma, ent``).
    docs : pandas.DataFrame
        Corpus metadata (``doc_id`` and any of ``outlet, url, author, case_id``).
    content : pandas.Series of bool, optional
        The tokens that passed the content filter (default all); only they
        are counted and returned as removable.

    Returns
    -------
    rule : pandas.Series
        Per token row, the rule that removes it, or ``""``.
    report : pandas.DataFrame
        ``rule, setting, terms, tokens, examples`` (the five terms with most tokens).

    Examples
    --------
    >>> tok = pd.DataFrame({"doc_id": ["a"] * 3 + ["b"], "sent": [0] * 4, "i": [0, 1, 2, 0],
    ...                     "text": ["Indus", "Herald", "Monday", "court"], "ent": ["ORG", "ORG", "DATE", ""],
    ...                     "lemma": ["indus", "herald", "monday", "court"]})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["The Indus Herald", "Ravi Times"]})
    >>> rule, report = artefact_rules(tok, docs)
    >>> rule.tolist()
    ['outlet_names', 'outlet_names', 'calendar_names', '']
    """
    content = pd.Series(True, index=tok.index) if content is None else content
    tok = tok.assign(_content=content)
    rule = pd.Series("", index=tok.index, dtype=object)
    rows = []
    for name, setting, mask in _rule_sets(tok, docs, params):
        hit = mask & content & (rule == "")
        rule[hit] = name
        counts = tok.loc[hit, "lemma"].value_counts()
        rows.append({"rule": name, "setting": setting, "terms": int(len(counts)), "tokens": int(hit.sum()),
                     "examples": " ".join(counts.index[:5])})
    return rule, pd.DataFrame(rows, columns=["rule", "setting", "terms", "tokens", "examples"])
