"""Security events: who tried to sign in, from where, and what happened (ASVS 16.3).

Kept apart from the hash-chained event log on purpose: an attacker's flood of wrong
passwords must not grow the negotiating record, and these rows may be pruned.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """One security-relevant thing that happened: a sign-in, a refusal, a lockout."""

    class Kind(models.TextChoices):
        SIGNIN_SUCCEEDED = "signin.succeeded", _("sign-in succeeded")
        SIGNIN_FAILED = "signin.failed", _("sign-in failed")
        TOKEN_FAILED = "token.failed", _("API token refused")
        LOCKED_OUT = "signin.locked_out", _("locked out")
        UNLOCKED = "signin.unlocked", _("unlocked by an operator")
        SECOND_FACTOR_SUCCEEDED = "second_factor.succeeded", _("second factor accepted")
        SECOND_FACTOR_FAILED = "second_factor.failed", _("second factor refused")
        RECOVERY_CODE_USED = "second_factor.recovery_used", _("recovery code used")
        SECOND_FACTOR_ENROLLED = "second_factor.enrolled", _("second factor enrolled")
        PERMISSION_REFUSED = "permission.refused", _("permission refused")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # The name that was tried, as typed (it may name no account).
    username = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    # What was asked (a path, an error code); short and never a secret.
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"
