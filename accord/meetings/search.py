"""Search source: sessions, agenda items, minutes, decisions, action items and caucus
notes, each read through ``meetings.selectors`` (so only what the searcher may see)."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accord.accounts.models import User
from accord.meetings import selectors
from accord.search_base import SearchHit, numbered, snippet


def _url(session_id: object) -> str:
    return reverse("meetings:session", args=[session_id])


def _by_number(rows: QuerySet[Any], number: int | None, limit: int) -> list[Any]:
    """Decisions or action items numbered ``number`` ("Decision 3"), when asked so."""
    return [] if number is None else list(rows.filter(number=number)[:limit])


def search_hits(*, actor: User | None, query: str, limit: int) -> list[SearchHit]:
    hits = [
        SearchHit(
            _("session"), s.title, f"{s.venue} · {s.starts_at:%Y-%m-%d %H:%M} UTC", _url(s.pk)
        )
        for s in selectors.session_search(actor=actor, query=query, limit=limit)
    ]
    hits += [
        SearchHit(
            _("agenda item"),
            item.title,
            snippet(item.note or item.subject, query),
            _url(item.session_id) if item.session_id else reverse("meetings:index"),
        )
        for item in selectors.agenda_search(actor=actor, query=query, limit=limit)
    ]
    hits += [
        SearchHit(
            _("minutes"),
            _("Minutes of {session}").format(session=m.session.title),
            snippet(m.text, query),
            _url(m.session_id),
        )
        for m in selectors.minutes_search(actor=actor, query=query, limit=limit)
    ]
    hits += [
        SearchHit(
            _("decision"),
            _("Decision {number}, {session}").format(
                number=d.number, session=d.minutes.session.title
            ),
            snippet(d.text, query),
            _url(d.minutes.session_id),
        )
        for d in _by_number(
            selectors.decision_list(actor=actor), numbered(query, "Decision"), limit
        )
        or selectors.decision_search(actor=actor, query=query, limit=limit)
    ]
    hits += [
        SearchHit(
            _("action item"),
            _("Action {number}, {session}").format(
                number=a.number, session=a.minutes.session.title
            ),
            snippet(a.text, query),
            _url(a.minutes.session_id),
        )
        for a in _by_number(
            selectors.action_item_list(actor=actor), numbered(query, "Action"), limit
        )
        or selectors.action_item_search(actor=actor, query=query, limit=limit)
    ]
    hits += [
        SearchHit(
            _("caucus note"),
            n.title or _("Caucus note, {session}").format(session=n.session.title),
            snippet(n.text, query),
            _url(n.session_id),
        )
        for n in selectors.caucus_note_search(actor=actor, query=query, limit=limit)
    ]
    return hits
