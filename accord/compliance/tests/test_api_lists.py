"""The compliance API: every list a page at a time (limit/cursor) for the same queries
at 5 rows or 50; convening the joint body, the dispute's stages, non-performance and a
party's own assessments, each with its ``may_`` answers and events."""

import datetime as dt

import pytest
from django.test import Client

from accord.compliance import access, services
from accord.compliance.models import Assessment, ConveningRequest, Dispute
from accord.events.models import Event
from accord.testing.may import service_accepts
from accord.testing.need_to_know import assert_learns_nothing_of_others
from accord.testing.queries import link_to, query_counts

pytestmark = pytest.mark.django_db

LISTS = (
    "/api/compliance/commitments",
    "/api/compliance/sequences",
    "/api/compliance/verification-reports",
    "/api/compliance/access-requests",
    "/api/compliance/disputes",
    "/api/compliance/tranches",
    "/api/compliance/convening-requests",
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _grow(cast, count: int, start: int = 0) -> None:
    """``count`` of everything: commitments (each a step of its own sequence, with a
    report and an access request), disputes, tranches, requests to convene and Iran's
    assessments."""
    chair, verifier = cast["pk-chair"], cast["pk-verifier"]
    for i in range(start, start + count):
        c = services.commitment_create(actor=chair, party_code="IR", title_text=f"Step {i:03}")
        seq = services.sequence_create(actor=chair, title_text=f"Sequence {i:03}")
        services.step_place(
            actor=chair, commitment_id=c.public_id, sequence_id=seq.public_id, depends_on=[]
        )
        services.report_file(
            actor=verifier,
            commitment_id=c.public_id,
            finding="verified",
            observed_on=dt.date(2026, 11, 1),
            method="Visit",
        )
        services.access_request_open(actor=verifier, commitment_id=c.public_id, location="Hall")
        services.dispute_file(
            actor=cast["ir-head"], title_text=f"Dispute {i}", respondent_code="US"
        )
        services.tranche_create(
            actor=chair,
            title_text=f"Tranche {i}",
            owed_by_code="US",
            owed_to_code="IR",
            condition_ids=[str(c.public_id)],
        )
        services.convening_request(actor=cast["us-head"], title_text=f"Meet {i}")
        services.assessment_set(actor=cast["ir-head"], commitment_id=c.public_id, text_value="Ok")


def test_every_compliance_list_costs_the_same_queries_for_5_rows_or_50(cast, islamabad):
    # Given five of everything, read by the chair and by Iran's head
    _grow(cast, 5)
    chair, iran = _client(cast["pk-chair"]), _client(cast["ir-head"])
    # When 45 more of each are written
    counts = query_counts(chair, LISTS, lambda: _grow(cast, 45, start=5))
    own = query_counts(iran, ["/api/compliance/assessments"], lambda: None)
    # Then each list costs what it did
    for url, (before, after) in counts.items():
        assert before == after, url
    assert own["/api/compliance/assessments"][0] == own["/api/compliance/assessments"][1]


def test_a_compliance_list_is_read_fifty_at_a_time_and_a_forged_cursor_refused(cast, islamabad):
    # Given 52 commitments
    for i in range(52):
        services.commitment_create(
            actor=cast["pk-chair"], party_code="IR", title_text=f"Step {i:03}"
        )
    client = _client(cast["us-expert"])
    # When the list is read and its next page followed
    first = client.get("/api/compliance/commitments")
    second = client.get(link_to(first, "next"))
    # Then 50, then 2, in order, and nothing after
    assert (first.status_code, second.status_code) == (200, 200)
    assert [c["code"] for c in first.json() + second.json()] == [f"C-{i}" for i in range(1, 53)]
    assert link_to(second, "next") is None
    assert client.get("/api/compliance/commitments?limit=2").json()[1]["code"] == "C-2"
    assert client.get("/api/compliance/disputes?cursor=forged").status_code == 400
    assert client.get("/api/compliance/tranches?limit=0").status_code == 422


def test_a_party_asks_the_joint_body_to_convene_and_the_facilitators_record_it(cast, islamabad):
    us = _client(cast["us-head"])
    # When the US asks, once plainly and once urgently
    plain = us.post(
        "/api/compliance/convening-requests", {"title": "Funds"}, content_type="application/json"
    )
    urgent = us.post(
        "/api/compliance/convening-requests",
        {"title": "Sites", "urgent": True},
        content_type="application/json",
    )
    # Then each has the charter's days (7, urgent 3)
    assert (plain.status_code, urgent.status_code) == (201, 201)
    rows = {r.title: r for r in ConveningRequest.objects.all()}
    for title, days in (("Funds", 7), ("Sites", 3)):
        row = rows[title]
        assert row.convene_by - row.requested_at == dt.timedelta(days=days)
    assert plain.json()["may"] == {"record": False}
    # And a party may not record the meeting; the facilitators may, once
    url = f"/api/compliance/convening-requests/{plain.json()['id']}/convened"
    refused = us.post(url)
    assert refused.status_code == 403
    assert refused.json()["code"] == "commitment.facilitators_only"
    chair = _client(cast["pk-chair"])
    assert chair.get(f"/api/compliance/convening-requests/{plain.json()['id']}").json()["may"] == {
        "record": True
    }
    done = chair.post(url)
    assert done.status_code == 200
    assert done.json()["convened_at"] is not None
    assert chair.post(url).status_code == 409
    assert Event.objects.filter(kind="ConveningRequested").count() == 2
    assert Event.objects.filter(kind="JointBodyConvened").count() == 1


def test_the_dispute_api_opens_the_board_in_parallel_records_convening_and_notifies(
    cast, islamabad
):
    # Given a complaint by Iran
    iran, chair = _client(cast["ir-head"]), _client(cast["pk-chair"])
    filed = iran.post(
        "/api/compliance/disputes",
        {"title": "Funds", "respondent": "US"},
        content_type="application/json",
    )
    assert filed.status_code == 201
    url = f"/api/compliance/disputes/{filed.json()['id']}"
    assert chair.get(url).json()["may"]["open_stage"] == [
        {"stage": "advisory-board", "instead": True}
    ]
    assert iran.get(url).json()["may"]["open_stage"] == []
    # When the chair records the convening and goes to the board instead of the ministers
    assert chair.post(f"{url}/convened").status_code == 200
    opened = chair.post(
        f"{url}/stages",
        {"stage": "advisory-board", "instead": True, "reason": "Both sides agree"},
        content_type="application/json",
    )
    # Then the board runs on its own clock, the ministers never opened
    assert opened.status_code == 200
    body = opened.json()
    assert body["open_stages"] == ["advisory-board"]
    assert [s["opened_as"] for s in body["stages"]] == ["in_turn", "instead"]
    assert body["convened_at"] is not None
    # When the last stages end, the complaining side (and only it) notifies
    for stage in ("advisory-board", "consideration"):
        ended = chair.post(f"{url}/advance", {"stage": stage}, content_type="application/json")
        assert ended.status_code == 200
    assert chair.get(url).json()["status"] == "exhausted"
    refused = _client(cast["us-head"]).post(
        f"{url}/notify", {"text": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    notified = iran.post(f"{url}/notify", {"text": "Ceasing"}, content_type="application/json")
    assert notified.status_code == 200
    assert notified.json()["status"] == "notified"
    assert Event.objects.filter(kind="NonPerformanceNotified").count() == 1


def test_a_partys_assessments_through_the_api_are_its_own(cast, islamabad):
    c = services.commitment_create(actor=cast["pk-chair"], party_code="IR", title_text="Cap")
    us = _client(cast["us-head"])
    kept = us.put(
        f"/api/compliance/commitments/{c.public_id}/assessment",
        {"text": "They are slow"},
        content_type="application/json",
    )
    assert kept.status_code == 200
    assert kept.json()["party"] == "US"
    assert [
        a["text"] for a in _client(cast["us-member"]).get("/api/compliance/assessments").json()
    ] == ["They are slow"]
    for who in ("ir-head", "pk-chair"):
        seen = _client(cast[who]).get("/api/compliance/assessments")
        assert seen.status_code == 200
        assert seen.json() == []
        assert_learns_nothing_of_others(seen.json(), hidden=list(Assessment.objects.all()))
    refused = _client(cast["pk-chair"]).put(
        f"/api/compliance/commitments/{c.public_id}/assessment",
        {"text": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("who", ["pk-chair", "qa-chair", "ir-head", "us-member", "pk-verifier"])
def test_the_new_may_predicates_answer_as_their_services_do(cast, islamabad, who):
    actor = cast[who]
    dispute = services.dispute_file(actor=cast["ir-head"], title_text="x", respondent_code="US")
    convening = services.convening_request(actor=cast["us-head"], title_text="Meet")
    checks = [
        (
            access.may_open_stage(actor, dispute, "advisory-board", instead=True),
            lambda: services.dispute_open_stage(
                actor=actor, dispute_id=dispute.public_id, stage_code="advisory-board", instead=True
            ),
        ),
        (
            access.may_request_convening(actor, islamabad),
            lambda: services.convening_request(actor=actor, title_text="Again"),
        ),
        (
            access.may_record_convening(actor, convening),
            lambda: services.convening_record(actor=actor, request_id=convening.public_id),
        ),
        (
            access.may_advance(actor, Dispute.objects.get(pk=dispute.pk)),
            lambda: services.dispute_advance(actor=actor, dispute_id=dispute.public_id),
        ),
    ]
    for said, call in checks:
        assert said == service_accepts(call), who


def test_a_party_asks_the_joint_body_to_convene_on_the_overview_and_the_chair_records_it(
    cast, islamabad
):
    us, chair = Client(), Client()
    us.force_login(cast["us-head"])
    chair.force_login(cast["pk-chair"])
    # When the US asks through the page
    asked = us.post("/compliance/convening/new", {"title": "Snapback", "urgent": "1"})
    assert asked.status_code == 302
    row = ConveningRequest.objects.get()
    assert row.urgent and row.convene_by - row.requested_at == dt.timedelta(days=3)
    # Then the overview lists it; only the chair is offered to record the meeting
    assert "data-convened" not in us.get("/compliance/").text
    page = chair.get("/compliance/")
    assert page.status_code == 200
    assert "Snapback" in page.text and "data-convened" in page.text
    done = chair.post(f"/compliance/convening/{row.public_id}/convened")
    assert done.status_code == 302
    assert "Snapback" not in chair.get("/compliance/").text
