"""A Word draft with tracked changes in a real browser: choose the file once, preview
the authors, map them to delegations, import; the changes are the delegations' proposals
and the footnote a real footnote."""

import pytest
from playwright.sync_api import expect

from accord.drafting.tests.test_reading import _docx, _p
from accord.drafting.tests.test_tracked_changes import _del, _ins, _run
from accord.testing.browser import screenshot
from accord.web.tests.browser.test_accessibility_browser import _violations

pytestmark = pytest.mark.browser


def _draft() -> bytes:
    return _docx(
        _p("Relief schedule, as reviewed", style="Title")
        + _p("Article 1 — Relief")
        + _p(
            "",
            inner=_run("1. Relief shall be ")
            + _del("Ana (United States)", "staged")
            + _ins("Ana (United States)", "phased")
            + _run(" and ")
            + _ins("Reza IR", "[prompt] ")
            + _run("reviewed")
            + '<w:r><w:footnoteReference w:id="2"/></w:r>'
            + _run("."),
        )
        + _p("2. Reports are [annual] ] and public.")
    )


def test_a_pen_holder_imports_a_reviewed_word_draft_as_the_delegations_proposals(
    page_for, demo_server, tmp_path
):
    path = tmp_path / "relief-reviewed.docx"
    path.write_bytes(_draft())
    page = page_for("qa-chair")
    page.goto(f"{demo_server}/drafting/import/")
    page.select_option("select[name=body]", "WG-SAN")
    page.set_input_files("input[name=file]", str(path))
    page.check("input[name=changes][value=propose]")
    with page.expect_navigation():
        page.click("button[name=preview]")
    authors = page.locator("[data-import-authors]")
    expect(authors).to_contain_text("Ana (United States) (2 changes, 1 proposal)")
    expect(authors).to_contain_text("Reza IR (1 change, 1 proposal)")
    expect(page.locator("[data-kept-file]")).to_contain_text("relief-reviewed.docx")
    expect(page.locator("[data-problem-line] mark")).to_have_text("]")
    expect(authors.locator("select").first).to_have_value("US")
    authors.locator("select").nth(1).select_option("IR")
    screenshot(page, "drafting-import-tracked-preview")
    assert _violations(page, demo_server) == []  # the marks and the authors' choices
    # Import without choosing the file again
    with page.expect_navigation():
        page.click("button.primary:has-text('Import')")
    expect(page.locator("h1")).to_contain_text("Relief schedule, as reviewed")
    proposals = page.locator("[data-proposal]")
    expect(proposals).to_have_count(2)
    expect(page.locator("[data-tracked-change]").first).to_contain_text(
        "From a tracked change in the imported Word file, by"
    )
    expect(page.locator("ol.footnotes li").first).to_contain_text("See A/79/1.")
    expect(page.locator("sup.fn-ref a").first).to_have_text("1")
    expect(proposals.first.locator(".fn-inline")).to_contain_text("See A/79/1.")
    expect(proposals.first).not_to_contain_text("{^")
    screenshot(page, "drafting-import-tracked-proposals")
    assert _violations(page, demo_server) == []  # the footnotes and the proposals
