"""The token stage on a two-worker dask.distributed LocalCluster writes the same bytes as a local run."""

from __future__ import annotations

import warnings

from analysis import corpus, parallel, preprocess
from tests.conftest import write_corpus

N = 6
TEXTS = {f"d{i}": f"Article {i}: the actress sued the studio in March.\nThe producer denied it. " * (1 + i % 2)
         for i in range(N)}
DOCS = "doc_id,region\n" + "".join(f"d{i},x\n" for i in range(N))


def _only_file(cache):
    files = list(cache.glob("tokens-*.parquet"))
    assert len(files) == 1
    return files[0]


def test_token_table_via_scheduler_is_byte_identical_to_local(tmp_path, dask_cluster, monkeypatch):
    from dask.distributed import Client, get_task_stream

    monkeypatch.setattr(preprocess, "PARSE_CHUNK_DOCS", 2)           # three tasks for two workers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = corpus.load(write_corpus(tmp_path / "c", DOCS, TEXTS))
    monkeypatch.delenv(parallel.SCHEDULER_ENV, raising=False)
    local = preprocess.tokens(c, cache_dir=tmp_path / "local", progress=False, workers=1, batch_size=1)
    with Client(dask_cluster, set_as_default=False) as client, get_task_stream(client) as stream:
        by_client = preprocess.tokens(c, cache_dir=tmp_path / "client", progress=False, batch_size=1,
                                      scheduler=client)
    monkeypatch.setenv(parallel.SCHEDULER_ENV, dask_cluster.scheduler_address)
    by_env = list(preprocess.iter_tokens(c, cache_dir=tmp_path / "env", progress=False, docs_per_chunk=4,
                                         scheduler=None))
    assert len([t for t in stream.data if "parse_chunk" in str(t["key"])]) == 3     # parsed on the cluster
    assert by_client.equals(local) and sum(map(len, by_env)) == len(local)
    reference = _only_file(tmp_path / "local").read_bytes()
    assert _only_file(tmp_path / "client").read_bytes() == reference
    assert _only_file(tmp_path / "env").read_bytes() == reference
