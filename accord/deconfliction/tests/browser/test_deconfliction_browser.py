"""The de-confliction pages in a real browser: a party acknowledges receipt (not approval)."""

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
