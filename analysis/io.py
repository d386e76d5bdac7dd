"""Atomic file and folder writes, content hashes and stale-temporary clean-up.

Every file the workbench writes goes through here: a temporary name that is
unique per process (it carries the process id), then ``os.replace`` onto the
target, so a reader never sees half a file and a killed writer leaves at most
a temporary that :func:`clean_stale_temporaries` removes later. Files get the
permissions the user's umask gives (``tempfile.mkstemp`` would make them
0600, unreadable for collaborators on a shared server).

Example
-------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(d / "a.txt", "hello")
>>> (d / "a.txt").read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

#: Marker in every temporary name: ``.<name>.tmp-<pid>-<random><suffix>``.
TMP_MARK = ".tmp-"


def _umask() -> int:
    # os.umask can only be read by setting it; set it back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _tmp_prefix(target: Path) -> str:
    return f".{target.name}{TMP_MARK}{os.getpid()}-"


def atomic_write(target: str | Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp_path)``, then rename the temporary file onto ``target``.

    The temporary lives in the target's folder (same file system, so the
    rename is atomic) and is removed if ``write`` fails.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=_tmp_prefix(target), suffix=target.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(target: str | Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write(target, lambda p: p.write_text(text, encoding="utf-8"))


def atomic_write_bytes(target: str | Path, data: bytes) -> None:
    """Write bytes atomically."""
    atomic_write(target, lambda p: p.write_bytes(data))


def atomic_write_csv(target: str | Path, frame: pd.DataFrame, **kwargs) -> None:
    """Write a DataFrame as CSV atomically with ``\\n`` line ends.

    Floats are written at full (round-trip) precision, so a figure drawn from
    the CSV is identical to one drawn from the DataFrame in memory.
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    atomic_write(target, lambda p: frame.to_csv(p, **kwargs))


def atomic_write_json(target: str | Path, data: object) -> None:
    """Write JSON deterministically (sorted keys, one-space indent, final newline)."""
    atomic_write_text(target, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


@contextlib.contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """Build a folder under a temporary name and rename it onto ``target`` in one step.

    An existing ``target`` is replaced. If the block raises, the temporary
    folder is removed and ``target`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_folder(d / "model") as tmp:
    ...     _ = (tmp / "part").write_text("x")
    >>> sorted(p.name for p in (d / "model").iterdir())
    ['part']
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=_tmp_prefix(target)))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        if target.exists():
            old = target.with_name(f"{_tmp_prefix(target)}old")
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _temporaries_in(folder: Path, recursive: bool) -> list[Path]:
    """Temporary names under ``folder``, tolerating folders that vanish during the scan.

    Written by hand instead of ``Path.rglob``: while one process scans,
    another may rename its finished temporary folder onto the target or
    remove a replaced model folder, and ``rglob`` (Python 3.11) lets that
    ``FileNotFoundError`` escape from its ``scandir``. ``os.walk`` skips a
    folder it can no longer list (its ``onerror`` is None).
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        found += [Path(root, name) for name in dirs + files if name.startswith(".") and TMP_MARK in name]
        if not recursive:
            dirs.clear()
    return sorted(found)


def clean_stale_temporaries(folder: str | Path, *, recursive: bool = True, min_age: float = 2.0) -> list[Path]:
    """Remove temporaries left in ``folder`` by processes that are no longer alive.

    Returns the removed paths. Temporaries of living processes are kept, and
    so is anything modified less than ``min_age`` seconds ago (a second guard,
    should a process id have been reused or read from another namespace).
    ``recursive=False`` looks only at the folder's own entries (for a folder
    the workbench does not own, such as the parent of an ``--out`` folder).
    Safe while other processes write and rename in ``folder``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / ".a.csv.tmp-999999999-x.csv").write_text("half")
    >>> clean_stale_temporaries(d, min_age=0)[0].name
    '.a.csv.tmp-999999999-x.csv'
    """
    folder = Path(folder)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in _temporaries_in(folder, recursive):
        rest = path.name.split(TMP_MARK, 1)[1]
        pid_text = rest.split("-", 1)[0]
        if not pid_text.isdigit() or _pid_alive(int(pid_text)):
            continue
        try:
            if time.time() - path.lstat().st_mtime < min_age:
                continue
        except FileNotFoundError:
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def sha256_file(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_text(text: str) -> str:
    """SHA-256 hex digest of a string's UTF-8 bytes.

    Examples
    --------
    >>> sha256_text("")[:8]
    'e3b0c442'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
