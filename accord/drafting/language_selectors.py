"""Reads of equally authentic texts: each language version's state and the provisions
side by side (issue 20, point 5; decision 0163).

Every read goes through the document, so a version is seen exactly where its text is
(``language_versions_of`` takes a document already fetched with ``document_access``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from accord import bidi
from accord.drafting import brackets
from accord.drafting.language_models import LanguageVersion, ProvisionTranslation
from accord.drafting.models import Document, Provision
from accord.drafting.tree import text_sha256, tree_order

MISSING = "missing"
STALE = "stale"
CURRENT = "current"


def _shape(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(len(g.options) for g in brackets.groups(brackets.parse(text)))
    except brackets.BracketError:
        return None


def needs_translation(provision: Provision) -> bool:
    """A provision with wording or a heading has a counterpart in every version."""
    return bool(provision.text or provision.heading)


@dataclass(frozen=True)
class Aligned:
    """One provision of the original beside its counterpart in a version."""

    provision: Provision
    depth: int
    translation: ProvisionTranslation | None
    state: str  # MISSING, STALE or CURRENT
    brackets_original: int
    brackets_translation: int
    aligned: bool  # same brackets and options, in the same order

    @property
    def stale(self) -> bool:
        return self.state == STALE


@dataclass(frozen=True)
class VersionState:
    version: LanguageVersion
    needed: int
    current: int
    stale: int
    misaligned: int

    @property
    def missing(self) -> int:
        return self.needed - self.current - self.stale

    @property
    def ready(self) -> bool:
        return self.current == self.needed and not self.misaligned

    @property
    def direction(self) -> str:
        return bidi.language_direction(self.version.language)


def aligned_rows(document: Document, version: LanguageVersion) -> list[Aligned]:
    """``document``'s provisions in order, each beside its wording in ``version``."""
    provisions = tree_order(Provision.objects.filter(document=document))
    translations = {t.provision_id: t for t in ProvisionTranslation.objects.filter(version=version)}
    depth: dict[int, int] = {}
    rows = []
    for p in provisions:
        depth[p.pk] = depth[p.parent_id] + 1 if p.parent_id in depth else 0
        if not needs_translation(p):
            continue
        t = translations.get(p.pk)
        if t is None:
            state = MISSING
        elif t.source_sha256 != text_sha256(p.text):
            state = STALE
        else:
            state = CURRENT
        original_shape = _shape(p.text)
        translated_shape = _shape(t.text) if t is not None else None
        rows.append(
            Aligned(
                provision=p,
                depth=depth[p.pk],
                translation=t,
                state=state,
                brackets_original=len(original_shape or ()),
                brackets_translation=len(translated_shape or ()),
                aligned=t is None or original_shape == translated_shape,
            )
        )
    return rows


def language_versions_of(document: Document) -> list[VersionState]:
    """Each of ``document``'s language versions with how much of it is current."""
    states = []
    for version in LanguageVersion.objects.filter(document=document):
        rows = aligned_rows(document, version)
        states.append(
            VersionState(
                version=version,
                needed=len(rows),
                current=sum(1 for r in rows if r.state == CURRENT),
                stale=sum(1 for r in rows if r.state == STALE),
                misaligned=sum(1 for r in rows if not r.aligned),
            )
        )
    return states


def versions_not_ready(document: Document) -> list[str]:
    """Why ``document``'s language versions hold up its adoption (empty: they do not)."""
    reasons = []
    for state in language_versions_of(document):
        language = state.version.language
        if state.missing:
            reasons.append(
                ngettext(
                    "the {language} version lacks {n} provision.",
                    "the {language} version lacks {n} provisions.",
                    state.missing,
                ).format(language=language, n=state.missing)
            )
        if state.stale:
            reasons.append(
                ngettext(
                    "{n} provision of the {language} version translates earlier wording.",
                    "{n} provisions of the {language} version translate earlier wording.",
                    state.stale,
                ).format(language=language, n=state.stale)
            )
        if state.misaligned:
            reasons.append(
                gettext("the {language} version's brackets differ from the original's.").format(
                    language=language
                )
            )
    return reasons
