"""The de-confliction page forms in a real browser: the reporting side adds evidence to
its report (SHA-256 shown, the other party sees nothing), a party records a planned
activity and checks it, the facilitators amend a notification."""

import datetime as dt
import hashlib
import json

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

EVIDENCE = b"Observer's log, 14:05 local: two rounds south-east of the hospital.\n"
AREA = {
    "type": "Polygon",
    "coordinates": [
        [[35.46, 33.36], [35.50, 33.36], [35.50, 33.39], [35.46, 33.39], [35.46, 33.36]]
    ],
}


def test_evidence_an_activity_and_an_amendment_from_the_pages(page_for, demo_server):
    # Given the US duty officer on its own report "Near Tyre"
    us = page_for("us-duty")
    us.goto(f"{demo_server}/deconfliction/reports")
    with us.expect_navigation():
        us.click("[data-reports] a >> text=Near Tyre")
    report_url = us.url
    # When they add an evidence file
    us.set_input_files(
        "[data-evidence-form] input[type=file]",
        files=[{"name": "observer-log.txt", "mimeType": "text/plain", "buffer": EVIDENCE}],
    )
    with us.expect_navigation():
        us.click("[data-add-evidence]")
    # Then it is listed with its SHA-256, and Iran cannot open the report
    expect(us.locator("[data-evidence]")).to_contain_text("observer-log.txt")
    expect(us.locator("[data-evidence]")).to_contain_text(hashlib.sha256(EVIDENCE).hexdigest())
    screenshot(us, "deconfliction-evidence-added")
    iran = page_for("ir-member")
    assert iran.request.get(report_url).status == 404

    # Given a US member on the checks page, when they record a planned activity and check it
    member = page_for("us-member")
    member.goto(f"{demo_server}/deconfliction/checks")
    member.click("[data-activity-form] summary")
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(hour=7, minute=0)
    form = member.locator("[data-activity-form] form")
    form.locator("input[name=title]").fill("Patrol Cedar near Nabatieh")
    form.locator("textarea[name=geometry]").fill(json.dumps(AREA))
    form.locator("input[name=buffer_m]").fill("300")
    form.locator("input[name=starts_at]").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=ends_at]").fill(
        (start + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    )
    with member.expect_navigation():
        form.locator("[data-record-activity]").click()
    activity = member.locator("[data-activities] li", has_text="Patrol Cedar near Nabatieh")
    expect(activity).to_be_visible()
    with member.expect_navigation():
        activity.locator("[data-check-activity]").click()
    # Then the check shows the shelter it comes near, with its distance
    expect(member.locator("[data-result]")).to_contain_text("Nabatieh school shelter")
    screenshot(member, "deconfliction-activity-checked")
    iran.goto(f"{demo_server}/deconfliction/checks")
    expect(iran.locator("[data-internal]")).to_be_visible()
    assert "Patrol Cedar" not in iran.content()

    # Given the facilitators on a submitted site, when they amend its buffer
    chair = page_for("pk-duty")
    chair.goto(f"{demo_server}/deconfliction/")
    with chair.expect_navigation():
        chair.click("[data-notifications] a >> text=Sidon warehouse")
    chair.click("[data-amend-form] summary")
    amend = chair.locator("[data-amend-form] form")
    expect(amend.locator("input[name=title]")).to_have_value("Sidon warehouse")
    amend.locator("input[name=title]").fill("Sidon warehouse (second hall)")
    amend.locator("input[name=buffer_m]").fill("250")
    with chair.expect_navigation():
        amend.locator("[data-amend]").click()
    # Then the amendment's page names what it amends
    expect(chair.locator("h1")).to_contain_text("Sidon warehouse (second hall)")
    expect(chair.locator("[data-amends]")).to_contain_text("Sidon warehouse")
    screenshot(chair, "deconfliction-amendment-recorded")
