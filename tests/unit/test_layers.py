"""The package's import graph: no cycles, every import points down a layer (docs/architecture.md), and no
module imports another module's underscore names."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "aircluster"

# Lowest first. A module may import its own layer's packages or lower ones; the packages that share a
# layer are peers, and those listed in PEERS_APART never import each other.
LAYERS: list[set[str]] = [
    {"errors", "durable", "installation", ""},  # "" is aircluster/__init__.py
    {"catalog"},
    {"security"},
    {"client"},  # what every other process holds of the server: a connection, and data keys it was given
    {"context"},
    {"store", "privacy"},
    {"jobs"},
    {"train", "cluster", "server"},
    {"plan", "demo", "cli"},
]
PEERS_APART = [{"train", "cluster"}, {"train", "server"}, {"cluster", "server"}, {"store", "privacy"}]
CLI_ONLY = {"cli"}  # nothing but the CLI itself and the demo (a command) imports it


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _target(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> list[tuple[str, list[str]]]:
    """(imported module, names taken from it) for every import of `module`, relative ones resolved."""
    path = MODULES[module]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names if a.name.startswith("aircluster")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.startswith("aircluster"):
                names = [a.name for a in node.names]
                submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
                found += [(m, []) for m in submodules]
                found.append((base, [n for n in names if f"{base}.{n}" not in MODULES]))
    return found


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for imported, _ in _imports(module):
            target = _target(imported)
            if target and target != module and target != "aircluster":
                edges[module].add(target)
    return edges


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(top: str) -> int:
    for i, layer in enumerate(LAYERS):
        if top in layer:
            return i
    raise AssertionError(f"aircluster.{top} is in no layer of tests/unit/test_layers.py: add it where it belongs")


def test_no_import_cycles():
    edges = _edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    assert cycles == []


def test_imports_point_down_the_layers():
    upward = []
    for module, targets in _edges().items():
        a = _top(module)
        for target in targets:
            b = _top(target)
            if a == b:
                continue
            if _layer(b) > _layer(a) or any({a, b} == pair for pair in PEERS_APART):
                upward.append(f"{module} -> {target}")
            elif b in CLI_ONLY and a not in ("cli", "demo"):
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_no_module_imports_another_modules_private_names():
    private = [
        f"{module}: {imported}.{name}"
        for module in MODULES
        for imported, names in _imports(module)
        for name in names
        if name.startswith("_") and not name.endswith("__") and _target(imported) != module
    ]
    assert private == []


def test_the_checks_see_a_violation():
    # The graph walk itself: a known import is found, with its names.
    assert ("aircluster.security.seal", ["AuthenticationFailed", "Sealer", "generate_key"]) in _imports(
        "aircluster.security.keys"
    )
    assert (
        "aircluster.catalog.catalog" in _edges()["aircluster.security.release"]
        or "aircluster.catalog" in _edges()["aircluster.security.release"]
    )
