"""The import contracts cover every module: each one sits in a layer of pyproject.toml.

``lint-imports`` checks the imports of the modules the layers name; a module in no
layer is not checked itself (only imports that pass through it are). So every module
of the project (a package counts for its submodules) must be named in a layer, and
every name there must exist or be marked optional with parentheses.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Not part of the layered code: tests and their helpers, migrations, settings, the apps'
# configuration classes, package markers.
NOT_LAYERED_PARTS = {"tests", "migrations", "testing", "__pycache__"}
NOT_LAYERED_NAMES = {"accord.settings", "accord.__init__"}


def _layers() -> list[tuple[str, bool]]:
    """(module, optional) for every module the layers contract names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    named = []
    for layer in layers:
        for name in layer.replace("|", ":").split(":"):
            name = name.strip()
            optional = name.startswith("(")
            named.append((name.strip("()"), optional))
    return named


def _modules() -> set[str]:
    found = set()
    for path in (ROOT / "accord").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if NOT_LAYERED_PARTS & set(parts) or parts[-1] in {"__init__", "apps"}:
            continue
        found.add(".".join(parts))
    return found - NOT_LAYERED_NAMES


def _covered(module: str, named: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in named)


def test_every_module_is_in_a_layer():
    named = {name for name, _ in _layers()}
    unlisted = sorted(m for m in _modules() if not _covered(m, named))
    assert unlisted == [], "add these to a layer in pyproject.toml: " + ", ".join(unlisted)


def test_every_required_layer_module_exists():
    modules = _modules()
    missing = [
        name
        for name, optional in _layers()
        if not optional and not any(m == name or m.startswith(name + ".") for m in modules)
    ]
    assert missing == [], "rename or remove these in pyproject.toml: " + ", ".join(missing)


def test_no_existing_module_is_marked_optional():
    """Parentheses are for a module not written yet: one that exists is named plainly, so
    renaming it fails the lint."""
    modules = _modules()
    present = [
        name
        for name, optional in _layers()
        if optional and any(m == name or m.startswith(name + ".") for m in modules)
    ]
    assert present == [], "drop the parentheses around these in pyproject.toml: " + ", ".join(
        present
    )


def _module_of_an_app(module: str) -> str | None:
    """``accord.<app>.<module>`` for a module of an app (tests and migrations left out)."""
    parts = module.split(".")
    if len(parts) < 3 or NOT_LAYERED_PARTS & set(parts):
        return None
    return ".".join(parts[:3])


def test_no_circle_between_the_modules_of_different_apps():
    """``acyclic_siblings`` checks the modules of one app; this checks across apps: no
    chain of imports leads from a module of one app through another app back to it
    (``accounts.services`` -> ``process.services`` -> ``accounts.services``)."""
    import grimp

    graph = grimp.build_graph("accord", exclude_type_checking_imports=True)
    edges: dict[str, set[str]] = {}
    for importer in graph.modules:
        source = _module_of_an_app(importer)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            target = _module_of_an_app(imported)
            if target is not None and target != source:
                edges.setdefault(source, set()).add(target)
    # Tarjan's strongly connected components; a component spanning two apps is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len({m.split(".")[1] for m in component}) > 1:
                circles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert circles == [], f"circles between apps: {circles}"
