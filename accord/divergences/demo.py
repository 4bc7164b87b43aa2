"""Demo divergences for ``accord demo``: a few points at each rung, with positions.

Idempotent: a divergence is recognised by its title, so running the demo again adds
nothing. Dates are set back in time through the services' ``now`` so the board shows ages
and the burn-down has a history.
"""

import datetime as dt

from django.utils import timezone

from accord.accounts.models import User
from accord.divergences import services
from accord.divergences.models import Divergence
from accord.process.models import Body, Process

# (body, title, description, days ago, US position, IR position, shared?, bridging?, climb?)
DEMO = [
    (
        "WG-NUC",
        "Enrichment ceiling during the first phase",
        "Level and duration of the enrichment ceiling before the comprehensive agreement.",
        12,
        "A ceiling of 3.67 per cent for the whole first phase.",
        "Enrichment up to 20 per cent for research reactors must continue.",
        True,
        True,
        False,
    ),
    (
        "WG-NUC",
        "Disposition of the existing high-enriched stockpile",
        "Down-blending in country or shipment abroad.",
        20,
        "Shipment abroad under verification.",
        "Down-blending in country, verified.",
        True,
        False,
        True,
    ),
    (
        "WG-SAN",
        "Sequencing of oil-export relief",
        "Whether oil-export relief comes in the first tranche.",
        9,
        "Oil relief only after the verifier's second report.",
        "Oil relief in the first tranche.",
        False,
        True,
        False,
    ),
    (
        "WG-VER",
        "Access to undeclared sites",
        "Notice periods for access requests at sites not declared.",
        40,
        "24 hours' notice.",
        "Access through the joint body only, 14 days.",
        True,
        True,
        True,
    ),
    (
        "WG-IMP",
        "Reporting cadence to the HLC",
        "Monthly or quarterly implementation reports.",
        5,
        "Monthly reports.",
        "Quarterly reports.",
        True,
        False,
        False,
    ),
]


def demo_content_ensure(*, process: Process) -> None:
    users = {u.username: u for u in User.objects.filter(delegation__process=process)}
    facilitator = users.get("pk-chair")
    us, ir = users.get("us-expert"), users.get("ir-expert")
    if facilitator is None or us is None or ir is None:
        return
    bodies = {b.code: b for b in Body.objects.filter(process=process)}
    now = timezone.now()
    for code, title, description, days_ago, us_text, ir_text, shared, bridge, climb in DEMO:
        body = bodies.get(code)
        if body is None or Divergence.objects.filter(process=process, title=title).exists():
            continue
        opened = now - dt.timedelta(days=days_ago)
        row = services.divergence_open(
            actor=facilitator, body_code=code, title=title, description=description, now=opened
        )
        d = row.public_id
        services.position_set(actor=us, divergence_id=d, text=us_text, shared=shared)
        services.position_set(actor=ir, divergence_id=d, text=ir_text, shared=True)
        # Each party also keeps a fallback to itself: the other side never sees it.
        services.position_set(
            actor=us, divergence_id=d, text=f"Fallback (US only): {us_text.lower()}", shared=False
        )
        services.position_set(
            actor=ir, divergence_id=d, text=f"Fallback (IR only): {ir_text.lower()}", shared=False
        )
        if bridge:
            services.bridging_propose(
                actor=facilitator,
                divergence_id=d,
                text="A phased approach: the first step as the one side asks, the rest verified.",
            )
        if climb:
            # The sweeper refers what has sat past its rung's deadline.
            services.divergences_escalate_overdue(now=now)
    # One resolved point, for the burn-down's history.
    title = "Language of the working texts"
    if not Divergence.objects.filter(process=process, title=title).exists() and "WG-CMP" in bodies:
        row = services.divergence_open(
            actor=facilitator,
            body_code="WG-CMP",
            title=title,
            now=now - dt.timedelta(days=8),
        )
        services.divergence_resolve(
            actor=facilitator,
            divergence_id=row.public_id,
            resolution="English working texts; authentic versions in English and Persian.",
        )
