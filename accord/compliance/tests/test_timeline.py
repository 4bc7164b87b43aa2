"""The commitment's timeline: its events in sentences, bounded with "Show earlier
events", and nothing of a confidential report on another party's timeline."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.compliance import services
from accord.events.services import event_append
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db

METHOD = "Unannounced visit to hall B"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def commitment(cast):
    c = services.commitment_create(
        actor=cast["pk-chair"], party_code="IR", title_text="Cap enrichment at 3.67%"
    )
    report = services.report_file(
        actor=cast["pk-verifier"],
        commitment_id=c.public_id,
        finding="not_verified",
        observed_on=dt.date(2026, 11, 20),
        method=METHOD,
    )
    return c, report


def test_the_commitment_page_tells_its_story_in_sentences(cast, commitment):
    c, report = commitment
    page = _client(cast["ir-head"]).get(reverse("compliance:commitment", args=[c.public_id]))
    assert page.status_code == 200
    kinds = [e.kind for e in page.context["timeline"]]
    assert kinds == ["CommitmentRecorded", "VerificationReportFiled"]
    assert "Commitment C-1 recorded: Cap enrichment at 3.67%" in page.text
    assert "Verification report on commitment C-1 filed: not verified" in page.text
    assert report.subject in page.context["timeline_subjects"]


def test_a_confidential_report_is_not_on_the_other_partys_timeline(cast, commitment):
    c, report = commitment
    for who in ("us-head", "us-member"):
        page = _client(cast[who]).get(reverse("compliance:commitment", args=[c.public_id]))
        assert page.status_code == 200
        assert [e.kind for e in page.context["timeline"]] == ["CommitmentRecorded"], who
        assert report.subject not in page.context["timeline_subjects"]
        assert "Verification report on commitment" not in page.text and METHOD not in page.text
        assert_learns_nothing_of_others(page.text, hidden=[report])
    # Published, it is everyone's
    services.report_publish(actor=cast["pk-verifier"], report_id=report.public_id)
    page = _client(cast["us-head"]).get(reverse("compliance:commitment", args=[c.public_id]))
    assert "Verification report on commitment C-1 published: not verified" in page.text


def test_the_timeline_shows_fifty_events_and_goes_back_with_show_earlier(
    cast, commitment, islamabad
):
    c, _report = commitment
    with transaction.atomic():
        for i in range(60):
            event_append(
                kind="CommitmentRecorded",
                subject=c.subject,
                scope="shared",
                payload={"code": c.code, "title": f"again {i}"},
                process=islamabad,
            )
    client = _client(cast["us-expert"])
    url = reverse("compliance:commitment", args=[c.public_id])
    latest = client.get(url)
    assert latest.status_code == 200
    assert len(latest.context["timeline"]) == 50
    assert "Show earlier events" in latest.text
    earlier = client.get(url, {"earlier": latest.context["timeline_earlier"]})
    assert earlier.status_code == 200
    assert max(e.seq for e in earlier.context["timeline"]) < min(
        e.seq for e in latest.context["timeline"]
    )
    assert client.get(url, {"earlier": "forged"}).status_code == 400


def test_an_access_request_moved_by_its_clock_reads_as_a_sentence(cast, commitment):
    c, _report = commitment
    services.access_request_open(
        actor=cast["pk-verifier"],
        commitment_id=c.public_id,
        location="Hall B",
        now=timezone.now() - dt.timedelta(days=15),
    )
    services.access_requests_advance_overdue(now=timezone.now())
    page = _client(cast["ir-head"]).get(reverse("compliance:commitment", args=[c.public_id]))
    assert page.status_code == 200
    assert "Access request on commitment C-1: referred to the joint body" in page.text
