"""Ship kinematics in a local flat frame: positions in nautical miles, velocities in knots.

Pure (numpy only). Over a strait or a gulf (a few hundred miles) an equirectangular
projection around a reference latitude is accurate to well under 1 % for the distances
that matter to a close-encounter screen (a few miles).

CPA/TCPA (DOMAIN.md): with r = p_B - p_A and v = v_B - v_A,
t_cpa = -(r.v)/|v|^2 (0 when moving apart or with no relative motion),
d_cpa = |r + v t_cpa|.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_NM = 3440.065
NM_PER_DEGREE = EARTH_RADIUS_NM * math.pi / 180.0  # about 60.04
# Faster than any ship (fast craft reach 50-60 kn): a jump beyond it is impossible.
MAX_PLAUSIBLE_KNOTS = 80.0

Floats = npt.NDArray[np.float64]


def distance_nm(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in nautical miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_NM * math.asin(min(1.0, math.sqrt(a)))


def flat_distance_nm(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in nautical miles in a flat frame around the mean latitude: within 0.1 %
    of the great circle over tens of miles, and no trigonometry but one cosine (the
    ingest's per-report checks)."""
    dy = (lat2 - lat1) * NM_PER_DEGREE
    dx = (lon2 - lon1) * NM_PER_DEGREE * math.cos(math.radians((lat1 + lat2) * 0.5))
    return math.hypot(dx, dy)


def project(lat: Floats, lon: Floats, ref_lat: float) -> tuple[Floats, Floats]:
    """Positions as (x east, y north) in nautical miles around ``ref_lat``."""
    x = np.asarray(lon, dtype=np.float64) * (NM_PER_DEGREE * math.cos(math.radians(ref_lat)))
    y = np.asarray(lat, dtype=np.float64) * NM_PER_DEGREE
    return x, y


def unproject(x: float, y: float, ref_lat: float) -> tuple[float, float]:
    """The inverse of ``project`` for one point: (lat, lon)."""
    return y / NM_PER_DEGREE, x / (NM_PER_DEGREE * math.cos(math.radians(ref_lat)))


def velocity(sog: Floats, cog: Floats) -> tuple[Floats, Floats]:
    """Speed over ground (knots) and course over ground (degrees true) as (vx, vy)
    in knots; a missing value (NaN) counts as not moving."""
    sog = np.nan_to_num(np.asarray(sog, dtype=np.float64), nan=0.0)
    rad = np.radians(np.nan_to_num(np.asarray(cog, dtype=np.float64), nan=0.0))
    return sog * np.sin(rad), sog * np.cos(rad)


def cpa_tcpa(rx: Floats, ry: Floats, vx: Floats, vy: Floats) -> tuple[Floats, Floats]:
    """Distance at the closest point of approach (nm) and the time to it (hours, >= 0)
    for relative positions r and velocities v, element-wise."""
    vv = vx * vx + vy * vy
    rv = rx * vx + ry * vy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(vv > 1e-12, -rv / vv, 0.0)
    t = np.maximum(t, 0.0)
    dx = rx + vx * t
    dy = ry + vy * t
    return np.hypot(dx, dy), t


def ahead(
    lat: float, lon: float, sog: float, cog: float | None, seconds: float
) -> tuple[float, float]:
    """Where a vessel at (lat, lon) making ``sog`` knots on ``cog`` is ``seconds`` later
    (flat frame around its latitude; no course: where it is)."""
    if cog is None or not sog:
        return lat, lon
    distance = sog * seconds / 3600.0
    rad = math.radians(cog)
    north = distance * math.cos(rad) / NM_PER_DEGREE
    east = distance * math.sin(rad) / (NM_PER_DEGREE * math.cos(math.radians(lat)))
    return lat + north, lon + east


def implied_knots(distance: float, seconds: float) -> float:
    """The speed a vessel would need to cover ``distance`` nm in ``seconds``."""
    if seconds <= 0:
        return math.inf if distance > 0.05 else 0.0
    return distance / (seconds / 3600.0)
