"""Reads of the divergence register, always through ``accounts.access``.

The register and shared positions are ``shared``; a party's internal position is
``party:<code>`` and so reaches that party's users only, on every route that reads here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accord.accounts import access
from accord.accounts.models import User
from accord.divergences import access as divergence_access
from accord.divergences.models import PRINCIPALS, BridgingProposal, Divergence, Position, Referral
from accord.process.models import Body, Process
from accord.process.selectors import process_for

OPEN_STATUSES = (
    Divergence.Status.OPEN,
    Divergence.Status.BRIDGING,
    Divergence.Status.REFERRED,
)


def rung_label(process: Process, rung: str) -> str:
    """How a rung is named on pages: a body's code, or the process's name for its top."""
    return process.principals_label if rung == PRINCIPALS else rung


def divergence_list(
    *,
    actor: User | None,
    status: str | None = None,
    body_code: str | None = None,
    rung: str | None = None,
) -> QuerySet[Divergence]:
    rows = access.restrict(Divergence.objects.all(), actor).select_related("body", "process")
    if status == "unresolved":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    if body_code:
        rows = rows.filter(body__code=body_code)
    if rung:
        rows = rows.filter(rung=rung)
    return rows.prefetch_related(
        Prefetch(
            "positions",
            queryset=access.restrict(Position.objects.all(), actor).select_related("delegation"),
            to_attr="visible_positions",
        )
    ).order_by("created_at", "id")


def position_list(*, actor: User | None, divergence: Divergence) -> QuerySet[Position]:
    """The positions on ``divergence`` that ``actor`` may read: shared ones and their own."""
    return (
        access.restrict(Position.objects.filter(divergence=divergence), actor)
        .select_related("delegation", "author")
        .order_by("delegation__order", "scope")
    )


def divergence_actions(*, actor: User | None, divergence: Divergence) -> dict[str, bool]:
    """Which actions ``actor`` may take on ``divergence`` now: its ``may_`` predicates and
    its state (closed, at the top, an internal position to share). The pages show a form,
    and the API says ``may``, exactly where the service would go ahead."""
    user = actor if isinstance(actor, User) else None
    closed = divergence.is_closed
    delegation = access.delegation_of(user)
    internal = (
        delegation is not None
        and Position.objects.filter(
            divergence=divergence, delegation=delegation, scope=access.party_scope(delegation.code)
        ).exists()
    )
    top = divergence.process.escalation_next(divergence.rung) is None
    return {
        "state_position": divergence_access.may_state_position(user, divergence),
        "share_position": divergence_access.may_share_position(user, divergence) and internal,
        "propose_bridge": divergence_access.may_propose_bridge(user, divergence) and not closed,
        "refer": divergence_access.may_refer(user, divergence) and not closed and not top,
        "resolve": divergence_access.may_resolve(user, divergence) and not closed,
        "park": divergence_access.may_park(user, divergence) and not closed,
        "reopen": divergence_access.may_reopen(user, divergence) and closed,
    }


def bridging_list(*, actor: User | None, divergence: Divergence) -> QuerySet[BridgingProposal]:
    return access.restrict(
        BridgingProposal.objects.filter(divergence=divergence), actor
    ).select_related("author")


def referral_list(*, actor: User | None, divergence: Divergence) -> QuerySet[Referral]:
    return access.restrict(Referral.objects.filter(divergence=divergence), actor).select_related(
        "by"
    )


def divergence_search(*, actor: User | None, query: str, limit: int = 50) -> list[Divergence]:
    """Divergences whose title or description, or a position ``actor`` may read, match."""
    rows = divergence_list(actor=actor)
    by_text = rows.filter(title__icontains=query) | rows.filter(description__icontains=query)
    ids = set(by_text.values_list("pk", flat=True)[:limit])
    positions = access.restrict(Position.objects.filter(text__icontains=query), actor)
    ids |= set(positions.values_list("divergence_id", flat=True)[:limit])
    return list(rows.filter(pk__in=ids)[:limit])


# --- The board -----------------------------------------------------------------------------


@dataclass
class BoardCard:
    divergence: Divergence
    age_days: int
    days_at_rung: int
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass
class BoardColumn:
    rung: str  # "working_groups" for the bottom column, else a rung code
    label: str
    cards: list[BoardCard] = field(default_factory=list)


def ladder_rungs(process: Process) -> list[tuple[str, str]]:
    """The board's columns in ladder order: (rung key, label). Working groups share one."""
    ladder = (process.escalation or {}).get("ladder", {})
    bodies = {b.code: b for b in Body.objects.filter(process=process)}

    # Depth of each rung: how many steps from it to the top.
    def depth(code: str) -> int:
        seen = set()
        steps = 0
        while code in ladder and code not in seen:
            seen.add(code)
            code = ladder[code][0]
            steps += 1
        return steps

    keys: dict[str, tuple[int, str]] = {}
    for code, body in bodies.items():
        key = "working_groups" if body.kind == Body.Kind.WORKING_GROUP else code
        label = (
            gettext("Working groups") if key == "working_groups" else body.short_name or body.name
        )
        keys.setdefault(key, (depth(code), label))
    keys[PRINCIPALS] = (-1, process.principals_label)
    ordered = sorted(keys.items(), key=lambda item: -item[1][0])
    return [(key, label) for key, (_depth, label) in ordered]


def divergence_board(
    *, actor: User | None, now: dt.datetime | None = None, include_closed: bool = False
) -> list[BoardColumn]:
    """Unresolved divergences by rung of the ladder, oldest first, with their ages in days."""
    process = process_for(actor)
    now = now or timezone.now()
    columns = [BoardColumn(key, label) for key, label in ladder_rungs(process)]
    index = {column.rung: column for column in columns}
    wg_codes = set(
        Body.objects.filter(process=process, kind=Body.Kind.WORKING_GROUP).values_list(
            "code", flat=True
        )
    )
    rows = divergence_list(actor=actor, status=None if include_closed else "unresolved")
    for row in rows:
        key = "working_groups" if row.rung in wg_codes else row.rung
        column = index.get(key)
        if column is None:
            column = index[key] = BoardColumn(key, key)
            columns.append(column)
        left = None
        if row.rung_deadline is not None:
            left = (row.rung_deadline - now).total_seconds() / 86400
        column.cards.append(
            BoardCard(
                divergence=row,
                age_days=max(0, (now - row.created_at).days),
                days_at_rung=max(0, (now - row.rung_since).days),
                days_left=None if left is None else int(left // 1),
            )
        )
    for column in columns:
        column.cards.sort(key=lambda card: card.divergence.created_at)
    return columns


# --- History (for the forecast, the burn-down and the briefing) ----------------------------


def divergence_open_history(*, actor: User | None) -> list[tuple[dt.date, str, int]]:
    """(day, body code, divergences open at the end of that day) on each day the count changed.

    Open means not resolved; a parked point is still an unsettled point for a clean text.
    Counted per the body whose register holds it, whatever rung it has climbed to.
    """
    rows = divergence_list(actor=actor).values_list(
        "body__code", "created_at", "closed_at", "status"
    )
    changes: dict[tuple[str, dt.date], int] = {}
    for body_code, created_at, closed_at, status in rows:
        key = (body_code, created_at.date())
        changes[key] = changes.get(key, 0) + 1
        if status == Divergence.Status.RESOLVED and closed_at is not None:
            key = (body_code, closed_at.date())
            changes[key] = changes.get(key, 0) - 1
    totals: dict[str, int] = {}
    result = []
    for (body_code, day), delta in sorted(
        changes.items(), key=lambda item: (item[0][1], item[0][0])
    ):
        totals[body_code] = totals.get(body_code, 0) + delta
        result.append((day, body_code, totals[body_code]))
    return result


def rung_on(divergence: Divergence, referrals: Iterable[Referral], moment: dt.datetime) -> str:
    """Where ``divergence`` stood at ``moment``: its start rung, then each referral before it."""
    rung = divergence.body.code
    for referral in sorted(referrals, key=lambda r: r.at):
        if referral.at <= moment:
            rung = referral.to_rung
    return rung


def divergences_by_rung_on(
    *, actor: User | None, moment: dt.datetime
) -> dict[str, list[Divergence]]:
    """Divergences unresolved at ``moment`` keyed by the rung they stood at then."""
    rows = (
        divergence_list(actor=actor)
        .filter(created_at__lte=moment)
        .prefetch_related(
            Prefetch("referrals", queryset=access.restrict(Referral.objects.all(), actor))
        )
    )
    result: dict[str, list[Divergence]] = {}
    for row in rows:
        resolved = row.status == Divergence.Status.RESOLVED
        if resolved and row.closed_at is not None and row.closed_at <= moment:
            continue
        rung = rung_on(row, row.referrals.all(), moment)
        result.setdefault(rung, []).append(row)
    return result
