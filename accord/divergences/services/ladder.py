"""The escalation ladder: a referral by a person or by the sweeper moves a divergence up one
rung, exactly once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accord.accounts.models import User
from accord.divergences import access
from accord.divergences.access import DIVERGENCE_NOT_FOUND, PublicId
from accord.divergences.models import PRINCIPALS, Divergence, Referral
from accord.divergences.selectors import rung_label
from accord.divergences.services.common import (
    AT_THE_TOP,
    MAX_TITLE,
    REFER_NOT_ALLOWED,
    _deadline,
    _open_only,
    _payload,
    _text,
)
from accord.events.changes import change_locked
from accord.events.services import NewEvent, events_append
from accord.locking import lock_rows
from accord.meetings.services import agenda_item_queue
from accord.process.models import Body

logger = logging.getLogger(__name__)

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
