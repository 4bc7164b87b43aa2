"""Demo content for the de-confliction mechanism: organisations, sites and movements in
their lifecycle, a party's own conflict check, a violation report and a published
determination. Created once, through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accord.accounts.models import User
from accord.deconfliction import services
from accord.deconfliction.models import Notification, Organisation, ViolationReport
from accord.process.models import Mechanism, Process

ORGANISATIONS = (
    ("UN OCHA Lebanon", "ocha-lebanon@example.org"),
    ("Lebanese Red Cross", "ops@example.org"),
)
SITES = (
    # (organisation, title, site type, lon, lat, buffer in metres)
    ("UN OCHA Lebanon", "Tyre Government Hospital", "hospital", 35.2038, 33.2705, 300),
    ("UN OCHA Lebanon", "Nabatieh school shelter", "shelter", 35.4836, 33.3772, 250),
    ("Lebanese Red Cross", "Marjayoun field clinic", "clinic", 35.5922, 33.3603, 200),
    ("UN OCHA Lebanon", "Sidon warehouse", "warehouse", 35.3729, 33.5631, 150),
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("delegation").first()


def demo_content_ensure(*, process: Process) -> None:
    if not Mechanism.objects.filter(process=process, kind=Mechanism.Kind.DECONFLICTION).exists():
        return
    facilitator, us, ir = _user("pk-duty"), _user("us-duty"), _user("ir-duty")
    if facilitator is None or us is None or ir is None:
        return
    if Organisation.objects.filter(process=process).exists():
        return
    orgs = {
        name: services.organisation_register(actor=facilitator, name=name, contact=contact)
        for name, contact in ORGANISATIONS
    }
    sites = []
    for org, title, kind, lon, lat, buffer in SITES:
        row = services.notification_submit(
            actor=facilitator,
            organisation_id=orgs[org].public_id,
            kind=Notification.Kind.SITE,
            title=title,
            site_type=kind,
            geometry={"type": "Point", "coordinates": [lon, lat]},
            buffer_m=buffer,
        )
        sites.append(row)
    for row in sites[:3]:
        services.notification_transmit(actor=facilitator, notification_id=row.public_id)
    # Both parties acknowledge the hospital; only one the shelter; the clinic waits.
    for party in (us, ir):
        services.notification_acknowledge(actor=party, notification_id=sites[0].public_id)
    services.notification_acknowledge(actor=us, notification_id=sites[1].public_id)
    start = (timezone.now() + dt.timedelta(days=3)).replace(
        hour=6, minute=0, second=0, microsecond=0
    )
    convoy = services.notification_submit(
        actor=facilitator,
        organisation_id=orgs["UN OCHA Lebanon"].public_id,
        kind=Notification.Kind.MOVEMENT,
        title="Convoy Sidon to Nabatieh (food and medicine)",
        geometry={
            "type": "LineString",
            "coordinates": [[35.3729, 33.5631], [35.42, 33.47], [35.4836, 33.3772]],
        },
        buffer_m=400,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        vehicles="6 trucks, 2 escort vehicles; 14 people",
        contact="Convoy leader, satellite phone",
    )
    services.notification_transmit(actor=facilitator, notification_id=convoy.public_id)
    # The United States checks a planned area near Nabatieh: its own, nobody else's.
    services.conflict_check(
        actor=us,
        geometry={
            "type": "Polygon",
            "coordinates": [
                [[35.46, 33.36], [35.51, 33.36], [35.51, 33.40], [35.46, 33.40], [35.46, 33.36]]
            ],
        },
        buffer_m=500,
        planned_from=start,
        planned_until=start + dt.timedelta(hours=2),
    )
    report = services.violation_report(
        actor=ir,
        occurred_at=timezone.now() - dt.timedelta(days=2),
        location={"type": "Point", "coordinates": [35.55, 33.27]},
        place="South of Khiam",
        description=(
            "Alleged overflight and strike near a notified route outside any agreed window."
        ),
    )
    chair = _user("pk-chair") or facilitator
    services.violation_step(actor=chair, report_id=report.public_id, step="review")
    services.violation_step(
        actor=chair,
        report_id=report.public_id,
        step="determine",
        finding=ViolationReport.Finding.INCONCLUSIVE,
        text="Insufficient evidence either way.",
    )
    services.determination_publish(
        actor=chair,
        report_id=report.public_id,
        summary="The chairs could not determine whether a violation occurred near Khiam.",
    )
    services.violation_report(
        actor=us,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        location={"type": "Point", "coordinates": [35.30, 33.20]},
        place="Near Tyre",
        description="Alleged firing close to a notified hospital's buffer.",
    )
