"""What the divergence register puts on a person's desk: divergences escalated to a body
the person sits in (referred up the ladder from the register they were recorded in,
unresolved), with the deadline of their rung (when they move on by themselves).

Read through ``selectors.divergence_list`` (only divergences the person may see).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts.models import User
from accord.attention import AttentionItem, AttentionKind, about_text, attention_register
from accord.divergences import selectors
from accord.process.selectors import body_codes_sat_in

DIVERGENCE_ESCALATED = AttentionKind(
    "divergences.escalated", _("Divergences escalated to your bodies"), order=70
)


def divergences_escalated(actor: User) -> list[AttentionItem]:
    bodies = body_codes_sat_in(actor=actor)
    if not bodies:
        return []
    sentence = gettext("{code} {title}: referred from {origin} to {rung}")
    items = []
    for divergence in selectors.divergence_list(actor=actor, status="unresolved").filter(
        rung__in=bodies
    ):
        if divergence.rung == divergence.body.code:
            continue  # still in its own register: not escalated
        items.append(
            AttentionItem(
                kind=DIVERGENCE_ESCALATED.code,
                sentence=sentence.format(
                    code=divergence.code,
                    title=divergence.title,
                    origin=divergence.body.code,
                    rung=divergence.rung,
                ),
                url=reverse("divergences:detail", args=[divergence.public_id]),
                subject=divergence.subject,
                about=about_text(divergence.description),
                deadline=divergence.rung_deadline,
            )
        )
    return items


def register() -> None:
    attention_register(DIVERGENCE_ESCALATED, divergences_escalated)
