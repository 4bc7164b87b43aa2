"""The password policy (ASVS 6.2): Django's validators and two of Accord's own.

``AUTH_PASSWORD_VALIDATORS`` (settings) lists Django's minimum length, common-password
and user-attribute-similarity validators, then:

- ``AccountLengthValidator``: at least 12 characters for an account that acts for a
  delegation (a party's or a facilitator's) or runs the server;
- ``BreachedPasswordValidator``: refuses a password that zxcvbn finds guessable from
  its bundled lists (frequency lists of leaked passwords, names, words), offline.

``password_check`` is what the services call before they set a password. The demo's
accounts keep the printed demo password only under ``ACCORD_DEMO_WITHOUT_PASSWORD_POLICY``
(set by ``accord demo`` and the tests; production refuses every ``ACCORD_DEMO_*``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accord.errors import ValidationFailed

PASSWORD_REFUSED = ValidationFailed.case(
    "user.password_refused", _("The password is refused: {reasons}")
)
ACCOUNT_MIN_LENGTH = 12
# zxcvbn's score runs 0 (guessable in under 10^3 tries) to 4 (over 10^10): below this
# the password is in or near its lists of leaked passwords.
BREACHED_BELOW_SCORE = 3
# zxcvbn's cost grows with the length; what follows is not read.
ZXCVBN_MAX_LENGTH = 100


def policy_exempt() -> bool:
    """The demo's exemption (never in production: settings refuse ACCORD_DEMO_*)."""
    return bool(getattr(settings, "ACCORD_DEMO_WITHOUT_PASSWORD_POLICY", False))


def password_check(password: str, *, user: Any) -> None:
    """Refuse ``password`` for ``user`` (``PASSWORD_REFUSED``, every reason) unless the
    policy allows it."""
    if policy_exempt():
        return
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise PASSWORD_REFUSED(reasons=" ".join(error.messages)) from None


def _needs_long_password(user: Any) -> bool:
    if user is None:
        return True
    return bool(
        getattr(user, "delegation_id", None) is not None
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    )


class AccountLengthValidator:
    """At least ``ACCOUNT_MIN_LENGTH`` characters for a delegation's (or facilitator's)
    account and for an operator; an unknown user is held to the same."""

    def __init__(self, min_length: int = ACCOUNT_MIN_LENGTH) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if _needs_long_password(user) and len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "An account of a delegation needs a password of at least %(min)d character.",
                    "An account of a delegation needs a password of at least %(min)d characters.",
                    self.min_length,
                )
                % {"min": self.min_length},
                code="password_too_short_for_account",
            )

    def get_help_text(self) -> str:
        return ngettext(
            "An account of a delegation needs at least %(min)d character.",
            "An account of a delegation needs at least %(min)d characters.",
            self.min_length,
        ) % {"min": self.min_length}


class BreachedPasswordValidator:
    """Refuses a password found in, or easily derived from, lists of breached passwords
    (zxcvbn's bundled frequency lists; no network)."""

    def __init__(self, below_score: int = BREACHED_BELOW_SCORE) -> None:
        self.below_score = below_score

    def validate(self, password: str, user: Any = None) -> None:
        from zxcvbn import zxcvbn

        inputs = [
            str(value)
            for value in (
                getattr(user, "username", ""),
                getattr(user, "display_name", ""),
                getattr(user, "email", ""),
            )
            if value
        ]
        result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=inputs)
        if result["score"] < self.below_score:
            raise ValidationError(
                _g(
                    "This password is among, or close to, passwords published from "
                    "breaches: choose a longer phrase of unrelated words."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _g("Your password must not be one published from breaches, or close to one.")
