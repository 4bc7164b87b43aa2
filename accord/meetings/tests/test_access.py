"""Every ``may_`` predicate of ``accord.meetings.access`` agrees with its service.

For every demo account (the cast) and a sample of sessions (a meeting of the HLC, one of
a working group, a caucus with each party), with draft and with circulated minutes, each
predicate is asked and its service run in a transaction that is then rolled back: the
predicate says yes exactly when the service accepts (refusals other than "not allowed" or
"not found", such as a state conflict or bad input, count as accepted: they are about
*when*, not *who*).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.accounts.models import Appointment, Role
from accord.meetings import access, services
from accord.meetings.models import ActionItem, AgendaItem, Session
from accord.meetings.tests.conftest import GENEVA, at
from accord.process.models import Body, Delegation
from accord.testing.may import service_accepts


def _rapporteur(session: Session, cast: dict[str, Any]) -> Any:
    if session.body_id is None:
        return cast["pk-chair"]
    appointment = Appointment.objects.filter(body_id=session.body_id, role=Role.RAPPORTEUR).first()
    assert appointment is not None
    return appointment.user


def _owner(session: Session) -> str:
    return {"HLC": "us-head", "WG-NUC": "us-expert"}.get(
        session.body.code if session.body else "",
        "us-head" if session.scope.endswith("US") else "ir-head",
    )


@pytest.fixture
def sessions(cast, schedule, caucus) -> dict[str, list[Session]]:
    """Sessions with an agenda item, minutes (text, a decision, an action item): the
    first set with draft minutes, the second with circulated ones."""
    made: dict[str, list[Session]] = {"draft": [], "circulated": []}
    for state, day in (("draft", 12), ("circulated", 19)):
        for session in (
            schedule("HLC", f"2027-01-{day}"),
            schedule("WG-NUC", f"2027-01-{day}"),
            caucus("US", f"2027-01-{day + 1}"),
            caucus("IR", f"2027-01-{day + 2}"),
        ):
            rapporteur = _rapporteur(session, cast)
            services.agenda_item_add(actor=cast["pk-chair"], session_id=session.pk, title="Item")
            services.minutes_draft(actor=rapporteur, session_id=session.pk, text="Met.")
            services.decision_record(actor=rapporteur, session_id=session.pk, text="Agreed.")
            services.action_item_record(
                actor=rapporteur,
                session_id=session.pk,
                text="Do it",
                owner=_owner(session),
                due_on=dt.date(2027, 2, 1),
            )
            if state == "circulated":
                services.minutes_circulate(actor=rapporteur, session_id=session.pk)
            made[state].append(session)
    return made


def _item(session: Session) -> AgendaItem:
    return AgendaItem.objects.get(session=session)


def _action(session: Session) -> ActionItem:
    return ActionItem.objects.get(minutes__session=session)


# (predicate name, minutes state, predicate(actor, session), service(actor, session))
CHECKS: list[tuple[str, str, Any, Any]] = [
    (
        "may_cancel_session",
        "draft",
        access.may_cancel_session,
        lambda a, s: services.session_cancel(actor=a, session_id=s.pk),
    ),
    (
        "may_manage_participants",
        "draft",
        access.may_manage_participants,
        lambda a, s: services.participant_add(actor=a, session_id=s.pk, username="us-head"),
    ),
    (
        "may_add_agenda_item",
        "draft",
        access.may_add_agenda_item,
        lambda a, s: services.agenda_item_add(actor=a, session_id=s.pk, title="More"),
    ),
    (
        "may_edit_agenda",
        "draft",
        access.may_edit_agenda,
        lambda a, s: services.agenda_adopt(actor=a, session_id=s.pk),
    ),
    (
        "may_withdraw_agenda_item",
        "draft",
        lambda a, s: access.may_withdraw_agenda_item(a, _item(s)),
        lambda a, s: services.agenda_item_withdraw(actor=a, item_id=_item(s).pk),
    ),
    (
        "may_draft_minutes",
        "draft",
        access.may_draft_minutes,
        lambda a, s: services.minutes_draft(actor=a, session_id=s.pk, text="Again."),
    ),
    (
        "may_circulate_minutes",
        "draft",
        access.may_circulate_minutes,
        lambda a, s: services.minutes_circulate(actor=a, session_id=s.pk),
    ),
    (
        "may_record_decision",
        "draft",
        access.may_record_decision,
        lambda a, s: services.decision_record(actor=a, session_id=s.pk, text="More."),
    ),
    (
        "may_record_action_item",
        "draft",
        access.may_record_action_item,
        lambda a, s: services.action_item_record(
            actor=a, session_id=s.pk, text="More", owner=_owner(s), due_on=dt.date(2027, 3, 1)
        ),
    ),
    (
        "may_complete_action_item",
        "draft",
        lambda a, s: access.may_complete_action_item(a, _action(s)),
        lambda a, s: services.action_item_complete(actor=a, action_id=_action(s).pk),
    ),
    (
        "may_write_caucus_note",
        "draft",
        access.may_write_caucus_note,
        lambda a, s: services.caucus_note_write(actor=a, session_id=s.pk, text="Heard."),
    ),
    (
        "may_approve_minutes",
        "circulated",
        access.may_approve_minutes,
        lambda a, s: services.minutes_approve(actor=a, session_id=s.pk),
    ),
    (
        "may_return_minutes",
        "circulated",
        access.may_return_minutes,
        lambda a, s: services.minutes_return(actor=a, session_id=s.pk, reason="Para 2"),
    ),
]


@pytest.mark.parametrize(
    ("name", "state", "predicate", "service"), CHECKS, ids=[c[0] for c in CHECKS]
)
def test_each_may_predicate_agrees_with_its_service(
    cast, sessions, name, state, predicate, service
):
    disagreements = []
    allowed = 0
    for session in sessions[state]:
        for username, actor in sorted(cast.items()):
            said = predicate(actor, session)
            done = service_accepts(lambda: service(actor, session))  # noqa: B023
            allowed += said
            if said != done:
                disagreements.append(f"{username} on {session.title}: may={said}, service={done}")
    assert not disagreements, "\n".join(disagreements)
    assert allowed, f"{name} allowed no one: the sample proves nothing"


def test_may_schedule_agrees_with_session_schedule(cast, islamabad):
    targets: list[Body | Delegation] = [
        Body.objects.get(process=islamabad, code="HLC"),
        Body.objects.get(process=islamabad, code="WG-NUC"),
        Delegation.objects.get(process=islamabad, code="US"),
    ]
    disagreements = []
    for target in targets:
        where = {"body": target.code} if isinstance(target, Body) else {"caucus_party": target.code}
        for username, actor in sorted(cast.items()):
            said = access.may_schedule(actor, target)
            done = service_accepts(
                lambda: services.session_schedule(
                    actor=actor,  # noqa: B023
                    title="Sampled",
                    venue="Geneva",
                    venue_timezone=GENEVA,
                    starts_at=at("2027-03-01", 10),
                    ends_at=at("2027-03-01", 11),
                    **where,  # noqa: B023
                )
            )
            if said != done:
                disagreements.append(f"{username} for {target.code}: may={said}, service={done}")
            if said:
                assert access.may_schedule(actor), "a target allowed, but not the button"
    assert not disagreements, "\n".join(disagreements)


def test_may_open_round_and_may_have_calendar_feed_agree_with_their_services(cast):
    for username, actor in sorted(cast.items()):
        opened = service_accepts(
            lambda: services.round_create(
                actor=actor,  # noqa: B023
                title="Sampled",
                venue="Doha",
                venue_timezone="Asia/Qatar",
                starts_on=dt.date(2027, 1, 10),
                ends_on=dt.date(2027, 1, 12),
            )
        )
        assert access.may_open_round(actor) == opened, username
        fed = service_accepts(lambda: services.calendar_feed_create(actor=actor))  # noqa: B023
        assert access.may_have_calendar_feed(actor) == fed, username
