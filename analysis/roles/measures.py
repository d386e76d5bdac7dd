"""Article-level results from the mentions: the alleged victim's gender and the role measures.

:func:`victim_gender` weighs every victim's gender by their evidence and
centrality; :func:`role_measures` computes voice and agency per article and
role: who acts and who is acted upon (Field, Bhat & Tsvetkov 2019), who is
quoted (Asr et al. 2021), how their statements are introduced (Bell 1991),
and the connotation-frame power and agency of their verbs (Sap et al. 2017).

Example
-------
>>> m = pd.DataFrame({"doc_id": ["a"], "role": ["victim"], "voice": ["object"], "harm_verb": [True],
...     "is_quote_speaker": [False], "reporting_kind": [""], "agency": [float("nan")], "power": [-1.0]})
>>> float(role_measures(m, wide=True).loc[0, "agency"])
0.0
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.corpus import Corpus
from analysis.roles.lexicons import (
    group_victim_patterns,
    male_victim_patterns,
    victim_noun_patterns,
    victim_pronoun_patterns,
)
from analysis.roles.vocabulary import PRONOUN_GENDER

_WORD = re.compile(r"[A-Za-z]+")
#: Votes of one "men can be victims too" statement, in pronoun-equivalents.
STATEMENT_WEIGHT = 3.0


def text_evidence(text: str, accused_pronouns: Counter) -> tuple[Counter, str]:
    """Fallback votes for the victim's gender from the text alone, and which evidence gave them.

    In order, the first that has votes decides (the returned basis):
    ``statements``: every "men can be victims too" statement
    (``roles/male_victim_statements.csv``) is ``STATEMENT_WEIGHT`` male
    votes, and every unnamed victim named by a gendered group noun
    (``roles/group_victim_patterns.csv``: "a woman accused him", "harassing
    young men") as many votes for its gender; ``victim_pronouns``: every
    pronoun on the receiving end of a harassment verb
    (``roles/victim_pronoun_patterns.csv``: "groped her", "he was abused",
    "her abuser") one vote for its gender; ``gendered_nouns``: when the
    article's gendered common nouns ("a man", "the boy", "women",
    ``roles/victim_noun_patterns.csv``; not "a man accused of") are all of
    one gender, one vote per noun; ``pronoun_balance``:
    he/him/his minus those resolved to an accused person, against
    she/her/hers minus the same (the issue-13 baseline, more he than she
    means a male victim, with the accused's own pronouns taken out).

    Examples
    --------
    >>> text_evidence("He said she left. He did.", Counter(male=2))
    (Counter({'female': 1.0, 'male': 0.0}), 'pronoun_balance')
    >>> text_evidence("He denied that he groped her.", Counter())[1]
    'victim_pronouns'
    """
    explicit: Counter = Counter(male=0.0, female=0.0)
    explicit["male"] += STATEMENT_WEIGHT * sum(len(p.findall(text)) for p in male_victim_patterns())
    for g, p in group_victim_patterns():
        explicit[g] += STATEMENT_WEIGHT * len(p.findall(text))
    if explicit["male"] + explicit["female"] > 0:
        return explicit, "statements"
    harmed: Counter = Counter(male=0.0, female=0.0)
    for g, p in victim_pronoun_patterns():
        harmed[g] += len(p.findall(text))
    if harmed["male"] != harmed["female"]:
        return harmed, "victim_pronouns"
    nouns: Counter = Counter(male=0.0, female=0.0)
    for g, p in victim_noun_patterns():
        nouns[g] += len(p.findall(text))
    if (nouns["male"] > 0) != (nouns["female"] > 0):
        return nouns, "gendered_nouns"
    votes: Counter = Counter(male=0.0, female=0.0)
    for w in _WORD.findall(text):
        g = PRONOUN_GENDER.get(w.lower())
        if g is not None:
            votes[g] += 1.0
    for g in ("male", "female"):
        votes[g] = max(votes[g] - accused_pronouns[g], 0.0)
    return votes, "pronoun_balance"


def text_votes(text: str, accused_pronouns: Counter) -> Counter:
    """The votes of :func:`text_evidence` (without the basis).

    Examples
    --------
    >>> text_votes("He said she left. He did.", Counter(male=2))
    Counter({'female': 1.0, 'male': 0.0})
    """
    return text_evidence(text, accused_pronouns)[0]


def _fallback_votes(corpus: Corpus, mentions_df: pd.DataFrame, only: set[str] | None = None
                    ) -> dict[str, tuple[Counter, str]]:
    """doc_id -> (fallback votes, basis) for every document with a text (of ``only``, when given).

    :func:`text_evidence`, except that an article with neither explicit
    statements nor victim pronouns nor one-gender common nouns whose accused
    people (role from the text) all have one gender votes for the other
    gender (basis ``accused_other``).

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a"], "role": ["accused"], "role_source": ["text"],
    ...     "gender": ["male"], "form": ["name"], "text": ["Rohan Bhatia"]})
    >>> c = type("C", (), {"docs": pd.DataFrame({"doc_id": ["a"], "text": ["He denied it. He left."]})})()
    >>> votes, basis = _fallback_votes(c, m)["a"]
    >>> votes["female"] > 0, basis
    (True, 'accused_other')
    """
    docs = corpus.docs
    if "text" not in docs.columns:
        return {}
    acc: dict[str, Counter] = defaultdict(Counter)
    if len(mentions_df) and "form" in mentions_df.columns:
        sel = mentions_df[(mentions_df["role"] == "accused") & (mentions_df["form"] == "pronoun")]
        for doc_id, t in zip(sel["doc_id"], sel["text"], strict=True):
            g = PRONOUN_GENDER.get(str(t).lower())
            if g is not None:
                acc[doc_id][g] += 1
    sides = _accused_sides(mentions_df)
    out = {}
    for d, t in zip(docs["doc_id"], docs["text"], strict=True):
        if not isinstance(t, str) or (only is not None and d not in only):
            continue
        votes, basis = text_evidence(t, acc[d])
        side = sides.get(d)
        if basis == "pronoun_balance" and side is not None:
            other = "female" if side == "male" else "male"
            votes, basis = Counter({other: 1.0 + votes[other], side: 0.0}), "accused_other"
        out[d] = (votes, basis)
    return out


def _accused_sides(mentions_df: pd.DataFrame) -> dict[str, str]:
    """doc_id -> the one gender of the article's accused people (with role evidence from the text)."""
    if not len(mentions_df) or "role_source" not in mentions_df.columns:
        return {}
    acc = mentions_df[(mentions_df["role"] == "accused") & (mentions_df["role_source"] == "text")
                      & mentions_df["gender"].isin(["female", "male"])]
    genders = acc.groupby("doc_id")["gender"].agg(lambda g: set(g))
    return {d: next(iter(g)) for d, g in genders.items() if len(g) == 1}


def victim_gender(corpus: Corpus, mentions_df: pd.DataFrame, *, mixed_share: float = 0.4,
                  explain: bool = False) -> pd.DataFrame:
    """The gender of each article's alleged victim(s): female, male, mixed or unknown.

    With a case registry (``corpus.cases`` and a ``case_id``), the registry's
    ``victim_gender`` is used (``source = "registry"``, confidence 1).
    Otherwise it is inferred from ``mentions_df``: every person whose role is
    ``victim`` votes for their gender with weight ``victim evidence x
    log2(1 + mentions)`` (people who are both central and clearly
    victims count most). The majority gender wins; ``mixed`` when the
    minority has at least ``mixed_share`` of the weight. When no victim has
    a known gender, the text decides, with confidence at most 0.5
    (:func:`_fallback_votes`): explicit statements first ("men can be
    victims too", unnamed victims named by a gendered group noun, "a woman
    accused him"), then pronouns on the receiving end of a harassment verb
    ("groped her", "he was abused"), then the gendered common nouns when
    they are all of one gender ("a man said ...", "the boy"); without them,
    when every accused person
    found in the text has one gender, the alleged victim is taken to be of
    the other gender (unnamed victims of a named accused are mostly of the other
    gender in #MeToo coverage; a base-rate prior, wrong for an unnamed
    victim of the accused's own gender); else the he/she balance without
    the accused's pronouns. ``unknown`` when the text has no vote either.

    Confidence = majority share x (1 - exp(-total weight / 3)): high when
    the evidence is both one-sided and plentiful.

    Parameters
    ----------
    corpus : Corpus
    mentions_df : pandas.DataFrame
        From :func:`mentions`.
    mixed_share : float
        Minority share of the vote at or above which an article is ``mixed``.
    explain : bool
        Add a ``basis`` column: what decided (``registry``, ``victims``,
        ``statements``, ``victim_pronouns``, ``gendered_nouns``, ``accused_other``,
        ``pronoun_balance``; ``none`` for ``unknown``).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, victim_gender, source, confidence`` (and ``basis``), one row
        per document.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a"] * 3, "person": ["A", "A", "B"],
    ...     "role": ["victim", "victim", "accused"], "gender": ["male", "male", "female"],
    ...     "victim_evidence": [2.0, 0.0, 0.0]})
    >>> c = type("C", (), {"docs": pd.DataFrame({"doc_id": ["a"]}), "cases": None})()
    >>> victim_gender(c, m)[["doc_id", "victim_gender", "source"]].values.tolist()
    [['a', 'male', 'inferred']]
    >>> victim_gender(c, m, explain=True)["basis"].tolist()
    ['victims']
    """
    docs = corpus.docs
    reg: dict[str, str] = {}
    if getattr(corpus, "cases", None) is not None and "case_id" in docs.columns \
            and "victim_gender" in docs.columns:
        for doc_id, cid, g in zip(docs["doc_id"], docs["case_id"], docs["victim_gender"], strict=True):
            if isinstance(cid, str) and g in ("female", "male", "mixed"):
                reg[doc_id] = g
    vict = mentions_df[mentions_df["role"] == "victim"]
    weights: dict[str, Counter] = defaultdict(Counter)
    if len(vict):
        per = vict.groupby(["doc_id", "person"]).agg(
            gender=("gender", "first"), ev=("victim_evidence", "sum"), n=("person", "size"))
        for (doc_id, _), rec in per.iterrows():
            if rec["gender"] in ("female", "male"):
                weights[doc_id][rec["gender"]] += max(rec["ev"], 0.5) * math.log2(1 + rec["n"])
    # the text fallback is read only for the articles that need it: no registry gender, no victim
    needed = {d for d in docs["doc_id"] if d not in reg
              and weights.get(d, Counter())["female"] + weights.get(d, Counter())["male"] == 0}
    fallback = _fallback_votes(corpus, mentions_df, needed)
    rows = []
    for doc_id in docs["doc_id"]:
        if doc_id in reg:
            rows.append((doc_id, reg[doc_id], "registry", 1.0, "registry"))
            continue
        w = weights.get(doc_id, Counter())
        total = w["female"] + w["male"]
        if total == 0:
            votes, basis = fallback.get(doc_id, (Counter(), "none"))
            row = _from_text(votes)
            rows.append((doc_id, *row, basis if row[0] != "unknown" else "none"))
            continue
        top = "female" if w["female"] >= w["male"] else "male"
        share = w[top] / total
        strength = 1 - math.exp(-total / 3)
        if 1 - share >= mixed_share:
            rows.append((doc_id, "mixed", "inferred", round((1 - abs(2 * share - 1)) * strength, 3), "victims"))
        else:
            rows.append((doc_id, top, "inferred", round(share * strength, 3), "victims"))
    out = pd.DataFrame(rows, columns=["doc_id", "victim_gender", "source", "confidence", "basis"])
    return out if explain else out.drop(columns="basis")


def _from_text(votes: Counter) -> tuple[str, str, float]:
    """(victim_gender, source, confidence) from :func:`text_votes`; confidence at most 0.5."""
    total = votes["female"] + votes["male"]
    if total == 0 or votes["female"] == votes["male"]:
        return "unknown", "inferred", 0.0
    top = "female" if votes["female"] > votes["male"] else "male"
    return top, "inferred", round(0.5 * (votes[top] / total) * (1 - math.exp(-total / 10)), 3)


def role_measures(mentions_df: pd.DataFrame, *, roles: Sequence[str] = ("victim", "accused"),
                  wide: bool = False) -> pd.DataFrame:
    """Voice and agency measures per article and role (alleged victims vs accused).

    Measures (each computed over the mentions of the people with that role):

    ``n_mentions``
        Mentions (names, "who", resolved he/she).
    ``agency``
        Share of mentions attached to a verb as its active subject, out of
        active subject + passive subject + object (Field, Bhat & Tsvetkov 2019
        discuss who is portrayed as acting and who as acted upon).
    ``passive_share``
        Of the mentions that are arguments of a harassment verb, the share
        in a passive construction (passive subject or "by" agent).
    ``assertive_reporting_share``, ``hedged_reporting_share``
        Of the mentions that are the subject of a reporting verb, the share
        introduced by assertive verbs (said, revealed, shared) and by hedged
        verbs (alleged, claimed, insisted).
    ``quote_share``
        Share of the article's attributed direct quotes whose speaker has
        this role (who gets a voice; quote attribution as in the Gender Gap
        Tracker, Asr et al. 2021).
    ``power_score``, ``agency_score``
        Mean connotation-frame power and agency of the verbs around the
        mentions (Sap et al. 2017 lexicon format; scoring as in Field et al.
        2019: agents take the verb's values, themes the reverse power).

    Parameters
    ----------
    mentions_df : pandas.DataFrame
        From :func:`mentions`.
    roles : sequence of str
        Roles to report.
    wide : bool
        Return one row per (doc_id, role) with a column per measure
        instead of the tidy long format.

    Returns
    -------
    pandas.DataFrame
        Long format ``doc_id, role, measure, value`` (NaN where a measure
        has no mentions to count), or wide with ``wide=True``.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a"] * 3, "role": ["accused", "victim", "victim"],
    ...     "voice": ["active_subject", "object", "active_subject"], "harm_verb": [True, True, False],
    ...     "is_quote_speaker": [False, False, True], "reporting_kind": ["", "", "hedged"],
    ...     "agency": [1.0, float("nan"), 1.0], "power": [1.0, -1.0, 0.0]})
    >>> w = role_measures(m, wide=True).set_index("role")
    >>> float(w.loc["victim", "agency"]), float(w.loc["victim", "quote_share"])
    (0.5, 1.0)
    """
    rows = [(doc_id, role, k, v) for (doc_id, role), vals in _group_measures(mentions_df, roles)
            for k, v in vals.items()]
    long = pd.DataFrame(rows, columns=["doc_id", "role", "measure", "value"])
    if not wide:
        return long
    out = long.pivot_table(index=["doc_id", "role"], columns="measure", values="value", dropna=False,
                           sort=False).reset_index()
    out.columns.name = None
    return out


def _nan_mean(values: np.ndarray) -> float:
    """The mean of the non-NaN values, summed as ``pandas.Series.mean`` sums them (NaN as 0).

    Examples
    --------
    >>> _nan_mean(np.array([1.0, float("nan"), 0.5]))
    0.75
    """
    missing = np.isnan(values)
    if missing.all():
        return float("nan")
    return float(np.where(missing, 0.0, values).sum() / (values.size - missing.sum()))


def _group_measures(m: pd.DataFrame, roles: Sequence[str]) -> list[tuple[tuple[str, str], dict[str, float]]]:
    """The measures of :func:`role_measures` per (doc_id, role), in sorted key order.

    The counts are taken for all groups at once (one group-by over indicator
    columns); the means run over each group's values in row order, as a
    per-group ``Series.mean`` would, so every value is the same float.
    """
    quotes = m[m["is_quote_speaker"].astype(bool)].groupby("doc_id").size()
    sub = m[m["role"].isin(roles)]
    if not len(sub):
        return []
    voice = sub["voice"]
    harm = sub["harm_verb"].astype(bool).to_numpy()
    passive = (voice == "passive_subject").to_numpy()
    if "dep" in sub.columns:
        passive = passive | (sub["dep"] == "agent").to_numpy()
    kind = sub["reporting_kind"]
    ind = pd.DataFrame({
        "n": 1, "active": (voice == "active_subject").to_numpy(),
        "voiced": voice.isin(["active_subject", "passive_subject", "object"]).to_numpy(),
        "harm": harm, "harm_passive": harm & passive,
        "rep": kind.isin(["assertive", "hedged"]).to_numpy(), "assertive": (kind == "assertive").to_numpy(),
        "hedged": (kind == "hedged").to_numpy(), "speaker": sub["is_quote_speaker"].astype(bool).to_numpy(),
    }, index=sub.index)
    grouped = ind.groupby([sub["doc_id"], sub["role"]], sort=True)
    counts = grouped.sum()
    order = np.argsort(grouped.ngroup().to_numpy(), kind="stable")
    bounds = np.concatenate([[0], np.cumsum(counts["n"].to_numpy())])
    power = sub["power"].to_numpy(dtype=float)[order]
    agency = sub["agency"].to_numpy(dtype=float)[order]

    def share(num, den):
        return float(num) / den if den else float("nan")

    out = []
    for k, ((doc_id, role), c) in enumerate(zip(counts.index, counts.itertuples(index=False), strict=True)):
        a, b = bounds[k], bounds[k + 1]
        out.append(((doc_id, role), {
            "n_mentions": float(c.n),
            "agency": share(c.active, c.voiced),
            "passive_share": share(c.harm_passive, c.harm),
            "assertive_reporting_share": share(c.assertive, c.rep),
            "hedged_reporting_share": share(c.hedged, c.rep),
            "quote_share": share(c.speaker, quotes.get(doc_id, 0)),
            "power_score": _nan_mean(power[a:b]),
            "agency_score": _nan_mean(agency[a:b]),
        }))
    return out
