"""Execute notebooks in place so that re-running them leaves identical files.

``python -m analysis.notebooks notebooks/*.ipynb`` (what ``make demo`` runs)
executes each notebook with nbclient, then removes what varies from run to
run and nbval does not compare anyway:

* outputs of cells marked ``NBVAL_IGNORE_OUTPUT`` (progress bars, timings);
* ipywidgets state (random model ids) from the notebook metadata;
* the kernel's temporary file names in warnings (``/tmp/ipykernel_1234/5678.py``),
  replaced by a fixed name that ``notebooks/sanitize.cfg`` also maps.

Example
-------
>>> import re
>>> re.sub(_KERNEL_FILE, _STABLE_FILE, "/tmp/ipykernel_123/456.py:7: UserWarning")
'/tmp/ipykernel_0/0.py:7: UserWarning'
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from analysis.io import atomic_write_text

_KERNEL_FILE = re.compile(r"/tmp/ipykernel_\d+/\d+\.py")
_STABLE_FILE = "/tmp/ipykernel_0/0.py"
IGNORE_MARKER = "NBVAL_IGNORE_OUTPUT"


def _ignored(cell) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return IGNORE_MARKER in cell.get("source", "") or "nbval-ignore-output" in tags


def stabilise(nb) -> None:
    """Remove run-to-run variation from an executed notebook (in place)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if _ignored(cell):
            cell.outputs = []
            continue
        for out in cell.outputs:
            if out.get("output_type") == "stream":
                out["text"] = _KERNEL_FILE.sub(_STABLE_FILE, out["text"])


def execute(path: str | Path, timeout: int = 1800) -> float:
    """Execute one notebook in place (cwd = its folder); return the seconds it took."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    stabilise(nb)
    text = nbformat.writes(nb)
    atomic_write_text(path, text if text.endswith("\n") else text + "\n")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Execute the notebooks named on the command line, in order."""
    paths = argv if argv is not None else sys.argv[1:]
    for p in paths:
        print(f"executing {p}", flush=True)
        seconds = execute(p)
        print(f"  done in {seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
