"""Who may see the security events and release a lockout, over the one policy."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.errors import PermissionDenied
from accord.security.models import SecurityEvent

SECURITY_NOT_YOURS = PermissionDenied.case(
    "security.not_yours",
    _("Security events are for the server's operators and the facilitators."),
)
UNLOCK_NOT_YOURS = PermissionDenied.case(
    "security.unlock_not_yours", _("Only a server operator may unlock sign-ins.")
)


def _operator(user: access.Someone) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
    )


def may_see_security_events(user: access.Someone) -> bool:
    """The operators and every facilitator delegation's members; no party."""
    return _operator(user) or access.is_facilitator(user)


def may_unlock(user: access.Someone) -> bool:
    """Releasing a lockout is the operators' (the command line acts as no one)."""
    return user is None or _operator(user)


def security_event_rows(user: access.Someone) -> QuerySet[SecurityEvent]:
    """Every security event for those who may see them; nothing for anyone else."""
    if not may_see_security_events(user):
        raise SECURITY_NOT_YOURS()
    return SecurityEvent.objects.select_related("user")
