"""Which real-news texts are present, and what is left to re-gather (no text is read into a report).

Every set of the development set (the main manifest, the held-out batch and the tuning batches)
names its excerpts in a ``manifest.csv`` with the ``query`` that found each page, its ``url``, and
the SHA-256 and length of the excerpt. This script checks the texts folder
(:func:`benchmarks.realnews_data.texts_dir`) against every manifest and prints, per set, how many
texts are present and right, present but different (wrong digest or length: the sentence offsets
of the codes do not fit them), and missing; then the queries still to run, each once, with the
number of excerpts it brings back. Nothing is written. Exit 0 when every text is present and right,
1 otherwise; 2 when a manifest cannot be read.

Usage::

    python benchmarks/realnews_status.py              # every set
    python benchmarks/realnews_status.py --missing    # also list each missing or different id

Example
-------
>>> import pandas as pd
>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("hi", encoding="utf-8")
>>> m = pd.DataFrame({"id": ["a", "b"], "query": ["q", "q"], "url": ["u1", "u2"],
...                   "text_sha256": [sha256_text("hi"), "0" * 64], "n_chars": ["2", "5"]})
>>> check_manifest(m, folder)["state"].tolist()
['present', 'missing']
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.io import sha256_text  # noqa: E402
from benchmarks import realnews_data as rn  # noqa: E402

COLUMNS = ("id", "query", "url", "text_sha256", "n_chars")


def set_manifests(labels: Path = rn.LABELS) -> dict[str, Path]:
    """Every set's ``manifest.csv``, by set name (``main``, ``heldout``, then the tuning batches).

    Examples
    --------
    >>> list(set_manifests())[:2]
    ['main', 'heldout']
    """
    sets = {"main": labels / "manifest.csv", "heldout": labels / "heldout" / "manifest.csv"}
    sets.update({name: labels / name / "manifest.csv" for name in rn.TUNING_BATCHES})
    return sets


def read_manifest(path: Path) -> pd.DataFrame:
    """A manifest's rows with the columns this check needs; :class:`ValueError` naming what is wrong.

    Examples
    --------
    >>> read_manifest(set_manifests()["main"]).columns.tolist()[:2]
    ['id', 'query']
    """
    if not path.is_file():
        raise ValueError(f"{path}: not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    absent = [c for c in COLUMNS if c not in table.columns]
    if absent:
        raise ValueError(f"{path}: column(s) {', '.join(absent)} missing (expected {', '.join(COLUMNS)})")
    return table[list(COLUMNS)]


def check_manifest(manifest: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """One row per excerpt: its id, query, url and ``state`` (``present``, ``different`` or ``missing``).

    ``different`` is a file whose text does not have the manifest's SHA-256 or length (read as
    UTF-8; a file that is not UTF-8 is different too). The text itself is not kept.

    Examples
    --------
    >>> m = pd.DataFrame({"id": ["x"], "query": ["q"], "url": ["u"], "text_sha256": ["0"], "n_chars": ["1"]})
    >>> check_manifest(m, Path("/nonexistent"))["state"].tolist()
    ['missing']
    """
    states = []
    for row in manifest.itertuples(index=False):
        path = folder / f"{row.id}.txt"
        if not path.is_file():
            states.append("missing")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            states.append("different")
            continue
        right = sha256_text(text) == row.text_sha256 and str(len(text)) == str(row.n_chars)
        states.append("present" if right else "different")
    return manifest[["id", "query", "url"]].assign(state=states)


def summary(checked: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Counts per set: ``excerpts``, ``present``, ``different``, ``missing``.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["a", "b"], "query": ["q", "q"], "url": ["u", "v"], "state": ["present", "missing"]})
    >>> summary({"main": t}).loc["main"].tolist()
    [2, 1, 0, 1]
    """
    rows = {name: {"excerpts": len(t), **{s: int((t["state"] == s).sum()) for s in ("present", "different", "missing")}}
            for name, t in checked.items()}
    return pd.DataFrame.from_dict(rows, orient="index")[["excerpts", "present", "different", "missing"]]


def queries_to_run(checked: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The queries that still bring back a missing or different text, each once, most excerpts first.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["a", "b", "c"], "query": ["q1", "q2", "q2"], "url": ["u", "v", "w"],
    ...                   "state": ["missing", "missing", "different"]})
    >>> queries_to_run({"main": t}).values.tolist()
    [['q2', 2], ['q1', 1]]
    """
    todo = pd.concat([t for t in checked.values()], ignore_index=True) if checked else pd.DataFrame(
        columns=["id", "query", "url", "state"])
    todo = todo[todo["state"] != "present"]
    counts = todo.groupby("query").size().rename("excerpts").reset_index()
    return counts.sort_values(["excerpts", "query"], ascending=[False, True], kind="stable").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    """Print the state of the texts folder against every set's manifest."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missing", action="store_true", help="list each missing or different id with its url")
    args = parser.parse_args(argv)
    folder = rn.texts_dir()
    try:
        checked = {name: check_manifest(read_manifest(path), folder) for name, path in set_manifests().items()}
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    table = summary(checked)
    print(f"texts folder: {folder}" + ("" if folder.is_dir() else " (does not exist)"))
    print(table.to_string())
    total = table.sum()
    print(f"all sets: {total['present']} of {total['excerpts']} present and right, "
          f"{total['different']} different, {total['missing']} missing")
    queries = queries_to_run(checked)
    if not queries.empty:
        print(f"\n{len(queries)} queries to run (search tool, corpus 'pages'; see "
              "data/annotations/real_news/README.md):")
        print(queries.to_string(index=False))
    if args.missing:
        for name, t in checked.items():
            for row in t[t["state"] != "present"].itertuples(index=False):
                print(f"{name}\t{row.id}\t{row.state}\t{row.url}")
    return 0 if total["present"] == total["excerpts"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
