"""The process's way in: fetch what a user named, and say who may act on it.

Structure (the process, its bodies, mechanisms and milestones) is ``shared``: every
participant of a process sees all of it, nobody outside the process sees any of it. Things
are named by their charter codes, which are not row keys. A missing thing and one in
another process answer with the same ``NotFound`` case, so existence never leaks.

Who someone is (facilitator, party, in the process) is asked of ``accounts.access``; the
rules here say what those people may do to the roadmap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import CharField, Model, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import Role
from accord.errors import NotFound
from accord.process.models import Body, Mechanism, Milestone, Process

if TYPE_CHECKING:
    from accord.accounts.models import User

M = TypeVar("M", bound=Model)

PROCESS_NOT_FOUND = NotFound.case(
    "process.not_participant", _("You are not a participant in any process.")
)
BODY_NOT_FOUND = NotFound.case("body.not_found", _("There is no body {code!r} in this process."))
MECHANISM_NOT_FOUND = NotFound.case(
    "mechanism.not_found", _("There is no mechanism {code!r} in this process.")
)
MILESTONE_NOT_FOUND = NotFound.case(
    "milestone.not_found", _("There is no milestone {code!r} in this process.")
)

# Who records that a milestone was delivered, and who records the HLC's extensions.
MARK_MET_ROLES = (Role.CHAIR, Role.CO_CHAIR)
EXTEND_ROLES = (Role.CHAIR, Role.CO_CHAIR, Role.RAPPORTEUR)


def shared(queryset: QuerySet[M]) -> QuerySet[M]:
    """``queryset`` with the scope structure has (``shared``), so the one policy filters it."""
    return queryset.annotate(scope=Value(policy.SHARED, output_field=CharField()))


def process_access(actor: User | None) -> Process:
    """The process ``actor`` takes part in; ``PROCESS_NOT_FOUND`` for anyone outside all."""
    process_id = policy.clearance(actor).process_id
    process = Process.objects.filter(pk=process_id).first() if process_id else None
    if process is None:
        raise PROCESS_NOT_FOUND()
    return process


def body_access(actor: User | None, code: str, *, lock: bool = False) -> Body:
    """The body ``code`` of ``actor``'s process; ``BODY_NOT_FOUND`` otherwise."""
    try:
        return policy.visible_get(
            shared(Body.objects.select_related("reports_to").prefetch_related("chairs")),
            actor,
            missing=BODY_NOT_FOUND,
            lock=lock,
            code=code,
        )
    except NotFound:
        raise BODY_NOT_FOUND(code=code) from None


def mechanism_access(actor: User | None, code: str, *, lock: bool = False) -> Mechanism:
    """The mechanism ``code`` of ``actor``'s process; ``MECHANISM_NOT_FOUND`` otherwise."""
    try:
        return policy.visible_get(
            shared(Mechanism.objects.prefetch_related("delegations")),
            actor,
            missing=MECHANISM_NOT_FOUND,
            lock=lock,
            code=code,
        )
    except NotFound:
        raise MECHANISM_NOT_FOUND(code=code) from None


def milestone_access(actor: User | None, code: str, *, lock: bool = False) -> Milestone:
    """The milestone ``code`` of ``actor``'s process; ``MILESTONE_NOT_FOUND`` otherwise."""
    rows = Milestone.objects.all() if lock else Milestone.objects.select_related("body")
    try:
        return policy.visible_get(
            shared(rows), actor, missing=MILESTONE_NOT_FOUND, lock=lock, code=code
        )
    except NotFound:
        raise MILESTONE_NOT_FOUND(code=code) from None


# --- Who may act ---------------------------------------------------------------------------


def _holds(actor: User, body: Body | None, roles: tuple[str, ...]) -> bool:
    return body is not None and actor.appointments.filter(body=body, role__in=roles).exists()


def may_mark_met(actor: User | None, milestone: Milestone) -> bool:
    """Facilitators of the process, and the chairs of the milestone's body, record delivery."""
    if actor is None or not policy.in_process(actor, milestone.process_id):
        return False
    if policy.is_facilitator(actor):
        return True
    return _holds(actor, milestone.body, MARK_MET_ROLES)


def may_extend(actor: User | None, milestone: Milestone) -> bool:
    """The chairs and rapporteurs of the oversight body record its extension decisions."""
    if actor is None or not policy.in_process(actor, milestone.process_id):
        return False
    return _holds(actor, milestone.process.oversight_body(), EXTEND_ROLES)


def may_load_charter(actor: User | None) -> bool:
    """The server's operator loads charters (at the command line, as no one or as a staff
    account), or a facilitator named as the actor; a party's delegate does not."""
    if actor is None:
        return True
    if not actor.is_active:
        return False
    return bool(actor.is_staff or actor.is_superuser) or policy.is_facilitator(actor)
