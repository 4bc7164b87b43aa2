"""The pages: receipt is not approval, forms refuse with the reason, the demo shows."""

import pytest
from django.test import Client

from accord.deconfliction.demo import demo_content_ensure
from accord.deconfliction.models import Determination, Notification

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_notification_page_says_receipt_is_not_approval_and_offers_the_acknowledgement(
    cast, site
):
    response = _client(cast["us-duty"]).get(f"/deconfliction/notifications/{site.public_id}")
    assert response.status_code == 200
    assert b"Receipt is not approval." in response.content
    assert b"data-acknowledge" in response.content
    other = _client(cast["us-expert"]).get(f"/deconfliction/notifications/{site.public_id}")
    assert other.status_code == 200
    assert b"data-acknowledge" not in other.content


def test_acknowledging_from_the_page_records_the_receipt(cast, site):
    response = _client(cast["ir-duty"]).post(
        f"/deconfliction/notifications/{site.public_id}/acknowledge"
    )
    assert response.status_code == 302
    assert site.receipts.get(delegation__code="IR").acknowledged_at is not None


def test_a_refused_notification_comes_back_with_what_was_typed(cast, org):
    response = _client(cast["pk-duty"]).post(
        "/deconfliction/notifications/new",
        {
            "organisation": str(org.public_id),
            "kind": "site",
            "site_type": "school",
            "title": "School 4",
            "geometry": "{not json",
            "buffer_m": "100",
        },
    )
    assert response.status_code == 422
    assert b"School 4" in response.content
    assert b"not a valid geometry" in response.content


def test_the_demo_content_is_there_once_and_visible(cast, islamabad):
    demo_content_ensure(process=islamabad)
    demo_content_ensure(process=islamabad)
    assert Notification.objects.count() == 5
    assert Determination.objects.count() == 1
    response = _client(cast["us-head"]).get("/deconfliction/")
    assert response.status_code == 200
    assert b"Tyre Government Hospital" in response.content
    assert b"Sidon warehouse" not in response.content  # submitted, not yet transmitted
    assert (
        _client(cast["pk-chair"]).get("/deconfliction/").content.count(b"data-notification=") == 5
    )


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml"])
def test_the_exports_hold_what_the_reader_sees_and_nothing_submitted(cast, site, org, fmt):
    from accord.deconfliction import services
    from accord.deconfliction.tests.conftest import HOSPITAL

    services.notification_submit(
        actor=cast["pk-duty"],
        organisation_id=org.public_id,
        kind="site",
        title="Unsent clinic",
        site_type="clinic",
        geometry=HOSPITAL,
        buffer_m=100,
    )
    response = _client(cast["us-head"]).get(f"/deconfliction/export.{fmt}")
    assert response.status_code == 200
    assert b"Tyre Government Hospital" in response.content
    assert b"Unsent clinic" not in response.content
    facilitators = _client(cast["pk-chair"]).get(f"/deconfliction/export.{fmt}")
    assert b"Unsent clinic" in facilitators.content
