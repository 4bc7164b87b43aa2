"""Writes of the divergence register: open, positions, bridging, the escalation ladder.

Every function checks permission, validates, writes in one transaction and appends its
event there. The ladder comes from the charter (``Process.escalation``): a divergence sits
at a rung (a body code, or ``principals``) with a deadline; a referral by a person or by
the sweeper (``divergences_escalate_overdue``) moves it up one rung, exactly once.
"""

from __future__ import annotations

import datetime as dt
import logging
from importlib import import_module
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import Role
from accord.divergences.models import PRINCIPALS, BridgingProposal, Divergence, Position, Referral
from accord.errors import AccordError, Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.services import event_append
from accord.locking import lock_rows
from accord.process.models import Body, Delegation, Process

logger = logging.getLogger(__name__)

DIVERGENCE_NOT_FOUND = "There is no such divergence."
OPEN_NOT_ALLOWED = "Only the facilitators and members of {body} can record a divergence there."
TITLE_EMPTY = "A divergence needs a title."
TITLE_TOO_LONG = "A title can hold at most 300 characters."
TEXT_EMPTY = "This needs some text."
TEXT_TOO_LONG = "This can hold at most 20,000 characters."
PROVISION_INVALID = "Provisions are given as 'provision:<id>'; {value!r} is not one."
TOO_MANY_PROVISIONS = "A divergence can name at most 50 provisions."
POSITION_PARTIES_ONLY = "Only a party's delegation states a position; facilitators bridge."
NOTHING_TO_SHARE = "Your delegation holds no internal position on this divergence to share."
BRIDGING_FACILITATORS_ONLY = "Only the facilitators table bridging proposals."
REFER_NOT_ALLOWED = (
    "Only the facilitators and the chairs of {rung} can refer a divergence from there."
)
AT_THE_TOP = "This divergence is already at the top of the ladder ({rung})."
CLOSED = "This divergence is {status}; reopen it first."
CLOSE_FACILITATORS_ONLY = "Only the facilitators resolve, park or reopen a divergence."
NOT_CLOSED = "This divergence is not resolved or parked."
MAX_TEXT = 20_000

AGENDA_QUEUE = ("accord.meetings.services", "agenda_item_queue")


# --- Helpers -------------------------------------------------------------------------------


def _text(value: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(TEXT_EMPTY)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(TEXT_TOO_LONG)
    return value


def _provisions(values: list[str] | None) -> list[str]:
    result: list[str] = []
    for value in values or []:
        value = (value or "").strip()
        kind, sep, ident = value.partition(":")
        if kind != "provision" or not sep or not ident or len(value) > 200 or " " in ident:
            raise ValidationFailed(PROVISION_INVALID.format(value=value))
        if value not in result:
            result.append(value)
    if len(result) > 50:
        raise ValidationFailed(TOO_MANY_PROVISIONS)
    return result


def _process_of(actor: Any) -> int | None:
    return access.clearance(actor).process_id


def _is_facilitator(actor: Any) -> bool:
    delegation = getattr(actor, "delegation", None)
    return delegation is not None and delegation.kind == Delegation.Kind.FACILITATOR


def _locked(divergence_id: int, actor: Any | None = None) -> Divergence:
    """The divergence row, locked (where the database has row locks), as ``actor`` sees it."""
    rows: QuerySet[Divergence] = Divergence.objects.filter(pk=divergence_id)
    if actor is not None:
        rows = access.restrict(rows, actor)
    # Locks this row only, not the process and body rows joined below.
    row = lock_rows(rows).select_related("body", "process").first()
    if row is None:
        raise NotFound(DIVERGENCE_NOT_FOUND)
    return row


def _deadline(process: Process, rung: str, since: dt.datetime) -> dt.datetime | None:
    step = process.escalation_next(rung)
    return since + dt.timedelta(days=step[1]) if step else None


def rung_label(process: Process, rung: str) -> str:
    return process.principals_label if rung == PRINCIPALS else rung


def _payload(row: Divergence, **extra: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "title": row.title,
        "body": row.body.code,
        "status": row.status,
        "rung": row.rung,
        **extra,
    }


def _agenda_queue(*, body: Body, row: Divergence, note: str, actor: Any) -> bool:
    """Put a referred divergence on ``body``'s next draft agenda, if meetings can yet.

    Runs in the referral's transaction, so the agenda item and the referral commit
    together. Returns False when the meetings app does not offer the queue (yet).
    """
    try:
        queue = getattr(import_module(AGENDA_QUEUE[0]), AGENDA_QUEUE[1], None)
    except ModuleNotFoundError as error:
        if error.name is None or not AGENDA_QUEUE[0].startswith(error.name):
            raise
        queue = None
    if queue is None:
        return False
    try:
        # A savepoint: a refusal by the meetings app must not undo the referral itself.
        with transaction.atomic():
            queue(
                body=body,
                title=f"Divergence D-{row.pk}: {row.title}"[:300],
                subject=row.subject,
                note=note[:5000],
                actor=actor,
            )
    except AccordError as error:
        logger.warning("D-%s could not be queued on %s's agenda: %s", row.pk, body.code, error)
        return False
    return True


# --- Register ------------------------------------------------------------------------------


def divergence_may_open(*, actor: Any, body: Body) -> bool:
    if _process_of(actor) != body.process_id:
        return False
    return _is_facilitator(actor) or access.can_see(
        actor, process_id=body.process_id, scope=access.body_scope(body.code)
    )


def divergence_open(
    *,
    actor: Any,
    body: Body,
    title: str,
    description: str = "",
    provisions: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Divergence:
    """Record a point of divergence in ``body``'s register, at ``body``'s rung of the ladder.

    The register is ``shared`` (every participant sees the point and the shared
    positions). Raise ``PermissionDenied`` unless ``divergence_may_open``.
    """
    if not divergence_may_open(actor=actor, body=body):
        raise PermissionDenied(OPEN_NOT_ALLOWED.format(body=body.name))
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(TITLE_EMPTY)
    if len(title) > 300:
        raise ValidationFailed(TITLE_TOO_LONG)
    description = _text(description, required=False)
    subjects = _provisions(provisions)
    now = now or timezone.now()
    process = body.process
    with transaction.atomic():
        row = Divergence.objects.create(
            process=process,
            scope=access.SHARED,
            body=body,
            title=title,
            description=description,
            provisions=subjects,
            status=Divergence.Status.OPEN,
            rung=body.code,
            rung_since=now,
            rung_deadline=_deadline(process, body.code, now),
            created_by=actor,
            created_at=now,
        )
        event_append(
            kind="DivergenceOpened",
            subject=row.subject,
            scope=row.scope,
            payload=_payload(
                row, provisions=subjects, deadline=row.rung_deadline, description=description
            ),
            actor=actor,
            process=process,
        )
    return row


# --- Positions -----------------------------------------------------------------------------


def position_set(*, actor: Any, divergence: Divergence, text: str, shared: bool) -> Position:
    """State ``actor``'s party's position: kept internal (``party:<code>``) or shared.

    A party holds at most one internal and one shared position per divergence; stating it
    again replaces the text. The event carries the position's own scope, so an internal
    position reaches nobody outside the party by the feed either.
    """
    delegation = getattr(actor, "delegation", None)
    if delegation is None or delegation.kind != Delegation.Kind.PARTY or not actor.is_active:
        raise PermissionDenied(POSITION_PARTIES_ONLY)
    text = _text(text)
    scope = access.SHARED if shared else access.party_scope(delegation.code)
    now = timezone.now()
    with transaction.atomic():
        row = _locked(divergence.pk, actor)
        position = Position.objects.filter(
            divergence=row, delegation=delegation, scope=scope
        ).first()
        if position is None:
            position = Position(
                process=row.process, scope=scope, divergence=row, delegation=delegation
            )
        position.text = text
        position.author = actor
        position.updated_at = now
        position.shared_at = now if shared else None
        position.save()
        event_append(
            kind="PositionStated",
            subject=row.subject,
            scope=scope,
            payload={
                "divergence": row.pk,
                "party": delegation.code,
                "shared": shared,
                "text": text,
            },
            actor=actor,
            process=row.process,
        )
    return position


def position_share(*, actor: Any, divergence: Divergence) -> Position:
    """Share ``actor``'s party's internal position: it becomes (or replaces) the shared one."""
    delegation = getattr(actor, "delegation", None)
    if delegation is None or delegation.kind != Delegation.Kind.PARTY:
        raise PermissionDenied(POSITION_PARTIES_ONLY)
    now = timezone.now()
    with transaction.atomic():
        row = _locked(divergence.pk, actor)
        internal = Position.objects.filter(
            divergence=row, delegation=delegation, scope=access.party_scope(delegation.code)
        ).first()
        if internal is None:
            raise Conflict(NOTHING_TO_SHARE)
        shared = Position.objects.filter(
            divergence=row, delegation=delegation, scope=access.SHARED
        ).first()
        if shared is None:
            internal.scope = access.SHARED
            internal.shared_at = now
            internal.author = actor
            internal.save()
            shared = internal
        else:
            shared.text = internal.text
            shared.shared_at = now
            shared.updated_at = now
            shared.author = actor
            shared.save()
            internal.delete()
        event_append(
            kind="PositionShared",
            subject=row.subject,
            scope=access.SHARED,
            payload={"divergence": row.pk, "party": delegation.code, "text": shared.text},
            actor=actor,
            process=row.process,
        )
    return shared


# --- Bridging ------------------------------------------------------------------------------


def bridging_propose(*, actor: Any, divergence: Divergence, text: str) -> BridgingProposal:
    """Table a facilitators' bridging proposal; an open divergence moves to ``bridging``."""
    if not _is_facilitator(actor) or _process_of(actor) != divergence.process_id:
        raise PermissionDenied(BRIDGING_FACILITATORS_ONLY)
    text = _text(text)
    with transaction.atomic():
        row = _locked(divergence.pk, actor)
        if row.is_closed:
            raise Conflict(CLOSED.format(status=row.get_status_display().lower()))
        proposal = BridgingProposal.objects.create(
            process=row.process,
            scope=access.SHARED,
            divergence=row,
            text=text,
            author=actor,
            created_at=timezone.now(),
        )
        if row.status == Divergence.Status.OPEN:
            row.status = Divergence.Status.BRIDGING
            row.save(update_fields=["status"])
        event_append(
            kind="BridgingProposed",
            subject=row.subject,
            scope=access.SHARED,
            payload=_payload(row, proposal=proposal.pk, text=text),
            actor=actor,
            process=row.process,
        )
    return proposal


# --- The ladder ----------------------------------------------------------------------------


def divergence_may_refer(*, actor: Any, divergence: Divergence) -> bool:
    """Facilitators, and the chairs of the body where the divergence now sits."""
    if _process_of(actor) != divergence.process_id:
        return False
    if _is_facilitator(actor):
        return True
    return actor.appointments.filter(
        body__process_id=divergence.process_id,
        body__code=divergence.rung,
        role__in=[Role.CHAIR, Role.CO_CHAIR],
    ).exists()


def _climb(
    row: Divergence, *, actor: Any, automatic: bool, note: str, now: dt.datetime
) -> Referral:
    """Move the locked ``row`` one rung up, record the referral and its event.

    Precondition: inside a transaction holding ``row``'s lock, ``row`` not closed and not at
    the top. The unique (divergence, from_rung) constraint makes a second climb from the
    same rung impossible even if a caller forgot to re-check.
    """
    step = row.process.escalation_next(row.rung)
    assert step is not None
    target, _days = step
    origin = row.rung
    row.rung = target
    row.rung_since = now
    row.rung_deadline = _deadline(row.process, target, now)
    row.status = Divergence.Status.REFERRED
    row.save(update_fields=["rung", "rung_since", "rung_deadline", "status"])
    referral = Referral.objects.create(
        process=row.process,
        scope=row.scope,
        divergence=row,
        from_rung=origin,
        to_rung=target,
        automatic=automatic,
        note=note,
        by=actor if getattr(actor, "pk", None) else None,
        at=now,
        deadline=row.rung_deadline,
    )
    on_agenda = False
    if target != PRINCIPALS:
        body = Body.objects.filter(process=row.process, code=target).first()
        if body is not None:
            reason = note or (
                f"Unresolved at {origin} past its deadline; referred automatically."
                if automatic
                else f"Referred by {origin}."
            )
            on_agenda = _agenda_queue(body=body, row=row, note=reason, actor=actor)
    event_append(
        kind="DivergenceEscalated" if automatic else "DivergenceReferred",
        subject=row.subject,
        scope=row.scope,
        payload=_payload(
            row,
            from_rung=origin,
            to_rung=target,
            deadline=row.rung_deadline,
            note=note,
            on_agenda=on_agenda,
        ),
        actor=actor if not automatic else None,
        process=row.process,
    )
    return referral


def divergence_refer(*, actor: Any, divergence: Divergence, note: str = "") -> Divergence:
    """Refer ``divergence`` to the next rung of the ladder (a working group to the HLC...).

    A divergence referred to a body is queued on that body's next draft agenda.
    """
    note = _text(note, required=False)
    with transaction.atomic():
        row = _locked(divergence.pk, actor)
        if not divergence_may_refer(actor=actor, divergence=row):
            raise PermissionDenied(REFER_NOT_ALLOWED.format(rung=rung_label(row.process, row.rung)))
        if row.is_closed:
            raise Conflict(CLOSED.format(status=row.get_status_display().lower()))
        if row.process.escalation_next(row.rung) is None:
            raise Conflict(AT_THE_TOP.format(rung=rung_label(row.process, row.rung)))
        _climb(row, actor=actor, automatic=False, note=note, now=timezone.now())
    return row


def divergences_escalate_overdue(*, now: dt.datetime) -> int:
    """Refer every unresolved divergence whose rung deadline has passed; return how many.

    ``now``: aware datetime. Each divergence climbs in its own transaction, under its row
    lock (skipping rows another sweeper holds), after re-checking that it is still
    unresolved and still past the deadline of the rung it was selected at; so each
    escalation happens exactly once however often, or however concurrently, this runs,
    and a crash half-way leaves the rest for the next run.
    """
    live = [Divergence.Status.OPEN, Divergence.Status.BRIDGING, Divergence.Status.REFERRED]
    candidates = list(
        Divergence.objects.filter(status__in=live, rung_deadline__lte=now)
        .order_by("rung_deadline", "pk")
        .values_list("pk", "rung")
    )
    escalated = 0
    for pk, rung in candidates:
        try:
            with transaction.atomic():
                rows = Divergence.objects.filter(
                    pk=pk, rung=rung, status__in=live, rung_deadline__lte=now
                )
                # The divergence only: locking the joined process and body rows would
                # make every other sweeper skip every other row.
                row = lock_rows(rows, skip_locked=True).select_related("process", "body").first()
                if row is None:
                    continue  # resolved, referred or re-dated meanwhile, or being swept
                if row.process.escalation_next(row.rung) is None:
                    row.rung_deadline = None  # the top has no further rung
                    row.save(update_fields=["rung_deadline"])
                    continue
                _climb(row, actor=None, automatic=True, note="", now=now)
                escalated += 1
        except IntegrityError:
            # Another sweeper recorded this very climb first: nothing left to do here.
            logger.info("divergence %s was escalated concurrently", pk)
    return escalated


# --- Closing -------------------------------------------------------------------------------


def _close(*, actor: Any, divergence: Divergence, status: str, text: str, kind: str) -> Divergence:
    if not _is_facilitator(actor) or _process_of(actor) != divergence.process_id:
        raise PermissionDenied(CLOSE_FACILITATORS_ONLY)
    with transaction.atomic():
        row = _locked(divergence.pk, actor)
        if row.is_closed:
            raise Conflict(CLOSED.format(status=row.get_status_display().lower()))
        row.status = status
        row.closed_at = timezone.now()
        row.rung_deadline = None
        if status == Divergence.Status.RESOLVED:
            row.resolution = text
        row.save(update_fields=["status", "closed_at", "rung_deadline", "resolution"])
        event_append(
            kind=kind,
            subject=row.subject,
            scope=row.scope,
            payload=_payload(row, text=text),
            actor=actor,
            process=row.process,
        )
    return row


def divergence_resolve(*, actor: Any, divergence: Divergence, resolution: str) -> Divergence:
    """Record how the divergence was settled; its clock stops."""
    return _close(
        actor=actor,
        divergence=divergence,
        status=Divergence.Status.RESOLVED,
        text=_text(resolution),
        kind="DivergenceResolved",
    )


def divergence_park(*, actor: Any, divergence: Divergence, note: str = "") -> Divergence:
    """Set the divergence aside by agreement; its clock stops until it is reopened."""
    return _close(
        actor=actor,
        divergence=divergence,
        status=Divergence.Status.PARKED,
        text=_text(note, required=False),
        kind="DivergenceParked",
    )


def divergence_reopen(*, actor: Any, divergence: Divergence, note: str = "") -> Divergence:
    """Reopen a resolved or parked divergence at its rung, with a fresh deadline."""
    if not _is_facilitator(actor) or _process_of(actor) != divergence.process_id:
        raise PermissionDenied(CLOSE_FACILITATORS_ONLY)
    note = _text(note, required=False)
    with transaction.atomic():
        row = _locked(divergence.pk, actor)
        if not row.is_closed:
            raise Conflict(NOT_CLOSED)
        now = timezone.now()
        row.status = (
            Divergence.Status.REFERRED if row.referrals.exists() else Divergence.Status.OPEN
        )
        row.closed_at = None
        row.rung_since = now
        row.rung_deadline = _deadline(row.process, row.rung, now)
        row.save(update_fields=["status", "closed_at", "rung_since", "rung_deadline"])
        event_append(
            kind="DivergenceReopened",
            subject=row.subject,
            scope=row.scope,
            payload=_payload(row, note=note, deadline=row.rung_deadline),
            actor=actor,
            process=row.process,
        )
    return row
