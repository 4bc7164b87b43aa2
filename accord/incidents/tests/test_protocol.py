"""The incident protocol's pure parts: steps, precedences, deadlines and the charter's keys."""

import datetime as dt
from pathlib import Path

import pytest

from accord.incidents.protocol import (
    Category,
    IncidentSettings,
    IncidentSettingsInvalid,
    Step,
    incident_settings_parse,
    step_next,
)
from accord.incidents.reportformat import (
    ReportLine,
    ReportText,
    position_text,
    report_text,
)
from accord.process.charter.loading import charter_parse
from accord.process.charter.problems import CharterInvalid

CHARTER = Path(__file__).resolve().parents[3] / "charters" / "islamabad-mou.yaml"
T0 = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def test_the_line_runs_from_reported_to_closed_and_a_referred_incident_can_only_close():
    assert step_next(Step.REPORTED) is Step.ACKNOWLEDGED
    assert step_next(Step.ACKNOWLEDGED) is Step.INFORMATION_EXCHANGED
    assert step_next(Step.INFORMATION_EXCHANGED) is Step.DE_ESCALATION_AGREED
    assert step_next(Step.DE_ESCALATION_AGREED) is Step.CLOSED
    assert step_next(Step.CLOSED) is None
    assert step_next(Step.REFERRED) is Step.CLOSED


def test_collisions_and_attacks_go_out_flash_by_default_and_the_charter_can_change_that():
    defaults = IncidentSettings()
    assert defaults.precedence_of(Category.COLLISION) == "FLASH"
    assert defaults.precedence_of(Category.SIMULATED_ATTACK) == "FLASH"
    assert defaults.precedence_of(Category.CLOSE_APPROACH) == "IMMEDIATE"

    changed = incident_settings_parse(
        "MCC", {"incidents": {"precedence": {"close_approach": "FLASH"}}}
    )

    assert changed.precedence_of(Category.CLOSE_APPROACH) == "FLASH"


def test_each_deadline_counts_from_the_step_before_and_a_referred_incident_has_none():
    settings = incident_settings_parse(
        "MCC", {"incidents": {"deadlines": {"acknowledged": "10m", "closed": "2d"}}}
    )

    assert settings.deadline_after(Step.REPORTED, T0) == T0 + dt.timedelta(minutes=10)
    assert settings.deadline_after(Step.DE_ESCALATION_AGREED, T0) == T0 + dt.timedelta(days=2)
    assert settings.deadline_after(Step.REFERRED, T0) is None
    assert settings.deadline_after(Step.CLOSED, T0) is None


def test_a_malformed_block_is_refused_with_the_path_of_each_key():
    with pytest.raises(IncidentSettingsInvalid) as refused:
        incident_settings_parse(
            "MCC",
            {
                "incidents": {
                    "deadlines": {"acknowledged": "soon"},
                    "precedence": {"colision": "FLASH"},
                }
            },
        )

    paths = [path for path, _message in refused.value.located]
    assert ("deadlines", "acknowledged") in paths
    assert ("precedence",) in paths
    assert "settings.incidents.deadlines.acknowledged" in str(refused.value)


def test_the_shipped_charter_gives_the_maritime_channel_its_incident_protocol():
    charter = charter_parse(CHARTER.read_text(), filename="islamabad-mou.yaml")
    mcc = next(m for m in charter.mechanisms if m.code == "MCC")

    settings = incident_settings_parse("MCC", mcc.settings)

    assert settings.precedence_of("collision") == "FLASH"
    assert settings.deadlines.acknowledged == dt.timedelta(minutes=30)
    assert settings.refer_to == "HLC"


def test_the_loader_names_file_line_and_key_of_a_bad_incident_setting():
    text = CHARTER.read_text()
    text = text.replace("deadlines: {acknowledged: 30m,", "deadlines: {acknowledged: never,")

    with pytest.raises(CharterInvalid) as refused:
        charter_parse(text, filename="bad.yaml")

    lines = [str(p) for p in refused.value.problems]
    line_of_deadlines = next(
        n for n, line in enumerate(text.splitlines(), 1) if "acknowledged: never" in line
    )
    assert any(
        line.startswith(f"bad.yaml:{line_of_deadlines}: mechanisms[1].settings.incidents.deadlines")
        for line in lines
    ), lines


def test_the_loader_refuses_a_referral_to_a_body_the_charter_does_not_have():
    text = CHARTER.read_text().replace("refer_to: HLC", "refer_to: HLX")

    with pytest.raises(CharterInvalid) as refused:
        charter_parse(text, filename="bad.yaml")

    lines = [str(p) for p in refused.value.problems]
    assert len(lines) == 1
    assert "mechanisms[1].settings.incidents.refer_to: " in lines[0]
    assert "'HLX', which is not a body" in lines[0] and "Did you mean 'HLC'?" in lines[0]


def test_positions_are_written_in_degrees_and_decimal_minutes():
    assert position_text(26.57, 56.25) == "26°34.20'N 056°15.00'E"
    assert position_text(-0.5, -1.0) == "00°30.00'S 001°00.00'W"


def test_a_report_numbers_its_lines_and_lists_its_history():
    text = report_text(
        ReportText(
            title="INITIAL REPORT",
            lines=[ReportLine("Time", "10:00 UTC"), ReportLine("Description", "One\nTwo")],
            history=["Reported"],
            history_title="Steps",
        )
    )

    assert text.splitlines()[:6] == [
        "INITIAL REPORT",
        "==============",
        "",
        "1. Time: 10:00 UTC",
        "2. Description: One",
        "   Two",
    ]
    assert "- Reported" in text
