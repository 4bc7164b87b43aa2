"""A party's planned activities and checks never reach the other party or the
facilitators (not content, count or existence); evidence stays with the reporting side
and the chairs; receipts are each party's and the facilitators'."""

import pytest
from django.test import Client
from django.utils import timezone

from accord.attention import attention_for
from accord.channels.services.attachments import AttachmentUpload
from accord.deconfliction import selectors, services
from accord.deconfliction.models import ConflictCheck, Evidence, PlannedActivity
from accord.deconfliction.tests.conftest import HOSPITAL, NEAR_HOSPITAL
from accord.events.models import Event
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db

AREA_NAME = "Operation Cedar staging area"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def us_check(cast, site, window):
    activity = services.activity_record(
        actor=cast["us-member"],
        title=AREA_NAME,
        geometry=NEAR_HOSPITAL,
        buffer_m=100,
        starts_at=window[0],
        ends_at=window[1],
    )
    return services.conflict_check(actor=cast["us-member"], activity_id=activity.public_id)


@pytest.mark.parametrize("username", ["ir-head", "ir-duty", "ir-member", "pk-chair", "qa-duty"])
def test_the_other_party_and_the_facilitators_learn_nothing_of_a_us_check(cast, us_check, username):
    # Given a US planned activity and its check; when anyone else reads every route
    client = _client(cast[username])
    hidden = [*ConflictCheck.objects.all(), *PlannedActivity.objects.all()]
    for url in [
        "/deconfliction/",
        "/deconfliction/checks",
        "/api/deconfliction/checks",
        "/api/deconfliction/activities",
        "/api/deconfliction/notifications",
        "/events/",
    ]:
        response = client.get(url)
        # then each answers without a trace of it
        assert response.status_code == 200, url
        assert AREA_NAME.encode() not in response.content, url
        assert_learns_nothing_of_others(response.content, hidden=hidden, shown=0)
    assert client.get(f"/api/deconfliction/checks/{us_check.public_id}").status_code == 404
    assert selectors.check_list(actor=cast[username]).count() == 0
    assert not [e for e in Event.objects.filter(kind="ConflictChecked") if e.scope != "party:US"]


def test_the_us_sees_its_own_check_with_its_conflicts(cast, us_check, site):
    response = _client(cast["us-head"]).get(f"/api/deconfliction/checks/{us_check.public_id}")
    assert response.status_code == 200
    assert response.json()["conflicts"][0]["notification"] == str(site.public_id)


def test_the_facilitators_see_only_how_many_checks_were_run(cast, us_check):
    response = _client(cast["pk-chair"]).get("/api/deconfliction/check-statistics")
    assert response.status_code == 200
    assert [row["checks"] for row in response.json()] == [1]
    assert "geometry" not in response.content.decode()
    assert _client(cast["ir-head"]).get("/api/deconfliction/check-statistics").json() == []


def test_evidence_stays_with_the_reporting_side_and_the_chairs(cast):
    report = services.violation_report(
        actor=cast["ir-member"],
        occurred_at=timezone.now(),
        location=HOSPITAL,
        description="Strike near the hospital.",
        evidence=[AttachmentUpload("note.txt", b"seen")],
    )
    evidence = Evidence.objects.get()
    for username in ("us-head", "us-duty"):
        client = _client(cast[username])
        assert client.get(f"/deconfliction/evidence/{evidence.public_id}").status_code == 404
        assert client.get(f"/api/deconfliction/reports/{report.public_id}").status_code == 404
        listing = client.get("/api/deconfliction/reports")
        assert listing.status_code == 200
        assert_learns_nothing_of_others(listing.content, hidden=[report, evidence], shown=0)
    for username in ("ir-head", "qa-chair"):
        assert (
            _client(cast[username]).get(f"/deconfliction/evidence/{evidence.public_id}").status_code
            == 200
        )


def test_a_partys_receipt_is_seen_by_the_facilitators_but_not_by_the_other_party(cast, site):
    services.notification_acknowledge(actor=cast["us-duty"], notification_id=site.public_id)
    seen = {
        u: [
            r["party"]
            for r in _client(cast[u])
            .get(f"/api/deconfliction/notifications/{site.public_id}")
            .json()["receipts"]
        ]
        for u in ("pk-chair", "us-head", "ir-head")
    }
    assert seen == {"pk-chair": ["US", "IR"], "us-head": ["US"], "ir-head": ["IR"]}


def test_the_desk_asks_each_partys_duty_officer_and_nobody_else(cast, site):
    def kinds(username):
        return {g.kind.code: g.count for g in attention_for(cast[username])}

    assert kinds("us-duty").get("deconfliction.acknowledgement_due") == 1
    assert kinds("ir-head").get("deconfliction.acknowledgement_due") == 1
    services.notification_acknowledge(actor=cast["us-duty"], notification_id=site.public_id)
    assert "deconfliction.acknowledgement_due" not in kinds("us-duty")
    assert kinds("ir-duty").get("deconfliction.acknowledgement_due") == 1
    assert "deconfliction.acknowledgement_due" not in kinds("pk-chair")
    assert "deconfliction.acknowledgement_due" not in kinds("us-expert")


def test_determinations_pending_are_on_the_chairs_desk_only(cast):
    services.violation_report(
        actor=cast["ir-member"],
        occurred_at=timezone.now(),
        location=HOSPITAL,
        description="Strike.",
    )
    assert {g.kind.code for g in attention_for(cast["qa-chair"])} >= {
        "deconfliction.determination_pending"
    }
    assert "deconfliction.determination_pending" not in {
        g.kind.code for g in attention_for(cast["us-head"])
    }


def test_the_map_shows_a_partys_checks_to_that_party_alone(cast, us_check, site, movement):
    def layers_of(username):
        response = _client(cast[username]).get("/deconfliction/map/layers.json")
        assert response.status_code == 200
        return response, {layer["name"]: layer["features"] for layer in response.json()["layers"]}

    _, us = layers_of("us-member")
    assert [f["properties"]["key"] for f in us["checks"]] == [str(us_check.public_id)]
    assert [f["properties"]["key"] for f in us["sites"]] == [str(site.public_id)]
    assert us["sites"][0]["properties"]["buffer_m"] == 300
    assert us["movements"][0]["properties"]["start"] == movement.starts_at.isoformat()
    assert us["movements"][0]["properties"]["buffer_geometry"]["type"] == "Polygon"
    hidden = [*ConflictCheck.objects.all(), *PlannedActivity.objects.all()]
    for username in ("ir-member", "pk-chair"):
        response, other = layers_of(username)
        assert "checks" not in other
        assert_learns_nothing_of_others(response.content, hidden=hidden, shown=0)
