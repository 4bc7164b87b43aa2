"""The incident protocol through its services: report, acknowledge, steps, referral."""

import datetime as dt

import pytest
from django.utils import timezone

from accord.channels import services as channel_services
from accord.errors import AccordError
from accord.events.models import Event
from accord.incidents import services
from accord.incidents.models import IncidentStep
from accord.incidents.protocol import Step
from accord.meetings.models import AgendaItem

pytestmark = pytest.mark.django_db


def test_a_collision_goes_out_flash_on_the_mcc_linked_both_ways(report, vessel):
    # Given a US duty officer and two vessels in the Strait
    ships = [vessel("USS EXAMPLE"), vessel("SAHAND")]

    # When they report a collision
    incident = report("us-duty", category="collision", vessels=ships)

    # Then a FLASH message to Iran carries it on the MCC, and each points to the other
    message = incident.message
    assert message.mechanism.code == "MCC"
    assert message.precedence == "FLASH"
    assert message.to_delegation.code == "IR"
    assert message.incident == incident
    assert "INC-1" in message.text and "Collision" in message.text
    assert incident.step == Step.REPORTED
    assert incident.due_at == message.sent_at + dt.timedelta(minutes=30)
    assert set(incident.vessels.all()) == set(ships)
    assert Event.objects.filter(kind="IncidentReported", subject=incident.subject).count() == 1


def test_a_gnss_interference_report_takes_the_charters_lower_precedence(report):
    incident = report("ir-duty", category="gnss_interference")

    assert incident.message.precedence == "PRIORITY"
    assert incident.message.to_delegation.code == "US"


def test_someone_off_the_channel_cannot_report(on_watch):
    draft = services.ReportDraft(
        category="collision",
        occurred_at=timezone.now(),
        latitude=26.5,
        longitude=56.3,
        description="x",
    )

    with pytest.raises(AccordError) as refused:
        services.incident_report(actor=on_watch["us-expert"], channel="MCC", draft=draft)

    assert refused.value.error_case.code in ("channel.not_found", "incident.report_not_allowed")


def test_a_report_without_description_is_refused_and_sends_nothing(report):
    with pytest.raises(AccordError) as refused:
        report("us-duty", description="  ")

    assert refused.value.error_case is services.DESCRIPTION_EMPTY
    assert not Event.objects.filter(kind="IncidentReported").exists()


def test_the_other_side_acknowledges_on_the_channel_and_the_sweeper_carries_it_once(
    report, on_watch
):
    # Given a report from the US
    incident = report("us-duty")

    # When Iran's duty officer acknowledges the message on the MCC, and the sweeper runs twice
    channel_services.message_acknowledge(
        actor=on_watch["ir-duty"], message_id=incident.message.public_id
    )
    first = services.incidents_sync_acknowledged(now=timezone.now())
    second = services.incidents_sync_acknowledged(now=timezone.now())

    # Then the incident is acknowledged once, with the next step's deadline
    incident.refresh_from_db()
    assert (first, second) == (1, 0)
    assert incident.step == Step.ACKNOWLEDGED
    assert incident.due_at == incident.step_since + dt.timedelta(hours=24)
    assert IncidentStep.objects.filter(incident=incident, step="acknowledged").count() == 1


def test_the_reporting_side_cannot_acknowledge_its_own_report(report, on_watch):
    incident = report("us-duty")

    with pytest.raises(AccordError) as refused:
        services.incident_acknowledge(actor=on_watch["us-duty"], incident_id=incident.public_id)

    assert refused.value.error_case is services.ACKNOWLEDGE_NOT_ALLOWED


def test_the_protocol_runs_to_closed_with_de_escalation_agreed_by_both_sides(report, on_watch):
    us, ir = on_watch["us-duty"], on_watch["ir-duty"]
    incident = report("us-duty")

    services.incident_acknowledge(actor=ir, incident_id=incident.public_id)
    services.incident_advance(actor=ir, incident_id=incident.public_id, note="Track data sent.")
    proposed = services.incident_advance(actor=us, incident_id=incident.public_id)
    with pytest.raises(AccordError) as refused:
        services.incident_advance(actor=us, incident_id=incident.public_id)
    agreed = services.incident_advance(actor=ir, incident_id=incident.public_id)
    closed = services.incident_advance(actor=us, incident_id=incident.public_id)

    assert proposed.step == Step.INFORMATION_EXCHANGED
    assert refused.value.error_case is services.STEP_NOT_ALLOWED
    assert agreed.step == Step.DE_ESCALATION_AGREED
    assert closed.step == Step.CLOSED and closed.due_at is None
    steps = list(IncidentStep.objects.filter(incident=incident).values_list("step", flat=True))
    assert steps == [
        "reported",
        "acknowledged",
        "information_exchanged",
        "de_escalation_agreed",
        "closed",
    ]
    replies = incident.message.replies.order_by("seq")
    assert [r.text.split(":")[0] for r in replies] == ["INC-1 update"] * 3 + ["INC-1 final"]


def test_an_unacknowledged_report_is_referred_to_the_hlc_agenda_exactly_once(report):
    # Given a report nobody acknowledges
    incident = report("us-duty", category="collision")
    late = incident.due_at + dt.timedelta(seconds=1)

    # When the sweeper runs past the deadline, twice
    counts = (
        services.incidents_refer_overdue(now=late),
        services.incidents_refer_overdue(now=late + dt.timedelta(hours=1)),
    )

    # Then the incident is referred once, onto the HLC's agenda, naming the missed step
    incident.refresh_from_db()
    assert counts == (1, 0)
    assert incident.step == Step.REFERRED and incident.due_at is None
    referral = IncidentStep.objects.get(incident=incident, step="referred")
    assert referral.missed == "acknowledged"
    item = AgendaItem.objects.get(subject=incident.subject)
    assert item.body.code == "HLC"
    assert "INC-1" in item.title
    assert Event.objects.filter(kind="IncidentReferred", subject=incident.subject).count() == 1


def test_an_acknowledgement_after_the_deadline_does_not_undo_the_referral(report, on_watch):
    incident = report("us-duty")
    channel_services.message_acknowledge(
        actor=on_watch["ir-duty"], message_id=incident.message.public_id
    )
    incident.message.refresh_from_db()
    # The acknowledgement came after the (rewound) deadline.
    type(incident).objects.filter(pk=incident.pk).update(
        due_at=incident.message.acknowledged_at - dt.timedelta(minutes=1)
    )

    moved = services.incidents_sync_acknowledged(now=timezone.now())
    referred = services.incidents_refer_overdue(now=timezone.now())

    incident.refresh_from_db()
    assert (moved, referred) == (0, 1)
    assert incident.step == Step.REFERRED


def test_a_referred_incident_can_still_be_closed(report, on_watch):
    incident = report("us-duty")
    services.incidents_refer_overdue(now=incident.due_at + dt.timedelta(minutes=1))

    closed = services.incident_advance(
        actor=on_watch["ir-duty"], incident_id=incident.public_id, note="Settled at the HLC."
    )

    assert closed.step == Step.CLOSED


def test_each_later_step_has_its_own_deadline_and_is_referred_once_when_missed(report, on_watch):
    incident = report("us-duty")
    acknowledged = services.incident_acknowledge(
        actor=on_watch["ir-duty"], incident_id=incident.public_id
    )
    late = acknowledged.due_at + dt.timedelta(minutes=1)

    assert services.incidents_refer_overdue(now=acknowledged.due_at - dt.timedelta(minutes=1)) == 0
    assert services.incidents_refer_overdue(now=late) == 1
    assert services.incidents_refer_overdue(now=late) == 0
    referral = IncidentStep.objects.get(incident=incident, step="referred")
    assert referral.missed == "information_exchanged"
