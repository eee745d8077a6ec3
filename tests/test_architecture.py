"""The package layout docs/architecture.md describes: no import cycle, small modules, every
factory reachable through an entry point."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads pyproject.toml")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mchnlp"
MAX_LINES = 800


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Module -> the mchnlp modules it imports anywhere in its body (lazy imports included)."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in paths]
                targets = subs + ([module] if len(subs) < len(node.names) else [])
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            deps |= {t for t in targets if t in paths and t != name}
        graph[name] = deps
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_import_graph_has_no_cycle():
    graph = _import_graph()
    assert len(graph) > 40
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_every_factory_has_an_entry_point():
    factories = (PACKAGE / "components" / "factories.py").read_text(encoding="utf-8")
    declared = {node.args[0].value for node in ast.walk(ast.parse(factories))
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "factory"}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = pyproject["project"]["entry-points"]["spacy_factories"]
    assert declared and declared == set(entry_points)
    for target in entry_points.values():
        module, _, attr = target.partition(":")
        assert attr in (ROOT / Path(*module.split("."))).with_suffix(".py").read_text(), target


CLOCK_MODULES = {"time", "timeit"}
# the time module's clocks by their name endings, and datetime's readings
CLOCK_CALLS = {name for name in dir(importlib.import_module("time"))
               if name.endswith(("_counter", "monotonic", "process_time"))} | {"now", "today",
                                                                               "utcnow"}


def test_no_test_reads_the_clock():
    """A time bound fails on a busy machine: tests assert behaviour or operation counts,
    timings live in benchmarks/."""
    offenders = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                names = {node.func.attr} & CLOCK_CALLS
            else:
                continue
            if names & (CLOCK_MODULES | CLOCK_CALLS):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
