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
