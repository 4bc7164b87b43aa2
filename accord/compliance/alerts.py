"""The red alert on every page when a compliance clock has run out, for those it
concerns (``accord.page_alerts``, decision 0151): a dispute stage (the facilitators and
the two sides), the joint body not convened in time on a dispute or a request (the
facilitators, the side that asked and the two sides of the dispute), an access
request's stage (the facilitators, the verifier among them, and the party concerned:
the request is ``caucus:<party>``, so the other party learns nothing of it).

An alert stands while the clock has run out and nobody has moved it on (a deadline
passed the sweeper has not yet reached, a joint body still not convened), and for
``STANDS_DAYS`` after the sweeper moved it on. Read through ``compliance.selectors``
only. It runs on every page: one query (a union of the four kinds' keys) when nothing
has run out, one more per kind that has.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
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
SHOWN = 20


def _queries(actor: User, delegation_pk: int, facilitator: bool) -> dict[str, QuerySet[Any]]:
    """What has run out, by kind, among what ``actor`` may read and is concerned by."""
    now = timezone.now()
    since = now - dt.timedelta(days=STANDS_DAYS)
    disputes = selectors.dispute_list(actor=actor).filter(
        status__in=(Dispute.Status.OPEN, Dispute.Status.EXHAUSTED)
    )
    convenings = selectors.convening_list(actor=actor)
    if not facilitator:
        disputes = disputes.filter(Q(complainant_id=delegation_pk) | Q(respondent_id=delegation_pk))
        convenings = convenings.filter(
            Q(requested_by_id=delegation_pk)
            | Q(dispute__complainant_id=delegation_pk)
            | Q(dispute__respondent_id=delegation_pk)
        )
    return {
        "stage": selectors.stage_rows(actor=actor).filter(
            Q(expired=True, ended_at__gte=since)
            | Q(ended_at__isnull=True, deadline__lt=now, dispute__status=Dispute.Status.OPEN),
            dispute__in=disputes,
        ),
        "convene": disputes.filter(
            status=Dispute.Status.OPEN, convened_at__isnull=True, convene_by__lt=now
        ),
        "request": convenings.filter(convened_at__isnull=True, convene_by__lt=now),
        # The access requests ``actor`` may read: the facilitators and the party concerned.
        "access": selectors.access_request_list(actor=actor).filter(
            Q(stage__in=OPEN_REQUEST, stage_deadline__lt=now)
            | Q(steps__automatic=True, steps__at__gte=since)
        ),
    }


def clocks_run_out(actor: User) -> list[PageAlert]:
    delegation = policy.delegation_of(actor)
    if delegation is None:
        return []
    facilitator = policy.is_facilitator(actor)
    if not facilitator and not policy.is_party(actor):
        return []
    queries = _queries(actor, delegation.pk, facilitator)
    keys = [
        rows.order_by().values_list(Value(kind, output_field=CharField()), "pk")
        for kind, rows in queries.items()
    ]
    found: dict[str, list[int]] = {}
    for kind, pk in keys[0].union(*keys[1:]):
        found.setdefault(kind, []).append(pk)
    alerts = []
    if "stage" in found:
        alerts += _stages(queries["stage"].filter(pk__in=found["stage"]))
    if "convene" in found:
        alerts += _dispute_convenings(queries["convene"].filter(pk__in=found["convene"]))
    if "request" in found:
        alerts += _convenings(queries["request"].filter(pk__in=found["request"]))
    if "access" in found:
        alerts += _access_requests(queries["access"].filter(pk__in=found["access"]).distinct())
    return alerts


def _dispute_url(dispute: Dispute) -> str:
    return reverse("compliance:dispute", args=[dispute.public_id])


def _stages(rows: QuerySet[Any]) -> list[PageAlert]:
    return [
        PageAlert(
            kind=KIND,
            sentence=gettext("{code} {title}: the time of the stage “{stage}” ran out.").format(
                code=stage.dispute.code, title=stage.dispute.title, stage=stage.name
            ),
            url=_dispute_url(stage.dispute),
            subject=stage.dispute.subject,
            ran_out_at=stage.deadline,
        )
        for stage in rows.select_related("dispute").order_by("-deadline")[:SHOWN]
    ]


def _dispute_convenings(rows: QuerySet[Dispute]) -> list[PageAlert]:
    return [
        PageAlert(
            kind=KIND,
            sentence=gettext("{code} {title}: the joint body has not convened in time.").format(
                code=d.code, title=d.title
            ),
            url=_dispute_url(d),
            subject=d.subject,
            ran_out_at=d.convene_by,
        )
        for d in rows.order_by("-convene_by")[:SHOWN]
    ]


def _convenings(rows: QuerySet[Any]) -> list[PageAlert]:
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
        for r in rows.order_by("-convene_by")[:SHOWN]
    ]


def _access_requests(rows: QuerySet[AccessRequest]) -> list[PageAlert]:
    """Each stage run out, waiting or moved on by the sweeper (within the days it stands)."""
    now = timezone.now()
    since = now - dt.timedelta(days=STANDS_DAYS)
    alerts = []
    for r in rows.order_by("-requested_at")[:SHOWN]:
        moved = [s.at for s in r.steps.all() if s.automatic and s.at >= since]
        waiting = r.is_open and r.stage_deadline is not None and r.stage_deadline < now
        alerts.append(
            PageAlert(
                kind=KIND,
                sentence=gettext("Access request on {code}: its time ran out ({stage}).").format(
                    code=r.commitment.code, stage=r.get_stage_display()
                ),
                url=reverse("compliance:commitment", args=[r.commitment.public_id]),
                subject=r.subject,
                ran_out_at=r.stage_deadline if waiting and r.stage_deadline else max(moved),
            )
        )
    return alerts


def register() -> None:
    page_alert_register(KIND, clocks_run_out)
