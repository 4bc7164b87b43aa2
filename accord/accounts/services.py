"""Writes about people: users, appointments, API tokens. Each appends its event."""

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import ApiToken, Appointment, Role, User
from accord.errors import NotFound, ValidationFailed
from accord.events.services import event_append
from accord.process.models import Body, Delegation, Mechanism

APPOINTMENT_OUTSIDE_PROCESS = "A user can only hold roles in the process of their own delegation."
TOKEN_NOT_FOUND = "There is no such API token."  # noqa: S105 - a message, not a secret
APPOINTMENT_TWO_PLACES = "An appointment is to a body or to a mechanism, not both."


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
    actor: Any = None,
) -> User:
    """Create a user in ``delegation`` (``None`` for server operators)."""
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
            subject=f"user:{user.pk}",
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
    actor: Any = None,
) -> Appointment:
    """Give ``user`` ``role`` in ``body`` or ``mechanism`` (or in their delegation). Idempotent."""
    Role(role)  # raises ValueError for an unknown role
    if body is not None and mechanism is not None:
        raise ValidationFailed(APPOINTMENT_TWO_PLACES)
    place = body or mechanism
    if place is not None and (
        user.delegation is None or place.process_id != user.delegation.process_id
    ):
        raise ValidationFailed(APPOINTMENT_OUTSIDE_PROCESS)
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
                subject = f"user:{user.pk}"
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


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; return it and its secret (shown only once)."""
    secret = "acc_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=secret[4:12], key_sha256=ApiToken.digest(secret)
        )
        event_append(
            kind="ApiTokenCreated",
            subject=f"user:{user.pk}",
            scope=_internal_scope(user),
            payload={"name": name, "prefix": token.prefix},
            actor=user,
            process=user.delegation.process if user.delegation else None,
        )
    return token, secret


def token_revoke(*, user: User, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise NotFound(TOKEN_NOT_FOUND)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            event_append(
                kind="ApiTokenRevoked",
                subject=f"user:{user.pk}",
                scope=_internal_scope(user),
                payload={"prefix": token.prefix},
                actor=user,
                process=user.delegation.process if user.delegation else None,
            )


def user_deactivate(*, user: User, actor: Any = None) -> User:
    """Close ``user``'s access at once (open live streams end within a keep-alive).

    Users are never deleted: the event log keeps pointing at them.
    """
    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            event_append(
                kind="UserDeactivated",
                subject=f"user:{user.pk}",
                scope=_internal_scope(user),
                payload={"username": user.username},
                actor=actor,
                process=user.delegation.process if user.delegation else None,
            )
    access.forget(user)
    return user
