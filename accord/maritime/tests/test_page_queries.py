"""The maritime API's lists cost the same queries for 5 rows or 50, and are read a page
at a time through ``accord.pagination``."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accord.maritime.models import Encounter, Vessel, VesselAlert, VesselPosition
from accord.testing.queries import link_to, query_counts

pytestmark = pytest.mark.django_db
URLS = (
    "/api/maritime/vessels",
    "/api/maritime/positions",
    "/api/maritime/encounters",
    "/api/maritime/alerts",
)


def _grow(mcc, count: int, start: int = 0) -> None:
    """``count`` vessels (as the ingest writes them) with a position, and as many
    encounters and open alerts."""
    now = timezone.now()
    made = []
    for k in range(start, start + count):
        at = now - dt.timedelta(seconds=k)
        made.append(
            Vessel.objects.create(
                process=mcc.process, mechanism=mcc, scope="mechanism:MCC", mmsi=422_300_000 + k,
                name=f"SHIP {k:03}", first_seen=at, last_seen=at,
            )
        )  # fmt: skip
    for k, ship in enumerate(made):
        VesselPosition.objects.create(
            vessel=ship, mechanism=mcc, at=now, lat=26.5, lon=56.3, sog=10.0, cog=90.0,
            under_way=True, updated_at=now + dt.timedelta(microseconds=start + k),
        )  # fmt: skip
        other = made[k - 1] if k else ship
        Encounter.objects.create(
            process=mcc.process, mechanism=mcc, scope="mechanism:MCC", vessel_a=ship,
            vessel_b=other, rule="close_approach", cpa_nm=0.3, cpa_at=now, cpa_lat=26.5,
            cpa_lon=56.3, detected_at=now, updated_at=now,
        )  # fmt: skip
        VesselAlert.objects.create(
            process=mcc.process, mechanism=mcc, scope="mechanism:MCC", vessel=ship,
            kind=VesselAlert.Kind.DARK, started_at=now,
        )  # fmt: skip


def test_the_maritime_api_lists_cost_the_same_queries_for_5_rows_or_50(cast, mcc):
    # given five vessels, encounters and alerts, and a duty officer of the channel
    _grow(mcc, 5)
    client = Client()
    client.force_login(cast["us-duty"])
    # when 45 more of each come
    counts = query_counts(client, URLS, lambda: _grow(mcc, 45, start=5))
    # then each list costs what it did
    for url, (before, after) in counts.items():
        assert before == after, url


def test_the_maritime_api_lists_are_read_a_page_at_a_time(cast, mcc):
    # given 12 vessels (and their positions, encounters and alerts)
    _grow(mcc, 12)
    client = Client()
    client.force_login(cast["ir-duty"])
    for url in URLS:
        # when a list is read five at a time, following its Link header
        seen, link, pages = [], f"{url}?limit=5", 0
        while link:
            answer = client.get(link)
            assert answer.status_code == 200, url
            rows = answer.json()
            assert len(rows) <= 5
            seen += [row.get("id") or row.get("vessel") or row.get("mmsi") for row in rows]
            link, pages = link_to(answer, "next"), pages + 1
        # then every row comes once, in three pages
        assert len(seen) == len(set(seen)) == 12, url
        assert pages == 3, url
    # and a forged cursor or a limit too large is refused as the house refuses them
    assert client.get("/api/maritime/vessels?cursor=forged").status_code == 400
    assert client.get("/api/maritime/vessels?limit=100000").status_code == 422
