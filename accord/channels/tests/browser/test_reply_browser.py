"""Acknowledging a FLASH with a reply (issue 13): the reply goes back ROUTINE, in the
language the officer wrote it in, and raises no alarm on the other side."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


def test_a_reply_to_a_flash_is_routine_in_the_officers_language_and_alarms_no_one(
    page_for, demo_server
):
    us = page_for("us-duty")
    iran = page_for("ir-duty")
    for page in (us, iran):
        page.goto(f"{demo_server}/channels/DCC/")
        expect(page.locator("#live-status")).to_have_class(re.compile("connected"))
    text = f"FLASH reply test {uuid.uuid4().hex[:6]}: confirm position"
    us.select_option("#precedence", "FLASH")
    us.fill("textarea[name=text]", text)
    us.click("#send")

    received = iran.locator("article.msg", has_text=text)
    expect(received).to_be_visible(timeout=10_000)
    form = received.locator('[data-role="ack-form"]')
    # Offered as the officer would want it: ROUTINE, in the language they write in.
    expect(form.locator("select[name=reply_precedence]")).to_have_value("ROUTINE")
    expect(form.locator("input[name=reply_language]")).to_have_value("fa")
    answer = f"Position confirmed {uuid.uuid4().hex[:4]}, all quiet."
    form.locator("input[name=reply]").fill(answer)
    form.locator("input[name=reply_language]").fill("en")
    form.locator("button[type=submit]").click()
    expect(received.locator('[data-role="state"]')).to_have_text("acknowledged")

    reply = us.locator("article.msg", has_text=answer)
    expect(reply).to_be_visible(timeout=10_000)
    expect(reply).to_have_attribute("data-precedence", "ROUTINE")
    expect(reply.locator(".lang")).to_have_text("en")
    expect(us.locator("#alarm")).to_be_hidden()  # a ROUTINE reply alarms no one
    screenshot(us, "channels-reply-routine-sender")
