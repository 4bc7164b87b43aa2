"""What the incident protocol puts on a person's desk: incident reports waiting for
their acknowledgement (as the duty officer of the side they went to), and the next step
of an acknowledged incident, due by the charter's deadline.

Read through ``selectors`` only (what the person may see), asking ``access`` who is asked.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts.models import User
from accord.attention import AttentionItem, AttentionKind, about_text, attention_register
from accord.incidents import selectors
from accord.incidents.models import CATEGORY_LABELS, STEP_LABELS
from accord.incidents.protocol import Category, Step, step_next

INCIDENT_TO_ACKNOWLEDGE = AttentionKind(
    "incidents.to_acknowledge", _("Incidents at sea awaiting your acknowledgement"), order=12
)
INCIDENT_STEP_DUE = AttentionKind("incidents.step_due", _("Incident protocol steps due"), order=45)


def _badges(category: str) -> tuple[str, ...]:
    return (str(CATEGORY_LABELS[Category(category)]),)


def incidents_to_acknowledge(actor: User) -> list[AttentionItem]:
    sentence = gettext("Acknowledge incident {code}, reported by {party}")
    return [
        AttentionItem(
            kind=INCIDENT_TO_ACKNOWLEDGE.code,
            sentence=sentence.format(code=row.code, party=row.reported_by.name),
            url=reverse("incidents:detail", args=[row.public_id]),
            subject=row.subject,
            about=about_text(row.description),
            deadline=row.due_at,
            urgent=True,
            badges=_badges(row.category),
        )
        for row in selectors.incidents_awaiting_acknowledgement(actor=actor)
    ]


def incident_steps_due(actor: User) -> list[AttentionItem]:
    sentence = gettext("Incident {code}: {step} is due")
    items = []
    for row in selectors.incidents_with_step_due(actor=actor):
        following = step_next(row.step) or Step.CLOSED
        items.append(
            AttentionItem(
                kind=INCIDENT_STEP_DUE.code,
                sentence=sentence.format(code=row.code, step=STEP_LABELS[following]),
                url=reverse("incidents:detail", args=[row.public_id]),
                subject=row.subject,
                about=about_text(row.description),
                deadline=row.due_at,
                badges=_badges(row.category),
            )
        )
    return items


def register() -> None:
    attention_register(INCIDENT_TO_ACKNOWLEDGE, incidents_to_acknowledge)
    attention_register(INCIDENT_STEP_DUE, incident_steps_due)
