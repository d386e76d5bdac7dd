"""Human validation of topics: word intrusion and topic intrusion tasks (Chang et al. 2009), and their scores.

*Word intrusion*: a rater sees a topic's five most probable words and one
intruder (a word that is among the top words of another topic but not of
this one), in random order, and marks the odd one out. The share of raters
who find the intruder is the topic's **model precision**.

*Topic intrusion*: a rater sees a document (by id and title) and four
topics, each as its eight most probable words: the document's three largest
topics and one intruder drawn from its smallest topics, and marks the topic
that does not belong. **Topic log odds** is ``log(share of the intruder) -
log(share of the chosen topic)`` in that document: 0 when the rater finds
the intruder, more negative the further the model's shares are from the
rater's judgement.

Tasks are seeded, the intruder's position is random, and the answer key is
a separate file that raters do not see. Intervals are percentile bootstrap
intervals (Efron & Tibshirani 1993) over answers (per topic, per document)
and over topics or documents (the overall means).

Example
-------
>>> terms = pd.DataFrame({"topic": [1] * 6 + [2] * 6, "rank": list(range(1, 7)) * 2,
...                       "term": list("abcdef") + list("uvwxyz"), "prob": [0.1] * 12})
>>> tasks, key = word_intrusion_tasks(terms, per_topic=1, seed=1)
>>> len(tasks), sorted(key["intruder"].isin(list("uvwxyz") + list("abcdef")))
(2, [True, True])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import ResultsError, WorkbenchError
from analysis.io import atomic_write_csv, atomic_write_text

WORD_FILE, TOPIC_FILE, KEY_FILE = "word_intrusion.csv", "topic_intrusion.csv", "answer_key.csv"


def _need(frame: pd.DataFrame, columns: Iterable[str], label: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ResultsError(f"{label}: missing column(s) {', '.join(missing)}; expected the table written by "
                           "'python -m analysis topics'")


def word_intrusion_tasks(topic_terms: pd.DataFrame, n_words: int = 5, per_topic: int = 2,
                         seed: int = 20181010) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Word intrusion tasks from a ``topic_terms`` table (``topic, rank, term``).

    Each topic gets ``per_topic`` tasks with different intruders: words in
    the top ``n_words`` of another topic and nowhere in this topic's list.

    Returns
    -------
    tasks : ``task_id, word_1 .. word_<n_words + 1>, answer`` (answer blank)
    key : ``task_id, kind, topic, intruder, intruder_position, intruder_topic``
    """
    _need(topic_terms, ("topic", "rank", "term"), "topic_terms")
    rng = np.random.default_rng(seed)
    ranked = topic_terms.sort_values(["topic", "rank"])
    lists = {int(t): list(g["term"]) for t, g in ranked.groupby("topic")}
    tasks, key = [], []
    for t, words in lists.items():
        shown = words[:n_words]
        pool = sorted({(w, o) for o, other in lists.items() if o != t for w in other[:n_words]
                       if w not in words})
        picks = rng.permutation(len(pool))[:per_topic] if pool else []
        for j in picks:
            intruder, source = pool[j]
            order = [*shown, intruder]
            perm = rng.permutation(len(order))
            row = {f"word_{i + 1}": order[p] for i, p in enumerate(perm)}
            tasks.append(row)
            key.append({"kind": "word", "topic": t, "intruder": intruder,
                        "intruder_position": int(np.flatnonzero(perm == len(order) - 1)[0]) + 1,
                        "intruder_topic": source})
    return _number(tasks, key, "W", rng)


def _number(tasks: list[dict], key: list[dict], prefix: str, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    order = rng.permutation(len(tasks))
    ids = [f"{prefix}{i + 1:03d}" for i in range(len(tasks))]
    task_rows = [{"task_id": ids[n], **tasks[i], "answer": ""} for n, i in enumerate(order)]
    key_rows = [{"task_id": ids[n], **key[i]} for n, i in enumerate(order)]
    return pd.DataFrame(task_rows), pd.DataFrame(key_rows)


def topic_intrusion_tasks(doc_topics: pd.DataFrame, topic_terms: pd.DataFrame, docs: pd.DataFrame | None = None,
                          n_docs: int = 20, n_top: int = 3, n_label: int = 8,
                          seed: int = 20181010) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Topic intrusion tasks for ``n_docs`` sampled documents.

    The intruder is drawn from the document's smaller topics (the lower half
    by share, never one of its ``n_top`` largest).

    Returns
    -------
    tasks : ``task_id, doc_id, [title], option_1 .. option_<n_top + 1>, answer``
    key : ``task_id, kind, doc_id, intruder_topic, intruder_position, option_topics, option_shares``
    """
    _need(doc_topics, ("doc_id", "topic", "share"), "doc_topics")
    _need(topic_terms, ("topic", "rank", "term"), "topic_terms")
    rng = np.random.default_rng(seed)
    labels = {int(t): " ".join(g.sort_values("rank")["term"].head(n_label))
              for t, g in topic_terms.groupby("topic")}
    theta = doc_topics.pivot(index="doc_id", columns="topic", values="share")
    if theta.shape[1] < n_top + 1:
        raise WorkbenchError(f"topic intrusion needs at least {n_top + 1} topics; the model has {theta.shape[1]}")
    titles = docs.set_index("doc_id")["title"] if docs is not None and "title" in docs else None
    chosen = sorted(theta.index[rng.permutation(len(theta))[:n_docs]])
    tasks, key = [], []
    for doc in chosen:
        shares = theta.loc[doc].sort_values(ascending=False, kind="stable")
        top = [int(t) for t in shares.index[:n_top]]
        low = [int(t) for t in shares.index[max(n_top, len(shares) // 2):]]
        intruder = low[int(rng.integers(len(low)))]
        options = [*top, intruder]
        perm = rng.permutation(len(options))
        shown = [options[p] for p in perm]
        row = {"doc_id": doc, **({"title": titles.get(doc, "")} if titles is not None else {})}
        row.update({f"option_{i + 1}": labels[t] for i, t in enumerate(shown)})
        tasks.append(row)
        key.append({"kind": "topic", "doc_id": doc, "intruder_topic": intruder,
                    "intruder_position": shown.index(intruder) + 1,
                    "option_topics": ";".join(map(str, shown)),
                    "option_shares": ";".join(repr(float(theta.loc[doc, t])) for t in shown)})
    return _number(tasks, key, "T", rng)


INSTRUCTIONS = """# Topic intrusion tasks

Give raters `{word}` and `{topic}` only; keep `{key}` apart.

* `{word}`: each row is one topic's top words plus one word that does not belong.
  Write the odd word (or its number 1-6) in `answer`.
* `{topic}`: each row is a document (read it by `doc_id`) and four topics, each as its top words.
  Write the number (1-4) of the topic that does not fit the document in `answer`.

Leave `answer` blank to skip a task. Add a `rater` column, or name each returned file after its rater.
Score with `python -m analysis validate topics --score FILE [FILE ...] --key {key}`.
"""


def write_tasks(out: str | Path, topic_terms: pd.DataFrame, doc_topics: pd.DataFrame,
                docs: pd.DataFrame | None = None, *, seed: int = 20181010, per_topic: int = 2,
                n_docs: int = 20) -> dict[str, Path]:
    """Write ``word_intrusion.csv``, ``topic_intrusion.csv``, ``answer_key.csv`` and ``README.md`` to ``out``.

    Examples
    --------
    >>> write_tasks("intrusion", terms, shares, seed=1)        # doctest: +SKIP
    """
    out = Path(out)
    words, wkey = word_intrusion_tasks(topic_terms, per_topic=per_topic, seed=seed)
    docs_tasks, tkey = topic_intrusion_tasks(doc_topics, topic_terms, docs, n_docs=n_docs, seed=seed + 1)
    paths = {"word": out / WORD_FILE, "topic": out / TOPIC_FILE, "key": out / KEY_FILE}
    atomic_write_csv(paths["word"], words)
    atomic_write_csv(paths["topic"], docs_tasks)
    atomic_write_csv(paths["key"], pd.concat([wkey, tkey], ignore_index=True))
    atomic_write_text(out / "README.md", INSTRUCTIONS.format(word=WORD_FILE, topic=TOPIC_FILE, key=KEY_FILE))
    return paths


# --------------------------------------------------------------------------- scoring


def read_answers(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Returned task files as one table: ``task_id, answer, rater, file, row`` plus the option columns.

    ``rater`` comes from a ``rater`` column, else from the file name.
    """
    frames = []
    for path in map(Path, paths):
        if not path.is_file():
            raise WorkbenchError(f"{path}: no such answer file")
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise WorkbenchError(f"{path}: not a readable CSV answer file ({exc})") from None
        for col in ("task_id", "answer"):
            if col not in frame.columns:
                raise WorkbenchError(f"{path}: no '{col}' column; return the task file with 'answer' filled in")
        frame["rater"] = frame["rater"] if "rater" in frame.columns else path.stem
        frames.append(frame.assign(file=str(path), row=np.arange(2, len(frame) + 2)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["task_id", "answer"])


def _position(row: pd.Series, prefix: str, n: int) -> int | None:
    answer = str(row["answer"]).strip()
    if not answer:
        return None
    if answer.isdigit() and 1 <= int(answer) <= n:
        return int(answer)
    for i in range(1, n + 1):
        if str(row.get(f"{prefix}{i}", "")).strip().lower() == answer.lower():
            return i
    raise WorkbenchError(f"{row['file']} row {row['row']}, column 'answer': {answer!r} is neither a number "
                         f"from 1 to {n} nor one of the task's {'words' if prefix == 'word_' else 'options'}")


def _boot(values: np.ndarray, n_boot: int, rng) -> tuple[float, float, float]:
    """Mean and percentile bootstrap interval (2.5%, 97.5%), the interval widened to hold the mean."""
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    est = float(values.mean())
    draws = rng.choice(values, size=(n_boot, len(values)), replace=True).mean(axis=1)
    low, high = np.quantile(draws, [0.025, 0.975])
    return est, float(min(low, est)), float(max(high, est))


def score(answers: pd.DataFrame, key: pd.DataFrame, *, n_boot: int = 1000,
          seed: int = 20181010) -> dict[str, pd.DataFrame]:
    """Model precision per topic and topic log odds per document, with bootstrap intervals.

    Returns
    -------
    dict
        ``model_precision``: ``topic, n_answers, model_precision, ci_low, ci_high``;
        ``topic_log_odds``: ``doc_id, n_answers, topic_log_odds, ci_low, ci_high``;
        ``summary``: ``measure, estimate, ci_low, ci_high, n`` (means over topics and documents).

    Examples
    --------
    >>> scores = score(read_answers(["rater1.csv"]), pd.read_csv("answer_key.csv"))   # doctest: +SKIP
    """
    _need(key, ("task_id", "kind", "intruder_position"), "answer key")
    rng = np.random.default_rng(seed)
    merged = answers.merge(key, on="task_id", how="left", suffixes=("", "_key"))
    unknown = merged[merged["kind"].isna()]
    if len(unknown):
        r = unknown.iloc[0]
        raise WorkbenchError(f"{r['file']} row {r['row']}, column 'task_id': {r['task_id']!r} is not in the "
                             "answer key; score answers with the key written together with their tasks")
    rows = []
    for _, r in merged.iterrows():
        word = r["kind"] == "word"
        n = sum(1 for c in answers.columns if c.startswith("word_" if word else "option_"))
        pos = _position(r, "word_" if word else "option_", n)
        if pos is None:
            continue
        if word:
            rows.append({"kind": "word", "unit": int(r["topic"]), "value": float(pos == int(r["intruder_position"]))})
        else:
            shares = [float(x) for x in str(r["option_shares"]).split(";")]
            value = np.log(shares[int(r["intruder_position"]) - 1]) - np.log(shares[pos - 1])
            rows.append({"kind": "topic", "unit": r["doc_id"], "value": float(value)})
    scored = pd.DataFrame(rows, columns=["kind", "unit", "value"])
    out, summary = {}, []
    for kind, name, unit in (("word", "model_precision", "topic"), ("topic", "topic_log_odds", "doc_id")):
        part = scored[scored["kind"] == kind]
        table = []
        for u, g in part.groupby("unit", sort=True):
            est, low, high = _boot(g["value"].to_numpy(), n_boot, rng)
            table.append({unit: u, "n_answers": len(g), name: est, "ci_low": low, "ci_high": high})
        out[name] = pd.DataFrame(table, columns=[unit, "n_answers", name, "ci_low", "ci_high"])
        est, low, high = _boot(out[name][name].to_numpy(), n_boot, rng)
        summary.append({"measure": f"mean {name}", "estimate": est, "ci_low": low, "ci_high": high,
                        "n": len(out[name])})
    out["summary"] = pd.DataFrame(summary)
    return out
