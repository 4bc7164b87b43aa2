"""Security events (ASVS 16.3): sign-ins, failures, refusals recorded with when, who was
tried and from where; seen by the operator and the facilitators only, in bounded pages."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.security.models import SecurityEvent
from accord.security.services import security_event_record
from accord.testing.need_to_know import assert_learns_nothing_of_others

LOGIN = "/accounts/login/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_sign_in_and_a_failure_are_recorded_with_name_address_and_when(cast):
    Client().post(LOGIN, {"username": "us-head", "password": "accord-demo"})
    Client(REMOTE_ADDR="10.1.2.3").post(LOGIN, {"username": "ghost", "password": "nope"})
    succeeded = SecurityEvent.objects.get(kind="signin.succeeded")
    assert (succeeded.username, succeeded.user, succeeded.address) == (
        "us-head",
        cast["us-head"],
        "127.0.0.1",
    )
    assert succeeded.at is not None
    failed = SecurityEvent.objects.get(kind="signin.failed")
    assert (failed.username, failed.user, failed.address) == ("ghost", None, "10.1.2.3")


def test_a_permission_refusal_on_a_page_and_on_the_api_is_recorded(cast):
    client = _client(cast["us-head"])
    assert client.get(reverse("security:index")).status_code == 403
    assert client.get("/api/security/events").status_code == 403
    refusals = SecurityEvent.objects.filter(kind="permission.refused", user=cast["us-head"])
    assert sorted(r.detail.split()[1] for r in refusals) == ["/api/security/events", "/security/"]
    assert all("security.not_yours" in r.detail for r in refusals)


@pytest.mark.parametrize("username", ["operator", "pk-chair", "qa-rapporteur"])
def test_the_operator_and_the_facilitators_see_the_events(cast, username):
    Client().post(LOGIN, {"username": "ir-head", "password": "wrong"})
    client = _client(cast[username])
    page = client.get(reverse("security:index"))
    assert page.status_code == 200
    assert "signin.failed" in page.text
    listed = client.get("/api/security/events", {"kind": "signin.failed"})
    assert listed.status_code == 200
    assert listed.json()["events"][0]["kind"] == "signin.failed"
    assert listed.json()["events"][0]["username"] == "ir-head"


@pytest.mark.parametrize("username", ["us-head", "ir-expert", "us-observer"])
def test_a_party_delegate_is_refused_and_learns_nothing(cast, username):
    Client().post(LOGIN, {"username": "ir-head", "password": "wrong"})
    client = _client(cast[username])
    page = client.get(reverse("security:index"))
    assert page.status_code == 403
    assert "ir-head" not in page.text
    assert "signin.failed" not in page.text
    assert_learns_nothing_of_others(page.text)
    listed = client.get("/api/security/events")
    assert listed.status_code == 403
    assert set(listed.json()) == {"code", "detail"}
    assert "ir-head" not in listed.text
    home = client.get("/")
    assert home.status_code == 200
    assert reverse("security:index") not in home.text


def test_the_nav_links_the_security_page_for_a_facilitator_only(cast):
    assert reverse("security:index") in _client(cast["pk-chair"]).get("/").text


def test_the_events_come_in_bounded_pages_newest_first(cast):
    for index in range(60):
        security_event_record(actor=None, kind="signin.failed", username=f"try-{index}")
    client = _client(cast["operator"])
    first = client.get("/api/security/events", {"limit": 25, "kind": "signin.failed"})
    assert first.status_code == 200
    body = first.json()
    assert [e["username"] for e in body["events"]][:2] == ["try-59", "try-58"]
    assert len(body["events"]) == 25
    second = client.get(
        "/api/security/events", {"limit": 25, "before": body["older"], "kind": "signin.failed"}
    )
    assert second.json()["events"][0]["username"] == "try-34"
    huge = client.get("/api/security/events", {"limit": 10_000, "kind": "signin.failed"})
    assert len(huge.json()["events"]) == 60
    page = client.get(reverse("security:index"))
    assert page.text.count("<tr data-kind=") == 50
    assert "?before=" in page.text
