"""Buffers, corridors, distances and point-in-area, in metres, done right (no Django).

Geometries are in WGS 84 longitude/latitude (GeoJSON order). A degree is not a fixed
length (a degree of longitude is 111 km at the equator and 100 km at 26° N), so nothing
here buffers or measures in degrees: a ``LocalFrame`` is an azimuthal equidistant
projection centred on the geometry at hand (pyproj), in which distances from the centre
are exact and distances within a few hundred kilometres are off by well under 0.1 %.
Shapes are buffered there and projected back. Distances between two points are
geodesic (pyproj's ``Geod`` on the WGS 84 ellipsoid). Decision 0101 says why.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

METRES_PER_NAUTICAL_MILE = 1852.0
_GEOD = Geod(ellps="WGS84")


def nautical_miles(metres: float) -> float:
    return metres / METRES_PER_NAUTICAL_MILE


def metres(nautical_miles: float) -> float:
    return nautical_miles * METRES_PER_NAUTICAL_MILE


@functools.lru_cache(maxsize=256)
def _transformers(lon0: float, lat0: float) -> tuple[Transformer, Transformer]:
    local = CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    )
    forward = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    backward = Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    return forward, backward


@dataclass(frozen=True)
class LocalFrame:
    """A flat frame in metres (x east, y north) centred on (``lon0``, ``lat0``)."""

    lon0: float
    lat0: float

    @classmethod
    def around(cls, *geometries: BaseGeometry) -> LocalFrame:
        """The frame centred on the middle of the bounding box of ``geometries``."""
        minx, miny, maxx, maxy = shapely.total_bounds(list(geometries))
        # Rounded so that nearby shapes share a cached projection.
        return cls(round((minx + maxx) / 2, 3), round((miny + maxy) / 2, 3))

    def to_metres(self, geometry: BaseGeometry) -> BaseGeometry:
        forward, _ = _transformers(self.lon0, self.lat0)
        return shapely.transform(geometry, lambda xy: np.column_stack(forward.transform(*xy.T)))

    def to_degrees(self, geometry: BaseGeometry) -> BaseGeometry:
        _, backward = _transformers(self.lon0, self.lat0)
        return shapely.transform(geometry, lambda xy: np.column_stack(backward.transform(*xy.T)))

    def xy(self, lons: Sequence[float] | np.ndarray, lats: Sequence[float] | np.ndarray):
        """Arrays of x and y in metres for arrays of longitudes and latitudes."""
        forward, _ = _transformers(self.lon0, self.lat0)
        return forward.transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))


def buffer(geometry: BaseGeometry, metres: float, *, quad_segs: int = 16) -> BaseGeometry:
    """``geometry`` grown by ``metres`` on every side (a polygon in degrees)."""
    if metres <= 0:
        return geometry
    frame = LocalFrame.around(geometry)
    grown = frame.to_metres(geometry).buffer(metres, quad_segs=quad_segs)
    return frame.to_degrees(grown)


def corridor(line: BaseGeometry, width_metres: float) -> BaseGeometry:
    """The strip ``width_metres`` wide centred on ``line`` (a route and its corridor)."""
    return buffer(line, width_metres / 2)


def distance_metres(a: BaseGeometry, b: BaseGeometry) -> float:
    """The shortest distance between two geometries in metres (0 when they touch).

    Two points: geodesic on the ellipsoid. Otherwise: in a local frame around both.
    """
    if isinstance(a, Point) and isinstance(b, Point):
        _, _, dist = _GEOD.inv(a.x, a.y, b.x, b.y)
        return float(dist)
    if a.intersects(b):
        return 0.0
    frame = LocalFrame.around(a, b)
    return float(frame.to_metres(a).distance(frame.to_metres(b)))


def distance_nautical_miles(a: BaseGeometry, b: BaseGeometry) -> float:
    return nautical_miles(distance_metres(a, b))


def point_distance_metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance between two positions in metres."""
    _, _, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(dist)


def destination(lon: float, lat: float, bearing: float, metres: float) -> tuple[float, float]:
    """The position ``metres`` from (``lon``, ``lat``) on true ``bearing`` (degrees)."""
    lon2, lat2, _ = _GEOD.fwd(lon, lat, bearing, metres)
    return float(lon2), float(lat2)


def area_square_metres(geometry: BaseGeometry) -> float:
    """The geodesic area of a polygon in square metres."""
    area, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(float(area))


def contains(area: BaseGeometry, lon: float, lat: float) -> bool:
    """Whether (``lon``, ``lat``) is in ``area`` (its boundary included)."""
    return bool(area.covers(Point(lon, lat)))


def contains_many(area: BaseGeometry, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """A boolean array: which of the positions lie in ``area`` (vectorised, boundary in)."""
    shapely.prepare(area)
    lons = np.asarray(lons, dtype=float)
    lats = np.asarray(lats, dtype=float)
    inside = shapely.contains_xy(area, lons, lats)
    on_edge = shapely.intersects_xy(area.boundary, lons, lats)
    return np.asarray(inside | on_edge)
