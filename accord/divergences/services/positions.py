"""Party positions on a divergence (internal or shared) and the facilitators' bridging proposals."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.divergences import access
from accord.divergences.access import DIVERGENCE_NOT_FOUND, PublicId
from accord.divergences.models import BridgingProposal, Divergence, Position
from accord.divergences.services.common import (
    BRIDGING_FACILITATORS_ONLY,
    NOTHING_TO_SHARE,
    POSITION_PARTIES_ONLY,
    _open_only,
    _payload,
    _text,
)
from accord.events.changes import change_locked
from accord.events.services import NewEvent

# --- Positions -----------------------------------------------------------------------------


def position_set(*, actor: User, divergence_id: PublicId, text: str, shared: bool) -> Position:
    """State ``actor``'s party's position: kept internal (``party:<code>``) or shared.

    A party holds at most one internal and one shared position per divergence; stating it
    again replaces the text. The event carries the position's own scope, so an internal
    position reaches nobody outside the party by the feed either.
    """
    stated: list[tuple[Position, str]] = []

    def check(row: Divergence) -> None:
        if not access.may_state_position(actor, row):
            raise POSITION_PARTIES_ONLY()

    def change(row: Divergence) -> list[str]:
        # The divergence row is the lock; the party's position is the row that changes.
        delegation = accounts_access.delegation_of(actor)
        assert delegation is not None  # may_state_position: a party's delegation
        clean = _text(text)
        scope = accounts_access.SHARED if shared else accounts_access.party_scope(delegation.code)
        now = timezone.now()
        position = Position.objects.filter(
            divergence=row, delegation=delegation, scope=scope
        ).first()
        if position is None:
            position = Position(
                process=row.process, scope=scope, divergence=row, delegation=delegation
            )
        position.text = clean
        position.author = actor
        position.updated_at = now
        position.shared_at = now if shared else None
        position.save()
        stated.append((position, delegation.code))
        return []

    def events(row: Divergence) -> list[NewEvent]:
        position, party = stated[0]
        payload = {
            "divergence": str(row.public_id),
            "position": str(position.public_id),
            "party": party,
            "shared": shared,
            "text": position.text,
        }
        return [
            NewEvent("PositionStated", row.subject, position.scope, payload, actor, row.process)
        ]

    with transaction.atomic():
        change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
    return stated[0][0]


def position_share(*, actor: User, divergence_id: PublicId) -> Position:
    """Share ``actor``'s party's internal position: it becomes (or replaces) the shared one."""
    made: list[tuple[Position, str]] = []

    def check(row: Divergence) -> None:
        if not access.may_share_position(actor, row):
            raise POSITION_PARTIES_ONLY()

    def change(row: Divergence) -> list[str]:
        # The divergence row is the lock; the party's positions are the rows that change.
        delegation = accounts_access.delegation_of(actor)
        assert delegation is not None  # may_share_position: a party's delegation
        now = timezone.now()
        mine = Position.objects.filter(divergence=row, delegation=delegation)
        internal = mine.filter(scope=accounts_access.party_scope(delegation.code)).first()
        if internal is None:
            raise NOTHING_TO_SHARE()
        shared = mine.filter(scope=accounts_access.SHARED).first()
        if shared is None:
            internal.scope = accounts_access.SHARED
            internal.shared_at = now
            internal.author = actor
            internal.save()
            shared = internal
        else:
            shared.text = internal.text
            shared.shared_at = now
            shared.updated_at = now
            shared.author = actor
            shared.save()
            internal.delete()
        made.append((shared, delegation.code))
        return []

    def events(row: Divergence) -> list[NewEvent]:
        shared, party = made[0]
        payload = {
            "divergence": str(row.public_id),
            "position": str(shared.public_id),
            "party": party,
            "text": shared.text,
        }
        return [
            NewEvent(
                "PositionShared", row.subject, accounts_access.SHARED, payload, actor, row.process
            )
        ]

    with transaction.atomic():
        change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
    return made[0][0]


# --- Bridging ------------------------------------------------------------------------------


def bridging_propose(*, actor: User, divergence_id: PublicId, text: str) -> BridgingProposal:
    """Table a facilitators' bridging proposal; an open divergence moves to ``bridging``."""
    tabled: list[BridgingProposal] = []

    def check(row: Divergence) -> None:
        if not access.may_propose_bridge(actor, row):
            raise BRIDGING_FACILITATORS_ONLY()
        _open_only(row)

    def change(row: Divergence) -> list[str]:
        tabled.append(
            BridgingProposal.objects.create(
                process=row.process,
                scope=accounts_access.SHARED,
                divergence=row,
                text=clean,
                author=actor,
                created_at=timezone.now(),
            )
        )
        if row.status != Divergence.Status.OPEN:
            return []
        row.status = Divergence.Status.BRIDGING
        return ["status"]

    def events(row: Divergence) -> list[NewEvent]:
        payload = _payload(row, proposal=str(tabled[0].public_id), text=clean)
        return [
            NewEvent(
                "BridgingProposed", row.subject, accounts_access.SHARED, payload, actor, row.process
            )
        ]

    # Who may act is answered before the text is read (403 before 422), and again under
    # the lock by ``check``.
    if not access.may_propose_bridge(actor, access.divergence_access(actor, divergence_id)):
        raise BRIDGING_FACILITATORS_ONLY()
    clean = _text(text)
    with transaction.atomic():
        rows = access.divergence_rows(actor, divergence_id)
        change_locked(rows, missing=DIVERGENCE_NOT_FOUND, check=check, change=change, events=events)
    return tabled[0]
