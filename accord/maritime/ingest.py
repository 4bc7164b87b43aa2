"""AIS ingest: NMEA 0183 lines in, a validated picture of vessels out. Pure (pyais, stdlib).

pyais parses each sentence and decodes each message (we write no decoder). Around it:

- receiver timestamps: an NMEA 4 tag block ``\\c:<unix seconds>*hh\\``, a ``$PGHP``
  (Gatehouse) line before the sentence, or a leading column (unix seconds or ISO 8601)
  separated by a space, comma, semicolon or tab;
- fields some receivers append after the checksum (``...,0*4A,b003660465``) are cut off;
- checksums checked; multi-sentence messages reassembled like pyais does (by sequence id,
  channel, talker, type and fragment count), with a timeout for orphaned fragments
  (receiver seconds when timed, else a number of lines);
- the same message from two receivers dropped within a window;
- positions validated: not available (91/181), out of range, out of order for the vessel,
  a jump faster than any ship (kinematics.MAX_PLAUSIBLE_KNOTS): counted, never fatal.
  Two plausible tracks on one MMSI are a suspected spoofing (or a shared MMSI).

``Ingest.feed_line`` takes one line; ``Ingest.summary()`` is the issue's ``--json`` object.
The picture (``Ingest.vessels``) is the latest state of every vessel, kept in memory;
what changed since the last ``drain()`` (positions, thinned track points, static data,
suspicions) is handed to the caller to persist in batches.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from math import cos, hypot, radians
from typing import Any

from pyais.exceptions import InvalidNMEAMessageException, UnknownMessageException
from pyais.messages import AISSentence, GatehouseSentence, NMEASentence, NMEASentenceFactory

from accord.maritime import kinematics, thinning
from accord.maritime.kinematics import NM_PER_DEGREE

POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
STATIC_TYPES = frozenset({5, 19, 24})
USED_TYPES = POSITION_TYPES | STATIC_TYPES
# Navigational statuses of a vessel that is not under way.
NOT_UNDER_WAY_STATUS = frozenset({1, 5, 6})  # at anchor, moored, aground
UNDER_WAY_KNOTS = 1.0

REJECT_REASONS = (
    "checksum",
    "fragment",
    "duplicate",
    "impossible",
    "garbage",
    "truncated",
    "out_of_order",
    "undecodable",
)
IMPOSSIBLE_REASONS = ("not_available", "out_of_range", "jump")
_UNPARSED: Any = object()
# Positions decoded straight into the picture (types 1, 2, 3 and 18: no Report).
_POSITION_FAST = frozenset({1, 2, 3, 18})
_AIS_CODES = frozenset({b"VDM", b"VDO"})
_FILL = [bytes((48 + bits,)) for bits in range(6)]
STATIC_FIELDS = (
    "name",
    "call_sign",
    "imo",
    "ship_type",
    "to_bow",
    "to_stern",
    "to_port",
    "to_starboard",
    "draught",
    "destination",
)


@dataclass(slots=True)
class Options:
    """Tolerances (from settings); defaults suit a coastal receiver."""

    fragment_timeout_s: float = 10.0
    fragment_timeout_lines: int = 200
    duplicate_window_s: float = 30.0
    duplicate_window_messages: int = 20_000
    max_knots: float = kinematics.MAX_PLAUSIBLE_KNOTS
    # A jump this short is noise (GNSS scatter at anchor), never impossible.
    jump_min_nm: float = 0.5
    thinning: thinning.Tolerance = field(default_factory=thinning.Tolerance)


@dataclass(slots=True)
class Report:
    """What one used message says of one vessel, in plain units (None: not available)."""

    msg_type: int
    mmsi: int
    at: float | None = None
    lat: float | None = None
    lon: float | None = None
    sog: float | None = None
    cog: float | None = None
    heading: int | None = None
    status: int | None = None
    name: str | None = None
    call_sign: str | None = None
    imo: int | None = None
    ship_type: int | None = None
    to_bow: int | None = None
    to_stern: int | None = None
    to_port: int | None = None
    to_starboard: int | None = None
    draught: float | None = None
    destination: str | None = None
    ais_class: str = ""


@dataclass(slots=True)
class VesselState:
    """The latest of one vessel, kept in memory by the ingesting process."""

    mmsi: int
    at: float | None = None
    lat: float | None = None
    lon: float | None = None
    sog: float | None = None
    cog: float | None = None
    heading: int | None = None
    status: int | None = None
    ais_class: str = ""
    static: dict[str, Any] = field(default_factory=dict)
    # The other track when one MMSI reports from two places (spoofing or a shared MMSI).
    shadow: tuple[float, float, float] | None = None
    thinner: thinning.TrackThinner | None = None

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def under_way(self) -> bool:
        if not self.has_position:
            return False
        if self.status in NOT_UNDER_WAY_STATUS:
            return False
        return (self.sog or 0.0) >= UNDER_WAY_KNOTS


@dataclass(slots=True)
class Suspicion:
    """A suspected spoofing seen by the ingest: ``jump`` or ``twin``."""

    kind: str
    mmsi: int
    at: float | None
    lat: float
    lon: float
    detail: dict[str, Any]


@dataclass(slots=True)
class Drained:
    """What changed since the last drain, for the caller to persist in one batch."""

    positions: list[VesselState]
    static: list[VesselState]
    track: list[tuple[int, thinning.Point]]
    suspicions: list[Suspicion]


# --- timestamps ------------------------------------------------------------------------


def parse_timestamp(text: str) -> float | None:
    """Unix seconds (milliseconds when too large) or ISO 8601 as unix seconds; None."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        if value > 1e11:  # milliseconds
            value /= 1000.0
        return value if 0 < value < 1e10 else None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _tag_block_time(tag: bytes) -> float | None:
    star = tag.find(b"*")
    body = tag[:star] if star >= 0 else tag
    for item in body.split(b","):
        if item[:2] == b"c:":
            return parse_timestamp(item[2:].decode("ascii", "replace"))
    return None


def line_time(raw: bytes | str) -> float | None:
    """A line's receiver time (leading column or tag block), without ingesting it."""
    line = raw.encode("ascii", "replace") if isinstance(raw, str) else raw
    line = line.strip()
    start = min((i for i in (line.find(b"\\"), line.find(b"!")) if i >= 0), default=-1)
    if start < 0:
        return None
    if start > 0:
        stamped = parse_timestamp(line[:start].strip(b" ,;\t").decode("ascii", "replace"))
        if stamped is not None:
            return stamped
    if line[start : start + 1] == b"\\":
        end = line.find(b"\\", start + 1)
        if end > 0:
            return _tag_block_time(line[start + 1 : end])
    return None


def _checksum_ok(sentence: bytes, star: int) -> bool:
    try:
        expected = int(sentence[star + 1 : star + 3], 16)
    except ValueError:
        return False
    actual = 0
    for byte in sentence[1:star]:
        actual ^= byte
    return actual == expected


def _none_if(value: Any, *unavailable: Any) -> Any:
    if value is None or value in unavailable:
        return None
    return value


def _text(value: Any) -> str | None:
    if not value:
        return None
    text = str(value).replace("@", "").strip()
    return text or None


class Ingest:
    """One ingest run (a file, a socket session, a replay): lines in, picture out."""

    # Positions (types 1, 2, 3, 18) go straight into the picture; True sends them
    # through ``report_from`` and ``feed_report`` like every other type (the tests
    # compare the two, and read each ``Report``).
    through_reports = False

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.sentences = 0
        self.messages = 0
        self.by_type: Counter[int] = Counter()
        self.positions_accepted = 0
        self.rejected: Counter[str] = Counter()
        self.impossible: Counter[str] = Counter()
        self.vessels: dict[int, VesselState] = {}
        self.latest_at: float | None = None
        # Added to every receiver time (a replay shifts a recording to now).
        self.time_offset = 0.0
        self._line = 0
        self._gatehouse_at: float | None = None
        # slot -> (fragments, first line, first time)
        self._fragments: dict[tuple[Any, ...], tuple[list[AISSentence | None], int, float]] = {}
        self._tag_times: dict[bytes, float | None] = {}
        self._seen_now: dict[bytes, float | None] = {}
        self._seen_before: dict[bytes, float | None] = {}
        self._changed: dict[int, VesselState] = {}
        self._static_changed: dict[int, VesselState] = {}
        self._track: list[tuple[int, thinning.Point]] = []
        self._suspicions: list[Suspicion] = []

    # --- lines ---------------------------------------------------------------------

    def feed_lines(self, lines: Iterable[bytes | str], at: float | None = None) -> None:
        for line in lines:
            self.feed_line(line, at)

    def feed_line(self, raw: bytes | str, at: float | None = None) -> None:
        """One line of input; ``at`` is the arrival time when the caller has one."""
        line = raw.encode("ascii", "replace") if isinstance(raw, str) else raw
        line = line.strip()
        if not line:
            return
        first = line[0]
        if first == 35:  # "#": a comment
            return
        self.sentences += 1
        self._line += 1
        when = at
        if first == 92 or first == 33:  # a tag block or a sentence: no leading column
            body = line
        else:
            start = -1
            for marker in (b"\\", b"!", b"$"):
                index = line.find(marker)
                if index >= 0 and (start < 0 or index < start):
                    start = index
            if start < 0:
                self.rejected["garbage"] += 1
                return
            if start > 0:
                prefix = line[:start].strip(b" ,;\t").decode("ascii", "replace")
                stamped = parse_timestamp(prefix)
                if stamped is not None:
                    when = stamped + self.time_offset
            body = line[start:]
        if body[0] == 92:
            end = body.find(b"\\", 1)
            if end < 0:
                self.rejected["truncated"] += 1
                return
            tag = body[1:end]
            # Many lines share a tag block (one receiver, one second): parsed once.
            tag_times = self._tag_times
            stamped = tag_times.get(tag, _UNPARSED)
            if stamped is _UNPARSED:
                if len(tag_times) >= 4096:
                    tag_times.clear()
                stamped = tag_times[tag] = _tag_block_time(tag)
            if stamped is not None:
                when = stamped + self.time_offset
            body = body[end + 1 :]
        star = body.find(b"*")
        if star < 0 or len(body) < star + 3:
            self.rejected["truncated"] += 1
            return
        if len(body) > star + 3:
            body = body[: star + 3]
        if not body.isascii():
            self.rejected["garbage"] += 1
            return
        if not _checksum_ok(body, star):
            self.rejected["checksum"] += 1
            return
        sentence: NMEASentence
        try:
            if body[0] == 33 and body[6:7] == b"," and body[3:6] in _AIS_CODES:
                # pyais's sentence, without the factory's second look at the type
                sentence = AISSentence(body, body.split(b","))
            else:
                sentence = NMEASentenceFactory.produce(body)
        except (InvalidNMEAMessageException, UnknownMessageException, ValueError):
            self.rejected["garbage"] += 1
            return
        if isinstance(sentence, GatehouseSentence):
            stamp = sentence.timestamp.replace(tzinfo=dt.UTC).timestamp()
            self._gatehouse_at = stamp + self.time_offset
            return
        if not isinstance(sentence, AISSentence):
            self.rejected["garbage"] += 1
            return
        if when is None and self._gatehouse_at is not None:
            when = self._gatehouse_at
        self._gatehouse_at = None
        if when is not None and (self.latest_at is None or when > self.latest_at):
            self.latest_at = when
        if self._fragments:
            self._expire_fragments(when)
        if sentence.frag_cnt == 1:
            self._message(sentence, when)
            return
        slot = (
            sentence.seq_id,
            sentence.channel,
            sentence.talker_id,
            sentence.type,
            sentence.frag_cnt,
        )
        if sentence.frag_num == 1:
            if slot in self._fragments:  # a new start overwrites an unfinished one
                self.rejected["fragment"] += self._count(self._fragments.pop(slot)[0])
            parts: list[AISSentence | None] = [sentence] + [None] * (sentence.frag_cnt - 1)
            self._fragments[slot] = (parts, self._line, when or 0.0)
            return
        pending = self._fragments.get(slot)
        if pending is None:
            self.rejected["fragment"] += 1  # an orphan: no start seen
            return
        parts = pending[0]
        if sentence.frag_num != self._count(parts) + 1:
            self.rejected["fragment"] += 1 + self._count(parts)
            del self._fragments[slot]
            return
        parts[sentence.frag_num - 1] = sentence
        if sentence.frag_num == sentence.frag_cnt:
            del self._fragments[slot]
            whole = AISSentence.assemble_from_iterable([p for p in parts if p is not None])
            self._message(whole, when)

    @staticmethod
    def _count(parts: list[AISSentence | None]) -> int:
        return sum(1 for p in parts if p is not None)

    def _expire_fragments(self, when: float | None) -> None:
        if not self._fragments:
            return
        options = self.options
        for slot, (parts, line, first_at) in list(self._fragments.items()):
            late_by_lines = self._line - line > options.fragment_timeout_lines
            late_by_time = (
                when is not None and first_at and (when - first_at > options.fragment_timeout_s)
            )
            if late_by_lines or late_by_time:
                self.rejected["fragment"] += self._count(parts)
                del self._fragments[slot]

    def finish(self) -> None:
        """End of input: fragments still waiting are orphans."""
        for parts, _line, _at in self._fragments.values():
            self.rejected["fragment"] += self._count(parts)
        self._fragments.clear()

    # --- messages ------------------------------------------------------------------

    def _message(self, sentence: AISSentence, when: float | None) -> None:
        try:
            decoded: Any = sentence.decode()
        except Exception:
            self.rejected["undecodable"] += 1
            return
        msg_type = decoded.msg_type
        self.messages += 1
        self.by_type[msg_type] += 1
        # The same message from two receivers within the window is a duplicate.
        key = sentence.payload + _FILL[sentence.fill_bits]
        seen = self._seen_now.get(key, _UNPARSED)
        if seen is _UNPARSED:
            seen = self._seen_before.get(key, _UNPARSED)
        if seen is not _UNPARSED and (
            seen is None or when is None or abs(when - seen) <= self.options.duplicate_window_s
        ):
            self.rejected["duplicate"] += 1
            return
        self._seen_now[key] = when
        if len(self._seen_now) >= self.options.duplicate_window_messages:
            self._seen_before, self._seen_now = self._seen_now, {}
        if msg_type in _POSITION_FAST and not self.through_reports:
            # The bulk of every feed (class A and B positions), without a Report.
            mmsi = int(decoded.mmsi)
            state = self.vessels.get(mmsi)
            if state is None:
                state = self.vessels[mmsi] = VesselState(mmsi=mmsi)
            if not state.ais_class:
                state.ais_class = "A" if msg_type != 18 else "B"
            lat, lon, sog, cog, heading = (
                decoded.lat,
                decoded.lon,
                decoded.speed,
                decoded.course,
                decoded.heading,
            )
            self._place(
                state,
                when,
                None if lat == 91.0 else lat,
                None if lon == 181.0 else lon,
                None if sog == 102.3 else sog,
                None if cog == 360.0 else cog,
                None if heading == 511 else heading,
                int(decoded.status) if msg_type != 18 else None,
                when is not None,
            )
            return
        if msg_type not in USED_TYPES:
            return
        report = report_from(decoded)
        if report is None:
            return
        report.at = when
        self.feed_report(report, timed=when is not None)

    # --- the picture ---------------------------------------------------------------

    def feed_report(self, report: Report, *, timed: bool) -> None:
        """Validate a report and update the picture; ``timed``: ``report.at`` is a real
        time (a receiver's or the arrival), so order and jumps can be checked."""
        state = self.vessels.get(report.mmsi)
        if state is None:
            state = self.vessels[report.mmsi] = VesselState(mmsi=report.mmsi)
        if report.ais_class and not state.ais_class:
            state.ais_class = report.ais_class
        if report.msg_type in STATIC_TYPES:
            self._static(state, report)
        if report.msg_type in POSITION_TYPES:
            self._position(state, report, timed)

    def _static(self, state: VesselState, report: Report) -> None:
        changed = False
        for name in STATIC_FIELDS:
            value = getattr(report, name)
            if value is not None and state.static.get(name) != value:
                state.static[name] = value
                changed = True
        if changed:
            self._static_changed[state.mmsi] = state

    def _position(self, state: VesselState, report: Report, timed: bool) -> None:
        self._place(
            state,
            report.at,
            report.lat,
            report.lon,
            report.sog,
            report.cog,
            report.heading,
            report.status,
            timed,
        )

    def _place(
        self,
        state: VesselState,
        at: float | None,
        lat: float | None,
        lon: float | None,
        sog: float | None,
        cog: float | None,
        heading: int | None,
        status: int | None,
        timed: bool,
    ) -> None:
        """Validate one position of ``state``'s vessel and move it there (once a message:
        every check inline)."""
        if lat is None or lon is None:
            self._impossible("not_available")
            return
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            self._impossible("out_of_range")
            return
        last_at = state.at
        if timed and at is not None and last_at is not None and state.lat is not None:
            if at < last_at:
                self.rejected["out_of_order"] += 1
                return
            last_lat, last_lon = state.lat, state.lon
            assert last_lon is not None
            # kinematics.flat_distance_nm, inline
            dy = (lat - last_lat) * NM_PER_DEGREE
            dx = (lon - last_lon) * NM_PER_DEGREE * cos(radians((lat + last_lat) * 0.5))
            distance = hypot(dx, dy)
            options = self.options
            if distance > options.jump_min_nm:
                knots = kinematics.implied_knots(distance, at - last_at)
                if knots > options.max_knots:
                    self._impossible("jump")
                    self._jump(state, lat, lon, at, distance, knots)
                    return
        shadow = state.shadow
        if shadow is not None and at is not None and at - shadow[2] > 600:
            state.shadow = None
        state.at, state.lat, state.lon = at, lat, lon
        state.sog, state.cog, state.heading = sog, cog, heading
        if status is not None:
            state.status = status
        self.positions_accepted += 1
        self._changed[state.mmsi] = state
        if at is not None:
            thinner = state.thinner
            if thinner is None:
                thinner = state.thinner = thinning.TrackThinner(self.options.thinning)
            if thinner.offer_values(at, lat, lon, sog, cog):
                self._track.append((state.mmsi, thinner.last))  # type: ignore[arg-type]

    def _impossible(self, reason: str) -> None:
        self.rejected["impossible"] += 1
        self.impossible[reason] += 1

    def _jump(
        self,
        state: VesselState,
        lat: float,
        lon: float,
        at: float | None,
        distance: float,
        knots: float,
    ) -> None:
        when = at or 0.0
        kind = "jump"
        if state.shadow is not None:
            s_lat, s_lon, s_at = state.shadow
            shadow_distance = kinematics.distance_nm(s_lat, s_lon, lat, lon)
            if kinematics.implied_knots(shadow_distance, when - s_at) <= self.options.max_knots:
                kind = "twin"  # a second plausible track on one MMSI
        state.shadow = (lat, lon, when)
        self._suspicions.append(
            Suspicion(
                kind=kind,
                mmsi=state.mmsi,
                at=at,
                lat=lat,
                lon=lon,
                detail={
                    "from": [state.lat, state.lon],
                    "distance_nm": round(distance, 2),
                    "implied_knots": round(knots, 1) if math.isfinite(knots) else None,
                },
            )
        )

    def drain(self) -> Drained:
        """What changed since the last drain (positions, static data, track points,
        suspicions): the caller persists it in one batch."""
        drained = Drained(
            positions=list(self._changed.values()),
            static=list(self._static_changed.values()),
            track=self._track,
            suspicions=self._suspicions,
        )
        self._changed, self._static_changed = {}, {}
        self._track, self._suspicions = [], []
        return drained

    def summary(self) -> dict[str, Any]:
        """The ``--json`` object of the issue (keys in its order)."""
        return {
            "sentences": self.sentences,
            "messages": self.messages,
            "by_type": {str(k): self.by_type[k] for k in sorted(self.by_type)},
            "positions_accepted": self.positions_accepted,
            "rejected": {reason: self.rejected[reason] for reason in REJECT_REASONS},
            "impossible": {reason: self.impossible[reason] for reason in IMPOSSIBLE_REASONS},
            "vessels": len(self.vessels),
        }


def report_from(decoded: Any) -> Report | None:
    """A pyais message of a used type as a ``Report`` (sentinels as None)."""
    t = decoded.msg_type
    mmsi = int(decoded.mmsi)
    if t in (1, 2, 3):
        return Report(
            msg_type=t,
            mmsi=mmsi,
            lat=_none_if(decoded.lat, 91.0),
            lon=_none_if(decoded.lon, 181.0),
            sog=_none_if(decoded.speed, 102.3),
            cog=_none_if(decoded.course, 360.0),
            heading=_none_if(decoded.heading, 511),
            status=int(decoded.status),
            ais_class="A",
        )
    if t in (18, 19):
        report = Report(
            msg_type=t,
            mmsi=mmsi,
            lat=_none_if(decoded.lat, 91.0),
            lon=_none_if(decoded.lon, 181.0),
            sog=_none_if(decoded.speed, 102.3),
            cog=_none_if(decoded.course, 360.0),
            heading=_none_if(decoded.heading, 511),
            ais_class="B",
        )
        if t == 19:
            report.name = _text(decoded.shipname)
            report.ship_type = _none_if(int(decoded.ship_type), 0)
            report.to_bow, report.to_stern = decoded.to_bow, decoded.to_stern
            report.to_port, report.to_starboard = decoded.to_port, decoded.to_starboard
        return report
    if t == 27:
        return Report(
            msg_type=t,
            mmsi=mmsi,
            lat=_none_if(decoded.lat, 91.0),
            lon=_none_if(decoded.lon, 181.0),
            sog=_none_if(decoded.speed, 63.0),
            cog=_none_if(decoded.course, 511.0),
            status=int(decoded.status),
        )
    if t == 5:
        return Report(
            msg_type=t,
            mmsi=mmsi,
            name=_text(decoded.shipname),
            call_sign=_text(decoded.callsign),
            imo=_none_if(decoded.imo, 0),
            ship_type=_none_if(int(decoded.ship_type), 0),
            to_bow=decoded.to_bow,
            to_stern=decoded.to_stern,
            to_port=decoded.to_port,
            to_starboard=decoded.to_starboard,
            draught=decoded.draught,
            destination=_text(decoded.destination),
            ais_class="A",
        )
    if t == 24:
        if decoded.partno == 0:
            return Report(msg_type=t, mmsi=mmsi, name=_text(decoded.shipname), ais_class="B")
        report = Report(
            msg_type=t,
            mmsi=mmsi,
            call_sign=_text(decoded.callsign),
            ship_type=_none_if(int(decoded.ship_type), 0),
            ais_class="B",
        )
        if hasattr(decoded, "to_bow"):
            report.to_bow, report.to_stern = decoded.to_bow, decoded.to_stern
            report.to_port, report.to_starboard = decoded.to_port, decoded.to_starboard
        return report
    return None


# --- CSV (the common column layout) ----------------------------------------------------

CSV_COLUMNS = ("MMSI", "BaseDateTime", "LAT", "LON", "SOG", "COG", "Heading")


def _number(row: dict[str, str], key: str) -> float | None:
    value = (row.get(key) or "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def csv_reports(lines: Iterable[str], ingest: Ingest) -> Iterator[Report]:
    """Rows of a CSV in the common layout (MMSI, BaseDateTime, LAT, LON, SOG, COG,
    Heading, VesselName, IMO, CallSign, VesselType, Status, Length, Width, Draft,
    TransceiverClass) as reports; a bad row is counted on ``ingest`` as garbage."""
    reader = csv.DictReader(lines)
    for row in reader:
        ingest.sentences += 1
        mmsi = _number(row, "MMSI")
        at = parse_timestamp(row.get("BaseDateTime") or "")
        if mmsi is None or not 0 < mmsi < 1_000_000_000 or at is None:
            ingest.rejected["garbage"] += 1
            continue
        ingest.messages += 1
        if at and (ingest.latest_at is None or at > ingest.latest_at):
            ingest.latest_at = at
        heading = _number(row, "Heading")
        status = _number(row, "Status")
        length = _number(row, "Length")
        width = _number(row, "Width")
        imo_text = (row.get("IMO") or "").upper().removeprefix("IMO").strip()
        report = Report(
            msg_type=1,
            mmsi=int(mmsi),
            at=at,
            lat=_number(row, "LAT"),
            lon=_number(row, "LON"),
            sog=_number(row, "SOG"),
            cog=_none_if(_number(row, "COG"), 360.0),
            heading=None if heading is None or heading >= 360 else int(heading),
            status=None if status is None else int(status),
            name=_text(row.get("VesselName")),
            call_sign=_text(row.get("CallSign")),
            imo=int(imo_text) if imo_text.isdigit() and int(imo_text) else None,
            ship_type=None
            if _number(row, "VesselType") is None
            else int(_number(row, "VesselType") or 0) or None,
            to_bow=None if length is None else int(length) // 2,
            to_stern=None if length is None else int(length) - int(length) // 2,
            to_port=None if width is None else int(width) // 2,
            to_starboard=None if width is None else int(width) - int(width) // 2,
            draught=_number(row, "Draft"),
            ais_class=(row.get("TransceiverClass") or "").strip()[:1].upper(),
        )
        ingest.by_type[report.msg_type] += 1
        yield report


def ingest_csv(lines: Iterable[str], ingest: Ingest) -> None:
    for report in csv_reports(lines, ingest):
        position = report.lat is not None or report.lon is not None
        static = Report(**{**_fields(report), "msg_type": 5})
        ingest.feed_report(static, timed=True)
        if position:
            ingest.feed_report(report, timed=True)
        else:
            ingest._impossible("not_available")


def _fields(report: Report) -> dict[str, Any]:
    return {name: getattr(report, name) for name in Report.__slots__}
