"""The code keeps its architecture: imports run one way, no cycles, small modules and functions.

Layers (ARCHITECTURE.md), top to bottom: 3 the command line and the notebook runner; 2 pipeline and
paper; 1 the analysis modules; 0 corpus, io, errors, config and the other bottom modules. A module
may import from its own layer or below, never from above, and the module graph has no cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"
TOP = ("analysis.cli", "analysis.__main__", "analysis.notebooks")
PIPELINE = ("analysis.pipeline", "analysis.paper")
BOTTOM = ("analysis", "analysis.corpus", "analysis.io", "analysis.errors", "analysis.config", "analysis.selection",
          "analysis.provenance", "analysis.cleanup", "analysis.corpus_options", "analysis.lexicons")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def layer(module: str) -> int:
    """The layer of a module of the analysis package."""
    def under(prefixes):
        return any(module == p or module.startswith(p + ".") for p in prefixes)
    if under(TOP):
        return 3
    if under(PIPELINE):
        return 2
    if module in BOTTOM or under(BOTTOM[1:]):
        return 0
    return 1


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports anywhere in its file (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - (node.level - 1)]
                base = ".".join(pkg + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t.startswith("analysis") and t != name and not name.startswith(t + "."):
                found.add(t)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def test_the_layer_rule_sees_the_package():
    assert layer("analysis.cli.pipeline_cmds") == 3 and layer("analysis.pipeline") == 2
    assert layer("analysis.roles.patterns") == 1 and layer("analysis.io") == 0


def test_imports_never_go_up_a_layer(graph):
    upward = sorted(f"{a} (layer {layer(a)}) imports {b} (layer {layer(b)})"
                    for a, targets in graph.items() for b in targets if layer(b) > layer(a))
    assert not upward, "\n".join(upward)


def test_no_import_cycles(graph):
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state.get(nxt) is None:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            cycle = visit(node)
            assert cycle is None, " -> ".join(cycle)


def test_a_planted_upward_import_is_caught(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from analysis.cli import main\n")
    assert imports_of("analysis.io", bad, {"analysis.cli", "analysis.io"}) == {"analysis.cli"}


def _function_lengths(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                body = body[1:]
            if body:
                yield node.name, node.lineno, body[-1].end_lineno - body[0].lineno + 1


def test_no_module_over_the_limit():
    long = [f"{p.relative_to(PACKAGE.parent)}: {n} lines" for p in sorted(PACKAGE.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert not long, "\n".join(long)


def test_no_function_body_over_the_limit():
    long = [f"{p.relative_to(PACKAGE.parent)}:{line} {name}: {n} lines" for p in sorted(PACKAGE.rglob("*.py"))
            for name, line, n in _function_lengths(p) if n > MAX_FUNCTION_LINES]
    assert not long, "\n".join(long)


def test_function_length_counts_the_body_without_the_docstring(tmp_path):
    f = tmp_path / "f.py"
    f.write_text('def g():\n    """Doc.\n\n    More.\n    """\n    a = 1\n    return a\n')
    assert list(_function_lengths(f)) == [("g", 1, 2)]
