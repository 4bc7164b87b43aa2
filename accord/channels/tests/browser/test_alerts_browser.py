"""Alerts on every page in a real browser: a FLASH reaches the receiving duty officer on
whatever page they have open, they acknowledge it from the banner, and the sender sees
the acknowledgement live (decision 0071)."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

# The bound: the banner is up on every open page within two seconds.
BANNER_WITHIN_MS = 2_000


def test_a_flash_raises_the_banner_on_every_page_of_the_receiver_until_acknowledged(
    page_for, demo_server
):
    # Given us-duty on the channel page, and ir-duty with the home page open in one
    # browser and the texts in another, all connected to the live feed
    us = page_for("us-duty")
    us.goto(f"{demo_server}/channels/DCC/")
    home = page_for("ir-duty")
    text_page = page_for("ir-duty")
    # (A duty officer sits in no body, so sees no text itself: the Texts page.)
    text_page.goto(f"{demo_server}/drafting/")
    for page in (us, home, text_page):
        expect(page.locator("#live-status")).to_have_class(re.compile("connected"))
    home.click("h1")  # the officer has used the page: browsers then allow its sound
    words = f"FLASH {uuid.uuid4().hex[:6]}: unidentified aircraft heading east, confirm"

    # When us-duty sends a FLASH to Iran
    us.select_option("#precedence", "FLASH")
    us.fill("textarea[name=text]", words)
    us.click("#send")
    sent = us.locator("article.msg", has_text=words)
    expect(sent).to_be_visible()

    # Then both of ir-duty's pages raise the banner with its words, and count it
    for page in (home, text_page):
        alert = page.locator("#alerts .alert", has_text=words)
        expect(alert).to_be_visible(timeout=BANNER_WITHIN_MS)
        expect(alert).to_contain_text("FLASH from US")
        expect(page.locator("#ack-badge")).to_be_visible()
    expect(home.locator(".alerts-sound")).to_have_attribute("data-sound", "playing")
    screenshot(home, "alerts-flash-home")
    screenshot(text_page, "alerts-flash-text")

    # And after a reload the banner is still there (rendered by the server)
    text_page.reload()
    expect(text_page.locator("#alerts .alert", has_text=words)).to_be_visible()

    # When ir-duty acknowledges from the banner of the home page
    home.locator("#alerts .alert", has_text=words).locator(".alert-ack").click()

    # Then the banner goes on both pages and the sender sees it acknowledged, live
    for page in (home, text_page):
        expect(page.locator("#alerts .alert", has_text=words)).to_have_count(0)
    expect(home.locator(".alerts-sound")).to_have_attribute("data-sound", "off")
    expect(sent.locator('[data-role="state"]')).to_have_text("acknowledged", timeout=10_000)
    screenshot(home, "alerts-acknowledged-home")
    screenshot(us, "alerts-acknowledged-sender")
