"""What the compliance app puts on a person's desk: verifications due (the verifier),
clocks running (an access request waiting on the person's party or on the joint body;
each open dispute stage's deadline, a joint body to convene on a dispute or a request),
a party's own commitments falling due, and steps unlocked for the person's party. An
item whose clock has run out is urgent.

Read through ``compliance.selectors`` only (so only what the person may read), asking
the app's ``may_`` predicates who is asked.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.attention import AttentionItem, AttentionKind, attention_register
from accord.compliance import access, selectors
from accord.compliance.models import Commitment, Dispute

VERIFICATIONS_DUE = AttentionKind("compliance.verification_due", _("Verifications due"), order=55)
CLOCKS_RUNNING = AttentionKind("compliance.clock_running", _("Compliance clocks running"), order=50)
COMMITMENTS_DUE = AttentionKind(
    "compliance.commitment_due", _("Commitments your delegation owes soon"), order=60
)
STEPS_UNLOCKED = AttentionKind(
    "compliance.step_unlocked", _("Steps unlocked for your delegation"), order=75
)
# How far ahead a commitment's due date puts it on the verifier's desk.
DUE_WITHIN_DAYS = 30


def _commitment_url(commitment: Commitment) -> str:
    return reverse("compliance:commitment", args=[commitment.public_id])


def verifications_due(actor: User) -> list[AttentionItem]:
    """For the verifier: commitments due (within 30 days, or overdue) with no report."""
    delegation = policy.delegation_of(actor)
    if delegation is None or not policy.is_facilitator(actor):
        return []
    horizon = timezone.now().date() + dt.timedelta(days=DUE_WITHIN_DAYS)
    rows = list(
        selectors.commitment_list(actor=actor).filter(
            status=Commitment.Status.PENDING, due_on__lte=horizon, reports__isnull=True
        )
    )
    if not rows or not access.is_verifier(actor, delegation.process):
        return []
    items = []
    for c in rows:
        items.append(
            AttentionItem(
                kind=VERIFICATIONS_DUE.code,
                sentence=gettext("Verify {code} ({party}): {title}").format(
                    code=c.code, party=c.party.code, title=c.title
                ),
                url=_commitment_url(c),
                subject=c.subject,
                deadline=c.due_on,
                urgent=bool(c.due_on and c.due_on < timezone.now().date()),
            )
        )
    return items


def clocks_running(actor: User) -> list[AttentionItem]:
    """Access requests that wait on the person (agree, decide, record) and open disputes'
    stage deadlines and convening deadlines (facilitators and the two sides)."""
    now = timezone.now()
    items = []
    for r in selectors.access_request_list(actor=actor).filter(
        stage__in=["agree", "decide", "implement"]
    ):
        if not (
            access.may_agree_access(actor, r)
            or access.may_decide_access(actor, r)
            or access.may_record_access(actor, r)
        ):
            continue
        items.append(
            AttentionItem(
                kind=CLOCKS_RUNNING.code,
                sentence=gettext("Access request on {code}: {stage}").format(
                    code=r.commitment.code, stage=r.get_stage_display()
                ),
                url=_commitment_url(r.commitment),
                subject=r.subject,
                deadline=r.stage_deadline,
                urgent=bool(r.stage_deadline and r.stage_deadline < now),
            )
        )
    delegation = policy.delegation_of(actor)
    rows = selectors.dispute_list(actor=actor, with_stages=True).filter(status=Dispute.Status.OPEN)
    for d in rows:
        concerned = policy.is_facilitator(actor) or (
            delegation is not None and delegation.pk in (d.complainant_id, d.respondent_id)
        )
        if not concerned:
            continue
        url = reverse("compliance:dispute", args=[d.public_id])
        if d.convened_at is None and access.may_convene(actor, d):
            items.append(
                AttentionItem(
                    kind=CLOCKS_RUNNING.code,
                    sentence=gettext("Convene the joint body on {code}: {title}").format(
                        code=d.code, title=d.title
                    ),
                    url=url,
                    subject=d.subject,
                    deadline=d.convene_by,
                    urgent=d.urgent or d.convene_by < now,
                )
            )
        # Each open stage on its own clock (the advisory board beside the ministers).
        for stage in selectors.dispute_stages(actor=actor, dispute=d):
            if stage.ended_at is not None:
                continue
            items.append(
                AttentionItem(
                    kind=CLOCKS_RUNNING.code,
                    sentence=gettext("{code} {title}: {stage}").format(
                        code=d.code, title=d.title, stage=stage.name
                    ),
                    url=url,
                    subject=d.subject,
                    deadline=stage.deadline,
                    urgent=stage.deadline < now,
                )
            )
    if policy.is_facilitator(actor):
        for asked in selectors.convening_list(actor=actor).filter(convened_at__isnull=True):
            if not access.may_record_convening(actor, asked):
                continue
            items.append(
                AttentionItem(
                    kind=CLOCKS_RUNNING.code,
                    sentence=gettext("Convene the joint body: {title}").format(title=asked.title),
                    url=reverse("compliance:overview") + "#convening",
                    subject=asked.subject,
                    deadline=asked.convene_by,
                    urgent=asked.urgent or asked.convene_by < now,
                )
            )
    return items


def commitments_due(actor: User) -> list[AttentionItem]:
    """For a party: its own commitments not yet verified, due within 30 days or overdue."""
    delegation = policy.delegation_of(actor)
    if delegation is None or not policy.is_party(actor):
        return []
    today = timezone.now().date()
    horizon = today + dt.timedelta(days=DUE_WITHIN_DAYS)
    rows = selectors.commitment_list(actor=actor).filter(
        party=delegation, status=Commitment.Status.PENDING, due_on__lte=horizon
    )
    return [
        AttentionItem(
            kind=COMMITMENTS_DUE.code,
            sentence=gettext("{code} is due from your delegation: {title}").format(
                code=c.code, title=c.title
            ),
            url=_commitment_url(c),
            subject=c.subject,
            deadline=c.due_on,
            urgent=bool(c.due_on and c.due_on < today),
        )
        for c in rows
    ]


def steps_unlocked(actor: User) -> list[AttentionItem]:
    """For a party: its steps whose every dependency is now verified."""
    return [
        AttentionItem(
            kind=STEPS_UNLOCKED.code,
            sentence=gettext("{code} may go ahead: {title}").format(code=c.code, title=c.title),
            url=_commitment_url(c),
            subject=c.subject,
            deadline=c.due_on,
        )
        for c in selectors.unlocked_for(actor=actor)
    ]


def register() -> None:
    attention_register(VERIFICATIONS_DUE, verifications_due)
    attention_register(CLOCKS_RUNNING, clocks_running)
    attention_register(COMMITMENTS_DUE, commitments_due)
    attention_register(STEPS_UNLOCKED, steps_unlocked)
