"""The escalation sweep: a message not acknowledged in time climbs the charter's ladder.

Each rung is alerted exactly once, in its own transaction (decision 0042). An alert to
the head of delegation goes to that delegation (``party:<code>``) and one to the
facilitators to ``facilitators``, both without the message text: they need not be
members of the channel.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q

from accord.accounts import access as accounts_access
from accord.channels.access import duty_watch_current
from accord.channels.models import Escalation, Message
from accord.channels.services.config import ChannelConfigInvalid, channel_settings
from accord.channels.settings import URGENT
from accord.events.services import event_append
from accord.locking import lock_rows

logger = logging.getLogger(__name__)


def _rung_target(message: Message, to: str) -> tuple[str, str]:
    """(scope of the alert, who it names) for one rung of the ladder."""
    if to == "backup_duty_officer":
        watch = duty_watch_current(message.mechanism, message.to_delegation)
        target = watch.backup.username if watch and watch.backup else ""
        return message.scope, target
    if to == "head_of_delegation":
        heads = accounts_access.heads_of(message.to_delegation)
        return accounts_access.party_scope(message.to_delegation.code), ", ".join(
            sorted(h.username for h in heads)
        )
    return accounts_access.FACILITATORS, "facilitators"


def message_escalates(message: Message) -> bool:
    """Does a missed acknowledgement of ``message`` climb the ladder? Every message does
    but a reply that is not urgent itself: answering must not start a loop of its own."""
    return message.reply_id is None or message.precedence in URGENT


# The same rule as rows: what the sweep looks at.
ESCALATING = Q(reply__isnull=True) | Q(precedence__in=sorted(URGENT))


def message_escalate_rung(*, message_id: int, rung: int, now: dt.datetime) -> bool:
    """Alert rung ``rung`` (0-based) for one unacknowledged message, in one transaction.

    ``message_id`` is the primary key: this runs inside the server (the sweep), never on
    an id from outside. Re-checks under a row lock that the message is still
    unacknowledged, that exactly ``rung`` rungs were alerted before and that the rung is
    due; returns False (doing nothing) otherwise. The unique (message, rung) constraint
    is the last guard: a rung is alerted at most once, whatever crashed before.
    """
    # Not ``change_locked``: its ``missing`` and ``check`` refuse (raise an AccordError),
    # while here a message already acknowledged, already escalated or not yet due is the
    # sweep's normal "nothing to do" (False), and the change writes a second row (the
    # Escalation, whose unique (message, rung) is the exactly-once guard). Raising and
    # catching a refusal for control flow would hide real errors; the five steps stay.
    with transaction.atomic():
        message = (
            lock_rows(Message.objects.filter(pk=message_id))
            .select_related("mechanism__process", "to_delegation", "from_delegation")
            .first()
        )
        if message is None or message.acknowledged_at is not None:
            return False
        if not message_escalates(message):
            return False
        if message.escalation_level != rung:
            return False
        ladder = channel_settings(message.mechanism).escalation
        if rung >= len(ladder) or now < message.acknowledge_by + ladder[rung].after:
            return False
        step = ladder[rung]
        scope, target = _rung_target(message, step.to)
        Escalation.objects.create(
            # Under the alert's scope: ``target`` names the receiving side's heads, that
            # side's business, not the channel's (both sides).
            message=message,
            scope=scope,
            rung=rung,
            to=step.to,
            target=target,
            at=now,
        )
        message.escalation_level = rung + 1
        message.save(update_fields=["escalation_level"])
        event_append(
            kind="ChannelMessageEscalated",
            subject=f"message:{message.public_id}",
            scope=scope,
            # No text: the head's delegation and the facilitators need not be members.
            payload={
                "id": str(message.public_id),
                "channel": message.mechanism.code,
                "seq": message.seq,
                "kind": message.kind,
                "precedence": message.precedence,
                "from_side": message.from_delegation.code,
                "to_side": message.to_delegation.code,
                "acknowledge_by": message.acknowledge_by,
                "rung": rung + 1,
                "escalated_to": step.to,
                "target": target,
            },
            process=message.mechanism.process,
            occurred_at=now,
        )
    return True


def messages_escalate_unacknowledged(*, now: dt.datetime) -> int:
    """Sweep: alert the next due rungs of every message whose acknowledgement is late.

    Each rung is its own transaction, so a crash between rungs leaves the earlier ones
    recorded and the next run alerts only what is left. Returns the rungs alerted.
    """
    overdue = Message.objects.filter(
        ESCALATING, acknowledged_at__isnull=True, acknowledge_by__lt=now, escalation_level__lt=3
    ).values_list("pk", "escalation_level", "mechanism_id")
    alerted = 0
    broken: set[int] = set()
    for message_id, level, mechanism_id in list(overdue):
        if mechanism_id in broken:
            continue
        rung = level
        while True:
            try:
                done = message_escalate_rung(message_id=message_id, rung=rung, now=now)
            except ChannelConfigInvalid:
                logger.exception("channel settings invalid; escalation skipped")
                broken.add(mechanism_id)
                break
            if not done:
                break
            alerted += 1
            rung += 1
    return alerted
