"""What people call the things an event, a scope or an agenda item names by code
(decision 0082): "Nuclear Working Group" for ``body:WG-NUC``, a document's title for
``document:<uuid>``, a person's name for their username.

Every name is read through the owning app's selectors or access rows with the viewer as
actor, so a subject the viewer may not see gets no name (only its kind in words): a
name is never a way round the policy. One batch of queries per kind, whatever the count.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from accord.accounts import access
from accord.accounts.models import User
from accord.divergences.selectors import divergence_list
from accord.drafting.access import provisions_visible
from accord.drafting.selectors import document_list
from accord.errors import NotFound
from accord.incidents.selectors import incident_list
from accord.process import selectors as process

# A subject the viewer may not see (or that no longer exists): its kind in words.
KIND_WORDS = {
    "body": gettext_lazy("a body"),
    "mechanism": gettext_lazy("a mechanism"),
    "document": gettext_lazy("a document"),
    "provision": gettext_lazy("a provision"),
    "divergence": gettext_lazy("a divergence"),
    "incident": gettext_lazy("an incident at sea"),
    "milestone": gettext_lazy("a milestone"),
    "message": gettext_lazy("a message"),
    "session": gettext_lazy("a session"),
    "user": gettext_lazy("a person"),
}


@dataclass(frozen=True)
class Named:
    label: str
    url: str = ""


def _uuids(idents: Iterable[str]) -> list[uuid.UUID]:
    found = []
    for ident in idents:
        try:
            found.append(uuid.UUID(ident))
        except ValueError:
            continue
    return found


def names_for(
    actor: User | None,
    *,
    subjects: Iterable[str] = (),
    scopes: Iterable[str] = (),
    usernames: Iterable[str] = (),
    codes: Iterable[str] = (),
    every_place_and_person: bool = False,
) -> dict[str, Named]:
    """Names, keyed by what they name: ``subjects`` ("kind:id"), ``scopes``, ``usernames``
    and bare body or mechanism ``codes``; what the viewer may not see is left out.

    ``every_place_and_person``: name every body, mechanism, delegation and person of the
    process, whatever was asked (a timeline: the same few queries however many events,
    and whichever kinds they are)."""
    granted = access.clearance(actor)
    if granted.process_id is None:
        return {}
    wanted: dict[str, set[str]] = defaultdict(set)
    for subject in subjects:
        kind, _, ident = subject.partition(":")
        if ident:
            wanted[kind].add(ident)
    for scope in scopes:
        kind, _, ident = scope.partition(":")
        if kind in ("body", "mechanism") and ident:
            wanted[kind].add(ident)
    codes = set(codes)
    every = every_place_and_person
    names: dict[str, Named] = {}
    names.update(_scope_names(actor, set(scopes), every=every))
    names.update(
        _structure_names(actor, wanted["body"] | codes, wanted["mechanism"] | codes, every=every)
    )
    if wanted["milestone"]:
        for m in process.milestone_list(actor=actor).filter(code__in=wanted["milestone"]):
            names[f"milestone:{m.code}"] = Named(
                f"{m.code} {m.title}", reverse("process:body", args=[m.body.code])
            )
    if ids := _uuids(wanted["document"]):
        for d in document_list(actor=actor).filter(public_id__in=ids):
            names[d.subject] = Named(d.title, reverse("drafting:document", args=[d.public_id]))
    if wanted["provision"]:
        rows = provisions_visible(actor).filter(wid__in=wanted["provision"])
        for p in rows.select_related("document"):
            names[p.subject] = Named(
                gettext("{label} of {document}").format(label=p.label, document=p.document.title),
                reverse("drafting:provision", args=[p.wid]),
            )
    if ids := _uuids(wanted["divergence"]):
        for row in divergence_list(actor=actor).filter(public_id__in=ids):
            names[row.subject] = Named(
                gettext("{code}: {title}").format(code=row.code, title=row.title),
                reverse("divergences:detail", args=[row.public_id]),
            )
    if ids := _uuids(wanted.get("incident", ())):
        for row in incident_list(actor=actor).filter(public_id__in=ids):
            names[row.subject] = Named(
                gettext("{code}: {category}").format(
                    code=row.code, category=row.get_category_display()
                ),
                reverse("incidents:detail", args=[row.public_id]),
            )
    people = set(usernames)
    if people or every:
        rows = User.objects.filter(delegation__process_id=granted.process_id)
        if not every:
            rows = rows.filter(username__in=people)
        for user in rows:
            names[user.username] = Named(str(user))
    return names


def _structure_names(
    actor: User | None, bodies: set[str], mechanisms: set[str], *, every: bool
) -> dict[str, Named]:
    names: dict[str, Named] = {}
    try:
        if bodies or every:
            rows = process.body_list(actor=actor).prefetch_related(None)
            for b in rows if every else rows.filter(code__in=bodies):
                named = Named(b.name, reverse("process:body", args=[b.code]))
                names[f"body:{b.code}"] = names[b.code] = named
        if mechanisms or every:
            rows = process.mechanism_list(actor=actor).prefetch_related(None)
            for m in rows if every else rows.filter(code__in=mechanisms):
                named = Named(m.name, reverse("process:mechanism", args=[m.code]))
                names[f"mechanism:{m.code}"] = names.setdefault(m.code, named)
    except NotFound:
        return {}
    return names


def _scope_names(actor: User | None, scopes: set[str], *, every: bool) -> dict[str, Named]:
    """Who may read something, in words: "Internal to Iran", "Facilitators only"."""
    names: dict[str, Named] = {}
    parties = {d.code: d for d in process.delegation_list(actor=actor)} if scopes or every else {}
    for scope in scopes:
        kind, _, code = scope.partition(":")
        if scope == access.FACILITATORS:
            names[scope] = Named(gettext("Facilitators only"))
        elif kind == "party" and code in parties:
            names[scope] = Named(
                gettext("Internal to {delegation}").format(
                    delegation=parties[code].short_name or parties[code].name
                )
            )
        elif kind == "caucus" and code in parties:
            names[scope] = Named(
                gettext("Caucus with {delegation}").format(
                    delegation=parties[code].short_name or parties[code].name
                )
            )
    return names


def subject_in_words(subject: str, names: dict[str, Named]) -> Named:
    """The name of ``subject``, or its kind in words where there is none."""
    if subject in names:
        return names[subject]
    kind = subject.partition(":")[0]
    return Named(str(KIND_WORDS.get(kind, gettext("an item"))))
