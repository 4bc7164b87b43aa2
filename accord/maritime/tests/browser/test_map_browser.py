"""The live map page in a real browser: a duty officer sees the Strait's zones, the
vessels and their encounter, opens a vessel's panel, replays the last hours and watches
a vessel move when the ingest (``accord ais ingest``, another process, as in production)
writes a new batch. A demo server of its own: the test adds vessels to its database."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accord.maritime.tests.test_picture import _line
from accord.testing.browser import screenshot
from accord.testing.browser_fixtures import demo_serving

pytestmark = [pytest.mark.browser, pytest.mark.own_server]

ACCORD = str(Path(sys.executable).parent / "accord")
# The two vessels this test ingests (named by their MMSI: they send no static data). The
# demo's own synthetic Strait is on the same map, so rows are counted for these two only.
OURS = re.compile("422000001|470000002")


def _ingest(data_dir: Path, lines: list[str]) -> None:
    """Write the NMEA lines to a file and run ``accord ais ingest`` on the server's data."""
    path = data_dir / f"feed-{time.monotonic_ns()}.nmea"
    path.write_text("\n".join(lines) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"ACCORD_DATA_DIR": str(data_dir)}
    subprocess.run(
        [ACCORD, "ais", "ingest", str(path), "--json"], env=env, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def strait(tmp_path_factory):
    """A demo server whose channel has two vessels closing for the last two hours."""
    data_dir = tmp_path_factory.mktemp("maritime-map")
    with demo_serving(data_dir) as url:
        now = int(time.time())
        lines = []
        for minutes_ago in (120, 90, 60, 30, 5):
            t = now - minutes_ago * 60
            north = 26.5667 + 0.02 * minutes_ago / 60  # the southbound one, nearing
            lines += [
                _line(t, 422000001, 26.50, 56.30, 10, 0),
                _line(t, 470000002, north, 56.30, 10, 180),
            ]
        _ingest(data_dir, lines)
        yield url, data_dir, now


def test_a_duty_officer_watches_the_strait_replays_it_and_sees_a_vessel_move(browser, strait):
    url, data_dir, now = strait
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "ir-duty")
    page.fill("input[name=password]", "accord-demo")
    with page.expect_navigation():
        page.click("button[type=submit]")
    # When the duty officer opens the live map
    page.goto(f"{url}/maritime/map/MCC/")
    root = page.locator("#maritime-map")
    # then the zones, the two vessels and their predicted closest approach are drawn
    expect(root).to_have_attribute("data-land", "1")
    name = "Live picture of Maritime Communication Channel"
    expect(page.get_by_role("region", name=name)).to_be_visible()
    root.locator("summary").click()
    listing = root.locator(".geo-map__list")
    expect(listing.locator("tr", has_text="Vessels").filter(has_text=OURS)).to_have_count(2)
    expect(listing).to_contain_text("Separation zone")
    encounter = listing.locator("tr", has_text="Predicted closest approach").filter(has_text=OURS)
    expect(encounter).to_have_count(1)
    expect(root.locator(".geo-map__slider output")).to_contain_text("Live")
    # and the demo's incidents, each with its category and where it stands
    harassment = listing.locator("tr", has_text="Incidents").filter(
        has_text="Harassment by fast craft"
    )
    expect(harassment).to_contain_text("Information exchanged")
    expect(
        listing.locator("tr", has_text="Incidents").filter(has_text="GNSS interference")
    ).to_contain_text("Reported")
    screenshot(page, "maritime-map-live")
    harassment.locator(".geo-map__pick").first.click()
    panel = root.locator(".geo-map__panel")
    expect(panel).to_contain_text("Status")
    expect(panel).to_contain_text("Information exchanged")
    expect(panel.locator("a.geo-map__panel-link")).to_have_attribute(
        "href", re.compile(r"^/incidents/[0-9a-f-]+/$")
    )
    screenshot(page, "maritime-map-incident")
    # and a vessel's row opens its panel, with a link to its page
    listing.locator("tr", has_text="Vessels").filter(has_text=OURS).locator(
        ".geo-map__pick"
    ).first.click()
    expect(panel).to_contain_text("MMSI")
    expect(panel.locator("a.geo-map__panel-link")).to_have_attribute(
        "href", re.compile(r"^/maritime/vessels/[0-9a-f-]+/$")
    )

    # When the slider goes back an hour and a half, then the replay shows them there
    slider = root.locator(".geo-map__slider input")
    slider.fill(str(90 * 60))
    replayed = listing.locator("tr", has_text="Replayed positions").filter(has_text=OURS)
    expect(replayed).to_have_count(2)
    expect(listing.locator("tr", has_text="Vessels")).to_have_count(0)
    screenshot(page, "maritime-map-replay")
    slider.fill(slider.get_attribute("max"))
    expect(listing.locator("tr", has_text="Vessels").filter(has_text=OURS)).to_have_count(2)

    # When the ingest writes a new batch, then the next frame moves the vessel
    _ingest(data_dir, [_line(now, 470000002, 26.5400, 56.30, 10, 180)])
    expect(listing).to_contain_text("26.5400, 56.3000")
    screenshot(page, "maritime-map-moved")
    assert problems == []
    context.close()
