"""An opt-in learned role for people the role patterns leave as ``other``: a fine-tuned encoder over their mentions.

The role patterns (:mod:`analysis.roles.patterns`) decide a person's role from constructions around
harassment, accusation and legal verbs. A person the article tells about in other words (what was
done to him, without such a verb near his name) gets no evidence and stays ``other``: on the
real-news tuning sets that is the main cause of wrong roles for alleged victims. This module gives
such a person a role from all of their mention sentences, each with the mention marked
(``[[ Name ]]``), read by the all-MiniLM-L6-v2 encoder fine-tuned with low-rank adapters
(:mod:`analysis.frame_finetuned`; Hu et al. 2021) to two outputs, *victim* and *accused*
(trained on people the project's coders labelled, each mention sentence carrying its person's
label). A person's probabilities are the mean over their mentions; the larger wins when it
reaches 0.5. People with a pattern role keep it: on tuning_batch5 the encoder alone was worse than
the patterns (role per person 0.56-0.65 against 0.73), the patterns with the encoder for their
``other`` people better (0.81); on tuning_batch6 0.70 -> 0.79.

**Not recommended** (round 9b of ``benchmarks/results/validity_notes.md``): the gain in role per
coded victim or accused comes with most people coded ``other`` (lawyers, relatives, people named in
passing) given a role as well: on the evaluation excerpts 36 % of them with the patterns, 80 % with
this step, and over every coded person found it is worse (0.76 -> 0.62). Use it only where the
people who matter are victims and accused and bystanders are filtered out by other means.

The learned roles are for the people's roles only: decide the article's alleged-victim gender
(:func:`analysis.roles.victim_gender`) from the mentions *before* :func:`fill_roles`. Fed to it, they
cost one article of 45 on tuning_batch6 (0.956 -> 0.933), which is why round 8b was reverted and
round 8c keeps them apart (``benchmarks/results/validity_notes.md``).

It needs the optional ``embeddings`` extra and a model file
(``analysis/lexicons/roles/roles.finetuned.npz``, written by ``benchmarks/train_roles.py --save``);
:func:`unavailable_reason` says what is missing. Changed rows get ``role_source`` ``learned``.

Example
-------
>>> import pandas as pd
>>> tok = pd.DataFrame({"doc_id": ["a"] * 4, "sent": [0] * 4, "i": [0, 1, 2, 3],
...                     "text": ["Ali", "Khan", "spoke", "."], "ws": [" ", " ", "", ""]})
>>> m = pd.DataFrame({"doc_id": ["a"], "sentence_id": [0], "token": [0], "text": ["Ali Khan"]})
>>> marked_sentences(tok, m)
['[[ Ali Khan ]] spoke.']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import frame_finetuned

ROLES = ("victim", "accused")
THRESHOLD = 0.5


def model_path() -> Path:
    """Where the shipped model lives: ``analysis/lexicons/roles/roles.finetuned.npz``."""
    return Path(str(resources.files("analysis.lexicons").joinpath("roles"))) / "roles.finetuned.npz"


def unavailable_reason() -> str:
    """Empty when the extra is installed and the model file exists, else what is missing."""
    return frame_finetuned.unavailable_reason() or (
        "" if model_path().is_file() else f"{model_path()}: no learned role model (benchmarks/train_roles.py --save)")


def marked_sentences(tokens: pd.DataFrame, mentions: pd.DataFrame) -> list[str]:
    """Each mention's sentence with the mention wrapped in ``[[ ]]`` (one string per row of ``mentions``).

    A mention spans as many tokens from ``token`` as its ``text`` has words.
    """
    sentences = {key: g for key, g in tokens.groupby(["doc_id", "sent"], sort=False)}
    out = []
    for doc_id, sent, first, text in zip(mentions["doc_id"], mentions["sentence_id"], mentions["token"],
                                         mentions["text"], strict=True):
        g = sentences.get((doc_id, int(sent)))
        if g is None:
            out.append("")
            continue
        last = int(first) + max(1, len(str(text).split())) - 1
        parts = []
        for i, word, ws in zip(g["i"], g["text"], g["ws"], strict=True):
            parts.append(("[[ " if i == first else "") + word + (" ]]" if i == last else "") + ws)
        out.append(" ".join("".join(parts).split()))
    return out


def person_probabilities(mentions: pd.DataFrame, probabilities: np.ndarray) -> pd.DataFrame:
    """``doc_id, person, p_victim, p_accused``: the mean over each person's mentions."""
    frame = mentions[["doc_id", "person"]].assign(p_victim=probabilities[:, 0], p_accused=probabilities[:, 1])
    return frame.groupby(["doc_id", "person"], sort=False).mean().reset_index()


def decide(per_person: pd.DataFrame, threshold: float = THRESHOLD) -> pd.Series:
    """The learned role per person: the likelier of victim and accused if it reaches ``threshold``, else other.

    Examples
    --------
    >>> decide(pd.DataFrame({"p_victim": [0.7, 0.2, 0.6], "p_accused": [0.1, 0.3, 0.65]})).tolist()
    ['victim', 'other', 'accused']
    """
    victim = per_person["p_victim"] >= per_person["p_accused"]
    best = np.where(victim, per_person["p_victim"], per_person["p_accused"])
    role = np.where(victim, "victim", "accused")
    return pd.Series(np.where(best >= threshold, role, "other"), index=per_person.index)


def fill_roles(mentions: pd.DataFrame, tokens: pd.DataFrame, model=None, *, progress: bool = False
               ) -> pd.DataFrame:
    """``mentions`` with a learned role for every person whose pattern role is ``other``.

    Parameters
    ----------
    mentions : DataFrame
        From :func:`analysis.roles.mentions`.
    tokens : DataFrame
        The token table the mentions were found in.
    model : FineTuned, optional
        Default: the shipped model (:func:`model_path`).
    """
    model = model if model is not None else frame_finetuned.load(model_path())
    if tuple(model.frames) != ROLES:
        raise ValueError(f"a learned role model has the outputs {ROLES}, this one {tuple(model.frames)}")
    open_people = mentions.groupby(["doc_id", "person"], sort=False)["role"].transform("first") == "other"
    todo = mentions[open_people]
    if todo.empty:
        return mentions.copy()
    p = model.probabilities(marked_sentences(tokens, todo), progress=progress)
    per = person_probabilities(todo, p)
    per["learned"] = decide(per)
    learned = {(d, n): r for d, n, r in zip(per["doc_id"], per["person"], per["learned"], strict=True) if r != "other"}
    out = mentions.copy()
    keys = list(zip(out["doc_id"], out["person"], strict=True))
    hit = np.array([k in learned for k in keys])
    out.loc[hit, "role"] = [learned[k] for k, h in zip(keys, hit, strict=True) if h]
    out.loc[hit, "role_source"] = "learned"
    return out
