"""Demo content for meetings: the first round at Lake Lucerne and the next one.

Derived from whatever charter is loaded (its top-level body, the bodies reporting to
it, its parties and facilitators), written through the services so every row has its
event. Idempotent: once the process has a round, nothing is added.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accord.accounts import access as accounts_access
from accord.accounts.models import Appointment, Role, User
from accord.meetings import services
from accord.meetings.models import Round
from accord.process.models import Body, Delegation, Process

LUCERNE = "Bürgenstock, Lake Lucerne"
ZURICH = "Europe/Zurich"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))  # wall clock at the venue


def _rapporteur(body: Body) -> User | None:
    appointment = (
        Appointment.objects.filter(body=body, role=Role.RAPPORTEUR, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return appointment.user if appointment else None


def _chair(body: Body, default: User) -> User:
    appointment = (
        Appointment.objects.filter(
            body=body,
            role__in=[Role.CHAIR, Role.CO_CHAIR],
            user__is_active=True,
            user__delegation__kind=Delegation.Kind.FACILITATOR,
        )
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return appointment.user if appointment else default


def demo_content_ensure(*, process: Process) -> None:
    """Seed rounds, sessions, agendas, minutes, decisions, action items and caucuses."""
    if Round.objects.filter(process=process).exists():
        return
    facilitator = (
        User.objects.filter(
            delegation__process=process,
            delegation__kind=Delegation.Kind.FACILITATOR,
            is_active=True,
            appointments__role__in=[Role.CHAIR, Role.CO_CHAIR],
        )
        .order_by("username")
        .first()
    )
    top = Body.objects.filter(process=process, reports_to__isnull=True).order_by("order").first()
    if facilitator is None or top is None:
        return
    groups = list(Body.objects.filter(process=process, reports_to=top).order_by("order")[:2])
    parties = list(Delegation.objects.filter(process=process, kind=Delegation.Kind.PARTY))
    with transaction.atomic():
        _first_round(process, facilitator, top, groups, parties)
        _next_round(facilitator, top, groups)


def _first_round(
    process: Process, chair: User, top: Body, groups: list[Body], parties: list[Delegation]
) -> None:
    first_day = process.starts_on - dt.timedelta(days=4)
    the_round = services.round_create(
        actor=chair,
        number=1,
        title="First round of talks: Lake Lucerne",
        venue=LUCERNE,
        venue_timezone=ZURICH,
        starts_on=first_day,
        ends_on=process.starts_on,
    )

    def meeting(body: Body, day: int, hour: int, title: str, hours: int = 2):
        return services.session_schedule(
            actor=_chair(body, chair),
            body=body.code,
            round_id=the_round.pk,
            title=title,
            venue=LUCERNE,
            venue_timezone=ZURICH,
            starts_at=_at(first_day + dt.timedelta(days=day), hour),
            ends_at=_at(first_day + dt.timedelta(days=day), hour + hours),
        )

    opening = meeting(top, 0, 10, f"{top.short_name or top.name}: opening session", 3)
    for title in (
        "Adoption of the agenda",
        "The framework: bodies, channels and the 60-day roadmap",
        "Mandates of the working groups",
    ):
        services.agenda_item_add(actor=chair, session_id=opening.pk, title=title)
    services.agenda_adopt(actor=chair, session_id=opening.pk, now=opening.starts_at)
    rapporteur = _rapporteur(top)
    if rapporteur is not None:
        services.minutes_draft(
            actor=rapporteur,
            session_id=opening.pk,
            text=(
                "The committee met under the co-chairmanship of the facilitators. The heads "
                "of delegation set out their positions on the framework.\n\n"
                "The committee adopted the framework of bodies and channels and the 60-day "
                "roadmap, and gave each working group its mandate."
            ),
        )
        services.decision_record(
            actor=rapporteur,
            session_id=opening.pk,
            text="The 60-day roadmap is adopted; working groups report at each HLC session.",
        )
        services.decision_record(
            actor=rapporteur,
            session_id=opening.pk,
            text="The direct and maritime communication channels open on the roadmap's day 1.",
        )
        # The parties' heads (accounts.access's meaning) who sit on the top body.
        heads = [
            head
            for party in sorted(parties, key=lambda party: (party.order, party.pk))
            for head in accounts_access.heads_of(party)
            .filter(appointments__body=top, appointments__role=Role.HEAD_OF_DELEGATION)
            .order_by("username")
        ]
        for number, head in enumerate(heads):
            services.action_item_record(
                actor=rapporteur,
                session_id=opening.pk,
                text=f"Designate the {head.delegation} officials for the direct channel",
                owner=head.username,
                due_on=process.starts_on + dt.timedelta(days=3 + 30 * number),
            )
        services.minutes_circulate(actor=rapporteur, session_id=opening.pk)

    for offset, group in enumerate(groups, start=1):
        session = meeting(group, offset, 10, f"{group.short_name or group.name}: first meeting", 3)
        group_chair = _chair(group, chair)
        services.agenda_item_add(
            actor=group_chair, session_id=session.pk, title="Organisation of work and schedule"
        )
        services.agenda_item_add(
            actor=group_chair,
            session_id=session.pk,
            title="Facilitators' outline of issues",
            subject="document:outline-" + group.code.lower(),
        )
        group_rapporteur = _rapporteur(group)
        if group_rapporteur is not None:
            services.minutes_draft(
                actor=group_rapporteur,
                session_id=session.pk,
                text="The group agreed its method of work and a first list of issues.",
            )

    for offset, party in enumerate(parties):
        caucus = services.session_schedule(
            actor=chair,
            caucus_party=party.code,
            round_id=the_round.pk,
            title=f"Caucus with {party}",
            venue=LUCERNE,
            venue_timezone=ZURICH,
            starts_at=_at(first_day + dt.timedelta(days=2), 15 + 2 * offset),
            ends_at=_at(first_day + dt.timedelta(days=2), 16 + 2 * offset),
        )
        services.caucus_note_write(
            actor=chair,
            session_id=caucus.pk,
            title=f"{party}: room for movement",
            text=(
                f"{party} indicated privately where it could move if the sequencing of "
                "steps is right. Not to be shared with any other delegation."
            ),
        )

    closing = meeting(top, 4, 10, f"{top.short_name or top.name}: closing session")
    services.agenda_item_add(actor=chair, session_id=closing.pk, title="Reports of the groups")
    services.agenda_item_add(actor=chair, session_id=closing.pk, title="The next round")
    services.agenda_adopt(actor=chair, session_id=closing.pk, now=closing.starts_at)
    if rapporteur is not None:
        services.minutes_draft(
            actor=rapporteur,
            session_id=closing.pk,
            text=(
                "The committee heard the working groups' first reports and agreed to meet "
                "again in the second round."
            ),
        )


def _next_round(chair: User, top: Body, groups: list[Body]) -> None:
    process = top.process
    first_day = process.roadmap_starts_on + dt.timedelta(days=21)
    the_round = services.round_create(
        actor=chair,
        number=2,
        title="Second round: Doha",
        venue="Doha",
        venue_timezone="Asia/Qatar",
        starts_on=first_day,
        ends_on=first_day + dt.timedelta(days=3),
    )
    for offset, body in enumerate([*groups, top]):
        session = services.session_schedule(
            actor=_chair(body, chair),
            body=body.code,
            round_id=the_round.pk,
            title=f"{body.short_name or body.name}: second round",
            venue="Doha",
            venue_timezone="Asia/Qatar",
            starts_at=_at(first_day + dt.timedelta(days=offset), 10),
            ends_at=_at(first_day + dt.timedelta(days=offset), 13),
        )
        services.agenda_item_add(
            actor=_chair(body, chair), session_id=session.pk, title="Progress against the roadmap"
        )
