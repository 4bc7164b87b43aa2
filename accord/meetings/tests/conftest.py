"""Fixtures of the meetings tests: sessions of the default process's bodies, a caucus."""

import datetime as dt

import pytest

from accord.meetings import services
from accord.process.models import Body

GENEVA = "Europe/Zurich"


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A naive wall-clock time on ``day`` (YYYY-MM-DD): read in the venue's zone."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute))


@pytest.fixture
def body(islamabad):
    def get(code: str) -> Body:
        return Body.objects.get(process=islamabad, code=code)

    return get


@pytest.fixture
def schedule(cast, body):
    """``schedule(body_code, day, hour=10, **kw)``: a session scheduled by pk-chair."""

    def make(code: str = "HLC", day: str = "2027-01-12", hour: int = 10, **kw):
        kw.setdefault("title", f"{code} session")
        kw.setdefault("venue", "Palais des Nations, Geneva")
        kw.setdefault("venue_timezone", GENEVA)
        return services.session_schedule(
            actor=kw.pop("actor", cast["pk-chair"]),
            body=code,
            starts_at=at(day, hour),
            ends_at=at(day, hour + 2),
            **kw,
        )

    return make


@pytest.fixture
def caucus(cast, islamabad):
    """``caucus(party_code)``: a caucus of pk-chair with that party's head."""

    def make(party: str = "US", day: str = "2027-01-13", **kw):
        kw.setdefault("title", f"Caucus with {party}")
        return services.session_schedule(
            actor=kw.pop("actor", cast["pk-chair"]),
            caucus_party=party,
            venue="Villa, Geneva",
            venue_timezone=GENEVA,
            starts_at=at(day, 15),
            ends_at=at(day, 16),
            **kw,
        )

    return make
