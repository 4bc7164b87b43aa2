"""The de-confliction pages and API lists cost the same queries for 5 rows or 50, and are
read a page at a time (accord.pagination)."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from accord.channels.services.attachments import AttachmentUpload
from accord.deconfliction import services
from accord.deconfliction.models import Notification
from accord.deconfliction.tests.conftest import HOSPITAL, NEAR_HOSPITAL
from accord.testing.queries import link_to, query_counts

pytestmark = pytest.mark.django_db


def _sites(facilitator, org, count: int, start: int = 0) -> None:
    """``count`` sites imported (one bulk write) and transmitted (receipts for each party)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [35.2 + i / 1000, 33.27]},
            "properties": {"kind": "site", "title": f"Site {i:03}", "site_type": "school"},
        }
        for i in range(start, start + count)
    ]
    services.notifications_import(
        actor=facilitator,
        text=json.dumps({"type": "FeatureCollection", "features": features}),
        organisation=org.name,
    )
    for row in Notification.objects.filter(status=Notification.Status.SUBMITTED):
        services.notification_transmit(actor=facilitator, notification_id=row.public_id)


def _party_rows(member, count: int, window) -> None:
    """``count`` planned activities, checks and violation reports (with evidence) of the US."""
    for i in range(count):
        activity = services.activity_record(
            actor=member,
            title=f"Activity {i}",
            geometry=NEAR_HOSPITAL,
            buffer_m=0,
            starts_at=window[0],
            ends_at=window[1],
        )
        services.conflict_check(actor=member, activity_id=activity.public_id)
        services.violation_report(
            actor=member,
            occurred_at=timezone.now(),
            location=HOSPITAL,
            description=f"Report {i}",
            evidence=[AttachmentUpload(f"photo-{i}.txt", b"seen")],
        )


PARTY_URLS = (
    "/deconfliction/",
    "/deconfliction/reports",
    "/deconfliction/checks",
    "/api/deconfliction/notifications",
    "/api/deconfliction/notifications?status=in_force&kind=site",
    "/api/deconfliction/activities",
    "/api/deconfliction/checks",
    "/api/deconfliction/reports",
    "/api/deconfliction/determinations",
)
FACILITATOR_URLS = (
    "/deconfliction/",
    "/deconfliction/reports",
    "/api/deconfliction/notifications",
    "/api/deconfliction/organisations",
    "/api/deconfliction/reports",
    "/api/deconfliction/check-statistics",
)


def test_a_partys_pages_and_lists_cost_the_same_queries_for_5_rows_or_50(cast, org, window):
    # Given five sites, activities, checks and reports, and a US member reading
    _sites(cast["pk-duty"], org, 5)
    _party_rows(cast["us-member"], 5, window)
    client = Client()
    client.force_login(cast["us-member"])

    # When 45 more of each are written
    def grow():
        _sites(cast["pk-duty"], org, 45, start=5)
        _party_rows(cast["us-member"], 45, window)

    counts = query_counts(client, PARTY_URLS, grow)
    # Then each page and list costs what it did
    assert {url: b for url, (b, a) in counts.items() if a != b} == {}, counts


def test_the_facilitators_pages_and_lists_cost_the_same_queries_for_5_rows_or_50(cast, org, window):
    _sites(cast["pk-duty"], org, 5)
    _party_rows(cast["us-member"], 5, window)
    client = Client()
    client.force_login(cast["pk-duty"])

    def grow():
        _sites(cast["pk-duty"], org, 45, start=5)
        _party_rows(cast["us-member"], 45, window)

    counts = query_counts(client, FACILITATOR_URLS, grow)
    assert {url: b for url, (b, a) in counts.items() if a != b} == {}, counts


def test_the_notifications_are_read_fifty_at_a_time_newest_first_on_the_page_and_the_api(cast, org):
    # Given 52 sites
    _sites(cast["pk-duty"], org, 52)
    client = Client()
    client.force_login(cast["us-duty"])
    # When the API list is followed by its Link header
    first = client.get("/api/deconfliction/notifications")
    second = client.get(link_to(first, "next"))
    # Then the two pages hold each site once, the second the last two, with no next one
    assert (first.status_code, second.status_code) == (200, 200)
    titles = [row["title"] for row in first.json() + second.json()]
    assert len(first.json()) == 50
    assert sorted(titles) == [f"Site {i:03}" for i in range(52)]
    assert link_to(second, "next") is None
    assert {r["party"] for row in first.json() for r in row["receipts"]} == {"US"}
    # And the page shows fifty with an "Older" link that brings the rest
    page = client.get("/deconfliction/")
    assert page.status_code == 200
    assert len(page.context["notifications"]) == 50
    older = client.get("/deconfliction/", {"cursor": page.context["page"].older})
    assert older.status_code == 200
    assert len(older.context["notifications"]) == 2
    assert 'rel="prev"' in older.text
    assert client.get("/api/deconfliction/notifications", {"limit": 0}).status_code == 422
    assert client.get("/deconfliction/reports", {"cursor": "forged"}).status_code == 400
