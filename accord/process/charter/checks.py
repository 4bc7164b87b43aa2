"""The second pass of validation: named checks of what spans several entries (no Django).

Each check reads the raw mapping defensively (the first pass may already have failed on
it) and yields ``(loc, message)`` pairs; ``loading`` locates each ``loc`` in the file.
``CHECKS`` runs in the order below; the problems are sorted by line afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from accord.deconfliction.settings import (
    DeconflictionSettingsInvalid,
    deconfliction_settings_parse,
)
from accord.incidents.protocol import IncidentSettingsInvalid, incident_settings_parse
from accord.process.charter.problems import (
    CHAIR_COUNT,
    CO_CHAIR_COUNT,
    COMPLIANCE_DUPLICATE_STAGE,
    COMPLIANCE_UNKNOWN_BODY,
    COMPLIANCE_UNKNOWN_STAGE,
    COMPLIANCE_VERIFIER_ROLE,
    DUE_AFTER_ROADMAP,
    DUE_BEFORE_DEPENDENCY,
    DUPLICATE_CODE,
    ENDS_BEFORE_STARTS,
    ESCALATION_CYCLE,
    ESCALATION_DUPLICATE_FROM,
    ESCALATION_TO_ITSELF,
    ESCALATION_UNKNOWN_FROM,
    ESCALATION_UNKNOWN_TO,
    INCIDENT_REFER_TO_UNKNOWN,
    MILESTONE_CYCLE,
    NO_PARTY,
    REPORTS_TO_CYCLE,
    ROADMAP_AFTER_FRAMEWORK,
    ROADMAP_BEFORE_FRAMEWORK,
    UNKNOWN_CHAIR,
    UNKNOWN_DEPENDENCY,
    UNKNOWN_MECHANISM_DELEGATION,
    UNKNOWN_MILESTONE_BODY,
    UNKNOWN_REPORTS_TO,
    format_path,
    suggest,
)
from accord.process.charter.schema import as_date_value
from accord.process.roadmap import graph_cycles
from accord.process.vocabulary import BODY_KINDS, PRINCIPALS

Loc = tuple[str | int, ...]
Found = tuple[Loc, str]
Entries = list[tuple[Loc, dict]]


def _entries(data: Mapping[str, Any], *keys: str) -> Entries:
    """The mapping entries of the list at ``keys``, with their paths; skips malformed ones."""
    container: Any = data
    for key in keys:
        container = container.get(key) if isinstance(container, Mapping) else None
    if not isinstance(container, list):
        return []
    return [((*keys, i), item) for i, item in enumerate(container) if isinstance(item, dict)]


def _str_list(item: Mapping[str, Any], key: str) -> list[tuple[int, str]]:
    values = item.get(key)
    if not isinstance(values, list):
        return []
    return [(i, value) for i, value in enumerate(values) if isinstance(value, str)]


def _as_date(value: Any) -> dt.date | None:
    try:
        result: dt.date = as_date_value(value)
    except ValueError:
        return None
    return result


def _first_codes(entries: Entries) -> dict[str, Loc]:
    """Each code to the path of its first entry (later duplicates are ``duplicate_codes``')."""
    first: dict[str, Loc] = {}
    for loc, item in entries:
        code = item.get("code")
        if isinstance(code, str):
            first.setdefault(code, loc)
    return first


@dataclass(frozen=True)
class Index:
    """The charter's entries and codes, read once for every check."""

    data: Mapping[str, Any]
    delegations: Entries
    bodies: Entries
    mechanisms: Entries
    milestones: Entries
    delegation_codes: dict[str, Loc]
    body_codes: dict[str, Loc]
    milestone_codes: dict[str, Loc]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Index:
        delegations = _entries(data, "parties") + _entries(data, "facilitators")
        bodies = _entries(data, "bodies")
        milestones = _entries(data, "roadmap", "milestones")
        return cls(
            data=data,
            delegations=delegations,
            bodies=bodies,
            mechanisms=_entries(data, "mechanisms"),
            milestones=milestones,
            delegation_codes=_first_codes(delegations),
            body_codes=_first_codes(bodies),
            milestone_codes=_first_codes(milestones),
        )

    def section(self, key: str) -> dict | None:
        value = self.data.get(key)
        return value if isinstance(value, dict) else None


# --- Codes ---------------------------------------------------------------------------------


def duplicate_codes(index: Index) -> Iterator[Found]:
    """A code declared twice within delegations, bodies, mechanisms or milestones."""
    for what, entries in (
        ("Delegation", index.delegations),
        ("Body", index.bodies),
        ("Mechanism", index.mechanisms),
        ("Milestone", index.milestones),
    ):
        first = _first_codes(entries)
        for loc, item in entries:
            code = item.get("code")
            if isinstance(code, str) and first[code] != loc:
                message = DUPLICATE_CODE.format(
                    what=what, code=code, first_path=format_path(first[code])
                )
                yield (*loc, "code"), message


def some_party(index: Index) -> Iterator[Found]:
    parties = index.data.get("parties")
    if isinstance(parties, list) and not parties:
        yield ("parties",), NO_PARTY


# --- Bodies --------------------------------------------------------------------------------


def reports_to_known(index: Index) -> Iterator[Found]:
    for loc, body in index.bodies:
        target = body.get("reports_to")
        if isinstance(target, str) and target not in index.body_codes:
            message = UNKNOWN_REPORTS_TO.format(body=body.get("code"), target=target)
            yield (*loc, "reports_to"), message + suggest(target, index.body_codes)


def chairs_known(index: Index) -> Iterator[Found]:
    for loc, body in index.bodies:
        chair = body.get("chair")
        if not isinstance(chair, dict):
            continue
        for i, by in _str_list(chair, "by"):
            if by not in index.delegation_codes:
                message = UNKNOWN_CHAIR.format(body=body.get("code"), code=by)
                yield (*loc, "chair", "by", i), message + suggest(by, index.delegation_codes)


def chair_counts(index: Index) -> Iterator[Found]:
    """One chair for ``chair``, at least two for ``co_chairs``."""
    for loc, body in index.bodies:
        chair = body.get("chair")
        if not isinstance(chair, dict):
            continue
        by = chair.get("by")
        count = len(by) if isinstance(by, list) else 0
        code = body.get("code")
        if chair.get("arrangement") == "chair" and count != 1:
            yield (*loc, "chair", "by"), CHAIR_COUNT.format(body=code, count=count)
        if chair.get("arrangement") == "co_chairs" and count < 2:
            yield (*loc, "chair", "by"), CO_CHAIR_COUNT.format(body=code, count=count)


def reporting_cycles(index: Index) -> Iterator[Found]:
    """Bodies reporting to each other in a loop: each loop once, at its first body in file
    order, named from that body."""
    parent: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    for position, (_loc, body) in enumerate(index.bodies):
        code, target = body.get("code"), body.get("reports_to")
        if isinstance(code, str):
            order.setdefault(code, position)
            if isinstance(target, str) and target in index.body_codes:
                parent.setdefault(code, [target])
    for cycle in graph_cycles(parent):
        members = cycle[:-1]
        start = min(range(len(members)), key=lambda i: order.get(members[i], len(order)))
        rotated = [*members[start:], *members[:start], members[start]]
        yield (
            (*index.body_codes[rotated[0]], "reports_to"),
            REPORTS_TO_CYCLE.format(cycle=" → ".join(rotated)),
        )


# --- Mechanisms ----------------------------------------------------------------------------


def mechanism_delegations_known(index: Index) -> Iterator[Found]:
    for loc, mechanism in index.mechanisms:
        for i, code in _str_list(mechanism, "delegations"):
            if code not in index.delegation_codes:
                message = UNKNOWN_MECHANISM_DELEGATION.format(
                    mechanism=mechanism.get("code"), code=code
                )
                yield (*loc, "delegations", i), message + suggest(code, index.delegation_codes)


def maritime_settings(index: Index) -> Iterator[Found]:
    """A maritime mechanism's ``settings.maritime`` (encounter rules, periods)."""
    from accord.maritime.charter import MaritimeSettingsInvalid, maritime_settings_parse

    for loc, mechanism in index.mechanisms:
        settings = mechanism.get("settings")
        if not isinstance(settings, dict) or "maritime" not in settings:
            continue
        try:
            maritime_settings_parse(str(mechanism.get("code")), settings["maritime"])
        except MaritimeSettingsInvalid as error:
            for where, message in error.problems:
                yield (*loc, "settings", "maritime", *where), message


# --- Milestones ----------------------------------------------------------------------------


def milestone_bodies_known(index: Index) -> Iterator[Found]:
    for loc, milestone in index.milestones:
        body = milestone.get("body")
        if isinstance(body, str) and body not in index.body_codes:
            message = UNKNOWN_MILESTONE_BODY.format(milestone=milestone.get("code"), body=body)
            yield (*loc, "body"), message + suggest(body, index.body_codes)


def milestones_within_roadmap(index: Index) -> Iterator[Found]:
    roadmap = index.section("roadmap")
    length = roadmap.get("length_days") if roadmap is not None else None
    if type(length) is not int or length <= 0:
        return
    for loc, milestone in index.milestones:
        day = milestone.get("due_day")
        if type(day) is int and day > length:
            message = DUE_AFTER_ROADMAP.format(
                milestone=milestone.get("code"), due_day=day, length_days=length
            )
            yield (*loc, "due_day"), message


def dependencies_known_and_earlier(index: Index) -> Iterator[Found]:
    """Each dependency is a milestone of the roadmap, due no later than its dependant."""
    due: dict[str, int] = {}
    for _loc, milestone in index.milestones:
        code, day = milestone.get("code"), milestone.get("due_day")
        if isinstance(code, str) and type(day) is int:
            due.setdefault(code, day)
    for loc, milestone in index.milestones:
        code, day = milestone.get("code"), milestone.get("due_day")
        for i, target in _str_list(milestone, "depends_on"):
            if target not in index.milestone_codes:
                message = UNKNOWN_DEPENDENCY.format(milestone=code, target=target)
                yield (*loc, "depends_on", i), message + suggest(target, index.milestone_codes)
            elif type(day) is int and target in due and day < due[target]:
                message = DUE_BEFORE_DEPENDENCY.format(
                    milestone=code, due_day=day, target=target, target_day=due[target]
                )
                yield (*loc, "due_day"), message


def dependency_cycles(index: Index) -> Iterator[Found]:
    graph: dict[str, list[str]] = {}
    for loc, milestone in index.milestones:
        code = milestone.get("code")
        if not isinstance(code, str) or index.milestone_codes.get(code) != loc:
            continue
        for _i, target in _str_list(milestone, "depends_on"):
            if target in index.milestone_codes:
                graph.setdefault(code, []).append(target)
    for cycle in graph_cycles(graph):
        loc = index.milestone_codes[cycle[0]]
        yield (*loc, "depends_on"), MILESTONE_CYCLE.format(cycle=" → ".join(cycle))


# --- Dates ---------------------------------------------------------------------------------


def framework_dates(index: Index) -> Iterator[Found]:
    framework = index.section("framework")
    if framework is None:
        return
    starts_on = _as_date(framework.get("starts_on"))
    ends_on = _as_date(framework.get("ends_on"))
    if starts_on and ends_on and ends_on < starts_on:
        message = ENDS_BEFORE_STARTS.format(ends_on=ends_on, starts_on=starts_on)
        yield ("framework", "ends_on"), message


def roadmap_within_framework(index: Index) -> Iterator[Found]:
    framework, roadmap = index.section("framework"), index.section("roadmap")
    if framework is None or roadmap is None:
        return
    starts_on = _as_date(framework.get("starts_on"))
    ends_on = _as_date(framework.get("ends_on"))
    roadmap_starts_on = _as_date(roadmap.get("starts_on"))
    if starts_on and roadmap_starts_on and roadmap_starts_on < starts_on:
        message = ROADMAP_BEFORE_FRAMEWORK.format(
            roadmap_starts_on=roadmap_starts_on, starts_on=starts_on
        )
        yield ("roadmap", "starts_on"), message
    length = roadmap.get("length_days")
    if ends_on and roadmap_starts_on and type(length) is int and length > 0:
        last_day = roadmap_starts_on + dt.timedelta(days=length - 1)
        if last_day > ends_on:
            message = ROADMAP_AFTER_FRAMEWORK.format(last_day=last_day, ends_on=ends_on)
            yield ("roadmap", "length_days"), message


# --- Escalation ----------------------------------------------------------------------------


def _rung_targets(index: Index) -> dict[str, str]:
    """``from`` -> ``to`` of each well-formed rung (the first rung from each start)."""
    by_from: dict[str, str] = {}
    for _loc, rung in _entries(index.data, "escalation", "rungs"):
        source, target = rung.get("from"), rung.get("to")
        if (
            isinstance(source, str)
            and isinstance(target, str)
            and target != source
            and (target in index.body_codes or target == PRINCIPALS)
        ):
            by_from.setdefault(source, target)
    return by_from


def escalation_rungs(index: Index) -> Iterator[Found]:
    """Each rung starts from a body or a body kind, once, and leads to another body or to
    the principals."""
    first: dict[str, Loc] = {}
    for loc, rung in _entries(index.data, "escalation", "rungs"):
        position = loc[-1]
        source, target = rung.get("from"), rung.get("to")
        if isinstance(source, str):
            if source not in index.body_codes and source not in BODY_KINDS:
                message = ESCALATION_UNKNOWN_FROM.format(
                    index=position, value=source, kinds=", ".join(BODY_KINDS)
                )
                hint = suggest(source, [*index.body_codes, *BODY_KINDS])
                yield (*loc, "from"), message + hint
            elif source in first:
                message = ESCALATION_DUPLICATE_FROM.format(
                    value=source, first_path=format_path(first[source])
                )
                yield (*loc, "from"), message
            else:
                first[source] = loc
        if isinstance(target, str):
            if target not in index.body_codes and target != PRINCIPALS:
                message = ESCALATION_UNKNOWN_TO.format(
                    index=position, value=target, principals=PRINCIPALS
                )
                yield (*loc, "to"), message + suggest(target, [*index.body_codes, PRINCIPALS])
            elif target == source:
                yield (*loc, "to"), ESCALATION_TO_ITSELF.format(index=position, value=target)


def escalation_cycles(index: Index) -> Iterator[Found]:
    """The ladder, resolved per body (its code's rung, else its kind's), must not loop."""
    by_from = _rung_targets(index)
    if index.section("escalation") is None or not by_from:
        return
    graph: dict[str, list[str]] = {}
    for _loc, body in index.bodies:
        code, kind = body.get("code"), body.get("kind")
        if not isinstance(code, str) or code in graph:
            continue
        target = by_from.get(code) or (by_from.get(kind) if isinstance(kind, str) else None)
        if target is not None and target in index.body_codes:
            graph[code] = [target]
    for cycle in graph_cycles(graph):
        if len(cycle) < 2 or cycle[0] == cycle[1]:
            continue  # a rung to itself is reported by ``escalation_rungs``
        message = ESCALATION_CYCLE.format(cycle=" → ".join(cycle), principals=PRINCIPALS)
        yield ("escalation", "rungs"), message


# --- Compliance ----------------------------------------------------------------------------


def compliance_references(index: Index) -> Iterator[Found]:
    """The verifier's body and role and the joint body exist; dispute stages are unique."""
    section = index.section("compliance")
    if section is None:
        return
    verifier = section.get("verifier")
    if isinstance(verifier, dict) and isinstance(verifier.get("body"), str):
        code = verifier["body"]
        if code not in index.body_codes:
            message = COMPLIANCE_UNKNOWN_BODY.format(what="verifier's body", value=code)
            yield ("compliance", "verifier", "body"), message + suggest(code, index.body_codes)
        else:
            role = verifier.get("role", "verifier")
            body = next(b for _loc, b in index.bodies if b.get("code") == code)
            roles = body.get("member_roles")
            if isinstance(role, str) and isinstance(roles, list) and role not in roles:
                message = COMPLIANCE_VERIFIER_ROLE.format(
                    role=role, body=code, roles=", ".join(str(r) for r in roles) or "none"
                )
                yield ("compliance", "verifier", "role" if "role" in verifier else "body"), message
    joint = section.get("joint_body")
    if isinstance(joint, str) and joint not in index.body_codes:
        message = COMPLIANCE_UNKNOWN_BODY.format(what="joint body", value=joint)
        yield ("compliance", "joint_body"), message + suggest(joint, index.body_codes)
    seen: set[str] = set()
    stages = list(_entries(index.data, "compliance", "dispute_stages"))
    for loc, stage in stages:
        code = stage.get("code")
        if isinstance(code, str):
            if code in seen:
                yield (*loc, "code"), COMPLIANCE_DUPLICATE_STAGE.format(code=code)
            seen.add(code)
    for loc, stage in stages:
        beside = stage.get("alongside")
        if isinstance(beside, str) and (beside not in seen or beside == stage.get("code")):
            others = sorted(seen - {str(stage.get("code"))})
            message = COMPLIANCE_UNKNOWN_STAGE.format(value=beside)
            yield (*loc, "alongside"), message + suggest(beside, others)


def mechanism_incident_settings(index: Index) -> Iterator[Found]:
    """A maritime channel's ``settings.incidents`` (the incident protocol), key by key."""
    for loc, mechanism in index.mechanisms:
        settings = mechanism.get("settings")
        if not isinstance(settings, dict) or "incidents" not in settings:
            continue
        where = (*loc, "settings", "incidents")
        try:
            parsed = incident_settings_parse(str(mechanism.get("code")), settings)
        except IncidentSettingsInvalid as error:
            for path, message in error.located:
                yield (*where, *path), message
            continue
        if parsed.refer_to not in index.body_codes:
            message = INCIDENT_REFER_TO_UNKNOWN.format(
                mechanism=mechanism.get("code"), target=parsed.refer_to
            ) + suggest(parsed.refer_to, index.body_codes)
            yield (*where, "refer_to"), message


def deconfliction_settings(index: Index) -> Iterator[Found]:
    """A de-confliction mechanism's deadlines (``settings.deconfliction``) are well formed."""
    for loc, item in index.mechanisms:
        settings = item.get("settings")
        if not isinstance(settings, dict) or "deconfliction" not in settings:
            continue
        try:
            deconfliction_settings_parse(settings["deconfliction"])
        except DeconflictionSettingsInvalid as error:
            for where, message in error.problems:
                yield (*loc, "settings", "deconfliction", *where), message


CHECKS: tuple[Callable[[Index], Iterator[Found]], ...] = (
    duplicate_codes,
    some_party,
    reports_to_known,
    chairs_known,
    chair_counts,
    reporting_cycles,
    mechanism_delegations_known,
    milestone_bodies_known,
    milestones_within_roadmap,
    dependencies_known_and_earlier,
    dependency_cycles,
    framework_dates,
    roadmap_within_framework,
    escalation_rungs,
    escalation_cycles,
    mechanism_incident_settings,
    deconfliction_settings,
    maritime_settings,
    compliance_references,
)


def semantic_problems(data: Mapping[str, Any]) -> list[Found]:
    """Every problem the named checks find in the charter mapping ``data``."""
    index = Index.of(data)
    return [found for check in CHECKS for found in check(index)]
