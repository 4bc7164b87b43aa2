"""Fixtures for the channel tests: the default process, its cast, rosters on watch."""

import datetime as dt
import itertools

import pytest
from django.conf import settings

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.channels import services
from accord.channels.demo import demo_rosters_ensure
from accord.process.services import charter_load

_ids = itertools.count(1)


@pytest.fixture
def on_watch(cast, islamabad):
    """The demo cast with every side's duty officer on watch (head as DCC backup)."""
    demo_rosters_ensure(process=islamabad)
    return cast


@pytest.fixture
def live_cast(transactional_db):
    """The demo cast on watch, committed: for tests against a live ASGI server."""
    process = charter_load(path=settings.ACCORD_DEFAULT_CHARTER).process
    demo_accounts_ensure(process=process)
    demo_rosters_ensure(process=process)
    return {u.username: u for u in User.objects.select_related("delegation")}


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
