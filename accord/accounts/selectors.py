"""Reads about people."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import ApiToken, Appointment, Role, User
from accord.process.models import Body, Delegation, Mechanism


def token_for_secret(secret: str) -> ApiToken | None:
    """The unrevoked API token ``secret`` of an active user (expired or not: the caller
    tells an expired one apart), with its user loaded; or ``None``."""
    if not secret.startswith("acc_"):
        return None
    return (
        ApiToken.objects.select_related("user", "user__delegation")
        .filter(key_sha256=ApiToken.digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def user_for_token(secret: str) -> User | None:
    """The active user owning the unrevoked, unexpired API token ``secret``, or ``None``."""
    token = token_for_secret(secret)
    if token is None or token.expired(timezone.now()):
        return None
    return token.user


def appointment_list(
    *, body: Body | None = None, mechanism: Mechanism | None = None
) -> QuerySet[Appointment]:
    """Who holds which role in ``body`` or ``mechanism``: known to every participant.

    A body's members include every head of delegation of its process, who sits in each
    body by their headship (decision 0079), listed once, by that headship."""
    appointments = Appointment.objects.select_related("user", "user__delegation")
    if body is not None:
        heads = Q(
            role=Role.HEAD_OF_DELEGATION,
            body__isnull=True,
            mechanism__isnull=True,
            user__delegation__process_id=body.process_id,
        )
        seated_by_headship = Appointment.objects.filter(heads).values("user_id")
        appointments = appointments.filter(
            heads
            | (Q(body=body) & ~Q(role=Role.HEAD_OF_DELEGATION, user_id__in=seated_by_headship))
        )
    if mechanism is not None:
        appointments = appointments.filter(mechanism=mechanism)
    return appointments.filter(user__is_active=True).order_by(
        "user__delegation__kind", "user__delegation__code", "role", "user__username"
    )


def people_for_operators(*, actor: User | None) -> QuerySet[User]:
    """Every account with its delegation and appointments, for the operators who manage
    them (``access.may_manage_users``); nobody else gets a row. Accounts, not content: an
    operator still sees nothing of the negotiation."""
    if not access.may_manage_users(actor):
        return User.objects.none()
    return (
        User.objects.select_related("delegation", "delegation__process")
        .prefetch_related("appointments__body", "appointments__mechanism", "api_tokens")
        .order_by("delegation__process__code", "delegation__code", "username")
    )


def places_for_operators(
    *, actor: User | None
) -> tuple[QuerySet[Delegation], QuerySet[Body], QuerySet[Mechanism]]:
    """The delegations, bodies and mechanisms people are created in and appointed to
    (the process's structure, ``shared``), for the operators; empty for anyone else."""
    if not access.may_manage_users(actor):
        return Delegation.objects.none(), Body.objects.none(), Mechanism.objects.none()
    return (
        Delegation.objects.select_related("process").order_by("process__code", "order", "code"),
        Body.objects.select_related("process").order_by("process__code", "order", "code"),
        Mechanism.objects.select_related("process").order_by("process__code", "code"),
    )


def token_list(*, actor: User) -> QuerySet[ApiToken]:
    """``actor``'s own API tokens, newest first (a token is its owner's alone)."""
    return ApiToken.objects.filter(user=actor).order_by("-created_at")
