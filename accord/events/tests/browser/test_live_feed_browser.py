"""The live-feed page in a real Chromium: live.js connects and the page fills itself."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections

from accord.events.tests.feed_fixtures import World, session_cookie
from accord.testing.browser import launch, require_chromium, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_feed"),
]


@pytest.fixture
def page(asgi_server: str, world: World, monkeypatch):
    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    _, key = session_cookie(world.us_user)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1100, "height": 700})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": asgi_server}]
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        # While Playwright's event loop runs in this thread, Django keys connections by
        # async context, so the test's ORM calls got a connection of their own: close
        # it, or PostgreSQL refuses to drop the test database.
        connections.close_all()
        context.close()
        browser.close()


def test_the_feed_page_shows_new_visible_events_live_and_never_hidden_ones(
    page, asgi_server: str, world: World
):
    # Given the US delegate on the live-feed page, connected
    page.goto(f"{asgi_server}/events/")
    page.wait_for_selector("#live-status.connected")

    # When a hidden and a visible event are appended
    world.append(scope="party:IR", kind="IranNoteWritten")
    shown = world.append(scope="party:US", kind="NoteWritten", actor=world.us_user)

    # Then the visible one appears without a reload, and the hidden one never does
    item = page.wait_for_selector('#live-feed li[data-kind="NoteWritten"]')
    assert "Note written" in item.inner_text()  # a sentence, not the subject's code
    assert "internal" in item.inner_text()
    assert shown.subject not in item.inner_text()
    assert "Iran note written" not in page.inner_text("#live-feed")
    assert page.locator("#live-feed li").count() == 1
    screenshot(page, "events-live-feed")
