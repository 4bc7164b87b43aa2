"""Every write on incidents and on a party's view of vessels.

An incident report is a message on the maritime channel (its precedence from the charter
by category) and an ``Incident`` linked to it, in one transaction; the other side
acknowledges on the channel (``message_acknowledge``), and the sweeper carries that
acknowledgement to the incident (``incidents_sync_acknowledged``). Every later step is
an update on the channel, a reply to the report. A step not reached by its deadline is
referred, exactly once, onto the next agenda of the body the charter names (the HLC).

Affiliations and annotations are a party's own (scope ``party:<code>``), with their
events in that scope; sharing an annotation sends it on the channel and moves it there.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.channels import services as channel_services
from accord.channels.access import channel_access
from accord.channels.models import Message
from accord.channels.services import AttachmentUpload
from accord.channels.settings import Precedence
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append, events_append
from accord.incidents import access
from accord.incidents.access import ANNOTATION_NOT_FOUND, INCIDENT_NOT_FOUND, PublicId
from accord.incidents.models import (
    CATEGORY_LABELS,
    Affiliation,
    Incident,
    IncidentStep,
    VesselAffiliation,
    VesselAnnotation,
)
from accord.incidents.protocol import (
    Category,
    IncidentSettings,
    IncidentSettingsInvalid,
    Step,
    incident_settings_parse,
    step_next,
)
from accord.incidents.reportformat import position_text
from accord.locking import lock_rows
from accord.maritime.models import Encounter, Vessel
from accord.meetings.services import agenda_item_queue
from accord.process.models import Body, Mechanism
from accord.public_ids import parse_public_id

logger = logging.getLogger(__name__)

REPORT_NOT_ALLOWED = PermissionDenied.case(
    "incident.report_not_allowed",
    _("Only a member of the maritime channel who may send on it can report an incident."),
)
CATEGORY_INVALID = ValidationFailed.case(
    "incident.category_invalid", _("Choose one of the incident categories.")
)
POSITION_INVALID = ValidationFailed.case(
    "incident.position_invalid",
    _("The position needs a latitude between -90 and 90 and a longitude between -180 and 180."),
)
DESCRIPTION_EMPTY = ValidationFailed.case(
    "incident.description_empty", _("Say what happened: the description is empty.")
)
OCCURRED_IN_FUTURE = ValidationFailed.case(
    "incident.occurred_in_future", _("An incident cannot be reported before it happens.")
)
VESSEL_UNKNOWN = ValidationFailed.case(
    "incident.vessel_unknown", _("One of the vessels named is not known.")
)
ENCOUNTER_UNKNOWN = ValidationFailed.case(
    "incident.encounter_unknown", _("The encounter named is not known.")
)
ACKNOWLEDGE_NOT_ALLOWED = PermissionDenied.case(
    "incident.acknowledge_not_allowed",
    _("Only a duty officer of the side the report went to can acknowledge it, once."),
)
STEP_NOT_ALLOWED = PermissionDenied.case(
    "incident.step_not_allowed",
    _("This step cannot be recorded now, or not by you ({step})."),
)
INCIDENT_SETTINGS_INVALID = Conflict.case("incident.settings_invalid", _("{problem}"))
AFFILIATION_INVALID = ValidationFailed.case(
    "vessel_affiliation.invalid", _("Choose one of the affiliations.")
)
ANNOTATE_NOT_ALLOWED = PermissionDenied.case(
    "vessel_annotation.not_allowed", _("Only a member of a party keeps notes on vessels.")
)
ANNOTATION_EMPTY = ValidationFailed.case(
    "vessel_annotation.empty", _("An annotation needs some text.")
)
SHARE_NOT_ALLOWED = PermissionDenied.case(
    "vessel_annotation.share_not_allowed",
    _("Only your party's senders on the channel can share its annotation, once."),
)

MAX_DESCRIPTION = 10_000
MAX_NOTE = 5_000
# The words of a description that go on the channel with an urgent report.
MESSAGE_DESCRIPTION_WORDS = 120


def incident_settings(mechanism: Mechanism) -> IncidentSettings:
    """The validated ``incidents`` settings of ``mechanism``, or a refusal naming the key."""
    try:
        return incident_settings_parse(mechanism.code, mechanism.settings)
    except IncidentSettingsInvalid as error:
        raise INCIDENT_SETTINGS_INVALID(problem=str(error)) from None


def _vessels(actor: User, vessel_ids: list[PublicId]) -> list[Vessel]:
    """The vessels named, each one ``actor`` may see (the channel's); else ``VESSEL_UNKNOWN``."""
    parsed = {parse_public_id(v) for v in vessel_ids}
    if None in parsed:
        raise VESSEL_UNKNOWN()
    found = list(policy.restrict(Vessel.objects.filter(public_id__in=parsed), actor))
    if len(found) != len(parsed):
        raise VESSEL_UNKNOWN()
    return found


def _encounter(actor: User, encounter_id: PublicId | None) -> Encounter | None:
    if not encounter_id:
        return None
    parsed = parse_public_id(encounter_id)
    row = (
        policy.restrict(Encounter.objects.filter(public_id=parsed), actor).first()
        if parsed is not None
        else None
    )
    if row is None:
        raise ENCOUNTER_UNKNOWN()
    return row


def _words(text: str, limit: int) -> str:
    words = text.split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


def _report_message_text(
    *,
    number: int,
    category: Category,
    occurred_at: dt.datetime,
    lat: float,
    lon: float,
    vessels: list[Vessel],
    description: str,
) -> str:
    names = ", ".join(v.name or str(v.mmsi) for v in vessels)
    return gettext(
        "INCIDENT INC-{number}: {category}. Position {position}, {time} UTC. "
        "Vessels: {vessels}. {description} Please acknowledge."
    ).format(
        number=number,
        category=CATEGORY_LABELS[category],
        position=position_text(lat, lon),
        time=occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        vessels=names or gettext("none named"),
        description=_words(description, MESSAGE_DESCRIPTION_WORDS),
    )


def _payload(incident: Incident, **extra: object) -> dict[str, object]:
    return {
        "incident": str(incident.public_id),
        "code": incident.code,
        "category": incident.category,
        "step": incident.step,
        **extra,
    }


@dataclass(frozen=True)
class ReportDraft:
    """What a reporter says of an incident (``occurred_at``: aware)."""

    category: str
    occurred_at: dt.datetime
    latitude: float
    longitude: float
    description: str
    vessel_ids: tuple[PublicId, ...] = ()
    encounter_id: PublicId | None = None


def _draft_checked(draft: ReportDraft, now: dt.datetime) -> tuple[Category, str]:
    try:
        category = Category(draft.category)
    except ValueError:
        raise CATEGORY_INVALID() from None
    if not (-90 <= draft.latitude <= 90 and -180 <= draft.longitude <= 180):
        raise POSITION_INVALID()
    description = (draft.description or "").strip()[:MAX_DESCRIPTION]
    if not description:
        raise DESCRIPTION_EMPTY()
    if draft.occurred_at > now + dt.timedelta(minutes=5):
        raise OCCURRED_IN_FUTURE()
    return category, description


def incident_report(
    *,
    actor: User,
    channel: str,
    draft: ReportDraft,
    attachments: list[AttachmentUpload] | None = None,
    client_id: str | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """Report an incident on the maritime channel ``channel``: the report goes to the other
    side as a message with the category's precedence (attachments on it), and the
    incident waits for their acknowledgement by the charter's deadline."""
    now = now or timezone.now()
    mechanism = channel_access(actor, channel)
    if not access.may_report(actor, mechanism):
        raise REPORT_NOT_ALLOWED()
    config = incident_settings(mechanism)
    category, description = _draft_checked(draft, now)
    vessels = _vessels(actor, list(draft.vessel_ids))
    encounter = _encounter(actor, draft.encounter_id)
    side = access.side_of(actor, mechanism)
    assert side is not None  # may_report says so
    with transaction.atomic():
        lock_rows(Mechanism.objects.filter(pk=mechanism.pk)).first()
        last = Incident.objects.filter(mechanism=mechanism).aggregate(n=Max("number"))["n"]
        number = (last or 0) + 1
        precedence = config.precedence_of(category)
        message, _created = channel_services.message_send(
            actor=actor,
            channel=mechanism.code,
            text=_report_message_text(
                number=number,
                category=category,
                occurred_at=draft.occurred_at,
                lat=draft.latitude,
                lon=draft.longitude,
                vessels=vessels,
                description=description,
            ),
            precedence=precedence.value,
            client_id=client_id or f"incident-{uuid.uuid4().hex[:16]}",
            attachments=attachments,
            now=now,
        )
        incident = Incident.objects.create(
            process=mechanism.process,
            mechanism=mechanism,
            scope=policy.mechanism_scope(mechanism.code),
            number=number,
            category=category.value,
            occurred_at=draft.occurred_at,
            latitude=draft.latitude,
            longitude=draft.longitude,
            description=description,
            encounter=encounter,
            reported_by=side,
            reported_to=message.to_delegation,
            reporter=actor,
            reported_at=message.sent_at,
            message=message,
            step=Step.REPORTED,
            step_since=message.sent_at,
            due_at=config.deadline_after(Step.REPORTED, message.sent_at),
        )
        incident.vessels.set(vessels)
        IncidentStep.objects.create(
            process=incident.process,
            scope=incident.scope,
            incident=incident,
            step=Step.REPORTED,
            at=incident.reported_at,
            by=actor,
            by_delegation=side,
            message=message,
        )
        event_append(
            kind="IncidentReported",
            subject=incident.subject,
            scope=incident.scope,
            payload=_payload(
                incident,
                precedence=precedence.value,
                message=str(message.public_id),
                due_at=incident.due_at.isoformat() if incident.due_at else None,
            ),
            actor=actor,
            process=incident.process,
        )
    return incident


def _reach(
    incident: Incident,
    step: Step,
    *,
    at: dt.datetime,
    by: User | None,
    note: str = "",
    message: Message | None = None,
) -> tuple[list[str], NewEvent]:
    """Move the locked ``incident`` to ``step`` (fields set, not saved); record the step."""
    config = incident_settings(incident.mechanism)
    incident.step = step
    incident.step_since = at
    incident.due_at = config.deadline_after(step, at)
    by_side = policy.delegation_of(by) if by is not None else None
    IncidentStep.objects.create(
        process=incident.process,
        scope=incident.scope,
        incident=incident,
        step=step,
        at=at,
        by=by,
        by_delegation=by_side,
        note=note,
        message=message,
    )
    kinds = {
        Step.ACKNOWLEDGED: "IncidentAcknowledged",
        Step.INFORMATION_EXCHANGED: "IncidentInformationExchanged",
        Step.DE_ESCALATION_AGREED: "IncidentDeEscalationAgreed",
        Step.CLOSED: "IncidentClosed",
    }
    event = NewEvent(
        kinds[step],
        incident.subject,
        incident.scope,
        _payload(incident, due_at=incident.due_at.isoformat() if incident.due_at else None),
        by,
        incident.process,
    )
    return ["step", "step_since", "due_at"], event


def incident_acknowledge(*, actor: User, incident_id: PublicId, reply: str = "") -> Incident:
    """Acknowledge the report on the channel, as its duty officer, and move the incident on."""
    incident = access.incident_access(actor, incident_id)
    if not access.may_acknowledge(actor, incident):
        raise ACKNOWLEDGE_NOT_ALLOWED()
    with transaction.atomic():
        message = channel_services.message_acknowledge(
            actor=actor, message_id=incident.message.public_id, reply=reply or None
        )
        reached: list[NewEvent] = []

        def check(row: Incident) -> None:
            if row.step != Step.REPORTED:
                raise ACKNOWLEDGE_NOT_ALLOWED()

        def change(row: Incident) -> list[str]:
            assert message.acknowledged_at is not None
            fields, event = _reach(row, Step.ACKNOWLEDGED, at=message.acknowledged_at, by=actor)
            reached.append(event)
            return fields

        return change_locked(
            access.incident_rows(actor, incident_id),
            missing=INCIDENT_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: reached,
        )


def _update_send(actor: User, incident: Incident, text: str) -> Message:
    message, _created = channel_services.message_send(
        actor=actor,
        channel=incident.mechanism.code,
        text=text,
        precedence=Precedence.PRIORITY.value,
        client_id=f"incident-{uuid.uuid4().hex[:16]}",
        reply_to_id=incident.message.public_id,
    )
    return message


def incident_advance(*, actor: User, incident_id: PublicId, note: str = "") -> Incident:
    """Record the next step of the protocol, as an update on the channel.

    After acknowledgement: information exchanged; then de-escalation, which one side
    proposes and the other agrees (the step is reached on the agreement); then closed.
    A referred incident can be closed.
    """
    incident = access.incident_access(actor, incident_id)
    note = (note or "").strip()[:MAX_NOTE]
    following = step_next(incident.step)
    label = following.value if following else incident.step
    if following is None or not access.may_record_step(actor, incident):
        raise STEP_NOT_ALLOWED(step=label)
    proposing = following is Step.DE_ESCALATION_AGREED and access.may_propose_de_escalation(
        actor, incident
    )
    agreeing = following is Step.DE_ESCALATION_AGREED and not proposing
    if agreeing and not access.may_agree_de_escalation(actor, incident):
        raise STEP_NOT_ALLOWED(step=label)
    texts = {
        Step.INFORMATION_EXCHANGED: gettext("INC-{number} update: information exchanged."),
        Step.DE_ESCALATION_AGREED: gettext("INC-{number} update: de-escalation agreed."),
        Step.CLOSED: gettext("INC-{number} final: incident closed."),
    }
    if proposing:
        text = gettext("INC-{number} update: de-escalation proposed.")
    else:
        text = texts[following]
    text = text.format(number=incident.number) + (f" {note}" if note else "")
    side = access.side_of(actor, incident.mechanism)
    with transaction.atomic():
        message = _update_send(actor, incident, text)
        out: list[NewEvent] = []

        def check(row: Incident) -> None:
            if row.step != incident.step:
                raise STEP_NOT_ALLOWED(step=label)

        def change(row: Incident) -> list[str]:
            if proposing:
                assert side is not None
                row.de_escalation_proposed_by = side
                out.append(
                    NewEvent(
                        "IncidentDeEscalationProposed",
                        row.subject,
                        row.scope,
                        _payload(row, note=note),
                        actor,
                        row.process,
                    )
                )
                return ["de_escalation_proposed_by"]
            fields, event = _reach(
                row, following, at=message.sent_at, by=actor, note=note, message=message
            )
            out.append(event)
            return fields

        return change_locked(
            access.incident_rows(actor, incident_id),
            missing=INCIDENT_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: out,
        )


# --- the sweeps --------------------------------------------------------------------------


def incidents_sync_acknowledged(*, now: dt.datetime) -> int:
    """Carry acknowledgements given on the channel to their incidents; return how many.

    Runs before ``incidents_refer_overdue``: a report acknowledged on the channel in
    time is acknowledged in time, whenever the sweeper notices it.
    """
    pks = list(
        Incident.objects.filter(
            step=Step.REPORTED, message__acknowledged_at__isnull=False
        ).values_list("pk", flat=True)
    )
    moved = 0
    for pk in pks:
        with transaction.atomic():
            row = (
                lock_rows(Incident.objects.filter(pk=pk, step=Step.REPORTED), skip_locked=True)
                .select_related("mechanism", "process", "message__acknowledged_by")
                .first()
            )
            if row is None or row.message.acknowledged_at is None:
                continue
            if row.due_at is not None and row.message.acknowledged_at > row.due_at:
                continue  # too late: the referral sweep refers it
            fields, event = _reach(
                row,
                Step.ACKNOWLEDGED,
                at=row.message.acknowledged_at,
                by=row.message.acknowledged_by,
            )
            row.save(update_fields=fields)
            events_append([event])
            moved += 1
    return moved


def incidents_refer_overdue(*, now: dt.datetime) -> int:
    """Refer every incident whose next step is past its deadline; return how many.

    Each incident is referred once, in its own transaction under its row lock, after
    re-checking that it is still at the step it was selected at and still overdue; the
    unique (incident, step) constraint makes a second referral impossible. The referral
    goes onto the next draft agenda of the body the charter names (default the HLC).
    """
    open_steps = [
        s.value
        for s in (
            Step.REPORTED,
            Step.ACKNOWLEDGED,
            Step.INFORMATION_EXCHANGED,
            Step.DE_ESCALATION_AGREED,
        )
    ]
    candidates = list(
        Incident.objects.filter(step__in=open_steps, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", "step")
    )
    referred = 0
    for pk, step in candidates:
        try:
            with transaction.atomic():
                row = (
                    lock_rows(
                        Incident.objects.filter(pk=pk, step=step, due_at__lte=now),
                        skip_locked=True,
                    )
                    .select_related("mechanism", "process")
                    .first()
                )
                if row is None:
                    continue
                _refer(row, now=now)
                referred += 1
        except IntegrityError:
            logger.info("incident %s was referred concurrently", pk)
    return referred


def _refer(row: Incident, *, now: dt.datetime) -> None:
    config = incident_settings(row.mechanism)
    missed = step_next(row.step)
    assert missed is not None
    IncidentStep.objects.create(
        process=row.process,
        scope=row.scope,
        incident=row,
        step=Step.REFERRED,
        at=now,
        missed=missed.value,
    )
    row.step = Step.REFERRED
    row.step_since = now
    row.due_at = None
    row.save(update_fields=["step", "step_since", "due_at"])
    on_agenda = False
    if Body.objects.filter(process=row.process, code=config.refer_to).exists():
        agenda_item_queue(
            actor=None,
            process_code=row.process.code,
            body_code=config.refer_to,
            title=gettext("Incident {code}: {category}").format(
                code=row.code, category=CATEGORY_LABELS[Category(row.category)]
            )[:200],
            subject=row.subject,
            note=gettext("The step “{step}” was not reached by its deadline.").format(
                step=missed.value.replace("_", " ")
            ),
        )
        on_agenda = True
    event_append(
        kind="IncidentReferred",
        subject=row.subject,
        scope=row.scope,
        payload=_payload(row, missed=missed.value, to=config.refer_to, on_agenda=on_agenda),
        process=row.process,
    )


# --- a party's view of vessels ----------------------------------------------------------


def vessel_affiliation_set(
    *, actor: User, vessel_id: PublicId, affiliation: str
) -> VesselAffiliation:
    """Set the affiliation ``actor``'s party gives the vessel (its own, seen by it only)."""
    delegation = policy.delegation_of(actor)
    if delegation is None or not access.may_annotate(actor):
        raise ANNOTATE_NOT_ALLOWED()
    if affiliation not in Affiliation.values:
        raise AFFILIATION_INVALID()
    (vessel,) = _vessels(actor, [vessel_id])
    now = timezone.now()
    scope = policy.party_scope(delegation.code)
    with transaction.atomic():
        row, _created = VesselAffiliation.objects.update_or_create(
            delegation=delegation,
            vessel=vessel,
            defaults={
                "process_id": delegation.process_id,
                "scope": scope,
                "affiliation": affiliation,
                "set_by": actor,
                "set_at": now,
            },
        )
        event_append(
            kind="VesselAffiliationSet",
            subject=f"vessel:{vessel.public_id}",
            scope=scope,
            payload={"vessel": str(vessel.public_id), "affiliation": affiliation},
            actor=actor,
            process=delegation.process,
        )
    return row


def vessel_annotation_write(*, actor: User, vessel_id: PublicId, text: str) -> VesselAnnotation:
    """Write a party-internal note on the vessel (scope ``party:<code>``)."""
    delegation = policy.delegation_of(actor)
    if delegation is None or not access.may_annotate(actor):
        raise ANNOTATE_NOT_ALLOWED()
    text = (text or "").strip()[:MAX_NOTE]
    if not text:
        raise ANNOTATION_EMPTY()
    (vessel,) = _vessels(actor, [vessel_id])
    scope = policy.party_scope(delegation.code)
    with transaction.atomic():
        row = VesselAnnotation.objects.create(
            process_id=delegation.process_id,
            scope=scope,
            delegation=delegation,
            vessel=vessel,
            author=actor,
            text=text,
            written_at=timezone.now(),
        )
        event_append(
            kind="VesselAnnotationWritten",
            subject=f"vessel:{vessel.public_id}",
            scope=scope,
            payload={"vessel": str(vessel.public_id), "annotation": str(row.public_id)},
            actor=actor,
            process=delegation.process,
        )
    return row


def vessel_annotation_share(
    *, actor: User, annotation_id: PublicId, channel: str
) -> VesselAnnotation:
    """Share the party's annotation on the channel: sent as a message, then the channel's."""
    mechanism = channel_access(actor, channel)
    with transaction.atomic():
        sent: list[Message] = []

        def check(row: VesselAnnotation) -> None:
            if not access.may_share_annotation(actor, row, mechanism):
                raise SHARE_NOT_ALLOWED()

        def change(row: VesselAnnotation) -> list[str]:
            name = row.vessel.name or str(row.vessel.mmsi)
            message, _created = channel_services.message_send(
                actor=actor,
                channel=mechanism.code,
                text=gettext("On vessel {vessel}: {text}").format(vessel=name, text=row.text),
                precedence=Precedence.ROUTINE.value,
                client_id=f"annotation-{row.public_id.hex[:20]}",
            )
            sent.append(message)
            row.scope = policy.mechanism_scope(mechanism.code)
            row.shared_at = message.sent_at
            row.shared_message = message
            return ["scope", "shared_at", "shared_message"]

        return change_locked(
            access.annotation_rows(actor, annotation_id),
            missing=ANNOTATION_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(
                    "VesselAnnotationShared",
                    f"vessel:{row.vessel.public_id}",
                    row.scope,
                    {"vessel": str(row.vessel.public_id), "annotation": str(row.public_id)},
                    actor,
                    row.process,
                )
            ],
        )
