"""Roadmap arithmetic: dependency graphs, the critical path and the pace forecast (no Django).

Everything here works on plain codes, integers and dates so it can be tested and
benchmarked alone. ``process.selectors`` feeds it the milestones of a process and the
history of open items (brackets and divergences) per working group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

GRAPH_CYCLE = (
    "Milestones depend on each other in a cycle ('→' reads 'depends on'): {cycle}. "
    "None of them could ever be met first."
)
GRAPH_UNKNOWN = "Milestone {node!r} depends on {target!r}, which is not in the roadmap."


class GraphInvalid(ValueError):
    """The dependency graph cannot be scheduled; ``cycle`` names the loop when there is one."""

    def __init__(self, message: str, *, cycle: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.cycle = tuple(cycle)


def graph_cycles(depends_on: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The cycles of the graph, each as ``[a, b, ..., a]`` (``a`` depends on ``b``...).

    The one cycle finder: the roadmap's schedule and the charter's checks (reporting
    lines, dependencies, the escalation ladder) all ask it. A depth-first search visits
    nodes in the mapping's order and targets in their given order, so a given graph always
    yields the same cycles; every tangle yields at least one (enough to point an author at
    it without listing every combination), and no set of nodes is reported twice.
    ``graphlib`` finds only one cycle per graph, and a charter names each.
    """
    state: dict[str, str] = {}  # "active" while on the stack, "done" after
    cycles: list[list[str]] = []
    reported: set[frozenset[str]] = set()
    for start in depends_on:
        if start in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(depends_on.get(start, ())))]
        state[start] = "active"
        while stack:
            node, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                state[node] = "done"
                stack.pop()
            elif state.get(target) == "active":
                path = [entry for entry, _ in stack]
                cycle = [*path[path.index(target) :], target]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    cycles.append(cycle)
            elif target not in state:
                state[target] = "active"
                stack.append((target, iter(depends_on.get(target, ()))))
    return cycles


def graph_cycle(depends_on: Mapping[str, Iterable[str]]) -> list[str] | None:
    """The first cycle ``graph_cycles`` finds, or None."""
    cycles = graph_cycles(depends_on)
    return cycles[0] if cycles else None


def graph_validate(depends_on: Mapping[str, Iterable[str]]) -> list[str]:
    """Check the graph and return its nodes in dependency order (dependencies first).

    Raise ``GraphInvalid`` naming the unknown target or the cycle.
    """
    for node, targets in depends_on.items():
        for target in targets:
            if target not in depends_on:
                raise GraphInvalid(GRAPH_UNKNOWN.format(node=node, target=target))
    cycle = graph_cycle(depends_on)
    if cycle is not None:
        raise GraphInvalid(GRAPH_CYCLE.format(cycle=" → ".join(cycle)), cycle=cycle)
    order: list[str] = []
    done: set[str] = set()
    for root in depends_on:
        # Iterative depth-first post-order: dependencies first, in their given order.
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, index = stack.pop()
            if node in done:
                continue
            targets = list(depends_on[node])
            if index < len(targets):
                stack.append((node, index + 1))
                if targets[index] not in done:
                    stack.append((targets[index], 0))
            else:
                done.add(node)
                order.append(node)
    return order


@dataclass(frozen=True)
class Schedule:
    """Critical-path analysis of a task graph; all figures in days from the start."""

    earliest_start: dict[str, int]
    earliest_finish: dict[str, int]
    latest_start: dict[str, int]
    latest_finish: dict[str, int]
    slack: dict[str, int]
    length: int
    critical_path: list[str]

    @property
    def critical(self) -> frozenset[str]:
        return frozenset(code for code, slack in self.slack.items() if slack == 0)


def critical_path(
    durations: Mapping[str, int], depends_on: Mapping[str, Iterable[str]]
) -> Schedule:
    """The classic critical-path method over ``durations`` (days) and dependencies.

    A task starts when all its dependencies have finished. The critical path is the
    longest chain of zero-slack tasks from a start task to the task that finishes last
    (ties: the first in the mapping's order). Raise ``GraphInvalid`` for a cycle.
    """
    graph = {code: list(depends_on.get(code, ())) for code in durations}
    order = graph_validate(graph)
    es: dict[str, int] = {}
    ef: dict[str, int] = {}
    for code in order:
        es[code] = max((ef[d] for d in graph[code]), default=0)
        ef[code] = es[code] + max(0, durations[code])
    length = max(ef.values(), default=0)
    dependants: dict[str, list[str]] = {code: [] for code in graph}
    for code, targets in graph.items():
        for target in targets:
            dependants[target].append(code)
    ls: dict[str, int] = {}
    lf: dict[str, int] = {}
    for code in reversed(order):
        lf[code] = min((ls[d] for d in dependants[code]), default=length)
        ls[code] = lf[code] - max(0, durations[code])
    slack = {code: ls[code] - es[code] for code in order}
    path: list[str] = []
    ends = [code for code in graph if ef[code] == length and slack[code] == 0]
    if ends:
        current: str | None = ends[0]
        while current is not None:
            path.append(current)
            driving = [d for d in graph[current] if slack[d] == 0 and ef[d] == es[current]]
            current = driving[0] if driving else None
        path.reverse()
    return Schedule(es, ef, ls, lf, slack, length, path)


@dataclass(frozen=True)
class MilestonePlan:
    """A milestone as the schedule sees it: due on ``due_day`` (1 = the roadmap's first day)."""

    code: str
    due_day: int
    depends_on: tuple[str, ...] = ()


def milestone_schedule(milestones: Sequence[MilestonePlan]) -> Schedule:
    """Critical path of a roadmap whose milestones have due days, not durations.

    A milestone's work runs from the latest due day of its dependencies (or the roadmap's
    start) to its own due day; that span is its duration. The chain whose slips move the
    last milestone is then the critical path, and each milestone's slack is how many days
    it can slip without moving the end of the roadmap.
    """
    by_code = {m.code: m for m in milestones}
    durations = {}
    for m in milestones:
        start = max((by_code[d].due_day for d in m.depends_on if d in by_code), default=0)
        durations[m.code] = max(0, m.due_day - start)
    return critical_path(durations, {m.code: m.depends_on for m in milestones})


# --- Forecast ------------------------------------------------------------------------------

ForecastStatus = Literal["clean", "on_track", "late", "stalled", "no_data"]


@dataclass(frozen=True)
class Forecast:
    """When a working group reaches a clean text at its current pace.

    ``rate_per_day``: open items closed per day (positive when the count falls) over the
    window; ``clean_on``: the projected date the count reaches zero (None if never at this
    pace); ``slip_days``: days after ``due_on`` (negative: early).
    """

    open_now: int
    rate_per_day: float
    clean_on: dt.date | None
    due_on: dt.date | None
    status: ForecastStatus
    slip_days: int | None = None
    points: list[tuple[dt.date, int]] = field(default_factory=list)


def series_daily(
    points: Iterable[tuple[dt.date, int]], *, until: dt.date
) -> list[tuple[dt.date, int]]:
    """One value per day from the first point to ``until``, carrying each value forward.

    Several points on one day: the last one given wins.
    """
    latest: dict[dt.date, int] = {}
    for day, value in sorted(points, key=lambda p: p[0]):
        latest[day] = value
    if not latest:
        return []
    day = min(latest)
    value = latest[day]
    series = []
    while day <= until:
        value = latest.get(day, value)
        series.append((day, value))
        day += dt.timedelta(days=1)
    return series


def forecast_clean(
    points: Iterable[tuple[dt.date, int]],
    *,
    today: dt.date,
    due_on: dt.date | None = None,
    window_days: int = 14,
) -> Forecast:
    """Project when the open count reaches zero from its pace over the last ``window_days``.

    ``points``: (date, open items) observations, in any order; each value holds until the
    next one. The pace is the least-squares slope of the daily series over the window
    (robust to one noisy day, unlike first-to-last). A count already at zero is ``clean``;
    a count not falling is ``stalled`` (no date at this pace).
    """
    series = series_daily([p for p in points if p[0] <= today], until=today)
    if not series:
        return Forecast(0, 0.0, None, due_on, "no_data")
    open_now = series[-1][1]
    if open_now <= 0:
        return Forecast(0, 0.0, today, due_on, "clean", _slip(today, due_on), series)
    window = series[-window_days - 1 :]
    if len(window) < 2:
        return Forecast(open_now, 0.0, None, due_on, "stalled", None, series)
    xs = [(day - window[0][0]).days for day, _ in window]
    ys = [value for _, value in window]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    var_x = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var_x
    rate = -slope
    if rate <= 1e-9:
        return Forecast(open_now, max(rate, 0.0), None, due_on, "stalled", None, series)
    days_left = open_now / rate
    clean_on = today + dt.timedelta(days=int(-(-days_left // 1)))  # round up
    slip = _slip(clean_on, due_on)
    status: ForecastStatus = "late" if slip is not None and slip > 0 else "on_track"
    return Forecast(open_now, rate, clean_on, due_on, status, slip, series)


def _slip(day: dt.date, due_on: dt.date | None) -> int | None:
    return (day - due_on).days if due_on is not None else None


def series_sum(
    *series: Iterable[tuple[dt.date, int]],
) -> list[tuple[dt.date, int]]:
    """Add step series (each value holds until its next point) on the union of their days.

    A series contributes 0 before its first point.
    """
    lists = [sorted(s, key=lambda p: p[0]) for s in series]
    days = sorted({day for points in lists for day, _ in points})
    result = []
    for day in days:
        total = 0
        for points in lists:
            value = 0
            for point_day, point_value in points:
                if point_day > day:
                    break
                value = point_value
            total += value
        result.append((day, total))
    return result


def by_key(rows: Iterable[tuple[dt.date, str, int]]) -> dict[str, list[tuple[dt.date, int]]]:
    """``[(date, key, value)]`` -> ``{key: [(date, value)]}``, dates ascending."""
    grouped: dict[str, list[tuple[dt.date, int]]] = {}
    for day, key, value in rows:
        grouped.setdefault(key, []).append((day, value))
    for points in grouped.values():
        points.sort(key=lambda p: p[0])
    return grouped


@dataclass(frozen=True)
class OpenItems:
    """What is still open per working group, as other apps count it: ``(date, body code,
    count)`` histories of open brackets (drafting) and open divergences, and the brackets
    open now. The forecast adds them up; none means no data."""

    bracket_history: Sequence[tuple[dt.date, str, int]] = ()
    brackets_now: Mapping[str, int] = field(default_factory=dict)
    divergence_history: Sequence[tuple[dt.date, str, int]] = ()
