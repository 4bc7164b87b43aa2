"""The negotiating text in a real browser, on the real `accord demo` server."""

import re

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


def _open_annex(page, demo_server):
    page.goto(f"{demo_server}/drafting/")
    page.click("text=Annex I — Nuclear")
    page.wait_for_selector("#document-text")


def test_a_facilitator_resolves_a_bracket_and_a_delegate_sees_the_count_drop_live(
    page_for, demo_server
):
    delegate = page_for("ir-expert")
    _open_annex(delegate, demo_server)
    delegate.wait_for_selector("#live-status.connected")
    delegate.evaluate("window.__marker = 'same page'")
    before = int(delegate.inner_text("[data-bracket-total]"))
    assert before > 0
    screenshot(delegate, "drafting-annex-delegate-before")

    facilitator = page_for("pk-rapporteur")
    _open_annex(facilitator, demo_server)
    facilitator.evaluate("window.__marker = 'same page'")
    screenshot(facilitator, "drafting-annex-facilitator")
    facilitator.locator("[data-resolve]").first.click()
    # Waited on with a locator, not wait_for_function: that evaluates a string, which
    # the page's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
    expect(facilitator.locator("[data-bracket-total]")).to_have_text(str(before - 1))
    assert facilitator.evaluate("window.__marker") == "same page"  # htmx, no reload

    expect(delegate.locator("[data-bracket-total]")).to_have_text(str(before - 1), timeout=15_000)
    assert delegate.evaluate("window.__marker") == "same page"  # live, no reload
    screenshot(delegate, "drafting-annex-delegate-after")


def test_a_facilitator_edits_a_provision_in_place(page_for, demo_server):
    facilitator = page_for("pk-rapporteur")
    _open_annex(facilitator, demo_server)
    facilitator.evaluate("window.__marker = 'same page'")
    provision = facilitator.locator("li.provision", has_text="designated verifier shall have")
    provision.locator("button", has_text="Edit").click()
    form = facilitator.locator(".provision-form textarea[name=text]")
    form.fill("The designated verifier shall have [daily]{US}[scheduled]{IR} access.")
    facilitator.locator(".provision-form button.primary").click()
    facilitator.wait_for_selector(".provision-form", state="detached")
    assert facilitator.evaluate("window.__marker") == "same page"
    assert re.search(r"Option 2:\s*scheduled", facilitator.inner_text("#document-text"))


def test_the_list_and_the_diff_pages_render(page_for, demo_server):
    page = page_for("pk-chair")
    page.goto(f"{demo_server}/drafting/")
    page.wait_for_selector("[data-chart]")
    screenshot(page, "drafting-list")
    page.click("text=Comprehensive Agreement — Framework")
    page.click("text=Compare revisions")
    page.wait_for_selector("[data-diff-summary]")
    screenshot(page, "drafting-diff")


def test_a_refused_proposal_keeps_its_text_and_shows_the_error_beside_it(page_for, demo_server):
    # Given a US expert writing a proposal whose bracket is never closed
    delegate = page_for("us-expert")
    _open_annex(delegate, demo_server)
    form = delegate.locator("#propose-form")
    form.locator("select[name=kind]").select_option("replace")
    form.locator("select[name=provision]").select_option(label="Article 2.2")
    typed = "Uranium in excess of that amount shall be [down-blended"
    form.locator("textarea[name=text]").fill(typed)
    form.locator("textarea[name=justification]").fill("Keeps the stockpile low.")
    # When it is submitted
    form.locator("button.primary").click()
    delegate.wait_for_selector("#propose-text-error")
    # Then the form comes back as typed, the sentence under the wording, in view
    form = delegate.locator("#propose-form")
    assert form.locator("textarea[name=text]").input_value() == typed
    assert form.locator("textarea[name=justification]").input_value() == "Keeps the stockpile low."
    error = delegate.locator("#propose-text-error")
    assert "do not balance" in error.inner_text()
    assert error.get_attribute("role") == "alert"
    described = form.locator("textarea[name=text]").get_attribute("aria-describedby")
    assert described == "propose-text-error"
    assert delegate.evaluate("document.activeElement.name") == "text"
    delegate.locator("#propose").scroll_into_view_if_needed()
    path = screenshot(delegate, "drafting-refused-proposal")
    delegate.locator("#propose").screenshot(
        path=str(path.with_name("drafting-refused-proposal-form.png"))
    )
