"""What the negotiating texts put on a person's desk.

- Proposals awaiting the pen-holder's decision: pending proposals the person may see and
  may decide (``access.may_decide_proposal``).
- Provisions awaiting the person's delegation's position: provisions of texts on which
  the person may state a position (``access.may_state_position``: a party, the text not
  adopted) whose current wording their delegation has not taken a position on.

Both are read through the app's selectors; a text's deadline is the next milestone of
the body that owns it (what the text is due for), when there is one.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts.models import User
from accord.attention import AttentionItem, AttentionKind, about_text, attention_register
from accord.drafting import access, brackets, selectors
from accord.drafting.models import Document, Proposal
from accord.process.models import Milestone
from accord.process.selectors import milestone_list

PROPOSAL_TO_DECIDE = AttentionKind(
    "drafting.proposal_to_decide", _("Proposals awaiting your decision"), order=30
)
POSITION_TO_STATE = AttentionKind(
    "drafting.position_to_state", _("Provisions awaiting your delegation's position"), order=40
)


def _next_due_by_body(actor: User) -> dict[int, tuple[dt.date, str]]:
    """The due date and code of each body's next milestone not yet met."""
    due: dict[int, tuple[dt.date, str]] = {}
    for m in milestone_list(actor=actor).exclude(status=Milestone.Status.MET):
        if m.body_id not in due or m.due_on < due[m.body_id][0]:
            due[m.body_id] = (m.due_on, m.code)
    return due


def _plain(text: str) -> str:
    """A provision's wording with its brackets but no sponsor tags (as a reader says it)."""
    try:
        return brackets.plain(text)
    except brackets.BracketError:
        return text


def proposals_to_decide(actor: User) -> list[AttentionItem]:
    # The texts whose pen the actor holds first (a delegate holds none: no proposal is
    # read), then only their pending proposals (issue 18: 2,000 in a year).
    pens = [d.pk for d in selectors.document_list(actor=actor) if access.may_hold_pen(actor, d)]
    if not pens:
        return []
    pending = selectors.proposal_list(actor=actor, state=Proposal.State.PENDING)
    mine = list(pending.filter(document_id__in=pens))
    if not mine:
        return []
    due = _next_due_by_body(actor)
    sentence = gettext("Decide the {party} proposal on {where}: {kind}")
    items = []
    for proposal in mine:
        document = proposal.document
        due_on, due_for = due.get(document.body_id, (None, ""))
        where = (
            f"{proposal.provision.label} · {document.title}"
            if proposal.provision is not None and proposal.provision.label
            else document.title
        )
        items.append(
            AttentionItem(
                kind=PROPOSAL_TO_DECIDE.code,
                sentence=sentence.format(
                    party=proposal.delegation,
                    where=where,
                    kind=proposal.get_kind_display().lower(),
                ),
                url=reverse("drafting:document", args=[document.public_id]) + "#proposals",
                subject=proposal.subject,
                about=about_text(proposal.justification),
                deadline=due_on,
                deadline_for=due_for,
            )
        )
    return items


def positions_to_state(actor: User) -> list[AttentionItem]:
    documents: list[Document] = [
        d for d in selectors.document_list(actor=actor) if access.may_state_position(actor, d)
    ]
    if not documents:
        return []
    due = _next_due_by_body(actor)
    sentence = gettext("State your delegation's position on {label} of {document}")
    awaiting = selectors.provisions_awaiting_positions(actor=actor, documents=documents)
    items = []
    for document in documents:
        due_on, due_for = due.get(document.body_id, (None, ""))
        for provision in awaiting.get(document.pk, []):
            items.append(
                AttentionItem(
                    kind=POSITION_TO_STATE.code,
                    sentence=sentence.format(
                        label=provision.label or provision.heading, document=document.title
                    ),
                    url=reverse("drafting:provision", args=[provision.wid]),
                    subject=provision.subject,
                    about=about_text(provision.heading or _plain(provision.text)),
                    deadline=due_on,
                    deadline_for=due_for,
                )
            )
    return items


def register() -> None:
    attention_register(PROPOSAL_TO_DECIDE, proposals_to_decide)
    attention_register(POSITION_TO_STATE, positions_to_state)
