"""The incident API: report, acknowledge, advance; vessels' party-internal views."""

import pytest

from accord.incidents.models import Incident
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def test_a_report_through_the_api_runs_the_protocol_to_acknowledged(client, on_watch, vessel):
    ship = vessel("SAHAND")
    body = {
        "category": "simulated_attack",
        "occurred_at": "2026-11-30T20:00:00+00:00",
        "latitude": 26.4,
        "longitude": 56.4,
        "description": "Fire-control radar locked on for two minutes.",
        "vessels": [str(ship.public_id)],
    }

    created = _as(client, on_watch["us-duty"]).post(
        "/api/incidents/", body, content_type="application/json"
    )
    incident_id = created.json()["id"] if created.status_code == 201 else None
    refused = client.post(
        f"/api/incidents/{incident_id}/acknowledge", {}, content_type="application/json"
    )
    acknowledged = _as(client, on_watch["ir-duty"]).post(
        f"/api/incidents/{incident_id}/acknowledge", {}, content_type="application/json"
    )

    assert created.status_code == 201
    assert created.json()["step"] == "reported"
    assert Incident.objects.get().message.precedence == "FLASH"
    assert refused.status_code == 403
    assert refused.json()["code"] == "incident.acknowledge_not_allowed"
    assert acknowledged.status_code == 200
    assert [s["step"] for s in acknowledged.json()["steps"]] == ["reported", "acknowledged"]


def test_an_out_of_range_time_is_refused_by_the_schema(client, on_watch):
    body = {
        "category": "collision",
        "occurred_at": "0001-01-01T00:00:00+00:00",
        "latitude": 26.4,
        "longitude": 56.4,
        "description": "x",
    }

    answer = _as(client, on_watch["us-duty"]).post(
        "/api/incidents/", body, content_type="application/json"
    )

    assert answer.status_code == 422


def test_the_list_answers_someone_off_the_channel_with_nothing(client, report, on_watch):
    incident = report("us-duty")

    answer = _as(client, on_watch["us-expert"]).get("/api/incidents/")
    one = client.get(f"/api/incidents/{incident.public_id}")

    assert answer.status_code == 200
    assert answer.json() == []
    assert_learns_nothing_of_others(answer.json(), hidden=[incident], shown=0)
    assert one.status_code == 404


def test_an_affiliation_set_through_the_api_stays_with_the_party(client, on_watch, vessel):
    ship = vessel("USS EXAMPLE")

    put = _as(client, on_watch["ir-duty"]).put(
        f"/api/incidents/vessels/{ship.public_id}/affiliation",
        {"affiliation": "other_navy"},
        content_type="application/json",
    )
    theirs = _as(client, on_watch["us-duty"]).get(
        f"/api/incidents/vessels/{ship.public_id}/affiliation"
    )

    assert put.status_code == 200 and put.json()["affiliation"] == "other_navy"
    assert theirs.status_code == 200 and theirs.json()["affiliation"] == "unknown"
