"""Organisations and their notifications: submit, transmit, acknowledge receipt (never
approval), withdraw, amend; and the sweeps that activate, expire and escalate.

Lifecycle (decision 0116): submitted (the facilitators alone hold it) -> transmitted to
each party (every party gets a receipt with the charter's deadline) -> receipt
acknowledged by every party -> active (its window has begun; a site at once) -> expired
(its window has ended) / withdrawn / superseded (its amendment was transmitted).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.channels import access as channels_access
from accord.channels.services import message_send
from accord.deconfliction import access
from accord.deconfliction.access import NOTIFICATION_NOT_FOUND, PublicId
from accord.deconfliction.models import (
    Notification,
    Organisation,
    Receipt,
    ReceiptEscalation,
)
from accord.deconfliction.services.common import (
    NOT_ALLOWED,
    ROUTE_SHAPES,
    SITE_SHAPES,
    WINDOW_NEEDED,
    WRONG_STATE,
    buffer_checked,
    geometry_read,
    settings_of,
    text_checked,
    window_checked,
)
from accord.deconfliction.settings import DeconflictionSettings
from accord.errors import Conflict, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append, events_append
from accord.locking import lock_rows
from accord.process.models import Mechanism

logger = logging.getLogger(__name__)

ORGANISATION_EXISTS = Conflict.case(
    "deconfliction.organisation_exists", _("An organisation named {name} is registered already.")
)
KIND_INVALID = ValidationFailed.case(
    "deconfliction.kind_invalid", _("A notification is of a static site or of a movement.")
)
SITE_TYPE_INVALID = ValidationFailed.case(
    "deconfliction.site_type_invalid", _("Choose what kind of site this is.")
)
NOTICE_TOO_SHORT = ValidationFailed.case(
    "deconfliction.notice_too_short",
    _(
        "A movement must be notified at least {hours} hours before it starts "
        "(this one starts in {left} hours)."
    ),
)
CORRIDOR_NEEDED = ValidationFailed.case(
    "deconfliction.corridor_needed", _("A movement needs a corridor width in metres.")
)
NOT_A_PARTY_SIDE = Conflict.case(
    "deconfliction.no_receipt",
    _("Your delegation has no receipt of this notification to acknowledge."),
)
ALREADY_ACKNOWLEDGED = Conflict.case(
    "deconfliction.already_acknowledged", _("Your delegation has acknowledged receipt already.")
)

PEOPLE_INVALID = ValidationFailed.case(
    "deconfliction.people_invalid", _("The number of people must be between 0 and {limit}.")
)

MAX_TITLE = 200
KINDS = frozenset(Notification.Kind.values)
SITE_TYPES = frozenset(Notification.SiteType.values)
MAX_PEOPLE = 100_000


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _process_id(actor: User) -> int | None:
    delegation = accounts_access.delegation_of(actor)
    return delegation.process_id if delegation else None


def _payload(row: Notification, **extra: Any) -> dict[str, Any]:
    return {
        "notification": str(row.public_id),
        "kind": row.kind,
        "title": row.title,
        "organisation": row.organisation.name,
        "emergency": row.emergency,
        **extra,
    }


# --- Organisations -------------------------------------------------------------------------


def organisation_register(*, actor: User, name: str, contact: str = "") -> Organisation:
    """Register a humanitarian organisation that notifies through the facilitators."""
    process_id = _process_id(actor)
    if not access.may_register_organisation(actor, process_id):
        raise NOT_ALLOWED(action=gettext("register organisations"))
    name = text_checked(name, field=_("name"), limit=200)
    contact = text_checked(contact, field=_("contact"), limit=200, required=False)
    delegation = accounts_access.delegation_of(actor)
    assert delegation is not None
    with transaction.atomic():
        if Organisation.objects.filter(process_id=delegation.process_id, name=name).exists():
            raise ORGANISATION_EXISTS(name=name)
        organisation = Organisation.objects.create(
            process_id=delegation.process_id,
            scope=accounts_access.SHARED,
            name=name,
            contact=contact,
            registered_by=actor,
            registered_at=timezone.now(),
        )
        event_append(
            kind="OrganisationRegistered",
            subject=f"organisation:{organisation.public_id}",
            scope=accounts_access.SHARED,
            payload={"name": name},
            actor=actor,
            process=delegation.process,
        )
    return organisation


# --- Notifications -------------------------------------------------------------------------


@dataclass(frozen=True)
class Notifier:
    """Who notifies, on which mechanism, under which deadlines: read and checked once for
    one submission or for a whole import (``notifier_of``)."""

    actor: User
    mechanism: Mechanism
    config: DeconflictionSettings


def notifier_of(actor: User) -> Notifier:
    """``actor`` as a notifier, or ``NOT_ALLOWED`` (``may_notify``)."""
    process_id = _process_id(actor)
    if not access.may_notify(actor, process_id):
        raise NOT_ALLOWED(action=gettext("notify"))
    mechanism = access.mechanism_of(process_id)
    return Notifier(actor, mechanism, settings_of(mechanism))


def notification_built(
    notifier: Notifier,
    *,
    organisation: Organisation,
    kind: str,
    title: str,
    geometry: Any,
    buffer_m: float | None = 0,
    site_type: str = "",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    vehicles: str = "",
    people: int | None = None,
    contact: str = "",
    emergency: bool = False,
    previous: Notification | None = None,
    now: dt.datetime,
) -> Notification:
    """The notification (not saved) once every field is validated, or the refusal: what
    ``notification_submit`` checks, for one submission or each feature of an import."""
    mechanism = notifier.mechanism
    if kind not in KINDS:
        raise KIND_INVALID()
    title = text_checked(title, field=_("title"), limit=MAX_TITLE)
    buffer = buffer_checked(buffer_m)
    if kind == Notification.Kind.SITE:
        stored, _shape = geometry_read(
            geometry, mechanism=mechanism, accepted=SITE_SHAPES, field=_("site's location")
        )
        if site_type not in SITE_TYPES:
            raise SITE_TYPE_INVALID()
        if starts_at is not None and ends_at is not None:
            window_checked(starts_at, ends_at)
        emergency = False
    else:
        stored, _shape = geometry_read(
            geometry, mechanism=mechanism, accepted=ROUTE_SHAPES, field=_("route")
        )
        if starts_at is None or ends_at is None:
            raise WINDOW_NEEDED()
        window_checked(starts_at, ends_at)
        if buffer <= 0:
            raise CORRIDOR_NEEDED()
        notice = notifier.config.notice_for(emergency=emergency)
        if starts_at < now + notice and previous is None:
            left = max(0, int((starts_at - now).total_seconds() // 3600))
            raise NOTICE_TOO_SHORT(hours=int(notice.total_seconds() // 3600), left=left)
        site_type = ""
    if people is not None and not 0 <= people <= MAX_PEOPLE:
        raise PEOPLE_INVALID(limit=MAX_PEOPLE)
    row = Notification(
        process_id=mechanism.process_id,
        mechanism_id=mechanism.pk,
        scope=accounts_access.FACILITATORS,
        organisation_id=organisation.pk,
        kind=kind,
        site_type=site_type,
        title=title,
        geometry=stored,
        buffer_m=buffer,
        starts_at=starts_at,
        ends_at=ends_at,
        vehicles=text_checked(vehicles, field=_("vehicles"), limit=500, required=False),
        people=people,
        contact=text_checked(contact, field=_("contact"), limit=200, required=False),
        emergency=emergency,
        supersedes_id=previous.pk if previous is not None else None,
        submitted_by_id=notifier.actor.pk,
        submitted_at=now,
    )
    # The related rows at hand, without the descriptors' checks (an import builds
    # thousands of rows: assigning instances costs more than the rest of the row).
    for related_field, related in (
        (Notification.mechanism.field, mechanism),
        (Notification.organisation.field, organisation),
        (Notification.supersedes.field, previous),
        (Notification.submitted_by.field, notifier.actor),
    ):
        if related is not None:
            related_field.set_cached_value(row, related)
    return row


def submitted_event(notifier: Notifier, row: Notification) -> NewEvent:
    """The ``NotificationSubmitted`` event of ``row`` (one per notification, imported or not)."""
    previous = row.supersedes
    return NewEvent(
        "NotificationSubmitted",
        row.subject,
        row.scope,
        _payload(row, supersedes=str(previous.public_id) if previous else None),
        notifier.actor,
        notifier.mechanism.process,
    )


def notification_submit(
    *,
    actor: User,
    organisation_id: PublicId,
    kind: str,
    title: str,
    geometry: Any,
    buffer_m: float | None = 0,
    site_type: str = "",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    vehicles: str = "",
    people: int | None = None,
    contact: str = "",
    emergency: bool = False,
    supersedes_id: PublicId | None = None,
    now: dt.datetime | None = None,
) -> Notification:
    """Record a notification an organisation gave the facilitators (not yet transmitted).

    A site is a point or polygon with a buffer (metres); a movement a route (a line) with
    a corridor width (metres), a window that starts at least the charter's notice ahead
    (less in an emergency), its vehicles, people and a contact on the move.
    ``supersedes_id``: the notification this one amends (superseded once this one is
    transmitted)."""
    notifier = notifier_of(actor)
    organisation = access.organisation_access(actor, organisation_id)
    previous = None
    if supersedes_id is not None:
        previous = access.notification_access(actor, supersedes_id)
        if not access.may_amend(actor, previous):
            raise WRONG_STATE(status=previous.get_status_display())
    row = notification_built(
        notifier,
        organisation=organisation,
        kind=kind,
        title=title,
        geometry=geometry,
        buffer_m=buffer_m,
        site_type=site_type,
        starts_at=starts_at,
        ends_at=ends_at,
        vehicles=vehicles,
        people=people,
        contact=contact,
        emergency=emergency,
        previous=previous,
        now=_now(now),
    )
    with transaction.atomic():
        row.save(force_insert=True)
        events_append([submitted_event(notifier, row)])
    return row


def _emergency_alerts(actor: User, row: Notification, parties: list[Any]) -> int:
    """A FLASH message to each party on the mechanism's channel, when ``actor`` may send
    there: the alert every page raises for an urgent message (decision 0117)."""
    mechanism = row.mechanism
    if not channels_access.may_send(actor, mechanism):
        return 0
    window = ""
    if row.starts_at and row.ends_at:
        window = f" {row.starts_at:%Y-%m-%d %H:%M} to {row.ends_at:%H:%M} UTC"
    text = gettext("Emergency movement notified: {title} ({organisation}).{window}").format(
        title=row.title, organisation=row.organisation.name, window=window
    )
    sent = 0
    for party in parties:
        message_send(
            actor=actor,
            channel=mechanism.code,
            text=text,
            precedence="FLASH",
            client_id=f"deconfliction-{row.public_id.hex[:20]}-{party.code}",
            to=party.code,
        )
        sent += 1
    return sent


def notification_transmit(
    *, actor: User, notification_id: PublicId, now: dt.datetime | None = None
) -> Notification:
    """Transmit a submitted notification to every party of the mechanism: each gets a
    receipt to acknowledge within the charter's time. An amendment's transmission
    supersedes what it amends. An emergency movement raises an alert on the channel."""
    now = _now(now)
    row = access.notification_access(actor, notification_id)
    if not access.may_transmit(actor, row):
        if not accounts_access.is_facilitator(actor, process_id=row.process_id):
            raise NOT_ALLOWED(action=gettext("transmit notifications"))
        raise WRONG_STATE(status=row.get_status_display())
    config = settings_of(row.mechanism)
    due = now + config.acknowledge_for(emergency=row.emergency)
    parties = [d for d in row.mechanism.delegations.all() if d.is_party]

    def check(locked: Notification) -> None:
        if locked.status != Notification.Status.SUBMITTED:
            raise WRONG_STATE(status=locked.get_status_display())

    def change(locked: Notification) -> list[str]:
        locked.status = Notification.Status.TRANSMITTED
        locked.scope = accounts_access.SHARED
        locked.transmitted_at = now
        return ["status", "scope", "transmitted_at", "changed_at"]

    def events(locked: Notification) -> list[NewEvent]:
        found = [
            NewEvent(
                "NotificationTransmitted",
                locked.subject,
                locked.scope,
                _payload(locked, due_at=due.isoformat(), parties=[p.code for p in parties]),
                actor,
                locked.process,
            )
        ]
        for party in parties:
            receipt = Receipt.objects.create(
                notification=locked,
                process_id=locked.process_id,
                scope=accounts_access.caucus_scope(party.code),
                delegation=party,
                transmitted_at=now,
                due_at=due,
            )
            found.append(
                NewEvent(
                    "NotificationReceiptDue",
                    locked.subject,
                    receipt.scope,
                    _payload(locked, party=party.code, due_at=due.isoformat()),
                    actor,
                    locked.process,
                )
            )
        previous = locked.supersedes
        if previous is not None and previous.status not in Notification.FINAL:
            previous.status = Notification.Status.SUPERSEDED
            previous.ended_at = now
            previous.end_reason = gettext("Superseded by an amendment.")
            previous.save(update_fields=["status", "ended_at", "end_reason", "changed_at"])
            found.append(
                NewEvent(
                    "NotificationSuperseded",
                    previous.subject,
                    previous.scope,
                    _payload(previous, by=str(locked.public_id)),
                    actor,
                    locked.process,
                )
            )
        return found

    with transaction.atomic():
        row = change_locked(
            access.notification_rows(actor).filter(pk=row.pk),
            missing=NOTIFICATION_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
        if row.emergency and row.kind == Notification.Kind.MOVEMENT:
            _emergency_alerts(actor, row, parties)
    return row


def _started(row: Notification, now: dt.datetime) -> bool:
    return row.starts_at is None or row.starts_at <= now


def notification_acknowledge(
    *, actor: User, notification_id: PublicId, now: dt.datetime | None = None
) -> Receipt:
    """Acknowledge, for ``actor``'s party, receipt of a transmitted notification. Receipt
    is not approval. Once every party has acknowledged, the notification is acknowledged
    (and active at once if its window has begun)."""
    now = _now(now)
    row = access.notification_access(actor, notification_id)
    own = accounts_access.delegation_of(actor)
    receipt = (
        access.receipt_rows(actor).filter(notification=row, delegation=own).first()
        if own is not None
        else None
    )
    if receipt is None:
        raise NOT_A_PARTY_SIDE()
    if not access.may_acknowledge_for(actor, row.mechanism, receipt.delegation):
        raise NOT_ALLOWED(action=gettext("acknowledge receipt"))
    with transaction.atomic():
        locked = lock_rows(Receipt.objects.filter(pk=receipt.pk)).get()
        if locked.acknowledged_at is not None:
            raise ALREADY_ACKNOWLEDGED()
        notification = lock_rows(Notification.objects.filter(pk=row.pk)).get()
        if notification.status not in Notification.IN_FORCE:
            raise WRONG_STATE(status=notification.get_status_display())
        locked.acknowledged_at = now
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        new = [
            NewEvent(
                "NotificationReceiptAcknowledged",
                row.subject,
                locked.scope,
                _payload(row, party=receipt.delegation.code, late=now > locked.due_at),
                actor,
                row.process,
            )
        ]
        pending = Receipt.objects.filter(notification=notification, acknowledged_at__isnull=True)
        if notification.status == Notification.Status.TRANSMITTED and not pending.exists():
            notification.status = (
                Notification.Status.ACTIVE
                if _started(notification, now)
                else Notification.Status.ACKNOWLEDGED
            )
            notification.save(update_fields=["status", "changed_at"])
            new.append(
                NewEvent(
                    "NotificationAcknowledged",
                    row.subject,
                    notification.scope,
                    _payload(row, status=notification.status),
                    actor,
                    row.process,
                )
            )
        events_append(new)
    locked.notification = notification
    return locked


def notification_withdraw(
    *, actor: User, notification_id: PublicId, reason: str = ""
) -> Notification:
    """Withdraw a notification (the organisation's decision, recorded by the facilitators)."""
    row = access.notification_access(actor, notification_id)
    if not accounts_access.is_facilitator(actor, process_id=row.process_id):
        raise NOT_ALLOWED(action=gettext("withdraw notifications"))
    reason = text_checked(reason, field=_("reason"), limit=500, required=False)

    def check(locked: Notification) -> None:
        if not access.may_withdraw(actor, locked):
            raise WRONG_STATE(status=locked.get_status_display())

    def change(locked: Notification) -> list[str]:
        locked.status = Notification.Status.WITHDRAWN
        locked.ended_at = timezone.now()
        locked.end_reason = reason
        return ["status", "ended_at", "end_reason", "changed_at"]

    with transaction.atomic():
        return change_locked(
            access.notification_rows(actor).filter(pk=row.pk),
            missing=NOTIFICATION_NOT_FOUND,
            check=check,
            change=change,
            events=lambda locked: [
                NewEvent(
                    "NotificationWithdrawn",
                    locked.subject,
                    locked.scope,
                    _payload(locked, reason=reason),
                    actor,
                    locked.process,
                )
            ],
        )


# --- Sweeps --------------------------------------------------------------------------------


def notifications_sweep(*, now: dt.datetime) -> int:
    """Activate acknowledged notifications whose window has begun and expire those whose
    window has ended; return how many changed. Each under its row lock, re-checked, so
    each change happens once however often this runs."""
    changed = 0
    due_active = Notification.objects.filter(
        status=Notification.Status.ACKNOWLEDGED, starts_at__lte=now
    ).values_list("pk", flat=True)
    due_expired = Notification.objects.filter(
        status__in=Notification.IN_FORCE, ends_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due_active):
        with transaction.atomic():
            row = (
                lock_rows(
                    Notification.objects.filter(
                        pk=pk, status=Notification.Status.ACKNOWLEDGED, starts_at__lte=now
                    ),
                    skip_locked=True,
                )
                .select_related("organisation", "process")
                .first()
            )
            if row is None:
                continue
            row.status = Notification.Status.ACTIVE
            row.save(update_fields=["status", "changed_at"])
            events_append(
                [
                    NewEvent(
                        "NotificationActivated",
                        row.subject,
                        row.scope,
                        _payload(row),
                        None,
                        row.process,
                    )
                ]
            )
            changed += 1
    for pk in list(due_expired):
        with transaction.atomic():
            row = (
                lock_rows(
                    Notification.objects.filter(
                        pk=pk, status__in=Notification.IN_FORCE, ends_at__lte=now
                    ),
                    skip_locked=True,
                )
                .select_related("organisation", "process")
                .first()
            )
            if row is None:
                continue
            row.status = Notification.Status.EXPIRED
            row.ended_at = now
            row.save(update_fields=["status", "ended_at", "changed_at"])
            events_append(
                [
                    NewEvent(
                        "NotificationExpired",
                        row.subject,
                        row.scope,
                        _payload(row),
                        None,
                        row.process,
                    )
                ]
            )
            changed += 1
    return changed


def receipts_escalate_unacknowledged(*, now: dt.datetime) -> int:
    """Climb the charter's ladder for every receipt not acknowledged in time: each rung
    (``after`` past the deadline) once per receipt, in its own transaction under the
    receipt's lock; the unique (receipt, rung) constraint makes a second climb
    impossible even for two sweepers at once. Return how many rungs were reached."""
    reached = 0
    candidates = list(
        Receipt.objects.filter(
            acknowledged_at__isnull=True,
            due_at__lte=now,
            notification__status__in=Notification.IN_FORCE,
        )
        .select_related("notification__mechanism")
        .order_by("due_at", "pk")
    )
    for candidate in candidates:
        ladder = settings_of(candidate.notification.mechanism).escalation
        for number, rung in enumerate(ladder):
            if candidate.due_at + rung.after > now:
                break
            try:
                with transaction.atomic():
                    receipt = (
                        lock_rows(
                            Receipt.objects.filter(pk=candidate.pk, acknowledged_at__isnull=True),
                            skip_locked=True,
                        )
                        .select_related("notification__organisation", "delegation", "process")
                        .first()
                    )
                    if receipt is None or receipt.escalations.filter(rung=number).exists():
                        continue
                    ReceiptEscalation.objects.create(
                        receipt=receipt,
                        process_id=receipt.process_id,
                        scope=receipt.scope,
                        rung=number,
                        to=rung.to,
                        at=now,
                    )
                    events_append(
                        [
                            NewEvent(
                                "NotificationReceiptEscalated",
                                receipt.notification.subject,
                                receipt.scope,
                                _payload(
                                    receipt.notification,
                                    party=receipt.delegation.code,
                                    rung=rung.to,
                                    due_at=receipt.due_at.isoformat(),
                                ),
                                None,
                                receipt.process,
                            )
                        ]
                    )
                    reached += 1
            except IntegrityError:
                logger.info("receipt %s rung %s was escalated concurrently", candidate.pk, number)
    return reached
