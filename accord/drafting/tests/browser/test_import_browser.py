"""Importing a published draft in a real browser: paste, preview beside the text, import."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parents[2] / "samples" / "un_style_draft.txt"


def test_a_facilitator_previews_a_published_draft_then_imports_it(page_for, demo_server):
    page = page_for("pk-rapporteur")
    page.goto(f"{demo_server}/drafting/import/")
    page.fill("textarea[name=content]", SAMPLE.read_text())
    with page.expect_navigation():
        page.click("button[name=preview]")
    expect(page.locator("[data-import-counts]")).to_contain_text("113 provisions")
    expect(page.locator("[data-import-warnings]")).to_contain_text("Line 53 (Article 6.2)")
    expect(page.locator("textarea[name=content]")).to_have_value(SAMPLE.read_text())
    screenshot(page, "drafting-import-preview")
    page.fill("input[name=title]", "Freshwater draft, pasted")
    with page.expect_navigation():
        page.click("button.primary:has-text('Import')")
    expect(page.locator("h1")).to_contain_text("Freshwater draft, pasted")
    expect(page.locator("#import-report")).to_contain_text("a closing bracket has no opening")
    expect(page.locator("#document-text")).to_contain_text("Article 2 bis")
    screenshot(page, "drafting-imported-text")
