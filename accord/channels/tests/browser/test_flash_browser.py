"""Two signed-in duty officers in two browsers: a FLASH message alarms the receiver, who
acknowledges it, and the sender sees the acknowledgement live."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from accord.testing.browser import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser


def test_a_flash_message_alarms_the_other_side_and_its_acknowledgement_shows_live(
    page_for, demo_server
):
    us = page_for("us-duty")
    iran = page_for("ir-duty")
    for page in (us, iran):
        page.goto(f"{demo_server}/channels/DCC/")
        expect(page.locator("#live-status")).to_have_class(re.compile("connected"))
    # The officer on watch has interacted with the page (browsers allow sound after that).
    iran.click("h1")
    text = f"FLASH test {uuid.uuid4().hex[:6]}: unidentified aircraft heading east, confirm"

    us.select_option("#precedence", "FLASH")
    us.fill("textarea[name=text]", text)
    us.click("#send")
    sent = us.locator("article.msg", has_text=text)
    expect(sent).to_be_visible()
    expect(us.locator("#live-status")).to_have_class(re.compile("connected"))

    alarm = iran.locator("#alarm")
    expect(alarm).to_be_visible(timeout=10_000)
    expect(alarm).to_contain_text("FLASH from US")
    expect(alarm).to_contain_text(text)
    expect(iran.locator(".alarm-sound")).to_have_attribute("data-sound", "playing")
    received = iran.locator("article.msg", has_text=text)
    expect(received).to_be_visible()
    expect(sent.locator('[data-role="state"]')).to_have_text(re.compile("delivered|read"))
    screenshot(iran, "channels-flash-alarm-receiver")

    iran.click("#alarm .alarm-ack")
    expect(alarm).to_be_hidden()
    expect(received.locator('[data-role="state"]')).to_have_text("acknowledged")
    expect(iran.locator(".alarm-sound")).to_have_attribute("data-sound", "off")

    expect(sent.locator('[data-role="state"]')).to_have_text("acknowledged", timeout=10_000)
    expect(sent.locator('[data-role="ack-by"]')).to_contain_text("duty officer")
    screenshot(us, "channels-flash-acknowledged-sender")
    screenshot(iran, "channels-flash-acknowledged-receiver")

    us.goto(f"{demo_server}/channels/DCC/health")
    expect(us.locator("#ack-median")).not_to_have_text("—")
    screenshot(us, "channels-health")
    pdf = us.request.get(f"{demo_server}/channels/DCC/transcript.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment;")
    (ARTIFACTS / "channels-transcript-DCC.pdf").write_bytes(pdf.body())
