"""The security app's writes: record a security event, release a lockout, enrol and use
a second factor (TOTP with recovery codes, django-otp)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accord.errors import PermissionDenied, ValidationFailed
from accord.security import access
from accord.security.models import SecurityEvent

if TYPE_CHECKING:
    from django_otp.models import Device
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accord.accounts.access import Someone

Kind = SecurityEvent.Kind
RECOVERY_CODES = 10
SECOND_FACTOR_WRONG = ValidationFailed.case(
    "second_factor.wrong", _("That code is not right (or came too soon after the last).")
)
RECOVERY_CODE_WRONG = ValidationFailed.case(
    "second_factor.recovery_wrong", _("That recovery code is not right, or was used before.")
)
SECOND_FACTOR_ALREADY = ValidationFailed.case(
    "second_factor.already_enrolled", _("A second factor is already set up for this account.")
)
SECOND_FACTOR_NOT_SIGNED_IN = PermissionDenied.case(
    "second_factor.not_signed_in", _("Sign in with your password first.")
)
UNLOCK_NOTHING = ValidationFailed.case(
    "security.unlock_nothing", _("Name an account or an address to unlock.")
)


def security_event_record(
    *,
    actor: Someone,
    kind: str,
    username: str = "",
    address: str | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Record one security event. ``actor``: the account concerned, when known."""
    user = actor if actor is not None and actor.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        username=(username or (user.get_username() if user else ""))[:150],
        user=user,
        address=address or None,
        detail=detail[:300],
    )


def lockout_release(
    *, actor: Someone, username: str = "", address: str = "", from_address: str | None = None
) -> int:
    """Forget the failed sign-ins of ``username`` and/or ``address`` (axes), ending a
    lockout before its cool-off; the number of records removed."""
    from axes.handlers.proxy import AxesProxyHandler

    if not access.may_unlock(actor):
        raise access.UNLOCK_NOT_YOURS()
    username, address = username.strip(), address.strip()
    if not username and not address:
        raise UNLOCK_NOTHING()
    with transaction.atomic():
        removed = AxesProxyHandler.reset_attempts(
            username=username or None, ip_address=address or None
        )
        security_event_record(
            actor=actor,
            kind=Kind.UNLOCKED,
            username=username,
            address=from_address,
            detail=f"address {address}" if address else "",
        )
    return removed


def second_factor_required(user: Someone) -> bool:
    """Must ``user`` prove a second factor? Every delegation's (party or facilitator)
    account, unless the demo exempts its accounts (never in production); and anyone who
    has set one up."""
    from django_otp import user_has_device

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user_has_device(user):
        return True
    if getattr(settings, "ACCORD_DEMO_WITHOUT_SECOND_FACTOR", False):
        return False
    return getattr(user, "delegation_id", None) is not None


def second_factor_enrol_begin(*, actor: Someone) -> TOTPDevice:
    """The caller's TOTP device being set up (new, or the one begun before)."""
    from django_otp import user_has_device
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if actor is None or not actor.is_authenticated:
        raise SECOND_FACTOR_NOT_SIGNED_IN()
    if user_has_device(actor):
        raise SECOND_FACTOR_ALREADY()
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="Authenticator", confirmed=False)
    return device


def second_factor_enrol_confirm(
    *, actor: Someone, code: str, address: str | None = None
) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device begun with a code from it; returns it and the recovery codes
    (shown once: only they are kept, django-otp compares them as given)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device = second_factor_enrol_begin(actor=actor)
    if not device.verify_token(code.strip()):
        security_event_record(
            actor=actor, kind=Kind.SECOND_FACTOR_FAILED, address=address, detail="enrolment"
        )
        raise SECOND_FACTOR_WRONG()
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=actor).delete()
        static = StaticDevice.objects.create(user=actor, name="Recovery codes")
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
        security_event_record(actor=actor, kind=Kind.SECOND_FACTOR_ENROLLED, address=address)
    return device, codes


def second_factor_verify(*, actor: Someone, code: str, address: str | None = None) -> Device:
    """The caller's TOTP device that accepts ``code``; ``SECOND_FACTOR_WRONG`` otherwise
    (django-otp slows repeated failures down: each waits longer before a try counts)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if actor is None or not actor.is_authenticated:
        raise SECOND_FACTOR_NOT_SIGNED_IN()
    for device in TOTPDevice.objects.filter(user=actor, confirmed=True):
        if device.verify_token(code.strip()):
            security_event_record(actor=actor, kind=Kind.SECOND_FACTOR_SUCCEEDED, address=address)
            return device
    security_event_record(actor=actor, kind=Kind.SECOND_FACTOR_FAILED, address=address)
    raise SECOND_FACTOR_WRONG()


def recovery_code_use(*, actor: Someone, code: str, address: str | None = None) -> Device:
    """Spend one of the caller's recovery codes (each works once)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    if actor is None or not actor.is_authenticated:
        raise SECOND_FACTOR_NOT_SIGNED_IN()
    for device in StaticDevice.objects.filter(user=actor, confirmed=True):
        if device.verify_token(code.strip()):
            remaining = device.token_set.count()
            security_event_record(
                actor=actor,
                kind=Kind.RECOVERY_CODE_USED,
                address=address,
                detail=f"{remaining} left",
            )
            return device
    security_event_record(
        actor=actor, kind=Kind.SECOND_FACTOR_FAILED, address=address, detail="recovery code"
    )
    raise RECOVERY_CODE_WRONG()
