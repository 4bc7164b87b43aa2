"""Who may read the briefing agrees with what ``briefing_get`` gives, for the whole cast."""

import datetime as dt

from accord.errors import NotFound, PermissionDenied
from accord.reports import access, selectors


def test_may_read_briefing_agrees_with_the_briefing_for_every_actor(cast):
    readers = set()
    for username, actor in cast.items():
        try:
            selectors.briefing_get(actor=actor, on=dt.date(2026, 11, 25))
        except (PermissionDenied, NotFound):
            accepted = False
        else:
            accepted = True
        assert access.may_read_briefing(actor) == accepted, username
        if accepted:
            readers.add(username)
    # Written out by hand: the facilitators and the HLC's members, nobody else.
    assert {"pk-chair", "qa-chair", "us-head", "ir-head"} <= readers
    assert not {"us-expert", "ir-expert", "operator"} & readers
