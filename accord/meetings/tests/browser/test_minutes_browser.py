"""The demo in a real browser: the rapporteur circulates the closing session's minutes,
each party approves them without a page reload, and a caucus stays with its party."""

import pytest

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

CLOSING = "High-Level Committee: closing session"


def _open_session(page, demo_server, title):
    page.goto(f"{demo_server}/meetings/")
    page.click(f"text={title}")
    page.wait_for_selector("#minutes-panel")


def test_the_rapporteur_circulates_minutes_and_each_party_approves(page_for, demo_server):
    rapporteur = page_for("pk-rapporteur")
    rapporteur.goto(f"{demo_server}/meetings/")
    assert "Lake Lucerne" in rapporteur.content()
    screenshot(rapporteur, "meetings-index-rapporteur")
    _open_session(rapporteur, demo_server, CLOSING)
    rapporteur.evaluate("window.__marker = 'same page'")
    rapporteur.wait_for_selector("#live-status.connected")
    rapporteur.fill(
        "#minutes-panel form[action$='/decisions'] input[name=text]",
        "The next round meets in Doha.",
    )
    rapporteur.click("#minutes-panel form[action$='/decisions'] button")
    rapporteur.wait_for_selector("text=The next round meets in Doha.")
    rapporteur.click("[data-action=circulate]")
    rapporteur.wait_for_selector("[data-minutes-status]:has-text('Circulated')")
    assert rapporteur.evaluate("window.__marker") == "same page"  # htmx, no reload
    assert rapporteur.locator(".approvals li.awaiting").count() == 2
    screenshot(rapporteur, "meetings-minutes-circulated")

    for username, waiting_after in (("us-head", 1), ("ir-head", 0)):
        delegate = page_for(username)
        _open_session(delegate, demo_server, CLOSING)
        delegate.evaluate("window.__marker = 'same page'")
        delegate.click("[data-action=approve]")
        delegate.wait_for_selector("[data-action=approve]", state="detached")
        assert delegate.evaluate("window.__marker") == "same page"
        assert delegate.locator(".approvals li.awaiting").count() == waiting_after
        screenshot(delegate, f"meetings-minutes-approved-by-{username}")
    assert "Approved" in delegate.locator("[data-minutes-status]").inner_text()
    # The rapporteur's page, left open, followed both approvals through the live feed.
    rapporteur.wait_for_selector("[data-minutes-status]:has-text('Approved')")
    assert rapporteur.evaluate("window.__marker") == "same page"
    assert rapporteur.locator(".approvals li.approved").count() == 2
    screenshot(rapporteur, "meetings-minutes-approved-live")


def test_iran_never_sees_the_us_caucus_and_the_us_sees_its_own(page_for, demo_server):
    iran = page_for("ir-head")
    iran.goto(f"{demo_server}/meetings/caucuses/")
    assert "Caucus with Iran" in iran.content()
    assert "Caucus with United States" not in iran.content()
    iran.goto(f"{demo_server}/search/?q=room+for+movement")
    assert "United States: room for movement" not in iran.content()
    assert "Iran: room for movement" in iran.content()
    screenshot(iran, "meetings-search-iran")

    us = page_for("us-head")
    us.goto(f"{demo_server}/meetings/caucuses/")
    us.click("text=Caucus with United States")
    us.wait_for_selector("#caucus-notes")
    assert "United States: room for movement" in us.content()
    assert "Caucus with Iran" not in us.content()
    screenshot(us, "meetings-caucus-us")


def test_my_calendar_shows_times_in_my_zone_and_hands_out_a_feed_url(page_for, demo_server):
    page = page_for("ir-head")
    page.goto(f"{demo_server}/meetings/calendar/")
    assert "Tehran" in page.content()
    page.click("text=Create a feed URL")
    url = page.locator("[data-feed-url]").input_value()
    assert "/meetings/calendar/cal_" in url
    screenshot(page, "meetings-calendar-iran")
    feed = page.request.get(url)
    assert feed.status == 200 and "BEGIN:VCALENDAR" in feed.text()
    assert "Caucus with Iran" not in feed.text() or "Caucus with United States" not in feed.text()
    assert "Caucus with United States" not in feed.text()


def test_a_session_page_in_persian_is_laid_out_right_to_left(page_for, demo_server):
    page = page_for("ir-expert")
    page.select_option("select[name=language]", "fa")
    page.wait_for_selector("html[dir=rtl]")
    page.goto(f"{demo_server}/meetings/")
    page.click("text=Nuclear matters: first meeting")
    page.wait_for_selector("#minutes-panel")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "Tehran" in page.locator("[data-your-time]").inner_text()
    screenshot(page, "meetings-session-rtl-fa")


def test_a_refused_agenda_item_shows_the_reason_above_the_agenda(page_for, demo_server):
    page = page_for("ir-expert")
    _open_session(page, demo_server, "Nuclear matters: first meeting")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#agenda-panel input[name=title]", "Sequencing")
    # The picker offers only valid subjects; a forged one is refused all the same.
    page.evaluate(
        "() => { const s = document.querySelector('#agenda-panel select[name=subject]');"
        " s.add(new Option('forged', 'treaty:1')); s.value = 'treaty:1'; }"
    )
    page.click("#agenda-panel form[action$='/agenda'] button")
    page.wait_for_selector("#agenda-panel .error-text")
    assert "may point at" in page.locator("#agenda-panel .error-text").inner_text()
    assert page.evaluate("window.__marker") == "same page"  # htmx, no reload
