"""Writes about people: users, appointments, API tokens. Each appends its event.

A user is named in events by their username (``user:us-head``), never by a row key.
"""

import datetime as dt
import re
import secrets
from collections.abc import Callable
from zoneinfo import available_timezones

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import (
    TOKEN_DAYS,
    TOKEN_MAX_DAYS,
    ApiToken,
    Appointment,
    CalendarChoice,
    DigitStyle,
    Role,
    TokenScope,
    User,
)
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append
from accord.process.models import Body, Delegation, Mechanism
from accord.security.passwords import password_check

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
USER_NOT_FOUND = NotFound.case("user.not_found", _("There is no user {username!r}."))
USER_DELEGATION_NOT_FOUND = NotFound.case(
    "user.delegation_not_found", _("There is no single delegation {code!r}.")
)
TOKEN_NOT_FOUND = access.TOKEN_NOT_FOUND
TOKEN_SCOPE_UNKNOWN = ValidationFailed.case(
    "token.scope_unknown", _("{scope!r} is not a token scope: choose among {known}.")
)
TOKEN_READ_ONLY_WITH_OTHERS = ValidationFailed.case(
    "token.read_only_with_others",
    _("A read-only token cannot also be given scopes that change things."),
)
TOKEN_DAYS_INVALID = ValidationFailed.case(
    "token.days_invalid", _("A token lives from 1 to {most} days.")
)
USERNAME_INVALID = ValidationFailed.case(
    "user.username_invalid",
    _("A username is 1 to 150 letters, digits or the characters @ . + - _ (no spaces)."),
)
USERNAME_TAKEN = Conflict.case("user.username_taken", _("A user {username!r} already exists."))
PASSWORD_TOO_SHORT = ValidationFailed.case(
    "user.password_too_short", _("A password needs at least {n} characters.")
)
TIMEZONE_INVALID = ValidationFailed.case(
    "user.timezone_invalid", _("The time zone must be an IANA name such as 'Asia/Tehran'.")
)
LANGUAGE_INVALID = ValidationFailed.case(
    "user.language_invalid", _("The language must be a language code such as 'en' or 'fa'.")
)
DIGITS_UNKNOWN = ValidationFailed.case(
    "user.digits_unknown", _("{digits!r} is not a choice of digits: choose among {known}.")
)
CALENDAR_UNKNOWN = ValidationFailed.case(
    "user.calendar_unknown", _("{calendar!r} is not a calendar: choose among {known}.")
)
INTERFACE_LANGUAGE_UNKNOWN = ValidationFailed.case(
    "user.interface_language_unknown",
    _("Accord's pages are not written in {language!r}: choose among {known}."),
)
NOT_YOURSELF = PermissionDenied.case(
    "user.not_yourself",
    _("You cannot deactivate your own account: another operator can."),
)
ABOVE_YOU = PermissionDenied.case(
    "user.above_you", _("Only a superuser manages a superuser's account.")
)
USER_INACTIVE = Conflict.case(
    "user.inactive", _("{username} is deactivated: a closed account holds no new roles.")
)

MIN_PASSWORD = 8
_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def _subject(user: User) -> str:
    return f"user:{user.username}"


def _internal_scope(user: User) -> str:
    """Account housekeeping is the user's own delegation's business."""
    if user.delegation is None:
        return access.FACILITATORS
    return access.party_scope(user.delegation.code)


def _user_named(username: str) -> User:
    user = User.objects.select_related("delegation__process").filter(username=username).first()
    if user is None:
        raise USER_NOT_FOUND(username=username)
    return user


def _delegation_named(process: str | None, code: str) -> Delegation:
    """Delegation ``code`` of process ``process`` (the only one with that code, when
    ``process`` is None)."""
    rows = Delegation.objects.select_related("process").filter(code=code)
    if process is not None:
        rows = rows.filter(process__code=process)
    found = list(rows[:2])
    if len(found) != 1:
        raise USER_DELEGATION_NOT_FOUND(code=code)
    return found[0]


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    delegation: str | None,
    process: str | None = None,
    display_name: str = "",
    timezone_name: str = "UTC",
    is_staff: bool = False,
    is_superuser: bool = False,
    language: str = "",
) -> User:
    """Create a user in delegation ``delegation`` (its code; of process ``process``, its
    code, when several are loaded), or a server operator (``delegation`` None).

    ``language``: the code they write in, blank for their delegation's (``User.writes_in``).
    ``actor``: None at the command line; otherwise ``access.may_create_user``.
    """
    if not access.may_create_user(actor):
        raise USERS_NOT_YOURS()
    if is_superuser and actor is not None and not actor.is_superuser:
        raise ABOVE_YOU()
    username = (username or "").strip()
    if not _USERNAME.match(username):
        raise USERNAME_INVALID()
    _password_check(password)
    if timezone_name != "UTC" and timezone_name not in available_timezones():
        raise TIMEZONE_INVALID()
    language = (language or "").strip()
    if language and not _LANGUAGE.match(language):
        raise LANGUAGE_INVALID()
    team = _delegation_named(process, delegation) if delegation is not None else None
    if User.objects.filter(username=username).exists():
        raise USERNAME_TAKEN(username=username)
    with transaction.atomic():
        user = User(
            username=username,
            delegation=team,
            display_name=display_name,
            timezone=timezone_name,
            language=language,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        password_check(password, user=user)
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
            process=team.process if team else None,
        )
    return user


def user_preferences_set(
    *,
    actor: User,
    language: str,
    timezone_name: str,
    digits: str,
    calendar: str,
) -> User:
    """Set how ``actor`` reads Accord (decision 0160): the language of the pages and of
    what they write (blank: the browser's, and their delegation's for what they write),
    their time zone, the digits and the calendar dates are shown in. Only for oneself;
    nothing stored elsewhere changes (codes, the API and exports keep ASCII digits)."""
    language = (language or "").strip()
    known_languages = [code for code, _name in settings.LANGUAGES]
    if language and language not in known_languages:
        raise INTERFACE_LANGUAGE_UNKNOWN(language=language, known=", ".join(known_languages))
    timezone_name = (timezone_name or "").strip() or "UTC"
    if timezone_name != "UTC" and timezone_name not in available_timezones():
        raise TIMEZONE_INVALID()
    if digits not in DigitStyle.values:
        raise DIGITS_UNKNOWN(digits=digits, known=", ".join(DigitStyle.values))
    if calendar not in CalendarChoice.values:
        raise CALENDAR_UNKNOWN(calendar=calendar, known=", ".join(CalendarChoice.values))
    wanted = {
        "language": language,
        "timezone": timezone_name,
        "digits": digits,
        "calendar": calendar,
    }
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        changed = {name: value for name, value in wanted.items() if getattr(user, name) != value}
        if not changed:
            return user
        for name, value in changed.items():
            setattr(user, name, value)
        user.save(update_fields=list(changed))
        event_append(
            kind="UserPreferencesChanged",
            subject=_subject(user),
            scope=_internal_scope(user),
            payload={"username": user.username, **changed},
            actor=actor,
            process=user.delegation.process if user.delegation else None,
        )
    for name, value in changed.items():
        setattr(actor, name, value)
    return user


def appointment_grant(
    *,
    actor: User | None,
    username: str,
    role: str,
    body: str | None = None,
    mechanism: str | None = None,
) -> Appointment:
    """Give user ``username`` ``role`` in body ``body`` or mechanism ``mechanism`` (codes,
    in the user's process), or in their delegation (neither). Idempotent.

    ``actor``: None at the command line; otherwise ``access.may_appoint``.
    """
    if not access.may_manage_users(actor):
        raise USERS_NOT_YOURS()
    if role not in Role.values:
        raise APPOINTMENT_UNKNOWN_ROLE(role=role, roles=", ".join(Role.values))
    if body is not None and mechanism is not None:
        raise APPOINTMENT_TWO_PLACES()
    user = _user_named(username)
    if not access.may_appoint(actor, user):
        raise USER_INACTIVE(username=user.username)
    the_body = the_mechanism = None
    if body is not None or mechanism is not None:
        # A place is looked up in the user's own process: one elsewhere is outside it.
        if user.delegation is None:
            raise APPOINTMENT_OUTSIDE_PROCESS()
        process_id = user.delegation.process_id
        if body is not None:
            the_body = Body.objects.filter(process_id=process_id, code=body).first()
            if the_body is None:
                raise APPOINTMENT_OUTSIDE_PROCESS()
        if mechanism is not None:
            the_mechanism = Mechanism.objects.filter(process_id=process_id, code=mechanism).first()
            if the_mechanism is None:
                raise APPOINTMENT_OUTSIDE_PROCESS()
    place = the_body or the_mechanism
    with transaction.atomic():
        appointment, created = Appointment.objects.get_or_create(
            user=user, role=role, body=the_body, mechanism=the_mechanism
        )
        if created:
            subject = f"body:{body}" if body else f"mechanism:{mechanism}" if mechanism else None
            event_append(
                kind="AppointmentGranted",
                subject=subject or _subject(user),
                # Membership of bodies and mechanisms is known to every participant.
                scope=access.SHARED if place else _internal_scope(user),
                payload={"user": user.username, "role": role},
                actor=actor,
                process=user.delegation.process if user.delegation else None,
            )
    access.forget(user)
    return appointment


def _token_scopes(scopes: list[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(scopes or [TokenScope.ALL]))
    for scope in chosen:
        if scope not in TokenScope.values:
            raise TOKEN_SCOPE_UNKNOWN(scope=scope, known=", ".join(TokenScope.values))
    if TokenScope.READ in chosen and len(chosen) > 1:
        raise TOKEN_READ_ONLY_WITH_OTHERS()
    return chosen


def token_create(
    *, actor: User, name: str, scopes: list[str] | None = None, days: int = TOKEN_DAYS
) -> tuple[ApiToken, str]:
    """Create an API token for ``actor``; return it and its secret (shown only once).

    ``scopes``: what it may change (``TokenScope``; default everything its user may);
    ``days``: how long it lives, at most ``TOKEN_MAX_DAYS``."""
    chosen = _token_scopes(scopes)
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise TOKEN_DAYS_INVALID(most=TOKEN_MAX_DAYS)
    secret = "acc_" + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=days)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[4:12],
            key_sha256=ApiToken.digest(secret),
            scopes=chosen,
            expires_at=expires_at,
        )
        event_append(
            kind="ApiTokenCreated",
            subject=_subject(actor),
            scope=_internal_scope(actor),
            payload={
                "name": name,
                "prefix": token.prefix,
                "scopes": chosen,
                "expires_at": expires_at.isoformat(),
            },
            actor=actor,
            process=actor.delegation.process if actor.delegation else None,
        )
    return token, secret


def token_use_record(token: ApiToken) -> None:
    """Note that ``token`` was just used, at most once per ``LAST_USE_RESOLUTION``.

    The one write a read may cause (decision 0092): when a token was last used is what
    its owner and the operator need to spot a leaked or forgotten one. A single UPDATE
    of that column, no event (the security log records sign-in failures, not uses)."""
    now = timezone.now()
    if token.last_use_stale(now):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def token_revoke(*, actor: User, prefix: str) -> ApiToken:
    """Revoke ``actor``'s own token ``prefix`` (again: nothing changes); ``TOKEN_NOT_FOUND``
    for a token that is not theirs."""
    revoked: list[bool] = []  # by this call, under the lock (not before it)

    def change(token: ApiToken) -> list[str]:
        if token.revoked_at is not None:
            return []
        token.revoked_at = timezone.now()
        revoked.append(True)
        return ["revoked_at"]

    def events(token: ApiToken) -> list[NewEvent]:
        if not revoked:
            return []
        return [
            NewEvent(
                kind="ApiTokenRevoked",
                subject=_subject(actor),
                scope=_internal_scope(actor),
                payload={"prefix": token.prefix},
                actor=actor,
                process=actor.delegation.process if actor.delegation else None,
            )
        ]

    with transaction.atomic():
        return change_locked(
            access.token_rows(actor, prefix),
            missing=TOKEN_NOT_FOUND,
            change=change,
            events=events,
        )


def user_deactivate(*, actor: User | None, username: str) -> User:
    """Close user ``username``'s access at once (open live streams end within a keep-alive).

    Users are never deleted: the event log keeps pointing at them. ``actor``: None at the
    command line; otherwise ``access.may_deactivate_user``.
    """
    user = _user_refused_unless(actor, username, access.may_deactivate_user)
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


def _password_check(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise PASSWORD_TOO_SHORT(n=MIN_PASSWORD)


def _user_refused_unless(
    actor: User | None, username: str, may: Callable[[User | None, User], bool]
) -> User:
    """User ``username``, when ``may(actor, user)`` (an ``access.may_*`` of one target)
    says yes; else the refusal that says why (not an operator, yourself, above you)."""
    if not access.may_manage_users(actor):
        raise USERS_NOT_YOURS()
    user = _user_named(username)
    if not may(actor, user):
        if actor is not None and actor.pk == user.pk:
            raise NOT_YOURSELF()
        raise ABOVE_YOU()
    return user


def user_password_reset(*, actor: User | None, username: str, password: str) -> User:
    """Give user ``username`` a new password (they forgot theirs); their signed-in
    sessions end with it (Django checks the password's hash on each request).

    ``actor``: None at the command line; otherwise ``access.may_reset_password``.
    """
    user = _user_refused_unless(actor, username, access.may_reset_password)
    _password_check(password)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        event_append(
            kind="UserPasswordReset",
            subject=_subject(user),
            scope=_internal_scope(user),
            payload={"username": user.username},  # never the password, nor its hash
            actor=actor,
            process=user.delegation.process if user.delegation else None,
        )
    return user


def user_tokens_revoke(*, actor: User | None, username: str) -> int:
    """Revoke every live API token of user ``username``; return how many. Again: 0, and
    no event.

    ``actor``: None at the command line; otherwise ``access.may_revoke_tokens``.
    """
    user = _user_refused_unless(actor, username, access.may_revoke_tokens)
    with transaction.atomic():
        live = list(
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list(
                "prefix", flat=True
            )
        )
        if not live:
            return 0
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        event_append(
            kind="ApiTokensRevoked",
            subject=_subject(user),
            scope=_internal_scope(user),
            payload={"username": user.username, "prefixes": sorted(live)},
            actor=actor,
            process=user.delegation.process if user.delegation else None,
        )
    return len(live)
