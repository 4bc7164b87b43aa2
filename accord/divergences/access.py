"""The divergence register's way in: fetch what a user named, and who may act on it.

``<entity>_access(actor, public_id, *, lock=False)`` is the only way to fetch a
divergence, position, bridging proposal or referral a user asked for: missing and
invisible answer alike (the same ``NotFound`` case), so existence never leaks.
``may_<verb>(actor, thing)`` holds each "who may act" rule; the services raise when one
says no, and the pages and the API offer an action only where it says yes. Who someone
is (facilitator, party, in the process) is asked of ``accounts.access`` only.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import Role, User
from accord.divergences.models import BridgingProposal, Divergence, Position, Referral
from accord.errors import NotFound
from accord.process.models import Body
from accord.public_ids import parse_public_id

# What a service is given to name a row: its public id, parsed or as sent.
PublicId = uuid.UUID | str

DIVERGENCE_NOT_FOUND = NotFound.case("divergence.not_found", _("There is no such divergence."))
POSITION_NOT_FOUND = NotFound.case("position.not_found", _("There is no such position."))
BRIDGING_PROPOSAL_NOT_FOUND = NotFound.case(
    "bridging_proposal.not_found", _("There is no such bridging proposal.")
)
REFERRAL_NOT_FOUND = NotFound.case("divergence_referral.not_found", _("There is no such referral."))
REGISTER_NOT_FOUND = NotFound.case(
    "divergence.register_not_found", _("There is no body {code} in this process.")
)


# --- Fetching what a user named ------------------------------------------------------------


def divergences_visible(actor: User | None) -> QuerySet[Divergence]:
    """Every divergence ``actor`` may see (with its body and process, for reading)."""
    return access.restrict(Divergence.objects.select_related("body", "process"), actor)


def divergence_rows(actor: User | None, public_id: Any) -> QuerySet[Divergence]:
    """The (zero or one) divergence ``public_id`` names, as ``actor`` may see it: for
    ``change_locked``, which locks it. A malformed id selects nothing."""
    parsed = parse_public_id(public_id)
    rows = divergences_visible(actor)
    return rows.filter(public_id=parsed) if parsed is not None else rows.none()


def divergence_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Divergence:
    """The divergence ``public_id`` names, if ``actor`` may see it; else ``DIVERGENCE_NOT_FOUND``.

    ``lock``: the divergence row only (not its process and body), until commit.
    """
    return access.visible_get(
        Divergence.objects.select_related("body", "process"),
        actor,
        missing=DIVERGENCE_NOT_FOUND,
        lock=lock,
        public_id=parse_public_id(public_id),
    )


def position_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Position:
    """A position ``actor`` may read (shared, or their own party's internal one)."""
    return access.visible_get(
        Position.objects.select_related("divergence", "delegation"),
        actor,
        missing=POSITION_NOT_FOUND,
        lock=lock,
        public_id=parse_public_id(public_id),
    )


def bridging_proposal_access(
    actor: User | None, public_id: Any, *, lock: bool = False
) -> BridgingProposal:
    return access.visible_get(
        BridgingProposal.objects.select_related("divergence", "author"),
        actor,
        missing=BRIDGING_PROPOSAL_NOT_FOUND,
        lock=lock,
        public_id=parse_public_id(public_id),
    )


def referral_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Referral:
    return access.visible_get(
        Referral.objects.select_related("divergence", "by"),
        actor,
        missing=REFERRAL_NOT_FOUND,
        lock=lock,
        public_id=parse_public_id(public_id),
    )


def register_access(actor: User | None, code: str) -> Body:
    """The body (by its code) whose register a divergence is recorded in, in ``actor``'s
    process; else ``REGISTER_NOT_FOUND``. Bodies are public within their process."""
    process_id = access.clearance(actor).process_id
    body = (
        Body.objects.filter(process_id=process_id, code=code).select_related("process").first()
        if process_id is not None and code
        else None
    )
    if body is None:
        raise REGISTER_NOT_FOUND(code=code)
    return body


# --- Who may act ---------------------------------------------------------------------------


def may_open(actor: User | None, body: Body) -> bool:
    """Record a divergence in ``body``'s register: facilitators, and those who read the body."""
    if not access.in_process(actor, body.process_id):
        return False
    return access.is_facilitator(actor, process_id=body.process_id) or access.can_see(
        actor, process_id=body.process_id, scope=access.body_scope(body.code)
    )


def may_state_position(actor: User | None, divergence: Divergence) -> bool:
    """State a position: a party's delegation only (facilitators bridge, they take none)."""
    return access.is_party(actor, process_id=divergence.process_id)


def may_share_position(actor: User | None, divergence: Divergence) -> bool:
    """Share one's own party's internal position: that party's delegation."""
    return access.is_party(actor, process_id=divergence.process_id)


def may_propose_bridge(actor: User | None, divergence: Divergence) -> bool:
    """Table a bridging proposal: the facilitators."""
    return access.is_facilitator(actor, process_id=divergence.process_id)


def may_refer(actor: User | None, divergence: Divergence) -> bool:
    """Refer up the ladder: facilitators, and the chairs of the body where it now sits."""
    if not access.in_process(actor, divergence.process_id) or actor is None:
        return False
    if access.is_facilitator(actor, process_id=divergence.process_id):
        return True
    return actor.appointments.filter(
        body__process_id=divergence.process_id,
        body__code=divergence.rung,
        role__in=[Role.CHAIR, Role.CO_CHAIR],
    ).exists()


def may_resolve(actor: User | None, divergence: Divergence) -> bool:
    """Record how a divergence was settled: the facilitators."""
    return access.is_facilitator(actor, process_id=divergence.process_id)


def may_park(actor: User | None, divergence: Divergence) -> bool:
    """Set a divergence aside by agreement: the facilitators."""
    return access.is_facilitator(actor, process_id=divergence.process_id)


def may_reopen(actor: User | None, divergence: Divergence) -> bool:
    """Reopen a resolved or parked divergence: the facilitators."""
    return access.is_facilitator(actor, process_id=divergence.process_id)
