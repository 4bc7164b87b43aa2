"""The pure graph computations: no database."""

import pytest

from accord.compliance.rollup import Item, overall, rollup
from accord.compliance.sequencing import (
    MILESTONE,
    STEP,
    GraphInvalid,
    Node,
    gantt_rows,
    graph_layout,
    sequence_check,
    sequence_plan,
    unlocked_now,
)


def _jcpoa(*, verified: tuple[str, ...] = ()) -> list[Node]:
    return [
        Node("C-1", STEP, "Cap enrichment", "IR", (), 30, "C-1" in verified),
        Node("C-2", STEP, "Give access", "IR", (), 14, "C-2" in verified),
        Node("IMPL", MILESTONE, "Implementation Day", "", ("C-1", "C-2")),
        Node("C-3", STEP, "Oil relief", "US", ("IMPL",), 10, "C-3" in verified),
        Node("C-4", STEP, "Protocol", "IR", ("C-3",), 60, "C-4" in verified),
    ]


def test_a_cycle_is_refused_naming_it():
    # given steps that wait on each other
    nodes = [
        Node("C-1", STEP, "a", "IR", ("C-2",)),
        Node("C-2", STEP, "b", "US", ("C-1",)),
    ]
    # when checked / then refused, naming the loop
    with pytest.raises(GraphInvalid) as raised:
        sequence_check(nodes)
    assert raised.value.cycle == ("C-1", "C-2", "C-1")


def test_only_the_first_steps_are_unlocked_before_anything_is_verified():
    assert unlocked_now(_jcpoa()) == {"IR": ["C-1", "C-2"]}


def test_the_other_sides_steps_unlock_when_the_milestone_falls_due():
    # given both nuclear steps verified: Implementation Day falls due
    plan = sequence_plan(_jcpoa(verified=("C-1", "C-2")))
    # then the relief is unlocked for the US, and the milestone reached
    assert plan.unlocked == {"US": ["C-3"]}
    assert plan.reached == ["IMPL"]


def test_one_step_verified_is_not_enough_for_the_milestone():
    plan = sequence_plan(_jcpoa(verified=("C-2",)))
    assert plan.unlocked == {"IR": ["C-1"]}
    assert plan.reached == []


def test_the_critical_path_runs_through_the_longest_chain():
    plan = sequence_plan(_jcpoa())
    assert plan.critical_path == ["C-1", "IMPL", "C-3", "C-4"]
    assert plan.length == 100
    assert plan.slack["C-2"] == 16


def test_gantt_rows_and_graph_columns_follow_the_dependencies():
    nodes = _jcpoa()
    plan = sequence_plan(nodes)
    bars = {b.code: b for b in gantt_rows(nodes, plan)}
    assert (bars["C-3"].start, bars["C-3"].finish, bars["C-3"].critical) == (30, 40, True)
    columns = {p.code: p.column for p in graph_layout(nodes, plan)}
    assert columns == {"C-1": 0, "C-2": 0, "IMPL": 1, "C-3": 2, "C-4": 3}


def test_progress_is_a_share_of_weight_by_party():
    items = [
        Item("IR", "WG-NUC", "Art. 1", "verified", 3),
        Item("IR", "WG-VER", "Art. 3", "pending", 1),
        Item("US", "WG-SAN", "", "not_verified", 2),
    ]
    by_party = {s.key: (s.done, s.total, s.percent) for s in rollup(items, "party")}
    assert by_party == {"IR": (3, 4, 75), "US": (0, 2, 0)}
    assert [s.key for s in rollup(items, "article")] == ["Art. 1", "Art. 3"]
    assert overall(items).percent == 50
