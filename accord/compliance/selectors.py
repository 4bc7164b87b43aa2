"""Every read of the compliance app that leaves it, through ``accounts.access``.

A confidential verification report or access request is read only where the reader
may see its ``caucus:<party>`` scope; the commitment's own status (shared) moves only on
publication, so it never tells of a finding still confidential.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.compliance import access
from accord.compliance.charts import gantt_svg, graph_svg
from accord.compliance.models import (
    AccessRequest,
    Assessment,
    Commitment,
    ConveningRequest,
    Dispute,
    DisputeStage,
    Sequence,
    Tranche,
    VerificationReport,
)
from accord.compliance.rollup import Item, Share, overall, rollup
from accord.compliance.sequencing import (
    MILESTONE,
    STEP,
    Node,
    Plan,
    gantt_rows,
    graph_layout,
    sequence_plan,
)
from accord.process.models import Delegation


def commitment_list(*, actor: User | None) -> QuerySet[Commitment]:
    return policy.restrict(access.COMMITMENTS, actor).order_by("number")


def commitments_for_provision(*, actor: User | None, wid: str) -> list[Commitment]:
    """The commitments that come from provision ``wid`` (shown on the provision)."""
    return list(commitment_list(actor=actor).filter(provision_wid=wid))


def commitment_subjects(*, actor: User | None, commitment: Commitment) -> list[str]:
    """The subjects of the commitment's timeline: itself and what ``actor`` may read of
    its verification reports, access requests, own assessment, disputes and tranches (a
    confidential report the reader may not see is not named, and its events are not
    theirs to read either)."""
    subjects = [commitment.subject]
    for rows in (
        report_list(actor=actor, commitment=commitment),
        policy.restrict(access.REQUESTS, actor).filter(commitment=commitment),
        assessment_list(actor=actor, commitment=commitment),
        policy.restrict(Dispute.objects.all(), actor).filter(commitment=commitment),
        policy.restrict(Tranche.objects.all(), actor).filter(conditions=commitment),
    ):
        subjects += [row.subject for row in rows]
    return subjects


def sequence_list(*, actor: User | None, detailed: bool = False) -> QuerySet[Sequence]:
    """The sequences ``actor`` may read; ``detailed``: with their steps and milestones
    loaded (a list that lays each out costs the same however many there are)."""
    rows = policy.restrict(Sequence.objects.all(), actor)
    if detailed:
        rows = rows.prefetch_related(
            Prefetch("steps", queryset=Commitment.objects.select_related("party")),
            "milestones",
        )
    return rows


def report_list(
    *, actor: User | None, commitment: Commitment | None = None
) -> QuerySet[VerificationReport]:
    rows = policy.restrict(access.REPORTS, actor)
    if commitment is not None:
        rows = rows.filter(commitment=commitment)
    return rows.order_by("-created_at", "-id")


def access_request_list(
    *, actor: User | None, commitment: Commitment | None = None
) -> QuerySet[AccessRequest]:
    rows = policy.restrict(access.REQUESTS, actor)
    if commitment is not None:
        rows = rows.filter(commitment=commitment)
    return rows.prefetch_related("steps")


def assessment_list(
    *, actor: User | None, commitment: Commitment | None = None
) -> QuerySet[Assessment]:
    """The reader's own party's assessments (scope ``party:<code>``): no one else's."""
    rows = policy.restrict(Assessment.objects.select_related("delegation", "commitment"), actor)
    return rows.filter(commitment=commitment) if commitment is not None else rows


def dispute_list(*, actor: User | None, with_stages: bool = False) -> QuerySet[Dispute]:
    rows = policy.restrict(access.DISPUTES, actor).order_by("number")
    if with_stages:
        stages = policy.restrict(DisputeStage.objects.all(), actor).prefetch_related(
            "extensions__by"
        )
        rows = rows.prefetch_related(Prefetch("stages", queryset=stages))
    return rows


def stage_rows(*, actor: User | None) -> QuerySet[DisputeStage]:
    """Every dispute stage ``actor`` may read."""
    return policy.restrict(DisputeStage.objects.all(), actor)


def convening_list(*, actor: User | None) -> QuerySet[ConveningRequest]:
    return policy.restrict(access.CONVENINGS, actor).order_by("requested_at", "id")


def convening_overdue(row: ConveningRequest, *, now: dt.datetime | None = None) -> bool:
    """The joint body has not convened and its days have run out."""
    return row.convened_at is None and row.convene_by < (now or timezone.now())


def dispute_stages(*, actor: User | None, dispute: Dispute) -> list[DisputeStage]:
    """The stages ``dispute`` went through (those loaded with ``dispute_list(...,
    with_stages=True)`` when they were)."""
    cached = getattr(dispute, "_prefetched_objects_cache", {})
    if "stages" in cached:
        return list(cached["stages"])
    return list(
        policy.restrict(DisputeStage.objects.filter(dispute=dispute), actor).prefetch_related(
            "extensions__by"
        )
    )


def tranche_list(*, actor: User | None) -> QuerySet[Tranche]:
    return policy.restrict(access.TRANCHES, actor).prefetch_related("conditions__party")


@dataclass(frozen=True)
class TrancheState:
    tranche: Tranche
    delayed: bool
    waiting: str  # who is waiting on whom, in a sentence


def tranche_state(tranche: Tranche, *, now: dt.datetime | None = None) -> TrancheState:
    """Is it late, and who waits on whom: the party owing the relief waits on the party
    owing the unverified steps (and the verifier) until they are verified; then the
    party owed the relief waits on the party owing it."""
    now = now or timezone.now()
    if tranche.status == Tranche.Status.RELEASED:
        return TrancheState(tranche, False, "")
    if tranche.status == Tranche.Status.DUE:
        delayed = tranche.due_at is not None and now > tranche.due_at + dt.timedelta(
            days=tranche.grace_days
        )
        sentence = gettext("{waiting} is waiting on {owing} to release it.").format(
            waiting=tranche.owed_to.short_name or tranche.owed_to.name,
            owing=tranche.owed_by.short_name or tranche.owed_by.name,
        )
        return TrancheState(tranche, delayed, sentence)
    open_steps = [c for c in tranche.conditions.all() if c.status != Commitment.Status.VERIFIED]
    owing = sorted({c.party.short_name or c.party.name for c in open_steps})
    late = any(c.due_on and c.due_on < now.date() for c in open_steps)
    sentence = gettext(
        "{waiting} is waiting on {owing} for {steps} (and the verifier's confirmation)."
    ).format(
        waiting=tranche.owed_by.short_name or tranche.owed_by.name,
        owing=", ".join(owing),
        steps=", ".join(c.code for c in open_steps),
    )
    return TrancheState(tranche, late, sentence)


def sequence_nodes(sequence: Sequence) -> list[Node]:
    """The sequence as the graph sees it (steps and milestones, in creation order)."""
    cached = getattr(sequence, "_prefetched_objects_cache", {})
    steps = (
        sorted(cached["steps"], key=lambda c: c.number)
        if "steps" in cached
        else sequence.steps.select_related("party").order_by("number")
    )
    nodes = [
        Node(
            code=c.code,
            kind=STEP,
            title=c.title,
            party=c.party.code,
            depends_on=tuple(c.depends_on),
            duration_days=c.duration_days,
            done=c.status == Commitment.Status.VERIFIED,
        )
        for c in steps
    ]
    nodes += [
        Node(
            code=m.code,
            kind=MILESTONE,
            title=m.title,
            depends_on=tuple(m.depends_on),
            done=m.reached_at is not None,
        )
        for m in sequence.milestones.all()
    ]
    return nodes


@dataclass(frozen=True)
class SequenceView:
    sequence: Sequence
    plan: Plan
    graph_svg: str
    gantt_svg: str
    titles: dict[str, str]


def sequence_view(*, actor: User | None, sequence: Sequence) -> SequenceView:
    """The sequence laid out and drawn: graph, Gantt, critical path, unlocked steps."""
    nodes = sequence_nodes(sequence)
    plan = sequence_plan(nodes)
    colours = dict(
        Delegation.objects.filter(process_id=sequence.process_id).values_list("code", "colour")
    )
    return SequenceView(
        sequence=sequence,
        plan=plan,
        graph_svg=graph_svg(
            nodes, graph_layout(nodes, plan), critical=plan.critical_path, colours=colours
        ),
        gantt_svg=gantt_svg(gantt_rows(nodes, plan), length=plan.length, colours=colours),
        titles={n.code: n.title for n in nodes},
    )


def unlocked_for(*, actor: User | None) -> list[Commitment]:
    """The steps of every sequence unlocked now for the reader's party (their every
    dependency done, themselves not yet verified)."""
    delegation = policy.delegation_of(actor)
    if delegation is None or not policy.is_party(actor):
        return []
    codes: set[str] = set()
    for sequence in sequence_list(actor=actor):
        codes.update(sequence_plan(sequence_nodes(sequence)).unlocked.get(delegation.code, []))
    return [c for c in commitment_list(actor=actor) if c.code in codes]


@dataclass(frozen=True)
class Rollups:
    total: Share
    by_party: list[Share]
    by_body: list[Share]
    by_article: list[Share]


def rollups(*, actor: User | None) -> Rollups:
    """Progress as a share of weight, from the published status of each commitment."""
    items = [
        Item(
            party=c.party.code,
            body=c.body.code if c.body else "",
            article=c.article,
            status=c.status,
            weight=c.weight,
        )
        for c in commitment_list(actor=actor)
    ]
    return Rollups(
        overall(items), rollup(items, "party"), rollup(items, "body"), rollup(items, "article")
    )


def implementation_report(*, actor: User | None) -> dict[str, Any]:
    """The implementation report to the HLC, as JSON: what every participant may read
    (published findings only)."""
    sums = rollups(actor=actor)

    def share(part: Share) -> dict[str, Any]:
        return {"key": part.key, "done": part.done, "weight": part.total, "percent": part.percent}

    return {
        "progress": share(sums.total),
        "by_party": [share(part) for part in sums.by_party],
        "by_body": [share(part) for part in sums.by_body],
        "by_article": [share(part) for part in sums.by_article],
        "commitments": [
            {
                "code": c.code,
                "title": c.title,
                "party": c.party.code,
                "status": c.status,
                "due_on": c.due_on.isoformat() if c.due_on else None,
            }
            for c in commitment_list(actor=actor)
        ],
        "disputes": [
            {
                "code": d.code,
                "title": d.title,
                "stage": d.stage_code,
                "status": d.status,
                "deadline": d.stage_deadline.isoformat() if d.stage_deadline else None,
                # Every stage running now, each on its own clock (decision 0150).
                "open_stages": [
                    {"stage": s.code, "deadline": s.deadline.isoformat()}
                    for s in dispute_stages(actor=actor, dispute=d)
                    if s.ended_at is None
                ],
            }
            for d in dispute_list(actor=actor, with_stages=True)
        ],
        "tranches": [
            {
                "title": t.title,
                "status": t.status,
                "owed_by": t.owed_by.code,
                "delayed": tranche_state(t).delayed,
            }
            for t in tranche_list(actor=actor)
        ],
    }


def stage_name(dispute: Dispute) -> str:
    stage = access.terms(dispute.process).stage(dispute.stage_code)
    return stage.name if stage else dispute.stage_code
