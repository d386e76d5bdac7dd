"""Tests of analysis.parallel: chunking, order, worker-count invariance, the Dask path on a LocalCluster."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import parallel
from analysis.errors import UsageError

DOCS = ["She sued the studio.", "He denied it", "", "The board met; it voted.", "x " * 7, "Ünïcode  text"]


def doc_stats(text: str) -> dict[str, object]:
    """A small pure per-document function (module level, so it pickles)."""
    words = text.split()
    return {"n": len(words), "lower": [w.lower().strip(".;") for w in words], "chars": len(text)}


def tag_chunk(chunk: list[str]) -> list[tuple[str, int]]:
    """A chunk function that records the chunk's length: the output must not depend on chunking."""
    return [(s.upper(), len(s)) for s in chunk]


def bad_chunk(chunk: list[str]) -> list[str]:
    return chunk[:-1]


def test_chunked_hand_checked():
    assert parallel.chunked(["a", "b", "c", "d", "e"], 2) == [["a", "b"], ["c", "d"], ["e"]]
    assert parallel.chunked(["a"], 5) == [["a"]]
    assert parallel.chunked([], 5) == []


@pytest.mark.parametrize("size", [0, -1, 1.5, True])
def test_chunked_refuses_bad_size(size):
    with pytest.raises(UsageError, match="chunk_size"):
        parallel.chunked([1, 2], size)


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=20))
@settings(max_examples=60, deadline=None)
def test_chunked_property(items, size):
    chunks = parallel.chunked(items, size)
    assert [x for c in chunks for x in c] == items
    assert all(1 <= len(c) <= size for c in chunks)
    assert all(len(c) == size for c in chunks[:-1])


def test_map_documents_in_process_hand_checked():
    assert parallel.map_documents(doc_stats, ["A b.", "c"], chunk_size=1, workers=1) == [
        {"n": 2, "lower": ["a", "b"], "chars": 4}, {"n": 1, "lower": ["c"], "chars": 1}]


def test_map_chunks_two_processes_same_as_one():
    serial = parallel.map_chunks(tag_chunk, DOCS * 3, chunk_size=4, workers=1)
    assert serial[:2] == [("SHE SUED THE STUDIO.", 20), ("HE DENIED IT", 12)]
    for size in (1, 5, 100):
        assert parallel.map_chunks(tag_chunk, DOCS * 3, chunk_size=size, workers=2) == serial


def test_wrong_length_from_chunk_function_is_an_error():
    with pytest.raises(TypeError, match="chunk 0: .*one result per document"):
        parallel.map_chunks(bad_chunk, DOCS, chunk_size=3, workers=1)


def test_bad_workers_is_usage_error():
    with pytest.raises(UsageError, match="workers=0"):
        parallel.map_documents(doc_stats, DOCS, workers=0)


def test_scheduler_address_argument_then_environment(monkeypatch):
    monkeypatch.setenv(parallel.SCHEDULER_ENV, "tcp://10.1.2.3:8786")
    assert parallel.scheduler_address() == "tcp://10.1.2.3:8786"
    assert parallel.scheduler_address("tcp://h:1") == "tcp://h:1"
    assert parallel.scheduler_address("") is None            # an empty option turns the cluster off
    monkeypatch.setenv(parallel.SCHEDULER_ENV, "  ")
    assert parallel.scheduler_address() is None
    monkeypatch.delenv(parallel.SCHEDULER_ENV)
    assert parallel.scheduler_address() is None


def test_unreachable_scheduler_is_usage_error_naming_the_address(monkeypatch):
    monkeypatch.setattr(parallel, "_connect", lambda address: (_ for _ in ()).throw(
        UsageError(f"scheduler={address!r}: no Dask scheduler answers there")))
    with pytest.raises(UsageError, match="tcp://127.0.0.1:1"):
        parallel.map_documents(doc_stats, DOCS, scheduler="tcp://127.0.0.1:1")


def test_connect_refused_port_names_option_and_fix():
    with pytest.raises(UsageError, match=r"scheduler='tcp://127\.0\.0\.1:9'.*dask scheduler"):
        parallel._connect("tcp://127.0.0.1:9")


def test_local_cluster_byte_identical_to_local_run(dask_cluster, monkeypatch):
    from dask.distributed import Client

    items = DOCS * 5
    local = parallel.map_documents(doc_stats, items, chunk_size=3, workers=1)
    with Client(dask_cluster, set_as_default=False) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        by_client = parallel.map_documents(doc_stats, items, chunk_size=3, scheduler=client)
        chunks = parallel.map_chunks(tag_chunk, items, chunk_size=4, scheduler=client)
    monkeypatch.setenv(parallel.SCHEDULER_ENV, dask_cluster.scheduler_address)
    by_env = parallel.map_documents(doc_stats, items, chunk_size=7)
    assert by_client == local and by_env == local
    # byte-identical once written (pickle bytes would differ only by the memo of shared objects)
    assert json.dumps(by_client, ensure_ascii=False).encode() == json.dumps(local, ensure_ascii=False).encode()
    assert json.dumps(by_env, ensure_ascii=False).encode() == json.dumps(local, ensure_ascii=False).encode()
    assert chunks == parallel.map_chunks(tag_chunk, items, chunk_size=4, workers=1)


def test_imap_chunks_yields_one_list_per_chunk_in_order():
    got = list(parallel.imap_chunks(tag_chunk, ["ab", "c", "def"], chunk_size=2, workers=2))
    assert got == [[("AB", 2), ("C", 1)], [("DEF", 3)]]


def test_windowed_submission_holds_at_most_the_window():
    submitted, taken, cancelled = [], [], []
    chunks = [[i] for i in range(10)]
    stream = parallel._windowed(lambda c: submitted.append(c[0]) or c[0], chunks, 3, cancelled.append)
    for future in stream:
        taken.append(future)
        assert len(submitted) - len(taken) <= 3               # the window: three submitted ahead of the caller
        if len(taken) == 4:
            break
    stream.close()
    assert taken == [0, 1, 2, 3] and submitted == [0, 1, 2, 3, 4, 5, 6] and cancelled == [4, 5, 6]


_KILLED_RUN = """
import os, sys, time
from pathlib import Path
from analysis import parallel

OUT = Path(sys.argv[1])

def slow(chunk):
    (OUT / str(os.getpid())).write_text("busy")
    time.sleep(300)
    return chunk

if __name__ == "__main__":
    parallel.map_chunks(slow, list(range(8)), chunk_size=1, workers=2)
"""


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux only")
def test_workers_of_a_killed_run_do_not_finish_their_task(tmp_path):
    """SIGKILL of the parent takes its busy workers with it (they would otherwise sleep out a 300 s task)."""
    script = tmp_path / "run.py"
    script.write_text(_KILLED_RUN)
    out = tmp_path / "pids"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, str(script), str(out)], cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 120
    while len(list(out.iterdir())) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    pids = [int(p.name) for p in out.iterdir()]
    assert len(pids) == 2, "the two workers never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 60
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [p for p in pids if _alive(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert not left, f"workers {left} outlived their killed parent"
