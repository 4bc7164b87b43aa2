"""The incident protocol in a real browser: the demo's incidents, acknowledged and agreed
by the other side, and each party's own view of a vessel."""

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


def test_the_protocol_moves_on_from_both_sides_and_each_party_keeps_its_view(page_for, demo_server):
    # The US duty officer: two incidents, one from Iran to acknowledge.
    us = page_for("us-duty")
    us.goto(f"{demo_server}/incidents/")
    rows = us.locator("[data-incidents] [data-incident]")
    expect(rows).to_have_count(2)
    with us.expect_navigation():
        us.click("[data-incidents] a >> text=INC-2")
    expect(us.locator("[data-acknowledge]")).to_be_visible()
    with us.expect_navigation():
        us.click("[data-acknowledge]")
    expect(us.locator("h1 + p [data-step]")).to_have_attribute("data-step", "acknowledged")
    screenshot(us, "incident-acknowledged-us")

    # The harassment incident: information exchanged, US proposal of de-escalation awaiting Iran.
    us.goto(f"{demo_server}/incidents/")
    with us.expect_navigation():
        us.click("[data-incidents] a >> text=INC-1")
    expect(us.locator("[data-proposed]")).to_be_visible()
    expect(
        us.locator('[data-protocol-step="de_escalation_agreed"] [data-deadline]')
    ).to_be_visible()
    expect(us.locator("[data-advance]")).to_have_count(0)
    incident_url = us.url
    with us.expect_navigation():
        us.click("[data-vessels] a >> text=US WARSHIP 101")
    expect(us.locator("[data-vessel-panel] [data-affiliation]")).to_have_attribute(
        "data-affiliation", "own_navy"
    )
    screenshot(us, "vessel-panel-us")

    # Iran agrees the de-escalation from the incident page.
    iran = page_for("ir-duty")
    iran.goto(incident_url)
    expect(iran.locator("[data-advance]")).to_have_text("Agree de-escalation")
    with iran.expect_navigation():
        iran.click("[data-advance]")
    expect(iran.locator("h1 + p [data-step]")).to_have_attribute(
        "data-step", "de_escalation_agreed"
    )
    screenshot(iran, "incident-de-escalation-agreed-ir")

    # Iran's panel of the lead fast craft: its own affiliation, none of the US's notes.
    with iran.expect_navigation():
        iran.click("[data-vessels] a >> text=FAST CRAFT 1")
    expect(iran.locator("[data-vessel-panel] [data-affiliation]")).to_have_attribute(
        "data-affiliation", "own_navy"
    )
    assert "mounted weapon" not in iran.content()
    us.goto(iran.url)
    expect(us.locator("[data-annotations]")).to_contain_text("mounted weapon")
    expect(us.locator("[data-vessel-panel] [data-affiliation]")).to_have_attribute(
        "data-affiliation", "fast_craft"
    )
