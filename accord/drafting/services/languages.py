"""Writes of equally authentic texts: language versions and their provisions' wording
(issue 20, point 5; decision 0163).

A translation keeps the original's brackets and options: the same number of bracketed
spans and option sets, each with as many options, in the same order, checked on every
save. What the original wording was is kept with it (``source_sha256``), so a change of
the original makes the translation stale, and the text cannot be adopted until every
language version is complete and current (``document_adopt``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accord.drafting import brackets
from accord.drafting.access import (
    document_access,
    may_translate,
    pen_holder_codes,
    provision_access,
)
from accord.drafting.language_models import LanguageVersion, ProvisionTranslation
from accord.drafting.services.common import FROZEN, NOT_PEN_HOLDER, event
from accord.drafting.tree import text_sha256
from accord.errors import Conflict, NotFound, ValidationFailed
from accord.events.services import events_append
from accord.public_ids import parse_public_id

if TYPE_CHECKING:
    from accord.accounts.models import User
    from accord.drafting.models import Document

LANGUAGE_VERSION_NOT_FOUND = NotFound.case(
    "language_version.not_found", _("There is no such language version.")
)
LANGUAGE_INVALID = ValidationFailed.case(
    "language_version.language_invalid",
    _("{language!r} is not a language code; write one such as 'fa', 'ar' or 'ur'."),
)
LANGUAGE_IS_ORIGINAL = ValidationFailed.case(
    "language_version.language_is_original",
    _("The text is written in {language} already: a version is another language."),
)
LANGUAGE_VERSION_EXISTS = Conflict.case(
    "language_version.exists", _("The text already has a version in {language}.")
)
TRANSLATION_MISALIGNED = ValidationFailed.case(
    "provision_translation.brackets_misaligned",
    _(
        "{label}: the translation must keep the original's brackets and options "
        "(the original has {original}; the translation has {translation})."
    ),
)
TRANSLATION_BRACKETS_INVALID = ValidationFailed.case(
    "provision_translation.brackets_invalid",
    _("{label}: the translation's brackets do not balance ({reason})."),
)
LANGUAGE_VERSIONS_NOT_READY = Conflict.case(
    "document.language_versions_not_ready",
    _("Every language version must be complete and current before the text is adopted: {reason}"),
)

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def bracket_shape(text: str) -> tuple[int, ...]:
    """The options of each bracketed group of ``text``, in reading order (1: a bracketed
    span; 3: an option set of three): what two versions of a provision share."""
    return tuple(len(group.options) for group in brackets.groups(brackets.parse(text)))


def shape_in_words(shape: tuple[int, ...]) -> str:
    spans = sum(1 for n in shape if n == 1)
    sets = [n for n in shape if n > 1]
    words = [str(_("{n} bracketed spans")).format(n=spans)]
    if sets:
        words.append(str(_("option sets of {sizes}")).format(sizes=", ".join(str(n) for n in sets)))
    else:
        words.append(str(_("no option set")))
    return ", ".join(words)


def language_version_access(
    actor: User | None, version_id: str, *, lock: bool = False
) -> LanguageVersion:
    """The language version ``version_id`` of a document ``actor`` may see (through the
    document: a version is as private as its text)."""
    key = parse_public_id(version_id)
    version = (
        LanguageVersion.objects.filter(public_id=key).select_related("document").first()
        if key is not None
        else None
    )
    if version is None:
        raise LANGUAGE_VERSION_NOT_FOUND()
    try:
        document_access(actor, version.document.public_id, lock=lock)
    except NotFound:
        raise LANGUAGE_VERSION_NOT_FOUND() from None
    return version


def _translator_required(actor: User, document: Document) -> None:
    if document.frozen:
        raise FROZEN()
    if not may_translate(actor, document):
        raise NOT_PEN_HOLDER(holders=", ".join(pen_holder_codes(document)))


def language_version_add(
    *,
    actor: User,
    document_id: str,
    language: str,
    original_language: str = "en",
    title: str = "",
) -> LanguageVersion:
    """Add ``document``'s version in ``language`` (empty until translated), equally
    authentic with the original written in ``original_language``."""
    language = (language or "").strip()
    original_language = (original_language or "en").strip()
    for code in (language, original_language):
        if not _LANGUAGE.match(code):
            raise LANGUAGE_INVALID(language=code)
    if language == original_language:
        raise LANGUAGE_IS_ORIGINAL(language=language)
    with transaction.atomic():
        document = document_access(actor, document_id, lock=True)
        _translator_required(actor, document)
        if LanguageVersion.objects.filter(document=document, language=language).exists():
            raise LANGUAGE_VERSION_EXISTS(language=language)
        # One original language for all of a document's versions.
        first = LanguageVersion.objects.filter(document=document).first()
        if first is not None:
            original_language = first.original_language
        version = LanguageVersion.objects.create(
            process=document.process,
            scope=document.scope,
            document=document,
            language=language,
            original_language=original_language,
            title=(title or "").strip()[:300],
            created_by=actor,
        )
        events_append(
            [
                event(
                    document,
                    kind="LanguageVersionAdded",
                    subject=document.subject,
                    actor=actor,
                    payload={"language": language, "version": str(version.public_id)},
                )
            ]
        )
    return version


def provision_translate(
    *, actor: User, version_id: str, provision_wid: str, text: str, heading: str = ""
) -> ProvisionTranslation:
    """Write provision ``provision_wid``'s wording in ``version_id``'s language, as a
    translation of its current original wording; its brackets and options must align."""
    with transaction.atomic():
        version = language_version_access(actor, version_id, lock=True)
        document = version.document
        _translator_required(actor, document)
        provision = provision_access(actor, provision_wid)
        if provision.document_id != document.pk:
            raise LANGUAGE_VERSION_NOT_FOUND()
        label = provision.label or provision.num
        text = (text or "").strip()
        try:
            shape = bracket_shape(text)
        except brackets.BracketError as error:
            raise TRANSLATION_BRACKETS_INVALID(label=label, reason=str(error)) from None
        original = bracket_shape(provision.text)
        if shape != original:
            raise TRANSLATION_MISALIGNED(
                label=label, original=shape_in_words(original), translation=shape_in_words(shape)
            )
        row, _created = ProvisionTranslation.objects.update_or_create(
            version=version,
            provision=provision,
            defaults={
                "text": text,
                "heading": (heading or "").strip()[:300],
                "source_sha256": text_sha256(provision.text),
                "translated_by": actor,
            },
        )
        events_append(
            [
                event(
                    document,
                    kind="ProvisionTranslated",
                    subject=provision.subject,
                    actor=actor,
                    payload={"language": version.language, "label": label},
                )
            ]
        )
    return row


def adoption_language_refusal(document: Document) -> None:
    """Refuse the adoption of ``document`` while a language version is incomplete or stale
    (``document_adopt`` calls it inside its check)."""
    from accord.drafting.language_selectors import versions_not_ready

    reasons = versions_not_ready(document)
    if reasons:
        raise LANGUAGE_VERSIONS_NOT_READY(reason=" ".join(reasons[:3]))
