"""The need-to-know policy: the only place that decides who may see what.

Every record that people read carries a *visibility scope*, one of:

``shared``            every participant of the process (all delegations)
``body:<code>``       users appointed to that body, and every head of delegation (a
                      head leads the delegation's work in every body, decision 0079)
``party:<code>``      one delegation's internal material: that delegation only, never the
                      other party, never the facilitators
``caucus:<code>``     the facilitators and one party (shuttle diplomacy)
``facilitators``      the facilitation teams only
``mechanism:<code>``  users appointed to that channel or mechanism

Scopes are strings so any table can filter on them with ``scope IN (...)``: a user's
visible scopes are a small finite set computed here, and ``restrict`` is the one
filter every selector, the live feed, search, exports and the admin apply. Scopes
live inside one process: a user sees nothing of a process their delegation is not in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.errors import ErrorCase, NotFound
from accord.locking import lock_rows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accord.accounts.models import ApiToken, User
    from accord.process.models import Body, Delegation, Mechanism

    # Whoever a request or a service acts for: a user, the anonymous visitor, or no one
    # (the command line, the server's own sweeps).
    Someone = User | AnonymousUser | None

SHARED = "shared"
FACILITATORS = "facilitators"
BODY = "body"
PARTY = "party"
CAUCUS = "caucus"
MECHANISM = "mechanism"
_QUALIFIED = (BODY, PARTY, CAUCUS, MECHANISM)

M = TypeVar("M", bound=Model)


def body_scope(code: str) -> str:
    return f"{BODY}:{code}"


def party_scope(code: str) -> str:
    return f"{PARTY}:{code}"


def caucus_scope(party_code: str) -> str:
    return f"{CAUCUS}:{party_code}"


def mechanism_scope(code: str) -> str:
    return f"{MECHANISM}:{code}"


def parse_scope(scope: str) -> tuple[str, str | None]:
    """Split ``scope`` into (kind, code); raise ``ValueError`` for anything malformed."""
    if scope in (SHARED, FACILITATORS):
        return scope, None
    kind, sep, code = scope.partition(":")
    if not sep or kind not in _QUALIFIED or not code:
        raise ValueError(f"{scope!r} is not a visibility scope")
    return kind, code


@dataclass(frozen=True)
class Clearance:
    """What one user may see: a process and the scopes within it."""

    process_id: int | None
    scopes: frozenset[str]
    # (mechanism code, role) of each of the user's appointments in a mechanism of the
    # process: read with the scopes, so a channel's check of who may send costs no query.
    mechanism_roles: frozenset[tuple[str, str]] = frozenset()

    def allows(self, process_id: int | None, scope: str) -> bool:
        return (
            self.process_id is not None and process_id == self.process_id and (scope in self.scopes)
        )

    def roles_in(self, process_id: int | None, mechanism_code: str) -> set[str]:
        """The roles the user holds in mechanism ``mechanism_code`` of ``process_id``."""
        if self.process_id is None or process_id != self.process_id:
            return set()
        return {role for code, role in self.mechanism_roles if code == mechanism_code}


NO_CLEARANCE = Clearance(process_id=None, scopes=frozenset())


def clearance(user: Someone) -> Clearance:
    """Compute the scopes ``user`` may see. Cached on the user object for one request.

    Anonymous, inactive and delegation-less users (operators, even superusers) see
    nothing: being able to administer the server is not a need to know.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_CLEARANCE
    cached = getattr(user, "_accord_clearance", None)
    if cached is not None:
        return cached
    result = _compute_clearance(user)
    setattr(user, "_accord_clearance", result)  # noqa: B010 - not every Someone declares it
    return result


def _compute_clearance(user: User) -> Clearance:
    from accord.process.models import Delegation

    delegation = user.delegation
    if delegation is None:
        return NO_CLEARANCE
    scopes = {SHARED, party_scope(delegation.code)}
    if delegation.kind == Delegation.Kind.FACILITATOR:
        scopes.add(FACILITATORS)
        parties = Delegation.objects.filter(
            process_id=delegation.process_id, kind=Delegation.Kind.PARTY
        ).values_list("code", flat=True)
        scopes.update(caucus_scope(code) for code in parties)
    else:
        scopes.add(caucus_scope(delegation.code))
    # An appointment only counts inside the user's own process.
    in_process = Q(body__process_id=delegation.process_id) | Q(
        mechanism__process_id=delegation.process_id
    )
    own = Q(body__isnull=True, mechanism__isnull=True, role=HEAD_OF_DELEGATION)
    roles = set()
    heads_delegation = False
    for body_code, mechanism_code, role in user.appointments.filter(in_process | own).values_list(
        "body__code", "mechanism__code", "role"
    ):
        if body_code:
            scopes.add(body_scope(body_code))
        if mechanism_code:
            scopes.add(mechanism_scope(mechanism_code))
            roles.add((mechanism_code, role))
        if not body_code and not mechanism_code:
            heads_delegation = True
    if heads_delegation:
        # A head of delegation leads the delegation's work in every body of the process
        # (decision 0079): a seat in each body comes with the headship, not with an
        # appointment per body, so a body added to the charter needs no new appointment.
        scopes.update(body_scope(code) for code in _body_codes(delegation.process_id))
    return Clearance(
        process_id=delegation.process_id,
        scopes=frozenset(scopes),
        mechanism_roles=frozenset(roles),
    )


def _body_codes(process_id: int) -> list[str]:
    from accord.process.models import Body

    return list(Body.objects.filter(process_id=process_id).values_list("code", flat=True))


def forget(user: Someone) -> None:
    """Drop the cached clearance (after appointments change within one request)."""
    if user is not None and hasattr(user, "_accord_clearance"):
        delattr(user, "_accord_clearance")


def can_see(user: Someone, *, process_id: int | None, scope: str) -> bool:
    return clearance(user).allows(process_id, scope)


def restrict(
    queryset: QuerySet[M],
    user: Someone,
    *,
    process_field: str = "process",
    scope_field: str = "scope",
) -> QuerySet[M]:
    """Filter ``queryset`` to the rows ``user`` may see. Apply to every read of content."""
    granted = clearance(user)
    if granted.process_id is None:
        return queryset.none()
    return queryset.filter(
        **{f"{process_field}_id": granted.process_id, f"{scope_field}__in": granted.scopes}
    )


def can_publish(user: Someone, *, process_id: int | None, scope: str) -> bool:
    """May ``user`` put material into ``scope``? Only where they may read it themselves."""
    return can_see(user, process_id=process_id, scope=scope)


# --- Who someone is in the process: asked here, and only here -----------------------------
#
# Every app's ``may_<verb>`` predicates build on these; no app re-derives "is this a
# facilitator" from the delegation's kind, nor "is this a head of delegation" or "what
# role does this user hold" from the appointments, itself.


def delegation_of(user: Someone) -> Delegation | None:
    """The delegation ``user`` acts for, or None (anonymous, inactive, operators)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    delegation: Delegation | None = user.delegation
    return delegation


def is_facilitator(user: Someone, *, process_id: int | None = None) -> bool:
    """Does ``user`` act for a facilitator delegation (of ``process_id``, when given)?"""
    delegation = delegation_of(user)
    return (
        delegation is not None
        and delegation.kind == delegation.Kind.FACILITATOR
        and (process_id is None or delegation.process_id == process_id)
    )


def is_party(user: Someone, *, process_id: int | None = None) -> bool:
    """Does ``user`` act for a party's delegation (of ``process_id``, when given)?"""
    delegation = delegation_of(user)
    return (
        delegation is not None
        and delegation.kind == delegation.Kind.PARTY
        and (process_id is None or delegation.process_id == process_id)
    )


def in_process(user: Someone, process_id: int | None) -> bool:
    """Does ``user`` act for a delegation of process ``process_id``?"""
    delegation = delegation_of(user)
    return delegation is not None and process_id is not None and delegation.process_id == process_id


HEAD_OF_DELEGATION = "head_of_delegation"  # accounts.models.Role.HEAD_OF_DELEGATION


def holds_role(
    user: Someone,
    role: str,
    *,
    body: Body | None = None,
    mechanism: Mechanism | None = None,
) -> bool:
    """Is ``user`` (active, of a delegation) appointed ``role`` in ``body``, in
    ``mechanism``, or, with neither, in their delegation itself (no body, no mechanism)?"""
    from accord.accounts.models import Appointment

    if delegation_of(user) is None:
        return False
    member = cast("User", user)  # active, of a delegation: a User
    return Appointment.objects.filter(
        user=member, role=role, body=body, mechanism=mechanism
    ).exists()


def roles_held(
    user: Someone, *, body: Body | None = None, mechanism: Mechanism | None = None
) -> set[str]:
    """The roles ``user`` (active, of a delegation) holds in ``body``, in ``mechanism``,
    or, with neither, in their delegation itself. Any user, not only the one asking:
    for the one asking, ``clearance(user).roles_in`` answers a mechanism without a query."""
    from accord.accounts.models import Appointment

    if delegation_of(user) is None:
        return set()
    member = cast("User", user)  # active, of a delegation: a User
    return set(
        Appointment.objects.filter(user=member, body=body, mechanism=mechanism).values_list(
            "role", flat=True
        )
    )


def is_head_of(user: Someone, delegation: Delegation | str | None = None) -> bool:
    """Is ``user`` the head of ``delegation`` (a delegation or its code; their own when
    None)? The charter's meaning: a member of the delegation appointed head of delegation
    in the delegation itself; a head's seat in a body or channel comes with that."""
    own = delegation_of(user)
    if own is None:
        return False
    if delegation is not None:
        code = delegation if isinstance(delegation, str) else delegation.code
        pk = None if isinstance(delegation, str) else delegation.pk
        if (own.pk != pk) if pk is not None else (own.code != code):
            return False
    return holds_role(user, HEAD_OF_DELEGATION)


def heads_of(delegation: Delegation) -> QuerySet[User]:
    """The active heads of ``delegation``, in the meaning of ``is_head_of``."""
    from accord.accounts.models import User

    return User.objects.filter(
        delegation=delegation,
        is_active=True,
        appointments__role=HEAD_OF_DELEGATION,
        appointments__body__isnull=True,
        appointments__mechanism__isnull=True,
    ).distinct()


def visible_get(
    queryset: QuerySet[M],
    user: Someone,
    *,
    missing: ErrorCase,
    lock: bool = False,
    process_field: str = "process",
    scope_field: str = "scope",
    **lookup: Any,
) -> M:
    """The one row of ``queryset`` matching ``lookup`` that ``user`` may see, else
    ``missing`` raised (a ``NotFound`` case): missing and forbidden answer alike.

    A lookup value of None (an id that did not parse) matches nothing. ``lock``: the
    row (only it, not rows joined for reading) is locked until commit where the database
    has row locks; the caller must be inside ``transaction.atomic``.
    """
    if any(value is None for value in lookup.values()):
        raise missing()
    rows = restrict(queryset, user, process_field=process_field, scope_field=scope_field)
    if lock:
        rows = lock_rows(rows)
    row = rows.filter(**lookup).first()
    if row is None:
        raise missing()
    return row


# --- The accounts app's own way in (decision 0050) ----------------------------------------
#
# Below the policy: what the accounts app lets users do to their own account. An API
# token is named by its prefix (shown on the tokens page), never by its row key, and only
# its owner can name it.
TOKEN_NOT_FOUND = NotFound.case(
    "token.not_found",
    _("There is no such API token."),  # a sentence, not a secret
)


def token_rows(user: User | None, prefix: str) -> QuerySet[ApiToken]:
    """``user``'s own API token with ``prefix`` as rows (none, or one): for a change under
    its lock (``events.changes.change_locked``, missing: ``TOKEN_NOT_FOUND``)."""
    from accord.accounts.models import ApiToken

    if user is None or not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user, prefix=prefix)


def token_access(user: User | None, prefix: str, *, lock: bool = False) -> ApiToken:
    """``user``'s own API token with ``prefix``; ``TOKEN_NOT_FOUND`` for any other."""
    rows = token_rows(user, prefix)
    token = (lock_rows(rows) if lock else rows).first()
    if token is None:
        raise TOKEN_NOT_FOUND()
    return token


def may_manage_users(actor: User | None) -> bool:
    """Users, roles and deactivations are the server operators' (the command line acts as
    no one; a staff account is an operator); a delegate does not manage accounts."""
    if actor is None:
        return True
    return bool(actor.is_active and actor.is_staff)


def _outranks(actor: User | None, target: User) -> bool:
    """A superuser's account is managed by a superuser (or the command line) only: a staff
    operator cannot take over, or lock out, the account above theirs."""
    return actor is None or actor.is_superuser or not target.is_superuser


def may_create_user(actor: User | None) -> bool:
    """Create a person (of a delegation, or another operator)."""
    return may_manage_users(actor)


def may_appoint(actor: User | None, target: User) -> bool:
    """Give ``target`` a role in their delegation, a body or a mechanism."""
    return may_manage_users(actor) and target.is_active


def may_deactivate_user(actor: User | None, target: User) -> bool:
    """Close ``target``'s access; never one's own (an operator does not lock themselves
    out, another operator or the command line does)."""
    return (
        may_manage_users(actor)
        and _outranks(actor, target)
        and (actor is None or actor.pk != target.pk)
    )


def may_reset_password(actor: User | None, target: User) -> bool:
    """Set a new password for ``target`` (who has forgotten theirs)."""
    return may_manage_users(actor) and _outranks(actor, target)


def may_revoke_tokens(actor: User | None, target: User) -> bool:
    """Revoke every API token of ``target`` (a lost laptop, a leaked script)."""
    return may_manage_users(actor) and _outranks(actor, target)
