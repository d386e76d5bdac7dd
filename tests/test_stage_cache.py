"""The per-stage cache: keys, checksums, broken entries rebuilt, and a warm run that recomputes nothing."""

from __future__ import annotations

import filecmp
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import compare, framing, pipeline, preprocess, roles, stage_cache, streaming, topics
from analysis.config import PATHS
from analysis.corpus import load
from analysis.errors import CorpusWarning, ResultWarning
from analysis.stage_cache import StageCache

#: Small but complete parameters (K given, few resamples) so a cold run takes seconds.
PARAMS = pipeline.RunParams(k=3, n_stability=2, n_draws=5, n_boot=20, n_perm=20)
TEACHING = PATHS.teaching              # read before a scratch project root moves PATHS


def small_corpus(root: Path, per_region: int = 6) -> Path:
    """A corpus folder of the first ``per_region`` teaching articles of each region, with the registry."""
    docs = pd.read_csv(TEACHING / "documents.csv", dtype=str)
    docs = docs.groupby("region", sort=False).head(per_region)
    (root / "texts").mkdir(parents=True, exist_ok=True)
    docs.to_csv(root / "documents.csv", index=False)
    shutil.copy(TEACHING / "cases.csv", root / "cases.csv")
    for doc_id in docs["doc_id"]:
        shutil.copy(TEACHING / "texts" / f"{doc_id}.txt", root / "texts" / f"{doc_id}.txt")
    return root


def _frames(n: int = 1) -> dict[str, pd.DataFrame]:
    return {"t": pd.DataFrame({"a": [n, 2], "b": ["x", None], "c": [1.5, float("nan")]})}


def test_get_computes_once_and_keeps_dtypes_and_attrs(tmp_path):
    cache = StageCache(tmp_path, content_hash="c", signature="s")
    calls = []

    def compute():
        calls.append(1)
        t = _frames()
        t["t"].attrs = {"n_a": 3}
        return t, {"k": 4}

    first, _ = cache.get("demo", {"k": 4}, compute)
    second, meta = cache.get("demo", {"k": 4}, compute)
    assert calls == [1] and meta == {"k": 4} and cache.hits == ["demo"] and cache.misses == ["demo"]
    pd.testing.assert_frame_equal(first["t"], second["t"])
    assert second["t"].attrs == {"n_a": 3}
    cache.get("demo", {"k": 5}, compute)                 # another parameter value: another entry
    assert calls == [1, 1]


def test_key_changes_with_corpus_signature_and_fields(tmp_path):
    a = StageCache(tmp_path, content_hash="c1", signature="s").key("x", {"k": 1})
    assert a != StageCache(tmp_path, content_hash="c2", signature="s").key("x", {"k": 1})
    assert a != StageCache(tmp_path, content_hash="c1", signature="s2").key("x", {"k": 1})
    assert a != StageCache(tmp_path, content_hash="c1", signature="s").key("y", {"k": 1})
    assert a != StageCache(tmp_path, content_hash="c1", signature="s").key("x", {"k": 2})


def test_source_hash_is_part_of_the_signature(monkeypatch):
    before = stage_cache.software_signature()
    monkeypatch.setattr(stage_cache, "source_hash", lambda: "0" * 64)
    assert stage_cache.software_signature() != before


@pytest.mark.parametrize("damage", ["corrupt", "replaced", "truncate", "no_checksums", "no_meta"])
def test_broken_entry_is_warned_about_and_rebuilt(tmp_path, damage):
    cache = StageCache(tmp_path, content_hash="c", signature="s")
    cache.get("demo", {}, lambda: (_frames(1), {}))
    entry = cache.path("demo", {})
    table = entry / "t.pkl"
    if damage == "corrupt":
        data = bytearray(table.read_bytes())
        data[len(data) // 2] ^= 0xFF
        table.write_bytes(bytes(data))
    elif damage == "replaced":                      # a readable table, but not the one stored
        _frames(5)["t"].to_pickle(table)
    elif damage == "truncate":
        table.write_bytes(table.read_bytes()[:10])
    elif damage == "no_checksums":
        (entry / stage_cache.CHECKSUMS).unlink()
    else:
        (entry / stage_cache.META).unlink()
    with pytest.warns(ResultWarning, match="broken entry"):
        tables, _ = cache.get("demo", {}, lambda: (_frames(7), {}))
    assert tables["t"]["a"].tolist() == [7, 2]                      # recomputed, not the damaged copy
    again, _ = StageCache(tmp_path, content_hash="c", signature="s").get("demo", {}, lambda: (_frames(9), {}))
    assert again["t"]["a"].tolist() == [7, 2]                       # and stored again, whole


def test_old_entries_of_a_stage_are_pruned(tmp_path):
    cache = StageCache(tmp_path, content_hash="c", signature="s")
    for k in range(stage_cache.KEEP_PER_STAGE + 3):
        cache.get("demo", {"k": k}, lambda: (_frames(), {}))
    assert len(list(tmp_path.glob("demo-*"))) == stage_cache.KEEP_PER_STAGE


@pytest.fixture(scope="module")
def small(scratch_root):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load(small_corpus(scratch_root / "small"))


def _same_folders(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert not mismatch and not errors, mismatch


STAGE_FUNCTIONS = [(framing, "score"), (roles, "mentions"), (roles, "victim_gender"), (topics, "fit"),
                   (topics, "select_k"), (topics, "stability"), (compare, "contrasts"),
                   (compare, "prevalence_effects"), (preprocess, "bag_of_words"), (preprocess, "tokens"),
                   (streaming, "per_document"), (streaming, "keyness_counts"), (streaming, "ensure_tokens")]


def test_warm_run_calls_no_stage_function_and_a_broken_entry_is_rebuilt(small, scratch_root, monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResultWarning)
        timings: dict[str, float] = {}
        cold = pipeline.run(small, PARAMS, scratch_root / "cold", progress=False, workers=1, timings=timings)
    assert {"tokens", "bag of words", "model", "stability", "prevalence", "frames", "roles", "contrasts",
            "keyness", "total"} <= set(timings)
    stages = PATHS.processed_for(small.name) / "stages"
    assert {p.name.split("-")[0] for p in stages.iterdir()} == {"topics", "prevalence", "frames", "roles",
                                                                "contrasts", "keyness"}

    def refuse(*args, **kwargs):
        raise AssertionError("a stage function was called on a warm run")

    with monkeypatch.context() as m:
        for module, name in STAGE_FUNCTIONS:
            m.setattr(module, name, refuse)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResultWarning)
            warm = pipeline.run(small, PARAMS, scratch_root / "warm", progress=False, workers=1)
    _same_folders(cold, warm)

    entry = next(stages.glob("roles-*"))
    (entry / "mentions.pkl").write_bytes(b"not a pickle")
    with pytest.warns(ResultWarning, match="broken entry"):
        rebuilt = pipeline.run(small, PARAMS, scratch_root / "rebuilt", progress=False, workers=1)
    _same_folders(cold, rebuilt)
    assert stage_cache.CHECKSUMS in {p.name for p in next(stages.glob("roles-*")).iterdir()}
