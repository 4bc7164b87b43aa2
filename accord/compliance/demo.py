"""Demo content for the compliance app (idempotent): commitments from the demo texts on
both sides, a reciprocal sequence with an Implementation Day, a published verification
report (and one still confidential, with an access request whose first clock ran out), a
relief tranche waiting, a dispute in its second stage with the advisory board beside the
ministers, and an urgent request to convene the joint body. Seeded through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accord.accounts.models import User
from accord.compliance import services
from accord.compliance.models import Commitment
from accord.drafting.models import Document, Provision
from accord.process.models import Process

FRAMEWORK = "Comprehensive Agreement — Framework"


def _agreed_provision(process: Process, label: str) -> Provision | None:
    document = Document.objects.filter(process=process, title=FRAMEWORK).first()
    if document is None:
        return None
    return Provision.objects.filter(
        document=document,
        label=label,
        status__in=[Provision.Status.AGREED, Provision.Status.AGREED_AD_REF],
    ).first()


def demo_content_ensure(*, process: Process) -> None:
    users = {u.username: u for u in User.objects.filter(delegation__process=process)}
    chair, verifier, ir = users.get("pk-chair"), users.get("pk-verifier"), users.get("ir-head")
    if chair is None or verifier is None or ir is None:
        return
    if Commitment.objects.filter(process=process).exists():
        return
    today = timezone.now().date()
    referral = _agreed_provision(process, "Article 3.1")
    for party in ("US", "IR"):
        services.commitment_create(
            actor=chair,
            party_code=party,
            title_text="Refer any issue of non-performance to the Joint Commission first",
            trigger="When a Party considers the other is not meeting its commitments",
            verifying_body_code="HLC",
            provision_id=referral.wid if referral else None,
            body_code="HLC",
        )

    def step(party: str, title: str, days: int, body: str, evidence: str) -> Commitment:
        return services.commitment_create(
            actor=chair,
            party_code=party,
            title_text=title,
            due_on=today + dt.timedelta(days=days),
            verifying_body_code="WG-VER",
            evidence_required=evidence,
            body_code=body,
            weight=2,
        )

    cap = step(
        "IR",
        "Cap enrichment at the agreed level and reduce the stockpile",
        20,
        "WG-NUC",
        "Verifier's inventory of UF6 and of centrifuges in operation",
    )
    access_step = step(
        "IR",
        "Give the verifier access to the declared enrichment facilities",
        -5,
        "WG-VER",
        "Verifier's visit reports",
    )
    oil = step("US", "Lift the first tranche of oil sanctions", 45, "WG-SAN", "Published waivers")
    funds = step(
        "US", "Release frozen funds in three stages", 75, "WG-SAN", "Central bank confirmations"
    )
    protocol = step(
        "IR", "Apply the additional protocol provisionally", 120, "WG-VER", "Notification"
    )
    sequence = services.sequence_create(
        actor=chair,
        title_text="Step-for-step: first phase to Implementation Day",
        description="Nuclear steps verified first; sanctions relief follows Implementation Day.",
    )
    s = sequence.public_id
    services.step_place(
        actor=chair, commitment_id=cap.public_id, sequence_id=s, depends_on=[], duration_days=30
    )
    services.step_place(
        actor=chair,
        commitment_id=access_step.public_id,
        sequence_id=s,
        depends_on=[],
        duration_days=14,
    )
    services.milestone_add(
        actor=chair,
        sequence_id=s,
        code="IMPLEMENTATION-DAY",
        title_text="Implementation Day",
        depends_on=[cap.code, access_step.code],
    )
    services.step_place(
        actor=chair,
        commitment_id=oil.public_id,
        sequence_id=s,
        depends_on=["IMPLEMENTATION-DAY"],
        duration_days=10,
    )
    services.step_place(
        actor=chair,
        commitment_id=funds.public_id,
        sequence_id=s,
        depends_on=["IMPLEMENTATION-DAY"],
        duration_days=30,
    )
    services.step_place(
        actor=chair,
        commitment_id=protocol.public_id,
        sequence_id=s,
        depends_on=[oil.code],
        duration_days=60,
    )
    report = services.report_file(
        actor=verifier,
        commitment_id=access_step.public_id,
        finding="verified",
        observed_on=today - dt.timedelta(days=2),
        method="On-site visit to the declared facilities",
        evidence="Seals and cameras in place at both halls; access given on each request.",
    )
    services.report_publish(actor=verifier, report_id=report.public_id)
    services.report_file(
        actor=verifier,
        commitment_id=cap.public_id,
        finding="unable_to_verify",
        observed_on=today - dt.timedelta(days=1),
        method="Records review",
        evidence="Access to the feed-and-withdrawal records not yet granted.",
    )
    # Asked fifteen days ago: Iran's 14 days to agree ran out, and the sweeper referred
    # it to the joint body (a red alert for Iran and the facilitators, never the US).
    services.access_request_open(
        actor=verifier,
        commitment_id=cap.public_id,
        location="Feed-and-withdrawal records",
        now=timezone.now() - dt.timedelta(days=15),
    )
    services.access_requests_advance_overdue(now=timezone.now())
    services.tranche_create(
        actor=chair,
        title_text="First tranche of sanctions relief",
        owed_by_code="US",
        owed_to_code="IR",
        condition_ids=[str(cap.public_id), str(access_step.public_id)],
        description="Oil export waivers, once Implementation Day is confirmed.",
    )
    dispute = services.dispute_file(
        actor=ir,
        title_text="Frozen funds not released on schedule",
        description="The first stage of the release has not been made.",
        respondent_code="US",
        commitment_id=funds.public_id,
        now=timezone.now() - dt.timedelta(days=17),
    )
    services.dispute_convene(actor=chair, dispute_id=dispute.public_id)
    services.dispute_advance(
        actor=chair,
        dispute_id=dispute.public_id,
        reason="The Joint Commission could not settle it within its 15 days.",
    )
    # The advisory board beside the ministers (JCPOA ¶36): two stages, two clocks.
    services.dispute_open_stage(
        actor=chair,
        dispute_id=dispute.public_id,
        stage_code="advisory-board",
        reason="Both sides asked for the board's opinion while the ministers meet.",
    )
    us = users.get("us-head")
    if us is not None:
        services.convening_request(
            actor=us, title_text="Consultations on the oil export waivers", urgent=True
        )
