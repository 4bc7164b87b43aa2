"""Step-for-step sequencing as a graph (no Django): the dependency graph of reciprocal
steps and milestones, what is unlocked now, the critical path and the Gantt layout.

A node is a step (a commitment, ``C-3``) or a milestone (``IMPLEMENTATION-DAY``). A step
depends on the steps and milestones that must be done before it may start; a milestone
depends on the steps whose verification makes it fall due (JCPOA's Implementation Day:
the verifier confirms the steps named). A step is *done* when verified, a milestone
when every step it names is done. Cycles are refused by the one cycle finder
(``process.roadmap.graph_cycles``), naming the cycle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from accord.process.roadmap import GraphInvalid, critical_path, graph_validate

STEP = "step"
MILESTONE = "milestone"


@dataclass(frozen=True)
class Node:
    """One node of a sequence: ``code`` names it, ``party`` owes it (steps only).

    ``duration_days``: how long the step takes once unlocked (0 for a milestone);
    ``done``: verified (a step) or reached (a milestone).
    """

    code: str
    kind: str
    title: str
    party: str = ""
    depends_on: tuple[str, ...] = ()
    duration_days: int = 0
    done: bool = False


@dataclass(frozen=True)
class Plan:
    """A sequence laid out: dependency order, the schedule and what is unlocked."""

    order: list[str]
    earliest_start: dict[str, int]
    earliest_finish: dict[str, int]
    slack: dict[str, int]
    length: int
    critical_path: list[str]
    unlocked: dict[str, list[str]] = field(default_factory=dict)  # party -> step codes
    reached: list[str] = field(default_factory=list)  # milestones whose steps are all done


def sequence_check(nodes: Sequence[Node]) -> list[str]:
    """The nodes in dependency order; raise ``GraphInvalid`` naming an unknown node or
    the cycle (``a → b → a``, read "depends on")."""
    return graph_validate({n.code: list(n.depends_on) for n in nodes})


def milestone_reached(node: Node, by_code: Mapping[str, Node]) -> bool:
    """A milestone falls due when every node it names is done."""
    return bool(node.depends_on) and all(_done(by_code[d], by_code) for d in node.depends_on)


def _done(node: Node, by_code: Mapping[str, Node]) -> bool:
    if node.kind == MILESTONE:
        return node.done or milestone_reached(node, by_code)
    return node.done


def unlocked_now(nodes: Sequence[Node]) -> dict[str, list[str]]:
    """For each party, its steps not yet done whose every dependency is done, in order."""
    by_code = {n.code: n for n in nodes}
    result: dict[str, list[str]] = {}
    for code in sequence_check(nodes):
        node = by_code[code]
        if node.kind != STEP or node.done:
            continue
        if all(_done(by_code[d], by_code) for d in node.depends_on):
            result.setdefault(node.party, []).append(code)
    return result


def sequence_plan(nodes: Sequence[Node]) -> Plan:
    """Order, schedule (days from the sequence's start), critical path and what is
    unlocked for each party. Raise ``GraphInvalid`` for a cycle."""
    by_code = {n.code: n for n in nodes}
    order = sequence_check(nodes)
    schedule = critical_path(
        {n.code: max(0, n.duration_days) for n in nodes},
        {n.code: n.depends_on for n in nodes},
    )
    reached = [c for c in order if by_code[c].kind == MILESTONE and _done(by_code[c], by_code)]
    return Plan(
        order=order,
        earliest_start=schedule.earliest_start,
        earliest_finish=schedule.earliest_finish,
        slack=schedule.slack,
        length=schedule.length,
        critical_path=schedule.critical_path,
        unlocked=unlocked_now(nodes),
        reached=reached,
    )


# --- Layouts for the server-drawn charts ---------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """A Gantt row: ``start``/``finish`` in days; ``critical`` on the critical path."""

    code: str
    title: str
    kind: str
    party: str
    start: int
    finish: int
    critical: bool
    done: bool


def gantt_rows(nodes: Sequence[Node], plan: Plan) -> list[Bar]:
    """One bar per node in dependency order (a milestone is a point at its start)."""
    by_code = {n.code: n for n in nodes}
    critical = set(plan.critical_path)
    return [
        Bar(
            code=code,
            title=by_code[code].title,
            kind=by_code[code].kind,
            party=by_code[code].party,
            start=plan.earliest_start[code],
            finish=plan.earliest_finish[code],
            critical=code in critical,
            done=_done(by_code[code], by_code),
        )
        for code in plan.order
    ]


@dataclass(frozen=True)
class Placed:
    """A node placed on the graph: ``column`` its depth (longest chain of dependencies
    before it), ``row`` its place in the column."""

    code: str
    column: int
    row: int


def graph_layout(nodes: Sequence[Node], plan: Plan) -> list[Placed]:
    """Columns by depth in the dependency order, rows in that order within a column."""
    by_code = {n.code: n for n in nodes}
    depth: dict[str, int] = {}
    for code in plan.order:
        depth[code] = max((depth[d] + 1 for d in by_code[code].depends_on), default=0)
    rows: dict[int, int] = {}
    placed = []
    for code in plan.order:
        column = depth[code]
        placed.append(Placed(code, column, rows.get(column, 0)))
        rows[column] = rows.get(column, 0) + 1
    return placed


__all__ = [
    "MILESTONE",
    "STEP",
    "Bar",
    "GraphInvalid",
    "Node",
    "Placed",
    "Plan",
    "gantt_rows",
    "graph_layout",
    "milestone_reached",
    "sequence_check",
    "sequence_plan",
    "unlocked_now",
]
