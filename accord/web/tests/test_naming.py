"""Timelines and subjects name things as people know them: a person's name, not their
username; a body's name, not ``body:WG-NUC``; a document's title, not ``document:<id>``
(decision 0082). And a name is never a way round the need-to-know policy."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accord.accounts import access
from accord.accounts.services import appointment_grant
from accord.events.models import Event
from accord.notes import services as notes
from accord.testing.need_to_know import assert_learns_nothing_of_others
from accord.web.naming import names_for, subject_in_words
from accord.web.templatetags.accord_words import in_sentences


def _get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_a_bodys_timeline_names_people_and_roles_not_usernames_and_codes(cast):
    # Given an appointment in WG-NUC (recorded by username and role code).
    appointment_grant(actor=None, username="pk-chair", role="co_chair", body="WG-SAN")
    chair = cast["pk-chair"]
    assert str(chair) != chair.username
    # When a participant opens the body's page.
    page = _get(cast["ir-head"], reverse("process:body", args=["WG-SAN"]))
    # Then its timeline says who was appointed by name, and the role in words.
    assert page.status_code == 200
    assert "pk-chair appointed" not in page.text
    assert "co chair" not in page.text
    assert f"{chair} appointed (co-chair)" in page.text


def test_an_internal_entry_is_tagged_with_who_may_read_it_in_words(cast):
    # Given an internal US note on WG-NUC.
    notes.note_write(actor=cast["us-head"], subject="body:WG-NUC", text="Hold the line.")
    event = Event.objects.filter(kind="InternalNoteWritten").latest("seq")
    # When the United States read it in a timeline.
    [line] = in_sentences([event], cast["us-head"])
    # Then it reads with the body's name and carries "Internal to ..." (no scope code).
    assert line.summary.startswith("Internal note on Working Group on Nuclear Matters")
    assert line.scope is not None and line.scope.label == "Internal to United States"
    assert "body:" not in line.summary and "party:" not in line.scope.label


def test_a_subject_the_viewer_may_not_see_is_named_only_by_its_kind(cast, texts):
    annex = texts["annex"]
    outsider = next(
        u
        for u in cast.values()
        if access.clearance(u).process_id == annex.process_id
        and not access.can_see(u, process_id=annex.process_id, scope=annex.scope)
    )
    reader = next(
        u
        for u in cast.values()
        if access.can_see(u, process_id=annex.process_id, scope=annex.scope)
    )
    provision = annex.provisions.get(label="Article 1.1")
    subjects = [annex.subject, provision.subject]
    # The reader gets titles and links; the outsider only "a document", "a provision".
    seen = names_for(reader, subjects=subjects)
    assert seen[annex.subject].label == annex.title
    assert seen[provision.subject].label == f"Article 1.1 of {annex.title}"
    unseen = names_for(outsider, subjects=subjects)
    assert unseen == {}
    assert [subject_in_words(s, unseen).label for s in subjects] == ["a document", "a provision"]
    assert_learns_nothing_of_others(
        [subject_in_words(s, unseen).label for s in subjects], hidden=[annex, provision]
    )


def test_days_in_sentences_read_with_the_months_name_and_rooms_carry_no_mark(cast):
    # Given a milestone's overdue event (an ISO day in its payload), in a body's scope.
    event = Event(
        kind="MilestoneOverdue",
        subject="milestone:NUC-1",
        scope="body:WG-NUC",
        payload={"code": "NUC-1", "due_on": "2020-11-25"},
    )
    # When it is read in a timeline.
    [line] = in_sentences([event], cast["ir-head"])
    # Then its day reads "25 Nov 2020", and the body's own scope is not marked.
    assert line.summary == "Milestone NUC-1 is overdue (was due 25 Nov 2020)"
    assert line.scope is None
