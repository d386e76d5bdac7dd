"""Coding the roles of the people the workbench finds: a people sheet for coders, and its scores.

``validate sample`` lists every person :func:`analysis.roles.mentions` found in the articles drawn
for the victim-gender sheet (:func:`analysis.validation.article_sample`), so that coders code the
alleged victim's gender and the people's roles in one reading; ``validate score`` compares the
tool's roles with theirs from both sides: the coded victims and accused the tool gets right, and
the people coded ``other`` it gives a role (role per coded victim or accused alone rewards a step
that gives everybody a role).

Example
-------
>>> k = pd.DataFrame({"doc_id": ["a"], "group": ["x"], "weight": [1.0]})
>>> m = pd.DataFrame({"doc_id": ["a"], "person": ["Ann"], "role": ["victim"]})
>>> people_sample(k, m)[0]["role"].tolist()
['']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import agreement as agr
from analysis.config import DEFAULTS


def people_sample(articles_key: pd.DataFrame, mentions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every person the tool found in the sampled articles, to code for their role, and its key.

    Coders read each article of the victim-gender sample once and code both: the alleged victim's
    gender and the role of each person listed for it. Listing everyone the tool found (not a sample
    of them) lets the score see both sides of the role step: coded victims and accused the tool
    misses, and people coded ``other`` it gives a role.

    Parameters
    ----------
    articles_key : DataFrame
        From :func:`article_sample` (``doc_id``, ``group``, ``weight``).
    mentions : DataFrame
        :func:`analysis.roles.mentions` of the corpus (text only, no registry).

    Returns
    -------
    sheet : DataFrame
        ``person_id, doc_id, person, mentions, role`` (``role`` empty), in the articles' order.
    key : DataFrame
        ``person_id, doc_id, person, group, tool, weight`` (``tool`` the tool's role).

    Examples
    --------
    >>> k = pd.DataFrame({"doc_id": ["b", "a"], "group": ["x", "y"], "weight": [1.0, 2.0]})
    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "person": ["Ann", "Ann", "Bo", "Cy"],
    ...                   "role": ["victim", "victim", "other", "accused"]})
    >>> sheet, key = people_sample(k, m)
    >>> sheet[["person_id", "person", "mentions"]].values.tolist()
    [['p0001', 'Bo', 1], ['p0002', 'Ann', 2]]
    >>> key["tool"].tolist(), key["weight"].tolist()
    (['other', 'victim'], [1.0, 2.0])
    """
    order = {d: k for k, d in enumerate(articles_key["doc_id"])}
    m = mentions[mentions["doc_id"].isin(order)]
    per = m.groupby(["doc_id", "person"], sort=False).agg(tool=("role", "first"), mentions=("role", "size"))
    per = per.reset_index()
    per = per.assign(_o=per["doc_id"].map(order)).sort_values(["_o", "person"], kind="stable").drop(columns="_o")
    per = per.reset_index(drop=True)
    per.insert(0, "person_id", [f"p{k + 1:04d}" for k in range(len(per))])
    meta = articles_key.set_index("doc_id")
    weight = meta["weight"] if "weight" in meta.columns else pd.Series(1.0, index=meta.index)
    key = per[["person_id", "doc_id", "person"]].assign(group=per["doc_id"].map(meta["group"]).to_numpy(),
                                                        tool=per["tool"].to_numpy(),
                                                        weight=per["doc_id"].map(weight).astype(float).to_numpy())
    sheet = per[["person_id", "doc_id", "person", "mentions"]].assign(role="")
    return sheet, key


def retag_people(key: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """The people key with the tool's roles of today, for a sample coded against an older tool.

    The roles in ``people_key.csv`` are the tool's at the time of drawing; the coders' codes and the
    sampling weights stay valid when the role step changes, so the key only needs today's roles for
    the same ``(doc_id, person)``. A person today's tool no longer finds gets ``not_found`` (it counts
    as a miss for a coded victim or accused and as no role for a coded bystander).

    Examples
    --------
    >>> k = pd.DataFrame({"person_id": ["p1", "p2"], "doc_id": ["a", "a"], "person": ["Ann", "Bo"],
    ...                   "tool": ["other", "victim"]})
    >>> m = pd.DataFrame({"doc_id": ["a", "a"], "person": ["Ann", "Ann"], "role": ["victim", "victim"]})
    >>> retag_people(k, m)["tool"].tolist()
    ['victim', 'not_found']
    """
    today = mentions.groupby(["doc_id", "person"], sort=False)["role"].first()
    pairs = pd.MultiIndex.from_frame(key[["doc_id", "person"]])
    return key.assign(tool=today.reindex(pairs).fillna("not_found").to_numpy())


def _article_response(key: pd.DataFrame, coded: pd.DataFrame) -> pd.Series:
    """Per coded person, the factor that lets a group's coded articles stand for its articles skipped.

    An article whose listed people a coder left all blank was not coded; the articles of the same
    group that were coded stand for it (a weighting-class adjustment, Kalton & Flores-Cervantes
    2003): the factor is the group's articles with listed people over those with a coded person.
    People left blank inside a coded article are simply not counted.

    Examples
    --------
    >>> k = pd.DataFrame({"doc_id": ["a", "b", "c"], "group": ["x", "x", "y"]})
    >>> _article_response(k, k.iloc[[0, 2]]).tolist()
    [2.0, 1.0]
    """
    if coded.empty:
        return pd.Series(1.0, index=coded.index)
    group = "group" if "group" in key.columns else None
    listed = key.groupby(group)["doc_id"].nunique() if group else pd.Series({None: key["doc_id"].nunique()})
    answered = coded.groupby(group)["doc_id"].nunique() if group else pd.Series({None: coded["doc_id"].nunique()})
    factor = (listed / answered).astype(float)
    return coded[group].map(factor) if group else pd.Series(float(factor.iloc[0]), index=coded.index)


def score_people(key: pd.DataFrame, codes: dict[str, pd.Series], *, n_boot: int = DEFAULTS.n_boot,
                 seed: int = DEFAULTS.seed) -> pd.DataFrame:
    """The tool's person roles against each coder: both sides of the role step, with intervals.

    ``role_accuracy``: of the people the coder coded victim or accused, the share the tool gives
    that role (the real-news reports' role per person, counting only people the tool found).
    ``bystanders_given_role``: of the people coded ``other``, the share the tool makes a victim or
    accused (a wrong role that enters the victims' and accused's measures). ``not_a_person``: the
    share of listed names the coder says are no person (organisations, places, NER errors).
    Weighted by the article sampling design, adjusted to the articles the coder coded
    (:func:`_article_response`); 95 % intervals resample articles (Efron & Tibshirani
    1993, percentile; articles as clusters). NaN with a ``note`` where no person was so coded.

    Examples
    --------
    >>> k = pd.DataFrame({"person_id": ["p1", "p2", "p3", "p4"], "doc_id": ["a", "a", "b", "b"],
    ...                   "tool": ["victim", "accused", "victim", "other"]})
    >>> c = pd.Series(["victim", "other", "accused", "other"], index=["p1", "p2", "p3", "p4"])
    >>> r = score_people(k, {"ann": c}, n_boot=50).iloc[0]
    >>> float(r["role_accuracy"]), float(r["bystanders_given_role"]), float(r["not_a_person"])
    (0.5, 0.5, 0.0)
    """
    key = key.assign(weight=key["weight"] if "weight" in key.columns else 1.0)
    rows = []
    for name, code in codes.items():
        coded = key.assign(code=key["person_id"].map(code)).dropna(subset=["code"])
        w = coded["weight"].astype(float) * _article_response(key, coded)
        central = coded["code"].isin(["victim", "accused"])
        other = coded["code"] == "other"
        per_doc = coded.assign(
            hit=w * (central & (coded["tool"] == coded["code"])), central=w * central,
            given=w * (other & coded["tool"].isin(["victim", "accused"])), other=w * other,
            nap=w * (coded["code"] == "not_a_person"), all=w).groupby("doc_id")[
            ["hit", "central", "given", "other", "nap", "all"]].sum()
        row: dict = {"reference": name, "n_coded": len(coded), "n_victim_accused": int(central.sum()),
                     "n_other": int(other.sum())}
        notes = []
        for measure, num, den in (("role_accuracy", "hit", "central"), ("bystanders_given_role", "given", "other"),
                                  ("not_a_person", "nap", "all")):
            total = per_doc[[num, den]].sum().to_numpy()
            row[measure] = float(total[0] / total[1]) if total[1] > 0 else np.nan
            if total[1] > 0:
                low, high, _ = agr.cluster_bootstrap(per_doc[[num, den]].to_numpy(), agr.ratio_statistic,
                                                     n_boot=n_boot, seed=seed)
                ci = {f"{measure}_low": float(low[0]), f"{measure}_high": float(high[0])}
            else:
                ci = {f"{measure}_low": np.nan, f"{measure}_high": np.nan}
                notes.append({"central": "no person coded victim or accused", "other": "no person coded other",
                              "all": "no person coded"}[den])
            row.update(ci)
        if "group" in key.columns and not coded.empty:
            left_out = sorted(set(key["group"].astype(str)) - set(coded["group"].astype(str)))
            if left_out:
                notes.append(f"no person coded in group(s) {', '.join(left_out)}, so left out of the estimate")
        row["note"] = "; ".join(notes)
        rows.append(row)
    return pd.DataFrame(rows)
