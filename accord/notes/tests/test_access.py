"""Each ``may_`` predicate of notes agrees with its service, for every demo role.

The service runs in a transaction that is rolled back; it *accepts* unless it refuses
with ``PermissionDenied`` or ``NotFound``.
"""

import pytest

from accord.errors import NotFound
from accord.notes import access, services
from accord.process.models import Body
from accord.testing.may import service_accepts


@pytest.fixture
def notes(cast):
    """A US note, an Iran note and a facilitators' note."""
    return [
        services.note_write(actor=cast[username], text="Our line", body_code="WG-NUC")
        for username in ("us-expert", "ir-head", "pk-chair")
    ]


CASES = {
    "edit": (
        access.may_edit,
        lambda actor, note: services.note_edit(actor=actor, note_id=note.pk, text="Changed"),
    ),
    "delete": (
        access.may_delete,
        lambda actor, note: services.note_delete(actor=actor, note_id=note.pk),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_predicate_agrees_with_its_service_for_every_role(cast, notes, case):
    predicate, service = CASES[case]
    answers = set()
    for username, actor in sorted(cast.items()):
        for note in notes:
            said = predicate(actor, note)
            did = service_accepts(lambda actor=actor, note=note: service(actor, note))
            assert said is did, f"{case}: may_ says {said}, the service {did}, for {username}"
            answers.add(said)
    assert answers == {True, False}, case


def test_who_may_write_agrees_with_note_write(cast, islamabad):
    bodies = [None, *Body.objects.filter(process=islamabad, code__in=["WG-NUC", "HLC"])]
    answers = set()
    for username, actor in sorted(cast.items()):
        for body in bodies:
            said = access.may_write(actor, body)
            did = service_accepts(
                lambda actor=actor, body=body: services.note_write(
                    actor=actor,
                    text="A note",
                    body_code=body.code if body else None,
                    subject=None if body else "body:HLC",
                )
            )
            assert said is did, f"may_write says {said}, the service {did}, for {username}"
            answers.add(said)
    assert answers == {True, False}


def test_a_delegation_edits_its_own_notes_and_nobody_else_can(cast, notes):
    us_note = notes[0]
    assert access.may_edit(cast["us-head"], us_note)
    assert not access.may_edit(cast["ir-head"], us_note)
    assert not access.may_edit(cast["pk-chair"], us_note)
    assert not access.may_delete(cast["operator"], us_note)
    edited = services.note_edit(actor=cast["us-head"], note_id=us_note.pk, text="  New line ")
    assert edited.text == "New line"
    with pytest.raises(NotFound) as raised:
        services.note_edit(actor=cast["ir-head"], note_id=us_note.pk, text="Ours now")
    assert raised.value.error_case is access.NOTE_NOT_FOUND
