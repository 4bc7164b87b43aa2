"""`make demo` in a real browser: a facilitator signs in and sees the architecture."""

import pytest

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

WORKING_GROUPS = ["WG-NUC", "WG-SAN", "WG-CMP", "WG-VER", "WG-IMP"]


def test_a_facilitator_sees_the_hlc_and_the_five_working_groups(page_for):
    page = page_for("pk-chair")
    assert page.locator('[data-body="HLC"] h3').inner_text().startswith("High-Level Committee")
    for code in WORKING_GROUPS:
        assert page.locator(f'[data-body="{code}"]').is_visible(), code
    assert page.locator("[data-mechanism]").count() == 3
    assert " of 60" in page.locator("[data-roadmap-day]").inner_text()
    # The htmx asset is served locally, from the registry install (no CDN).
    assert page.evaluate("typeof window.htmx") == "object"
    shot = screenshot(page, "home-facilitator")
    assert shot.stat().st_size > 20_000


def test_a_delegate_writes_an_internal_note_without_a_page_reload_and_iran_never_sees_it(
    page_for, demo_server
):
    page = page_for("us-expert")
    page.click('[data-body="WG-NUC"] a')
    page.wait_for_selector("#notes-panel")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#notes-panel textarea[name=text]", "Baseline: 3.67 per cent, to be confirmed")
    page.click("#notes-panel button[type=submit]")
    page.wait_for_selector("text=Baseline: 3.67 per cent")
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped, no reload
    screenshot(page, "body-wg-nuc-us-expert")

    iran = page_for("ir-expert")
    iran.goto(f"{demo_server}/bodies/WG-NUC/")
    iran.wait_for_selector("#notes-panel")
    assert "Baseline: 3.67" not in iran.content()
    iran.goto(f"{demo_server}/search/?q=baseline")
    assert "Baseline: 3.67" not in iran.content()


def test_a_persian_page_is_laid_out_right_to_left(page_for):
    page = page_for("ir-head")
    page.select_option("select[name=language]", "fa")
    page.wait_for_selector("html[dir=rtl]")
    assert page.locator("html").get_attribute("lang") == "fa"
    screenshot(page, "home-rtl-fa")


def test_a_body_timeline_updates_live_when_a_facilitator_records_a_milestone(page_for, demo_server):
    delegate = page_for("ir-expert")
    delegate.goto(f"{demo_server}/bodies/WG-IMP/")
    delegate.wait_for_selector("#live-status.connected")
    delegate.evaluate("window.__marker = 'same page'")

    facilitator = page_for("pk-chair")
    facilitator.click('tr[data-milestone="IMP-1"] button')
    facilitator.wait_for_selector('tr[data-milestone="IMP-1"] .status-met')

    delegate.wait_for_selector("[data-timeline] li[data-live]:has-text('Milestone IMP-1 met')")
    delegate.wait_for_selector('[data-milestone-status="IMP-1"].status-met')
    assert delegate.evaluate("window.__marker") == "same page"
    screenshot(delegate, "body-timeline-live")
