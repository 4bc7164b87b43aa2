"""Writes of the divergence register: open, positions, bridging, the escalation ladder.

Every function takes the public id of what it acts on and fetches it through
``divergences.access``, refuses when the ``may_`` predicate of its use case says no,
validates, writes in one transaction and appends its event there. The ladder comes from
the charter (``Process.escalation``): a divergence sits at a rung (a body code, or
``principals``) with a deadline; a referral by a person or by the sweeper
(``divergences_escalate_overdue``) moves it up one rung, exactly once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.divergences import access
from accord.divergences.access import DIVERGENCE_NOT_FOUND, PublicId
from accord.divergences.models import PRINCIPALS, BridgingProposal, Divergence, Position, Referral
from accord.divergences.selectors import rung_label
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append, events_append
from accord.locking import lock_rows
from accord.meetings.services import agenda_item_queue
from accord.process.models import Body, Process

logger = logging.getLogger(__name__)

MAX_TEXT = 20_000
MAX_TITLE = 300
MAX_PROVISIONS = 50

OPEN_NOT_ALLOWED = PermissionDenied.case(
    "divergence.open_not_allowed",
    _("Only the facilitators and members of {body} can record a divergence there."),
)
TITLE_EMPTY = ValidationFailed.case("divergence.title_empty", _("A divergence needs a title."))
TITLE_TOO_LONG = ValidationFailed.case(
    "divergence.title_too_long", _("A title can hold at most 300 characters.")
)
TEXT_EMPTY = ValidationFailed.case("divergence.text_empty", _("This needs some text."))
TEXT_TOO_LONG = ValidationFailed.case(
    "divergence.text_too_long", _("This can hold at most 20,000 characters.")
)
PROVISION_INVALID = ValidationFailed.case(
    "divergence.provision_invalid",
    _("Provisions are given as 'provision:<id>'; '{value}' is not one."),
)
TOO_MANY_PROVISIONS = ValidationFailed.case(
    "divergence.too_many_provisions", _("A divergence can name at most 50 provisions.")
)
POSITION_PARTIES_ONLY = PermissionDenied.case(
    "position.parties_only",
    _("Only a party's delegation states a position; facilitators bridge."),
)
NOTHING_TO_SHARE = Conflict.case(
    "position.nothing_to_share",
    _("Your delegation holds no internal position on this divergence to share."),
)
BRIDGING_FACILITATORS_ONLY = PermissionDenied.case(
    "bridging_proposal.facilitators_only", _("Only the facilitators table bridging proposals.")
)
REFER_NOT_ALLOWED = PermissionDenied.case(
    "divergence.refer_not_allowed",
    _("Only the facilitators and the chairs of {rung} can refer a divergence from there."),
)
AT_THE_TOP = Conflict.case(
    "divergence.at_the_top", _("This divergence is already at the top of the ladder ({rung}).")
)
CLOSED = Conflict.case("divergence.closed", _("This divergence is {status}; reopen it first."))
CLOSE_FACILITATORS_ONLY = PermissionDenied.case(
    "divergence.close_facilitators_only",
    _("Only the facilitators resolve, park or reopen a divergence."),
)
NOT_CLOSED = Conflict.case("divergence.not_closed", _("This divergence is not resolved or parked."))


# --- Helpers -------------------------------------------------------------------------------


def _text(value: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise TEXT_EMPTY()
    if len(value) > MAX_TEXT:
        raise TEXT_TOO_LONG()
    return value


def _provisions(values: list[str] | None) -> list[str]:
    result: list[str] = []
    for value in values or []:
        value = (value or "").strip()
        kind, sep, ident = value.partition(":")
        if kind != "provision" or not sep or not ident or len(value) > 200 or " " in ident:
            raise PROVISION_INVALID(value=value)
        if value not in result:
            result.append(value)
    if len(result) > MAX_PROVISIONS:
        raise TOO_MANY_PROVISIONS()
    return result


def _deadline(process: Process, rung: str, since: dt.datetime) -> dt.datetime | None:
    step = process.escalation_next(rung)
    return since + dt.timedelta(days=step[1]) if step else None


def _payload(row: Divergence, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "code": row.code,
        "title": row.title,
        "body": row.body.code,
        "status": row.status,
        "rung": row.rung,
        **extra,
    }


def _open_only(row: Divergence) -> None:
    if row.is_closed:
        raise CLOSED(status=str(row.get_status_display()).lower())


# --- Register ------------------------------------------------------------------------------


def divergence_open(
    *,
    actor: User,
    body_code: str,
    title: str,
    description: str = "",
    provisions: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Divergence:
    """Record a point of divergence in the register of the body ``body_code``, at that
    body's rung of the ladder.

    The register is ``shared`` (every participant sees the point and the shared
    positions). Raise ``OPEN_NOT_ALLOWED`` unless ``access.may_open``. ``now``: aware
    datetime (the demo dates points back).
    """
    body = access.register_access(actor, body_code)
    if not access.may_open(actor, body):
        raise OPEN_NOT_ALLOWED(body=body.name)
    title = (title or "").strip()
    if not title:
        raise TITLE_EMPTY()
    if len(title) > MAX_TITLE:
        raise TITLE_TOO_LONG()
    description = _text(description, required=False)
    subjects = _provisions(provisions)
    now = now or timezone.now()
    process = body.process
    with transaction.atomic():
        # The process row serialises numbering: two points opened at once get D-n, D-n+1.
        lock_rows(Process.objects.filter(pk=process.pk)).exists()
        last = Divergence.objects.filter(process=process).aggregate(last=Max("number"))["last"]
        row = Divergence.objects.create(
            process=process,
            scope=accounts_access.SHARED,
            body=body,
            number=(last or 0) + 1,
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


def position_set(*, actor: User, divergence_id: PublicId, text: str, shared: bool) -> Position:
    """State ``actor``'s party's position: kept internal (``party:<code>``) or shared.

    A party holds at most one internal and one shared position per divergence; stating it
    again replaces the text. The event carries the position's own scope, so an internal
    position reaches nobody outside the party by the feed either.
    """
    stated: list[tuple[Position, str]] = []

    def check(row: Divergence) -> None:
        if not access.may_state_position(actor, row):
            raise POSITION_PARTIES_ONLY()

    def change(row: Divergence) -> list[str]:
        # The divergence row is the lock; the party's position is the row that changes.
        delegation = accounts_access.delegation_of(actor)
        assert delegation is not None  # may_state_position: a party's delegation
        clean = _text(text)
        scope = accounts_access.SHARED if shared else accounts_access.party_scope(delegation.code)
        now = timezone.now()
        position = Position.objects.filter(
            divergence=row, delegation=delegation, scope=scope
        ).first()
        if position is None:
            position = Position(
                process=row.process, scope=scope, divergence=row, delegation=delegation
            )
        position.text = clean
        position.author = actor
        position.updated_at = now
        position.shared_at = now if shared else None
        position.save()
        stated.append((position, delegation.code))
        return []

    def events(row: Divergence) -> list[NewEvent]:
        position, party = stated[0]
        payload = {
            "divergence": str(row.public_id),
            "position": str(position.public_id),
            "party": party,
            "shared": shared,
            "text": position.text,
        }
        return [
            NewEvent("PositionStated", row.subject, position.scope, payload, actor, row.process)
        ]

    with transaction.atomic():
        change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
    return stated[0][0]


def position_share(*, actor: User, divergence_id: PublicId) -> Position:
    """Share ``actor``'s party's internal position: it becomes (or replaces) the shared one."""
    made: list[tuple[Position, str]] = []

    def check(row: Divergence) -> None:
        if not access.may_share_position(actor, row):
            raise POSITION_PARTIES_ONLY()

    def change(row: Divergence) -> list[str]:
        # The divergence row is the lock; the party's positions are the rows that change.
        delegation = accounts_access.delegation_of(actor)
        assert delegation is not None  # may_share_position: a party's delegation
        now = timezone.now()
        mine = Position.objects.filter(divergence=row, delegation=delegation)
        internal = mine.filter(scope=accounts_access.party_scope(delegation.code)).first()
        if internal is None:
            raise NOTHING_TO_SHARE()
        shared = mine.filter(scope=accounts_access.SHARED).first()
        if shared is None:
            internal.scope = accounts_access.SHARED
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
        made.append((shared, delegation.code))
        return []

    def events(row: Divergence) -> list[NewEvent]:
        shared, party = made[0]
        payload = {
            "divergence": str(row.public_id),
            "position": str(shared.public_id),
            "party": party,
            "text": shared.text,
        }
        return [
            NewEvent(
                "PositionShared", row.subject, accounts_access.SHARED, payload, actor, row.process
            )
        ]

    with transaction.atomic():
        change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
    return made[0][0]


# --- Bridging ------------------------------------------------------------------------------


def bridging_propose(*, actor: User, divergence_id: PublicId, text: str) -> BridgingProposal:
    """Table a facilitators' bridging proposal; an open divergence moves to ``bridging``."""
    tabled: list[BridgingProposal] = []

    def check(row: Divergence) -> None:
        if not access.may_propose_bridge(actor, row):
            raise BRIDGING_FACILITATORS_ONLY()
        _open_only(row)

    def change(row: Divergence) -> list[str]:
        tabled.append(
            BridgingProposal.objects.create(
                process=row.process,
                scope=accounts_access.SHARED,
                divergence=row,
                text=clean,
                author=actor,
                created_at=timezone.now(),
            )
        )
        if row.status != Divergence.Status.OPEN:
            return []
        row.status = Divergence.Status.BRIDGING
        return ["status"]

    def events(row: Divergence) -> list[NewEvent]:
        payload = _payload(row, proposal=str(tabled[0].public_id), text=clean)
        return [
            NewEvent(
                "BridgingProposed", row.subject, accounts_access.SHARED, payload, actor, row.process
            )
        ]

    # Who may act is answered before the text is read (403 before 422), and again under
    # the lock by ``check``.
    if not access.may_propose_bridge(actor, access.divergence_access(actor, divergence_id)):
        raise BRIDGING_FACILITATORS_ONLY()
    clean = _text(text)
    with transaction.atomic():
        rows = access.divergence_rows(actor, divergence_id)
        change_locked(rows, missing=DIVERGENCE_NOT_FOUND, check=check, change=change, events=events)
    return tabled[0]


# --- The ladder ----------------------------------------------------------------------------


@dataclass
class _Climb:
    """What one step up the ladder changed: the row's fields, the referral, the event."""

    fields: list[str]
    referral: Referral
    event: NewEvent


def _climb(
    row: Divergence, *, actor: User | None, automatic: bool, note: str, now: dt.datetime
) -> _Climb:
    """Move ``row`` one rung up (its fields set, not saved), record the referral, queue
    it on the next body's draft agenda, and give the event to append.

    Precondition: inside a transaction holding ``row``'s lock, ``row`` not closed and not at
    the top. The unique (divergence, from_rung) constraint makes a second climb from the
    same rung impossible even if a caller forgot to re-check. The agenda item commits with
    the referral (decision 0023): a refusal by ``agenda_item_queue`` is a bug in this
    call, so it undoes the referral rather than being swallowed.
    """
    step = row.process.escalation_next(row.rung)
    assert step is not None
    target, _days = step
    origin = row.rung
    row.rung = target
    row.rung_since = now
    row.rung_deadline = _deadline(row.process, target, now)
    row.status = Divergence.Status.REFERRED
    referral = Referral.objects.create(
        process=row.process,
        scope=row.scope,
        divergence=row,
        from_rung=origin,
        to_rung=target,
        automatic=automatic,
        note=note,
        by=actor,
        at=now,
        deadline=row.rung_deadline,
    )
    on_agenda = False
    body = (
        Body.objects.filter(process=row.process, code=target).first()
        if target != PRINCIPALS
        else None
    )
    if body is not None:
        if note:
            reason = note
        elif automatic:
            reason = gettext(
                "Unresolved at {rung} past its deadline; referred automatically."
            ).format(rung=origin)
        else:
            reason = gettext("Referred by {rung}.").format(rung=origin)
        title = gettext("Divergence {code}: {title}").format(code=row.code, title=row.title)
        agenda_item_queue(
            actor=actor,
            process_code=row.process.code,
            body_code=body.code,
            title=title[:MAX_TITLE],
            subject=row.subject,
            note=reason[:5000],
        )
        on_agenda = True
    payload = _payload(
        row,
        from_rung=origin,
        to_rung=target,
        deadline=row.rung_deadline,
        note=note,
        on_agenda=on_agenda,
        referral=str(referral.public_id),
    )
    kind = "DivergenceEscalated" if automatic else "DivergenceReferred"
    event = NewEvent(
        kind, row.subject, row.scope, payload, None if automatic else actor, row.process
    )
    return _Climb(["rung", "rung_since", "rung_deadline", "status"], referral, event)


def divergence_refer(*, actor: User, divergence_id: PublicId, note: str = "") -> Divergence:
    """Refer the divergence to the next rung of the ladder (a working group to the HLC...).

    A divergence referred to a body is queued on that body's next draft agenda.
    """
    note = _text(note, required=False)
    climbed: list[_Climb] = []

    def check(row: Divergence) -> None:
        if not access.may_refer(actor, row):
            raise REFER_NOT_ALLOWED(rung=rung_label(row.process, row.rung))
        _open_only(row)
        if row.process.escalation_next(row.rung) is None:
            raise AT_THE_TOP(rung=rung_label(row.process, row.rung))

    def change(row: Divergence) -> list[str]:
        climbed.append(_climb(row, actor=actor, automatic=False, note=note, now=timezone.now()))
        return climbed[0].fields

    with transaction.atomic():
        return change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [climbed[0].event],
        )


def divergences_escalate_overdue(*, now: dt.datetime) -> int:
    """Refer every unresolved divergence whose rung deadline has passed; return how many.

    ``now``: aware datetime. Each divergence climbs in its own transaction, under its row
    lock (skipping rows another sweeper holds, which ``change_locked`` does not), after
    re-checking that it is still unresolved and still past the deadline of the rung it
    was selected at; so each escalation happens exactly once however often, or however
    concurrently, this runs, and a crash half-way leaves the rest for the next run.
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
                climb = _climb(row, actor=None, automatic=True, note="", now=now)
                row.save(update_fields=climb.fields)
                events_append([climb.event])
                escalated += 1
        except IntegrityError:
            # Another sweeper recorded this very climb first: nothing left to do here.
            logger.info("divergence %s was escalated concurrently", pk)
    return escalated


# --- Closing -------------------------------------------------------------------------------


def _close(
    *, actor: User, divergence_id: PublicId, status: str, text: str, kind: str
) -> Divergence:
    def check(row: Divergence) -> None:
        allowed = access.may_resolve if status == Divergence.Status.RESOLVED else access.may_park
        if not allowed(actor, row):
            raise CLOSE_FACILITATORS_ONLY()
        _open_only(row)

    def change(row: Divergence) -> list[str]:
        row.status = status
        row.closed_at = timezone.now()
        row.rung_deadline = None
        if status == Divergence.Status.RESOLVED:
            row.resolution = text
        return ["status", "closed_at", "rung_deadline", "resolution"]

    with transaction.atomic():
        return change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(kind, row.subject, row.scope, _payload(row, text=text), actor, row.process)
            ],
        )


def divergence_resolve(*, actor: User, divergence_id: PublicId, resolution: str) -> Divergence:
    """Record how the divergence was settled; its clock stops."""
    # Who may act before what was written (403 before 422); ``_close`` re-checks it locked.
    if not access.may_resolve(actor, access.divergence_access(actor, divergence_id)):
        raise CLOSE_FACILITATORS_ONLY()
    return _close(
        actor=actor,
        divergence_id=divergence_id,
        status=Divergence.Status.RESOLVED,
        text=_text(resolution),
        kind="DivergenceResolved",
    )


def divergence_park(*, actor: User, divergence_id: PublicId, note: str = "") -> Divergence:
    """Set the divergence aside by agreement; its clock stops until it is reopened."""
    return _close(
        actor=actor,
        divergence_id=divergence_id,
        status=Divergence.Status.PARKED,
        text=_text(note, required=False),
        kind="DivergenceParked",
    )


def divergence_reopen(*, actor: User, divergence_id: PublicId, note: str = "") -> Divergence:
    """Reopen a resolved or parked divergence at its rung, with a fresh deadline."""
    note = _text(note, required=False)

    def check(row: Divergence) -> None:
        if not access.may_reopen(actor, row):
            raise CLOSE_FACILITATORS_ONLY()
        if not row.is_closed:
            raise NOT_CLOSED()

    def change(row: Divergence) -> list[str]:
        now = timezone.now()
        row.status = (
            Divergence.Status.REFERRED if row.referrals.exists() else Divergence.Status.OPEN
        )
        row.closed_at = None
        row.rung_since = now
        row.rung_deadline = _deadline(row.process, row.rung, now)
        return ["status", "closed_at", "rung_since", "rung_deadline"]

    def events(row: Divergence) -> list[NewEvent]:
        payload = _payload(row, note=note, deadline=row.rung_deadline)
        return [NewEvent("DivergenceReopened", row.subject, row.scope, payload, actor, row.process)]

    with transaction.atomic():
        return change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
