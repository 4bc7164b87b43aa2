"""Commitments (from agreed provisions or by hand), sequences of reciprocal steps and
their milestones, and a party's own assessment."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.compliance import access
from accord.compliance.access import COMMITMENT_NOT_FOUND, PublicId
from accord.compliance.models import Assessment, Commitment, Sequence, SequenceMilestone
from accord.compliance.selectors import sequence_nodes
from accord.compliance.sequencing import (
    MILESTONE,
    STEP,
    GraphInvalid,
    Node,
    milestone_reached,
    sequence_check,
)
from accord.compliance.services.common import (
    BAD_CODE,
    CYCLE,
    FACILITATORS_ONLY,
    MILESTONE_CODE_TAKEN,
    PARTY_ONLY,
    PROVISION_NOT_AGREED,
    UNKNOWN_BODY,
    UNKNOWN_PARTY,
    UNKNOWN_STEP,
    text,
    title,
)
from accord.drafting.access import provision_access
from accord.drafting.models import Provision
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append
from accord.locking import lock_rows
from accord.process.models import Body, Delegation, Process
from accord.process.selectors import process_for

AGREED = (Provision.Status.AGREED, Provision.Status.AGREED_AD_REF)


def _process(actor: User) -> Process:
    process = process_for(actor)
    if process is None:
        raise FACILITATORS_ONLY()
    return process


def _party(process: Process, code: str) -> Delegation:
    party = Delegation.objects.filter(
        process=process, code=code, kind=Delegation.Kind.PARTY
    ).first()
    if party is None:
        raise UNKNOWN_PARTY(code=code)
    return party


def _body(process: Process, code: str | None) -> Body | None:
    if not code:
        return None
    body = Body.objects.filter(process=process, code=code).first()
    if body is None:
        raise UNKNOWN_BODY(code=code)
    return body


def _article(provision: Provision) -> str:
    """The article a provision sits in: ``Annex I, Article 3 (Verification)``."""
    node: Provision | None = provision
    while node is not None and node.kind != Provision.Kind.ARTICLE:
        node = node.parent
    if node is None:
        return provision.document.title
    heading = f" ({node.heading})" if node.heading else ""
    return f"{provision.document.title}, {node.label}{heading}"[:300]


def payload(row: Commitment, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "code": row.code,
        "title": row.title,
        "party": row.party.code,
        "status": row.status,
        **extra,
    }


def commitment_create(
    *,
    actor: User,
    party_code: str,
    title_text: str,
    description: str = "",
    due_on: dt.date | None = None,
    trigger: str = "",
    verifying_body_code: str | None = None,
    evidence_required: str = "",
    provision_id: str | None = None,
    body_code: str | None = None,
    weight: int = 1,
    now: dt.datetime | None = None,
) -> Commitment:
    """Record what ``party_code`` owes; from the agreed provision ``provision_id`` (its
    ``wid``: the provision must be agreed, or its document adopted) or by hand."""
    process = _process(actor)
    if not access.may_create_commitment(actor, process):
        raise FACILITATORS_ONLY()
    party = _party(process, party_code)
    provision = provision_access(actor, provision_id) if provision_id else None
    if provision is not None and not (provision.status in AGREED or provision.document.frozen):
        raise PROVISION_NOT_AGREED(label=provision.label or provision.wid)
    body = _body(process, body_code) or (provision.document.body if provision else None)
    with transaction.atomic():
        # Numbered under the process row's lock, so two at once never take one number.
        lock_rows(Process.objects.filter(pk=process.pk)).get()
        number = (
            Commitment.objects.filter(process=process).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        row = Commitment.objects.create(
            number=number,
            process=process,
            scope=policy.SHARED,
            party=party,
            title=title(title_text),
            description=text(description, required=False),
            due_on=due_on,
            trigger=text(trigger, required=False)[:300],
            verifying_body=_body(process, verifying_body_code),
            evidence_required=text(evidence_required, required=False),
            provision_wid=provision.wid if provision else "",
            provision_label=provision.label if provision else "",
            article=_article(provision) if provision else "",
            body=body,
            weight=max(1, weight),
            created_by=actor,
            created_at=now or timezone.now(),
        )
        extra = {"provision": provision.subject} if provision else {}
        event_append(
            kind="CommitmentRecorded",
            subject=row.subject,
            scope=row.scope,
            payload=payload(row, due_on=due_on, **extra),
            actor=actor,
            process=process,
        )
    return row


def sequence_create(*, actor: User, title_text: str, description: str = "") -> Sequence:
    process = _process(actor)
    if not access.may_sequence(actor, process):
        raise FACILITATORS_ONLY()
    with transaction.atomic():
        row = Sequence.objects.create(
            process=process,
            scope=policy.SHARED,
            title=title(title_text),
            description=text(description, required=False),
            created_at=timezone.now(),
        )
        event_append(
            kind="SequenceCreated",
            subject=row.subject,
            scope=row.scope,
            payload={"id": str(row.public_id), "title": row.title},
            actor=actor,
            process=process,
        )
    return row


def _checked(nodes: list[Node], code: str, depends_on: list[str]) -> list[str]:
    """``nodes`` with ``code`` waiting on ``depends_on``: refused naming a cycle."""
    known = {n.code for n in nodes} | {code}
    cleaned: list[str] = []
    for dep in depends_on:
        dep = dep.strip()
        if not dep:
            continue
        if dep not in known:
            raise UNKNOWN_STEP(code=dep)
        if dep not in cleaned:
            cleaned.append(dep)
    changed = [n for n in nodes if n.code != code]
    mine = next((n for n in nodes if n.code == code), Node(code=code, kind=STEP, title=""))
    changed.append(Node(mine.code, mine.kind, mine.title, mine.party, tuple(cleaned)))
    try:
        sequence_check(changed)
    except GraphInvalid as error:
        cycle = list(error.cycle) or [code, code]
        if code in cycle[:-1]:  # name it from the node being changed
            at = cycle.index(code)
            cycle = [*cycle[at:-1], *cycle[:at], code]
        raise CYCLE(cycle=" → ".join(cycle)) from None
    return cleaned


def step_place(
    *,
    actor: User,
    commitment_id: PublicId,
    sequence_id: PublicId,
    depends_on: list[str],
    duration_days: int = 0,
) -> Commitment:
    """Make the commitment a step of the sequence, waiting on ``depends_on`` (codes of
    its steps and milestones); a cycle is refused, naming it."""
    sequence = access.sequence_access(actor, sequence_id)

    def check(row: Commitment) -> None:
        if not access.may_sequence(actor, row.process):
            raise FACILITATORS_ONLY()

    def change(row: Commitment) -> list[str]:
        nodes = [n for n in sequence_nodes(sequence) if n.code != row.code]
        nodes.append(Node(row.code, STEP, row.title, row.party.code))
        row.depends_on = _checked(nodes, row.code, depends_on)
        row.sequence = sequence
        row.duration_days = max(0, min(3650, duration_days))
        return ["sequence", "depends_on", "duration_days"]

    with transaction.atomic():
        return change_locked(
            access.commitment_rows(actor, commitment_id),
            missing=COMMITMENT_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(
                    "CommitmentSequenced",
                    row.subject,
                    row.scope,
                    payload(
                        row,
                        sequence=str(sequence.public_id),
                        depends_on=row.depends_on,
                        duration_days=row.duration_days,
                    ),
                    actor,
                    row.process,
                )
            ],
        )


def milestone_add(
    *, actor: User, sequence_id: PublicId, code: str, title_text: str, depends_on: list[str]
) -> SequenceMilestone:
    """A milestone of the sequence that falls due when the steps it names are verified."""
    with transaction.atomic():
        sequence = access.sequence_access(actor, sequence_id, lock=True)
        if not access.may_sequence(actor, sequence.process):
            raise FACILITATORS_ONLY()
        code = (code or "").strip().upper()
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,31}", code) or re.fullmatch(r"C-\d+", code):
            raise BAD_CODE()
        if SequenceMilestone.objects.filter(process=sequence.process, code=code).exists():
            raise MILESTONE_CODE_TAKEN(code=code)
        nodes = [*sequence_nodes(sequence), Node(code, MILESTONE, "")]
        row = SequenceMilestone.objects.create(
            process=sequence.process,
            scope=sequence.scope,
            sequence=sequence,
            code=code,
            title=title(title_text),
            depends_on=_checked(nodes, code, depends_on),
        )
        event_append(
            kind="SequenceMilestoneAdded",
            subject=sequence.subject,
            scope=sequence.scope,
            payload={"code": row.code, "title": row.title, "depends_on": row.depends_on},
            actor=actor,
            process=sequence.process,
        )
    return row


def milestones_reach(*, sequence: Sequence, now: dt.datetime) -> list[SequenceMilestone]:
    """Mark reached every milestone of ``sequence`` whose steps are now all verified.

    Precondition: inside the transaction of the publication that verified a step.
    """
    nodes = {n.code: n for n in sequence_nodes(sequence)}
    reached = []
    for milestone in sequence.milestones.filter(reached_at__isnull=True):
        if milestone_reached(nodes[milestone.code], nodes):
            milestone.reached_at = now
            milestone.save(update_fields=["reached_at"])
            event_append(
                kind="SequenceMilestoneReached",
                subject=sequence.subject,
                scope=sequence.scope,
                payload={"code": milestone.code, "title": milestone.title},
                process=sequence.process,
            )
            reached.append(milestone)
    return reached


def assessment_set(*, actor: User, commitment_id: PublicId, text_value: str) -> Assessment:
    """Keep the actor's party's own assessment of the commitment (``party:<code>``)."""
    commitment = access.commitment_access(actor, commitment_id)
    if not access.may_assess(actor, commitment):
        raise PARTY_ONLY()
    delegation = policy.delegation_of(actor)
    assert delegation is not None
    scope = policy.party_scope(delegation.code)
    with transaction.atomic():
        row, _created = Assessment.objects.update_or_create(
            commitment=commitment,
            delegation=delegation,
            defaults={
                "process": commitment.process,
                "scope": scope,
                "text": text(text_value),
                "author": actor,
                "updated_at": timezone.now(),
            },
        )
        event_append(
            kind="AssessmentKept",
            subject=row.subject,
            scope=scope,
            payload={"commitment": commitment.code, "party": delegation.code},
            actor=actor,
            process=commitment.process,
        )
    return row
