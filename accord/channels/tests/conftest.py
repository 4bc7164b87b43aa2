"""Fixtures for the channel tests: the default process, its cast, rosters on watch."""

import datetime as dt
import itertools

import pytest

from accord.channels import services
from accord.channels.demo import demo_rosters_ensure

_ids = itertools.count(1)


@pytest.fixture
def on_watch(cast, islamabad):
    """The demo cast with every side's duty officer on watch (head as DCC backup)."""
    demo_rosters_ensure(process=islamabad)
    return cast


@pytest.fixture
def send(on_watch):
    """``send(sender, text, precedence=..., channel=...)`` -> Message (unique client ids)."""

    def sender(username, text="Hello", precedence="ROUTINE", channel="DCC", now=None, **kw):
        message, _ = services.message_send(
            actor=on_watch[username],
            channel=channel,
            text=text,
            precedence=precedence,
            client_id=kw.pop("client_id", f"t-{next(_ids)}"),
            now=now,
            **kw,
        )
        return message

    return sender


T0 = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
