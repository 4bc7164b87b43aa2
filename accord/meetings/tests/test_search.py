"""Search finds meetings material only for those who may read it."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from accord.meetings import services


def _search(user, query: str) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("web:search"), {"q": query}).text


def test_minutes_decisions_actions_and_agenda_are_found_by_the_bodys_members_only(cast, schedule):
    session = schedule("WG-NUC", title="Nuclear group")
    services.agenda_item_add(
        actor=cast["pk-chair"], session_id=session.pk, title="Centrifuge inventory"
    )
    services.minutes_draft(
        actor=cast["pk-rapporteur"], session_id=session.pk, text="Stockpile figures exchanged."
    )
    services.decision_record(
        actor=cast["pk-rapporteur"], session_id=session.pk, text="Cascade halls listed."
    )
    services.action_item_record(
        actor=cast["pk-rapporteur"],
        session_id=session.pk,
        text="Tabulate enrichment levels",
        owner="ir-expert",
        due_on=dt.date(2027, 2, 1),
    )
    found = {
        "Centrifuge": "Centrifuge inventory",
        "Stockpile": "Stockpile figures exchanged",
        "Cascade": "Cascade halls listed",
        "enrichment": "Tabulate enrichment levels",
        "Nuclear gr": "Nuclear group",
    }
    for query, text in found.items():
        assert text in _search(cast["us-expert"], query), query
        assert text in _search(cast["qa-rapporteur"], query), query
        assert text not in _search(cast["qa-chair"], query), query  # not in WG-NUC
        assert text not in _search(cast["ir-member"], query), query


def test_the_session_page_costs_a_bounded_number_of_queries(
    cast, schedule, django_assert_max_num_queries
):
    session = schedule("HLC")
    services.minutes_draft(actor=cast["pk-rapporteur"], session_id=session.pk, text="x")
    for n in range(5):
        services.agenda_item_add(actor=cast["pk-chair"], session_id=session.pk, title=f"I{n}")
        services.decision_record(actor=cast["pk-rapporteur"], session_id=session.pk, text=f"D{n}")
        services.action_item_record(
            actor=cast["pk-rapporteur"],
            session_id=session.pk,
            text=f"A{n}",
            owner="us-head",
            due_on=dt.date(2027, 2, 1),
        )
    client = Client()
    client.force_login(cast["pk-rapporteur"])
    url = reverse("meetings:session", args=[session.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_a_decision_and_an_action_are_found_by_their_number(cast, schedule):
    # Given a session's first decision and action item.
    session = schedule("WG-NUC", title="Nuclear group")
    services.minutes_draft(actor=cast["pk-rapporteur"], session_id=session.pk, text="Met.")
    services.decision_record(
        actor=cast["pk-rapporteur"], session_id=session.pk, text="Cascade halls listed."
    )
    services.action_item_record(
        actor=cast["pk-rapporteur"],
        session_id=session.pk,
        text="Tabulate enrichment levels",
        owner="ir-expert",
        due_on=dt.date(2027, 2, 1),
    )
    # When a member searches them by number; then each is found, and nobody else finds them.
    assert "Cascade halls listed" in _search(cast["us-expert"], "Decision 1")
    assert "Tabulate enrichment levels" in _search(cast["us-expert"], "action 1")
    assert "Cascade halls listed" not in _search(cast["ir-member"], "Decision 1")
