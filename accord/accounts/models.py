"""People: users, the delegation each belongs to, the roles they hold, API tokens."""

import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord import bidi, calendars
from accord.process.models import Body, Delegation, Mechanism
from accord.process.vocabulary import Role

__all__ = ["Role"]  # defined once in the process's vocabulary, imported from here too


class DigitStyle(models.TextChoices):
    """The digits a person reads numbers and dates in (``accord.bidi``)."""

    LATIN = bidi.LATIN, _("Latin digits (0123456789)")
    PERSIAN = bidi.PERSIAN, _("Persian and Urdu digits (۰۱۲۳۴۵۶۷۸۹)")
    ARABIC_INDIC = bidi.ARABIC_INDIC, _("Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩)")


class CalendarChoice(models.TextChoices):
    """The calendars a person reads days in (``accord.calendars``)."""

    GREGORIAN = calendars.GREGORIAN, _("Gregorian")
    SOLAR_HIJRI = (
        calendars.SOLAR_HIJRI,
        _("Gregorian with the Solar Hijri (Persian) date beside it"),
    )


class User(AbstractUser):
    """A person using Accord. Belongs to at most one delegation (none: operators)."""

    delegation = models.ForeignKey(
        Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    display_name = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    # The language this person writes in and reads the interface in (a code: "en", "fa");
    # blank: their delegation's for what they write, the browser's for the pages.
    language = models.CharField(max_length=16, blank=True, default="")
    # How numbers and dates are shown to this person (decision 0160): never stored data.
    digits = models.CharField(max_length=16, choices=DigitStyle.choices, default=DigitStyle.LATIN)
    calendar = models.CharField(
        max_length=16, choices=CalendarChoice.choices, default=CalendarChoice.GREGORIAN
    )

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def writes_in(self) -> str:
        """The language code what this person writes is tagged with unless they choose
        another: their own, else their delegation's, else English."""
        if self.language:
            return self.language
        delegation = self.delegation
        return (delegation.language if delegation is not None else "") or "en"


class Appointment(models.Model):
    """A role a user holds: in a body, in a mechanism, or in the delegation itself."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="appointments")
    role = models.CharField(max_length=32, choices=Role.choices)
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.CASCADE, related_name="appointments"
    )
    mechanism = models.ForeignKey(
        Mechanism, null=True, blank=True, on_delete=models.CASCADE, related_name="appointments"
    )

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__isnull=True) | models.Q(mechanism__isnull=True),
                name="appointment_in_one_place",
            ),
        ]

    def __str__(self) -> str:
        where = self.body or self.mechanism or self.user.delegation
        return f"{self.user}: {self.get_role_display()} ({where})"


class TokenScope(models.TextChoices):
    """What a token may change (decision 0092). Every token reads what its user may see;
    a change needs the scope of the API part it goes to, or ``all``."""

    READ = "read", _("Read only")
    CHANNELS = "channels", _("Channels: send, receive, acknowledge")
    DRAFTING = "drafting", _("Texts: propose, amend, state positions")
    MEETINGS = "meetings", _("Meetings: agenda, minutes, action items")
    DIVERGENCES = "divergences", _("Divergences")
    NOTES = "notes", _("Internal notes")
    COMPLIANCE = "compliance", _("Implementation: commitments, verification, disputes")
    ALL = "all", _("Everything the user may do")


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the secret is shown once.

    It expires (``expires_at``, at most ``TOKEN_MAX_DAYS`` after its creation), may be
    limited to some changes (``scopes``), and says when it was last used (written at most
    once per ``LAST_USE_RESOLUTION``, so a busy client does not write on every call)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.JSONField(default=list, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def may_change(self, path: str) -> bool:
        """Whether this token may make a change (a write) at the API ``path``."""
        granted = set(self.scopes) or {TokenScope.ALL}  # rows from before scopes: all
        return TokenScope.ALL in granted or token_scope_for_path(path) in granted

    def last_use_stale(self, now: dt.datetime) -> bool:
        return self.last_used_at is None or now - self.last_used_at >= LAST_USE_RESOLUTION


TOKEN_DAYS = 90  # a new token's life unless its creator chooses
TOKEN_MAX_DAYS = 365
LAST_USE_RESOLUTION = dt.timedelta(minutes=5)
# The part of the API a change goes to (/api/<part>/...) and the scope it needs; a change
# anywhere else (the roadmap, the caller's own account) needs ``all``.
_SCOPED_PARTS = {
    "channels": TokenScope.CHANNELS,
    "drafting": TokenScope.DRAFTING,
    "meetings": TokenScope.MEETINGS,
    "divergences": TokenScope.DIVERGENCES,
    "notes": TokenScope.NOTES,
    "compliance": TokenScope.COMPLIANCE,
}


def token_scope_for_path(path: str) -> str:
    parts = path.split("/")
    part = parts[2] if len(parts) > 2 and parts[1] == "api" else ""
    return _SCOPED_PARTS.get(part, TokenScope.ALL)
