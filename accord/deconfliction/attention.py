"""What the de-confliction mechanism puts on a person's desk: receipts to acknowledge
(for the party's duty officers and head), acknowledgements missed long enough to reach
the facilitators, and violation reports awaiting the chairs' determination.

Read through ``selectors`` only (what the person may see) and asked of ``access``'s
``may_`` predicates (whether they are the one asked).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.attention import AttentionItem, AttentionKind, about_text, attention_register
from accord.deconfliction import access, selectors
from accord.deconfliction.models import ViolationReport

ACKNOWLEDGEMENT_DUE = AttentionKind(
    "deconfliction.acknowledgement_due",
    _("Notifications to acknowledge (receipt, not approval)"),
    order=25,
)
ACKNOWLEDGEMENT_MISSED = AttentionKind(
    "deconfliction.acknowledgement_missed",
    _("Notifications a party has not acknowledged"),
    order=26,
)
DETERMINATION_PENDING = AttentionKind(
    "deconfliction.determination_pending", _("Violation reports awaiting a determination"), order=60
)


def acknowledgements_due(actor: User) -> list[AttentionItem]:
    items = []
    for receipt in selectors.receipts_pending(actor=actor):
        notification = receipt.notification
        if not access.may_acknowledge_for(actor, notification.mechanism, receipt.delegation):
            continue
        items.append(
            AttentionItem(
                kind=ACKNOWLEDGEMENT_DUE.code,
                sentence=gettext("Acknowledge receipt of {title} ({organisation})").format(
                    title=notification.title, organisation=notification.organisation.name
                ),
                url=reverse("deconfliction:notification", args=[notification.public_id]),
                subject=notification.subject,
                about=notification.get_kind_display(),
                deadline=receipt.due_at,
                urgent=notification.emergency,
                badges=(gettext("emergency"),) if notification.emergency else (),
            )
        )
    return items


def acknowledgements_missed(actor: User) -> list[AttentionItem]:
    if not accounts_access.is_facilitator(actor):
        return []
    items = []
    for receipt in selectors.receipts_pending(actor=actor):
        if not any(e.to == "facilitators" for e in receipt.escalations.all()):
            continue
        notification = receipt.notification
        items.append(
            AttentionItem(
                kind=ACKNOWLEDGEMENT_MISSED.code,
                sentence=gettext("{party} has not acknowledged receipt of {title}").format(
                    party=receipt.delegation.short_name or receipt.delegation.name,
                    title=notification.title,
                ),
                url=reverse("deconfliction:notification", args=[notification.public_id]),
                subject=notification.subject,
                deadline=receipt.due_at,
                urgent=True,
            )
        )
    return items


def determinations_pending(actor: User) -> list[AttentionItem]:
    items = []
    waiting = (ViolationReport.Status.RECEIVED, ViolationReport.Status.UNDER_REVIEW)
    for report in selectors.report_list(actor=actor).filter(status__in=waiting):
        if not access.may_review(actor, report):
            continue
        items.append(
            AttentionItem(
                kind=DETERMINATION_PENDING.code,
                sentence=gettext("Determine the alleged violation reported by {side}").format(
                    side=report.delegation.short_name or report.delegation.name
                ),
                url=reverse("deconfliction:report", args=[report.public_id]),
                subject=report.subject,
                about=about_text(report.description),
            )
        )
    return items


def register() -> None:
    attention_register(ACKNOWLEDGEMENT_DUE, acknowledgements_due)
    attention_register(ACKNOWLEDGEMENT_MISSED, acknowledgements_missed)
    attention_register(DETERMINATION_PENDING, determinations_pending)
