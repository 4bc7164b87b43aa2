"""The desk items of the incident protocol: who is asked, and that the other party and
those off the channel see nothing of them, not even a count."""

import pytest

from accord.attention import attention_for
from accord.incidents import services
from accord.incidents.attention import INCIDENT_STEP_DUE, INCIDENT_TO_ACKNOWLEDGE
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db


def _kinds(user):
    return {group.kind.code: group.items for group in attention_for(user)}


def test_the_report_waits_on_the_other_sides_duty_officer_desk_only(report, on_watch):
    incident = report("us-duty", category="collision")

    ir = _kinds(on_watch["ir-duty"]).get(INCIDENT_TO_ACKNOWLEDGE.code, [])
    us = _kinds(on_watch["us-duty"]).get(INCIDENT_TO_ACKNOWLEDGE.code, [])
    expert = _kinds(on_watch["us-expert"])

    assert [item.subject for item in ir] == [incident.subject]
    assert ir[0].urgent and ir[0].deadline == incident.due_at
    assert us == []
    assert INCIDENT_TO_ACKNOWLEDGE.code not in expert
    assert INCIDENT_STEP_DUE.code not in expert


def test_the_next_step_is_due_on_both_sides_desks_once_acknowledged(report, on_watch):
    incident = report("us-duty")
    services.incident_acknowledge(actor=on_watch["ir-duty"], incident_id=incident.public_id)

    us = _kinds(on_watch["us-duty"]).get(INCIDENT_STEP_DUE.code, [])
    ir = _kinds(on_watch["ir-duty"]).get(INCIDENT_STEP_DUE.code, [])

    assert [item.subject for item in us] == [incident.subject]
    assert [item.subject for item in ir] == [incident.subject]
    assert INCIDENT_TO_ACKNOWLEDGE.code not in _kinds(on_watch["ir-duty"])


def test_the_desk_page_of_someone_off_the_channel_learns_nothing_of_incidents(
    client, report, on_watch
):
    incident = report("us-duty")
    client.force_login(on_watch["ir-expert"])

    page = client.get("/")

    assert page.status_code == 200
    assert "INC-1" not in page.content.decode()
    assert_learns_nothing_of_others(page.content, hidden=[incident])


def test_a_flash_report_is_an_alert_for_the_other_side_only_until_acknowledged(report, on_watch):
    from accord.channels.selectors import alerts_for

    incident = report("us-duty", category="collision")
    message_id = str(incident.message.public_id)

    before = alerts_for(actor=on_watch["ir-duty"])
    own = alerts_for(actor=on_watch["us-duty"])
    services.incident_acknowledge(actor=on_watch["ir-duty"], incident_id=incident.public_id)
    after = alerts_for(actor=on_watch["ir-duty"])

    flash = [a for a in before.alerts if a.id == message_id]
    assert len(flash) == 1 and flash[0].precedence == "FLASH" and flash[0].may_acknowledge
    assert message_id in before.to_acknowledge
    assert all(a.id != message_id for a in own.alerts)
    assert all(a.id != message_id for a in after.alerts)
