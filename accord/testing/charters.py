"""The default charter copied to a test's own folder, with the geography files it names
(``charters/geo``): a copy of the YAML alone no longer loads, since a missing GeoJSON
file is a charter problem."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings


def default_charter_copy(folder: Path, *, name: str = "charter.yaml") -> Path:
    """Copy the default charter and its ``geo/`` folder into ``folder``; the copy's path."""
    source = Path(settings.ACCORD_DEFAULT_CHARTER)
    copy = folder / name
    shutil.copy(source, copy)
    if not (folder / "geo").exists():
        shutil.copytree(source.parent / "geo", folder / "geo")
    return copy
