"""Map a pure per-document function over chunks of documents: in-process, in local processes, or on Dask.

Every per-document stage of the workbench is a pure function of (document,
parameters) (DESIGN.md section 7), so the same function can run in this
process, in ``workers`` local processes (both cores of a small machine), or
on a ``dask.distributed`` cluster (Rocklin 2015, "Dask: parallel computation
with blocked algorithms and task scheduling"). The documents are cut into
chunks of ``chunk_size`` in input order, each chunk is one task, and the
results are put back together in input order, so the output does not depend
on the number of workers or on where they run.

The cluster is chosen by ``scheduler=ADDRESS`` (for example
``tcp://10.0.0.5:8786``) or, when no address is given, by the environment
variable ``METOO_DASK_SCHEDULER``. Without either, the work stays local.

Example
-------
>>> from analysis.parallel import map_documents
>>> map_documents(len, ["a", "bb", "ccc"], chunk_size=2, workers=1)
[1, 2, 3]
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from analysis.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

#: Environment variable naming a ``dask.distributed`` scheduler (``tcp://host:8786``).
SCHEDULER_ENV = "METOO_DASK_SCHEDULER"
#: Documents per task unless told otherwise.
CHUNK_SIZE = 200
#: Local worker processes unless told otherwise (the 2-core development machine).
WORKERS = 2
#: Chunks submitted ahead per worker (or per Dask worker thread): bounds the inputs and results held.
IN_FLIGHT = 2


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """Cut ``items`` into consecutive lists of at most ``size`` (input order kept).

    Examples
    --------
    >>> chunked([1, 2, 3, 4, 5], 2)
    [[1, 2], [3, 4], [5]]
    >>> chunked([], 3)
    []
    """
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise UsageError(f"chunk_size={size!r}: must be a whole number of documents, at least 1")
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]


def scheduler_address(scheduler: str | None = None) -> str | None:
    """The Dask scheduler to use: ``scheduler`` if given, else ``$METOO_DASK_SCHEDULER``, else None (local).

    An empty string means local too, so ``METOO_DASK_SCHEDULER=`` turns the
    cluster off for one command.

    Examples
    --------
    >>> scheduler_address("tcp://127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    >>> import os; os.environ.pop("METOO_DASK_SCHEDULER", None) and None
    >>> scheduler_address() is None
    True
    """
    address = scheduler if scheduler is not None else os.environ.get(SCHEDULER_ENV)
    address = (address or "").strip()
    return address or None


def _apply_each(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    """``[func(x) for x in chunk]`` (a top-level function, so it pickles for processes and Dask)."""
    return [func(item) for item in chunk]


def _check_chunk_result(result: Any, index: int, n_in: int) -> list:
    if not isinstance(result, list) or len(result) != n_in:
        got = f"a list of {len(result)}" if isinstance(result, list) else type(result).__name__
        raise TypeError(f"chunk {index}: the chunk function returned {got}; it must return a list with "
                        f"one result per document ({n_in})")
    return result


def _windowed(submit: Callable[[list[T]], Any], chunks: list[list[T]], window: int,
              cancel: Callable[[Any], Any]) -> Iterator[Any]:
    """Futures of ``submit(chunk)``, in input order, with at most ``window`` submitted and not yet yielded.

    Results that the caller has not taken yet never pile up: memory is
    bounded by the window, not by the number of chunks.
    """
    pending: deque = deque()
    rest = iter(chunks)
    try:
        for chunk in itertools.islice(rest, window):
            pending.append(submit(chunk))
        while pending:
            future = pending.popleft()
            nxt = next(rest, None)
            if nxt is not None:
                pending.append(submit(nxt))
            yield future
    finally:
        for future in pending:
            cancel(future)


def _watch(parent: int, every: float) -> None:
    """Exit this process as soon as process ``parent`` is gone (run in a daemon thread)."""
    import time

    while True:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:     # alive, owned by someone else (cannot happen for our own parent)
            pass
        time.sleep(every)


def die_with_parent(parent: int | None = None, every: float = 0.5) -> None:
    """Pool-worker initializer: the worker dies with the process that started the pool.

    A run killed with SIGKILL must not leave workers behind that finish their
    current task (minutes of parsing) or sit idle holding the parent's files and
    memory. On Linux ``prctl(PR_SET_PDEATHSIG)`` kills the worker when its direct
    parent dies (no binding in the standard library, hence ctypes); that covers
    ``fork`` workers. Under ``forkserver`` the direct parent is the fork server,
    which outlives a killed run, so with ``parent`` (the pool owner's pid, passed
    as ``initargs``) a daemon thread also checks every ``every`` seconds that the
    owner is alive and ends the worker when it is not. ``os.kill(pid, 0)`` is the
    POSIX existence test; on Windows this is a no-op.

    Examples
    --------
    >>> die_with_parent()        # in a worker process; harmless anywhere
    """
    if sys.platform == "win32":
        return
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)   # 1 = PR_SET_PDEATHSIG
        except OSError:
            pass
    if parent is not None and parent != os.getpid():
        import threading

        threading.Thread(target=_watch, args=(parent, every), daemon=True, name="die-with-parent").start()


def _local(func: Callable[[list[T]], list[R]], chunks: list[list[T]], workers: int) -> Iterator[list[R]]:
    if workers <= 1 or len(chunks) <= 1:
        yield from (func(chunk) for chunk in chunks)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    n = min(workers, len(chunks))
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        for future in _windowed(lambda c: pool.submit(func, c), chunks, IN_FLIGHT * n, lambda f: f.cancel()):
            yield future.result()


def _connect(address: str):
    try:
        from dask.distributed import Client
    except ImportError as exc:      # pragma: no cover - dask[distributed] is a declared dependency
        raise UsageError(f"scheduler={address!r}: dask.distributed is not installed; "
                         "install it with 'pip install \"dask[distributed]\"' or run locally") from exc
    try:
        return Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"scheduler={address!r} (or ${SCHEDULER_ENV}): no Dask scheduler answers there "
                         f"({type(exc).__name__}); start one with 'dask scheduler' and workers with "
                         f"'dask worker {address}', or leave the option out to run locally") from exc


def _on_cluster(func: Callable[[list[T]], list[R]], chunks: list[list[T]], client) -> Iterator[list[R]]:
    threads = max(sum(client.nthreads().values()), 1)
    for future in _windowed(lambda c: client.submit(func, c, pure=False), chunks, IN_FLIGHT * threads,
                            client.cancel):
        yield future.result()           # in submission order = input order


def _client_for(scheduler: Any):
    """(client or None, whether this call opened it and must close it)."""
    if scheduler is not None and not isinstance(scheduler, str):
        return scheduler, False                               # a connected dask Client
    address = scheduler_address(scheduler)
    return (_connect(address), True) if address is not None else (None, False)


def imap_chunks(func: Callable[[list[T]], list[R]], items: Sequence[T], *, chunk_size: int = CHUNK_SIZE,
                workers: int = WORKERS, scheduler: Any = None) -> Iterator[list[R]]:
    """Like :func:`map_chunks`, but yield each chunk's results as soon as it is its turn (input order).

    For streaming: a caller can write every chunk (a parquet row group, say)
    and drop it before the next one arrives.

    Examples
    --------
    >>> [r for r in imap_chunks(_apply_each_len, ["a", "bb", "ccc"], chunk_size=2, workers=1)]
    [[1, 2], [3]]
    """
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise UsageError(f"workers={workers!r}: must be a whole number, at least 1")
    chunks = chunked(items, chunk_size)
    client, own = _client_for(scheduler)
    try:
        results = _on_cluster(func, chunks, client) if client is not None else _local(func, chunks, workers)
        for index, (chunk, result) in enumerate(zip(chunks, results, strict=True)):
            yield _check_chunk_result(result, index, len(chunk))
    finally:
        if own:
            client.close()


def _apply_each_len(chunk: Sequence[Any]) -> list[int]:
    return [len(x) for x in chunk]


def map_chunks(func: Callable[[list[T]], list[R]], items: Sequence[T], *, chunk_size: int = CHUNK_SIZE,
               workers: int = WORKERS, scheduler: Any = None) -> list[R]:
    """Apply ``func`` to consecutive chunks of ``items``; the per-item results, flattened, in input order.

    Use this form when ``func`` has a set-up cost worth sharing across a
    chunk (a spaCy model, ``nlp.pipe`` batching); ``func(chunk)`` must return
    one result per item of the chunk and depend on nothing but its input.

    Parameters
    ----------
    func : callable
        A top-level (picklable) function from a list of items to a list of results.
    items : sequence
        The documents (or any per-document inputs).
    chunk_size : int
        Items per task.
    workers : int
        Local processes (1 runs in this process). Ignored on a cluster.
    scheduler : str or dask.distributed.Client, optional
        A Dask scheduler address (or a connected ``Client``); default
        ``$METOO_DASK_SCHEDULER``; none means local.

    Returns
    -------
    list
        ``func`` applied to every item, in the order of ``items``, the same
        whatever ``workers``, ``chunk_size`` or ``scheduler``.

    Examples
    --------
    >>> def upper_all(chunk):
    ...     return [s.upper() for s in chunk]
    >>> map_chunks(upper_all, ["a", "b", "c"], chunk_size=2, workers=1)
    ['A', 'B', 'C']
    """
    out: list[R] = []
    for result in imap_chunks(func, items, chunk_size=chunk_size, workers=workers, scheduler=scheduler):
        out.extend(result)
    return out


def map_documents(func: Callable[[T], R], items: Sequence[T], *, chunk_size: int = CHUNK_SIZE,
                  workers: int = WORKERS, scheduler: Any = None) -> list[R]:
    """Apply a pure per-document function ``func`` to every item, chunk by chunk; results in input order.

    The same as :func:`map_chunks` with ``func`` applied to each item of a chunk.

    Examples
    --------
    >>> map_documents(str.split, ["a b", "c"], workers=1)
    [['a', 'b'], ['c']]
    """
    return map_chunks(functools.partial(_apply_each, func), items, chunk_size=chunk_size, workers=workers,
                      scheduler=scheduler)
