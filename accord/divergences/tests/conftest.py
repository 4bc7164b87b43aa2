"""Fixtures of the divergence tests: a divergence in the nuclear working group."""

import datetime as dt

import pytest

from accord.divergences import services
from accord.process.models import Body

OPENED = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def wg_nuc(islamabad) -> Body:
    return Body.objects.get(process=islamabad, code="WG-NUC")


@pytest.fixture
def divergence(cast, wg_nuc):
    """Opened by the Pakistan chair on 20 Nov 2026 09:00 UTC: due at the HLC 14 days later."""
    return services.divergence_open(
        actor=cast["pk-chair"],
        body_code="WG-NUC",
        title="Enrichment ceiling during the first phase",
        description="Level and duration of the ceiling.",
        provisions=["provision:NUC-4.2"],
        now=OPENED,
    )
