"""The compliance models in the admin (read-only, filtered by access, by public id) and
in search (commitments and disputes found by their code), with nothing of a
confidential report or another party's assessment in either."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accord.compliance import services
from accord.compliance.models import Assessment, VerificationReport
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db

EVIDENCE = "Inspectors kept out of hall B"
ASSESSMENT = "Our read: slow-walking"


@pytest.fixture
def matter(cast):
    """C-1 owed by Iran with a confidential finding, the US's assessment, and DR-1."""
    c = services.commitment_create(
        actor=cast["pk-chair"], party_code="IR", title_text="Declare every hall"
    )
    report = services.report_file(
        actor=cast["pk-verifier"],
        commitment_id=c.public_id,
        finding="not_verified",
        observed_on=dt.date(2026, 11, 2),
        method="Visit",
        evidence=EVIDENCE,
    )
    services.assessment_set(actor=cast["us-head"], commitment_id=c.public_id, text_value=ASSESSMENT)
    dispute = services.dispute_file(
        actor=cast["us-head"], title_text="Halls not declared", respondent_code="IR"
    )
    return c, report, dispute


def _staff(user) -> Client:
    user.is_staff = True
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def test_search_finds_a_commitment_and_a_dispute_by_their_code(cast, matter):
    c, _report, dispute = matter
    client = Client()
    client.force_login(cast["us-member"])
    for query, url in (
        ("C-1", reverse("compliance:commitment", args=[c.public_id])),
        ("c1", reverse("compliance:commitment", args=[c.public_id])),
        ("DR-1", reverse("compliance:dispute", args=[dispute.public_id])),
        ("hall", reverse("compliance:commitment", args=[c.public_id])),
    ):
        page = client.get(reverse("web:search"), {"q": query})
        assert page.status_code == 200
        assert url in page.text, query
    assert "Halls not declared" in client.get(reverse("web:search"), {"q": "DR-1"}).text


def test_search_tells_no_one_else_of_a_confidential_finding_or_an_assessment(cast, matter):
    _c, report, _dispute = matter
    assessment = Assessment.objects.get()
    for who, query in (("us-head", "hall B"), ("ir-head", "slow-walking"), ("pk-chair", "slow")):
        client = Client()
        client.force_login(cast[who])
        page = client.get(reverse("web:search"), {"q": query})
        assert page.status_code == 200
        assert EVIDENCE not in page.text and ASSESSMENT not in page.text, who
        assert_learns_nothing_of_others(page.text, hidden=[report, assessment])


def test_the_admin_is_read_only_and_lists_only_what_the_operator_may_read(cast, matter):
    _c, report, _dispute = matter
    us = _staff(cast["us-head"])
    # The US lists the commitments and disputes, not Iran's confidential report
    for model in ("commitment", "dispute", "verificationreport", "assessment"):
        page = us.get(reverse(f"admin:compliance_{model}_changelist"))
        assert page.status_code == 200, model
    reports = us.get(reverse("admin:compliance_verificationreport_changelist"))
    assert str(report.public_id) not in reports.text
    hidden = us.get(reverse("admin:compliance_verificationreport_change", args=[report.public_id]))
    assert hidden.status_code == 302  # "does not exist": back to the index
    # Iran reads the report but not the US's assessment, and may change nothing
    iran = _staff(cast["ir-head"])
    opened = iran.get(
        reverse("admin:compliance_verificationreport_change", args=[report.public_id])
    )
    assert opened.status_code == 200
    assert EVIDENCE in opened.text
    assert "Save" not in opened.text or 'name="_save"' not in opened.text
    assert ASSESSMENT not in iran.get(reverse("admin:compliance_assessment_changelist")).text
    assert iran.get(reverse("admin:compliance_commitment_add")).status_code == 403
    assert VerificationReport.objects.count() == 1
