"""The meetings API end to end: schedule, agenda, minutes to approval, action items."""

import pytest
from django.test import Client

from accord.meetings import access, services
from accord.meetings.models import Session


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _json(client, method, path, data=None):
    return getattr(client, method)(path, data or {}, content_type="application/json")


SESSION = {
    "title": "HLC plenary",
    "body": "HLC",
    "venue": "Palais des Nations",
    "venue_timezone": "Europe/Zurich",
    "starts_at": "2027-03-11T10:00",
    "ends_at": "2027-03-11T12:00",
}


def test_a_session_goes_from_scheduling_to_approved_minutes_through_the_api(cast):
    chair, rapporteur = _client(cast["pk-chair"]), _client(cast["pk-rapporteur"])
    created = _json(chair, "post", "/api/meetings/sessions", SESSION)
    assert created.status_code == 201, created.json()
    session = created.json()
    assert session["starts_at"].startswith("2027-03-11T09:00")
    assert session["at_venue"]["starts"].startswith("2027-03-11T10:00")
    assert "us-head" in session["participants"]
    sid = session["id"]
    item = _json(
        _client(cast["ir-head"]),
        "post",
        f"/api/meetings/sessions/{sid}/agenda",
        {"title": "Enrichment", "subject": "divergence:4"},
    )
    assert item.status_code == 201
    assert (
        _json(chair, "post", f"/api/meetings/sessions/{sid}/agenda/adopt").json()["agenda_status"]
        == "adopted"
    )
    assert _json(rapporteur, "put", f"/api/meetings/sessions/{sid}/minutes", {"text": "Met."})
    decision = _json(
        rapporteur, "post", f"/api/meetings/sessions/{sid}/minutes/decisions", {"text": "Agreed."}
    )
    assert decision.status_code == 201 and decision.json()["number"] == 1
    action = _json(
        rapporteur,
        "post",
        f"/api/meetings/sessions/{sid}/minutes/action-items",
        {"text": "Send the list", "owner": "ir-head", "due_on": "2027-03-20"},
    )
    assert action.status_code == 201 and action.json()["owner"] == "ir-head"
    circulated = _json(rapporteur, "post", f"/api/meetings/sessions/{sid}/minutes/circulate")
    assert circulated.json()["awaiting"] == ["US", "IR"] or circulated.json()["awaiting"] == [
        "IR",
        "US",
    ]
    _json(_client(cast["us-head"]), "post", f"/api/meetings/sessions/{sid}/minutes/approve")
    final = _json(_client(cast["ir-head"]), "post", f"/api/meetings/sessions/{sid}/minutes/approve")
    assert final.json()["status"] == "approved" and final.json()["awaiting"] == []
    assert {a["party"] for a in final.json()["approvals"]} == {"US", "IR"}
    done = _json(
        _client(cast["ir-head"]),
        "post",
        f"/api/meetings/action-items/{action.json()['id']}/complete",
    )
    assert done.json()["status"] == "done"


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"venue_timezone": "Nowhere/City"}, 422, services.SESSION_ZONE_INVALID.code),
        ({"ends_at": "2027-03-11T09:00"}, 422, services.SESSION_ENDS_BEFORE_START.code),
        ({"starts_at": "not a time"}, 422, "request.invalid"),  # the schema's own answer
        ({"body": "NOPE"}, 404, services.SESSION_BODY_NOT_FOUND.code),
        ({"body": None}, 422, services.SESSION_BODY_OR_CAUCUS.code),
        (
            {"caucus_party": "PK", "body": None},
            422,
            services.SESSION_CAUCUS_PARTY_INVALID.code,
        ),
        ({"caucus_party": "ZZ", "body": None}, 404, services.SESSION_PARTY_NOT_FOUND.code),
        ({"participants": ["nobody"]}, 404, access.PERSON_NOT_FOUND.code),
        ({"round": "00000000-0000-0000-0000-000000000000"}, 404, access.ROUND_NOT_FOUND.code),
        ({"title": ""}, 422, "request.invalid"),
    ],
)
def test_bad_session_requests_are_clear_4xx_and_write_nothing(cast, changes, status, code):
    answer = _json(_client(cast["pk-chair"]), "post", "/api/meetings/sessions", SESSION | changes)
    assert answer.status_code == status, answer.json()
    assert answer.json()["code"] == code
    assert not Session.objects.exists()


def test_a_party_cannot_schedule_or_keep_minutes_through_the_api(cast):
    us = _client(cast["us-head"])
    assert _json(us, "post", "/api/meetings/sessions", SESSION).status_code == 403
    sid = _json(_client(cast["pk-chair"]), "post", "/api/meetings/sessions", SESSION).json()["id"]
    answer = _json(us, "put", f"/api/meetings/sessions/{sid}/minutes", {"text": "Our version"})
    assert answer.status_code == 403
    assert answer.json()["code"] == services.MINUTES_NOT_RAPPORTEUR.code
    assert _json(us, "get", f"/api/meetings/sessions/{sid}/minutes").status_code == 404


def test_approving_minutes_that_are_not_circulated_is_a_conflict(cast):
    sid = _json(_client(cast["pk-chair"]), "post", "/api/meetings/sessions", SESSION).json()["id"]
    _json(
        _client(cast["pk-rapporteur"]),
        "put",
        f"/api/meetings/sessions/{sid}/minutes",
        {"text": "x"},
    )
    answer = _json(
        _client(cast["us-head"]), "post", f"/api/meetings/sessions/{sid}/minutes/approve"
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == services.MINUTES_NOT_CIRCULATED.code


def test_a_caucus_is_scheduled_through_the_api_with_the_party_head(cast):
    answer = _json(
        _client(cast["qa-chair"]),
        "post",
        "/api/meetings/sessions",
        SESSION | {"body": None, "caucus_party": "IR", "title": "Caucus with Iran"},
    )
    assert answer.status_code == 201
    assert answer.json()["kind"] == "caucus"
    assert sorted(answer.json()["participants"]) == ["ir-head", "qa-chair"]


def test_rounds_are_listed_and_opened_through_the_api(cast):
    round_in = {
        "title": "Round two",
        "venue": "Doha",
        "venue_timezone": "Asia/Qatar",
        "starts_on": "2027-01-10",
        "ends_on": "2027-01-14",
    }
    created = _json(_client(cast["qa-chair"]), "post", "/api/meetings/rounds", round_in)
    assert created.status_code == 201 and created.json()["number"] == 1
    listed = _client(cast["ir-observer"]).get("/api/meetings/rounds").json()
    assert [r["title"] for r in listed] == ["Round two"]
    bad = _json(
        _client(cast["qa-chair"]),
        "post",
        "/api/meetings/rounds",
        round_in | {"ends_on": "2026-01-01"},
    )
    assert bad.status_code == 422


def test_the_api_refuses_anonymous_callers(db):
    assert Client().get("/api/meetings/sessions").status_code == 401


def test_listing_sessions_costs_a_fixed_number_of_queries(
    cast, schedule, django_assert_max_num_queries
):
    for day in range(10, 20):
        schedule("HLC", f"2027-01-{day}")
    client = _client(cast["us-head"])
    client.get("/api/meetings/sessions")  # warm the session and clearance
    with django_assert_max_num_queries(12):
        answer = client.get("/api/meetings/sessions")
    assert len(answer.json()) == 10


def test_participants_are_managed_through_the_api(cast):
    chair = _client(cast["pk-chair"])
    sid = _json(chair, "post", "/api/meetings/sessions", SESSION).json()["id"]
    removed = chair.delete(f"/api/meetings/sessions/{sid}/participants/us-head")
    assert removed.status_code == 204
    again = chair.delete(f"/api/meetings/sessions/{sid}/participants/us-head")
    assert again.status_code == 404
    added = _json(
        chair, "post", f"/api/meetings/sessions/{sid}/participants", {"username": "us-head"}
    )
    assert added.status_code == 201 and "us-head" in added.json()["participants"]
    refused = _json(
        chair, "post", f"/api/meetings/sessions/{sid}/participants", {"username": "us-expert"}
    )
    assert refused.status_code == 422  # appointed to working groups, not to the HLC
    assert "us-expert cannot attend" in refused.json()["detail"]


def test_naming_an_unappointed_member_of_another_delegation_looks_like_naming_nobody(cast):
    """A username must not confirm that another delegation's unappointed member exists."""
    chair = _client(cast["pk-chair"])
    sid = _json(chair, "post", "/api/meetings/sessions", SESSION).json()["id"]
    path = f"/api/meetings/sessions/{sid}/participants"
    unknown = _json(chair, "post", path, {"username": "no-such-user"})
    unappointed = _json(chair, "post", path, {"username": "us-member"})
    assert unknown.status_code == unappointed.status_code == 404
    assert unappointed.json()["detail"] == "There is no user 'us-member' in this process."
    # The same for any delegate probing names through a route they may not even use.
    iran = _client(cast["ir-head"])
    probe = [_json(iran, "post", path, {"username": name}) for name in ("us-member", "nobody")]
    assert [p.status_code for p in probe] == [404, 404]
