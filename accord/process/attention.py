"""What the roadmap puts on a person's desk: milestones at risk (or overdue) of the bodies
the person sits in, with their due date and the reasons they are at risk.

Read through ``reports.selectors.roadmap_overview``: the same health the home page and
the roadmap show (forecasts fed by drafting's brackets and the divergences).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts.models import User
from accord.attention import AttentionItem, AttentionKind, attention_register
from accord.process.selectors import body_codes_sat_in
from accord.reports.selectors import roadmap_overview

MILESTONE_AT_RISK = AttentionKind(
    "process.milestone_at_risk", _("Milestones at risk in your bodies"), order=80
)
_AT_RISK = ("at_risk", "overdue")


def milestones_at_risk(actor: User) -> list[AttentionItem]:
    bodies = body_codes_sat_in(actor=actor)
    if not bodies:
        return []
    sentence = gettext("{code} {title} ({body}) is {health}")
    items = []
    for view in roadmap_overview(actor=actor, today=timezone.localdate()).milestones:
        milestone = view.milestone
        if view.health not in _AT_RISK or milestone.body.code not in bodies:
            continue
        items.append(
            AttentionItem(
                kind=MILESTONE_AT_RISK.code,
                sentence=sentence.format(
                    code=milestone.code,
                    title=milestone.title,
                    body=milestone.body.code,
                    health=view.health_label.lower(),
                ),
                url=reverse("process:body", args=[milestone.body.code]),
                subject=f"milestone:{milestone.code}",
                about="; ".join(view.reasons),
                deadline=milestone.due_on,
                urgent=view.health == "overdue",
            )
        )
    return items


def register() -> None:
    attention_register(MILESTONE_AT_RISK, milestones_at_risk)
