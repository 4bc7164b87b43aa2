"""Writes about people: users, appointments, API tokens. Each appends its event.

A user is named in events by their username (``user:us-head``), never by a row key.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import ApiToken, Appointment, Role, User
from accord.errors import PermissionDenied, ValidationFailed
from accord.events.services import event_append
from accord.process.models import Body, Delegation, Mechanism

APPOINTMENT_OUTSIDE_PROCESS = ValidationFailed.case(
    "appointment.outside_process",
    _("A user can only hold roles in the process of their own delegation."),
)
APPOINTMENT_TWO_PLACES = ValidationFailed.case(
    "appointment.two_places", _("An appointment is to a body or to a mechanism, not both.")
)
APPOINTMENT_UNKNOWN_ROLE = ValidationFailed.case(
    "appointment.unknown_role", _("{role!r} is not a role; the roles are {roles}.")
)
USERS_NOT_YOURS = PermissionDenied.case(
    "user.manage_not_allowed", _("Only the server's operators manage users and their roles.")
)
TOKEN_NOT_FOUND = access.TOKEN_NOT_FOUND


def _subject(user: User) -> str:
    return f"user:{user.username}"


def _internal_scope(user: User) -> str:
    """Account housekeeping is the user's own delegation's business."""
    if user.delegation is None:
        return access.FACILITATORS
    return access.party_scope(user.delegation.code)


def user_create(
    *,
    username: str,
    password: str,
    delegation: Delegation | None,
    display_name: str = "",
    timezone_name: str = "UTC",
    is_staff: bool = False,
    is_superuser: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user in ``delegation`` (``None`` for server operators).

    ``actor``: None at the command line; otherwise ``access.may_manage_users``.
    """
    if not access.may_manage_users(actor):
        raise USERS_NOT_YOURS()
    with transaction.atomic():
        user = User(
            username=username,
            delegation=delegation,
            display_name=display_name,
            timezone=timezone_name,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        event_append(
            kind="UserRegistered",
            subject=_subject(user),
            # Who is on a delegation's team is that delegation's business until appointed.
            scope=_internal_scope(user),
            payload={"username": username, "display_name": display_name},
            actor=actor,
            process=delegation.process if delegation else None,
        )
    return user


def appointment_grant(
    *,
    user: User,
    role: str,
    body: Body | None = None,
    mechanism: Mechanism | None = None,
    actor: User | None = None,
) -> Appointment:
    """Give ``user`` ``role`` in ``body`` or ``mechanism`` (or in their delegation). Idempotent.

    ``actor``: None at the command line; otherwise ``access.may_manage_users``.
    """
    if not access.may_manage_users(actor):
        raise USERS_NOT_YOURS()
    if role not in Role.values:
        raise APPOINTMENT_UNKNOWN_ROLE(role=role, roles=", ".join(Role.values))
    if body is not None and mechanism is not None:
        raise APPOINTMENT_TWO_PLACES()
    place = body or mechanism
    if place is not None and (
        user.delegation is None or place.process_id != user.delegation.process_id
    ):
        raise APPOINTMENT_OUTSIDE_PROCESS()
    with transaction.atomic():
        appointment, created = Appointment.objects.get_or_create(
            user=user, role=role, body=body, mechanism=mechanism
        )
        if created:
            if body is not None:
                subject = f"body:{body.code}"
            elif mechanism is not None:
                subject = f"mechanism:{mechanism.code}"
            else:
                subject = _subject(user)
            event_append(
                kind="AppointmentGranted",
                subject=subject,
                # Membership of bodies and mechanisms is known to every participant.
                scope=access.SHARED if place else _internal_scope(user),
                payload={"user": user.username, "role": role},
                actor=actor,
                process=user.delegation.process if user.delegation else None,
            )
    access.forget(user)
    return appointment


def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for ``actor``; return it and its secret (shown only once)."""
    secret = "acc_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name, prefix=secret[4:12], key_sha256=ApiToken.digest(secret)
        )
        event_append(
            kind="ApiTokenCreated",
            subject=_subject(actor),
            scope=_internal_scope(actor),
            payload={"name": name, "prefix": token.prefix},
            actor=actor,
            process=actor.delegation.process if actor.delegation else None,
        )
    return token, secret


def token_revoke(*, actor: User, prefix: str) -> ApiToken:
    """Revoke ``actor``'s own token ``prefix`` (again: nothing changes); ``TOKEN_NOT_FOUND``
    for a token that is not theirs."""
    with transaction.atomic():
        token = access.token_access(actor, prefix, lock=True)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            event_append(
                kind="ApiTokenRevoked",
                subject=_subject(actor),
                scope=_internal_scope(actor),
                payload={"prefix": token.prefix},
                actor=actor,
                process=actor.delegation.process if actor.delegation else None,
            )
    return token


def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """Close ``user``'s access at once (open live streams end within a keep-alive).

    Users are never deleted: the event log keeps pointing at them. ``actor``: None at the
    command line; otherwise ``access.may_manage_users``.
    """
    if not access.may_manage_users(actor):
        raise USERS_NOT_YOURS()
    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            event_append(
                kind="UserDeactivated",
                subject=_subject(user),
                scope=_internal_scope(user),
                payload={"username": user.username},
                actor=actor,
                process=user.delegation.process if user.delegation else None,
            )
    access.forget(user)
    return user
