"""API for the analysis: a text's issues, a party's own preferences and consent, and for
the facilitators the frontier, the solutions and tabling a package as a non-paper."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord import pagination
from accord.analysis import access, issues, selectors, services
from accord.analysis.models import NonPaper, Preference

router = Router(tags=["analysis"])


class OptionOut(Schema):
    key: str
    text: str
    sponsors: list[str]


class IssueOut(Schema):
    key: str
    source: str
    label: str
    options: list[OptionOut]


class PreferencesIn(Schema):
    weights: dict[str, int] = Field(default_factory=dict)
    scores: dict[str, int] = Field(default_factory=dict)
    reservation: int | None = None


class PreferencesOut(Schema):
    party: str
    weights: dict[str, int]
    scores: dict[str, int]
    reservation: int
    shared: bool
    unscored: list[str]


class ConsentIn(Schema):
    consent: bool


class PointOut(Schema):
    utilities: dict[str, float]
    package: list[str]  # option keys, one per issue
    count: int


class SolutionOut(Schema):
    solution: str
    point: PointOut | None


class FrontierOut(Schema):
    parties: list[str]
    missing: list[str]
    issues: list[IssueOut]
    frontier: list[PointOut]
    solutions: list[SolutionOut]
    current: PointOut | None
    current_pareto_optimal: bool
    chosen: PointOut | None
    improvements: list[PointOut]
    zopa: bool
    zopa_points: list[PointOut]
    reservations: dict[str, float]


class PackageIn(Schema):
    package: list[int]
    solution: str = ""


class NonPaperOut(Schema):
    id: str
    source: str
    document: str
    package: list[dict[str, str]]
    provenance: dict


def _issue_out(issue: issues.Issue) -> dict:
    return {
        "key": issue.key,
        "source": issue.source,
        "label": issue.label,
        "options": [
            {"key": o.key, "text": o.text, "sponsors": list(o.sponsors)} for o in issue.options
        ],
    }


def _preferences_out(row: Preference, found: list[issues.Issue]) -> dict:
    prefs = issues.PartyPreferences(row.delegation.code, row.weights, row.scores, row.reservation)
    return {
        "party": row.delegation.code,
        "weights": {i.key: prefs.weight(i) for i in found},
        "scores": {o.key: prefs.score(o) for i in found for o in i.options},
        "reservation": row.reservation,
        "shared": row.consented_at is not None,
        "unscored": sorted(prefs.unscored(found)),
    }


@router.get(
    "/documents/{document_id}/issues",
    response=list[IssueOut],
    summary=_("A text's open issues: its option sets and open divergences"),
)
def issue_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    document_id: str,
):
    document = access.document_access(request.user, document_id)
    found = selectors.document_issues(actor=request.user, document=document)
    return [
        _issue_out(i)
        for i in pagination.api_list(request, response, found, page=page, list_name="issues")
    ]


@router.get(
    "/documents/{document_id}/preferences",
    response=PreferencesOut | None,
    summary=_("Your delegation's own confidential preferences on a text"),
)
def preference_get(request: HttpRequest, document_id: str):
    document = access.document_access(request.user, document_id)
    row = selectors.preference_own(actor=request.user, document=document)
    if row is None:
        return None
    found = selectors.document_issues(actor=request.user, document=document)
    return _preferences_out(row, found)


@router.put(
    "/documents/{document_id}/preferences",
    response=PreferencesOut,
    summary=_("State your delegation's preferences (weights, scores, reservation value)"),
)
def preference_put(request: HttpRequest, document_id: str, data: PreferencesIn):
    row = services.preference_save(
        actor=request.user,
        document_id=document_id,
        weights=data.weights,
        scores=data.scores,
        reservation=data.reservation,
    )
    found = selectors.document_issues(actor=request.user, document=row.document)
    return _preferences_out(row, found)


@router.post(
    "/documents/{document_id}/consent",
    response=PreferencesOut,
    summary=_("Share your preferences with the facilitators only, or withdraw consent"),
)
def preference_consent(request: HttpRequest, document_id: str, data: ConsentIn):
    row = services.preference_share(
        actor=request.user, document_id=document_id, consent=data.consent
    )
    found = selectors.document_issues(actor=request.user, document=row.document)
    return _preferences_out(row, found)


def _point(a: selectors.Analysis, utilities: list[float], package: tuple[int, ...], count: int):
    return {
        "utilities": dict(zip(a.parties, utilities, strict=True)),
        "package": [o.key for _i, o in a.labels(package)],
        "count": count,
    }


@router.get(
    "/documents/{document_id}/frontier",
    response=FrontierOut,
    summary=_("The Pareto frontier, bargaining solutions and ZOPA (facilitators only)"),
)
def frontier(request: HttpRequest, document_id: str, package: str = ""):
    document = access.analysis_access(request.user, document_id)
    chosen = None
    if package:
        try:
            chosen = [int(x) for x in package.split(",")]
        except ValueError:
            chosen = None
    a = selectors.analysis_of(actor=request.user, document=document, package=chosen)
    out: dict = {
        "parties": a.parties,
        "missing": a.missing,
        "issues": [_issue_out(i) for i in a.issues],
        "frontier": [],
        "solutions": [],
        "current": None,
        "current_pareto_optimal": False,
        "chosen": None,
        "improvements": [],
        "zopa": False,
        "zopa_points": [],
        "reservations": {},
    }
    if not a.ready:
        return out
    out.update(
        {
            "frontier": [_point(a, a.shares(p), p.package, p.count) for p in a.frontier],
            "solutions": [
                {
                    "solution": s.key,
                    "point": _point(a, s.shares, s.point.package, s.point.count)
                    if s.point
                    else None,
                }
                for s in a.solutions
            ],
            "current": _point(a, a.current_shares, a.current, 1),
            "current_pareto_optimal": a.current_optimal,
            "chosen": _point(a, a.chosen_shares, a.chosen, 1),
            "improvements": [_point(a, a.shares(p), p.package, p.count) for p in a.improvements],
            "zopa": bool(a.zopa),
            "zopa_points": [_point(a, a.shares(p), p.package, p.count) for p in a.zopa],
            "reservations": dict(zip(a.parties, a.reservations, strict=True)),
        }
    )
    return out


def _non_paper_out(row: NonPaper) -> dict:
    return {
        "id": str(row.public_id),
        "source": str(row.source.public_id),
        "document": str(row.document.public_id),
        "package": row.package,
        "provenance": row.provenance,
    }


@router.post(
    "/documents/{document_id}/non-papers",
    response={201: NonPaperOut},
    summary=_("Table a package as a facilitators' non-paper (facilitators only)"),
)
def package_table(request: HttpRequest, document_id: str, data: PackageIn):
    row = services.package_table(
        actor=request.user, document_id=document_id, package=data.package, solution=data.solution
    )
    return Status(201, _non_paper_out(row))


@router.get(
    "/non-papers/{non_paper_id}",
    response=NonPaperOut,
    summary=_("Where a tabled package came from (facilitators only)"),
)
def non_paper_get(request: HttpRequest, non_paper_id: str):
    return _non_paper_out(access.non_paper_access(request.user, non_paper_id))
