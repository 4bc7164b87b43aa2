"""A verification report is confidential to the facilitators, the verifier and the party
concerned until published: the other party learns nothing of it — not its content, its
count or its existence — by any route (pages, API, the event log and its export, the
desk). A party's assessment is that party's alone. Also with four parties."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.attention import attention_for
from accord.compliance import services
from accord.process.services import charter_load
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db

EVIDENCE = "Centrifuge hall B was not shown to the inspectors"
ACCESS_SITE = "Hall B of the enrichment plant"
ASSESSMENT = "Our read: they are slow-walking the records"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def confidential(cast):
    """A confidential finding on an Iranian commitment, and an access request on it."""
    commitment = services.commitment_create(
        actor=cast["pk-chair"], party_code="IR", title_text="Cap enrichment"
    )
    report = services.report_file(
        actor=cast["pk-verifier"],
        commitment_id=commitment.public_id,
        finding="unable_to_verify",
        observed_on=dt.date(2026, 12, 1),
        method="Visit",
        evidence=EVIDENCE,
    )
    request = services.access_request_open(
        actor=cast["pk-verifier"], commitment_id=commitment.public_id, location=ACCESS_SITE
    )
    return commitment, report, request


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _answers(client: Client, commitment, report) -> list[str]:
    """What every route answers; each must answer 200 (a refusal proves nothing)."""
    responses = [
        client.get(reverse("compliance:overview")),
        client.get(reverse("compliance:commitment", args=[commitment.public_id])),
        client.get("/api/compliance/verification-reports"),
        client.get("/api/compliance/access-requests"),
        client.get("/api/compliance/commitments"),
        client.get(f"/api/compliance/commitments/{commitment.public_id}"),
        client.get("/api/compliance/report"),
        client.get("/api/compliance/assessments"),
        client.get("/api/compliance/disputes"),
        client.get("/api/compliance/convening-requests"),
        client.get("/search/?q=C-1"),
        client.get("/api/events/"),
        client.get("/api/events/export"),
        client.get("/"),
    ]
    for response in responses:
        assert response.status_code == 200, response.request["PATH_INFO"]
    return [_text(response) for response in responses]


def test_the_other_party_learns_nothing_of_a_confidential_report(cast, confidential):
    commitment, report, request = confidential
    us = _client(cast["us-head"])
    # when the US head tries every route
    for body in _answers(us, commitment, report):
        # then no trace of the report or the access request: content, ids, kinds
        assert EVIDENCE not in body and ACCESS_SITE not in body
        assert "unable_to_verify" not in body and "Unable to verify" not in body
        assert "VerificationReportFiled" not in body and "AccessRequested" not in body
        assert_learns_nothing_of_others(body, hidden=[report, request])
    # and the report answers like one that never existed
    missing = us.get("/api/compliance/verification-reports/00000000-0000-4000-8000-000000000000")
    hidden = us.get(f"/api/compliance/verification-reports/{report.public_id}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert us.get("/api/compliance/verification-reports").json() == []
    assert us.get("/api/compliance/access-requests").json() == []
    # and the desk says nothing of it
    for group in attention_for(cast["us-head"]):
        for item in group.items:
            assert item.subject not in (report.subject, request.subject)
            assert ACCESS_SITE not in item.sentence


def test_the_party_concerned_the_facilitators_and_the_verifier_read_it(cast, confidential):
    commitment, report, _request = confidential
    for who in ("ir-head", "pk-chair", "qa-chair", "pk-verifier"):
        client = _client(cast[who])
        page = client.get(reverse("compliance:commitment", args=[commitment.public_id]))
        assert page.status_code == 200
        assert EVIDENCE in page.content.decode(), who
        listed = client.get("/api/compliance/verification-reports")
        assert [r["id"] for r in listed.json()] == [str(report.public_id)], who


def test_published_the_report_is_everyones(cast, confidential):
    commitment, report, _request = confidential
    services.report_publish(actor=cast["pk-verifier"], report_id=report.public_id)
    us = _client(cast["us-member"])
    listed = us.get("/api/compliance/verification-reports")
    assert listed.status_code == 200
    assert [r["finding"] for r in listed.json()] == ["unable_to_verify"]
    detail = us.get(f"/api/compliance/commitments/{commitment.public_id}")
    assert detail.json()["status"] == "unable_to_verify"


def test_a_partys_assessment_is_its_own(cast, confidential):
    commitment, _report, _request = confidential
    services.assessment_set(
        actor=cast["us-head"], commitment_id=commitment.public_id, text_value=ASSESSMENT
    )
    mine = _client(cast["us-member"]).get(
        reverse("compliance:commitment", args=[commitment.public_id])
    )
    assert mine.status_code == 200
    assert ASSESSMENT in mine.content.decode()
    for who in ("ir-head", "pk-chair", "pk-verifier"):
        for body in _answers(_client(cast[who]), commitment, _report):
            assert ASSESSMENT not in body, who
            assert "AssessmentKept" not in body, who


@pytest.fixture
def basin(db):
    path = Path(settings.BASE_DIR) / "charters" / "multilateral-example.yaml"
    process = charter_load(path=str(path)).process
    demo_accounts_ensure(process=process)
    return {u.username: u for u in User.objects.filter(delegation__process=process)}


def test_with_four_parties_only_the_party_concerned_reads_the_finding(basin):
    # given a confidential finding on Ethiopia's commitment under the four-party charter
    commitment = services.commitment_create(
        actor=basin["au-chair"], party_code="ET", title_text="Share daily flow data"
    )
    report = services.report_file(
        actor=basin["au-verifier"],
        commitment_id=commitment.public_id,
        finding="not_verified",
        observed_on=dt.date(2026, 12, 1),
        method="Data audit",
        evidence=EVIDENCE,
    )
    # then Ethiopia reads it, and none of the three other parties
    seen = _client(basin["et-head"]).get("/api/compliance/verification-reports")
    assert [r["id"] for r in seen.json()] == [str(report.public_id)]
    for code in ("eg", "sd", "ss"):
        client = _client(basin[f"{code}-head"])
        listed = client.get("/api/compliance/verification-reports")
        assert listed.status_code == 200
        assert listed.json() == []
        page = client.get(reverse("compliance:commitment", args=[commitment.public_id]))
        assert page.status_code == 200
        assert_learns_nothing_of_others(page.content, hidden=[report])
        assert EVIDENCE not in page.content.decode()
