"""The agenda form in a real browser: the subject is found by typing its label, picked
from the list, and the agenda then names it, with a link."""

import pytest

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

SESSION = "Nuclear matters: first meeting"


def test_an_expert_finds_a_provision_by_its_label_and_puts_it_on_the_agenda(page_for, demo_server):
    page = page_for("ir-expert")
    page.goto(f"{demo_server}/meetings/")
    page.click(f"text={SESSION}")
    page.wait_for_selector("#agenda-panel select[name=subject] option", state="attached")
    page.fill("#agenda-panel input[name=title]", "Enrichment levels")
    page.fill("#agenda-panel input[name=subject_q]", "Article 1.1 annex")
    option = page.wait_for_selector(
        "#agenda-panel select[name=subject] option:has-text('Article 1.1')", state="attached"
    )
    page.select_option("#agenda-panel select[name=subject]", option.get_attribute("value"))
    screenshot(page, "meetings-agenda-subject-picked")
    page.click("#agenda-panel form[action$='/agenda'] button")
    link = page.wait_for_selector("#agenda-panel a.subject:has-text('Article 1.1 of')")
    assert "/drafting/provisions/" in link.get_attribute("href")
    assert "provision:" not in page.locator("#agenda-panel ol").inner_text()
    screenshot(page, "meetings-agenda-subject-named")


def test_a_bodys_timeline_reads_in_names_and_unambiguous_times(page_for, demo_server):
    page = page_for("pk-chair")
    page.goto(f"{demo_server}/bodies/WG-NUC/")
    page.wait_for_selector("ul.timeline")
    text = page.locator("ul.timeline").inner_text()
    assert "body:" not in text and "party:" not in text
    assert "PKT" in text
    screenshot(page, "body-timeline-names")
