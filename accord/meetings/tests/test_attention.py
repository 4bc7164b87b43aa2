"""Meetings' desk items: minutes awaiting a delegation's approval and action items
assigned to someone; a caucus's minutes and actions reach no other party's desk."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from accord.attention import attention_for
from accord.meetings import services
from accord.meetings.attention import (
    ACTION_ITEM_MINE,
    MINUTES_TO_APPROVE,
    action_items_mine,
    minutes_to_approve,
)
from accord.testing.need_to_know import assert_learns_nothing_of_others


def _kinds(user) -> dict[str, int]:
    return {group.kind.code: group.count for group in attention_for(user)}


def _circulate(cast, session, author="pk-rapporteur", text="The HLC met and agreed."):
    services.minutes_draft(actor=cast[author], session_id=session.pk, text=text)
    services.minutes_circulate(actor=cast[author], session_id=session.pk)


def test_circulated_minutes_wait_for_each_partys_approval_until_given(cast, schedule):
    # Given circulated minutes of an HLC session
    session = schedule("HLC", "2027-01-12", title="HLC first session")
    _circulate(cast, session)
    # Then both parties' heads have them on their desk, with the session and its text
    for username in ("us-head", "ir-head"):
        items = minutes_to_approve(cast[username])
        assert [i.subject for i in items] == [f"session:{session.pk}"], username
        assert "HLC first session" in items[0].sentence
        assert items[0].about == "The HLC met and agreed."
    # When the United States approves
    services.minutes_approve(actor=cast["us-head"], session_id=session.pk)
    # Then they leave the US desk and still wait on Iran's
    assert MINUTES_TO_APPROVE.code not in _kinds(cast["us-head"])
    assert _kinds(cast["ir-head"]).get(MINUTES_TO_APPROVE.code) == 1


def test_facilitators_are_not_asked_to_approve_minutes(cast, schedule):
    _circulate(cast, schedule("HLC"))
    for username in ("pk-chair", "pk-rapporteur", "qa-chair"):
        assert MINUTES_TO_APPROVE.code not in _kinds(cast[username]), username


def test_a_caucus_s_minutes_and_actions_reach_no_other_party_s_desk(cast, caucus):
    # Given a caucus with Iran, its minutes circulated and an action on ir-head
    session = caucus("IR")
    services.minutes_draft(actor=cast["qa-chair"], session_id=session.pk, text="Heard Iran.")
    action = services.action_item_record(
        actor=cast["qa-chair"],
        session_id=session.pk,
        text="Send the inventory",
        owner="ir-head",
        due_on=dt.date(2027, 1, 20),
    )
    services.minutes_circulate(actor=cast["qa-chair"], session_id=session.pk)
    # Then Iran is asked to approve, and ir-head has the action
    assert _kinds(cast["ir-member"]).get(MINUTES_TO_APPROVE.code) == 1
    assert [i.subject for i in action_items_mine(cast["ir-head"])] == [f"action:{action.pk}"]
    # And the United States' desks show nothing of either, not even a count
    for username in ("us-head", "us-member", "us-expert", "us-duty"):
        kinds = _kinds(cast[username])
        assert MINUTES_TO_APPROVE.code not in kinds, username
        assert ACTION_ITEM_MINE.code not in kinds, username
        client = Client()
        client.force_login(cast[username])
        desk = client.get(reverse("process:desk"))
        assert desk.status_code == 200
        assert "Send the inventory" not in desk.text and "Heard Iran" not in desk.text
        assert_learns_nothing_of_others(desk.text, hidden=[session, action])


def test_an_action_item_waits_on_its_owner_s_desk_by_its_due_date_until_done(cast, schedule):
    # Given an action on us-head recorded in draft minutes
    session = schedule("HLC")
    services.minutes_draft(actor=cast["pk-rapporteur"], session_id=session.pk, text="Met.")
    action = services.action_item_record(
        actor=cast["pk-rapporteur"],
        session_id=session.pk,
        text="Circulate the inventory of measures",
        owner="us-head",
        due_on=dt.date(2027, 1, 20),
    )
    # Then it waits on us-head's desk with its due date, and on nobody else's
    items = action_items_mine(cast["us-head"])
    assert [(i.subject, i.deadline) for i in items] == [
        (f"action:{action.pk}", dt.date(2027, 1, 20))
    ]
    assert items[0].about == "Circulate the inventory of measures"
    assert action_items_mine(cast["ir-head"]) == []
    # When us-head completes it, it leaves the desk
    services.action_item_complete(actor=cast["us-head"], action_id=action.pk)
    assert action_items_mine(cast["us-head"]) == []
