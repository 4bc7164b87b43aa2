"""Desk items: verifications due for the verifier, clocks running for whoever is asked,
steps unlocked for a party; the other party sees none of another's confidential clock."""

import datetime as dt

import pytest
from django.utils import timezone

from accord.compliance import attention, services
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db


def _codes(items):
    return [item.sentence for item in items]


def test_the_verifier_sees_commitments_due_without_a_report_and_overdue_ones_urgent(cast):
    past = services.commitment_create(
        actor=cast["pk-chair"],
        party_code="IR",
        title_text="Give access",
        due_on=timezone.now().date() - dt.timedelta(days=2),
    )
    services.commitment_create(
        actor=cast["pk-chair"],
        party_code="US",
        title_text="Far off",
        due_on=timezone.now().date() + dt.timedelta(days=90),
    )
    items = attention.verifications_due(cast["pk-verifier"])
    assert [i.subject for i in items] == [past.subject]
    assert items[0].urgent
    assert attention.verifications_due(cast["pk-chair"]) == []
    assert attention.verifications_due(cast["ir-head"]) == []


def test_an_access_request_waits_on_the_party_concerned_only(cast):
    commitment = services.commitment_create(
        actor=cast["pk-chair"], party_code="IR", title_text="Cap"
    )
    request = services.access_request_open(
        actor=cast["pk-verifier"], commitment_id=commitment.public_id, location="Hall B"
    )
    mine = attention.clocks_running(cast["ir-head"])
    assert [i.subject for i in mine] == [request.subject]
    assert mine[0].deadline == request.stage_deadline
    theirs = attention.clocks_running(cast["us-head"])
    assert theirs == []
    assert_learns_nothing_of_others(str(theirs), hidden=[request])


def test_a_dispute_puts_its_stage_deadline_and_the_convening_on_the_desks_concerned(cast):
    dispute = services.dispute_file(actor=cast["ir-head"], title_text="Funds", respondent_code="US")
    chair = attention.clocks_running(cast["pk-chair"])
    assert len([i for i in chair if i.subject == dispute.subject]) == 2  # convene + stage
    us = attention.clocks_running(cast["us-head"])
    assert [i.deadline for i in us] == [dispute.stage_deadline]


def test_a_partys_steps_appear_on_its_desk_once_unlocked(cast):
    chair = cast["pk-chair"]
    first = services.commitment_create(actor=chair, party_code="IR", title_text="First")
    relief = services.commitment_create(actor=chair, party_code="US", title_text="Relief")
    seq = services.sequence_create(actor=chair, title_text="Phase")
    services.step_place(
        actor=chair, commitment_id=first.public_id, sequence_id=seq.public_id, depends_on=[]
    )
    services.step_place(
        actor=chair,
        commitment_id=relief.public_id,
        sequence_id=seq.public_id,
        depends_on=[first.code],
    )
    assert [i.subject for i in attention.steps_unlocked(cast["ir-head"])] == [first.subject]
    assert attention.steps_unlocked(cast["us-head"]) == []
    report = services.report_file(
        actor=cast["pk-verifier"],
        commitment_id=first.public_id,
        finding="verified",
        observed_on=dt.date(2026, 12, 1),
        method="Visit",
    )
    # a confidential finding unlocks nothing yet
    assert attention.steps_unlocked(cast["us-head"]) == []
    services.report_publish(actor=cast["pk-verifier"], report_id=report.public_id)
    assert [i.subject for i in attention.steps_unlocked(cast["us-head"])] == [relief.subject]
    assert attention.steps_unlocked(cast["pk-chair"]) == []


def test_two_open_stages_are_two_desk_items_each_with_its_own_deadline(cast):
    # Given a dispute before the ministers, with the advisory board opened later
    filed = timezone.now() - dt.timedelta(days=20)
    dispute = services.dispute_file(
        actor=cast["ir-head"], title_text="Funds", respondent_code="US", now=filed
    )
    services.disputes_advance_overdue(now=timezone.now())
    dispute = services.dispute_convene(actor=cast["pk-chair"], dispute_id=dispute.public_id)
    services.dispute_open_stage(
        actor=cast["pk-chair"], dispute_id=dispute.public_id, stage_code="advisory-board"
    )
    # Then each side's desk has both clocks
    sentences = _codes(attention.clocks_running(cast["us-head"]))
    assert sorted(sentences) == [
        "DR-1 Funds: Advisory Board",
        "DR-1 Funds: Ministers of Foreign Affairs",
    ]


def test_a_request_to_convene_is_on_the_facilitators_desk_until_recorded(cast):
    asked = services.convening_request(actor=cast["us-head"], title_text="Snapback", urgent=True)
    chair = [i for i in attention.clocks_running(cast["pk-chair"]) if i.subject == asked.subject]
    assert len(chair) == 1 and chair[0].urgent
    assert attention.clocks_running(cast["us-head"]) == []
    services.convening_record(actor=cast["pk-chair"], request_id=asked.public_id)
    assert attention.clocks_running(cast["pk-chair"]) == []


def test_a_party_sees_its_own_commitments_falling_due_and_not_the_others(cast):
    today = timezone.now().date()
    mine = services.commitment_create(
        actor=cast["pk-chair"],
        party_code="IR",
        title_text="Declare",
        due_on=today - dt.timedelta(days=1),
    )
    services.commitment_create(
        actor=cast["pk-chair"], party_code="US", title_text="Waive", due_on=today
    )
    services.commitment_create(
        actor=cast["pk-chair"],
        party_code="IR",
        title_text="Later",
        due_on=today + dt.timedelta(days=90),
    )
    items = attention.commitments_due(cast["ir-member"])
    assert [i.subject for i in items] == [mine.subject]
    assert items[0].urgent
    assert [i.sentence for i in attention.commitments_due(cast["us-head"])] == [
        "C-2 is due from your delegation: Waive"
    ]
    assert attention.commitments_due(cast["pk-chair"]) == []
