"""Equally authentic texts: a document's language versions, aligned provision by provision
(issue 20, point 5; decision 0163).

A document's own provisions are its original; a ``LanguageVersion`` is the same text in
another language, one ``ProvisionTranslation`` per provision. A translation remembers the
original wording it translated (``source_sha256``): when the original changes, the
translation is stale until it is translated again. A version carries its document's
scope, so a party-internal text's versions are as private as the text (read through the
document, ``drafting.access.document_access``). Imported by ``drafting.models``, so it
names their models by label rather than importing them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class LanguageVersion(models.Model):
    """``document`` in ``language`` (a code: "fa"), equally authentic with the original."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    document = models.ForeignKey(
        "drafting.Document", on_delete=models.CASCADE, related_name="language_versions"
    )
    language = models.CharField(max_length=16)
    # The original's language ("en"): what the document's own provisions are written in.
    original_language = models.CharField(max_length=16, default="en")
    title = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "drafting"
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="language_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} [{self.language}]"

    @property
    def subject(self) -> str:
        return f"language_version:{self.public_id}"


class ProvisionTranslation(models.Model):
    """One provision of a language version: its wording (brackets and options aligned with
    the original's) and the original wording it was made from."""

    version = models.ForeignKey(
        LanguageVersion, on_delete=models.CASCADE, related_name="translations"
    )
    provision = models.ForeignKey(
        "drafting.Provision", on_delete=models.CASCADE, related_name="translations"
    )
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    source_sha256 = models.CharField(max_length=64)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    translated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "drafting"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "provision"], name="provision_translation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provision} [{self.version.language}]"
