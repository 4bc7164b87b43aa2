import pytest

from accord.compliance import demo
from accord.compliance.models import (
    AccessRequest,
    Commitment,
    ConveningRequest,
    Dispute,
    SequenceMilestone,
    Tranche,
    VerificationReport,
)

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_every_structure_the_issue_names_once(seeded):
    # given the seeded demo; when it runs again
    demo.demo_content_ensure(process=seeded)
    # then commitments on both sides, one from an agreed provision on each side
    commitments = Commitment.objects.filter(process=seeded)
    assert {c.party.code for c in commitments} == {"US", "IR"}
    from_text = commitments.exclude(provision_wid="")
    assert {c.party.code for c in from_text} == {"US", "IR"}
    assert all(c.article.endswith("Article 3 (Dispute resolution)") for c in from_text)
    # and an Implementation Day not yet reached, one published report, one confidential
    day = SequenceMilestone.objects.get(code="IMPLEMENTATION-DAY")
    assert day.reached_at is None
    reports = VerificationReport.objects.filter(process=seeded)
    assert sorted(r.is_published for r in reports) == [False, True]
    assert AccessRequest.objects.get().stage == AccessRequest.Stage.DECIDE
    # and a tranche waiting, a dispute in its second stage
    assert Tranche.objects.get().status == Tranche.Status.WAITING
    dispute = Dispute.objects.get()
    assert dispute.stage_code == "ministers"
    assert dispute.stages.count() == 3
    assert sorted(dispute.stages.filter(ended_at__isnull=True).values_list("code", flat=True)) == [
        "advisory-board",
        "ministers",
    ]
    assert ConveningRequest.objects.get().urgent


def test_the_demo_shows_iran_and_the_facilitators_a_red_alert_and_the_us_none(seeded, cast):
    from accord.channels.selectors import alerts_for

    request = AccessRequest.objects.get()
    for who in ("ir-head", "pk-chair"):
        assert [a.subject for a in alerts_for(actor=cast[who]).clocks] == [request.subject]
    for who in ("us-head", "us-member"):
        assert alerts_for(actor=cast[who]).clocks == []
