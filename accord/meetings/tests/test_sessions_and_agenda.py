"""Sessions and agendas, and the queue other apps use to put items on a body's agenda."""

import datetime as dt

import pytest

from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.models import Event
from accord.meetings import access, selectors, services
from accord.meetings.models import AgendaItem, Session
from accord.meetings.tests.conftest import GENEVA, at


def test_a_facilitator_schedules_a_body_session_stored_in_utc_with_its_members(cast, schedule):
    session = schedule("HLC", "2027-01-12", 10)
    assert session.scope == "body:HLC"
    assert session.starts_at == dt.datetime(2027, 1, 12, 9, 0, tzinfo=dt.UTC)
    people = {p.user.username for p in session.participants.all()}
    assert {"us-head", "ir-head", "pk-chair", "qa-chair", "pk-rapporteur"} <= people
    assert "us-expert" not in people  # not a member of the HLC
    event = Event.objects.get(kind="SessionScheduled")
    assert event.scope == "body:HLC" and event.subject == f"session:{session.pk}"


def test_a_party_cannot_schedule_sessions(cast):
    with pytest.raises(PermissionDenied) as refused:
        services.session_schedule(
            actor=cast["us-head"],
            body="HLC",
            title="x",
            venue="y",
            venue_timezone=GENEVA,
            starts_at=at("2027-01-12"),
            ends_at=at("2027-01-12", 11),
        )
    assert refused.value.error_case is services.SESSION_NOT_ALLOWED


@pytest.mark.parametrize(
    ("changes", "case"),
    [
        ({"venue_timezone": "Mars/Olympus"}, services.SESSION_ZONE_INVALID),
        ({"title": "  "}, services.SESSION_TITLE_REQUIRED),
        ({"venue": ""}, services.SESSION_VENUE_REQUIRED),
        ({"ends_at": at("2027-01-12", 9)}, services.SESSION_ENDS_BEFORE_START),
        ({"ends_at": at("2027-01-14", 9)}, services.SESSION_ENDS_BEFORE_START),
    ],
)
def test_bad_session_input_is_refused_and_nothing_is_written(cast, changes, case):
    arguments = {
        "actor": cast["pk-chair"],
        "body": "HLC",
        "title": "HLC",
        "venue": "Geneva",
        "venue_timezone": GENEVA,
        "starts_at": at("2027-01-12", 10),
        "ends_at": at("2027-01-12", 12),
    } | changes
    with pytest.raises(ValidationFailed) as error:
        services.session_schedule(**arguments)
    assert error.value.error_case is case
    assert not Session.objects.exists()


def test_a_participant_who_cannot_see_the_session_is_refused(cast):
    with pytest.raises(ValidationFailed) as refused:
        services.session_schedule(
            actor=cast["pk-chair"],
            body="WG-NUC",
            title="NUC",
            venue="Geneva",
            venue_timezone=GENEVA,
            starts_at=at("2027-01-12"),
            ends_at=at("2027-01-12", 12),
            participants=["us-expert", "us-observer"],
        )
    assert refused.value.error_case is services.PARTICIPANT_CANNOT_SEE
    assert not Session.objects.exists()


def test_items_are_added_to_a_draft_agenda_until_it_is_adopted(cast, schedule):
    session = schedule("HLC")
    item = services.agenda_item_add(
        actor=cast["us-head"], session_id=session.pk, title="Sequencing", subject="provision:P-12"
    )
    services.agenda_item_add(actor=cast["pk-chair"], session_id=session.pk, title="AOB")
    assert [i.title for i in selectors.agenda(actor=cast["ir-head"], session=session)] == [
        "Sequencing",
        "AOB",
    ]
    services.agenda_item_withdraw(actor=cast["pk-chair"], item_id=item.pk)
    services.agenda_adopt(actor=cast["qa-chair"], session_id=session.pk)
    assert [i.title for i in selectors.agenda(actor=cast["ir-head"], session=session)] == ["AOB"]
    with pytest.raises(Conflict) as refused:
        services.agenda_item_add(actor=cast["pk-chair"], session_id=session.pk, title="Late")
    assert refused.value.error_case is services.AGENDA_ADOPTED


@pytest.mark.parametrize(
    "subject", ["document", "treaty:1", "divergence:", "provision:a b", "x" * 300]
)
def test_an_agenda_subject_must_point_at_a_document_provision_or_divergence(
    cast, schedule, subject
):
    session = schedule("HLC")
    with pytest.raises(ValidationFailed) as refused:
        services.agenda_item_add(
            actor=cast["pk-chair"], session_id=session.pk, title="x", subject=subject
        )
    assert refused.value.error_case is services.AGENDA_ITEM_SUBJECT_INVALID


def test_someone_outside_the_body_cannot_add_to_its_agenda(cast, schedule):
    session = schedule("WG-NUC")
    with pytest.raises(NotFound) as refused:
        services.agenda_item_add(actor=cast["us-member"], session_id=session.pk, title="x")
    assert refused.value.error_case is access.SESSION_NOT_FOUND


def test_queued_item_goes_on_the_next_scheduled_sessions_draft_agenda(cast, schedule, body):
    later = schedule("HLC", "2027-02-10")
    sooner = schedule("HLC", "2027-01-12")
    item = services.agenda_item_queue(
        actor=None,
        process_code=body("HLC").process.code,
        body_code="HLC",
        title="Referred: enrichment cap",
        subject="divergence:7",
    )
    assert item.session == sooner and item.status == AgendaItem.Status.LISTED
    assert item.scope == "body:HLC"
    assert later.agenda_items.count() == 0
    event = Event.objects.get(kind="AgendaItemAdded")
    assert event.subject == f"session:{sooner.pk}" and event.payload["from_queue"] is True


def test_an_adopted_or_cancelled_or_past_session_is_skipped_by_the_queue(cast, schedule, body):
    adopted = schedule("HLC", "2027-01-12")
    services.agenda_adopt(actor=cast["pk-chair"], session_id=adopted.pk)
    cancelled = schedule("HLC", "2027-01-13")
    services.session_cancel(actor=cast["pk-chair"], session_id=cancelled.pk)
    schedule("HLC", "2026-01-13")  # in the past
    target = schedule("HLC", "2027-01-20")
    item = services.agenda_item_queue(
        actor=None,
        process_code=body("HLC").process.code,
        body_code="HLC",
        title="Referred",
        subject="divergence:8",
    )
    assert item.session == target


def test_with_no_session_scheduled_the_item_waits_and_joins_the_next_one(cast, schedule, body):
    item = services.agenda_item_queue(
        actor=None,
        process_code=body("HLC").process.code,
        body_code="HLC",
        title="Referred: access",
        subject="divergence:9",
        note="from WG-VER",
    )
    assert item.session is None and item.status == AgendaItem.Status.QUEUED
    assert Event.objects.get(kind="AgendaItemQueued").scope == "body:HLC"
    assert list(selectors.queued_items(actor=cast["us-head"], body_code="HLC")) == [item]
    assert list(selectors.queued_items(actor=cast["us-expert"])) == []  # not an HLC member
    schedule("WG-NUC")  # another body's session does not take it
    item.refresh_from_db()
    assert item.session is None
    session = schedule("HLC")
    item.refresh_from_db()
    assert item.session == session and item.status == AgendaItem.Status.LISTED
    assert [i.title for i in selectors.agenda(actor=cast["ir-head"], session=session)] == [
        "Referred: access"
    ]


def test_queueing_for_a_body_the_process_does_not_have_is_refused(cast, body):
    with pytest.raises(NotFound) as refused:
        services.agenda_item_queue(
            actor=None,
            process_code=body("HLC").process.code,
            body_code="WG-NOPE",
            title="Ref",
            subject="",
        )
    assert refused.value.error_case is services.AGENDA_BODY_NOT_FOUND
    assert AgendaItem.objects.count() == 0


def test_queueing_the_same_subject_twice_lists_it_once(cast, schedule, body):
    first = services.agenda_item_queue(
        actor=None,
        process_code=body("HLC").process.code,
        body_code="HLC",
        title="Ref",
        subject="divergence:3",
    )
    again = services.agenda_item_queue(
        actor=None,
        process_code=body("HLC").process.code,
        body_code="HLC",
        title="Ref",
        subject="divergence:3",
    )
    assert first.pk == again.pk
    session = schedule("HLC")
    third = services.agenda_item_queue(
        actor=None,
        process_code=body("HLC").process.code,
        body_code="HLC",
        title="Ref",
        subject="divergence:3",
    )
    assert third.pk == first.pk and third.session == session
    assert AgendaItem.objects.count() == 1


def test_a_facilitator_cancels_a_session_and_its_calendar_sequence_moves(cast, schedule):
    session = schedule("HLC")
    cancelled = services.session_cancel(actor=cast["qa-chair"], session_id=session.pk)
    assert cancelled.status == Session.Status.CANCELLED and cancelled.sequence == 1
    with pytest.raises(PermissionDenied) as refused:
        services.session_cancel(actor=cast["us-head"], session_id=session.pk)
    assert refused.value.error_case is services.SESSION_NOT_ALLOWED


def test_a_round_is_opened_by_facilitators_and_numbered(cast):
    first = services.round_create(
        actor=cast["pk-chair"],
        title="Second round",
        venue="Doha",
        venue_timezone="Asia/Qatar",
        starts_on=dt.date(2027, 1, 10),
        ends_on=dt.date(2027, 1, 14),
    )
    assert first.number == 1 and first.scope == "shared"
    assert list(selectors.round_list(actor=cast["ir-member"])) == [first]
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=cast["ir-head"],
            title="x",
            venue="y",
            venue_timezone="UTC",
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 1, 1),
        )


def test_an_unknown_or_malformed_session_id_is_not_found(cast):
    with pytest.raises(NotFound) as refused:
        access.session_access(cast["pk-chair"], "not-a-uuid")
    assert refused.value.error_case is access.SESSION_NOT_FOUND
    with pytest.raises(NotFound) as refused:
        services.agenda_adopt(actor=cast["pk-chair"], session_id="12")
    assert refused.value.error_case is access.SESSION_NOT_FOUND


def test_facilitators_invite_and_remove_participants_who_may_see_the_session(cast, schedule):
    session = schedule("WG-NUC")
    candidates = {
        u.username
        for u in selectors.participant_candidates(actor=cast["pk-chair"], session=session)
    }
    assert "us-member" not in candidates and "us-observer" not in candidates
    with pytest.raises(ValidationFailed) as refused:
        services.participant_add(
            actor=cast["pk-chair"], session_id=session.pk, username="us-observer"
        )
    assert refused.value.error_case is services.PARTICIPANT_CANNOT_SEE
    services.participant_remove(actor=cast["pk-chair"], session_id=session.pk, username="us-expert")
    assert "us-expert" in {
        u.username
        for u in selectors.participant_candidates(actor=cast["pk-chair"], session=session)
    }
    services.participant_add(actor=cast["pk-chair"], session_id=session.pk, username="us-expert")
    with pytest.raises(PermissionDenied) as refused:
        services.participant_remove(
            actor=cast["us-expert"], session_id=session.pk, username="ir-expert"
        )
    assert refused.value.error_case is services.PARTICIPANT_NOT_ALLOWED
    kinds = list(
        Event.objects.filter(kind__startswith="Participant").values_list("kind", flat=True)
    )
    assert kinds == ["ParticipantRemoved", "ParticipantAdded"]
    session.refresh_from_db()
    assert session.sequence == 2


def test_two_callers_queueing_the_same_referral_at_once_list_it_once(transactional_db, cast, body):
    """Two sweepers referring one divergence at the same moment: the body lock makes
    the second see the first's item."""
    import threading

    from django.db import connection

    hlc = body("HLC")
    barrier = threading.Barrier(2)
    ids: list[object] = []

    def queue() -> None:
        try:
            barrier.wait(timeout=10)
            ids.append(
                services.agenda_item_queue(
                    actor=None,
                    process_code=hlc.process.code,
                    body_code="HLC",
                    title="Ref",
                    subject="divergence:77",
                ).pk
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=queue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(ids) == 2 and ids[0] == ids[1]
    assert AgendaItem.objects.filter(subject="divergence:77").count() == 1
    assert Event.objects.filter(kind="AgendaItemQueued").count() == 1
