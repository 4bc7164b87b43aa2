"""Fixtures of the de-confliction tests: an organisation, a transmitted site, a movement."""

import datetime as dt

import pytest
from django.utils import timezone

from accord.deconfliction import services

HOSPITAL = {"type": "Point", "coordinates": [35.2038, 33.2705]}
ROUTE = {"type": "LineString", "coordinates": [[35.3729, 33.5631], [35.4836, 33.3772]]}
NEAR_HOSPITAL = {
    "type": "Polygon",
    "coordinates": [
        [[35.200, 33.268], [35.207, 33.268], [35.207, 33.273], [35.200, 33.273], [35.200, 33.268]]
    ],
}
FAR_AWAY = {
    "type": "Polygon",
    "coordinates": [
        [[35.60, 33.50], [35.61, 33.50], [35.61, 33.51], [35.60, 33.51], [35.60, 33.50]]
    ],
}


@pytest.fixture
def org(cast):
    return services.organisation_register(actor=cast["pk-duty"], name="UN OCHA Lebanon")


@pytest.fixture
def site(cast, org):
    row = services.notification_submit(
        actor=cast["pk-duty"],
        organisation_id=org.public_id,
        kind="site",
        title="Tyre Government Hospital",
        site_type="hospital",
        geometry=HOSPITAL,
        buffer_m=300,
    )
    return services.notification_transmit(actor=cast["pk-duty"], notification_id=row.public_id)


@pytest.fixture
def window():
    start = timezone.now() + dt.timedelta(days=3)
    return start, start + dt.timedelta(hours=6)


@pytest.fixture
def movement(cast, org, window):
    row = services.notification_submit(
        actor=cast["pk-duty"],
        organisation_id=org.public_id,
        kind="movement",
        title="Convoy Sidon - Nabatieh",
        geometry=ROUTE,
        buffer_m=400,
        starts_at=window[0],
        ends_at=window[1],
    )
    return services.notification_transmit(actor=cast["pk-duty"], notification_id=row.public_id)


@pytest.fixture(autouse=True)
def _fresh_index():
    """Each test starts with no cached conflict index (its rows are rolled back after)."""
    from accord.deconfliction.services.checks import index_forget

    index_forget()
    yield
    index_forget()
