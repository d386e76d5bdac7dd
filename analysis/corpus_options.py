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
>>> _ = p.write_text("group_order: {region: [b, a]}\n")
>>> read_settings(p)["group_order"]
{'region': ['b', 'a']}
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.cleanup import clean_corpus_texts
from analysis.errors import CorpusError


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


def clean_docs(docs: pd.DataFrame, settings: dict) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str]]:
    """Clean the texts of ``docs`` unless ``settings`` turn it off.

    Returns the cleaned documents (furniture-only ones removed), the removal
    report (``doc_id, rule, removed``; None when clean-up is off) and the ids
    of documents that held nothing but furniture. Input files are never changed.
    """
    setting = settings.get("cleanup", {})
    if setting is False:
        return docs, None, []
    disable = tuple(setting.get("disable", ())) if isinstance(setting, dict) else ()
    cleaned, report = clean_corpus_texts(docs, disable=disable)
    empty = cleaned["text"].str.strip() == ""
    return cleaned[~empty].reset_index(drop=True), report, cleaned.loc[empty, "doc_id"].tolist()
