"""Under the Content-Security-Policy the pages still work and the browser refuses nothing.

A violation would mean a feature silently dead in production (an inline handler, a style
htmx injects): the browser reports each one as a ``securitypolicyviolation`` event,
collected here on every page a delegate and a facilitator open.
"""

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

PAGES = ["/", "/roadmap/", "/drafting/", "/divergences/", "/meetings/", "/meetings/calendar/",
         "/channels/", "/notes/", "/search/?q=enrichment", "/events/", "/reports/briefing/",
         "/api/docs"]  # fmt: skip
COLLECT = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " "
    + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


@pytest.mark.parametrize("username", ["pk-chair", "us-expert"])
def test_no_page_breaks_the_content_security_policy(page_for, demo_server, username):
    page = page_for(username)
    page.add_init_script(COLLECT)
    seen = {}
    for path in PAGES:
        answer = page.goto(f"{demo_server}{path}")
        if answer is None or answer.status >= 400:
            continue  # a page this user is not offered; the policy is what is checked here
        page.wait_for_load_state("networkidle")
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        seen[path] = page.evaluate("window.__violations")

    assert len(seen) >= 8, seen
    assert {path: found for path, found in seen.items() if found} == {}


def test_the_language_menu_still_switches_the_page_without_an_inline_handler(page_for, demo_server):
    page = page_for("pk-chair")
    page.goto(f"{demo_server}/")

    # The change handler submits the form: wait for that navigation, not for a load that
    # has already happened (the page is loaded before the select changes).
    with page.expect_navigation():
        page.select_option("select[name=language]", "fa")

    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, "language-fa-after-csp")
    # Back to English, waited for too: a choice left half-made would follow pk-chair into
    # the next test that signs in as them.
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
