"""A US internal note cannot be reached by an Iran delegate (or a facilitator) by any route.

Routes tried: pages (body page, notes list, search), the API (list, detail by id, the
event log, the export), the admin, and direct ids. The live feed is covered in
``test_feed_need_to_know.py``, which needs a real ASGI server.
"""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from accord.notes.models import InternalNote
from accord.notes.services import note_write
from accord.testing.need_to_know import assert_learns_nothing_of_others, leaks_of

SECRET = "Fallback position: accept 5 per cent for two years"


@pytest.fixture
def us_note(cast, islamabad):
    return note_write(actor=cast["us-expert"], text=SECRET, body_code="WG-NUC")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_us_delegation_reads_its_own_note_everywhere(cast, us_note):
    """The positive control: every route below does show the note to its owners."""
    client = _client(cast["us-head"])
    assert SECRET in client.get(reverse("process:body", args=["WG-NUC"])).text
    assert SECRET in client.get(reverse("notes:list")).text
    assert SECRET in client.get(reverse("web:search"), {"q": "fallback"}).text
    assert client.get(f"/api/notes/{us_note.pk}").json()["text"] == SECRET
    assert SECRET in client.get("/api/events/").text
    assert SECRET in b"".join(client.get("/api/events/export").streaming_content).decode()


@pytest.mark.parametrize(
    "username", ["ir-head", "ir-expert", "ir-duty", "pk-chair", "qa-rapporteur"]
)
def test_no_route_leads_another_delegation_to_the_note(cast, us_note, username):
    client = _client(cast[username])
    pages = [
        client.get(reverse("process:body", args=["WG-NUC"])),
        client.get(reverse("notes:list")),
        client.get(reverse("web:search"), {"q": "fallback"}),
        client.get(reverse("web:search"), {"q": "5 per cent"}),
    ]
    for page in pages:
        assert page.status_code == 200
        assert SECRET not in page.text
        assert "Fallback" not in page.text
    assert client.get(f"/api/notes/{us_note.pk}").status_code == 404
    for params in ({}, {"subject": "body:WG-NUC"}):
        listed = client.get("/api/notes/", params)
        assert listed.status_code == 200
        assert listed.json() == []
    events = client.get("/api/events/")
    assert events.status_code == 200
    assert SECRET not in events.text
    exported = client.get("/api/events/export")
    assert exported.status_code == 200
    export = b"".join(exported.streaming_content).decode()
    assert SECRET not in export
    assert "InternalNoteWritten" not in export
    # Deleting by id is also a way to learn that a note exists: it must look absent.
    assert client.delete(f"/api/notes/{us_note.pk}").status_code == 404


def test_the_admin_shows_no_internal_note_to_an_operator(cast, us_note):
    client = _client(cast["operator"])
    changelist = client.get(reverse("admin:notes_internalnote_changelist"))
    assert changelist.status_code == 200
    assert SECRET not in changelist.text
    # The admin answers a row it does not show with "does not exist": back to its index.
    change = client.get(reverse("admin:notes_internalnote_change", args=[us_note.pk]))
    assert change.status_code == 302
    assert change["Location"] == reverse("admin:index")
    assert SECRET not in client.get(reverse("admin:events_event_changelist")).text


def test_an_iran_staff_user_sees_no_us_note_in_the_admin(cast, us_note):
    iran = cast["ir-head"]
    iran.is_staff = True
    iran.is_superuser = True
    iran.save()
    client = _client(iran)
    assert SECRET not in client.get(reverse("admin:notes_internalnote_changelist")).text
    assert SECRET not in client.get(reverse("admin:events_event_changelist")).text


def test_the_admin_is_closed_to_delegates_who_are_not_staff(cast, us_note):
    response = _client(cast["ir-head"]).get(reverse("admin:notes_internalnote_changelist"))
    assert response.status_code == 302


def test_a_note_cannot_be_filed_into_another_delegations_scope(cast, us_note):
    """Writing never takes a scope from the caller: an Iran note is always Iran's."""
    iran_note = note_write(actor=cast["ir-expert"], text="Our own note", subject="body:WG-NUC")
    assert iran_note.scope == "party:IR"
    client = _client(cast["us-head"])
    assert "Our own note" not in client.get(reverse("notes:list")).text


def test_note_ids_are_random_so_no_delegation_can_count_the_others_notes(cast, islamabad):
    """With counters, Iran's notes 3 and 7 would say the US wrote three in between."""
    iran_first = note_write(actor=cast["ir-expert"], text="one", subject="body:HLC")
    for n in range(3):
        note_write(actor=cast["us-expert"], text=f"US {n}", subject="body:HLC")
    iran_second = note_write(actor=cast["ir-expert"], text="two", subject="body:HLC")
    client = _client(cast["ir-expert"])
    ids = {note["id"] for note in client.get("/api/notes/").json()}
    assert ids == {str(iran_first.pk), str(iran_second.pk)}
    assert all(uuid.UUID(value).version == 4 for value in ids)
    assert client.get("/api/notes/not-a-uuid").status_code == 422


@pytest.mark.parametrize("username", ["ir-head", "ir-expert", "pk-chair", "qa-rapporteur"])
def test_the_lists_and_search_give_no_trace_of_the_us_notes(cast, us_note, username):
    """Not the text, not the id, not how many: Iran's own list shows Iran's one note."""
    note_write(actor=cast["us-head"], text="A second US note", subject="body:HLC")
    own = note_write(actor=cast["ir-expert"], text="Our own line", subject="body:HLC")
    hidden = list(InternalNote.objects.filter(scope="party:US"))
    assert len(hidden) == 2
    mine = 1 if cast[username].delegation.code == "IR" else 0
    client = _client(cast[username])
    for url, params in [
        (reverse("notes:list"), {}),
        (reverse("notes:list"), {"body": "WG-NUC"}),
        (reverse("notes:list"), {"body": "HLC"}),
        (reverse("process:body", args=["WG-NUC"]), {}),
        (reverse("process:body", args=["HLC"]), {}),
        (reverse("web:search"), {"q": "note"}),
        (reverse("web:search"), {"q": "fallback"}),
        ("/api/notes/", {}),
        ("/api/notes/", {"subject": "body:HLC"}),
        ("/api/notes/", {"limit": 1}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert_learns_nothing_of_others(response.content, hidden=hidden, shown=mine)
    listed = client.get("/api/notes/").json()
    assert [n["id"] for n in listed] == ([str(own.pk)] if mine else [])


def test_the_leak_check_sees_a_us_note_on_the_us_list(cast, us_note):
    """The positive control: on the US's own list the same check finds the note's id."""
    body = _client(cast["us-head"]).get("/api/notes/").content
    assert leaks_of(body, hidden=[us_note])
