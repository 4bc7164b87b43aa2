"""The red alert on every page when a compliance clock has run out, for those it
concerns (``accord.page_alerts``): a dispute stage (the facilitators and the two
sides), the joint body not convened in time on a dispute or a request (the facilitators,
the side that asked and the two sides of the dispute), an access request's stage (the
facilitators, the verifier among them, and the party concerned: the request is
``caucus:<party>``, so the other party learns nothing of it).

An alert stands while the clock has run out and nobody has moved it on (a deadline
passed the sweeper has not yet reached, a joint body still not convened), and for
``STANDS_DAYS`` after the sweeper moved it on. Read through ``compliance.selectors``
only; a few queries, whatever the number of disputes.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.compliance import selectors
from accord.compliance.models import AccessRequest, Dispute
from accord.page_alerts import PageAlert, page_alert_register

KIND = "compliance.clock_run_out"
# How long an alert stands once the sweeper has moved its clock on.
STANDS_DAYS = 3
OPEN_REQUEST = (
    AccessRequest.Stage.AGREE,
    AccessRequest.Stage.DECIDE,
    AccessRequest.Stage.IMPLEMENT,
)


def clocks_run_out(actor: User) -> list[PageAlert]:
    delegation = policy.delegation_of(actor)
    if delegation is None:
        return []
    facilitator = policy.is_facilitator(actor)
    if not facilitator and not policy.is_party(actor):
        return []
    now = timezone.now()
    since = now - dt.timedelta(days=STANDS_DAYS)
    return [
        *_disputes(actor, delegation.pk, facilitator, now, since),
        *_convenings(actor, delegation.pk, facilitator, now),
        *_access_requests(actor, now, since),
    ]


def _dispute_url(dispute: Dispute) -> str:
    return reverse("compliance:dispute", args=[dispute.public_id])


def _disputes(
    actor: User, delegation_pk: int, facilitator: bool, now: dt.datetime, since: dt.datetime
) -> list[PageAlert]:
    disputes = selectors.dispute_list(actor=actor).filter(
        status__in=(Dispute.Status.OPEN, Dispute.Status.EXHAUSTED)
    )
    if not facilitator:
        disputes = disputes.filter(Q(complainant_id=delegation_pk) | Q(respondent_id=delegation_pk))
    alerts = []
    stages = (
        selectors.stage_rows(actor=actor)
        .filter(dispute__in=disputes)
        .filter(
            Q(expired=True, ended_at__gte=since)
            | Q(ended_at__isnull=True, deadline__lt=now, dispute__status=Dispute.Status.OPEN)
        )
        .select_related("dispute")
        .order_by("-deadline")[:20]
    )
    for stage in stages:
        d = stage.dispute
        alerts.append(
            PageAlert(
                kind=KIND,
                sentence=gettext("{code} {title}: the time of the stage “{stage}” ran out.").format(
                    code=d.code, title=d.title, stage=stage.name
                ),
                url=_dispute_url(d),
                subject=d.subject,
                ran_out_at=stage.deadline,
            )
        )
    for d in disputes.filter(
        status=Dispute.Status.OPEN, convened_at__isnull=True, convene_by__lt=now
    )[:20]:
        alerts.append(
            PageAlert(
                kind=KIND,
                sentence=gettext("{code} {title}: the joint body has not convened in time.").format(
                    code=d.code, title=d.title
                ),
                url=_dispute_url(d),
                subject=d.subject,
                ran_out_at=d.convene_by,
            )
        )
    return alerts


def _convenings(
    actor: User, delegation_pk: int, facilitator: bool, now: dt.datetime
) -> list[PageAlert]:
    rows = selectors.convening_list(actor=actor).filter(
        convened_at__isnull=True, convene_by__lt=now
    )
    if not facilitator:
        rows = rows.filter(
            Q(requested_by_id=delegation_pk)
            | Q(dispute__complainant_id=delegation_pk)
            | Q(dispute__respondent_id=delegation_pk)
        )
    return [
        PageAlert(
            kind=KIND,
            sentence=gettext("The joint body has not convened in time on “{title}”.").format(
                title=r.title
            ),
            url=reverse("compliance:overview") + "#convening",
            subject=r.subject,
            ran_out_at=r.convene_by,
        )
        for r in rows.order_by("-convene_by")[:20]
    ]


def _access_requests(actor: User, now: dt.datetime, since: dt.datetime) -> list[PageAlert]:
    """Access requests ``actor`` may read (the facilitators and the party concerned:
    ``caucus:<party>``) whose stage ran out, waiting or moved on by the sweeper."""
    rows = (
        selectors.access_request_list(actor=actor)
        .filter(
            Q(stage__in=OPEN_REQUEST, stage_deadline__lt=now)
            | Q(steps__automatic=True, steps__at__gte=since)
        )
        .distinct()
        .order_by("-requested_at")[:20]
    )
    alerts = []
    for r in rows:
        moved = [s.at for s in r.steps.all() if s.automatic and s.at >= since]
        at = r.stage_deadline if r.is_open and r.stage_deadline and r.stage_deadline < now else None
        alerts.append(
            PageAlert(
                kind=KIND,
                sentence=gettext("Access request on {code}: its time ran out ({stage}).").format(
                    code=r.commitment.code, stage=r.get_stage_display()
                ),
                url=reverse("compliance:commitment", args=[r.commitment.public_id]),
                subject=r.subject,
                ran_out_at=at or max(moved),
            )
        )
    return alerts


def register() -> None:
    page_alert_register(KIND, clocks_run_out)
