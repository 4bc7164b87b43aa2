"""Minutes: drafted by the rapporteur, circulated, approved by every party; decisions and
action items recorded in them; overdue action items flagged by the sweeper exactly once."""

import datetime as dt

import pytest
from django.test import override_settings

from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.models import Event
from accord.meetings import selectors, services
from accord.meetings.models import ActionItem, Minutes
from accord.meetings.services import _common as common
from accord.process.models import Delegation
from accord.sweeper import run_sweep

SWEEP = "accord.meetings.services.action_items_flag_overdue"


@pytest.fixture
def circulated(cast, schedule):
    session = schedule("HLC", "2027-01-12")
    services.minutes_draft(
        actor=cast["pk-rapporteur"], session_id=session.pk, text="The HLC met and agreed."
    )
    services.minutes_circulate(actor=cast["pk-rapporteur"], session_id=session.pk)
    return session


def test_only_the_rapporteur_drafts_minutes(cast, schedule):
    session = schedule("HLC")
    for username in ("pk-chair", "us-head"):
        with pytest.raises(PermissionDenied):
            services.minutes_draft(actor=cast[username], session_id=session.pk, text="x")
    minutes = services.minutes_draft(actor=cast["qa-rapporteur"], session_id=session.pk, text="x")
    assert minutes.status == Minutes.Status.DRAFT and minutes.scope == "body:HLC"


def test_empty_minutes_cannot_be_circulated(cast, schedule):
    session = schedule("HLC")
    services.minutes_draft(actor=cast["pk-rapporteur"], session_id=session.pk, text=" ")
    with pytest.raises(ValidationFailed) as refused:
        services.minutes_circulate(actor=cast["pk-rapporteur"], session_id=session.pk)
    assert refused.value.error_case is services.MINUTES_EMPTY


def test_minutes_are_approved_only_when_every_party_has_approved(cast, circulated):
    minutes = services.minutes_approve(actor=cast["us-head"], session_id=circulated.pk)
    assert minutes.status == Minutes.Status.CIRCULATED
    with pytest.raises(Conflict) as refused:
        services.minutes_approve(actor=cast["us-head"], session_id=circulated.pk)
    assert refused.value.error_case is services.MINUTES_ALREADY_APPROVED
    minutes = services.minutes_approve(actor=cast["ir-head"], session_id=circulated.pk)
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_at is not None
    kinds = list(Event.objects.filter(kind__startswith="Minutes").values_list("kind", flat=True))
    assert kinds == [
        "MinutesDrafted",
        "MinutesCirculated",
        "MinutesApprovedByParty",
        "MinutesApprovedByParty",
        "MinutesApproved",
    ]


def test_a_third_party_is_needed_too_when_the_charter_has_three(cast, circulated, islamabad):
    """Nothing assumes two parties: a third party of the process must approve as well."""
    Delegation.objects.create(process=islamabad, code="EU", name="European Union", kind="party")
    services.minutes_approve(actor=cast["us-head"], session_id=circulated.pk)
    minutes = services.minutes_approve(actor=cast["ir-head"], session_id=circulated.pk)
    assert minutes.status == Minutes.Status.CIRCULATED
    assert Event.objects.filter(kind="MinutesApprovedByParty").last().payload["awaiting"] == ["EU"]


def test_facilitators_do_not_approve_minutes(cast, circulated):
    with pytest.raises(PermissionDenied) as refused:
        services.minutes_approve(actor=cast["pk-chair"], session_id=circulated.pk)
    assert refused.value.error_case is services.MINUTES_NEEDS_PARTY


def test_returned_minutes_need_fresh_approval_of_the_next_revision(cast, circulated):
    services.minutes_approve(actor=cast["us-head"], session_id=circulated.pk)
    services.minutes_return(actor=cast["ir-head"], session_id=circulated.pk, reason="Para 3")
    with pytest.raises(Conflict):
        services.minutes_approve(actor=cast["ir-head"], session_id=circulated.pk)
    services.minutes_draft(
        actor=cast["pk-rapporteur"], session_id=circulated.pk, text="Corrected para 3."
    )
    minutes = services.minutes_circulate(actor=cast["pk-rapporteur"], session_id=circulated.pk)
    assert minutes.revision == 2
    services.minutes_approve(actor=cast["ir-head"], session_id=circulated.pk)
    minutes = Minutes.objects.get(pk=minutes.pk)
    assert minutes.status == Minutes.Status.CIRCULATED  # the US approved revision 1 only
    minutes = services.minutes_approve(actor=cast["us-head"], session_id=circulated.pk)
    assert minutes.status == Minutes.Status.APPROVED


def test_circulated_minutes_cannot_be_edited(cast, circulated):
    with pytest.raises(Conflict) as refused:
        services.minutes_draft(actor=cast["pk-rapporteur"], session_id=circulated.pk, text="y")
    assert refused.value.error_case is services.MINUTES_NOT_DRAFT
    with pytest.raises(Conflict) as refused:
        services.decision_record(actor=cast["pk-rapporteur"], session_id=circulated.pk, text="d")
    assert refused.value.error_case is services.MINUTES_NOT_DRAFT


def test_decisions_and_action_items_are_recorded_in_draft_minutes(cast, schedule):
    session = schedule("HLC")
    services.minutes_draft(actor=cast["pk-rapporteur"], session_id=session.pk, text="Met.")
    decision = services.decision_record(
        actor=cast["pk-rapporteur"], session_id=session.pk, text="WG-NUC to report by day 30."
    )
    action = services.action_item_record(
        actor=cast["pk-rapporteur"],
        session_id=session.pk,
        text="Circulate the inventory of measures",
        owner="us-head",
        due_on=dt.date(2027, 1, 20),
    )
    assert decision.number == 1 and action.number == 1 and action.status == "open"
    with pytest.raises(ValidationFailed):  # us-expert is not in the HLC
        services.action_item_record(
            actor=cast["pk-rapporteur"],
            session_id=session.pk,
            text="x",
            owner="us-expert",
            due_on=dt.date(2027, 1, 20),
        )
    with pytest.raises(PermissionDenied) as refused:
        services.action_item_complete(actor=cast["ir-head"], action_id=action.pk)
    assert refused.value.error_case is services.ACTION_ITEM_NOT_ALLOWED
    done = services.action_item_complete(actor=cast["us-head"], action_id=action.pk)
    assert done.status == "done"
    assert [a.text for a in selectors.action_item_list(actor=cast["ir-head"])] == [action.text]


@pytest.fixture
def three_actions(cast, schedule):
    session = schedule("HLC")
    services.minutes_draft(actor=cast["pk-rapporteur"], session_id=session.pk, text="Met.")
    return [
        services.action_item_record(
            actor=cast["pk-rapporteur"],
            session_id=session.pk,
            text=f"Action {n}",
            owner="us-head",
            due_on=dt.date(2027, 1, day),
        )
        for n, day in ((1, 10), (2, 11), (3, 30))
    ]


NOW = dt.datetime(2027, 1, 12, 6, 0, tzinfo=dt.UTC)


def test_the_sweep_flags_each_overdue_action_item_once(three_actions):
    assert services.action_items_flag_overdue(now=NOW) == 2
    assert services.action_items_flag_overdue(now=NOW) == 0
    statuses = dict(ActionItem.objects.values_list("text", "status"))
    assert statuses == {"Action 1": "overdue", "Action 2": "overdue", "Action 3": "open"}
    events = Event.objects.filter(kind="ActionItemOverdue")
    assert events.count() == 2 and {e.scope for e in events} == {"body:HLC"}


def test_an_item_due_today_is_not_yet_overdue(three_actions):
    today = dt.datetime(2027, 1, 11, 23, 59, tzinfo=dt.UTC)
    assert services.action_items_flag_overdue(now=today) == 1


def test_a_sweep_that_crashes_half_way_flags_the_rest_next_time_and_each_once(
    three_actions, monkeypatch
):
    real = common.event_append
    calls = {"n": 0}

    def crash_on_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real(**kwargs)

    monkeypatch.setattr(common, "event_append", crash_on_second)
    with pytest.raises(RuntimeError):
        services.action_items_flag_overdue(now=NOW)
    # The first item is flagged with its event; the second rolled back with its event.
    assert ActionItem.objects.filter(status="overdue").count() == 1
    assert Event.objects.filter(kind="ActionItemOverdue").count() == 1
    monkeypatch.setattr(common, "event_append", real)
    assert services.action_items_flag_overdue(now=NOW) == 1
    assert services.action_items_flag_overdue(now=NOW) == 0
    events = Event.objects.filter(kind="ActionItemOverdue")
    assert sorted(e.payload["text"] for e in events) == ["Action 1", "Action 2"]


def test_a_completed_item_is_never_flagged(cast, three_actions):
    services.action_item_complete(actor=cast["us-head"], action_id=three_actions[0].pk)
    assert services.action_items_flag_overdue(now=NOW) == 1


def test_the_sweeper_runs_the_action_item_sweep_when_registered(three_actions):
    with override_settings(ACCORD_SWEEPS=[SWEEP]):
        assert run_sweep(now=NOW) == {SWEEP: 2, "errors": 0}
        assert run_sweep(now=NOW) == {SWEEP: 0, "errors": 0}


def test_two_sweepers_at_once_flag_each_item_once(transactional_db, three_actions):
    """Two sweeper processes racing: the row lock and re-check let one of them win."""
    import threading

    from django.db import connection

    counts: list[int] = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            counts.append(services.action_items_flag_overdue(now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(counts) == 2 and len(counts) == 2
    assert Event.objects.filter(kind="ActionItemOverdue").count() == 2


def test_caucus_minutes_are_approved_by_the_party_in_the_room_alone(cast, caucus):
    session = caucus("IR")
    services.minutes_draft(actor=cast["qa-chair"], session_id=session.pk, text="Heard Iran.")
    services.minutes_circulate(actor=cast["qa-chair"], session_id=session.pk)
    with pytest.raises(NotFound):  # the US cannot even see the caucus
        services.minutes_approve(actor=cast["us-head"], session_id=session.pk)
    minutes = services.minutes_approve(actor=cast["ir-member"], session_id=session.pk)
    assert minutes.status == Minutes.Status.APPROVED
