"""Every page is accessible to WCAG 2.1 A and AA, as a delegate and as a facilitator.

axe-core (npm, pinned in package.json, served from node_modules as a static file: the
page's CSP allows it, no CDN) runs in the real browser on each page after it has
settled, with the WCAG 2.0/2.1 A and AA rules only. Any violation fails with the rule,
its impact and the elements it found (issue 18).
"""

import pytest

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

PAGES = ["/", "/roadmap/", "/drafting/", "/drafting/referrals/", "/divergences/",
         "/meetings/", "/meetings/action-items/", "/meetings/caucuses/", "/meetings/calendar/",
         "/channels/", "/notes/", "/bodies/WG-NUC/", "/bodies/HLC/", "/search/?q=enrichment",
         "/events/", "/reports/briefing/", "/analysis/", "/accounts/tokens/",
         "/accounts/settings/"]  # fmt: skip
# One of each kind of detail page, found from its list: a text, a divergence, a session.
DETAILS = {
    "/drafting/": "main a[href^='/drafting/'][href$='/']:not([href*='referrals'])",
    "/divergences/": "main a[href^='/divergences/'][href$='/']",
    "/meetings/": "main a[href^='/meetings/sessions/'][href$='/']",
}
AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


def _violations(page, demo_server: str) -> list[dict]:
    page.add_script_tag(url=f"{demo_server}/static/vendor/axe-core/axe.min.js")
    return page.evaluate(AXE)


@pytest.mark.parametrize("username", ["us-expert", "pk-chair"])
def test_every_page_has_no_wcag_2_1_aa_violation(page_for, demo_server, username):
    # Given a delegate or a facilitator, signed in
    page = page_for(username)
    paths = list(PAGES)
    for listing, link in DETAILS.items():
        page.goto(f"{demo_server}{listing}")
        paths.append(page.locator(link).first.get_attribute("href"))
    # When axe-core checks each page they are offered
    found = {}
    for path in paths:
        answer = page.goto(f"{demo_server}{path}")
        if answer is None or answer.status >= 400:
            continue  # a page this user is not offered
        page.wait_for_load_state("networkidle")
        found[path] = _violations(page, demo_server)
        if path == "/roadmap/":  # where the amber text was too light
            screenshot(page, f"accessibility-roadmap-{username}")
    # Then every page was checked and none breaks a WCAG 2.1 A/AA rule
    assert len(found) >= 17, sorted(found)
    assert all(path in found for path in paths[-len(DETAILS) :]), paths
    broken = [
        f"{path}: {v['rule']} ({v['impact']}) {v['nodes']}"
        for path, violations in found.items()
        for v in violations
    ]
    assert broken == [], "\n".join(broken)
