"""The notebooks work for any corpus: parameters, no corpus names in code, and a papermill run on a second corpus.

The second corpus is the teaching corpus with its regions renamed (``hollywood``
-> ``us``, ``bollywood`` -> ``india``), the third region dropped and every second
document kept. Every notebook is executed on it with papermill, with
``METOO_WORKBENCH_ROOT`` pointing at a temporary project root, so caches,
results and figures go under ``tmp_path`` and never into the repository.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("0[1-8]-*.ipynb"))
TEACHING = REPO / "data" / "raw" / "teaching"
RENAME = {"hollywood": "us", "bollywood": "india"}
NAME = "renamed"
#: Names of the teaching corpus and its groups, which must not appear in code cells.
FORBIDDEN = re.compile(r"teaching|hollywood|bollywood|pakistan", re.IGNORECASE)
#: Small settings so that the whole run stays short; only those a notebook declares are passed.
SMALL = {"K_GRID": [4, 5], "N_SEEDS": 2, "N_DRAWS": 10, "N_BOOT": 100, "N_PERM": 100}
#: Figures (and files) each notebook must write into the corpus's figures folder.
EXPECTED = {
    "01": ["fig01_documents_by_group_year", "fig02_article_length"],
    "02": ["fig10_document_frequency"],
    "03": ["fig03_model_selection"],
    "04": ["fig04_topic_group_contrasts", "fig05_topic_gender_contrasts", "fig11_topics_over_time"],
    "05": ["fig12_frame_rates_by_group"],
    "06": ["fig08_agency_by_role"],
    "07": ["fig09_keyness"],
    "08": ["fig06_frame_group_contrasts", "fig07_frame_gender_contrasts", "tab01_frame_effects",
           "tab02_topic_prevalence_effects", "tab03_topic_labels", "tab04_model_selection"],
}


def parameters_cell(nb) -> str:
    """Source of the cell tagged ``parameters`` (papermill's convention)."""
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell must be tagged 'parameters'"
    return cells[0].source


def corpus_names_in_code(nb) -> list[str]:
    """Lines of code cells naming the teaching corpus or one of its groups (the default CORPUS excepted)."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if FORBIDDEN.search(line) and not re.fullmatch(r"CORPUS = PATHS\.teaching(\s+#.*)?", line.strip()):
                found.append(line)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_notebook_takes_corpus_and_group_by(path):
    source = parameters_cell(nbformat.read(path, as_version=4))
    assert re.search(r"^CORPUS = PATHS\.teaching\b", source, re.MULTILINE)
    assert re.search(r'^GROUP_BY = "region"', source, re.MULTILINE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_no_corpus_or_group_name_in_code(path):
    assert corpus_names_in_code(nbformat.read(path, as_version=4)) == []


def test_the_name_check_catches_a_planted_group_label():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('CORPUS = PATHS.teaching\nx = docs[docs.region == "Pakistan"]')]
    assert corpus_names_in_code(nb) == ['x = docs[docs.region == "Pakistan"]']


def test_all_eight_notebooks_are_checked():
    assert [p.name[:2] for p in NOTEBOOKS] == list(EXPECTED)


def renamed_corpus(target: Path) -> Path:
    """The teaching corpus with regions renamed, one dropped and every second document kept."""
    (target / "texts").mkdir(parents=True)
    with open(TEACHING / "documents.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["region"] in RENAME][::2]
    for row in rows:
        row["region"] = RENAME[row["region"]]
        shutil.copyfile(TEACHING / "texts" / f"{row['doc_id']}.txt", target / "texts" / f"{row['doc_id']}.txt")
    with open(TEACHING / "cases.csv", newline="", encoding="utf-8") as f:
        cases = [dict(r, region=RENAME[r["region"]]) for r in csv.DictReader(f) if r["region"] in RENAME]
    for name, table in (("documents.csv", rows), ("cases.csv", cases)):
        with open(target / name, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(table[0]))
            writer.writeheader()
            writer.writerows(table)
    (target / "README.md").write_text("Test corpus: the fictional teaching corpus, regions renamed.\n")
    # The declared order differs from the order of first appearance (india first), so it must be read.
    (target / "corpus.yaml").write_text("group_order:\n  region: [us, india]\n")
    return target


def leaked_into(figures: Path) -> list[str]:
    """Figure indexes under ``figures`` that record the test corpus (none may).

    Other people's runs may rewrite the repository's teaching figures while the
    test runs (one shared checkout), so the check looks for what only this test
    can write: an index entry naming the test corpus.
    """
    leaked = []
    for index in sorted(figures.rglob("index.json")):
        for name, entry in json.loads(index.read_text(encoding="utf-8")).items():
            if entry.get("parameters", {}).get("corpus") == NAME:
                leaked.append(f"{index}: {name}")
    return leaked


def test_the_leak_check_finds_an_entry_of_the_test_corpus(tmp_path):
    (tmp_path / "teaching").mkdir()
    entry = {"fig01": {"parameters": {"corpus": NAME, "by": "region"}}}
    (tmp_path / "teaching" / "index.json").write_text(json.dumps(entry))
    assert leaked_into(tmp_path) == [f"{tmp_path / 'teaching' / 'index.json'}: fig01"]


def test_renamed_corpus_has_two_renamed_regions(tmp_path):
    path = renamed_corpus(tmp_path / NAME)
    with open(path / "documents.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["region"] for r in rows} == {"us", "india"}
    assert len(rows) == 62
    assert all((path / "texts" / f"{r['doc_id']}.txt").is_file() for r in rows)


@pytest.mark.slow
def test_every_notebook_runs_on_another_corpus(tmp_path, monkeypatch):
    import papermill

    root = tmp_path / "root"
    for sub in ("data/raw", "data/processed", "figures", "notebooks"):
        (root / sub).mkdir(parents=True)
    corpus_dir = renamed_corpus(tmp_path / NAME)
    monkeypatch.setenv("METOO_WORKBENCH_ROOT", str(root))
    figures_dir = root / "figures" / NAME
    for path in NOTEBOOKS:
        declared = papermill.inspect_notebook(str(path))
        assert {"CORPUS", "GROUP_BY"} <= set(declared)
        parameters = {"CORPUS": str(corpus_dir), "GROUP_BY": "region",
                      **{k: v for k, v in SMALL.items() if k in declared}}
        papermill.execute_notebook(str(path), str(root / "notebooks" / path.name), parameters=parameters,
                                   cwd=str(root / "notebooks"), kernel_name="python3", progress_bar=False)
        index = json.loads((figures_dir / "index.json").read_text())
        for name in EXPECTED[path.name[:2]]:
            assert name in index, f"{path.name} did not record {name} in {figures_dir}"
            assert index[name]["parameters"]["corpus"] == NAME
            assert index[name]["parameters"]["by"] == "region"
            assert all((figures_dir / f).is_file() for f in index[name]["files"])
    assert (figures_dir / "ldavis.html").is_file()
    assert sorted(p.name for p in (root / "figures").iterdir()) == [NAME]
    assert (root / "data" / "processed" / NAME / "results" / "manifest.json").is_file()
    manifest = json.loads((root / "data" / "processed" / NAME / "results" / "manifest.json").read_text())
    assert manifest["levels"] == ["us", "india"]
    assert not (REPO / "figures" / NAME).exists() and not (REPO / "data" / "processed" / NAME).exists()
    assert leaked_into(REPO / "figures") == []
