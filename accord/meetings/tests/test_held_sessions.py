"""Time-aware meetings (issue 13, decision 0081): a session that is over is shown as
held, and is no longer cancelled nor has its agenda adopted or changed; one under way is
not cancelled. The predicates, the services and the pages say the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.errors import Conflict
from accord.meetings import access, services
from accord.meetings.models import AgendaItem, Session
from accord.testing.may import service_accepts


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)``: the present is ``moment`` for services, predicates and pages."""

    def move(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


@pytest.fixture
def nuclear(schedule, cast) -> Session:
    session = schedule("WG-NUC", "2027-01-12")  # 10:00-12:00 Geneva: 09:00-11:00 UTC
    services.agenda_item_add(actor=cast["pk-chair"], session_id=session.pk, title="Stockpile")
    return session


AFTER = dt.datetime(2027, 1, 12, 11, 30, tzinfo=dt.UTC)
DURING = dt.datetime(2027, 1, 12, 10, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)


def _page(user, session: Session):
    client = Client()
    client.force_login(user)
    return client.get(reverse("meetings:session", args=[session.pk]))


def test_a_session_is_held_once_it_is_over_and_not_cancelled(nuclear, cast):
    assert not access.session_held(nuclear, BEFORE) and not access.session_held(nuclear, DURING)
    assert access.session_held(nuclear, AFTER)
    assert access.session_started(nuclear, DURING) and not access.session_started(nuclear, BEFORE)
    cancelled = services.session_cancel(actor=cast["pk-chair"], session_id=nuclear.pk)
    assert not access.session_held(cancelled, AFTER)


def test_a_held_session_is_shown_as_held_and_offers_no_cancel_nor_adoption(nuclear, cast, clock):
    clock(AFTER)
    page = _page(cast["pk-chair"], nuclear)
    assert page.status_code == 200
    assert "data-held" in page.text and ">held<" in page.text
    assert "Cancel the session" not in page.text
    assert "Adopt the agenda" not in page.text
    assert reverse("meetings:session-cancel", args=[nuclear.pk]) not in page.text
    assert reverse("meetings:agenda-adopt", args=[nuclear.pk]) not in page.text
    listed = Client()
    listed.force_login(cast["pk-chair"])
    index = listed.get(reverse("meetings:index"))
    assert index.status_code == 200
    assert "data-held" in index.text


def test_the_same_session_before_it_begins_offers_both(nuclear, cast, clock):
    clock(BEFORE)
    page = _page(cast["pk-chair"], nuclear)
    assert page.status_code == 200
    assert "data-held" not in page.text
    assert "Cancel the session" in page.text and "Adopt the agenda" in page.text


def test_a_held_session_is_not_cancelled_and_its_agenda_not_adopted_nor_changed(
    nuclear, cast, clock
):
    clock(AFTER)
    chair = cast["pk-chair"]
    with pytest.raises(Conflict) as refused:
        services.session_cancel(actor=chair, session_id=nuclear.pk)
    assert refused.value.error_case is services.SESSION_STARTED
    with pytest.raises(Conflict) as refused:
        services.agenda_adopt(actor=chair, session_id=nuclear.pk)
    assert refused.value.error_case is services.AGENDA_SESSION_HELD
    item = AgendaItem.objects.get(session=nuclear)
    with pytest.raises(Conflict) as refused:
        services.agenda_item_withdraw(actor=chair, item_id=item.pk)
    assert refused.value.error_case is services.AGENDA_SESSION_HELD
    nuclear.refresh_from_db()
    assert (nuclear.status, nuclear.agenda_status) == ("scheduled", "draft")


def test_a_session_under_way_is_not_cancelled_but_its_agenda_is_still_adopted(nuclear, cast, clock):
    clock(DURING)
    chair = cast["pk-chair"]
    assert not access.may_cancel_session(chair, nuclear)
    assert access.may_edit_agenda(chair, nuclear)
    with pytest.raises(Conflict) as refused:
        services.session_cancel(actor=chair, session_id=nuclear.pk)
    assert refused.value.error_case is services.SESSION_STARTED
    adopted = services.agenda_adopt(actor=chair, session_id=nuclear.pk)
    assert adopted.agenda_status == "adopted"


def test_the_api_says_a_session_was_held(nuclear, cast, clock):
    clock(AFTER)
    client = Client()
    client.force_login(cast["us-expert"])
    answer = client.get(f"/api/meetings/sessions/{nuclear.pk}")
    assert answer.status_code == 200
    assert answer.json()["held"] is True


@pytest.mark.parametrize("moment", [BEFORE, DURING, AFTER], ids=["before", "during", "after"])
def test_the_time_aware_predicates_agree_with_their_services_for_the_cast(
    nuclear, cast, clock, moment
):
    clock(moment)
    item = AgendaItem.objects.get(session=nuclear)
    checks = [
        (
            access.may_cancel_session,
            lambda a: services.session_cancel(actor=a, session_id=nuclear.pk),
        ),
        (access.may_edit_agenda, lambda a: services.agenda_adopt(actor=a, session_id=nuclear.pk)),
        (
            lambda a, _s: access.may_withdraw_agenda_item(a, item),
            lambda a: services.agenda_item_withdraw(actor=a, item_id=item.pk),
        ),
    ]
    time_refusals = (services.SESSION_STARTED, services.AGENDA_SESSION_HELD)
    disagreements = []
    for predicate, service in checks:
        for username, actor in sorted(cast.items()):
            said = predicate(actor, nuclear)
            done = service_accepts(lambda: service(actor), also_refusing=time_refusals)  # noqa: B023
            if said != done:
                disagreements.append(f"{username}: may={said}, service={done}")
    assert not disagreements, "\n".join(disagreements)
