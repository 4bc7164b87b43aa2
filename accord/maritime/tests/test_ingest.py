"""The ingest: GPSD's independent decode agrees, bad input is counted and survived."""

import json
import math
from pathlib import Path

import pytest
from pyais.encode import encode_dict

from accord.maritime.ingest import Ingest, line_time
from accord.maritime.models import TrackPoint, Vessel, VesselPosition

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "ais"
if not SHARED.exists():
    SHARED = Path("/work/shared/data/ais")
SAMPLE = SHARED / "gpsd-sample.aivdm"
EXPECTED = SHARED / "gpsd-sample.aivdm.expected.jsonl"

# GPSD name -> (our report's attribute, GPSD's "not available" values)
FIELDS = {
    "mmsi": ("mmsi", ()),
    "lat": ("lat", (91.0,)),
    "lon": ("lon", (181.0,)),
    "speed": ("sog", (102.3, 63)),
    "course": ("cog", (360.0, 511)),
    "heading": ("heading", (511,)),
    "shipname": ("name", ("",)),
    "callsign": ("call_sign", ("",)),
    "imo": ("imo", (0,)),
    "shiptype": ("ship_type", (0,)),
    "to_bow": ("to_bow", ()),
    "to_stern": ("to_stern", ()),
    "to_port": ("to_port", ()),
    "to_starboard": ("to_starboard", ()),
    "draught": ("draught", ()),
    "destination": ("destination", ("",)),
}


class Recording(Ingest):
    """An ingest that keeps every report it was fed, in order."""

    through_reports = True

    def __init__(self):
        super().__init__()
        self.reports = []

    def feed_report(self, report, *, timed):
        self.reports.append(report)
        super().feed_report(report, timed=timed)


def _nmea(body):
    """``body`` (between the delimiter and the star) with its checksum."""
    checksum = 0
    for char in body[1:]:
        checksum ^= ord(char)
    return f"{body}*{checksum:02X}"


def _sentence(**fields):
    return encode_dict(fields, talker_id="AI", sentence_type="VDM")[0]


def test_every_field_gpsd_and_pyais_both_define_agrees_after_ingest():
    # given GPSD's sample and its own decode
    ingest = Recording()
    ingest.feed_lines(SAMPLE.read_bytes().splitlines())
    ingest.finish()
    used = {1, 2, 3, 5, 18, 19, 24, 27}
    expected = [e for e in map(json.loads, EXPECTED.read_text().splitlines()) if e["type"] in used]
    # then every message of a used type was reported (type 24 parts A and B apart)
    ours = list(ingest.reports)
    compared = 0
    for gpsd in expected:
        match = next(
            (r for r in ours if r.mmsi == gpsd["mmsi"] and r.msg_type == gpsd["type"]), None
        )
        assert match is not None, gpsd
        parts = [r for r in ours if r.mmsi == gpsd["mmsi"] and r.msg_type == gpsd["type"]]
        for name, (attribute, unavailable) in FIELDS.items():
            if name not in gpsd:
                continue
            value = gpsd[name]
            mine = [getattr(r, attribute) for r in parts if getattr(r, attribute) is not None]
            if value in unavailable or (isinstance(value, str) and not value.strip()):
                continue
            assert mine, (gpsd, name)
            if isinstance(value, float):
                # GPSD prints a type 27 position (1/10 minute) to a tenth of a degree.
                tolerance = 0.051 if gpsd["type"] == 27 else 1e-4
                assert any(math.isclose(m, value, abs_tol=tolerance) for m in mine), (gpsd, name)
            else:
                assert value in mine or str(value).strip() in [str(m) for m in mine], (gpsd, name)
            compared += 1
        ours.remove(match)
    assert compared > 100


def test_positions_decoded_straight_into_the_picture_leave_what_reports_leave():
    # given GPSD's sample ingested the fast way and through a Report for every message
    fast, slow = Ingest(), Recording()
    for ingest in (fast, slow):
        ingest.feed_lines(SAMPLE.read_bytes().splitlines())
        ingest.finish()
    # then both hold the same vessels in the same state, with the same counts
    assert fast.summary() == slow.summary()
    for mmsi, state in slow.vessels.items():
        other = fast.vessels[mmsi]
        assert (other.lat, other.lon, other.sog, other.cog, other.heading) == (
            state.lat,
            state.lon,
            state.sog,
            state.cog,
            state.heading,
        )
        assert (other.status, other.ais_class, other.static) == (
            state.status,
            state.ais_class,
            state.static,
        )


def test_the_sample_decodes_to_as_many_messages_as_pyais_decodes():
    ingest = Ingest()
    ingest.feed_lines(SAMPLE.read_bytes().splitlines())
    ingest.finish()
    summary = ingest.summary()
    assert summary["messages"] == 102
    assert sum(summary["by_type"].values()) == 102
    assert summary["rejected"]["checksum"] == 0


def test_bad_lines_are_counted_by_reason_and_ingest_goes_on():
    good = _sentence(type=1, mmsi=422000001, lat=26.5, lon=56.3, speed=12.0, course=90.0)
    bad_checksum = good[:-2] + ("00" if good[-2:] != "00" else "11")
    truncated = good[: len(good) // 2]
    lines = [
        "garbage that is no sentence",
        bad_checksum,
        truncated,
        _nmea("!AIVDM,2,2,7,A,88888888880,2"),  # an orphan second fragment
        _sentence(type=1, mmsi=422000002, lat=91.0, lon=181.0),  # not available
        good,
        good,  # the same sentence from a second receiver
    ]
    ingest = Ingest()
    ingest.feed_lines(lines)
    ingest.finish()
    summary = ingest.summary()
    assert summary["sentences"] == 7
    assert summary["rejected"]["garbage"] == 1
    assert summary["rejected"]["checksum"] == 1
    assert summary["rejected"]["truncated"] == 1
    assert summary["rejected"]["fragment"] == 1
    assert summary["rejected"]["duplicate"] == 1
    assert summary["impossible"]["not_available"] == 1
    assert summary["positions_accepted"] == 1


def test_an_impossible_jump_and_an_out_of_order_report_are_rejected_and_suspected():
    # given one vessel timed by tag blocks, then a report 60 nm away a minute later
    def at(t, lat, lon):
        return f"\\c:{t}*00\\" + _sentence(type=1, mmsi=422000003, lat=lat, lon=lon, speed=10.0)

    ingest = Ingest()
    ingest.feed_lines(
        [
            at(1_800_000_000, 26.5, 56.3),
            at(1_800_000_060, 27.5, 56.3),
            at(1_799_999_970, 26.51, 56.3),
        ]
    )
    summary = ingest.summary()
    assert summary["impossible"]["jump"] == 1
    assert summary["rejected"]["out_of_order"] == 1
    assert [s.kind for s in ingest.drain().suspicions] == ["jump"]


def test_receiver_times_come_from_tag_blocks_gatehouse_lines_and_a_leading_column():
    sentence = _sentence(type=1, mmsi=422000004, lat=26.5, lon=56.3)
    assert line_time(f"\\s:r1,c:1800000000*00\\{sentence}") == 1_800_000_000
    assert line_time(f"1800000000.5 {sentence}") == 1_800_000_000.5
    assert line_time(f"2027-01-15T08:00:00Z;{sentence}") == 1_800_000_000
    ingest = Ingest()
    ingest.feed_lines([_nmea("$PGHP,1,2027,1,15,8,0,0,0,422,,,1,"), sentence])
    assert ingest.vessels[422000004].at == 1_800_000_000


def test_a_fragment_left_waiting_past_the_timeout_is_counted_an_orphan():
    first = "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C"
    ingest = Ingest()
    ingest.feed_lines(
        [
            f"\\c:1800000000*00\\{first}",
            "\\c:1800000100*00\\" + _sentence(type=1, mmsi=1, lat=1, lon=1),
        ]
    )
    assert ingest.summary()["rejected"]["fragment"] == 1


@pytest.mark.django_db
def test_an_ingested_file_leaves_vessels_latest_positions_and_a_thinned_track(picture):
    # given the GPSD sample ingested through the picture
    picture.feed_lines(SAMPLE.read_bytes().splitlines())
    picture.ingest.finish()
    result = picture.flush()
    # then every vessel is stored with its flag and static data, once
    assert result.vessels_new == Vessel.objects.count() == picture.ingest.summary()["vessels"]
    diadem = Vessel.objects.get(mmsi=351759000)
    assert (diadem.name, diadem.call_sign, diadem.imo, diadem.flag) == (
        "EVER DIADEM",
        "3FOF8",
        9134270,
        "PA",
    )
    assert (diadem.length, diadem.beam) == (295, 32)
    assert VesselPosition.objects.filter(vessel__mmsi=371798000).get().lat == pytest.approx(
        48.381633
    )
    # and a second flush writes nothing new
    again = picture.flush()
    assert (again.vessels_new, again.positions, again.track_points) == (0, 0, 0)
    assert TrackPoint.objects.count() == 0  # the sample has no receiver times
