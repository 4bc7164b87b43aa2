"""Synthetic AIS traffic: NMEA lines for benchmarks, tests and the demo's live feed. Pure.

``traffic(...)`` moves ``vessels`` ships in a box (default: the Gulf and the Strait of
Hormuz) in straight lines, reflecting at the edges, and yields each report as an
``!AIVDM`` type 1 line with an NMEA 4 tag block ``\\c:<unix seconds>*hh\\``, in time
order; every ``static_every`` seconds each vessel also sends a type 5. Ships under way
report every ``under_way_every`` seconds, anchored ones every ``anchored_every``.

The sentences are armoured here with a small bit packer (pyais's own encoder takes
about 180 microseconds a sentence: ten million would take half an hour); decoding is
always pyais's, and ``tests/test_synthetic.py`` checks that pyais decodes what is
packed here to the values given.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

GULF = (24.0, 30.0, 48.5, 57.5)  # south, north, west, east
STRAIT = (26.0, 26.9, 55.8, 57.0)

_ARMOUR = [chr(v + 48) if v < 40 else chr(v + 56) for v in range(64)]
_SIX_BIT_TEXT = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"


def _checksum(body: str) -> str:
    value = 0
    for char in body:
        value ^= ord(char)
    return f"{value:02X}"


def _armour(bits: int, length: int) -> tuple[str, int]:
    fill = (-length) % 6
    bits <<= fill
    total = length + fill
    chars = [_ARMOUR[(bits >> (total - 6 * (i + 1))) & 63] for i in range(total // 6)]
    return "".join(chars), fill


class _Bits:
    __slots__ = ("length", "value")

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, number: int, width: int) -> None:
        self.value = (self.value << width) | (number & ((1 << width) - 1))
        self.length += width

    def text(self, text: str, chars: int) -> None:
        text = text.upper()[:chars].ljust(chars, "@")
        for char in text:
            index = _SIX_BIT_TEXT.find(char)
            self.put(index if index >= 0 else 0, 6)


def _sentence(
    payload: str, fill: int, at: float | None, fragments: int = 1, number: int = 1, seq: str = ""
) -> str:
    body = f"AIVDM,{fragments},{number},{seq},A,{payload},{fill}"
    line = f"!{body}*{_checksum(body)}"
    if at is None:
        return line
    tag = f"c:{int(at)}"
    return f"\\{tag}*{_checksum(tag)}\\{line}"


def position_line(
    mmsi: int,
    lat: float,
    lon: float,
    sog: float,
    cog: float,
    *,
    heading: int | None = None,
    status: int = 0,
    at: float | None = None,
) -> str:
    """One type 1 report as an NMEA line (with a tag block when ``at`` is given)."""
    bits = _Bits()
    bits.put(1, 6)
    bits.put(0, 2)
    bits.put(mmsi, 30)
    bits.put(status, 4)
    bits.put(-128, 8)  # rate of turn not available
    bits.put(min(1022, round(sog * 10)), 10)
    bits.put(1, 1)
    bits.put(round(lon * 600_000), 28)
    bits.put(round(lat * 600_000), 27)
    bits.put(round((cog % 360) * 10), 12)
    bits.put(511 if heading is None else heading % 360, 9)
    bits.put(int(at or 0) % 60, 6)
    bits.put(0, 2)
    bits.put(0, 3)
    bits.put(0, 1)
    bits.put(0, 19)
    payload, fill = _armour(bits.value, bits.length)
    return _sentence(payload, fill, at)


def static_lines(
    mmsi: int,
    name: str,
    *,
    imo: int = 0,
    call_sign: str = "",
    ship_type: int = 70,
    length: int = 200,
    beam: int = 32,
    draught: float = 10.0,
    destination: str = "",
    at: float | None = None,
    seq: int = 1,
) -> list[str]:
    """One type 5 (static and voyage data) as its two NMEA lines."""
    bits = _Bits()
    bits.put(5, 6)
    bits.put(0, 2)
    bits.put(mmsi, 30)
    bits.put(0, 2)
    bits.put(imo, 30)
    bits.text(call_sign, 7)
    bits.text(name, 20)
    bits.put(ship_type, 8)
    bits.put(length // 2, 9)
    bits.put(length - length // 2, 9)
    bits.put(beam // 2, 6)
    bits.put(beam - beam // 2, 6)
    bits.put(1, 4)
    bits.put(0, 4)
    bits.put(0, 5)
    bits.put(24, 5)
    bits.put(60, 6)
    bits.put(round(draught * 10), 8)
    bits.text(destination, 20)
    bits.put(0, 1)
    bits.put(0, 1)
    payload, fill = _armour(bits.value, bits.length)
    first, second = payload[:60], payload[60:]
    return [
        _sentence(first, 0, at, 2, 1, str(seq % 10)),
        _sentence(second, fill, at, 2, 2, str(seq % 10)),
    ]


@dataclass(slots=True)
class Ship:
    mmsi: int
    name: str
    lat: float
    lon: float
    sog: float
    cog: float
    status: int
    ship_type: int
    next_at: float
    next_static: float


MIDS = (422, 470, 471, 466, 403, 408, 447, 461, 538, 636, 351, 372, 477, 563, 229)


def fleet(
    vessels: int,
    *,
    box: tuple[float, float, float, float] = GULF,
    seed: int = 1,
    start: float = 1_800_000_000.0,
    anchored: float = 0.25,
) -> list[Ship]:
    rng = random.Random(seed)
    south, north, west, east = box
    ships = []
    for k in range(vessels):
        mid = MIDS[k % len(MIDS)]
        at_anchor = rng.random() < anchored
        ships.append(
            Ship(
                mmsi=mid * 1_000_000 + k,
                name=f"SYNTH {k:05d}",
                lat=rng.uniform(south, north),
                lon=rng.uniform(west, east),
                sog=0.0 if at_anchor else rng.uniform(6.0, 18.0),
                cog=rng.uniform(0.0, 360.0),
                status=1 if at_anchor else 0,
                ship_type=rng.choice((70, 80, 81, 60, 30, 52)),
                next_at=start + rng.uniform(0.0, 10.0),
                next_static=start + rng.uniform(0.0, 360.0),
            )
        )
    return ships


def traffic(
    vessels: int,
    hours: float,
    *,
    box: tuple[float, float, float, float] = GULF,
    seed: int = 1,
    start: float = 1_800_000_000.0,
    under_way_every: float = 10.0,
    anchored_every: float = 180.0,
    static_every: float = 360.0,
    ships: list[Ship] | None = None,
) -> Iterator[str]:
    """NMEA lines of ``vessels`` ships over ``hours``, in time order (a tick a second)."""
    ships = ships if ships is not None else fleet(vessels, box=box, seed=seed, start=start)
    south, north, west, east = box
    end = start + hours * 3600.0
    now = start
    seq = 0
    while now < end:
        now += 1.0
        for ship in ships:
            if ship.next_at > now:
                continue
            elapsed = now - (
                ship.next_at - (anchored_every if ship.status == 1 else under_way_every)
            )
            if ship.sog:
                distance = ship.sog * max(elapsed, 0.0) / 3600.0
                rad = math.radians(ship.cog)
                ship.lat += distance * math.cos(rad) / 60.0
                ship.lon += distance * math.sin(rad) / (60.0 * math.cos(math.radians(ship.lat)))
                if not south < ship.lat < north:
                    ship.cog = (180.0 - ship.cog) % 360.0
                    ship.lat = min(max(ship.lat, south), north)
                if not west < ship.lon < east:
                    ship.cog = (360.0 - ship.cog) % 360.0
                    ship.lon = min(max(ship.lon, west), east)
            yield position_line(
                ship.mmsi,
                ship.lat,
                ship.lon,
                ship.sog,
                ship.cog,
                heading=round(ship.cog) % 360,
                status=ship.status,
                at=now,
            )
            ship.next_at = now + (anchored_every if ship.status == 1 else under_way_every)
            if ship.next_static <= now:
                seq += 1
                yield from static_lines(
                    ship.mmsi,
                    ship.name,
                    ship_type=ship.ship_type,
                    at=now,
                    seq=seq,
                    imo=9_000_000 + ship.mmsi % 1_000_000,
                    destination="BANDAR ABBAS",
                )
                ship.next_static = now + static_every
