"""What meetings put on a person's desk.

- Minutes awaiting the person's delegation's approval: circulated minutes of a session
  the person may approve for their party (``access.may_approve_minutes``) that the party
  has not approved in their current revision.
- Action items assigned to the person, still open (or overdue), by due date.

Both read through the app's selectors (``minutes_circulated``, ``action_item_list``).
"""

from __future__ import annotations

from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts.models import User
from accord.attention import AttentionItem, AttentionKind, about_text, attention_register
from accord.meetings import access, selectors
from accord.meetings.models import ActionItem

MINUTES_TO_APPROVE = AttentionKind(
    "meetings.minutes_to_approve", _("Minutes awaiting your delegation's approval"), order=50
)
ACTION_ITEM_MINE = AttentionKind("meetings.action_item", _("Action items assigned to you"), 60)


def minutes_to_approve(actor: User) -> list[AttentionItem]:
    sentence = gettext("Approve the minutes of {session} ({day})")
    items = []
    for minutes in selectors.minutes_circulated(actor=actor):
        session = minutes.session
        party = access.party_concerned(actor, session)
        if party is None:
            continue
        approved = any(
            a.delegation_id == party.pk and a.revision == minutes.revision
            for a in minutes.approvals.all()
        )
        if approved:
            continue
        items.append(
            AttentionItem(
                kind=MINUTES_TO_APPROVE.code,
                sentence=sentence.format(
                    session=session.title,
                    day=date_format(timezone.localtime(session.starts_at), "j M Y"),
                ),
                url=reverse("meetings:session", args=[session.pk]) + "#minutes-panel",
                subject=f"session:{session.pk}",
                about=about_text(minutes.text),
            )
        )
    return items


def action_items_mine(actor: User) -> list[AttentionItem]:
    sentence = gettext("Action {number} from {session}")
    items = []
    for item in selectors.action_item_list(actor=actor, owner=actor).exclude(
        status=ActionItem.Status.DONE
    ):
        session = item.minutes.session
        items.append(
            AttentionItem(
                kind=ACTION_ITEM_MINE.code,
                sentence=sentence.format(number=item.number, session=session.title),
                url=reverse("meetings:session", args=[session.pk]) + "#minutes-panel",
                subject=f"action:{item.pk}",
                about=about_text(item.text),
                deadline=item.due_on,
                urgent=item.status == ActionItem.Status.OVERDUE,
            )
        )
    return items


def register() -> None:
    attention_register(MINUTES_TO_APPROVE, minutes_to_approve)
    attention_register(ACTION_ITEM_MINE, action_items_mine)
