"""Pages of the analysis: the texts with open issues, a party's own preferences (sliders,
consent), and the facilitators' frontier (tables, SVG charts, tabling a package).

Refusals rise to ``accord.web.errors.AccordErrorMiddleware``; a page offers an action
only where its ``access.may_`` predicate says the service would accept it. A party asking
for the frontier is answered as if there were none (``access.analysis_access``).
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord.analysis import access, chart, issues, selectors, services

FRONTIER_ROWS = 200  # the table's rows; the chart and the API show every point
COLOURS = {
    "nash": "#b26a00",
    "kalai_smorodinsky": "#8e24aa",
    "egalitarian": "#00838f",
    "current": "#c62828",
    "chosen": "#1b7a3a",
}


def solution_names() -> dict[str, str]:
    return {
        "nash": _("Nash bargaining solution"),
        "kalai_smorodinsky": _("Kalai-Smorodinsky"),
        "egalitarian": _("Egalitarian (max-min)"),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = [
        {
            "document": document,
            "issues": count,
            "may_state": access.may_state_preferences(user, document),
            "may_analyse": access.may_analyse(user, document),
        }
        for document, count in selectors.document_list(actor=user)
    ]
    return render(request, "analysis/index.html", {"rows": rows})


def _preference_rows(
    found: list[issues.Issue], prefs: issues.PartyPreferences | None
) -> list[dict[str, Any]]:
    shares = prefs.weights_normalised(found) if prefs else []
    unscored = prefs.unscored(found) if prefs else set()
    out = []
    for n, issue in enumerate(found):
        out.append(
            {
                "issue": issue,
                "weight": prefs.weight(issue) if prefs else issues.SCALE // 2,
                "share": round(100 * shares[n]) if shares else None,
                "options": [
                    {
                        "option": o,
                        "score": prefs.score(o) if prefs else 0,
                        "new": prefs is not None and o.key in unscored,
                    }
                    for o in issue.options
                ],
            }
        )
    return out


@login_required
def preferences(request: HttpRequest, document_id: str) -> HttpResponse:
    user = request.user
    document = access.document_access(user, document_id)
    if request.method == "POST":
        _save(request, document_id, request.POST)
        return redirect("analysis:preferences", document_id=document.public_id)
    found = selectors.document_issues(actor=user, document=document)
    row = selectors.preference_own(actor=user, document=document)
    prefs = (
        issues.PartyPreferences(row.delegation.code, row.weights, row.scores, row.reservation)
        if row
        else None
    )
    pairs = (
        list(itertools.combinations(range(len(found)), 2))
        if 2 <= len(found) <= issues.MAX_PAIRWISE_ISSUES
        else []
    )
    context = {
        "document": document,
        "rows": _preference_rows(found, prefs),
        "pairs": [{"name": f"pair-{i}-{j}", "a": found[i], "b": found[j]} for i, j in pairs],
        "pair_choices": pair_choices(),
        "pref": row,
        "reservation": row.reservation if row else 0,
        "may_state": access.may_state_preferences(user, document),
        "may_share": row is not None and access.may_share_preferences(user, document),
        "may_analyse": access.may_analyse(user, document),
    }
    return render(request, "analysis/preferences.html", context)


def _save(request: HttpRequest, document_id: str, data: QueryDict) -> None:
    weights = {k[2:]: v for k, v in data.items() if k.startswith("w-")}
    scores = {k[2:]: v for k, v in data.items() if k.startswith("s-")}
    services.preference_save(
        actor=request.user,
        document_id=document_id,
        weights=weights,
        scores=scores,
        reservation=data.get("reservation"),
    )


def pair_choices() -> list[tuple[int, str]]:
    """The answers to "which matters more?", as indexes into ``issues.PAIR_RATIOS``."""
    return [
        (0, _("the first, much more")),
        (1, _("the first, more")),
        (2, _("equally")),
        (3, _("the second, more")),
        (4, _("the second, much more")),
    ]


@login_required
@require_POST
def pairwise(request: HttpRequest, document_id: str) -> HttpResponse:
    """Issue weights from pairwise comparisons (normalised, then saved as the sliders)."""
    document = access.document_access(request.user, document_id)
    found = selectors.document_issues(actor=request.user, document=document)
    ratios: dict[tuple[int, int], float] = {}
    for key, value in request.POST.items():
        parts = key.split("-")
        if len(parts) != 3 or parts[0] != "pair" or not value.isdigit():
            continue
        i, j, answer = int(parts[1]), int(parts[2]), int(value)
        if 0 <= answer < len(issues.PAIR_RATIOS):
            ratios[(i, j)] = issues.PAIR_RATIOS[answer]
    weights = issues.weights_from_pairs(len(found), ratios)
    services.preference_save(
        actor=request.user,
        document_id=document_id,
        weights={i.key: w for i, w in zip(found, weights, strict=True)},
        scores={},
    )
    return redirect("analysis:preferences", document_id=document.public_id)


@login_required
@require_POST
def share(request: HttpRequest, document_id: str) -> HttpResponse:
    services.preference_share(
        actor=request.user, document_id=document_id, consent=request.POST.get("consent") == "1"
    )
    return redirect("analysis:preferences", document_id=document_id)


def _chosen(request: HttpRequest) -> list[int] | None:
    raw = request.GET.get("package", "")
    if not raw:
        return None
    try:
        return [int(x) for x in raw.split(",")]
    except ValueError:
        return None


def _charts(analysis: selectors.Analysis) -> list[str]:
    """One chart for two parties, one per pair for more (the frontier projected)."""
    names = solution_names()
    out = []
    for a, b in itertools.combinations(range(len(analysis.parties)), 2):
        points = [(s[a], s[b]) for s in (analysis.shares(p) for p in analysis.frontier)]
        # Solutions often coincide: a diamond and two rings of different sizes stay visible.
        shapes = {"nash": ("diamond", 6.0), "kalai_smorodinsky": ("circle", 9.0)}
        marks = [
            chart.Mark(
                names[s.key],
                s.shares[a],
                s.shares[b],
                COLOURS[s.key],
                *shapes.get(s.key, ("circle", 13.0)),
            )
            for s in analysis.solutions
            if s.point is not None
        ]
        marks.append(
            chart.Mark(
                _("The text as it stands"),
                analysis.current_shares[a],
                analysis.current_shares[b],
                COLOURS["current"],
                "square",
            )
        )
        if analysis.chosen != analysis.current:
            marks.append(
                chart.Mark(
                    _("Chosen package"),
                    analysis.chosen_shares[a],
                    analysis.chosen_shares[b],
                    COLOURS["chosen"],
                )
            )
        x, y = analysis.parties[a], analysis.parties[b]
        out.append(
            chart.pareto_svg(
                points,
                x_label=_("Utility of {party}").format(party=x),
                y_label=_("Utility of {party}").format(party=y),
                title=_("Pareto frontier: {a} and {b}").format(a=x, b=y),
                marks=marks,
                reservation=(analysis.reservations[a], analysis.reservations[b]),
                frontier_label=_("Pareto frontier"),
            )
        )
    return out


def _package_rows(analysis: selectors.Analysis, package: tuple[int, ...]) -> list[dict[str, Any]]:
    return [{"issue": i, "option": o} for i, o in analysis.labels(package)]


@login_required
def frontier(request: HttpRequest, document_id: str) -> HttpResponse:
    user = request.user
    document = access.analysis_access(user, document_id)
    analysis = selectors.analysis_of(actor=user, document=document, package=_chosen(request))
    names = solution_names()
    context: dict[str, Any] = {
        "document": document,
        "a": analysis,
        "may_table": access.may_table_package(user, document),
        "non_papers": selectors.non_paper_list(actor=user, document=document),
    }
    if analysis.ready:
        context.update(
            {
                # The charts escape every text they draw.
                "charts": [mark_safe(svg) for svg in _charts(analysis)],  # noqa: S308
                "solutions": [
                    {
                        "key": s.key,
                        "name": names[s.key],
                        "shares": s.shares,
                        "package": ",".join(map(str, s.point.package)) if s.point else "",
                        "rows": _package_rows(analysis, s.point.package) if s.point else [],
                    }
                    for s in analysis.solutions
                ],
                "frontier_rows": [
                    {
                        "shares": analysis.shares(p),
                        "package": ",".join(map(str, p.package)),
                        "count": p.count,
                        "in_zopa": p in analysis.zopa,
                    }
                    for p in analysis.frontier[:FRONTIER_ROWS]
                ],
                "frontier_more": max(0, len(analysis.frontier) - FRONTIER_ROWS),
                "improvements": [
                    {"shares": analysis.shares(p), "package": ",".join(map(str, p.package))}
                    for p in analysis.improvements
                ],
                "chosen_rows": _package_rows(analysis, analysis.chosen),
                "chosen_by_party": list(zip(analysis.parties, analysis.chosen_shares, strict=True)),
                "reservations_by_party": list(
                    zip(analysis.parties, analysis.reservations, strict=True)
                ),
                "chosen_package": ",".join(map(str, analysis.chosen)),
                "current_package": ",".join(map(str, analysis.current)),
            }
        )
    return render(request, "analysis/frontier.html", context)


@login_required
@require_POST
def table(request: HttpRequest, document_id: str) -> HttpResponse:
    raw = request.POST.get("package", "")
    try:
        package = [int(x) for x in raw.split(",")] if raw else []
    except ValueError:
        package = []
    row = services.package_table(
        actor=request.user,
        document_id=document_id,
        package=package,
        solution=request.POST.get("solution", ""),
    )
    return redirect("drafting:document", document_id=row.document.public_id)
