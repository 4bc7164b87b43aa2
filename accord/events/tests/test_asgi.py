"""``accord.asgi`` over real HTTP: how a request's answer leaves the server."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from accord.events.tests.feed_fixtures import World, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

LIVE_JS = Path(__file__).resolve().parents[1] / "static" / "events" / "live.js"


def test_an_answer_that_is_not_streamed_arrives_whole_after_its_thread_is_free(
    world: World, asgi_server: str
):
    client, session_key = session_cookie(world.us_user)
    expected = client.get("/api/me")
    cookies = {settings.SESSION_COOKIE_NAME: session_key}
    response = httpx.get(f"{asgi_server}/api/me", cookies=cookies, timeout=10)
    assert response.status_code == 200
    assert response.json() == expected.json()
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.headers["content-type"] == expected["Content-Type"]


def test_a_streamed_answer_a_file_still_arrives_chunk_by_chunk_and_whole(
    world: World, asgi_server: str
):
    response = httpx.get(f"{asgi_server}/static/events/live.js", timeout=10)
    assert response.status_code == 200
    assert response.content == LIVE_JS.read_bytes()


def test_a_refusal_arrives_whole_with_its_status(world: World, asgi_server: str):
    response = httpx.get(f"{asgi_server}/api/me", timeout=10)
    assert response.status_code == 401
    assert int(response.headers["content-length"]) == len(response.content)


def _timings(header: str) -> dict[str, float]:
    """``queue;dur=1.0, app;dur=2.0`` -> {"queue": 1.0, "app": 2.0}."""
    found = {}
    for metric in header.split(","):
        name, _, duration = metric.strip().partition(";dur=")
        found[name] = float(duration)
    return found


def test_with_server_timing_on_an_answer_says_where_its_time_went(
    world: World, asgi_server: str, settings
):
    settings.ACCORD_SERVER_TIMING = True
    _, session_key = session_cookie(world.us_user)
    cookies = {settings.SESSION_COOKIE_NAME: session_key}
    with httpx.Client(base_url=asgi_server, cookies=cookies, timeout=10) as client:
        client.get("/api/me")  # the request thread's database connection is open
        elapsed = time.perf_counter()
        response = client.get("/api/me")
        elapsed = (time.perf_counter() - elapsed) * 1000
    assert response.status_code == 200
    timings = _timings(response.headers["server-timing"])
    assert set(timings) == {"queue", "app", "cpu"}
    assert all(value >= 0 for value in timings.values())
    # Two database reads at least (session, user): the request ran, and took time.
    assert timings["app"] > 0 and timings["cpu"] > 0
    # What the server says it spent fits inside what the client waited.
    assert timings["queue"] + timings["app"] <= elapsed


def test_without_server_timing_no_answer_tells_how_busy_the_server_is(
    world: World, asgi_server: str
):
    assert not settings.ACCORD_SERVER_TIMING
    response = httpx.get(f"{asgi_server}/api/me", timeout=10)
    assert response.status_code == 401
    assert "server-timing" not in response.headers


def test_a_live_feed_asked_on_a_connection_that_carried_a_streamed_file_is_served(
    world: World, asgi_server: str
):
    """A file is streamed from its request thread; the stream asked next on the same
    keep-alive connection used to inherit that thread's finished hand-off to the event
    loop and answer 500 ("CurrentThreadExecutor already quit or is broken")."""
    # Given a signed-in browser that keeps its connection open
    _, session_key = session_cookie(world.us_user)
    cookies = {settings.SESSION_COOKIE_NAME: session_key}
    with httpx.Client(base_url=asgi_server, cookies=cookies, timeout=10) as client:
        statuses = []
        for _ in range(5):
            # When it loads a script (a streamed file) and then opens the live feed
            script = client.get("/static/events/live.js")
            assert script.status_code == 200
            with client.stream("GET", "/events/stream") as feed:
                statuses.append(feed.status_code)
    # Then every stream opens
    assert statuses == [200] * 5
