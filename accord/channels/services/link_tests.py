"""The link-test sweep: every ``link_test.every``, each side of a channel sends a test to
the next; the other side must acknowledge it within ``link_test.acknowledge_within``,
and a missed test is escalated like any message."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError

from accord.channels.models import Message
from accord.channels.services.chain import ChainEntry, message_append
from accord.channels.services.config import ChannelConfigInvalid, channel_settings
from accord.channels.services.messages import message_existing
from accord.channels.settings import Precedence
from accord.process.models import Delegation, Mechanism

logger = logging.getLogger(__name__)


def link_test_send(
    *, mechanism: Mechanism, from_side: Delegation, to_side: Delegation, now: dt.datetime
) -> Message | None:
    """Send one scheduled link test (idempotent per side and schedule slot)."""
    config = channel_settings(mechanism)
    every = config.link_test.every.total_seconds()
    slot = int(now.timestamp() // every)
    client_id = f"link-test:{slot}"
    if message_existing(mechanism, from_side, client_id) is not None:
        return None
    # The text is the message as signed and stored (one text for both sides), not an
    # interface string: it stays in the channel's working language.
    text = (
        f"Link test from {from_side.code} to {to_side.code} at "
        f"{now.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC. Please acknowledge."
    )
    entry = ChainEntry(
        mechanism=mechanism,
        kind=Message.Kind.LINK_TEST,
        sender=None,
        from_side=from_side,
        to_side=to_side,
        precedence=Precedence.ROUTINE,
        language="en",
        text=text,
        client_id=client_id,
        deadline=config.link_test.acknowledge_within,
    )
    try:
        return message_append(entry, now=now)
    except IntegrityError:
        return None


def link_tests_send_due(*, now: dt.datetime) -> int:
    """Sweep: send every channel's due link tests, each side to the next in turn.

    Due when the side's last link test is at least ``link_test.every`` old. A channel
    whose settings are invalid is logged and skipped (the others still run).
    """
    sent = 0
    for mechanism in Mechanism.objects.prefetch_related("delegations").select_related("process"):
        try:
            config = channel_settings(mechanism)
        except ChannelConfigInvalid:
            logger.exception("channel settings invalid; link tests skipped")
            continue
        sides = sorted(mechanism.delegations.all(), key=lambda d: (d.kind != "party", d.code))
        if not config.link_test.enabled or len(sides) < 2:
            continue
        for index, side in enumerate(sides):
            last = (
                Message.objects.filter(
                    mechanism=mechanism, from_delegation=side, kind=Message.Kind.LINK_TEST
                )
                .order_by("-sent_at")
                .values_list("sent_at", flat=True)
                .first()
            )
            if last is not None and now - last < config.link_test.every:
                continue
            target = sides[(index + 1) % len(sides)]
            if link_test_send(mechanism=mechanism, from_side=side, to_side=target, now=now):
                sent += 1
    return sent
