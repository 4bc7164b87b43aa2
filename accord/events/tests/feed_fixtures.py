"""Fixtures for the live feed: a real ASGI server, a small process, an SSE reader.

Tests that use ``asgi_server`` must be ``django_db(transaction=True)``: the server's
threads use their own connections, which see committed rows only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from django.conf import settings
from django.db import transaction
from django.test import Client

from accord.accounts.models import Appointment, Role, User
from accord.events.models import Event
from accord.events.services import event_append
from accord.process.models import Body, Delegation, Mechanism, Process

READ_TIMEOUT = 5.0  # seconds any single read from the server may take


@pytest.fixture
def asgi_server() -> Iterator[str]:
    """Serve ``accord.asgi:application`` with uvicorn on 127.0.0.1; yield the base URL."""
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        "accord.asgi:application",
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "the ASGI server thread died while starting"
        assert time.monotonic() < deadline, "the ASGI server did not start within 10 s"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        assert not thread.is_alive(), "the ASGI server did not stop within 10 s"


@pytest.fixture
def fast_feed(settings: Any) -> None:
    """Poll often and send keep-alives every second, so no read waits long."""
    settings.ACCORD_FEED_POLL_SECONDS = 0.05
    settings.ACCORD_FEED_KEEPALIVE_SECONDS = 1.0


@dataclass
class World:
    """One process with two parties, facilitators, a body X and a mechanism M."""

    process: Process
    other_process: Process
    us: Delegation
    ir: Delegation
    facilitators: Delegation
    body: Body
    mechanism: Mechanism
    us_user: User
    ir_user: User
    fac_user: User
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def append(
        self,
        *,
        scope: str = "shared",
        kind: str = "ThingHappened",
        process: Process | None = None,
        actor: User | None = None,
    ) -> Event:
        """Commit one event whose subject (``test:<n>``) and payload ``n`` are unique."""
        n = next(self._numbers)
        with transaction.atomic():
            return event_append(
                kind=kind,
                subject=f"test:{n}",
                scope=scope,
                payload={"n": n, "text": "line one\nline two"},
                actor=actor,
                process=process or self.process,
            )


def _process(code: str) -> Process:
    return Process.objects.create(
        code=code,
        name=f"Talks {code}",
        starts_on=dt.date(2026, 1, 1),
        roadmap_starts_on=dt.date(2026, 1, 1),
        roadmap_length_days=90,
    )


@pytest.fixture
def world(transactional_db: None) -> World:
    process = _process("talks")
    other = _process("other")
    us = Delegation.objects.create(process=process, code="US", name="US", kind="party")
    ir = Delegation.objects.create(process=process, code="IR", name="Iran", kind="party")
    fac = Delegation.objects.create(
        process=process, code="PK", name="Facilitators", kind="facilitator"
    )
    Delegation.objects.create(process=other, code="US", name="US elsewhere", kind="party")
    body = Body.objects.create(
        process=process,
        code="X",
        name="Working group X",
        kind="working_group",
        mandate="Work.",
        chair_arrangement="facilitated",
    )
    mechanism = Mechanism.objects.create(
        process=process, code="M", name="Line M", kind="direct", purpose="Talk."
    )

    def user(username: str, delegation: Delegation, display_name: str) -> User:
        return User.objects.create_user(
            username=username, delegation=delegation, display_name=display_name
        )

    us_user = user("us", us, "US Delegate")
    ir_user = user("ir", ir, "Iranian Delegate")
    fac_user = user("fac", fac, "Facilitator")
    Appointment.objects.create(user=us_user, role=Role.MEMBER, body=body)
    return World(process, other, us, ir, fac, body, mechanism, us_user, ir_user, fac_user)


def session_cookie(user: User) -> tuple[Client, str]:
    """Sign ``user`` in; return the test client that holds the session, and its key."""
    client = Client()
    client.force_login(user)
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


@dataclass
class SseEvent:
    id: str | None
    data: dict[str, Any]


class FeedReader:
    """Reads SSE frames from an open httpx streaming response, every read bounded."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.iter_lines()
        self.keep_alives = 0
        self.opening_id: str | None = None
        self.session: Client | None = None  # the Django test client holding the sign-in

    def next_frame(self) -> dict[str, Any] | None:
        """Return the next frame's fields (a comment as ``{":": text}``), or None at the end."""
        fields: dict[str, Any] = {}
        for line in self._lines:
            if line == "":
                if fields:
                    return fields
                continue
            if line.startswith(":"):
                self.keep_alives += 1
            name, _, value = line.partition(":")
            fields[name or ":"] = value.removeprefix(" ")
        return fields or None

    def next_event(self, within: float = READ_TIMEOUT) -> SseEvent:
        """Return the next event with data, skipping keep-alives; fail after ``within`` s."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            frame = self.next_frame()
            if frame is None:
                raise AssertionError("the stream ended while an event was expected")
            if "data" in frame:
                return SseEvent(frame.get("id"), json.loads(frame["data"]))
        raise AssertionError(f"no event arrived within {within} s")

    def events_until(self, subject: str, limit: int = 200) -> list[SseEvent]:
        """Read events up to and including the one about ``subject``."""
        received = []
        for _ in range(limit):
            received.append(self.next_event())
            if received[-1].data["subject"] == subject:
                return received
        raise AssertionError(f"{subject} did not arrive within {limit} events")

    def assert_ends(self, within: float = READ_TIMEOUT) -> None:
        """Assert the server ends the stream within ``within`` s without sending an event."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            frame = self.next_frame()
            if frame is None:
                return
            assert "data" not in frame, f"unexpected event after the end: {frame}"
        raise AssertionError(f"the stream did not end within {within} s")


FeedOpener = Callable[..., contextlib.AbstractContextManager[FeedReader]]


@pytest.fixture
def open_feed(asgi_server: str) -> FeedOpener:
    """Return ``open_feed(user, headers=..., params=...)``: a context manager that
    connects ``user`` to ``/events/stream`` and yields a ``FeedReader`` positioned after
    the opening frame (so the stream's start position is fixed before the test goes on).
    """

    @contextlib.contextmanager
    def opener(
        user: User, *, headers: dict[str, str] | None = None, params: dict[str, str] | None = None
    ) -> Iterator[FeedReader]:
        session, key = session_cookie(user)
        with (
            httpx.Client(
                base_url=asgi_server,
                cookies={settings.SESSION_COOKIE_NAME: key},
                timeout=httpx.Timeout(READ_TIMEOUT),
            ) as client,
            client.stream("GET", "/events/stream", headers=headers, params=params) as response,
        ):
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            reader = FeedReader(response)
            opening = reader.next_frame()
            assert opening is not None and opening.get("retry") == "2000", opening
            reader.opening_id = opening.get("id")
            reader.session = session
            yield reader

    return opener
