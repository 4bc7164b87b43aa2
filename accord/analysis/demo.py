"""Demo preferences for ``accord demo``: both parties' confidential preferences on the
demo texts' option sets, shared with the facilitators, so the frontier page has
something to show.

Idempotent: a delegation that has stated preferences on a text is left as it is. Written
through the real services, as the parties would: each party scores the options it
sponsors highest, the other party's lowest, and an option nobody sponsors in between,
with weights that differ by issue, so there is a trade-off to find.
"""

from __future__ import annotations

from django.db import transaction

from accord.accounts.models import User
from accord.analysis import selectors, services
from accord.analysis.models import Preference
from accord.drafting.demo import ANNEX, FRAMEWORK
from accord.drafting.models import Document
from accord.process.models import Process

# (text, [(username, party code, weights by issue order, reservation)])
PLAN = [
    (FRAMEWORK, [("us-head", "US", [40, 90, 60], 30), ("ir-head", "IR", [70, 80, 30], 30)]),
    (
        ANNEX,
        [
            ("us-expert", "US", [90, 60, 30, 50, 70, 40], 35),
            ("ir-expert", "IR", [50, 90, 60, 30, 40, 70], 35),
        ],
    ),
]


def _scores(options: tuple, code: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for option in options:
        if code in option.sponsors:
            out[option.key] = 100
        elif option.sponsors:
            out[option.key] = 0
        else:
            out[option.key] = 55
    return out


def demo_content_ensure(*, process: Process) -> None:
    """Both parties' preferences on the demo texts, shared with the facilitators (once)."""
    users = {u.username: u for u in User.objects.filter(delegation__process=process)}
    for title, parties in PLAN:
        document = Document.objects.filter(process=process, title=title).first()
        if document is None:
            continue
        for username, code, weights, reservation in parties:
            user = users.get(username)
            if (
                user is None
                or Preference.objects.filter(document=document, delegation__code=code).exists()
            ):
                continue
            found = selectors.document_issues(actor=user, document=document)
            if not found:
                continue
            scores: dict[str, int] = {}
            for issue in found:
                scores.update(_scores(issue.options, code))
            with transaction.atomic():
                services.preference_save(
                    actor=user,
                    document_id=str(document.public_id),
                    weights={i.key: weights[n % len(weights)] for n, i in enumerate(found)},
                    scores=scores,
                    reservation=reservation,
                )
                services.preference_share(
                    actor=user, document_id=str(document.public_id), consent=True
                )
