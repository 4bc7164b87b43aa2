"""``accord.asgi`` over real HTTP: how a request's answer leaves the server."""

from __future__ import annotations

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
