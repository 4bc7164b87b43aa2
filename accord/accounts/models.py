"""People: users, the delegation each belongs to, the roles they hold, API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from accord.process.models import Body, Delegation, Mechanism
from accord.process.vocabulary import Role

__all__ = ["Role"]  # defined once in the process's vocabulary, imported from here too


class User(AbstractUser):
    """A person using Accord. Belongs to at most one delegation (none: operators)."""

    delegation = models.ForeignKey(
        Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    display_name = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    # The language this person writes in (a code: "en", "fa"); blank: their delegation's.
    language = models.CharField(max_length=16, blank=True, default="")

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


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # No longer written (an authenticated read writes nothing); kept so old rows and the
    # schema stay as they are.
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()
