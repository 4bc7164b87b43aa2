"""Loading a charter: the only way process rows come into being or change.

``charter_load`` upserts the process a charter declares, keyed by codes, so primary keys
(and everything that points at them) survive reloads. Each write appends its events in the
same transaction.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from django.db import transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.errors import Conflict, PermissionDenied
from accord.events.services import event_append
from accord.process import access
from accord.process.charter import Charter, charter_read
from accord.process.models import Body, Delegation, Mechanism, Milestone, Process

if TYPE_CHECKING:
    from accord.accounts.models import User

# Each refusal names one entry; like the charter's problems they are for the person who
# set the process up, at the command line, and stay English.
REMOVAL_REFUSED = (
    "{what} {code!r} cannot be removed: it holds {content}. Archive or move that content first."
)
CHARTER_REMOVAL_REFUSED = Conflict.case(
    "charter.removal_refused", _("The charter was not loaded: {refusals}")
)
CHARTER_LOAD_NOT_ALLOWED = PermissionDenied.case(
    "charter.load_not_allowed",
    _("Only the server's operators and the facilitators load a charter."),
)

M = TypeVar("M", bound=Model)

LoadStatus = Literal["created", "updated", "unchanged"]


class CharterRemovalRefused(Conflict):
    """A reloaded charter drops an entry that still holds content; nothing was written."""

    def __init__(self, refusals: Iterable[str]) -> None:
        self.refusals = tuple(refusals)
        super().__init__(CHARTER_REMOVAL_REFUSED, refusals=" ".join(self.refusals))


@dataclass
class EntityChanges:
    """What a load did to one kind of entry, by code."""

    created: list[str] = field(default_factory=list)
    # code -> names of the fields that changed
    updated: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "removed": len(self.removed),
            "unchanged": len(self.unchanged),
        }

    def mark_updated(self, code: str, field_name: str) -> None:
        """Record a change to an existing entry (changes to new entries are not news)."""
        if code not in self.created:
            self.updated.setdefault(code, []).append(field_name)


@dataclass
class CharterLoadResult:
    """The outcome of ``charter_load``: the process and what changed, per kind of entry."""

    process: Process
    status: LoadStatus
    sha256: str
    process_fields: list[str] = field(default_factory=list)
    delegations: EntityChanges = field(default_factory=EntityChanges)
    bodies: EntityChanges = field(default_factory=EntityChanges)
    mechanisms: EntityChanges = field(default_factory=EntityChanges)
    milestones: EntityChanges = field(default_factory=EntityChanges)

    def entities(self) -> dict[str, EntityChanges]:
        return {
            "delegations": self.delegations,
            "bodies": self.bodies,
            "mechanisms": self.mechanisms,
            "milestones": self.milestones,
        }

    def counts(self) -> dict[str, dict[str, int]]:
        return {name: changes.counts() for name, changes in self.entities().items()}

    @property
    def changed(self) -> bool:
        return bool(self.process_fields) or any(c.changed for c in self.entities().values())


# --- Charter loading -----------------------------------------------------------------------


def charter_load(*, path: str | os.PathLike[str], actor: User | None = None) -> CharterLoadResult:
    """Validate the charter at ``path`` and make the database match it, in one transaction.

    Validation comes first: an invalid charter raises ``CharterInvalid`` and writes
    nothing. The process is found by its framework code; delegations, bodies, mechanisms
    and milestones by their codes, so rows keep their primary keys across reloads. Entries
    no longer declared are removed, unless content still refers to them: then
    ``CharterRemovalRefused`` names each one and the whole load is rolled back.

    Loading a text whose SHA-256 equals the stored one changes nothing and appends no
    event (status ``"unchanged"``). Otherwise a ``CharterLoaded`` event is appended and,
    when an existing process changed, a ``CharterUpdated`` event listing the changes.
    Milestone status (met, overdue) is left as it is on reload. ``actor``: None when the
    server's operator loads at the command line; otherwise ``access.may_load_charter``.
    """
    if not access.may_load_charter(actor):
        raise CHARTER_LOAD_NOT_ALLOWED()
    charter = charter_read(path)
    with transaction.atomic():
        process = Process.objects.select_for_update().filter(code=charter.code).first()
        if process is not None and process.charter_sha256 == charter.sha256:
            return _unchanged_result(process)
        previous_sha256 = process.charter_sha256 if process is not None else None
        status: LoadStatus = "created" if process is None else "updated"
        process, process_fields = _process_upsert(process, charter, path)
        result = CharterLoadResult(
            process=process, status=status, sha256=charter.sha256, process_fields=process_fields
        )
        delegations = _delegations_upsert(process, charter, result.delegations)
        bodies = _bodies_upsert(process, charter, delegations, result.bodies)
        _mechanisms_upsert(process, charter, delegations, result.mechanisms)
        _milestones_upsert(process, charter, bodies, result.milestones)
        _undeclared_remove(process, charter, result)

        counts = result.counts()
        event_append(
            kind="CharterLoaded",
            subject=f"process:{process.code}",
            scope=policy.SHARED,
            payload={
                "sha256": charter.sha256,
                "path": process.charter_path,
                "status": status,
                "counts": counts,
            },
            actor=actor,
            process=process,
        )
        if status == "updated" and result.changed:
            event_append(
                kind="CharterUpdated",
                subject=f"process:{process.code}",
                scope=policy.SHARED,
                payload={
                    "sha256": charter.sha256,
                    "previous_sha256": previous_sha256,
                    "process": process_fields,
                    **{
                        name: {
                            "created": changes.created,
                            "updated": changes.updated,
                            "removed": changes.removed,
                        }
                        for name, changes in result.entities().items()
                    },
                },
                actor=actor,
                process=process,
            )
    return result


def _unchanged_result(process: Process) -> CharterLoadResult:
    def codes(queryset: QuerySet[Any]) -> list[str]:
        return list(queryset.values_list("code", flat=True))

    return CharterLoadResult(
        process=process,
        status="unchanged",
        sha256=process.charter_sha256,
        delegations=EntityChanges(unchanged=codes(process.delegations.all())),
        bodies=EntityChanges(unchanged=codes(process.bodies.all())),
        mechanisms=EntityChanges(unchanged=codes(process.mechanisms.all())),
        milestones=EntityChanges(unchanged=codes(process.milestones.all())),
    )


def _assign(row: Model, values: Mapping[str, Any]) -> list[str]:
    """Set ``values`` on ``row``; return the names of the fields whose value changed."""
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def _upsert(
    model: type[M],
    *,
    process: Process,
    existing: Mapping[str, M],
    code: str,
    values: Mapping[str, Any],
    changes: EntityChanges,
) -> M:
    """Create the row ``code`` or update it in place with ``values``; record which."""
    row = existing.get(code)
    if row is None:
        row = model(process=process, code=code, **values)
        row.full_clean()
        row.save()
        changes.created.append(code)
        return row
    changed = _assign(row, values)
    if changed:
        row.full_clean()
        row.save()
        changes.updated[code] = changed
    return row


def _m2m_sync(
    row: Model, name: str, targets: Iterable[Model], *, code: str, changes: EntityChanges
) -> None:
    """Make the many-to-many ``name`` of ``row`` hold exactly ``targets``."""
    manager = getattr(row, name)
    wanted = {target.pk: target for target in targets}
    if set(manager.values_list("pk", flat=True)) != set(wanted):
        manager.set(list(wanted.values()))
        changes.mark_updated(code, name)


def _process_upsert(
    process: Process | None, charter: Charter, path: str | os.PathLike[str]
) -> tuple[Process, list[str]]:
    framework, roadmap = charter.framework, charter.roadmap
    values = {
        "name": framework.name,
        "short_name": framework.short_name,
        "description": framework.description,
        "signed_on": framework.signed_on,
        "starts_on": framework.starts_on,
        "ends_on": framework.ends_on,
        "timezone": framework.timezone,
        "roadmap_title": roadmap.title,
        "roadmap_starts_on": roadmap.starts_on,
        "roadmap_length_days": roadmap.length_days,
        "escalation": {
            "principals": charter.escalation.principals,
            "ladder": {
                code: [to, days]
                for code, (to, days) in charter.escalation.ladder(charter.bodies).items()
            },
        },
        "compliance": charter.compliance.model_dump(mode="json"),
        "charter_path": str(Path(path).resolve()),
        "charter_sha256": charter.sha256,
    }
    if process is None:
        process = Process(code=framework.code, **values)
        changed: list[str] = []
    else:
        changed = _assign(process, values)
    process.full_clean()
    process.save()
    # Where the file lives and its hash are bookkeeping, not changes to the process.
    return process, [name for name in changed if name not in ("charter_path", "charter_sha256")]


def _delegations_upsert(
    process: Process, charter: Charter, changes: EntityChanges
) -> dict[str, Delegation]:
    existing = {row.code: row for row in process.delegations.all()}
    rows = {}
    for kind, specs in (
        (Delegation.Kind.PARTY, charter.parties),
        (Delegation.Kind.FACILITATOR, charter.facilitators),
    ):
        for order, spec in enumerate(specs):
            values = {
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": kind,
                "language": spec.language,
                "timezone": spec.timezone,
                "colour": spec.colour,
                "order": order,
                "translations": dict(spec.translations),
            }
            rows[spec.code] = _upsert(
                Delegation,
                process=process,
                existing=existing,
                code=spec.code,
                values=values,
                changes=changes,
            )
    return rows


def _bodies_upsert(
    process: Process,
    charter: Charter,
    delegations: Mapping[str, Delegation],
    changes: EntityChanges,
) -> dict[str, Body]:
    existing = {row.code: row for row in process.bodies.all()}
    rows = {}
    for order, spec in enumerate(charter.bodies):
        values = {
            "name": spec.name,
            "short_name": spec.short_name,
            "kind": spec.kind,
            "mandate": spec.mandate,
            "chair_arrangement": spec.chair.arrangement,
            "member_roles": list(spec.member_roles),
            "order": order,
            "translations": dict(spec.translations),
        }
        rows[spec.code] = _upsert(
            Body, process=process, existing=existing, code=spec.code, values=values, changes=changes
        )
    # Second pass: a body may report to one declared after it.
    for spec in charter.bodies:
        row = rows[spec.code]
        target = rows[spec.reports_to] if spec.reports_to else None
        if row.reports_to_id != (target.pk if target else None):
            row.reports_to = target
            row.save(update_fields=["reports_to"])
            changes.mark_updated(spec.code, "reports_to")
        chairs = [delegations[code] for code in spec.chair.by]
        _m2m_sync(row, "chairs", chairs, code=spec.code, changes=changes)
    return rows


def _mechanisms_upsert(
    process: Process,
    charter: Charter,
    delegations: Mapping[str, Delegation],
    changes: EntityChanges,
) -> None:
    existing = {row.code: row for row in process.mechanisms.all()}
    for order, spec in enumerate(charter.mechanisms):
        values = {
            "name": spec.name,
            "short_name": spec.short_name,
            "kind": spec.kind,
            "purpose": spec.purpose,
            "area": spec.area,
            "facilitators_informed": spec.facilitators_informed,
            "member_roles": list(spec.member_roles),
            "settings": dict(spec.settings),
            "order": order,
            "translations": dict(spec.translations),
        }
        row = _upsert(
            Mechanism,
            process=process,
            existing=existing,
            code=spec.code,
            values=values,
            changes=changes,
        )
        members = [delegations[code] for code in spec.delegations]
        _m2m_sync(row, "delegations", members, code=spec.code, changes=changes)


def _milestones_upsert(
    process: Process, charter: Charter, bodies: Mapping[str, Body], changes: EntityChanges
) -> None:
    existing = {row.code: row for row in process.milestones.select_related("body")}
    roadmap = charter.roadmap
    rows = {}
    for order, spec in enumerate(roadmap.milestones):
        values = {
            "body": bodies[spec.body],
            "title": spec.title,
            "description": spec.description,
            "due_day": spec.due_day,
            "due_on": roadmap.due_on(spec),
            "order": order,
        }
        current = existing.get(spec.code)
        if current is not None and current.original_due_on is not None:
            # An HLC extension moved the date: the charter's date stays the original one.
            values["original_due_on"] = values.pop("due_on")
        rows[spec.code] = _upsert(
            Milestone,
            process=process,
            existing=existing,
            code=spec.code,
            values=values,
            changes=changes,
        )
    # Second pass: a milestone may depend on one declared after it.
    for spec in roadmap.milestones:
        targets = [rows[code] for code in spec.depends_on]
        _m2m_sync(rows[spec.code], "depends_on", targets, code=spec.code, changes=changes)


def _undeclared_remove(process: Process, charter: Charter, result: CharterLoadResult) -> None:
    """Delete the entries the charter no longer declares, dependants first.

    Milestones go before bodies (``Milestone.body`` protects a body), bodies before
    delegations. Every refusal is collected before raising, so one run names them all.
    """
    declared_delegations = {spec.code for spec in (*charter.parties, *charter.facilitators)}
    declared_bodies = {spec.code for spec in charter.bodies}
    declared_mechanisms = {spec.code for spec in charter.mechanisms}
    declared_milestones = {spec.code for spec in charter.roadmap.milestones}

    refusals: list[str] = []
    _rows_delete(
        "Milestone",
        process.milestones.exclude(code__in=declared_milestones),
        result.milestones,
        refusals,
    )
    _rows_delete(
        "Mechanism",
        process.mechanisms.exclude(code__in=declared_mechanisms),
        result.mechanisms,
        refusals,
    )
    removed_bodies = process.bodies.exclude(code__in=declared_bodies)
    # Removed bodies may report to each other; kept bodies cannot report to a removed one
    # (validation refuses an unknown reports_to), so clearing these links is enough.
    removed_bodies.update(reports_to=None)
    _rows_delete("Body", removed_bodies, result.bodies, refusals)
    _rows_delete(
        "Delegation",
        process.delegations.exclude(code__in=declared_delegations),
        result.delegations,
        refusals,
    )
    if refusals:
        raise CharterRemovalRefused(refusals)

    for changes, declared in (
        (result.delegations, declared_delegations),
        (result.bodies, declared_bodies),
        (result.mechanisms, declared_mechanisms),
        (result.milestones, declared_milestones),
    ):
        touched = set(changes.created) | set(changes.updated)
        changes.unchanged = sorted(declared - touched)


def _rows_delete(
    what: str, rows: QuerySet[Any], changes: EntityChanges, refusals: list[str]
) -> None:
    for row in rows.order_by("code"):
        try:
            # A savepoint per row: a refused delete leaves the outer transaction usable, so
            # the remaining rows can still be tried and their refusals reported too.
            with transaction.atomic():
                row.delete()
        except ProtectedError as error:
            refusals.append(_refusal(what, row.code, error.protected_objects))
        except RestrictedError as error:
            refusals.append(_refusal(what, row.code, error.restricted_objects))
        else:
            changes.removed.append(row.code)


def _refusal(what: str, code: str, holders: Iterable[Model]) -> str:
    """``Body 'WG-NUC' cannot be removed: it holds 3 internal notes and 1 milestone…``"""
    counts = Counter(holder._meta for holder in holders)
    parts = [
        f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
        for meta, count in sorted(counts.items(), key=lambda item: str(item[0].verbose_name))
    ]
    content = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return REMOVAL_REFUSED.format(what=what, code=code, content=content)
