"""My desk in a real browser: a duty officer's desk fills live when a FLASH arrives; a
pen-holder's and an expert's desks show what waits for them."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


def test_a_flash_arrives_live_on_the_duty_officer_s_desk(page_for, demo_server):
    # Given ir-duty has the home page open, and us-duty the hotline
    iran = page_for("ir-duty")
    us = page_for("us-duty")
    us.goto(f"{demo_server}/channels/DCC/")
    for page in (iran, us):
        expect(page.locator("#live-status")).to_have_class(re.compile("connected"))
    desk = iran.locator("#my-desk")
    expect(desk).to_be_visible()
    # When us-duty sends a FLASH to Iran
    text = f"Desk check {uuid.uuid4().hex[:6]}: armed vessel approaching the strait, hold fire"
    us.select_option("#precedence", "FLASH")
    us.fill("textarea[name=text]", text)
    us.click("#send")
    # Then it appears on ir-duty's desk without a reload: precedence, channel, first words
    item = desk.locator(".desk-item", has_text=text[:30])
    expect(item).to_be_visible(timeout=10_000)
    expect(item).to_contain_text("FLASH")
    expect(item).to_contain_text("DCC")
    expect(item.locator(".desk-deadline")).to_contain_text("by")
    expect(iran.locator("#desk-badge")).not_to_have_text("0")
    screenshot(iran, "desk-duty-officer-flash")
    # And the link leads to the message on the channel page
    href = item.locator("a").first.get_attribute("href")
    assert href is not None and "/channels/DCC/#msg-" in href
    # When ir-duty acknowledges it there (in a second tab)
    channel = iran.context.new_page()
    channel.goto(f"{demo_server}{href}")
    message = channel.locator(f"article#{href.split('#')[1]}")
    message.locator("[data-role=ack-form] button").click()
    expect(message.locator('[data-role="state"]')).to_have_text("acknowledged")
    # Then it leaves the desk on the home page, live
    expect(item).to_have_count(0, timeout=10_000)
    # And the sending side's desk shows nothing of it
    us.goto(f"{demo_server}/")
    expect(us.locator("#my-desk")).to_be_visible()
    expect(us.locator("#my-desk")).not_to_contain_text(text[:30])
    screenshot(us, "desk-sending-duty-officer")


def test_the_pen_holder_s_desk_lists_the_pending_proposals(page_for, demo_server):
    page = page_for("pk-chair")
    desk = page.locator("#my-desk")
    group = desk.locator('[data-desk-kind="drafting.proposal_to_decide"]')
    expect(group).to_be_visible()
    expect(group.locator(".desk-item").first).to_contain_text("proposal")
    screenshot(page, "desk-pen-holder")
    group.locator(".desk-item a").first.click()
    expect(page.locator("#proposals")).to_be_visible()


def test_the_expert_s_desk_lists_the_provisions_waiting_for_a_position(page_for, demo_server):
    page = page_for("ir-expert")
    desk = page.locator("#my-desk")
    group = desk.locator('[data-desk-kind="drafting.position_to_state"]')
    expect(group).to_be_visible()
    expect(group.locator(".desk-item").first).to_contain_text("position")
    expect(desk.locator('[data-desk-kind="drafting.proposal_to_decide"]')).to_have_count(0)
    screenshot(page, "desk-expert")
