"""The pure roadmap arithmetic: graph validation, critical path, forecast (no database)."""

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.process import roadmap
from accord.process.charter import charter_read

D = dt.date


def test_a_cycle_is_rejected_with_the_cycle_named():
    graph = {"A": [], "B": ["A", "D"], "C": ["B"], "D": ["C"]}
    with pytest.raises(roadmap.GraphInvalid) as caught:
        roadmap.graph_validate(graph)
    assert caught.value.cycle == ("B", "D", "C", "B")
    assert "B → D → C → B" in caught.value.message


def test_a_milestone_depending_on_itself_is_a_cycle_of_one():
    with pytest.raises(roadmap.GraphInvalid, match="A → A"):
        roadmap.graph_validate({"A": ["A"]})


def test_an_unknown_dependency_is_named():
    with pytest.raises(roadmap.GraphInvalid, match="'B' depends on 'Z'"):
        roadmap.graph_validate({"A": [], "B": ["Z"]})


def test_dependency_order_puts_dependencies_first():
    order = roadmap.graph_validate({"C": ["A", "B"], "B": ["A"], "A": []})
    assert order == ["A", "B", "C"]


def test_the_critical_path_of_a_textbook_graph():
    """A(3) → B(4) → D(2); A → C(1) → D; E(6) alone. Longest: A-B-D = 9 days."""
    durations = {"A": 3, "B": 4, "C": 1, "D": 2, "E": 6}
    depends_on = {"B": ["A"], "C": ["A"], "D": ["B", "C"]}

    schedule = roadmap.critical_path(durations, depends_on)

    assert schedule.length == 9
    assert schedule.critical_path == ["A", "B", "D"]
    assert schedule.slack == {"A": 0, "B": 0, "C": 3, "D": 0, "E": 3}
    assert schedule.earliest_finish["D"] == 9
    assert schedule.latest_start["C"] == 6


def test_the_critical_path_rejects_a_cycle():
    with pytest.raises(roadmap.GraphInvalid):
        roadmap.critical_path({"A": 1, "B": 1}, {"A": ["B"], "B": ["A"]})


def test_the_islamabad_roadmap_critical_path_runs_through_the_latest_dependencies():
    charter = charter_read("charters/islamabad-mou.yaml")
    plans = [
        roadmap.MilestonePlan(m.code, m.due_day, tuple(m.depends_on))
        for m in charter.roadmap.milestones
    ]

    schedule = roadmap.milestone_schedule(plans)

    assert schedule.length == 60
    assert schedule.critical_path[-2:] == ["HLC-1", "HLC-2"]
    assert schedule.critical_path[0] in {"NUC-1", "SAN-1"}
    assert schedule.slack["HLC-2"] == 0
    # IMP-1 (day 20) feeds IMP-2 (day 45): 25 days of work with no other pressure.
    assert schedule.slack["CMP-1"] > 0


def test_an_extension_moves_the_critical_path_to_the_extended_chain():
    plans = [
        roadmap.MilestonePlan("A1", 10),
        roadmap.MilestonePlan("A2", 30, ("A1",)),
        roadmap.MilestonePlan("B1", 15),
        roadmap.MilestonePlan("B2", 45, ("B1",)),  # extended past A2's chain
        roadmap.MilestonePlan("END", 60, ("A2", "B2")),
    ]
    assert roadmap.milestone_schedule(plans).critical_path == ["B1", "B2", "END"]


def test_the_forecast_on_a_constructed_history():
    """40 open items on 1 Dec, falling by 2 a day for 10 days: 20 left, 10 more days."""
    history = [(D(2026, 12, 1) + dt.timedelta(days=i), 40 - 2 * i) for i in range(11)]

    early = roadmap.forecast_clean(history, today=D(2026, 12, 11), due_on=D(2026, 12, 31))
    late = roadmap.forecast_clean(history, today=D(2026, 12, 11), due_on=D(2026, 12, 15))

    assert early.open_now == 20
    assert early.rate_per_day == pytest.approx(2.0)
    assert early.clean_on == D(2026, 12, 21)
    assert (early.status, early.slip_days) == ("on_track", -10)
    assert (late.status, late.slip_days) == ("late", 6)


def test_the_forecast_uses_the_recent_pace_and_carries_values_forward():
    """Sparse observations hold until the next; the window ignores an old fast start."""
    history = [(D(2026, 11, 1), 100), (D(2026, 11, 2), 30), (D(2026, 11, 20), 30)]
    history += [(D(2026, 11, 20) + dt.timedelta(days=i), 30 - i) for i in range(1, 15)]

    forecast = roadmap.forecast_clean(history, today=D(2026, 12, 4), window_days=14)

    assert forecast.open_now == 16
    assert forecast.rate_per_day == pytest.approx(1.0)
    assert forecast.clean_on == D(2026, 12, 20)


def test_a_count_that_is_not_falling_has_no_clean_date():
    history = [(D(2026, 12, 1), 5), (D(2026, 12, 5), 7), (D(2026, 12, 10), 7)]
    forecast = roadmap.forecast_clean(history, today=D(2026, 12, 10), due_on=D(2026, 12, 20))
    assert (forecast.status, forecast.clean_on) == ("stalled", None)


def test_a_clean_text_and_no_history_are_reported_as_such():
    assert roadmap.forecast_clean([(D(2026, 12, 1), 0)], today=D(2026, 12, 3)).status == "clean"
    assert roadmap.forecast_clean([], today=D(2026, 12, 3)).status == "no_data"
    # Observations after "today" are not known yet on that day.
    future = roadmap.forecast_clean([(D(2026, 12, 9), 4)], today=D(2026, 12, 3))
    assert future.status == "no_data"


def test_step_series_add_up_on_the_union_of_their_days():
    brackets = [(D(2026, 12, 1), 10), (D(2026, 12, 4), 6)]
    divergences = [(D(2026, 12, 2), 3), (D(2026, 12, 5), 2)]
    assert roadmap.series_sum(brackets, divergences) == [
        (D(2026, 12, 1), 10),
        (D(2026, 12, 2), 13),
        (D(2026, 12, 4), 9),
        (D(2026, 12, 5), 8),
    ]


# --- Properties on random graphs -----------------------------------------------------------


@st.composite
def dags(draw):
    """A random DAG: node i may depend only on nodes before it; durations 0..20 days."""
    n = draw(st.integers(min_value=1, max_value=12))
    names = [f"M{i}" for i in range(n)]
    depends_on = {
        name: sorted(draw(st.sets(st.sampled_from(names[:i]), max_size=3))) if i else []
        for i, name in enumerate(names)
    }
    durations = {name: draw(st.integers(min_value=0, max_value=20)) for name in names}
    return durations, depends_on


@settings(max_examples=200, deadline=None)
@given(dags())
def test_the_schedule_respects_every_dependency_and_the_critical_path_is_a_tight_chain(graph):
    durations, depends_on = graph
    schedule = roadmap.critical_path(durations, depends_on)
    for node, targets in depends_on.items():
        for target in targets:
            assert schedule.earliest_start[node] >= schedule.earliest_finish[target]
        assert schedule.slack[node] >= 0
    assert schedule.length == max(schedule.earliest_finish.values())
    path = schedule.critical_path
    assert sum(durations[node] for node in path) == schedule.length
    assert all(schedule.slack[node] == 0 for node in path)
    for before, after in itertools.pairwise(path):
        assert before in depends_on[after]


@settings(max_examples=200, deadline=None)
@given(dags(), st.data())
def test_a_back_edge_is_always_reported_as_a_cycle_of_real_edges(graph, data):
    _durations, depends_on = graph
    names = list(depends_on)
    low = data.draw(st.integers(min_value=0, max_value=len(names) - 1))
    high = data.draw(st.integers(min_value=low, max_value=len(names) - 1))
    # Make M<high> reachable from M<low> (a chain), then let M<low> depend on M<high>.
    cyclic = {name: list(targets) for name, targets in depends_on.items()}
    for i in range(low + 1, high + 1):
        cyclic[names[i]].append(names[i - 1])
    cyclic[names[low]].append(names[high])
    with pytest.raises(roadmap.GraphInvalid) as caught:
        roadmap.graph_validate(cyclic)
    cycle = caught.value.cycle
    assert cycle[0] == cycle[-1]
    for node, target in itertools.pairwise(cycle):
        assert target in cyclic[node]
