"""A synthetic Strait of Hormuz for the demo: who is where at any moment (no Django).

Traffic keeps to the traffic separation scheme: outbound ships (to the Gulf of Oman,
eastbound) in the southern lane, inbound ships (to the Gulf) in the northern one, each
lane 2 nm from an approximate centreline (the one ``charters/geo/make_hormuz.py`` draws;
not the IMO's). About ``TRANSITS_PER_DAY`` ships a day enter the two lanes together
(DOMAIN.md: 115 to 140), at 10 to 16 knots; a dozen ships lie at anchor off Bandar Abbas and
Larak; naval vessels of both parties patrol; a group of fast craft closes on a US
warship in the outbound lane (the close encounter the demo's incident is about).

``scene_at(t)`` gives every vessel's state at ``t`` (UTC seconds); ``nmea_at(t)`` the AIS
sentences (types 1, 5, 18, 24, with a receiver tag block) a coastal receiver would hear
then. Deterministic: the same ``t`` always gives the same picture.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

TRANSITS_PER_DAY = 130
DAY = 86_400.0
NM = 1852.0
EARTH = 6_371_000.0

# West to east, (lon, lat); the lanes are offset 2 nm north (inbound) and south (outbound).
# The first and last legs are the approaches, from and to outside the channel's area
# (``charters/geo/hormuz-area.geojson``): a ship stops reporting once it has left the
# area, so it reads as gone, not as gone dark.
CENTRELINE = [
    (55.42, 26.44),
    (55.95, 26.50),
    (56.25, 26.58),
    (56.45, 26.63),
    (56.62, 26.52),
    (56.78, 26.30),
    (56.95, 26.10),
    (57.40, 25.90),
]
ANCHORAGES = [(56.22, 27.05), (56.32, 27.07), (56.10, 26.86), (56.18, 26.84)]


def _metres_per_degree(lat: float) -> tuple[float, float]:
    return EARTH * math.pi / 180 * math.cos(math.radians(lat)), EARTH * math.pi / 180


def _offset_line(points: list[tuple[float, float]], nm: float) -> list[tuple[float, float]]:
    """The polyline moved ``nm`` to the left of its direction (positive: north here)."""
    out = []
    for i, (lon, lat) in enumerate(points):
        a = points[max(i - 1, 0)]
        b = points[min(i + 1, len(points) - 1)]
        mx, my = _metres_per_degree(lat)
        dx, dy = (b[0] - a[0]) * mx, (b[1] - a[1]) * my
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length, dx / length
        out.append((lon + nx * nm * NM / mx, lat + ny * nm * NM / my))
    return out


def _cumulative(points: list[tuple[float, float]]) -> list[float]:
    total = [0.0]
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(points):
        mx, my = _metres_per_degree((lat1 + lat2) / 2)
        total.append(total[-1] + math.hypot((lon2 - lon1) * mx, (lat2 - lat1) * my))
    return total


@dataclass(frozen=True)
class Lane:
    points: list[tuple[float, float]]
    lengths: list[float]

    @classmethod
    def of(cls, points: list[tuple[float, float]]) -> Lane:
        return cls(points, _cumulative(points))

    @property
    def length(self) -> float:
        return self.lengths[-1]

    def at(self, s: float) -> tuple[float, float, float]:
        """(lon, lat, course in degrees) ``s`` metres along the lane."""
        for i in range(1, len(self.points)):
            if s <= self.lengths[i] or i == len(self.points) - 1:
                (lon1, lat1), (lon2, lat2) = self.points[i - 1], self.points[i]
                span = self.lengths[i] - self.lengths[i - 1]
                f = min(max((s - self.lengths[i - 1]) / span, 0.0), 1.0)
                mx, my = _metres_per_degree(lat1)
                course = math.degrees(math.atan2((lon2 - lon1) * mx, (lat2 - lat1) * my)) % 360
                return lon1 + f * (lon2 - lon1), lat1 + f * (lat2 - lat1), course
        raise AssertionError("unreachable")


OUTBOUND = Lane.of(_offset_line(CENTRELINE, -2.0))  # west to east, southern lane
INBOUND = Lane.of(list(reversed(_offset_line(CENTRELINE, 2.0))))  # east to west, northern


@dataclass(frozen=True)
class Static:
    """A vessel's AIS static data."""

    mmsi: int
    name: str
    call_sign: str
    ship_type: int
    length: int
    beam: int
    imo: int | None = None
    ais_class: str = "A"
    destination: str = ""


@dataclass(frozen=True)
class State:
    """Where a vessel is at one moment: degrees, knots, degrees true."""

    static: Static
    lat: float
    lon: float
    sog: float
    cog: float
    nav_status: int = 0  # 0 under way using engine, 1 at anchor


CARGO = [
    ("TANKER", 80, 250, 44),
    ("CRUDE CARRIER", 81, 330, 60),
    ("LNG CARRIER", 84, 295, 46),
    ("BULK CARRIER", 70, 190, 32),
    ("CONTAINER SHIP", 71, 300, 48),
    ("PRODUCT TANKER", 82, 183, 32),
]
# Flags of convenience and the region's: MIDs (the MMSI's first three digits).
MIDS = [636, 538, 351, 372, 477, 563, 470, 422, 419, 403, 566, 311]
WORDS = [
    "GULF",
    "PEARL",
    "STAR",
    "OCEAN",
    "DAWN",
    "HORIZON",
    "SPIRIT",
    "GLORY",
    "CROWN",
    "NOBLE",
    "BRAVE",
    "SILVER",
    "JADE",
    "AMBER",
    "CORAL",
    "ZEPHYR",
]


def _transit(lane_index: int, k: int) -> tuple[float, Static, float]:
    """The k-th ship of a lane: (entry time, static data, speed in knots)."""
    rng = random.Random(lane_index * 1_000_003 + k)
    interval = DAY / (TRANSITS_PER_DAY / 2)
    entry = k * interval + rng.uniform(-0.4, 0.4) * interval
    kind, ship_type, length, beam = rng.choice(CARGO)
    mid = rng.choice(MIDS)
    mmsi = mid * 1_000_000 + (lane_index * 500_000 + k) % 1_000_000
    name = f"{rng.choice(WORDS)} {rng.choice(WORDS)}" if rng.random() < 0.7 else f"{kind} {k % 97}"
    destination = (
        ("FUJAIRAH", "SINGAPORE", "NINGBO", "ROTTERDAM")[k % 4]
        if lane_index == 0
        else ("RAS TANURA", "JEBEL ALI", "BANDAR ABBAS", "HAMAD")[k % 4]
    )
    static = Static(
        mmsi=mmsi,
        name=name[:20],
        call_sign=f"{chr(65 + k % 26)}{chr(65 + (k // 26) % 26)}{mid % 100:02d}{k % 10}",
        ship_type=ship_type,
        length=length,
        beam=beam,
        imo=9_000_000 + (lane_index * 300_000 + k * 7) % 999_999,
        destination=destination,
    )
    return entry, static, rng.uniform(10.0, 16.0)


def _lane_states(t: float) -> Iterator[State]:
    interval = DAY / (TRANSITS_PER_DAY / 2)
    for lane_index, lane in enumerate((OUTBOUND, INBOUND)):
        slowest = 10.0 * NM / 3600
        first = math.floor((t - lane.length / slowest) / interval) - 1
        for k in range(first, math.ceil(t / interval) + 2):
            entry, static, knots = _transit(lane_index, k)
            s = (t - entry) * knots * NM / 3600
            if 0 <= s <= lane.length:
                lon, lat, course = lane.at(s)
                # Each ship keeps its own track within the 2 nm lane (starboard positive).
                side = random.Random(static.mmsi).uniform(-0.8, 0.8) * NM
                mx, my = _metres_per_degree(lat)
                across = math.radians(course + 90)
                lat += side * math.cos(across) / my
                lon += side * math.sin(across) / mx
                yield State(static, lat, lon, round(knots, 1), round(course, 1))


def _anchored() -> Iterator[State]:
    for i in range(12):
        rng = random.Random(7_000 + i)
        lon0, lat0 = ANCHORAGES[i % len(ANCHORAGES)]
        _kind, ship_type, length, beam = rng.choice(CARGO)
        static = Static(
            mmsi=rng.choice(MIDS) * 1_000_000 + 900_000 + i,
            name=f"{rng.choice(WORDS)} {i + 1}",
            call_sign=f"AN{i:02d}",
            ship_type=ship_type,
            length=length,
            beam=beam,
            imo=9_500_000 + i,
            destination="BANDAR ABBAS" if lat0 > 27 else "ANCHORAGE",
        )
        yield State(
            static,
            lat0 + rng.uniform(-0.03, 0.03),
            lon0 + rng.uniform(-0.04, 0.04),
            0.0,
            rng.uniform(0, 359),
            nav_status=1,
        )


# The parties' naval vessels (synthetic names and numbers: no real hull is meant).
US_WARSHIP = Static(369_970_101, "US WARSHIP 101", "NSYN1", 35, 155, 20)
US_PATROL = Static(369_970_102, "US PATROL 102", "NSYN2", 35, 52, 8)
IR_FRIGATE = Static(422_970_071, "IRIN FRIGATE 71", "EQSYN1", 35, 95, 11)
IR_CORVETTE = Static(422_970_074, "IRIN CORVETTE 74", "EQSYN2", 35, 65, 9)
FAST_CRAFT = [
    Static(422_970_201 + i, f"FAST CRAFT {i + 1}", "", 40, 15, 3, ais_class="B") for i in range(4)
]


def _naval(t: float, encounter_at: float) -> Iterator[State]:
    # The US warship transits outbound, reaching the encounter point at ``encounter_at``.
    knots = 14.0
    # About half-way through the scheme (between the approaches).
    tss_start, tss_end = OUTBOUND.lengths[1], OUTBOUND.lengths[-2]
    s_meet = tss_start + (tss_end - tss_start) * 0.52
    s = s_meet + (t - encounter_at) * knots * NM / 3600
    s = s % OUTBOUND.length
    lon, lat, course = OUTBOUND.at(s)
    yield State(US_WARSHIP, lat, lon, knots, course)
    lon_m, lat_m, _c = OUTBOUND.at(s_meet)
    # Fast craft come from the north at 30 knots, to pass within a few cables of it.
    for i, craft in enumerate(FAST_CRAFT):
        seconds = t - encounter_at
        speed = 30.0 * NM / 3600
        bearing = math.radians(200 + i * 6)
        mx, my = _metres_per_degree(lat_m)
        d = -seconds * speed
        # In line abreast about 0.7 nm apart: the lead boat passes closest.
        clat = lat_m - d * math.cos(bearing) / my + 0.0025 + 0.008 * i
        clon = lon_m - d * math.sin(bearing) / mx + 0.0025 + 0.008 * i
        yield State(craft, clat, clon, 30.0, math.degrees(bearing) % 360)
    # Patrols: slow circles off Larak and in the Gulf of Oman.
    for static, (lon0, lat0), radius, period in (
        (IR_FRIGATE, (56.38, 26.78), 4.0, 3 * 3600),
        (IR_CORVETTE, (56.00, 26.62), 3.0, 2 * 3600),
        (US_PATROL, (56.80, 26.05), 5.0, 4 * 3600),
    ):
        angle = 2 * math.pi * (t % period) / period
        mx, my = _metres_per_degree(lat0)
        lat = lat0 + radius * NM * math.sin(angle) / my
        lon = lon0 + radius * NM * math.cos(angle) / mx
        course = (math.degrees(-angle)) % 360
        knots = 2 * math.pi * radius / (period / 3600)
        yield State(static, lat, lon, round(knots, 1), round(course, 1))


def scene_at(t: float, *, encounter_at: float) -> list[State]:
    """Every vessel in the area at ``t`` (UTC seconds); the fast craft pass closest to
    the US warship at ``encounter_at``."""
    return [*_lane_states(t), *_anchored(), *_naval(t, encounter_at)]


# --- AIS sentences -----------------------------------------------------------------------


# Heard from other ships (VDM), not this station's own (VDO).
_TALKER = {"talker_id": "AI", "sentence_type": "VDM"}


def _tag(t: float) -> str:
    body = f"c:{int(t)}"
    checksum = 0
    for char in body:
        checksum ^= ord(char)
    return f"\\{body}*{checksum:02X}\\"


def position_sentences(state: State, t: float) -> list[str]:
    """One position report (type 1 for class A, 18 for class B), tagged with ``t``."""
    from pyais.encode import encode_dict

    fields: dict[str, str | int | float | bytes | bool] = {
        "mmsi": state.static.mmsi,
        "lat": round(state.lat, 5),
        "lon": round(state.lon, 5),
        "speed": state.sog,
        "course": state.cog,
        "heading": int(state.cog) % 360,
        "second": int(t) % 60,
    }
    if state.static.ais_class == "B":
        fields["type"] = 18
    else:
        fields.update(type=1, status=state.nav_status)
    return [_tag(t) + s for s in encode_dict(fields, **_TALKER)]


def static_sentences(static: Static, t: float) -> list[str]:
    """Static and voyage data: type 5 for class A, 24 (parts A and B) for class B."""
    from pyais.encode import encode_dict

    half = static.length // 2
    dims = {
        "to_bow": half,
        "to_stern": static.length - half,
        "to_port": static.beam // 2,
        "to_starboard": static.beam - static.beam // 2,
    }
    if static.ais_class == "B":
        lines = encode_dict(
            {"type": 24, "mmsi": static.mmsi, "partno": 0, "shipname": static.name},
            **_TALKER,
        )
        lines += encode_dict(
            {
                "type": 24,
                "mmsi": static.mmsi,
                "partno": 1,
                "ship_type": static.ship_type,
                "callsign": static.call_sign,
                **dims,
            },
            **_TALKER,
        )
    else:
        lines = encode_dict(
            {
                "type": 5,
                "mmsi": static.mmsi,
                "imo": static.imo or 0,
                "callsign": static.call_sign,
                "shipname": static.name,
                "ship_type": static.ship_type,
                "destination": static.destination,
                "draught": 10.5,
                **dims,
            },
            **_TALKER,
        )
    return [_tag(t) + s for s in lines]


def nmea_at(t: float, *, encounter_at: float, with_static: bool = False) -> list[str]:
    """What a receiver hears at ``t``: every vessel's position (and static data if asked)."""
    out: list[str] = []
    for state in scene_at(t, encounter_at=encounter_at):
        if with_static:
            out += static_sentences(state.static, t)
        out += position_sentences(state, t)
    return out
