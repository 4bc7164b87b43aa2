"""Zones of a channel's area from GeoJSON: which a position is in, and what that means.
Pure (stdlib, numpy).

A zone is a GeoJSON Feature with a Polygon or MultiPolygon geometry and properties
``code`` (or ``id``/``name``), ``kind`` (``inbound_lane``, ``outbound_lane``,
``separation_zone``, ``territorial_sea``, ``area``, ...) and, for a lane, ``direction``:
its course in degrees true. ``zones_from_geojson`` takes a FeatureCollection (the
charter's ``zones:`` files once loaded, or a test's own shapes). ``Zone.alert`` (default:
not for ``area``) says whether entering it matters to the channel.

``assess(zones, lat, lon, cog, under_way)`` answers which zones hold the position, and
whether the vessel is in a lane against its direction (more than 90 degrees off) or
under way inside the separation zone. ``assess_many`` answers the same for a batch of
positions at once (numpy: one pass over each ring's edges for every position).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

LANE_KINDS = frozenset(
    {"inbound_lane", "outbound_lane", "lane", "traffic_lane_inbound", "traffic_lane_outbound"}
)
SEPARATION_KINDS = frozenset({"separation_zone"})
# Entering one matters only for some vessels (the charter's ``territorial_sea_entry``):
# merchant ships pass through territorial seas in transit passage every day.
TERRITORIAL_KINDS = frozenset({"territorial_sea"})
WRONG_WAY_DEGREES = 90.0

Ring = Sequence[tuple[float, float]]  # (lon, lat) pairs, as in GeoJSON


@dataclass(frozen=True, slots=True)
class Zone:
    code: str
    kind: str
    polygons: tuple[tuple[Ring, ...], ...]  # each: outer ring, then holes
    direction: float | None = None
    alert: bool = True
    name: str = ""
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def contains(self, lat: float, lon: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        for rings in self.polygons:
            if (
                rings
                and _in_ring(rings[0], lon, lat)
                and not any(_in_ring(hole, lon, lat) for hole in rings[1:])
            ):
                return True
        return False

    def contains_many(self, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]):
        """``contains`` for arrays of positions: a boolean array."""
        west, south, east, north = self.bbox
        found = np.zeros(len(lat), dtype=bool)
        near = np.nonzero((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north))[0]
        if not len(near):
            return found
        x, y = lon[near], lat[near]
        for rings in self.polygons:
            if not rings:
                continue
            inside = _in_ring_many(rings[0], x, y)
            for hole in rings[1:]:
                inside &= ~_in_ring_many(hole, x, y)
            found[near] |= inside
        return found


def _in_ring_many(
    ring: Ring, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """``_in_ring`` for arrays of points: the same crossing rule (and the same floating
    point operations), every edge against every point, in chunks of points."""
    points = np.asarray(ring, dtype=np.float64)
    a_x, a_y = points[:, 0:1], points[:, 1:2]
    b_x, b_y = np.roll(a_x, 1, axis=0), np.roll(a_y, 1, axis=0)
    inside = np.zeros(len(x), dtype=bool)
    chunk = max(1, 200_000 // max(1, len(points)))
    for start in range(0, len(x), chunk):
        px, py = x[start : start + chunk], y[start : start + chunk]
        crosses = (a_y > py) != (b_y > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            edge_x = (b_x - a_x) * (py - a_y) / (b_y - a_y) + a_x
        inside[start : start + chunk] = np.bitwise_xor.reduce(crosses & (px < edge_x), axis=0)
    return inside


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def zones_from_geojson(collection: Mapping[str, Any]) -> list[Zone]:
    """The zones of a FeatureCollection (or one Feature); features without a polygon
    are skipped."""
    features: Iterable[Any]
    if collection.get("type") == "Feature":
        features = [collection]
    else:
        features = collection.get("features") or []
    zones = []
    for index, feature in enumerate(features):
        geometry = feature.get("geometry") or {}
        props = feature.get("properties") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = list(geometry["coordinates"])
        else:
            continue
        rings = tuple(
            tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in polygon)
            for polygon in polygons
        )
        points = [p for polygon in rings for ring in polygon for p in ring]
        bbox = (
            min(p[0] for p in points),
            min(p[1] for p in points),
            max(p[0] for p in points),
            max(p[1] for p in points),
        )
        kind = str(props.get("kind") or "area")
        direction = props.get("direction")
        zones.append(
            Zone(
                code=str(props.get("code") or props.get("id") or props.get("name") or index),
                kind=kind,
                polygons=rings,
                direction=None if direction is None else float(direction),
                alert=bool(props.get("alert", kind != "area")),
                name=str(props.get("name") or ""),
                bbox=bbox,
            )
        )
    return zones


@dataclass(frozen=True, slots=True)
class Assessment:
    inside: frozenset[str]
    wrong_lane: str | None = None
    separation_zone: str | None = None


def _off_by(course: float, direction: float) -> float:
    return abs((course - direction + 180.0) % 360.0 - 180.0)


def assess(
    zones: Sequence[Zone], lat: float, lon: float, cog: float | None, under_way: bool
) -> Assessment:
    inside = []
    wrong_lane = separation = None
    for zone in zones:
        if not zone.contains(lat, lon):
            continue
        inside.append(zone.code)
        if (
            zone.kind in LANE_KINDS
            and zone.direction is not None
            and under_way
            and cog is not None
            and _off_by(cog, zone.direction) > WRONG_WAY_DEGREES
        ):
            wrong_lane = zone.code
        if zone.kind in SEPARATION_KINDS and under_way:
            separation = zone.code
    return Assessment(frozenset(inside), wrong_lane, separation)


def assess_many(
    zones: Sequence[Zone],
    lat: Sequence[float],
    lon: Sequence[float],
    cog: Sequence[float | None],
    under_way: Sequence[bool],
) -> list[Assessment]:
    """``assess`` for a batch of positions, in their order."""
    n = len(lat)
    if not n:
        return []
    lat_a = np.asarray(lat, dtype=np.float64)
    lon_a = np.asarray(lon, dtype=np.float64)
    holding = [zone.contains_many(lat_a, lon_a) for zone in zones]
    found = []
    for k in range(n):
        inside = []
        wrong_lane = separation = None
        for zone, holds in zip(zones, holding, strict=True):
            if not holds[k]:
                continue
            inside.append(zone.code)
            course = cog[k]
            if (
                zone.kind in LANE_KINDS
                and zone.direction is not None
                and under_way[k]
                and course is not None
                and _off_by(course, zone.direction) > WRONG_WAY_DEGREES
            ):
                wrong_lane = zone.code
            if zone.kind in SEPARATION_KINDS and under_way[k]:
                separation = zone.code
        found.append(Assessment(frozenset(inside), wrong_lane, separation))
    return found
