"""Whether a geometry may be notified: on Earth, valid, not crossing itself, inside the
mechanism's area (until ``accord.geo`` answers these, the checks it will replace)."""

from __future__ import annotations

import shapely
from django.utils.translation import gettext
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from accord.process.models import Mechanism


def geometry_problem(geometry: BaseGeometry, *, mechanism: Mechanism) -> str:
    """Why ``geometry`` (lon/lat) cannot be notified on ``mechanism``, or ""."""
    if geometry.is_empty:
        return gettext("it has no coordinates")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        return gettext("a position is not on Earth (longitude first, then latitude)")
    if geometry.geom_type in {"Polygon", "MultiPolygon"} and not geometry.is_valid:
        return explain_validity(geometry)
    if geometry.geom_type in {"LineString", "MultiLineString"} and not shapely.is_simple(geometry):
        return gettext("the line crosses itself")
    return ""
