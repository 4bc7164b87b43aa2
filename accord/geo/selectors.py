"""Reads of a mechanism's geography: its area and zones as its charter names them.

The charter file the process was loaded from (``Process.charter_path``) is read again
and kept while the file is unchanged (its modification time and size). A mechanism
whose charter names no geography, or whose charter is no longer readable, has an empty
``Geography``: the page then shows land only. The caller fetched ``mechanism`` through
``process.access.mechanism_access`` (structure is shared by every participant).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from accord.geo.zones import Geography, Zone
from accord.process.charter import CharterInvalid, charter_read

if TYPE_CHECKING:
    from accord.process.models import Mechanism


@functools.lru_cache(maxsize=8)
def _charter_geography(path: str, mtime_ns: int, size: int) -> dict[str, Geography]:
    charter = charter_read(path)
    return {m.code: charter.geography_of(m.code) for m in charter.mechanisms}


def geography_of(mechanism: Mechanism) -> Geography:
    """The area and zones of ``mechanism`` (empty when its charter names none)."""
    path = mechanism.process.charter_path
    try:
        stat = os.stat(path)
        by_code = _charter_geography(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, CharterInvalid):
        return Geography()
    return by_code.get(mechanism.code) or Geography()


def zones_of(mechanism: Mechanism) -> tuple[Zone, ...]:
    """The zones of ``mechanism`` (lanes, separation zone, territorial seas...)."""
    return geography_of(mechanism).zones


def area_of(mechanism: Mechanism) -> Zone | None:
    """The area of ``mechanism``, or None if its charter draws none."""
    return geography_of(mechanism).area
