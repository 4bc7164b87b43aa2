"""The de-confliction services: lifecycle, deadlines, escalation, checks, reports."""

import datetime as dt
import hashlib
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from accord.channels.models import Message
from accord.channels.services.attachments import AttachmentUpload
from accord.deconfliction import services
from accord.deconfliction.access import NOTIFICATION_NOT_FOUND
from accord.deconfliction.models import Notification, ReceiptEscalation, ViolationReport
from accord.deconfliction.services.common import GEOMETRY_INVALID, NOT_ALLOWED
from accord.deconfliction.services.notifications import NOTICE_TOO_SHORT
from accord.deconfliction.tests.conftest import FAR_AWAY, HOSPITAL, NEAR_HOSPITAL, ROUTE
from accord.errors import AccordError
from accord.events.models import Event

pytestmark = pytest.mark.django_db


def test_a_transmitted_site_gives_each_party_a_receipt_due_within_the_charters_time(site):
    # Given a site transmitted by the facilitators, then each party has a receipt due in 24 h
    receipts = list(site.receipts.order_by("delegation__code"))
    assert site.status == Notification.Status.TRANSMITTED
    assert site.scope == "shared"
    assert [r.delegation.code for r in receipts] == ["IR", "US"]
    assert receipts[0].due_at - receipts[0].transmitted_at == dt.timedelta(hours=24)
    assert [r.scope for r in receipts] == ["caucus:IR", "caucus:US"]


def test_receipt_acknowledged_by_every_party_makes_a_site_active(cast, site):
    services.notification_acknowledge(actor=cast["us-duty"], notification_id=site.public_id)
    site.refresh_from_db()
    assert site.status == Notification.Status.TRANSMITTED
    services.notification_acknowledge(actor=cast["ir-head"], notification_id=site.public_id)
    site.refresh_from_db()
    assert site.status == Notification.Status.ACTIVE
    kinds = list(Event.objects.filter(subject=site.subject).values_list("kind", flat=True))
    assert kinds.count("NotificationReceiptAcknowledged") == 2
    assert "NotificationAcknowledged" in kinds


def test_a_party_member_without_a_duty_role_cannot_acknowledge(cast, site):
    with pytest.raises(AccordError) as raised:
        services.notification_acknowledge(actor=cast["us-expert"], notification_id=site.public_id)
    assert raised.value.error_case is NOT_ALLOWED


def test_a_movement_notified_less_than_48_hours_ahead_is_refused_but_24_in_an_emergency(cast, org):
    soon = timezone.now() + dt.timedelta(hours=30)
    fields = {
        "actor": cast["pk-duty"],
        "organisation_id": org.public_id,
        "kind": "movement",
        "title": "Evacuation",
        "geometry": ROUTE,
        "buffer_m": 300,
        "starts_at": soon,
        "ends_at": soon + dt.timedelta(hours=4),
    }
    with pytest.raises(AccordError) as raised:
        services.notification_submit(**fields)
    assert raised.value.error_case is NOTICE_TOO_SHORT
    row = services.notification_submit(**fields, emergency=True)
    assert row.status == Notification.Status.SUBMITTED


def test_an_emergency_movement_raises_a_flash_alert_to_each_party_on_the_channel(cast, org):
    soon = timezone.now() + dt.timedelta(hours=30)
    row = services.notification_submit(
        actor=cast["pk-duty"],
        organisation_id=org.public_id,
        kind="movement",
        title="Evacuation",
        geometry=ROUTE,
        buffer_m=300,
        starts_at=soon,
        ends_at=soon + dt.timedelta(hours=4),
        emergency=True,
    )
    row = services.notification_transmit(actor=cast["pk-duty"], notification_id=row.public_id)
    flashes = Message.objects.filter(mechanism__code="LDM", precedence="FLASH")
    assert sorted(m.to_delegation.code for m in flashes) == ["IR", "US"]
    assert row.receipts.first().due_at - row.transmitted_at == dt.timedelta(hours=2)


def test_a_self_crossing_polygon_is_refused_with_the_reason(cast, org):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[35.0, 33.0], [35.1, 33.1], [35.1, 33.0], [35.0, 33.1], [35.0, 33.0]]],
    }
    with pytest.raises(AccordError) as raised:
        services.notification_submit(
            actor=cast["pk-duty"],
            organisation_id=org.public_id,
            kind="site",
            title="Clinic",
            site_type="clinic",
            geometry=bowtie,
            buffer_m=100,
        )
    assert raised.value.error_case is GEOMETRY_INVALID
    assert "crosses itself near 35.05, 33.05" in str(raised.value)


def test_missed_acknowledgements_climb_each_rung_exactly_once(cast, site):
    due = site.receipts.first().due_at
    assert services.receipts_escalate_unacknowledged(now=due + dt.timedelta(minutes=1)) == 2
    assert services.receipts_escalate_unacknowledged(now=due + dt.timedelta(minutes=2)) == 0
    assert services.receipts_escalate_unacknowledged(now=due + dt.timedelta(hours=3)) == 2
    assert services.receipts_escalate_unacknowledged(now=due + dt.timedelta(hours=9)) == 0
    rungs = sorted(ReceiptEscalation.objects.values_list("receipt__delegation__code", "to"))
    assert rungs == [
        ("IR", "facilitators"),
        ("IR", "head_of_delegation"),
        ("US", "facilitators"),
        ("US", "head_of_delegation"),
    ]


def test_a_movement_expires_after_its_window_and_an_amendment_supersedes_it(cast, org, movement):
    amended = services.notification_submit(
        actor=cast["pk-duty"],
        organisation_id=org.public_id,
        kind="movement",
        title="Convoy (new route)",
        geometry=ROUTE,
        buffer_m=500,
        starts_at=movement.starts_at,
        ends_at=movement.ends_at,
        supersedes_id=movement.public_id,
    )
    services.notification_transmit(actor=cast["pk-duty"], notification_id=amended.public_id)
    movement.refresh_from_db()
    assert movement.status == Notification.Status.SUPERSEDED
    assert services.notifications_sweep(now=amended.ends_at + dt.timedelta(minutes=1)) == 1
    amended.refresh_from_db()
    assert amended.status == Notification.Status.EXPIRED


def test_a_conflict_check_finds_the_site_with_its_distance_and_is_the_partys_own(
    cast, site, window
):
    check = services.conflict_check(
        actor=cast["us-member"],
        geometry=NEAR_HOSPITAL,
        buffer_m=0,
        planned_from=window[0],
        planned_until=window[1],
    )
    assert check.scope == "party:US"
    assert [c["notification"] for c in check.conflicts] == [str(site.public_id)]
    assert check.conflicts[0]["distance_m"] == 0
    far = services.conflict_check(
        actor=cast["us-member"],
        geometry=FAR_AWAY,
        buffer_m=0,
        planned_from=window[0],
        planned_until=window[1],
    )
    assert far.conflicts == []


def test_a_withdrawn_site_is_no_longer_found_by_a_check(cast, site, window):
    services.notification_withdraw(
        actor=cast["pk-duty"], notification_id=site.public_id, reason="Closed"
    )
    check = services.conflict_check(
        actor=cast["ir-member"],
        geometry=NEAR_HOSPITAL,
        buffer_m=0,
        planned_from=window[0],
        planned_until=window[1],
    )
    assert check.conflicts == []


def test_the_facilitators_cannot_run_a_check(cast, window):
    with pytest.raises(AccordError) as raised:
        services.conflict_check(
            actor=cast["pk-chair"],
            geometry=NEAR_HOSPITAL,
            planned_from=window[0],
            planned_until=window[1],
        )
    assert raised.value.error_case is NOT_ALLOWED


def test_a_report_goes_through_its_review_and_its_determination_is_published(cast):
    report = services.violation_report(
        actor=cast["ir-member"],
        occurred_at=timezone.now(),
        location=HOSPITAL,
        description="Strike near the hospital.",
        evidence=[AttachmentUpload("note.txt", b"seen at 0600")],
    )
    assert report.scope == "caucus:IR"
    assert report.evidence.get().sha256 == hashlib.sha256(b"seen at 0600").hexdigest()
    for step, finding in [
        ("review", ""),
        ("determine", "violation"),
        ("remedy", ""),
        ("close", ""),
    ]:
        report = services.violation_step(
            actor=cast["qa-chair"],
            report_id=report.public_id,
            step=step,
            finding=finding,
            text="Stop." if step == "remedy" else "",
        )
    assert report.status == ViolationReport.Status.CLOSED
    published = services.determination_publish(
        actor=cast["qa-chair"], report_id=report.public_id, summary="A violation occurred."
    )
    assert published.scope == "shared"


def test_the_other_party_cannot_reach_a_report_or_its_evidence(cast):
    report = services.violation_report(
        actor=cast["ir-member"],
        occurred_at=timezone.now(),
        location=HOSPITAL,
        description="Strike.",
        evidence=[AttachmentUpload("note.txt", b"seen")],
    )
    with pytest.raises(AccordError):
        services.evidence_add(
            actor=cast["us-head"],
            report_id=report.public_id,
            upload=AttachmentUpload("x.txt", b"x"),
        )


def test_a_submitted_notification_is_the_facilitators_until_transmitted(cast, org):
    row = services.notification_submit(
        actor=cast["pk-duty"],
        organisation_id=org.public_id,
        kind="site",
        title="Clinic",
        site_type="clinic",
        geometry=HOSPITAL,
        buffer_m=100,
    )
    with pytest.raises(AccordError) as raised:
        services.notification_acknowledge(actor=cast["us-duty"], notification_id=row.public_id)
    assert raised.value.error_case is NOTIFICATION_NOT_FOUND


def test_the_import_command_prints_the_summary_and_exits_1_when_nothing_was_imported(
    cast, org, tmp_path, capsys
):
    good = {
        "type": "Feature",
        "geometry": HOSPITAL,
        "properties": {"kind": "site", "title": "A", "site_type": "school", "buffer_m": 100},
    }
    bad = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [200, 33]},
        "properties": {"kind": "site", "title": "B", "site_type": "school"},
    }
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [good, bad]}))
    with pytest.raises(SystemExit) as exited:
        call_command(
            "deconfliction",
            "import",
            str(path),
            "--as",
            "pk-duty",
            "--organisation",
            org.name,
            "--json",
        )
    assert exited.value.code == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["features"] == 2 and summary["valid"] == 1 and summary["imported"] == 0
    assert [e["feature"] for e in summary["errors"]] == [1]
    assert Notification.objects.count() == 0
    call_command(
        "deconfliction",
        "import",
        str(path),
        "--as",
        "pk-duty",
        "--organisation",
        org.name,
        "--json",
        "--valid-only",
    )
    assert json.loads(capsys.readouterr().out)["imported"] == 1
    assert Notification.objects.count() == 1


def test_a_dry_run_writes_nothing(cast, org, tmp_path, capsys):
    good = {
        "type": "Feature",
        "geometry": HOSPITAL,
        "properties": {"kind": "site", "title": "A", "site_type": "school"},
    }
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [good]}))
    call_command(
        "deconfliction",
        "import",
        str(path),
        "--as",
        "pk-duty",
        "--organisation",
        org.name,
        "--json",
        "--dry-run",
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary == {"features": 1, "valid": 1, "errors": [], "imported": 0}
    assert Notification.objects.count() == 0


def test_a_csv_with_wkt_or_lat_lon_columns_imports_and_names_the_bad_row(cast, org):
    text = (
        "kind,title,site_type,buffer_m,wkt,lon,lat\n"
        "site,School A,school,100,POINT (35.2 33.27),,\n"
        "site,Clinic B,clinic,100,,35.3,33.3\n"
        "site,Broken C,clinic,100,POINT (oops),,\n"
    )
    report = services.notifications_import(actor=cast["pk-duty"], text=text, organisation=org.name)
    assert (report.features, report.valid, report.imported) == (3, 2, 0), report.errors
    assert [e["feature"] for e in report.errors] == [2]
    report = services.notifications_import(
        actor=cast["pk-duty"], text=text, organisation=org.name, valid_only=True
    )
    assert report.imported == 2
    assert sorted(Notification.objects.values_list("title", flat=True)) == ["Clinic B", "School A"]


@pytest.mark.parametrize(
    ("coordinates", "words"),
    [([33.2705, 35.2038], "wrong way round"), ([36.3, 34.4], "outside")],
)
def test_a_site_with_swapped_coordinates_or_outside_the_area_is_refused(
    cast, org, coordinates, words
):
    with pytest.raises(AccordError) as raised:
        services.notification_submit(
            actor=cast["pk-duty"],
            organisation_id=org.public_id,
            kind="site",
            title="Clinic",
            site_type="clinic",
            geometry={"type": "Point", "coordinates": coordinates},
            buffer_m=100,
        )
    assert raised.value.error_case is GEOMETRY_INVALID
    assert words in str(raised.value)


def test_a_check_after_a_withdrawal_no_longer_finds_the_site_the_check_before_found(
    cast, site, window
):
    def conflicts():
        check = services.conflict_check(
            actor=cast["us-member"],
            geometry=NEAR_HOSPITAL,
            buffer_m=0,
            planned_from=window[0],
            planned_until=window[1],
        )
        return [c["notification"] for c in check.conflicts]

    assert conflicts() == [str(site.public_id)]
    services.notification_withdraw(actor=cast["pk-duty"], notification_id=site.public_id)
    assert conflicts() == []


def test_an_import_records_one_submitted_event_per_notification_in_one_append(cast, org):
    # Given three valid sites in one file
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [35.2 + i / 100, 33.27]},
            "properties": {"kind": "site", "title": f"School {i}", "site_type": "school"},
        }
        for i in range(3)
    ]
    before = Event.objects.count()
    # When they are imported
    report = services.notifications_import(
        actor=cast["pk-duty"],
        text=json.dumps({"type": "FeatureCollection", "features": features}),
        organisation=org.name,
    )
    # Then each is a submitted notification with its own event, in the file's order
    assert report.imported == 3
    rows = {str(n.public_id): n.title for n in Notification.objects.all()}
    events = list(Event.objects.order_by("seq")[before:])
    assert [e.kind for e in events] == ["NotificationSubmitted"] * 3
    assert [rows[e.payload["notification"]] for e in events] == ["School 0", "School 1", "School 2"]
    assert {e.scope for e in events} == {"facilitators"}


def test_only_a_facilitator_may_import_and_the_refusal_comes_before_any_feature(cast, org):
    # Given a party's duty officer, when they import, then they are refused as a whole
    with pytest.raises(AccordError) as raised:
        services.notifications_import(actor=cast["us-duty"], text="{}", organisation=org.name)
    assert raised.value.error_case is NOT_ALLOWED
    assert Notification.objects.count() == 0
