"""The picture's batches: encounters predicted -> ongoing -> cleared, going dark, spoofing,
zones, all as events; raw positions never in the event log."""

import pytest
from pyais.encode import encode_dict

from accord.events.models import Event
from accord.maritime import synthetic, zones
from accord.maritime.models import Encounter, VesselAlert
from accord.maritime.services import Picture

pytestmark = pytest.mark.django_db
T0 = 1_800_000_000


def _line(t, mmsi, lat, lon, speed, course, status=0):
    sentence = encode_dict(
        {
            "type": 1,
            "mmsi": mmsi,
            "lat": lat,
            "lon": lon,
            "speed": speed,
            "course": course,
            "status": status,
        },
        talker_id="AI",
        sentence_type="VDM",
    )[0]
    return f"\\c:{t}*00\\{sentence}"


def _kinds():
    return list(Event.objects.filter(scope="mechanism:MCC").values_list("kind", flat=True))


def test_two_ships_closing_are_predicted_then_ongoing_then_cleared(picture):
    # given two ships 4 nm apart closing head-on at 10 kn each
    picture.feed_lines(
        [_line(T0, 422000001, 26.50, 56.30, 10, 0), _line(T0, 470000002, 26.5667, 56.30, 10, 180)]
    )
    picture.flush()
    # then an encounter is predicted
    encounter = Encounter.objects.get()
    assert encounter.status == Encounter.Status.PREDICTED
    assert encounter.rule == "close_approach"
    assert "EncounterPredicted" in _kinds()
    # when they are within half a mile
    picture.feed_lines(
        [
            _line(T0 + 690, 422000001, 26.5315, 56.30, 10, 0),
            _line(T0 + 690, 470000002, 26.5352, 56.30, 10, 180),
        ]
    )
    picture.flush()
    encounter.refresh_from_db()
    assert encounter.status == Encounter.Status.ONGOING
    # when they have passed and opened for longer than the charter's clear_after
    picture.feed_lines(
        [
            _line(T0 + 1200, 422000001, 26.56, 56.30, 10, 0),
            _line(T0 + 1200, 470000002, 26.507, 56.30, 10, 180),
        ]
    )
    picture.flush()
    picture.feed_lines(
        [
            _line(T0 + 1600, 422000001, 26.58, 56.30, 10, 0),
            _line(T0 + 1600, 470000002, 26.487, 56.30, 10, 180),
        ]
    )
    picture.flush()
    encounter.refresh_from_db()
    assert encounter.status == Encounter.Status.CLEARED
    assert _kinds().count("EncounterCleared") == 1
    # and no event is a raw position
    assert not any("Position" in kind for kind in _kinds())


def test_a_vessel_under_way_silent_past_the_charter_period_has_gone_dark_until_it_reports(
    picture,
):
    picture.feed_lines(
        [_line(T0, 422000001, 26.5, 56.3, 12, 90), _line(T0, 470000002, 25.0, 55.0, 0, 0, status=1)]
    )
    picture.flush()
    # when 16 minutes pass with only the anchored ship reporting
    picture.feed_lines([_line(T0 + 960, 470000002, 25.0, 55.0001, 0, 0, status=1)])
    picture.flush()
    dark = VesselAlert.objects.get(kind=VesselAlert.Kind.DARK)
    assert dark.vessel.mmsi == 422000001 and dark.is_open
    # when it reports again
    picture.feed_lines([_line(T0 + 1000, 422000001, 26.5, 56.35, 12, 90)])
    picture.flush()
    dark.refresh_from_db()
    assert not dark.is_open
    assert _kinds().count("VesselWentDark") == 1 and "VesselReappeared" in _kinds()


def test_two_positions_for_one_mmsi_are_a_suspected_spoofing(picture):
    lines = []
    for k in range(4):  # one MMSI reporting alternately from two places 30 nm apart
        lines.append(_line(T0 + 20 * k, 422000009, 26.5, 56.3 + 0.0001 * k, 10, 90))
        lines.append(_line(T0 + 20 * k + 10, 422000009, 27.0, 56.3 + 0.0001 * k, 10, 90))
    picture.feed_lines(lines)
    picture.flush()
    kinds = set(VesselAlert.objects.values_list("kind", flat=True))
    assert VesselAlert.Kind.SPOOFING_TWIN in kinds
    assert "VesselSpoofingSuspected" in _kinds()


LANES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"code": "IN", "kind": "inbound_lane", "direction": 270},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[56, 26], [57, 26], [57, 26.1], [56, 26.1], [56, 26]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"code": "SEP", "kind": "separation_zone"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[56, 26.1], [57, 26.1], [57, 26.2], [56, 26.2], [56, 26.1]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"code": "TS", "kind": "territorial_sea"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[56, 26.3], [57, 26.3], [57, 26.4], [56, 26.4], [56, 26.3]]],
            },
        },
    ],
}


def test_the_wrong_lane_the_separation_zone_and_a_warship_in_a_territorial_sea_are_flagged(mcc):
    picture = Picture(mcc, zone_shapes=zones.zones_from_geojson(LANES))
    # given a warship (AIS type 35) and a tanker (type 80) that said what they are
    picture.feed_lines(
        [
            *synthetic.static_lines(422000003, "JAMARAN", ship_type=35, at=T0),
            *synthetic.static_lines(470000005, "GULF STAR", ship_type=80, at=T0),
        ]
    )
    picture.feed_lines(
        [
            _line(T0, 422000001, 26.05, 56.5, 12, 90),  # eastbound in the westbound lane
            _line(T0, 422000002, 26.15, 56.5, 12, 0),  # crossing the separation zone
            _line(T0, 422000003, 26.35, 56.5, 12, 0),  # a warship inside a territorial sea
            _line(T0, 422000004, 26.05, 56.9, 12, 270),  # right way in the lane
            _line(T0, 470000005, 26.35, 56.7, 12, 270),  # a tanker in transit passage
            _line(T0, 470000006, 26.36, 56.8, 12, 270),  # a ship that never said what it is
        ]
    )
    picture.flush()
    found = {(a.vessel.mmsi, a.kind, a.zone) for a in VesselAlert.objects.all()}
    # then the warship's entry is flagged, the merchant ships' passage is not
    assert found == {
        (422000001, "wrong_lane", "IN"),
        (422000002, "separation_zone", "SEP"),
        (422000003, "zone_entry", "TS"),
    }
    assert _kinds().count("VesselEnteredZone") == 1
    # when the tanker leaves the territorial sea, nothing is said of it
    picture.feed_lines([_line(T0 + 60, 470000005, 26.25, 56.7, 12, 180)])
    picture.flush()
    assert "VesselLeftZone" not in _kinds()


def test_a_charter_may_flag_every_vessel_entering_a_territorial_sea(islamabad):
    # given a channel whose charter names every affiliation for territorial seas
    from accord.maritime.services import maritime_mechanism

    mechanism = maritime_mechanism("MCC")
    mechanism.settings = {
        **(mechanism.settings or {}),
        "maritime": {"territorial_sea_entry": ["any"]},
    }
    picture = Picture(mechanism, zone_shapes=zones.zones_from_geojson(LANES))
    picture.feed_lines(synthetic.static_lines(470000005, "GULF STAR", ship_type=80, at=T0))
    # when a tanker enters the territorial sea
    picture.feed_lines([_line(T0, 470000005, 26.35, 56.7, 12, 270)])
    picture.flush()
    # then its entry is flagged
    alert = VesselAlert.objects.get()
    assert (alert.vessel.mmsi, alert.kind, alert.zone) == (470000005, "zone_entry", "TS")


def test_a_territorial_sea_with_an_unknown_affiliation_in_the_charter_is_refused():
    from accord.maritime.charter import MaritimeSettingsInvalid, maritime_settings_parse

    with pytest.raises(MaritimeSettingsInvalid) as refused:
        maritime_settings_parse("MCC", {"territorial_sea_entry": ["pirates"]})
    assert "territorial_sea_entry" in str(refused.value)


def test_the_charter_s_zones_and_area_are_the_picture_s(picture):
    # given the default charter's MCC geography (approximate lanes, territorial seas, area)
    kinds = {zone.kind for zone in picture.zones}
    assert {"traffic_lane_inbound", "traffic_lane_outbound", "separation_zone"} <= kinds
    assert picture.area is not None
    # then a ship far outside the Strait's area is not screened
    picture.feed_lines(
        [_line(T0, 422000001, 29.5, 49.0, 10, 0), _line(T0, 470000002, 29.51, 49.0, 10, 180)]
    )
    picture.flush()
    assert not Encounter.objects.exists()


def test_a_ship_leaving_the_area_at_a_lane_end_has_left_not_gone_dark(picture):
    # given the charter's area (its western edge near 55.54 E at 26.45 N), a ship just
    # inside it heading out west, one just inside heading in, one in the middle
    picture.feed_lines(
        [
            _line(T0, 422000001, 26.45, 55.56, 12, 270),  # leaving at the western end
            _line(T0, 422000002, 26.45, 55.56, 12, 90),  # at the edge, heading in
            _line(T0, 422000003, 26.5, 56.3, 12, 90),  # in the middle of the Strait
            _line(T0, 470000004, 25.0, 55.0, 0, 0, status=1),
        ]
    )
    picture.flush()
    # when 16 minutes pass with only the anchored ship reporting
    picture.feed_lines([_line(T0 + 960, 470000004, 25.0, 55.0001, 0, 0, status=1)])
    picture.flush()
    # then the ship that headed out has left; the other two have gone dark
    dark = set(
        VesselAlert.objects.filter(kind=VesselAlert.Kind.DARK).values_list(
            "vessel__mmsi", flat=True
        )
    )
    assert dark == {422000002, 422000003}
    assert _kinds().count("VesselWentDark") == 2


def test_a_batch_of_positions_is_in_the_same_zones_as_each_position_alone(picture):
    # given the charter's zones and a thousand positions over the Strait, some on edges
    import numpy as np

    rng = np.random.default_rng(15)
    lat = [*rng.uniform(25.8, 27.2, 1000), 26.0, 26.3]
    lon = [*rng.uniform(55.5, 57.3, 1000), 56.0, 57.0]
    cog = [float(c) for c in rng.uniform(0, 360, len(lat))]
    cog[3] = None
    under_way = [bool(u) for u in rng.random(len(lat)) < 0.8]
    # when assessed as a batch and one by one
    batch = zones.assess_many(picture.zones, lat, lon, cog, under_way)
    together = zip(lat, lon, cog, under_way, strict=True)
    alone = [zones.assess(picture.zones, *values) for values in together]
    # then the answers are the same, and some positions are in zones
    assert batch == alone
    assert sum(1 for found in alone if found.inside) > 100
