"""The live map's page and JSON: the channel's members get the picture as layers and
frames of changes; nobody else learns it exists; a party's affiliations stay its own."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accord.maritime import mapframes
from accord.maritime.models import Encounter, Vessel
from accord.maritime.tests.test_picture import T0, _line
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db

MAP = "/maritime/map/MCC/"
LAYERS = "/maritime/map/MCC/layers.json"
POSITIONS = "/maritime/map/MCC/positions.json"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_frames():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def encounter(cast, picture):
    picture.feed_lines(
        [_line(T0, 422000001, 26.50, 56.30, 10, 0), _line(T0, 470000002, 26.5667, 56.30, 10, 180)]
    )
    picture.flush()
    return Encounter.objects.get()


@pytest.fixture
def party_affiliations():
    """A stand-in for the incidents app's source: each party's own classification."""
    by_party = {"US": "own_navy", "IR": "other_navy"}

    def seen(*, actor, vessels):
        code = actor.delegation.code if actor.delegation_id else None
        return {v.pk: by_party.get(code, "unknown") for v in vessels if v.mmsi == 422000001}

    before = dict(mapframes._sources)
    mapframes.map_sources_register(affiliations=seen)
    yield
    mapframes._sources.update(before)


def layer(data, name):
    return next(item for item in data["layers"] if item["name"] == name)


def test_a_duty_officer_gets_the_map_with_zones_vessels_tracks_and_the_encounter(cast, encounter):
    client = _client(cast["ir-duty"])
    page = client.get(MAP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "data-geo-map" in body and 'data-refresh-url="/maritime/map/MCC/positions.json"' in body
    data = client.get(LAYERS).json()
    assert [item["name"] for item in data["layers"]] == [
        "area",
        "zones",
        "tracks",
        "replay",
        "vessels",
        "encounters",
        "incidents",  # the incidents app's layer (registered in its ready())
    ]
    assert {f["properties"]["kind"] for f in layer(data, "zones")["features"]} >= {
        "traffic_lane_inbound",
        "separation_zone",
        "traffic_lane_outbound",
    }
    vessels = {f["properties"]["name"]: f for f in layer(data, "vessels")["features"]}
    assert len(vessels) == 2
    south = next(f for f in vessels.values() if f["geometry"]["coordinates"][1] == 26.5)
    assert south["properties"]["heading"] == 0 and south["properties"]["speed"] == 10
    assert south["properties"]["affiliation"] == "unknown"
    assert dict(south["properties"]["details"])["MMSI"] == "422000001"
    assert layer(data, "vessels")["live_only"] and layer(data, "replay")["past_only"]
    (cpa,) = layer(data, "encounters")["features"]
    assert cpa["properties"]["key"] == str(encounter.public_id)
    assert cpa["geometry"]["type"] == "MultiLineString"
    assert len(cpa["geometry"]["coordinates"]) == 3  # each vessel's run, and the CPA line
    assert "next" in data and data["time"]["step"] == 60


def test_the_next_frame_holds_only_what_moved_since_the_cursor(cast, encounter, picture):
    client = _client(cast["us-duty"])
    first = client.get(POSITIONS).json()
    assert len(layer(first, "vessels")["features"]) == 2
    quiet = client.get(first["next"]).json()
    assert layer(quiet, "vessels")["merge"] is True
    assert layer(quiet, "vessels")["features"] == []
    picture.feed_lines([_line(T0 + 10, 470000002, 26.5640, 56.30, 10, 180)])
    picture.flush()
    cache.clear()
    moved = client.get(first["next"]).json()
    (feature,) = layer(moved, "vessels")["features"]
    assert feature["geometry"]["coordinates"][1] == pytest.approx(26.564, abs=1e-4)
    assert moved["next"] != first["next"]


def test_a_bad_cursor_is_refused_with_its_code(cast, encounter):
    response = _client(cast["us-duty"]).get(POSITIONS + "?after=yesterday")
    assert response.status_code == 422
    assert "The frame cursor is not a date and time" in response.content.decode()


@pytest.mark.parametrize("username", ["pk-duty", "us-head", "operator"])
def test_someone_outside_the_channel_learns_nothing_of_its_map(cast, encounter, username):
    client = _client(cast[username])
    hidden = [*Vessel.objects.all(), encounter]
    for url in (MAP, LAYERS, POSITIONS):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_learns_nothing_of_others(response.content, hidden=hidden)
        assert "422000001" not in response.content.decode()
    assert client.get("/maritime/map/DCC/").status_code == 404  # not a maritime channel


def test_each_party_sees_only_its_own_affiliations_even_within_one_frame(
    cast, encounter, party_affiliations, monkeypatch
):
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)  # one frame tick for both
    us = layer(_client(cast["us-duty"]).get(POSITIONS).json(), "vessels")["features"]
    ir = layer(_client(cast["ir-duty"]).get(POSITIONS).json(), "vessels")["features"]
    by_mmsi = lambda features: {  # noqa: E731
        dict(f["properties"]["details"])["MMSI"]: f["properties"]["affiliation"] for f in features
    }
    assert by_mmsi(us)["422000001"] == "own_navy"
    assert by_mmsi(ir)["422000001"] == "other_navy"
    assert "own_navy" not in str(ir) and "Own navy" not in str(ir)


def test_pages_of_one_party_share_a_frame_a_second(cast, encounter, django_assert_num_queries):
    actor = cast["us-duty"]
    mechanism = mapframes.map_mechanism(actor, "MCC")
    first = mapframes.positions_frame(actor=actor, mechanism=mechanism, after=None)
    with django_assert_num_queries(0):
        again = mapframes.positions_frame(actor=actor, mechanism=mechanism, after=None)
    assert again == first
    other_party = mapframes.positions_frame(actor=cast["ir-duty"], mechanism=mechanism, after=None)
    assert other_party is not first  # built for its own party


@pytest.mark.parametrize(("username", "offered"), [("us-duty", True), ("pk-chair", False)])
def test_the_vessels_page_links_the_map_only_for_a_member_of_the_channel(
    cast, encounter, username, offered
):
    response = _client(cast[username]).get("/maritime/")
    assert response.status_code == 200
    assert (f'href="{MAP}"' in response.content.decode()) is offered
