"""Fixtures for the incident tests: the cast on watch, vessels in the Strait, a reporter."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from accord.channels.demo import demo_rosters_ensure
from accord.incidents import services
from accord.incidents.services import ReportDraft
from accord.maritime.models import Vessel

_mmsi = itertools.count(422_100_001)


@pytest.fixture
def on_watch(cast, islamabad):
    """The demo cast with every side's duty officer on watch."""
    demo_rosters_ensure(process=islamabad)
    return cast


@pytest.fixture
def vessel(islamabad):
    """``vessel(name)`` -> a Vessel of the MCC's area (test data, as the ingest writes it)."""
    mcc = islamabad.mechanisms.get(code="MCC")

    def make(name="SAHAND", mmsi=None):
        now = timezone.now()
        return Vessel.objects.create(
            process=islamabad,
            mechanism=mcc,
            scope="mechanism:MCC",
            mmsi=mmsi or next(_mmsi),
            name=name,
            first_seen=now,
            last_seen=now,
        )

    return make


@pytest.fixture
def report(on_watch, vessel):
    """``report(username, category=..., **draft)`` -> an Incident reported on the MCC."""

    def reporter(username="us-duty", category="close_approach", vessels=(), **kw):
        draft = ReportDraft(
            category=category,
            occurred_at=kw.pop("occurred_at", timezone.now() - dt.timedelta(minutes=5)),
            latitude=kw.pop("latitude", 26.57),
            longitude=kw.pop("longitude", 56.25),
            description=kw.pop("description", "Fast craft closed to 300 yards at 30 knots."),
            vessel_ids=tuple(str(v.public_id) for v in vessels),
            **kw,
        )
        return services.incident_report(actor=on_watch[username], channel="MCC", draft=draft)

    return reporter
