"""The advisory board in parallel with the ministers or instead of them (JCPOA ¶36):
two stages open at once, each with its own clock, each enforced by the sweeper once."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accord.compliance import access, services
from accord.compliance.models import Dispute, DisputeStage
from accord.errors import AccordError
from accord.events.models import Event

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _at_ministers(cast):
    """A complaint by Iran moved on by the sweeper to the ministers."""
    filed = timezone.now() - dt.timedelta(days=20)
    dispute = services.dispute_file(
        actor=cast["ir-head"], title_text="Funds", respondent_code="US", now=filed
    )
    assert services.disputes_advance_overdue(now=filed + 15 * DAY + dt.timedelta(minutes=1)) == 1
    row = Dispute.objects.get(pk=dispute.pk)
    assert row.stage_code == "ministers"
    return row


def _open(row) -> list[str]:
    return sorted(row.stages.filter(ended_at__isnull=True).values_list("code", flat=True))


def test_the_advisory_board_opens_beside_the_ministers_and_the_ministers_end_first(cast):
    # Given a dispute before the ministers
    row = _at_ministers(cast)
    chair = cast["pk-chair"]
    assert access.stages_to_open(row)[0][0].code == "advisory-board"
    assert not access.may_open_stage(cast["ir-head"], row, "advisory-board")
    # When the facilitators open the advisory board in parallel
    row = services.dispute_open_stage(
        actor=chair, dispute_id=row.public_id, stage_code="advisory-board", reason="Both asked."
    )
    # Then two stages are open, each with its own clock
    assert _open(row) == ["advisory-board", "ministers"]
    board = row.stages.get(code="advisory-board")
    ministers = row.stages.get(code="ministers")
    assert board.opened_as == DisputeStage.OpenedAs.PARALLEL
    assert board.deadline > ministers.deadline
    assert Event.objects.filter(kind__startswith="DisputeStageOpened").count() == 1
    # When the sweeper passes the ministers' deadline (twice)
    at = ministers.deadline + dt.timedelta(minutes=1)
    assert services.disputes_advance_overdue(now=at) == 1
    assert services.disputes_advance_overdue(now=at) == 0
    # Then the board still runs, and nothing else opened
    row.refresh_from_db()
    assert _open(row) == ["advisory-board"]
    assert row.stage_code == "advisory-board"
    # When the board's deadline passes too, then the opinion goes to the consideration
    at = board.deadline + dt.timedelta(minutes=1)
    assert services.disputes_advance_overdue(now=at) == 1
    assert services.disputes_advance_overdue(now=at) == 0
    row.refresh_from_db()
    assert _open(row) == ["consideration"]
    assert row.stages.count() == 4
    assert Event.objects.filter(kind="DisputeStageExpired").count() == 3


def test_the_advisory_board_ends_first_and_the_consideration_waits_for_the_ministers(cast):
    # Given the advisory board beside the ministers, opened later
    row = _at_ministers(cast)
    chair = cast["pk-chair"]
    row = services.dispute_open_stage(
        actor=chair, dispute_id=row.public_id, stage_code="advisory-board"
    )
    # When the board gives its opinion early
    row = services.dispute_advance(
        actor=chair, dispute_id=row.public_id, stage_code="advisory-board", reason="Opinion in."
    )
    # Then the ministers still run and the consideration has not opened
    assert _open(row) == ["ministers"]
    # And the board cannot be opened twice
    assert access.stages_to_open(row) == []
    with pytest.raises(AccordError) as refused:
        services.dispute_open_stage(
            actor=chair, dispute_id=row.public_id, stage_code="advisory-board"
        )
    assert refused.value.code == "dispute.stage_not_alongside"
    # When the ministers' clock runs out, then the consideration opens (the board is
    # not entered again)
    ministers = row.stages.get(code="ministers")
    assert services.disputes_advance_overdue(now=ministers.deadline + dt.timedelta(minutes=1)) == 1
    row.refresh_from_db()
    assert _open(row) == ["consideration"]
    assert row.stages.filter(code="advisory-board").count() == 1


def test_the_advisory_board_instead_of_the_ministers(cast):
    # Given a complaint before the Joint Commission
    chair = cast["pk-chair"]
    row = services.dispute_file(actor=cast["ir-head"], title_text="Funds", respondent_code="US")
    assert [(s.code, instead) for s, instead in access.stages_to_open(row)] == [
        ("advisory-board", True)
    ]
    # When the facilitators go to the advisory board instead of the ministers
    row = services.dispute_open_stage(
        actor=chair, dispute_id=row.public_id, stage_code="advisory-board", instead=True
    )
    # Then the Joint Commission has ended, the board runs, the ministers never open
    assert _open(row) == ["advisory-board"]
    assert row.stages.get(code="advisory-board").opened_as == DisputeStage.OpenedAs.INSTEAD
    board = row.stages.get(code="advisory-board")
    services.disputes_advance_overdue(now=board.deadline + dt.timedelta(minutes=1))
    row.refresh_from_db()
    assert _open(row) == ["consideration"]
    assert not row.stages.filter(code="ministers").exists()
    # And once the consideration runs out, the stages are exhausted
    last = row.stages.get(code="consideration")
    services.disputes_advance_overdue(now=last.deadline + dt.timedelta(minutes=1))
    row.refresh_from_db()
    assert row.status == Dispute.Status.EXHAUSTED


def test_in_parallel_is_refused_before_the_ministers_and_instead_once_they_run(cast):
    chair = cast["pk-chair"]
    row = services.dispute_file(actor=cast["ir-head"], title_text="Funds", respondent_code="US")
    with pytest.raises(AccordError):
        services.dispute_open_stage(
            actor=chair, dispute_id=row.public_id, stage_code="advisory-board"
        )
    row = _at_ministers(cast)
    with pytest.raises(AccordError):
        services.dispute_open_stage(
            actor=chair, dispute_id=row.public_id, stage_code="advisory-board", instead=True
        )
    with pytest.raises(AccordError):
        services.dispute_open_stage(
            actor=chair, dispute_id=row.public_id, stage_code="consideration"
        )


def test_the_dispute_page_offers_the_board_in_parallel_and_shows_both_clocks(cast):
    # Given a dispute before the ministers
    row = _at_ministers(cast)
    chair = Client()
    chair.force_login(cast["pk-chair"])
    url = f"/compliance/disputes/{row.public_id}/"
    page = chair.get(url)
    assert page.status_code == 200
    assert 'data-open-stage="advisory-board"' in page.text
    # When the chair opens it through the page
    done = chair.post(f"{url}open-stage", {"stage": "advisory-board", "text": "Asked"})
    # Then both stages show, the board tagged in parallel; a party is offered nothing
    assert done.status_code == 302
    page = chair.get(url)
    assert page.text.count("data-stage>") == 2
    assert 'data-opened-as="parallel"' in page.text
    party = Client()
    party.force_login(cast["ir-head"])
    seen = party.get(url)
    assert seen.status_code == 200
    assert "data-open-stage" not in seen.text and "data-end-stage" not in seen.text


def test_the_stages_events_read_as_sentences(cast):
    from accord.events.describe import describe

    row = _at_ministers(cast)
    services.dispute_open_stage(
        actor=cast["pk-chair"], dispute_id=row.public_id, stage_code="advisory-board"
    )
    said = {e.kind: describe(e.kind, e.payload) for e in Event.objects.all()}
    assert said["DisputeStageExpired"] == (
        "Dispute DR-1: the time of the stage “Joint Commission” ran out"
    )
    assert said["DisputeStageOpenedInParallel"] == (
        "Dispute DR-1: the stage “Advisory Board” opened in parallel with "
        "“Ministers of Foreign Affairs”"
    )
