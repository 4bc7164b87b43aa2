"""The vessels page in a real browser: a duty officer of the maritime channel sees the
picture an ingest left; someone outside the channel sees an empty table."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from accord.maritime import synthetic
from accord.testing.browser import screenshot
from accord.testing.browser_fixtures import demo_serving

pytestmark = [pytest.mark.browser, pytest.mark.own_server]


@pytest.fixture(scope="module")
def picture_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("maritime-demo")
    with demo_serving(data_dir) as url:
        # given a quarter of an hour of Strait traffic and a pair that meets, ingested
        recording = data_dir / "strait.aivdm"
        lines = list(synthetic.traffic(12, 0.25, box=synthetic.STRAIT, start=1_900_000_000))
        lines += synthetic.static_lines(422000901, "SAHAR", ship_type=80, at=1_900_000_000)
        lines += synthetic.static_lines(470000902, "DUBAI STAR", ship_type=70, at=1_900_000_000)
        lines.append(synthetic.position_line(422000901, 26.50, 56.30, 10, 0, at=1_900_000_900))
        lines.append(synthetic.position_line(470000902, 26.5667, 56.30, 10, 180, at=1_900_000_900))
        recording.write_text("\n".join(lines) + "\n")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["ACCORD_DATA_DIR"] = str(data_dir)
        accord = str(Path(sys.executable).parent / "accord")
        done = subprocess.run(
            [accord, "ais", "ingest", str(recording), "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        yield url


def _sign_in(browser, url, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "accord-demo")
    with page.expect_navigation():
        page.click("button[type=submit]")
    return context, page


def test_a_duty_officer_sees_vessels_and_the_encounter_and_an_outsider_sees_none(
    browser, picture_server
):
    from playwright.sync_api import expect

    context, page = _sign_in(browser, picture_server, "us-duty")
    page.goto(f"{picture_server}/maritime/")
    # The demo's own Strait is in the table too: this ingest's pair is there, once each.
    rows = page.locator("[data-vessels] tbody tr")
    expect(rows.filter(has_text="SAHAR")).to_have_count(1)
    expect(rows.filter(has_text="DUBAI STAR")).to_have_count(1)
    assert rows.count() >= 14
    ours = page.locator("[data-encounters] li").filter(has_text="SAHAR")
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text("DUBAI STAR")
    assert "IR" in page.locator("[data-vessels]").inner_text()  # flags from the MMSI
    shot = screenshot(page, "maritime-vessels-duty-officer")
    assert shot.stat().st_size > 20_000
    with page.expect_navigation():
        page.locator("[data-vessels] a", has_text="SAHAR").click()
    expect(page.locator("h1")).to_have_text("SAHAR")
    expect(page.locator("[data-track] tbody tr").first).to_contain_text("26.5")
    screenshot(page, "maritime-vessel-detail")
    context.close()

    context, outsider = _sign_in(browser, picture_server, "pk-chair")
    outsider.goto(f"{picture_server}/maritime/")
    expect(outsider.locator("[data-vessels] tbody")).to_contain_text("No vessel")
    assert "SAHAR" not in outsider.content()
    context.close()
