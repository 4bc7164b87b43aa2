"""The shared map in a real browser, on a page of its own under the site's strict CSP:
layers from a fixture JSON, the legend, the list, the time slider, a click to the panel
and a live refresh. The page and the static files are served by Playwright's router from
this process (Django renders the include), so no server is started."""

import json
import mimetypes
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

HERE = Path(__file__).parent
ORIGIN = "http://map.test"


def _csp() -> str:
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _page_html() -> str:
    include = render_to_string(
        "geo/_map.html",
        {
            "map_id": "test-map",
            "label": "Test map of the Strait",
            "layers_url": "/layers.json",
            "refresh_url": "/live.json",
            "refresh_seconds": 1,
            "bounds": "56.1,26.35,56.8,26.75",
            "slider": True,
            "panel": True,
            "land": "50m",
        },
    )
    head = '<meta charset="utf-8"><title>Map</title>'
    body = f"<main>{include}</main>"
    return f'<!doctype html><html lang="en"><head>{head}</head><body>{body}</body></html>'


@pytest.fixture
def map_page(browser):
    live = {"moved": False}
    fixture = json.loads((HERE / "layers.json").read_text())
    vessels = next(layer for layer in fixture["layers"] if layer["name"] == "vessels")

    def serve(route):
        path = route.request.url[len(ORIGIN) :].split("?")[0]
        headers = {"Content-Security-Policy": _csp()}
        if path == "/map":
            route.fulfill(body=_page_html(), content_type="text/html", headers=headers)
        elif path == "/layers.json":
            route.fulfill(body=json.dumps(fixture), content_type="application/json")
        elif path == "/live.json":
            answer = (
                (HERE / "live.json").read_text()
                if live["moved"]
                else json.dumps({"layers": [vessels]})
            )
            route.fulfill(body=answer, content_type="application/json")
        elif path.startswith(settings.STATIC_URL):
            found = finders.find(path[len(settings.STATIC_URL) :])
            if not found:
                route.fulfill(status=404)
                return
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            route.fulfill(body=Path(found).read_bytes(), content_type=kind)
        else:
            route.fulfill(status=404)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{ORIGIN}/map")
    yield page, live, problems
    context.close()


def test_the_map_draws_its_layers_filters_by_time_selects_and_takes_live_updates(map_page):
    page, live, problems = map_page
    root = page.locator("#test-map")
    # Given the page with the map, when its layers are loaded, then all but the track's
    # past positions show (2 zones, 3 vessels, 1 line, 1 site), over Natural Earth's land
    expect(root).to_have_attribute("data-shown", "7")
    expect(page.get_by_role("region", name="Test map of the Strait")).to_be_visible()
    expect(root).to_have_attribute("data-land", "1")
    # and the legend names each layer and each affiliation by its label
    legend = root.locator(".geo-map__legend")
    for text in ("Zones", "Vessels", "Own navy", "Other navy", "Commercial", "Inbound lane"):
        expect(legend).to_contain_text(text)
    # and the slider says it is live
    expect(root.locator(".geo-map__slider output")).to_have_text("Live (2026-12-01 12:00 UTC)")
    screenshot(page, "geo-map-live")

    # When the list is opened, then it has one row per feature shown
    root.locator("summary").click()
    rows = root.locator(".geo-map__list tbody tr")
    expect(rows).to_have_count(7)
    expect(root.locator(".geo-map__list")).to_contain_text("Patrol One and Fast Craft")

    # When the slider goes back to 08:45, then the track's 08:30-09:30 position shows too
    root.locator(".geo-map__slider input").fill(str(45 * 60))
    expect(root.locator(".geo-map__slider output")).to_have_text("2026-12-01 08:45 UTC")
    expect(root).to_have_attribute("data-shown", "8")
    expect(root.locator(".geo-map__list")).to_contain_text("Patrol One at 08:30")
    # and at 10:05 the 10:00 report (held ten minutes) shows instead
    root.locator(".geo-map__slider input").fill(str(125 * 60))
    expect(root.locator(".geo-map__list")).to_contain_text("Patrol One at 10:00")
    expect(root.locator(".geo-map__list")).not_to_contain_text("Patrol One at 08:30")
    screenshot(page, "geo-map-replay")

    # When the vessel at the centre of the map is clicked, then the panel shows it
    canvas = root.locator(".geo-map__canvas")
    box = canvas.bounding_box()
    root.locator(".geo-map__slider input").fill("14400")  # back to live
    expect(root).to_have_attribute("data-shown", "7")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    panel = root.locator(".geo-map__panel")
    expect(panel.locator(".geo-map__panel-title")).to_have_text("Centre Star")
    expect(panel).to_contain_text("636000001")
    # and a row of the list selects its feature too (the keyboard's way)
    root.locator(".geo-map__pick", has_text="Test separation zone").click()
    expect(panel.locator(".geo-map__panel-title")).to_have_text("Test separation zone")
    expect(panel).to_contain_text("Drawn for the test")

    # When the live positions move, then the polled answer replaces the vessels' layer
    live["moved"] = True
    expect(root.locator(".geo-map__list")).to_contain_text("Late Arrival")
    expect(root).to_have_attribute("data-shown", "6")
    expect(rows).to_have_count(6)
    expect(rows.filter(has_text="Vessels")).to_have_count(2)
    screenshot(page, "geo-map-live-update")
    # and nothing was refused by the CSP or failed in the page
    assert problems == []
