import datetime as dt

import pytest
from django.utils import timezone

from accord.compliance import services
from accord.compliance.models import (
    AccessRequest,
    Commitment,
    Dispute,
    DisputeStage,
    SequenceMilestone,
    Tranche,
)
from accord.drafting import services as drafting
from accord.drafting.models import Document, Provision
from accord.errors import AccordError
from accord.events.models import Event

pytestmark = pytest.mark.django_db


def _commitment(cast, party="IR", title="Cap enrichment", **extra):
    return services.commitment_create(
        actor=cast["pk-chair"], party_code=party, title_text=title, **extra
    )


def _sequence(cast):
    """Two IR steps, Implementation Day on both, then the US relief."""
    chair = cast["pk-chair"]
    cap, visit, relief = (
        _commitment(cast, "IR", "Cap enrichment"),
        _commitment(cast, "IR", "Give access"),
        _commitment(cast, "US", "Oil relief"),
    )
    seq = services.sequence_create(actor=chair, title_text="Phase one")
    for step in (cap, visit):
        services.step_place(
            actor=chair, commitment_id=step.public_id, sequence_id=seq.public_id, depends_on=[]
        )
    services.milestone_add(
        actor=chair,
        sequence_id=seq.public_id,
        code="implementation-day",
        title_text="Implementation Day",
        depends_on=[cap.code, visit.code],
    )
    services.step_place(
        actor=chair,
        commitment_id=relief.public_id,
        sequence_id=seq.public_id,
        depends_on=["IMPLEMENTATION-DAY"],
    )
    return seq, cap, visit, relief


def _verify(cast, commitment, finding="verified"):
    report = services.report_file(
        actor=cast["pk-verifier"],
        commitment_id=commitment.public_id,
        finding=finding,
        observed_on=dt.date(2026, 12, 1),
        method="On-site visit",
    )
    return services.report_publish(actor=cast["pk-verifier"], report_id=report.public_id)


def test_a_commitment_from_an_agreed_provision_names_it_and_its_article(cast):
    # given a provision both parties agreed ad referendum
    chair = cast["pk-rapporteur"]
    doc = drafting.document_create(actor=chair, body_code="WG-NUC", title="Annex")
    article = drafting.provision_add(
        actor=chair, document_id=doc.public_id, kind="article", heading="Stockpile", text=""
    )
    para = drafting.provision_add(
        actor=chair,
        document_id=doc.public_id,
        kind="paragraph",
        heading="",
        text="The stockpile shall not exceed 300 kg.",
        parent_id=article.wid,
    )
    drafting.position_state(actor=cast["us-head"], provision_id=para.wid, stance="accept")
    drafting.position_state(actor=cast["ir-head"], provision_id=para.wid, stance="ad_referendum")
    # when the facilitators record the commitment from it
    row = _commitment(cast, "IR", "Reduce the stockpile", provision_id=para.wid)
    # then it is linked to the provision, its article and its body
    assert row.provision_wid == para.wid
    assert row.article == "Annex, Article 1 (Stockpile)"
    assert row.body.code == "WG-NUC"
    event = Event.objects.get(kind="CommitmentRecorded")
    assert event.payload["provision"] == f"provision:{para.wid}"


def test_a_provision_still_open_gives_no_commitment(cast):
    chair = cast["pk-rapporteur"]
    doc = drafting.document_create(actor=chair, body_code="WG-NUC", title="Annex")
    para = drafting.provision_add(
        actor=chair, document_id=doc.public_id, kind="paragraph", heading="", text="[x]{US}"
    )
    with pytest.raises(AccordError) as raised:
        _commitment(cast, provision_id=para.wid)
    assert raised.value.error_case is services.PROVISION_NOT_AGREED


def test_only_the_facilitators_record_commitments(cast):
    with pytest.raises(AccordError) as raised:
        services.commitment_create(actor=cast["us-head"], party_code="IR", title_text="x")
    assert raised.value.error_case is services.FACILITATORS_ONLY


def test_a_step_that_would_close_a_cycle_is_refused_naming_it(cast):
    # given C-3 waiting on Implementation Day, which waits on C-1
    seq, cap, _visit, relief = _sequence(cast)
    # when C-1 is made to wait on C-3
    with pytest.raises(AccordError) as raised:
        services.step_place(
            actor=cast["pk-chair"],
            commitment_id=cap.public_id,
            sequence_id=seq.public_id,
            depends_on=[relief.code],
        )
    # then refused, naming the loop
    assert raised.value.error_case is services.CYCLE
    assert "C-1 → C-3 → IMPLEMENTATION-DAY → C-1" in str(raised.value)
    assert Commitment.objects.get(pk=cap.pk).depends_on == []


def test_implementation_day_falls_due_when_the_verifier_confirms_the_steps_named(cast):
    _seq, cap, visit, _relief = _sequence(cast)
    _verify(cast, cap)
    assert SequenceMilestone.objects.get().reached_at is None
    _verify(cast, visit)
    assert SequenceMilestone.objects.get().reached_at is not None
    assert Event.objects.filter(kind="SequenceMilestoneReached").count() == 1


def test_a_confidential_finding_changes_no_status_until_published(cast):
    cap = _commitment(cast)
    report = services.report_file(
        actor=cast["pk-verifier"],
        commitment_id=cap.public_id,
        finding="not_verified",
        observed_on=dt.date(2026, 12, 1),
        method="Records",
    )
    assert report.scope == "caucus:IR"
    assert Commitment.objects.get(pk=cap.pk).status == "pending"
    services.report_publish(actor=cast["pk-verifier"], report_id=report.public_id)
    assert Commitment.objects.get(pk=cap.pk).status == "not_verified"


def test_only_the_verifier_files_reports(cast):
    cap = _commitment(cast)
    for who in ("pk-chair", "us-head", "ir-head"):
        with pytest.raises(AccordError) as raised:
            services.report_file(
                actor=cast[who],
                commitment_id=cap.public_id,
                finding="verified",
                observed_on=dt.date(2026, 12, 1),
                method="x",
            )
        assert raised.value.error_case is services.VERIFIER_ONLY


def test_a_tranche_falls_due_when_its_conditions_are_verified_and_the_owing_party_releases_it(
    cast,
):
    _seq, cap, visit, _relief = _sequence(cast)
    tranche = services.tranche_create(
        actor=cast["pk-chair"],
        title_text="First tranche",
        owed_by_code="US",
        owed_to_code="IR",
        condition_ids=[str(cap.public_id), str(visit.public_id)],
    )
    assert tranche.status == Tranche.Status.WAITING
    _verify(cast, cap)
    _verify(cast, visit)
    assert Tranche.objects.get().status == Tranche.Status.DUE
    with pytest.raises(AccordError):
        services.tranche_release(actor=cast["ir-head"], tranche_id=tranche.public_id)
    released = services.tranche_release(actor=cast["us-head"], tranche_id=tranche.public_id)
    assert released.status == Tranche.Status.RELEASED


def test_an_access_request_runs_its_own_clock_each_stage_once(cast):
    # given a request the party lets lapse
    cap = _commitment(cast)
    request = services.access_request_open(
        actor=cast["pk-verifier"], commitment_id=cap.public_id, location="Site A"
    )
    start = request.requested_at
    assert request.stage_deadline == start + dt.timedelta(days=14)
    # when the sweeper runs past the 14 days, twice
    later = start + dt.timedelta(days=14, hours=1)
    assert services.access_requests_advance_overdue(now=later) == 1
    assert services.access_requests_advance_overdue(now=later) == 0
    # then the joint body has its 7 days
    row = AccessRequest.objects.get()
    assert (row.stage, row.stage_deadline) == ("decide", later + dt.timedelta(days=7))
    # and when it decides for access, the party has 3 days to implement
    row = services.access_request_decide(
        actor=cast["pk-chair"], request_id=row.public_id, grant=True
    )
    assert row.stage == "implement"
    assert services.access_requests_advance_overdue(now=timezone.now() + dt.timedelta(days=4)) == 1
    assert AccessRequest.objects.get().stage == "lapsed"


def test_the_party_agreeing_starts_its_days_to_implement(cast):
    cap = _commitment(cast)
    request = services.access_request_open(
        actor=cast["pk-verifier"], commitment_id=cap.public_id, location="Site A"
    )
    with pytest.raises(AccordError):
        services.access_request_agree(actor=cast["us-head"], request_id=request.public_id)
    row = services.access_request_agree(actor=cast["ir-head"], request_id=request.public_id)
    assert row.stage == "implement"
    row = services.access_request_record(actor=cast["pk-verifier"], request_id=row.public_id)
    assert row.stage == "granted"


def test_a_dispute_climbs_the_charters_stages_once_each_then_the_complainant_may_notify(cast):
    # given a complaint by Iran
    filed = timezone.now()
    dispute = services.dispute_file(
        actor=cast["ir-head"], title_text="Funds", respondent_code="US", now=filed
    )
    assert (dispute.stage_code, dispute.stage_deadline) == (
        "joint-commission",
        filed + dt.timedelta(days=15),
    )
    assert dispute.convene_by == filed + dt.timedelta(days=7)
    # when the sweeper runs past each deadline, each run twice
    moment = filed
    for expected in ("ministers", "advisory-board", "consideration"):
        moment = Dispute.objects.get().stage_deadline + dt.timedelta(minutes=1)
        assert services.disputes_advance_overdue(now=moment) == 1
        assert services.disputes_advance_overdue(now=moment) == 0
        assert Dispute.objects.get().stage_code == expected
    moment = Dispute.objects.get().stage_deadline + dt.timedelta(minutes=1)
    assert services.disputes_advance_overdue(now=moment) == 1
    # then the stages are exhausted, every stage entered once, and Iran may notify
    row = Dispute.objects.get()
    assert row.status == Dispute.Status.EXHAUSTED
    assert DisputeStage.objects.filter(dispute=row).count() == 4
    assert Event.objects.filter(kind="DisputeStageExpired").count() == 4
    with pytest.raises(AccordError):
        services.dispute_notify(actor=cast["us-head"], dispute_id=row.public_id)
    notified = services.dispute_notify(actor=cast["ir-head"], dispute_id=row.public_id)
    assert notified.status == Dispute.Status.NOTIFIED


def test_an_urgent_complaint_convenes_the_joint_body_sooner(cast):
    now = timezone.now()
    dispute = services.dispute_file(
        actor=cast["us-head"], title_text="x", respondent_code="IR", urgent=True, now=now
    )
    assert dispute.convene_by == now + dt.timedelta(days=3)


def test_an_extension_is_a_decision_with_a_reason_and_the_original_date_stays(cast):
    dispute = services.dispute_file(actor=cast["ir-head"], title_text="x", respondent_code="US")
    original = dispute.stage_deadline
    row = services.dispute_extend(
        actor=cast["pk-chair"], dispute_id=dispute.public_id, days=10, reason="By consensus."
    )
    assert row.stage_deadline == original + dt.timedelta(days=10)
    stage = DisputeStage.objects.get()
    assert (stage.original_deadline, stage.deadline) == (original, row.stage_deadline)
    assert stage.extensions.get().reason == "By consensus."
    # a stage the charter does not make extendable is not
    services.dispute_advance(actor=cast["pk-chair"], dispute_id=dispute.public_id)
    with pytest.raises(AccordError):
        services.dispute_extend(
            actor=cast["pk-chair"], dispute_id=dispute.public_id, days=5, reason="x"
        )


def test_the_verifier_role_comes_from_the_charter(cast, islamabad):
    from accord.compliance import access

    cap = _commitment(cast)
    assert access.may_report(cast["pk-verifier"], cap)
    assert access.may_report(cast["qa-verifier"], cap)
    assert not access.may_report(cast["pk-chair"], cap)
    islamabad.compliance = {**islamabad.compliance, "verifier": {"body": "HLC", "role": "verifier"}}
    islamabad.save()
    cap.process.refresh_from_db()
    assert not access.may_report(cast["pk-verifier"], cap)


def test_provision_statuses_used_by_the_demo_are_the_drafting_ones():
    assert {"agreed", "agreed_ad_ref"} <= set(Provision.Status.values)
    assert Document.Status.AGREED == "agreed"
