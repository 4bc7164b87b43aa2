"""The charter's escalation section: defaults, explicit rungs, and every check."""

from accord.process import charter as c
from accord.process.charter import charter_parse, charter_read
from accord.process.tests.test_charter import (
    BASE,
    DEFAULT,
    MULTILATERAL,
    line_of,
    only_problem,
    problems_of,
)

LADDER = """
escalation:
  principals: Heads of state
  rungs:
    - {from: working_group, to: HLC, days: 14}
    - {from: HLC, to: principals, days: 21}
"""


def with_escalation(section: str) -> str:
    return BASE + section


def test_the_default_charter_declares_its_ladder():
    charter = charter_read(DEFAULT)
    ladder = charter.escalation.ladder(charter.bodies)
    assert ladder["WG-NUC"] == ("HLC", 14)
    assert ladder["HLC"] == (c.PRINCIPALS, 21)


def test_without_a_section_the_ladder_follows_reports_to_with_default_days():
    charter = charter_read(MULTILATERAL)
    ladder = charter.escalation.ladder(charter.bodies)
    assert ladder["WG-DATA"] == ("WG-OPS", c.DEFAULT_REFERRAL_DAYS)
    assert ladder["PLN"] == (c.PRINCIPALS, c.DEFAULT_TOP_DAYS)
    assert charter.escalation.principals == "Principals"


def test_a_rung_for_a_body_code_wins_over_its_kind():
    text = with_escalation(LADDER + "    - {from: WG-NUC, to: HLC, days: 7}\n")
    charter = charter_parse(text, filename="ok.yaml")
    ladder = charter.escalation.ladder(charter.bodies)
    assert ladder["WG-NUC"] == ("HLC", 7)
    assert ladder["WG-SAN"] == ("HLC", 14)
    assert charter.escalation.principals == "Heads of state"


def test_an_unknown_rung_source_is_named_with_a_suggestion():
    text = with_escalation(LADDER.replace("from: working_group", "from: working_groups"))
    problem = only_problem(text)
    assert problem.path == "escalation.rungs[0].from"
    assert problem.line == line_of(text, "working_groups")
    assert (
        "'working_groups'" in problem.message and "Did you mean 'working_group'?" in problem.message
    )


def test_an_unknown_rung_target_is_named():
    problem = only_problem(with_escalation(LADDER.replace("to: principals", "to: principal")))
    assert problem.path == "escalation.rungs[1].to"
    assert "Did you mean 'principals'?" in problem.message


def test_two_rungs_from_one_place_are_refused():
    problem = only_problem(with_escalation(LADDER + "    - {from: HLC, to: WG-NUC, days: 3}\n"))
    assert problem.path == "escalation.rungs[2].from"
    assert problem.message.startswith("Two escalation rungs start from 'HLC'")


def test_a_ladder_that_loops_is_refused_with_the_loop_named():
    text = with_escalation(LADDER.replace("from: HLC, to: principals", "from: HLC, to: WG-NUC"))
    problem = only_problem(text)
    assert problem.path == "escalation.rungs"
    assert "HLC → WG-NUC → HLC" in problem.message or "WG-NUC → HLC → WG-NUC" in problem.message


def test_a_rung_to_itself_and_a_bad_number_of_days_are_refused():
    text = with_escalation(
        LADDER.replace("to: HLC, days: 14", "to: HLC, days: 0").replace(
            "from: HLC, to: principals", "from: HLC, to: HLC"
        )
    )
    messages = {p.path: p.message for p in problems_of(text)}
    assert messages["escalation.rungs[0].days"] == "The number must be at least 1, got 0."
    assert messages["escalation.rungs[1].to"] == c.ESCALATION_TO_ITSELF.format(index=1, value="HLC")


def test_an_unknown_key_in_a_rung_suggests_the_real_one():
    messages = {
        p.path: p.message
        for p in problems_of(with_escalation(LADDER.replace("days: 21", "dayz: 21")))
    }
    assert messages["escalation.rungs[1].dayz"].endswith("Did you mean 'days'?")
    assert messages["escalation.rungs[1].days"] == "The required key 'days' is missing."
