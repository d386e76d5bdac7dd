"""Corpus-level options: ``corpus.yaml`` settings and the load-time text clean-up.

``corpus.yaml`` (optional, in a corpus folder) may set

* ``group_order: {column: [level, ...]}``: the order of groups in every
  comparison (contrasts read "later - earlier");
* ``cleanup: false`` or ``cleanup: {disable: [rule, ...]}``: turn the
  page-furniture clean-up off, or some of its rules
  (:data:`analysis.cleanup.RULES`).

Example
-------
>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "corpus.yaml"
>>> _ = p.write_text("group_order: {region: [b, a]}")
>>> read_settings(p)["group_order"]
{'region': ['b', 'a']}
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.cleanup import clean_corpus_texts
from analysis.errors import CorpusError

#: Values of a ``language`` column that mean English (anything else is left out, with a warning).
ENGLISH = frozenset({"en", "eng", "english", "und"})


def read_settings(path: Path) -> dict:
    """Optional ``corpus.yaml``: corpus-level settings (today ``group_order: {column: [levels]}``)."""
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: not readable as YAML ({exc}); fix or remove the file") from None
    order = data.get("group_order", {}) if isinstance(data, dict) else None
    if not isinstance(order, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in order.values()):
        raise CorpusError(f"{path}: 'group_order' must map a column name to a list of level names, "
                          "e.g. group_order: {{region: [north, south]}}")
    cleanup = data.get("cleanup", {}) if isinstance(data, dict) else {}
    if not (cleanup is False or (isinstance(cleanup, dict) and isinstance(cleanup.get("disable", []), list))):
        raise CorpusError(f"{path}: 'cleanup' must be false or {{disable: [rule, ...]}} "
                          "(rules: see analysis.cleanup.RULES)")
    return {"group_order": {str(k): [x.strip().lower() if k == "region" else x for x in v]
                            for k, v in order.items()}, "cleanup": cleanup}


def clean_docs(docs: pd.DataFrame, settings: dict, *,
               clean: bool = True) -> tuple[pd.DataFrame, pd.DataFrame | None, list[tuple[str, str]]]:
    """Clean the texts of ``docs`` (unless turned off) and keep English documents only.

    Returns the documents kept, the clean-up report (``doc_id, rule, removed``;
    None when clean-up is off) and ``(doc_id, reason)`` for each document left
    out: nothing but page furniture, or a ``language`` column naming another
    language (the workbench's measures are English-only; an import marks it,
    see :mod:`analysis.language`). Input files are never changed.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One line.", "Eine Zeile."], "language": ["en", "de"]})
    >>> kept, _, dropped = clean_docs(d, {})
    >>> kept["doc_id"].tolist(), dropped
    (['a'], [('b', "is in language 'de' (the measures are English-only)")])
    """
    setting = settings.get("cleanup", {})
    report = None
    if clean and setting is not False:
        disable = tuple(setting.get("disable", ())) if isinstance(setting, dict) else ()
        docs, report = clean_corpus_texts(docs, disable=disable)
    dropped = [(d, "has only page furniture (menus, prompts, credits)")
               for d in docs.loc[docs["text"].str.strip() == "", "doc_id"]]
    if "language" in docs.columns:
        lang = docs["language"].fillna("").astype(str).str.strip().str.lower()
        other = (lang != "") & ~lang.isin(ENGLISH) & ~lang.str.startswith("en-")
        dropped += [(d, f"is in language {v!r} (the measures are English-only)")
                    for d, v in zip(docs.loc[other, "doc_id"], lang[other], strict=True)]
    gone = {d for d, _ in dropped}
    return docs[~docs["doc_id"].isin(gone)].reset_index(drop=True), report, dropped
