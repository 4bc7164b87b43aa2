"""The zone of agreement in a real browser: a party's sliders, the facilitators' frontier."""

import pytest

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


def test_the_facilitators_see_the_frontier_chart_and_the_solutions(page_for, demo_server):
    # Given the demo (both parties' preferences shared on both texts)
    page = page_for("pk-rapporteur")
    # when the rapporteur follows the nav link to the framework's frontier
    page.goto(f"{demo_server}/")
    page.click("nav >> text=Zone of agreement")
    page.wait_for_selector("[data-analysis-texts]")
    page.locator("tr", has_text="Framework").locator("[data-frontier-link]").click()
    page.wait_for_selector("[data-charts] svg")
    # then the chart, the three solutions, the ZOPA and the frontier table are there
    assert page.locator("[data-charts] svg .frontier-point").count() >= 2
    assert page.locator("[data-solution]").count() == 3
    assert page.locator("[data-zopa]").count() == 1
    assert page.locator("[data-table]").count() >= 1
    shot = screenshot(page, "analysis-frontier-facilitator")
    assert shot.stat().st_size > 20_000
    # and choosing the Nash package shows the improvements over it (none: it is optimal)
    page.locator('[data-solution="nash"] a >> text=Choose').click()
    page.wait_for_selector('[data-improvements="0"]')
    screenshot(page, "analysis-frontier-nash-chosen")


def test_a_party_moves_its_sliders_and_never_reaches_the_frontier(page_for, demo_server):
    # Given the US head on its preferences for the framework
    us = page_for("us-head")
    us.goto(f"{demo_server}/analysis/")
    us.locator("tr", has_text="Framework").locator("text=Your preferences").click()
    us.wait_for_selector("[data-preferences-form]")
    assert us.locator('[data-consent="given"]').count() == 1
    # when they move the first weight to 100 and save
    us.locator("[data-preferences-form] input[type=range]").first.fill("100")
    us.click("text=Save preferences")
    us.wait_for_selector("[data-share]")
    # then the page shows the weights as shares of theirs
    assert "% of your weight" in us.content()
    # and the issues can be weighed two at a time instead
    us.click("[data-pairwise] summary")
    assert us.locator("[data-pairwise] select").count() == 3
    screenshot(us, "analysis-preferences-us")
    # and Iran, given the facilitators' URL, finds nothing there
    frontier = us.url.replace("/preferences", "/frontier")
    iran = page_for("ir-head")
    response = iran.goto(frontier)
    assert response is not None and response.status == 404
    assert "Facilitators only" not in iran.content()
