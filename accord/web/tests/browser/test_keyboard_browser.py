"""The main flows with the keyboard alone, focus always visible (issue 18): state a
position, make a proposal, acknowledge a FLASH, approve minutes.

Each flow moves with Tab and Shift+Tab and acts with Enter, Space or typing, never a
click; at every element it acts on, the focused element must show a focus indicator
(a computed outline or box-shadow that is not none), and every form field on the page
must have a label (its accessible name). These tests change the demo (a position, a
proposal, an acknowledgement, an approval), so they run on a server of their own.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot
from accord.testing.browser_fixtures import demo_serving

pytestmark = [pytest.mark.browser, pytest.mark.own_server]

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  return {tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
          shadow: s.boxShadow};
}"""
IS_FOCUSED = "(target) => document.activeElement === target"
# Every visible form field with no accessible name: no <label>, aria-label or -labelledby.
UNLABELLED = """() => Array.from(document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]), select, textarea"))
  .filter((e) => e.offsetParent !== null)
  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute("aria-label")
                 && !e.getAttribute("aria-labelledby") && !e.getAttribute("title"))
  .map((e) => e.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with demo_serving(tmp_path_factory.mktemp("keyboard-demo")) as url:
        yield url


def _sign_in(browser, url: str, username: str):
    """Signed in with the keyboard: type the name, Tab, the password, Enter."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=username]").focus()  # the page's first field (autofocus)
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("accord-demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/")
    return page


def _focus_shown(page) -> dict:
    focused = page.evaluate(FOCUSED)
    assert focused is not None, "nothing has the focus"
    outline = focused["outline"] != "none" and focused["width"] > 0
    assert outline or focused["shadow"] != "none", focused
    return focused


def _tab_to(page, locator, *, back: bool = False, limit: int = 400) -> None:
    """Press Tab (Shift+Tab when ``back``) until ``locator`` has the focus, and check the
    focus shows at each step on the way as well as there."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate(FOCUSED) is not None:
            _focus_shown(page)
        if page.evaluate(IS_FOCUSED, target):
            return
    pytest.fail(f"{locator} never had the focus in {limit} presses of Tab")


def _labelled(page) -> None:
    assert page.evaluate(UNLABELLED) == []


def _first_text(page, url: str) -> str:
    page.goto(f"{url}/drafting/")
    return page.locator("table[data-documents] a").first.get_attribute("href")


def test_a_delegate_states_a_position_with_the_keyboard_alone(browser, server):
    # Given the US expert on the first text, every field labelled
    page = _sign_in(browser, server, "us-expert")
    page.goto(server + _first_text(page, server))
    _labelled(page)
    form = page.locator("form.position-form").first
    wid = form.evaluate("(f) => f.closest('li.provision').id")
    # When they Tab to the provision's position, type its first letters, Tab, press Enter
    _tab_to(page, form.locator("select"))
    page.keyboard.type("Rej")
    assert form.locator("select").input_value() == "reject"
    page.keyboard.press("Tab")
    assert _focus_shown(page)["tag"] == "BUTTON"
    screenshot(page, "keyboard-position-focus")
    page.keyboard.press("Enter")
    # Then the provision shows the US position, without a click
    stated = page.locator(f"li[id='{wid}'] .position.stance-reject", has_text="US:")
    expect(stated).to_have_text("US: Reject")
    screenshot(page, "keyboard-position-stated")


def test_a_delegate_makes_a_proposal_with_the_keyboard_alone(browser, server):
    # Given the US expert on the first text, its proposal form labelled
    page = _sign_in(browser, server, "us-expert")
    page.goto(server + _first_text(page, server))
    _labelled(page)
    form = page.locator("#propose-form")
    wording = f"The Parties shall consult each other, keyboard {uuid.uuid4().hex[:6]}."
    # When they Tab to each field and type, from the kind to the justification
    _tab_to(page, form.locator("select[name=kind]"))
    page.keyboard.type("Replace")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first provision after "—"
    assert form.locator("select[name=provision]").input_value() != ""
    _tab_to(page, form.locator("textarea[name=text]"))
    page.keyboard.type(wording)
    page.keyboard.press("Tab")
    _focus_shown(page)
    page.keyboard.type("Clearer, and shorter.")
    # (and Shift+Tab goes back to the wording, focus still shown)
    _tab_to(page, form.locator("textarea[name=text]"), back=True)
    _tab_to(page, form.locator("button[type=submit]"))
    screenshot(page, "keyboard-proposal-focus")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Then the proposal is listed, pending, on the text's page
    expect(page.locator("#proposals article.proposal", has_text=wording)).to_be_visible()
    screenshot(page, "keyboard-proposal-made")


def test_a_duty_officer_acknowledges_a_flash_with_the_keyboard_alone(browser, server):
    # Given the Iranian duty officer on the DCC, the alarm banners announced (role=alert)
    iran = _sign_in(browser, server, "ir-duty")
    iran.goto(f"{server}/channels/DCC/")
    expect(iran.locator("#live-status")).to_have_class(re.compile("connected"))
    _labelled(iran)
    assert iran.locator("#alarm").get_attribute("role") == "alert"
    assert iran.locator("#alerts").get_attribute("role") == "alert"
    # When the US duty officer sends a FLASH, with the keyboard too
    us = _sign_in(browser, server, "us-duty")
    us.goto(f"{server}/channels/DCC/")
    expect(us.locator("#live-status")).to_have_class(re.compile("connected"))
    text = f"FLASH by keyboard {uuid.uuid4().hex[:6]}: confirm the aircraft's heading"
    _tab_to(us, us.locator("#precedence"))
    us.keyboard.type("FLASH")
    assert us.locator("#precedence").input_value() == "FLASH"
    _tab_to(us, us.locator("#send-form textarea[name=text]"))
    us.keyboard.type(text)
    _tab_to(us, us.locator("#send"))
    us.keyboard.press("Enter")
    expect(us.locator("article.msg", has_text=text)).to_be_visible()
    # Then the alarm rises on the Iranian side, and Tab reaches its Acknowledge button
    alarm = iran.locator("#alarm")
    expect(alarm).to_be_visible(timeout=10_000)
    expect(alarm).to_contain_text(text)
    # And the user's setting silences it (kept on this device), the banner staying
    _tab_to(iran, alarm.locator(".alarm-mute"))
    iran.keyboard.press("Enter")
    expect(alarm.locator(".alarm-mute")).to_have_attribute("aria-pressed", "true")
    expect(alarm.locator(".alarm-sound")).to_have_attribute("data-sound", "silenced")
    expect(alarm).to_be_visible()
    _tab_to(iran, alarm.locator(".alarm-ack"), back=True)
    screenshot(iran, "keyboard-flash-focus")
    iran.keyboard.press("Space")
    # And it is acknowledged, on both sides
    expect(alarm).to_be_hidden()
    received = iran.locator("article.msg", has_text=text)
    expect(received.locator('[data-role="state"]')).to_have_text("acknowledged")
    sent = us.locator("article.msg", has_text=text)
    expect(sent.locator('[data-role="state"]')).to_have_text("acknowledged", timeout=10_000)


def test_a_head_of_delegation_approves_minutes_with_the_keyboard_alone(browser, server):
    # Given the US head on the session whose minutes were circulated (the opening one)
    page = _sign_in(browser, server, "us-head")
    page.goto(f"{server}/meetings/")
    page.goto(server + page.locator("a", has_text="opening session").first.get_attribute("href"))
    _labelled(page)
    approve = page.locator("[data-action=approve]")
    expect(approve).to_be_visible()
    # When they Tab to "Approve for United States" and press Enter
    _tab_to(page, approve)
    screenshot(page, "keyboard-minutes-focus")
    page.keyboard.press("Enter")
    # Then the approval is recorded (the panel swaps in place) and nothing is clicked
    expect(page.locator("[data-action=approve]")).to_have_count(0)
    expect(page.locator(".approvals li.approved")).to_have_count(1)
    screenshot(page, "keyboard-minutes-approved")
