"""The vessels page and API: the channel's picture is shared with the maritime channel's
members (both parties' duty officers) and with no one else, not even its existence."""

import pytest
from django.test import Client

from accord.events.models import Event
from accord.maritime.models import Encounter, Vessel
from accord.maritime.tests.test_picture import T0, _line
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def encounter(cast, picture):
    picture.feed_lines(
        [_line(T0, 422000001, 26.50, 56.30, 10, 0), _line(T0, 470000002, 26.5667, 56.30, 10, 180)]
    )
    picture.flush()
    return Encounter.objects.get()


def test_both_parties_duty_officers_see_the_vessels_and_the_encounter(cast, encounter):
    for username in ("us-duty", "ir-duty"):
        client = _client(cast[username])
        response = client.get("/api/maritime/vessels")
        assert response.status_code == 200
        assert {v["mmsi"] for v in response.json()} == {422000001, 470000002}
        response = client.get("/api/maritime/encounters?open=true")
        assert response.status_code == 200
        assert [e["id"] for e in response.json()] == [str(encounter.public_id)]
        vessel = Vessel.objects.get(mmsi=422000001)
        response = client.get(f"/api/maritime/vessels/{vessel.public_id}/track")
        assert response.status_code == 200
        assert response.json()["points"][0]["lat"] == pytest.approx(26.5)
        page = client.get("/maritime/")
        assert page.status_code == 200
        assert "470000002" in page.content.decode()


@pytest.mark.parametrize("username", ["pk-duty", "us-head", "pk-chair"])
def test_someone_outside_the_maritime_channel_learns_nothing_of_its_picture(
    cast, encounter, username
):
    client = _client(cast[username])
    hidden = [*Vessel.objects.all(), encounter]
    vessel = Vessel.objects.first()
    for url in (
        "/api/maritime/vessels",
        "/api/maritime/encounters",
        "/api/maritime/positions",
        "/api/maritime/alerts",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json() == []
    for url in (
        f"/api/maritime/vessels/{vessel.public_id}",
        f"/api/maritime/encounters/{encounter.public_id}",
        f"/maritime/vessels/{vessel.public_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    page = client.get("/maritime/")
    assert page.status_code == 200
    assert_learns_nothing_of_others(page.content, hidden=hidden)
    assert "422000001" not in page.content.decode()
    events = client.get("/api/events/")
    assert events.status_code == 200
    assert_learns_nothing_of_others(events.json(), hidden=hidden)
    assert not [e for e in events.json()["events"] if e["kind"].startswith("Encounter")]
    assert Event.objects.filter(kind="EncounterPredicted").exists()
