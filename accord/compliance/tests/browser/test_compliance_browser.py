"""The implementation report, a confidential finding published, and a sequence's
graph and Gantt chart, in a real browser (strict CSP: the charts are server-drawn SVG)."""

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


def test_a_confidential_finding_reaches_the_other_party_only_once_published(page_for, demo_server):
    # given the US head on the implementation report
    us = page_for("us-head")
    us.goto(f"{demo_server}/compliance/")
    expect(us.locator('[data-commitment="C-3"]')).to_be_visible()
    waiting = "United States is waiting on Iran for C-3"
    expect(us.locator("[data-tranches]")).to_contain_text(waiting)
    screenshot(us, "compliance-overview-us")
    # when the US head opens C-3: the verifier's confidential finding is not there
    with us.expect_navigation():
        us.click('[data-commitment="C-3"] a')
    commitment_url = us.url
    expect(us.locator("h1")).to_contain_text("C-3")
    assert us.locator("[data-report]").count() == 0
    assert "records not yet granted" not in us.content()
    # and the verifier, on the same page, sees it confidential and publishes it
    verifier = page_for("pk-verifier")
    verifier.goto(commitment_url)
    expect(verifier.locator("[data-report] .internal-banner")).to_be_visible()
    screenshot(verifier, "compliance-commitment-verifier")
    with verifier.expect_navigation():
        verifier.click("[data-publish]")
    expect(verifier.locator("[data-report]")).to_contain_text("published")
    # then the US head reads it, and the commitment carries its finding
    us.goto(commitment_url)
    expect(us.locator("[data-report]")).to_contain_text("Unable to verify")
    expect(us.locator("[data-status]")).to_have_text("Unable to verify")


def test_the_sequence_shows_its_graph_gantt_and_what_is_unlocked(page_for, demo_server):
    iran = page_for("ir-head")
    iran.goto(f"{demo_server}/compliance/")
    with iran.expect_navigation():
        iran.click("[data-sequences] a")
    expect(iran.locator("[data-graph] svg")).to_be_visible()
    expect(iran.locator("[data-gantt] svg")).to_be_visible()
    expect(iran.locator("[data-graph] [data-node='IMPLEMENTATION-DAY']")).to_be_visible()
    expect(iran.locator('[data-unlocked] [data-party="IR"]')).to_contain_text("C-3")
    expect(iran.locator("[data-critical-path]")).to_contain_text("IMPLEMENTATION-DAY")
    shot = screenshot(iran, "compliance-sequence-iran")
    assert shot.stat().st_size > 20_000
    # the dispute in its second stage, with the first stage's deadline kept
    iran.goto(f"{demo_server}/compliance/")
    with iran.expect_navigation():
        iran.click("[data-disputes] a")
    expect(iran.locator('[data-stage-row="ministers"]')).to_be_visible()
    expect(iran.locator('[data-stage-row="joint-commission"]')).to_contain_text("ended")
    screenshot(iran, "compliance-dispute-iran")
