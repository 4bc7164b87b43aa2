"""Conflict checks: a planned area and window against notified sites and movements.

Pure (shapely 2 and pyproj; no Django). Geometries come in as WGS 84 longitude/latitude
(GeoJSON order) and are projected once, on entry, to a local azimuthal equidistant
projection centred on the mechanism's area, so buffers, corridors and distances are in
metres, not degrees (within a few hundred kilometres of the centre the error is well
under 0.5 %). The index keeps every notified geometry with its buffer applied in an
STRtree; an addition or removal is seen by the very next check without a rebuild (the
tree's changed entries are skipped, the added ones checked one by one, until
``rebuild_after`` changes make the next check rebuild the tree). A check queries it with
the planned area, itself buffered and prepared, then keeps what overlaps in time.

A *site* is in force without a window (``starts_at``/``ends_at`` None: always); a
*movement* only in its window. Windows are half-open ``[starts_at, ends_at)``, aware
datetimes.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

# The Lebanon mechanism's centre (longitude, latitude): the default projection's origin.
LEBANON_CENTRE = (35.86, 33.87)


class Projection:
    """Longitude/latitude (WGS 84) to metres on a plane centred at ``centre``."""

    def __init__(self, centre: tuple[float, float] = LEBANON_CENTRE) -> None:
        lon, lat = centre
        self.centre = centre
        self._forward = Transformer.from_crs(
            "EPSG:4326",
            f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs",
            always_xy=True,
        )

    def to_metres(self, geometry: BaseGeometry) -> BaseGeometry:
        """``geometry`` (lon/lat) on the plane, in metres."""
        return shapely.transform(geometry, self._forward.transform, interleaved=False)


@dataclass(frozen=True)
class Notified:
    """One site or movement as the index holds it. ``geometry``: lon/lat; ``buffer_m``:
    metres around it (a site's buffer, half a movement's corridor width)."""

    key: str
    kind: str  # "site" or "movement"
    geometry: BaseGeometry
    buffer_m: float
    label: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


class Conflict(NamedTuple):
    """A notified site or movement the planned activity touches (a named tuple: a check
    may find hundreds, and each is built in the check's time).

    ``distance_m``: metres between the planned area (without its buffer) and the site's
    or route's own geometry (without its buffer); 0 where they meet. ``overlap_from`` and
    ``overlap_until``: the part of the planned window during which the notification is in
    force (the whole planned window for a site)."""

    key: str
    kind: str
    label: str
    distance_m: float
    overlap_from: dt.datetime
    overlap_until: dt.datetime

    @property
    def overlap_seconds(self) -> float:
        return (self.overlap_until - self.overlap_from).total_seconds()


def window_overlap(
    planned_from: dt.datetime,
    planned_until: dt.datetime,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
) -> tuple[dt.datetime, dt.datetime] | None:
    """The shared part of ``[planned_from, planned_until)`` and the notification's window
    (None bounds: open), or None when they do not meet."""
    start = planned_from if starts_at is None else max(planned_from, starts_at)
    end = planned_until if ends_at is None else min(planned_until, ends_at)
    return (start, end) if start < end else None


@dataclass
class _Entry:
    item: Notified
    plane: BaseGeometry  # the geometry in metres
    buffered: BaseGeometry  # with its buffer


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)
_NEVER_BEFORE = np.iinfo(np.int64).min
_NEVER_AFTER = np.iinfo(np.int64).max
# A buffer drawn by GEOS (16 segments a quarter circle) lies between the distance
# ``r * cos(pi / 64)`` (0.9988 r) from its geometry and ``r``: nearer than ``SURELY`` r
# the buffer is certainly met, farther than r certainly not; in between the buffer itself
# is asked. So the answer is the plain intersection's exactly, at the cost of a distance.
SURELY = 0.995


_NEAREST_FIRST = operator.itemgetter(3, 0)  # distance_m, then key


def _micros(moment: dt.datetime | None, default: int) -> int:
    return default if moment is None else (moment - _EPOCH) // _MICRO


@dataclass
class ConflictIndex:
    """Notified sites and movements, indexed for conflict checks (see the module's text)."""

    projection: Projection = field(default_factory=Projection)
    _entries: dict[str, _Entry] = field(default_factory=dict)
    _tree: STRtree | None = None
    # The tree's entries, by position (a snapshot: the tree cannot change), and the same
    # as arrays for the vectorised check: geometries in metres, buffers, windows (integer
    # microseconds, open ends as the extremes) and whether the entry still counts.
    _order: list[_Entry] = field(default_factory=list)
    _planes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    _buffered: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    _radii: np.ndarray = field(default_factory=lambda: np.empty(0))
    _starts: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    _ends: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    _alive: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    _position: dict[str, int] = field(default_factory=dict)
    _rows: list[tuple[str, str, str, dt.datetime | None, dt.datetime | None]] = field(
        default_factory=list
    )
    # Changes since the tree was built: keys whose tree entry no longer counts (removed
    # or replaced), and entries added since (checked one by one until the next rebuild).
    _stale: set[str] = field(default_factory=set)
    _added: dict[str, _Entry] = field(default_factory=dict)
    # Past this many changes the tree is rebuilt at the next check.
    rebuild_after: int = 500

    @classmethod
    def of(cls, items: Iterable[Notified], projection: Projection | None = None) -> ConflictIndex:
        index = cls(projection=projection or Projection())
        index.add_many(items)
        return index

    def __len__(self) -> int:
        return len(self._entries)

    def _retire(self, key: str) -> None:
        self._stale.add(key)
        position = self._position.get(key)
        if position is not None:
            self._alive[position] = False

    def add_many(self, items: Iterable[Notified]) -> None:
        items = list(items)
        if not items:
            return
        planes = [self.projection.to_metres(item.geometry) for item in items]
        buffered = shapely.buffer(
            np.array(planes, dtype=object), np.array([max(i.buffer_m, 0.0) for i in items])
        )
        for item, plane, zone in zip(items, planes, buffered, strict=True):
            entry = _Entry(item, plane, zone)
            self._entries[item.key] = entry
            if self._tree is not None:
                self._retire(item.key)
                self._added[item.key] = entry

    def add(self, item: Notified) -> None:
        """Add or replace ``item`` (same key: an amendment); seen by the next check."""
        self.add_many([item])

    def remove(self, key: str) -> None:
        """Drop ``key`` (withdrawn, expired, superseded); seen by the next check."""
        if self._entries.pop(key, None) is not None and self._tree is not None:
            self._retire(key)
            self._added.pop(key, None)

    def _ensure_tree(self) -> STRtree:
        if self._tree is None or len(self._stale) > self.rebuild_after:
            order = list(self._entries.values())
            self._order = order
            self._planes = np.array([e.plane for e in order], dtype=object)
            self._buffered = np.array([e.buffered for e in order], dtype=object)
            self._radii = np.array([max(e.item.buffer_m, 0.0) for e in order], dtype=float)
            self._starts = np.array(
                [_micros(e.item.starts_at, _NEVER_BEFORE) for e in order], dtype=np.int64
            )
            self._ends = np.array(
                [_micros(e.item.ends_at, _NEVER_AFTER) for e in order], dtype=np.int64
            )
            self._alive = np.ones(len(order), dtype=bool)
            self._position = {e.item.key: n for n, e in enumerate(order)}
            self._rows = [
                (e.item.key, e.item.kind, e.item.label, e.item.starts_at, e.item.ends_at)
                for e in order
            ]
            self._tree = STRtree(self._buffered)
            self._stale, self._added = set(), {}
        return self._tree

    def _hits(
        self, zone: BaseGeometry, plane: BaseGeometry, start: int, until: int, buffered: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """The tree's positions whose buffered geometry meets ``zone`` and whose window
        meets ``[start, until)`` (microseconds), with their distances to ``plane``: one
        query of the bounding boxes, then the windows, then distances (vectorised)."""
        tree = self._ensure_tree()
        found = tree.query(zone)
        found = found[
            self._alive[found] & (self._starts[found] < until) & (self._ends[found] > start)
        ]
        if not len(found):
            return found, np.empty(0)
        gap = shapely.distance(zone, self._planes[found])
        radii = self._radii[found]
        meets = gap < radii * SURELY
        edge = ~meets & (gap <= radii)
        if edge.any():
            shapely.prepare(zone)
            meets[edge] = shapely.intersects(zone, self._buffered[found[edge]])
        found, gap = found[meets], gap[meets]
        if buffered:
            gap = shapely.distance(plane, self._planes[found])
        return found, gap

    def check(
        self,
        area: BaseGeometry,
        *,
        buffer_m: float,
        planned_from: dt.datetime,
        planned_until: dt.datetime,
    ) -> list[Conflict]:
        """Every notified site or movement whose buffered geometry meets ``area`` (lon/lat)
        buffered by ``buffer_m`` metres and whose window meets the planned one; nearest
        first."""
        if not self._entries:
            return []
        plane = self.projection.to_metres(area)
        zone = plane.buffer(buffer_m) if buffer_m > 0 else plane
        start, until = _micros(planned_from, 0), _micros(planned_until, 0)
        positions, gaps = self._hits(zone, plane, start, until, buffer_m > 0)
        rows, since, before = self._rows, planned_from, planned_until
        found = []
        # The windows met already (``_hits``): the overlap is the later start and the
        # earlier end.
        for position, gap in zip(positions.tolist(), np.round(gaps, 1).tolist(), strict=True):
            key, kind, label, starts, ends = rows[position]
            found.append(
                Conflict(
                    key,
                    kind,
                    label,
                    gap,
                    since if starts is None or starts < since else starts,
                    before if ends is None or ends > before else ends,
                )
            )
        if self._added:
            shapely.prepare(zone)
        for entry in self._added.values():
            item = entry.item
            overlap = window_overlap(planned_from, planned_until, item.starts_at, item.ends_at)
            if overlap is None or not zone.intersects(entry.buffered):
                continue
            gap = round(float(plane.distance(entry.plane)), 1)
            found.append(Conflict(item.key, item.kind, item.label, gap, *overlap))
        found.sort(key=_NEAREST_FIRST)
        return found

    def check_by_loop(
        self,
        area: BaseGeometry,
        *,
        buffer_m: float,
        planned_from: dt.datetime,
        planned_until: dt.datetime,
    ) -> list[str]:
        """The same question as ``check``, by a plain loop over every geometry (the
        benchmark's reference; the keys of what conflicts)."""
        plane = self.projection.to_metres(area)
        zone = plane.buffer(buffer_m) if buffer_m > 0 else plane
        keys = []
        for key, entry in self._entries.items():
            if not zone.intersects(entry.buffered):
                continue
            item = entry.item
            if window_overlap(planned_from, planned_until, item.starts_at, item.ends_at):
                keys.append(key)
        return sorted(keys)


def keys_of(conflicts: Sequence[Conflict]) -> list[str]:
    return sorted(c.key for c in conflicts)
