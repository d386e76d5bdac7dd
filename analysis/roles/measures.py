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

import pandas as pd

from analysis.corpus import Corpus
from analysis.roles.lexicons import (
    group_victim_patterns,
    male_victim_patterns,
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
    "her abuser") one vote for its gender; ``pronoun_balance``:
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


def _fallback_votes(corpus: Corpus, mentions_df: pd.DataFrame) -> dict[str, tuple[Counter, str]]:
    """doc_id -> (fallback votes, basis) for every document with a text.

    :func:`text_evidence`, except that an article with neither explicit
    statements nor victim pronouns whose accused people (role from the text)
    all have one gender votes for the other gender (basis ``accused_other``).

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
        if not isinstance(t, str):
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
    ("groped her", "he was abused"); without them, when every accused person
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
        ``statements``, ``victim_pronouns``, ``accused_other``,
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
    fallback = _fallback_votes(corpus, mentions_df)
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
    m = mentions_df
    quotes = m[m["is_quote_speaker"].astype(bool)].groupby("doc_id").size()
    rows = []
    for (doc_id, role), g in m[m["role"].isin(roles)].groupby(["doc_id", "role"], sort=True):
        voiced = g["voice"].isin(["active_subject", "passive_subject", "object"])
        harm = g[g["harm_verb"].astype(bool)]
        harm_passive = (harm["voice"] == "passive_subject") | (harm.get("dep", pd.Series(index=harm.index,
                                                                                          dtype=str)) == "agent")
        rep = g[g["reporting_kind"].isin(["assertive", "hedged"])]
        nq = quotes.get(doc_id, 0)

        def share(num, den):
            return float(num) / den if den else float("nan")

        vals = {
            "n_mentions": float(len(g)),
            "agency": share((g["voice"] == "active_subject").sum(), voiced.sum()),
            "passive_share": share(harm_passive.sum(), len(harm)),
            "assertive_reporting_share": share((rep["reporting_kind"] == "assertive").sum(), len(rep)),
            "hedged_reporting_share": share((rep["reporting_kind"] == "hedged").sum(), len(rep)),
            "quote_share": share(g["is_quote_speaker"].astype(bool).sum(), nq),
            "power_score": float(g["power"].mean()) if g["power"].notna().any() else float("nan"),
            "agency_score": float(g["agency"].mean()) if g["agency"].notna().any() else float("nan"),
        }
        rows.extend((doc_id, role, k, v) for k, v in vals.items())
    long = pd.DataFrame(rows, columns=["doc_id", "role", "measure", "value"])
    if not wide:
        return long
    out = long.pivot_table(index=["doc_id", "role"], columns="measure", values="value", dropna=False,
                           sort=False).reset_index()
    out.columns.name = None
    return out
