"""The divergence board, the Gantt chart and the HLC briefing in a real browser."""

import pytest

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


def test_the_divergence_board_shows_points_by_rung_and_hides_the_other_partys_fallback(
    page_for, demo_server
):
    page = page_for("pk-chair")
    page.goto(f"{demo_server}/divergences/")
    page.wait_for_selector("[data-board]")
    columns = page.locator("[data-rung]")
    assert [columns.nth(i).get_attribute("data-rung") for i in range(columns.count())] == [
        "working_groups",
        "HLC",
        "principals",
    ]
    assert page.locator('[data-rung="working_groups"] [data-divergence]').count() >= 3
    assert page.locator('[data-rung="HLC"] [data-divergence]').count() >= 1
    assert "days old" in page.locator("[data-divergence]").first.inner_text()
    assert "Fallback" not in page.content()  # facilitators see no party-internal position
    shot = screenshot(page, "divergences-board-facilitator")
    assert shot.stat().st_size > 20_000

    # The US sees its own fallback on a point; Iran, on the same page, never does.
    us = page_for("us-expert")
    us.goto(f"{demo_server}/divergences/")
    us.click("[data-divergence] a >> text=Enrichment ceiling")
    us.wait_for_selector('[data-position="US"][data-shared="false"]')
    assert "Fallback (US only)" in us.content()
    screenshot(us, "divergence-detail-us")
    iran = page_for("ir-expert")
    iran.goto(us.url)
    iran.wait_for_selector('[data-position="IR"]')
    assert "Fallback (US only)" not in iran.content()
    assert "Fallback (IR only)" in iran.content()


def test_the_roadmap_gantt_chart_marks_the_critical_path_and_an_extension(page_for, demo_server):
    page = page_for("qa-chair")
    # The home page: day N of 60, next milestones, critical path, forecast, charts.
    assert page.locator("[data-next-milestone]").count() == 5
    assert "HLC-2" in page.locator("[data-critical-path]").first.inner_text()
    assert page.locator("[data-forecast-body]").count() == 5
    page.click("details summary")
    assert page.locator("details svg.gantt").is_visible()
    screenshot(page, "home-roadmap-forecast")

    page.goto(f"{demo_server}/roadmap/")
    gantt = page.locator("[data-gantt] svg")
    gantt.wait_for()
    assert page.locator("[data-gantt] [data-gantt-milestone]").count() == 14
    critical = page.locator("[data-gantt] [data-critical='true']")
    assert critical.count() >= 3
    assert page.locator("[data-burndown] svg [data-series]").count() == 5

    page.select_option("[data-extend-form] select[name=code]", "IMP-2")
    page.fill("[data-extend-form] input[name=new_due_on]", "2027-01-08")
    page.fill("[data-extend-form] textarea[name=reason]", "Awaiting the compliance principles")
    page.fill("[data-extend-form] input[name=decision_ref]", "HLC session 2")
    page.click("[data-extend-form] button[type=submit]")
    page.wait_for_selector('[data-extension="IMP-2"]')
    assert page.locator("[data-gantt] [data-gantt-milestone='IMP-2'] .original-date").count() == 1
    assert page.locator('tr[data-milestone="IMP-2"] del.original-date').count() == 1
    gantt.scroll_into_view_if_needed()
    shot = screenshot(page, "roadmap-gantt-extended")
    assert shot.stat().st_size > 30_000


def test_the_hlc_briefing_page(page_for, demo_server):
    page = page_for("ir-head")
    page.goto(f"{demo_server}/reports/briefing/")
    page.wait_for_selector('[data-section="divergences"]')
    assert page.locator("[data-briefing-rung]").count() == 3
    screenshot(page, "hlc-briefing")
    pdf = page.request.get(f"{demo_server}/reports/briefing.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
