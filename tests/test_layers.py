"""The modules of fmtcodec import each other in one direction only:
``_spec`` -> ``records`` -> ``layout`` -> the fmt modules -> ``api`` -> ``stream`` -> ``cli``.

Every ``import`` is counted, those inside functions too (a deferred import is still a circle)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "fmtcodec"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            # ``from fmtcodec import api`` imports the module fmtcodec.api
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        found |= {name for name in names if name in modules}
    return found


def graph() -> dict[str, set[str]]:
    paths = [path for path in PACKAGE.rglob("*.py") if path.name != "__main__.py"]
    modules = {module_name(path) for path in paths}
    # The package's __init__ re-exports the public names; it is the top, not a layer.
    edges = {module_name(path): imports_of(path, modules) - {"fmtcodec"} for path in paths}
    edges.pop("fmtcodec")
    return edges


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*trail[trail.index(nxt):], nxt] if nxt in trail else [*trail, nxt]
            if nxt not in state and (found := visit(nxt, [*trail, nxt])):
                return found
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_no_module_imports_one_that_imports_it_back():
    assert cycle(graph()) is None


def test_records_stand_below_layout():
    edges = graph()
    assert "fmtcodec.layout" not in edges["fmtcodec.records"]
    assert edges["fmtcodec._spec"] == set()
    assert "fmtcodec.records" in edges["fmtcodec.layout"]


def test_the_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
