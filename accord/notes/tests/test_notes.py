"""Writing internal notes: validation, events, pages and htmx."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.errors import NotFound, PermissionDenied, ValidationFailed
from accord.events.models import Event
from accord.notes import services
from accord.notes.models import InternalNote


def test_a_note_is_stored_with_its_delegations_scope_and_an_event(cast, islamabad):
    note = services.note_write(
        actor=cast["ir-head"], text="  Hold firm on item 3. ", body_code="HLC"
    )
    assert (note.scope, note.subject, note.text) == ("party:IR", "body:HLC", "Hold firm on item 3.")
    event = Event.objects.get(subject=f"note:{note.pk}")
    assert (event.kind, event.scope, event.actor) == (
        "InternalNoteWritten",
        "party:IR",
        cast["ir-head"],
    )


@pytest.mark.parametrize(
    ("text", "subject", "case"),
    [
        ("   ", "body:HLC", services.NOTE_EMPTY),
        ("x" * 20_001, "body:HLC", services.NOTE_TOO_LONG),
        ("text", "no-colon", services.NOTE_SUBJECT_INVALID),
        ("text", "body:", services.NOTE_SUBJECT_INVALID),
    ],
)
def test_bad_notes_are_refused_and_nothing_is_written(cast, text, subject, case):
    before = Event.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        services.note_write(actor=cast["us-head"], text=text, subject=subject)
    assert raised.value.error_case is case
    assert InternalNote.objects.count() == 0
    assert Event.objects.count() == before


def test_an_operator_without_a_delegation_cannot_write_notes(cast):
    with pytest.raises(PermissionDenied) as raised:
        services.note_write(actor=cast["operator"], text="hello", subject="body:HLC")
    assert raised.value.error_case is services.NOTE_NEEDS_DELEGATION


def test_a_note_on_a_body_not_in_the_process_is_not_found(cast):
    with pytest.raises(NotFound) as raised:
        services.note_write(actor=cast["us-head"], text="hello", body_code="WG-XYZ")
    assert raised.value.error_case is services.NOTE_BODY_NOT_FOUND
    assert InternalNote.objects.count() == 0


def test_the_api_refuses_a_malformed_note_with_a_clear_422(cast):
    client = Client()
    client.force_login(cast["us-head"])
    response = client.post("/api/notes/", {"body": "HLC"}, content_type="application/json")
    assert response.status_code == 422
    assert "text" in str(response.json()["detail"])
    response = client.post("/api/notes/", "{not json", content_type="application/json")
    assert response.status_code == 400  # not JSON at all: ninja cannot parse it
    assert InternalNote.objects.count() == 0


def test_the_htmx_form_returns_the_updated_panel(cast):
    client = Client()
    client.force_login(cast["us-expert"])
    response = client.post(
        reverse("notes:create"),
        {"text": "Check the baseline figures", "body": "WG-NUC", "subject": "body:WG-NUC"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="notes-panel"' in response.text
    assert "Check the baseline figures" in response.text
    assert "<html" not in response.text


def test_the_form_without_htmx_redirects_back_to_the_body(cast):
    client = Client()
    client.force_login(cast["us-expert"])
    response = client.post(reverse("notes:create"), {"text": "Plain post", "body": "WG-NUC"})
    assert response.status_code == 302
    assert response["Location"] == reverse("process:body", args=["WG-NUC"])


def test_a_note_can_be_deleted_by_its_delegation_and_the_log_keeps_it(cast):
    note = services.note_write(actor=cast["us-expert"], text="Draft idea", subject="body:WG-SAN")
    services.note_delete(actor=cast["us-head"], note_id=note.pk)
    assert not InternalNote.objects.filter(pk=note.pk).exists()
    kinds = list(Event.objects.filter(subject=f"note:{note.pk}").values_list("kind", flat=True))
    assert kinds == ["InternalNoteWritten", "InternalNoteDeleted"]


def test_a_note_is_edited_by_the_api_and_the_log_keeps_both_texts(cast):
    note = services.note_write(actor=cast["us-expert"], text="First", subject="body:WG-SAN")
    client = Client()
    client.force_login(cast["us-head"])
    response = client.patch(
        f"/api/notes/{note.pk}", {"text": "Second"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["text"] == "Second"
    texts = list(Event.objects.filter(subject=f"note:{note.pk}").values_list("payload", flat=True))
    assert [t["text"] for t in texts] == ["First", "Second"]
    other = Client()
    other.force_login(cast["ir-head"])
    refused = other.patch(
        f"/api/notes/{note.pk}", {"text": "Ours"}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert refused.json()["code"] == "note.not_found"


def test_a_refused_note_keeps_its_text_beside_the_error_with_htmx_and_without(cast):
    # Given a note longer than a note may be
    client = Client()
    client.force_login(cast["us-expert"])
    text = "y" * 20_001
    typed = {"text": text, "body": "WG-NUC", "subject": "body:WG-NUC", "next": "/bodies/WG-NUC/"}
    # When it is posted from the panel with htmx, and as a plain form
    panel = client.post(reverse("notes:create"), typed, HTTP_HX_REQUEST="true")
    page = client.post(reverse("notes:create"), typed)
    # Then both answer 422 with the text kept and the sentence under it, and nothing is kept
    for response in (panel, page):
        assert response.status_code == 422
        assert text + "</textarea>" in response.text
        assert 'aria-describedby="note-text-error"' in response.text
        assert 'id="note-text-error" role="alert">' in response.text
    assert "<html" not in panel.text and "<html" in page.text
    assert 'href="/bodies/WG-NUC/"' in page.text
    assert InternalNote.objects.count() == 0


def test_a_refused_note_links_back_only_to_a_page_of_this_site(cast):
    client = Client()
    client.force_login(cast["us-expert"])
    page = client.post(
        reverse("notes:create"), {"text": "", "body": "WG-NUC", "next": "javascript:alert(1)"}
    )
    assert page.status_code == 422
    assert "javascript:" not in page.text
