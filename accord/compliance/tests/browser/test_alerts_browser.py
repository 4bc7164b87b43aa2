"""A compliance clock run out is a red alert on every page for those it concerns, and
nothing for the other party; the commitment's timeline and the dispute's two clocks."""

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => v.id + " " + v.nodes.map((n) => n.target.join(" ")));
}"""


def _violations(page, demo_server: str) -> list[str]:
    page.add_script_tag(url=f"{demo_server}/static/vendor/axe-core/axe.min.js")
    return page.evaluate(AXE)


def test_iran_sees_the_red_alert_on_any_page_and_the_us_sees_nothing(page_for, demo_server):
    # Given the demo's access request on Iran's records, its 14 days run out
    iran = page_for("ir-head")
    iran.goto(f"{demo_server}/notes/")
    clock = iran.locator("#alerts-clocks .alert-clock")
    # Then Iran's head sees the red alert on a page that has nothing to do with it
    expect(clock).to_have_count(1)
    expect(clock).to_contain_text("Access request on C-")
    expect(clock).to_contain_text("Waiting for the joint body to decide")
    expect(iran.locator("#alerts")).to_be_visible()
    screenshot(iran, "compliance-alert-iran-notes")
    # When they follow it, the commitment's page tells its story in sentences
    with iran.expect_navigation():
        clock.locator("a.alert-open").click()
    expect(iran.locator("h1")).to_contain_text("C-")
    expect(iran.locator("ul.timeline")).to_contain_text("Access requested to verify commitment")
    screenshot(iran, "compliance-commitment-timeline-iran")
    assert _violations(iran, demo_server) == []
    # And the US head, on the same pages, sees no alert and no trace of the request
    us = page_for("us-head")
    us.goto(f"{demo_server}/notes/")
    expect(us.locator("h1")).to_be_visible()
    expect(us.locator("#alerts-clocks")).to_have_count(0)
    us.goto(iran.url)
    expect(us.locator("ul.timeline")).to_be_visible()
    expect(us.locator("ul.timeline")).not_to_contain_text("Access requested")
    assert "Feed-and-withdrawal" not in us.content()
    screenshot(us, "compliance-commitment-timeline-us")


def test_the_dispute_shows_the_ministers_and_the_advisory_board_side_by_side(page_for, demo_server):
    chair = page_for("pk-chair")
    chair.goto(f"{demo_server}/compliance/")
    with chair.expect_navigation():
        chair.click("[data-disputes] a")
    expect(chair.locator("[data-stage]")).to_have_count(2)
    expect(
        chair.locator('[data-stage-row="advisory-board"] [data-opened-as="parallel"]')
    ).to_be_visible()
    expect(chair.locator('[data-end-stage="ministers"]')).to_be_visible()
    expect(chair.locator('[data-end-stage="advisory-board"]')).to_be_visible()
    screenshot(chair, "compliance-dispute-parallel-chair")
    assert _violations(chair, demo_server) == []
    chair.goto(f"{demo_server}/compliance/#convening")
    expect(chair.locator("[data-convenings]")).to_contain_text("oil export waivers")
    expect(chair.locator("[data-convened]")).to_be_visible()
    screenshot(chair, "compliance-convening-chair")
    assert _violations(chair, demo_server) == []
