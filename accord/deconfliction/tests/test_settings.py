"""The charter's de-confliction deadlines: read, defaulted, and refused with a location."""

import datetime as dt

import pytest
from django.conf import settings

from accord.deconfliction.settings import deconfliction_settings_parse
from accord.process.charter import CharterInvalid, charter_parse

CHARTER = settings.ACCORD_DEFAULT_CHARTER.read_text(encoding="utf-8")


def test_the_default_charter_gives_the_lebanon_mechanism_48_and_24_hours_notice():
    config = deconfliction_settings_parse({"movement_notice": "48h", "emergency_notice": "24h"})
    assert config.notice_for(emergency=False) == dt.timedelta(hours=48)
    assert config.notice_for(emergency=True) == dt.timedelta(hours=24)
    assert [r.to for r in config.escalation] == ["head_of_delegation", "facilitators"]


def test_a_bad_deadline_is_refused_at_its_line_and_path():
    # Given the default charter with a misspelt duration under the LDM's deconfliction block
    text = CHARTER.replace(
        "        acknowledge_within: 24h\n", "        acknowledge_within: soon\n", 1
    )
    assert text != CHARTER
    # when it is loaded, then the problem names the mechanism's key and its line
    with pytest.raises(CharterInvalid) as raised:
        charter_parse(text, filename="islamabad-mou.yaml")
    [problem] = raised.value.problems
    assert problem.path.endswith("settings.deconfliction.acknowledge_within")
    assert problem.line == text.splitlines().index("        acknowledge_within: soon") + 1


def test_an_unknown_rung_is_refused():
    ladder = "          - {to: head_of_delegation, after: 0m}"
    text = CHARTER.replace(ladder, "          - {to: president, after: 0m}", 1)
    with pytest.raises(CharterInvalid) as raised:
        charter_parse(text, filename="islamabad-mou.yaml")
    assert "settings.deconfliction.escalation" in raised.value.problems[0].path
