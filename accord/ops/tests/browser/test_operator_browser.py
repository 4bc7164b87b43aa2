"""The operator's landing page in a real browser, against `accord demo`."""

import uuid

import pytest

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser


# Every Content-Security-Policy violation the page raises, collected from its first script.
COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _sign_in(browser, demo_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    page.goto(f"{demo_server}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "accord-demo")
    page.click("button[type=submit]")
    return context, page


def test_the_operator_lands_on_health_and_people_and_creates_a_person(browser, demo_server):
    context, page = _sign_in(browser, demo_server, "operator")
    try:
        page.wait_for_url(f"{demo_server}/ops/")
        page.wait_for_selector("[data-health]")
        assert "You are not a participant" not in page.content()
        assert page.locator("[data-health-item]").count() == 4
        assert "Reachable" in page.locator('[data-health-item="database"]').inner_text()
        nav = page.locator("nav").inner_text()
        assert "Operations" in nav and "Admin" in nav
        assert "Roadmap" not in nav and "Meetings" not in nav
        # Its styles are in accord.css: the policy refuses an inline <style>, which once
        # left the delegation select wider than its card.
        assert page.evaluate("window.__violations") == []
        card = page.locator('[data-form="person-create"]').bounding_box()
        select = page.locator('[data-form="person-create"] select[name=delegation]').bounding_box()
        assert card and select
        assert select["x"] + select["width"] <= card["x"] + card["width"]
        screenshot(page, "ops-landing")

        name = f"us-legal-{uuid.uuid4().hex[:6]}"  # a fresh name: the demo server is shared
        form = page.locator('[data-form="person-create"]')
        form.locator("input[name=username]").fill(name)
        form.locator("input[name=display_name]").fill("US legal adviser")
        form.locator("select[name=delegation]").select_option("US@islamabad-mou")
        form.locator("input[name=password]").fill("a long password")
        form.locator("button[type=submit]").click()
        page.wait_for_selector(f'[data-person="{name}"]')
        assert f"{name} can now sign in." in page.content()
        screenshot(page, "ops-person-created")

        page.goto(f"{demo_server}/admin/")
        assert page.locator("#site-name, h1").first.is_visible()
    finally:
        context.close()


def test_a_participant_cannot_open_the_operators_page(browser, demo_server):
    context, page = _sign_in(browser, demo_server, "us-duty")
    try:
        page.wait_for_url(f"{demo_server}/")
        assert "Operations" not in page.locator("nav").inner_text()
        answer = page.goto(f"{demo_server}/ops/")
        assert answer is not None and answer.status == 404
        assert "There is no such page." in page.content()
    finally:
        context.close()
