"""Channel settings from the charter: defaults, the shipped charter, clear errors."""

import datetime as dt

import pytest
from django.conf import settings as django_settings

from accord.channels import services
from accord.channels.settings import (
    ChannelSettingsInvalid,
    channel_settings_parse,
)
from accord.process.models import Mechanism


def test_defaults_are_the_issues_deadlines():
    config = channel_settings_parse("X", {})
    within = config.acknowledge_within
    assert within.for_precedence("FLASH") == dt.timedelta(minutes=10)
    assert within.for_precedence("IMMEDIATE") == dt.timedelta(minutes=30)
    assert within.for_precedence("PRIORITY") == dt.timedelta(hours=3)
    assert within.for_precedence("ROUTINE") == dt.timedelta(hours=24)
    assert [r.to for r in config.escalation] == [
        "backup_duty_officer",
        "head_of_delegation",
        "facilitators",
    ]


def test_durations_accept_minutes_and_units():
    config = channel_settings_parse(
        "X", {"acknowledge_within": {"FLASH": 5, "ROUTINE": "2d"}, "link_test": {"every": "90s"}}
    )
    assert dt.timedelta(minutes=5) == config.acknowledge_within.FLASH
    assert dt.timedelta(days=2) == config.acknowledge_within.ROUTINE
    assert config.link_test.every == dt.timedelta(seconds=90)


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({"acknowledge_within": {"FLASH": "soon"}}, "settings.acknowledge_within.FLASH"),
        ({"acknowledge_within": {"FLASH": 0}}, "settings.acknowledge_within.FLASH"),
        ({"acknowledge_within": {"URGENT": "1m"}}, "settings.acknowledge_within.URGENT"),
        ({"link_test": {"every": "0m"}}, "settings.link_test.every"),
        ({"escalation": [{"to": "president"}]}, "settings.escalation.0.to"),
        ({"acknowledge_whithin": {}}, "settings.acknowledge_whithin"),
        ({"attachment_max_bytes": -1}, "settings.attachment_max_bytes"),
    ],
)
def test_a_bad_setting_is_named_with_its_mechanism_and_key(mapping, expected):
    with pytest.raises(ChannelSettingsInvalid) as raised:
        channel_settings_parse("DCC", mapping)
    assert "Mechanism 'DCC'" in str(raised.value)
    assert expected in str(raised.value)


def test_the_escalation_ladder_must_be_in_order_and_without_repeats():
    with pytest.raises(ChannelSettingsInvalid, match="appears twice"):
        channel_settings_parse("DCC", {"escalation": [{"to": "facilitators"}] * 2})
    with pytest.raises(ChannelSettingsInvalid, match="in order"):
        channel_settings_parse(
            "DCC",
            {
                "escalation": [
                    {"to": "facilitators", "after": "1h"},
                    {"to": "head_of_delegation", "after": "0m"},
                ]
            },
        )


def test_the_default_charter_declares_valid_channel_settings(islamabad):
    for mechanism in Mechanism.objects.filter(process=islamabad):
        assert mechanism.settings, f"{mechanism.code} has no channel settings"
        services.channel_settings(mechanism)
    assert django_settings.ACCORD_DEFAULT_CHARTER.exists()


def test_a_bad_setting_in_the_database_is_a_clear_4xx_on_send(on_watch):
    Mechanism.objects.filter(code="DCC").update(settings={"acknowledge_within": {"FLASH": "x"}})
    with pytest.raises(services.ChannelConfigInvalid) as raised:
        services.message_send(
            actor=on_watch["us-duty"], channel="DCC", text="x", precedence="FLASH", client_id="a"
        )
    assert raised.value.status == 409
    assert "Mechanism 'DCC': settings.acknowledge_within.FLASH" in raised.value.message


@pytest.mark.parametrize(
    ("precedence", "minutes"),
    [("FLASH", 10), ("IMMEDIATE", 30), ("PRIORITY", 180), ("ROUTINE", 1440)],
)
def test_acknowledgement_deadline_follows_the_precedence(send, precedence, minutes):
    message = send("us-duty", "Deadline check", precedence)
    assert message.acknowledge_by - message.sent_at == dt.timedelta(minutes=minutes)


def test_the_charter_can_change_a_deadline(send):
    Mechanism.objects.filter(code="DCC").update(settings={"acknowledge_within": {"FLASH": "3m"}})
    message = send("us-duty", "Faster", "FLASH")
    assert message.acknowledge_by - message.sent_at == dt.timedelta(minutes=3)


def test_the_check_command_names_every_bad_setting(islamabad, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("channel", "check")
    assert "Channel settings OK." in capsys.readouterr().out
    Mechanism.objects.filter(code="MCC").update(settings={"link_test": {"every": "never"}})
    with pytest.raises(CommandError) as raised:
        call_command("channel", "check")
    assert "Mechanism 'MCC': settings.link_test.every" in str(raised.value)
