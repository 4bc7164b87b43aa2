"""The incidents API's lists cost the same queries for 5 rows or 50, and are read a
page at a time through ``accord.pagination``."""

import pytest
from django.test import Client

from accord.incidents import services
from accord.testing.queries import link_to, query_counts

pytestmark = pytest.mark.django_db


def test_the_incident_and_annotation_lists_cost_the_same_queries_for_5_rows_or_50(
    on_watch, vessel, report
):
    # given five incidents and five of Iran's notes on a vessel, and Iran's duty officer
    ship = vessel("SAHAND")

    def grow(count):
        for k in range(count):
            report("us-duty", vessels=[ship], description=f"Close approach number {k}.")
            services.vessel_annotation_write(
                actor=on_watch["ir-duty"], vessel_id=ship.public_id, text=f"Note {k}"
            )

    grow(5)
    client = Client()
    client.force_login(on_watch["ir-duty"])
    urls = ("/api/incidents/", f"/api/incidents/vessels/{ship.public_id}/annotations")
    # when 45 more of each come
    counts = query_counts(client, urls, lambda: grow(45))
    # then each list costs what it did
    for url, (before, after) in counts.items():
        assert before == after, url


def test_the_incident_list_is_read_a_page_at_a_time_and_the_notes_stay_a_partys_own(
    on_watch, vessel, report
):
    # given seven incidents and three of Iran's own notes on a vessel
    ship = vessel("SAHAND")
    for k in range(7):
        report("us-duty", description=f"Close approach number {k}.")
    for k in range(3):
        services.vessel_annotation_write(
            actor=on_watch["ir-duty"], vessel_id=ship.public_id, text=f"Note {k}"
        )
    iran, us = Client(), Client()
    iran.force_login(on_watch["ir-duty"])
    us.force_login(on_watch["us-duty"])
    # when the list is read three at a time
    first = iran.get("/api/incidents/?limit=3")
    second = iran.get(link_to(first, "next"))
    third = iran.get(link_to(second, "next"))
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 200)
    codes = [row["code"] for answer in (first, second, third) for row in answer.json()]
    # then every incident comes once, latest first, and the last page says so
    assert len(codes) == len(set(codes)) == 7
    assert link_to(third, "next") is None
    # and Iran's notes come two pages of two; the United States sees none, and no link
    url = f"/api/incidents/vessels/{ship.public_id}/annotations?limit=2"
    page = iran.get(url)
    assert page.status_code == 200 and len(page.json()) == 2 and link_to(page, "next")
    answer = us.get(url)
    assert answer.status_code == 200
    assert answer.json() == [] and link_to(answer, "next") is None
