"""Every date that comes in is bounded where it enters: a 4xx, never a 500 or a stored 0001.

A session dated 0001-01-01 used to be stored (its create answered 500 from an overflow)
and then broke every page listing that body's sessions; ``?date=9999-12-31`` on the
briefing and ``?today=`` on the roadmap answered 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.dates import DATE_OUT_OF_RANGE, EARLIEST, LATEST, day_parse, moment_parse
from accord.errors import ValidationFailed
from accord.meetings.models import Round, Session

INVALID = ValidationFailed.case("test_dates.invalid", "Not a date.")
EXTREMES = ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"]
SESSION = {
    "title": "HLC plenary",
    "body": "HLC",
    "venue": "Palais des Nations",
    "venue_timezone": "Europe/Zurich",
    "starts_at": "2027-03-11T10:00",
    "ends_at": "2027-03-11T12:00",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _inputs(document: dict[str, Any], schema: dict[str, Any], where: str, seen: set[str]):
    """(where, schema) for every date or date-time inside an input schema."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return
        seen = seen | {name}
        schema = document["components"]["schemas"][name]
    if schema.get("format") in ("date", "date-time"):
        yield where, schema
    for key in ("anyOf", "allOf", "oneOf"):
        for option in schema.get(key, []):
            yield from _inputs(document, option, where, seen)
    for name, child in schema.get("properties", {}).items():
        yield from _inputs(document, child, f"{where}.{name}", seen)
    if "items" in schema:
        yield from _inputs(document, schema["items"], f"{where}[]", seen)


def test_every_date_the_api_takes_in_is_bounded(cast):
    document = _client(cast["pk-chair"]).get("/api/openapi.json").json()
    found, unbounded = [], []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            places = [
                (f"{method.upper()} {path} ?{p['name']}", p["schema"])
                for p in operation.get("parameters", [])
            ]
            body = operation.get("requestBody", {}).get("content", {})
            for content in body.values():
                places.append((f"{method.upper()} {path} body", content["schema"]))
            for where, schema in places:
                for field, date in _inputs(document, schema, where, set()):
                    found.append(field)
                    if (date.get("formatMinimum"), date.get("formatMaximum")) != (
                        EARLIEST.isoformat(),
                        LATEST.isoformat(),
                    ):
                        unbounded.append(field)
    assert len(found) >= 8, found  # rounds, sessions, action items, roadmap, briefing…
    assert unbounded == [], "use accord.dates.Day / Moment for: " + ", ".join(unbounded)


@pytest.mark.parametrize("day", EXTREMES)
def test_a_session_outside_the_range_is_refused_by_the_api_and_nothing_is_stored(cast, day):
    answer = _client(cast["pk-chair"]).post(
        "/api/meetings/sessions",
        SESSION | {"starts_at": f"{day}T10:00", "ends_at": f"{day}T12:00"},
        content_type="application/json",
    )

    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == "request.invalid"
    assert not Session.objects.exists()
    listing = _client(cast["us-head"]).get("/api/meetings/sessions")
    assert listing.status_code == 200


def test_a_session_outside_the_range_is_refused_by_the_form_with_the_range(cast):
    answer = _client(cast["pk-chair"]).post(
        reverse("meetings:session-new"),
        {
            "target": "body:HLC",
            "title": "Ancient",
            "venue": "Geneva",
            "venue_timezone": "Europe/Zurich",
            "starts_at": "0001-01-01T10:00",
            "ends_at": "0001-01-01T12:00",
        },
    )

    assert answer.status_code == 422
    assert "outside the dates Accord keeps" in answer.text
    assert not Session.objects.exists()


def test_a_round_outside_the_range_is_refused(cast):
    answer = _client(cast["pk-chair"]).post(
        "/api/meetings/rounds",
        {
            "title": "Round",
            "venue": "Doha",
            "venue_timezone": "Asia/Qatar",
            "starts_on": "9999-12-30",
            "ends_on": "9999-12-31",
        },
        content_type="application/json",
    )

    assert answer.status_code == 422
    assert not Round.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_briefing_and_the_roadmap_refuse_a_date_out_of_range(cast, day):
    chair = _client(cast["pk-chair"])

    page = chair.get(reverse("reports:briefing"), {"date": day})
    api = chair.get("/api/reports/briefing", {"date": day})
    roadmap = chair.get("/api/roadmap", {"today": day})
    overview = chair.get("/api/roadmap/overview", {"today": day})

    assert page.status_code == 422 and "outside the dates Accord keeps" in page.text
    assert api.status_code == 422, api.content
    assert roadmap.status_code == 422, roadmap.content
    assert overview.status_code == 422, overview.content


def test_a_charter_date_out_of_range_is_a_located_problem():
    from accord.process.charter.schema import as_date_value

    with pytest.raises(ValueError, match="outside the dates Accord keeps"):
        as_date_value("0001-01-01")
    assert as_date_value("2026-04-01").isoformat() == "2026-04-01"


def test_the_parsers_tell_a_bad_format_from_a_date_out_of_range():
    with pytest.raises(ValidationFailed) as bad:
        day_parse("12/01/2026", invalid=INVALID)
    assert bad.value.error_case is INVALID
    with pytest.raises(ValidationFailed) as far:
        moment_parse("9999-12-31T23:59", invalid=INVALID)
    assert far.value.error_case is DATE_OUT_OF_RANGE
    assert day_parse(" 2026-12-01 ", invalid=INVALID).isoformat() == "2026-12-01"
