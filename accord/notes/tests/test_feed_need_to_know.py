"""The live feed route: an Iran delegate's open stream never carries a US internal note."""

import json

import pytest
from django.conf import settings

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.notes.services import note_write
from accord.process.models import Body
from accord.process.services import charter_load, milestone_mark_met
from accord.testing.need_to_know import assert_learns_nothing_of_others

SECRET = "Red line: no inspections at military sites"


@pytest.fixture
def live_cast(transactional_db):
    process = charter_load(path=settings.ACCORD_DEFAULT_CHARTER).process
    demo_accounts_ensure(process=process)
    return process, {u.username: u for u in User.objects.all()}


@pytest.mark.usefixtures("fast_feed")
def test_an_open_iran_stream_skips_a_us_note_and_gets_the_next_shared_event(live_cast, open_feed):
    process, cast = live_cast
    body = Body.objects.get(process=process, code="WG-VER")
    with open_feed(cast["ir-expert"]) as iran, open_feed(cast["us-head"]) as us:
        note = note_write(actor=cast["us-expert"], text=SECRET, body_code=body.code)
        # A later event Iran may see proves Iran's stream was live past the note.
        own = note_write(actor=cast["ir-expert"], text="Our marker", body_code=body.code)
        seen_by_iran = iran.events_until(f"note:{own.pk}")
        seen_by_us = us.events_until(f"note:{note.pk}")
    assert all(SECRET not in str(event.data) for event in seen_by_iran)
    for event in seen_by_iran:
        assert_learns_nothing_of_others(event.data, hidden=[note])
    assert all(event.data["scope"] != "party:US" for event in seen_by_iran)
    assert seen_by_us[-1].data["payload"]["text"] == SECRET


@pytest.mark.usefixtures("fast_feed")
def test_replaying_the_whole_log_gives_no_one_else_the_us_note(live_cast, open_feed):
    process, cast = live_cast
    note = note_write(actor=cast["us-expert"], text=SECRET, subject="body:WG-VER")
    # A shared event after the note: every replay below reads at least up to it.
    nuc_1 = process.milestones.get(code="NUC-1")
    milestone_mark_met(code=nuc_1.code, actor=cast["pk-chair"])
    for username in ("ir-head", "ir-expert", "pk-chair", "qa-rapporteur", "us-member"):
        with open_feed(cast[username], params={"from": "start"}) as feed:
            events = feed.events_until("milestone:NUC-1")
        assert len(events) > 1, username
        carried_note = any(SECRET in str(event.data) for event in events)
        assert carried_note is (username == "us-member"), username
        if username != "us-member":
            # Other apps' events are theirs to check; this app's must give nothing away.
            assert str(note.pk) not in json.dumps([event.data for event in events])
            for event in events:
                if event.data["subject"].startswith("note:"):
                    assert_learns_nothing_of_others(event.data, hidden=[note])
