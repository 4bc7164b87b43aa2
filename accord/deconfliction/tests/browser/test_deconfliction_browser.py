"""The de-confliction pages in a real browser: a party acknowledges receipt (not approval)."""

import datetime as dt
import math

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


def test_a_duty_officer_acknowledges_receipt_of_a_notified_site(page_for, demo_server):
    page = page_for("ir-duty")
    page.goto(f"{demo_server}/deconfliction/")
    expect(page.locator("[data-not-approval]")).to_contain_text("receipt is not approval")
    with page.expect_navigation():
        page.click("[data-pending] a >> text=Nabatieh school shelter")
    expect(page.locator("[data-not-approval]")).to_contain_text("Receipt is not approval.")
    with page.expect_navigation():
        page.click("[data-acknowledge]")
    expect(page.locator('[data-receipt="IR"]')).not_to_contain_text("not yet")
    assert page.locator("[data-acknowledge]").count() == 0
    screenshot(page, "deconfliction-notification-acknowledged")
    us = page_for("us-member")
    us.goto(f"{demo_server}/deconfliction/checks")
    expect(us.locator("[data-internal]")).to_be_visible()
    expect(us.locator("[data-checks] li")).to_have_count(1)
    screenshot(us, "deconfliction-checks-us")
    iran = page_for("ir-member")
    iran.goto(f"{demo_server}/deconfliction/checks")
    expect(iran.locator("[data-internal]")).to_be_visible()
    assert iran.locator("[data-checks]").count() == 0


def test_the_map_shows_sites_a_convoy_in_its_window_and_a_partys_own_check(page_for, demo_server):
    page = page_for("us-member")
    page.goto(f"{demo_server}/deconfliction/map")
    root = page.locator("#deconfliction-map")
    expect(
        page.get_by_role("region", name="Map of the Lebanon De-confliction Mechanism")
    ).to_be_visible()
    root.locator(".geo-map__alternative summary").click()
    listing = root.locator(".geo-map__list")
    expect(listing).to_contain_text("Tyre Government Hospital")
    expect(root.locator(".geo-map__legend")).to_contain_text("Published determinations")
    # When the slider moves into the convoy's window, then the convoy and the check show
    data = page.request.get(f"{demo_server}/deconfliction/map/layers.json").json()
    start = dt.datetime.fromisoformat(data["time"]["start"])
    [convoy] = next(layer for layer in data["layers"] if layer["name"] == "movements")["features"]
    offset = (dt.datetime.fromisoformat(convoy["properties"]["start"]) - start).total_seconds()
    step = data["time"]["step"]
    root.locator(".geo-map__slider input").fill(str(int(math.ceil((offset + 1800) / step) * step)))
    expect(listing).to_contain_text("Convoy Sidon to Nabatieh")
    expect(listing).to_contain_text("Your check")
    screenshot(page, "deconfliction-map-us-convoy-window")
    iran = page_for("ir-member")
    iran.goto(f"{demo_server}/deconfliction/map")
    iran.locator("#deconfliction-map .geo-map__alternative summary").click()
    expect(iran.locator("#deconfliction-map .geo-map__list")).to_contain_text(
        "Tyre Government Hospital"
    )
    assert "Your check" not in iran.locator("#deconfliction-map .geo-map__list").inner_text()
