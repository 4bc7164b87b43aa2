"""Track thinning: which positions of a vessel are worth keeping. Pure (stdlib).

Online (``TrackThinner``, one per vessel in the ingesting process): a point is kept when
it is the first, when ``max_interval_s`` has passed since the last kept one, when the
vessel has gone ``max_distance_nm`` since, or when its course turned by ``turn_deg`` (at
most one kept point every ``min_interval_s``). Offline (``douglas_peucker``): the points
of a stored track whose removal would move it by more than ``tolerance_nm``, to compact
old track before the retention period deletes it. Decision 0107.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from accord.maritime.kinematics import NM_PER_DEGREE, flat_distance_nm


class Point(NamedTuple):
    at: float
    lat: float
    lon: float
    sog: float | None = None
    cog: float | None = None


@dataclass(frozen=True, slots=True)
class Tolerance:
    max_interval_s: float = 300.0
    max_distance_nm: float = 0.5
    turn_deg: float = 15.0
    min_interval_s: float = 10.0


class TrackThinner:
    __slots__ = ("last", "tolerance")

    def __init__(self, tolerance: Tolerance) -> None:
        self.tolerance = tolerance
        self.last: Point | None = None

    def offer(self, point: Point) -> bool:
        """True when ``point`` is kept (then it becomes the reference)."""
        return self.offer_values(point.at, point.lat, point.lon, point.sog, point.cog, point)

    def offer_values(
        self,
        at: float,
        lat: float,
        lon: float,
        sog: float | None,
        cog: float | None,
        point: Point | None = None,
    ) -> bool:
        """``offer`` of a position given as values: a ``Point`` is made only when kept
        (the ingest offers every report; most are not kept)."""
        last = self.last
        if last is None:
            self.last = point or Point(at, lat, lon, sog, cog)
            return True
        tol = self.tolerance
        elapsed = at - last.at
        if elapsed < tol.min_interval_s:
            return False
        keep = elapsed >= tol.max_interval_s
        if not keep and cog is not None and last.cog is not None:
            turn = abs((cog - last.cog + 180.0) % 360.0 - 180.0)
            keep = turn >= tol.turn_deg
        if not keep:
            keep = flat_distance_nm(last.lat, last.lon, lat, lon) >= tol.max_distance_nm
        if keep:
            self.last = point or Point(at, lat, lon, sog, cog)
        return keep


def _offset_nm(p: Point, a: Point, b: Point) -> float:
    """Distance of ``p`` from the segment a-b in a flat frame around a's latitude."""
    k = math.cos(math.radians(a.lat))
    ax, ay = a.lon * k * NM_PER_DEGREE, a.lat * NM_PER_DEGREE
    bx, by = b.lon * k * NM_PER_DEGREE, b.lat * NM_PER_DEGREE
    px, py = p.lon * k * NM_PER_DEGREE, p.lat * NM_PER_DEGREE
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points: list[Point], tolerance_nm: float) -> list[Point]:
    """The Douglas-Peucker simplification of ``points`` (iterative, keeps both ends)."""
    if len(points) <= 2:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            offset = _offset_nm(points[i], points[first], points[last])
            if offset > worst:
                worst, index = offset, i
        if index >= 0 and worst > tolerance_nm:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]
