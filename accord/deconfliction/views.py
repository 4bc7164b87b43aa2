"""Pages of the de-confliction mechanism: the overview (what is notified, what waits), a
notification (its receipts: received, which is not approved), a party's own checks, and
violation reports.

Refusals rise to ``accord.web.errors.AccordErrorMiddleware``, except a refused input
(``ValidationFailed``): the page comes back (422) with what was typed and the sentence
(decision 0076). Actions are offered only where their ``access.may_`` says yes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accord import pagination
from accord.accounts import access as accounts_access
from accord.channels.services.attachments import AttachmentUpload
from accord.deconfliction import access, exports, selectors, services
from accord.deconfliction.models import Notification, ViolationReport
from accord.errors import NotFound, ValidationFailed
from accord.formstate import FormState, refused
from accord.geo.selectors import geography_of

ACTION_NOT_FOUND = NotFound.case("deconfliction.action_not_found", _("There is no such action."))
MOMENT_INVALID = ValidationFailed.case(
    "deconfliction.moment_invalid", _("Give a date and time, e.g. 2026-12-03T08:00Z.")
)
FIELDS = {
    "deconfliction.geometry_invalid": "geometry",
    "deconfliction.geometry_type": "geometry",
    "deconfliction.buffer_invalid": "buffer_m",
    "deconfliction.window_invalid": "ends_at",
    "deconfliction.window_needed": "starts_at",
    "deconfliction.notice_too_short": "starts_at",
    "deconfliction.corridor_needed": "buffer_m",
    "deconfliction.moment_invalid": "starts_at",
    "deconfliction.text_needed": "title",
}
EMPTY = FormState()
PENDING_SHOWN = 50


def _moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = parse_datetime(text.strip())
    if value is None:
        raise MOMENT_INVALID()
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _missing_moment() -> dt.datetime:
    raise MOMENT_INVALID()


def _float(text: str | None) -> float:
    try:
        return float(text or 0)
    except ValueError:
        return -1.0


def _pending(user: Any) -> list[Any]:
    """The receipts ``user`` may acknowledge, soonest due first (at most ``PENDING_SHOWN``),
    the predicate asked once per mechanism and side (not once per receipt)."""
    asked: dict[tuple[int, int], bool] = {}
    found = []
    for receipt in selectors.receipts_pending(actor=user)[:PENDING_SHOWN]:
        key = (receipt.notification.mechanism_id, receipt.delegation_id)
        if key not in asked:
            asked[key] = access.may_acknowledge_for(
                user, receipt.notification.mechanism, receipt.delegation
            )
        if asked[key]:
            found.append(receipt)
    return found


def _overview_context(request: HttpRequest, form: FormState = EMPTY) -> dict[str, Any]:
    user = request.user
    delegation = accounts_access.delegation_of(user)
    process_id = delegation.process_id if delegation else None
    page = pagination.page_of(
        selectors.notification_list(actor=user),
        list_name="notifications",
        order=selectors.NOTIFICATION_ORDER,
        cursor=request.GET.get("cursor"),
    )
    return {
        "notifications": page.items,
        "page": page,
        "organisations": selectors.organisation_list(actor=user),
        "pending": _pending(user),
        "determinations": selectors.determination_list(actor=user),
        "statistics": selectors.check_statistics(actor=user),
        "may_notify": access.may_notify(user, process_id),
        "may_plan": access.may_plan(user, process_id),
        "site_types": Notification.SiteType.choices,
        "form": form,
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "deconfliction/overview.html", _overview_context(request))


@login_required
@require_POST
def organisation_new(request: HttpRequest) -> HttpResponse:
    services.organisation_register(
        actor=request.user,
        name=request.POST.get("name", ""),
        contact=request.POST.get("contact", ""),
    )
    return redirect("deconfliction:overview")


@login_required
@require_POST
def notification_new(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        row = services.notification_submit(
            actor=request.user,
            organisation_id=post.get("organisation"),
            kind=post.get("kind", ""),
            title=post.get("title", ""),
            geometry=post.get("geometry", ""),
            buffer_m=_float(post.get("buffer_m")),
            site_type=post.get("site_type", ""),
            starts_at=_moment(post.get("starts_at")),
            ends_at=_moment(post.get("ends_at")),
            vehicles=post.get("vehicles", ""),
            contact=post.get("contact", ""),
            emergency=post.get("emergency") == "1",
        )
    except ValidationFailed as error:
        context = _overview_context(request, refused(post, error, FIELDS))
        return render(request, "deconfliction/overview.html", context, status=422)
    return redirect("deconfliction:notification", public_id=row.public_id)


def _local(moment: dt.datetime | None) -> str:
    """``moment`` as a ``datetime-local`` input holds it (UTC, to the minute)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M") if moment else ""


def _amend_values(row: Notification) -> dict[str, Any]:
    """The amendment form filled with what ``row`` says now."""
    return {
        "title": row.title,
        "site_type": row.site_type,
        "geometry": json.dumps(row.geometry),
        "buffer_m": f"{row.buffer_m:g}",
        "starts_at": _local(row.starts_at),
        "ends_at": _local(row.ends_at),
        "vehicles": row.vehicles,
        "contact": row.contact,
        "emergency": "1" if row.emergency else "",
    }


def _notification_context(
    request: HttpRequest, row: Notification, amend: FormState | None = None
) -> dict[str, Any]:
    user = request.user
    receipts = list(selectors.receipts_of(actor=user, notification=row))
    own = accounts_access.delegation_of(user)
    mine = next((r for r in receipts if own and r.delegation_id == own.pk), None)
    may_amend = access.may_amend(user, row)
    return {
        "n": row,
        "receipts": receipts,
        "amendments": list(selectors.amendments_of(actor=user, notification=row)),
        "previous": (
            selectors.notification_list(actor=user).filter(pk=row.supersedes_id).first()
            if row.supersedes_id
            else None
        ),
        "may": {
            "transmit": access.may_transmit(user, row),
            "withdraw": access.may_withdraw(user, row),
            "acknowledge": mine is not None and access.may_acknowledge(user, mine),
            "amend": may_amend,
        },
        "amend": amend or (FormState(values=_amend_values(row)) if may_amend else EMPTY),
        "site_types": Notification.SiteType.choices,
    }


@login_required
def notification(request: HttpRequest, public_id: str) -> HttpResponse:
    row = access.notification_access(request.user, public_id)
    return render(request, "deconfliction/notification.html", _notification_context(request, row))


@login_required
@require_POST
def notification_amend(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record an amendment of a notification (the facilitators, while ``may_amend``): a
    new notification that supersedes this one once it is transmitted."""
    post = request.POST
    row = access.notification_access(request.user, public_id)
    try:
        amendment = services.notification_submit(
            actor=request.user,
            organisation_id=row.organisation.public_id,
            kind=row.kind,
            title=post.get("title", ""),
            geometry=post.get("geometry", ""),
            buffer_m=_float(post.get("buffer_m")),
            site_type=post.get("site_type", ""),
            starts_at=_moment(post.get("starts_at")),
            ends_at=_moment(post.get("ends_at")),
            vehicles=post.get("vehicles", ""),
            contact=post.get("contact", ""),
            emergency=post.get("emergency") == "1",
            supersedes_id=row.public_id,
        )
    except ValidationFailed as error:
        context = _notification_context(request, row, refused(post, error, FIELDS))
        return render(request, "deconfliction/notification.html", context, status=422)
    return redirect("deconfliction:notification", public_id=amendment.public_id)


@login_required
@require_POST
def notification_act(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    user = request.user
    if action == "transmit":
        services.notification_transmit(actor=user, notification_id=public_id)
    elif action == "acknowledge":
        services.notification_acknowledge(actor=user, notification_id=public_id)
    elif action == "withdraw":
        services.notification_withdraw(
            actor=user, notification_id=public_id, reason=request.POST.get("reason", "")
        )
    else:
        raise ACTION_NOT_FOUND()
    return redirect("deconfliction:notification", public_id=public_id)


EXPORTS = {
    "geojson": ("application/geo+json", exports.as_geojson),
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "kml": ("application/vnd.google-earth.kml+xml", None),
}


@login_required
def notifications_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """What the reader may see of every notification, as GeoJSON, CSV (WKT) or KML."""
    if fmt not in EXPORTS:
        raise ACTION_NOT_FOUND()
    content_type, write = EXPORTS[fmt]
    rows = selectors.export_rows(actor=request.user)
    if write is None:
        body = exports.as_kml(rows, name=str(_("Notified sites and movements")))
    else:
        body = write(rows)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="notifications.{fmt}"'
    return response


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    delegation = accounts_access.delegation_of(request.user)
    mechanism = access.mechanism_of(delegation.process_id if delegation else None)
    area = geography_of(mechanism).area
    bounds = ",".join(str(v) for v in area.geometry.bounds) if area else ""
    return render(request, "deconfliction/map.html", {"mechanism": mechanism, "bounds": bounds})


@login_required
def map_json(request: HttpRequest) -> JsonResponse:
    delegation = accounts_access.delegation_of(request.user)
    mechanism = access.mechanism_of(delegation.process_id if delegation else None)
    return JsonResponse(selectors.map_layers(actor=request.user, mechanism=mechanism))


def _checks_context(
    request: HttpRequest, form: FormState = EMPTY, activity_form: FormState = EMPTY
) -> dict[str, Any]:
    user = request.user
    delegation = accounts_access.delegation_of(user)
    own_checks = list(selectors.check_list(actor=user)[:50])
    chosen = request.GET.get("check")
    shown = next((c for c in own_checks if str(c.public_id) == chosen), None)
    shown = shown or (own_checks[0] if own_checks else None)
    conflicts = [
        {
            **c,
            "overlap_from": dt.datetime.fromisoformat(c["overlap_from"]),
            "overlap_until": dt.datetime.fromisoformat(c["overlap_until"]),
        }
        for c in (shown.conflicts if shown else [])
    ]
    activities = pagination.page_of(
        selectors.activity_list(actor=user),
        list_name="activities",
        order=("-recorded_at", "-id"),
        cursor=request.GET.get("cursor"),
    )
    return {
        "checks": own_checks,
        "shown": shown,
        "conflicts": conflicts,
        "activities": activities.items,
        "page": activities,
        "may_plan": access.may_plan(user, delegation.process_id if delegation else None),
        "form": form,
        "activity_form": activity_form,
    }


@login_required
def checks(request: HttpRequest) -> HttpResponse:
    """A party's own checks: check an area and window, or one of its planned activities."""
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("activity"):
                result = services.conflict_check(
                    actor=request.user, activity_id=post.get("activity")
                )
            else:
                result = services.conflict_check(
                    actor=request.user,
                    geometry=post.get("geometry", ""),
                    buffer_m=_float(post.get("buffer_m")),
                    planned_from=_moment(post.get("planned_from")),
                    planned_until=_moment(post.get("planned_until")),
                )
        except ValidationFailed as error:
            context = _checks_context(request, form=refused(post, error, FIELDS))
            return render(request, "deconfliction/checks.html", context, status=422)
        return redirect(f"{request.path}?check={result.public_id}")
    return render(request, "deconfliction/checks.html", _checks_context(request))


@login_required
@require_POST
def activity_new(request: HttpRequest) -> HttpResponse:
    """Record a planned activity of the reader's party (internal to it)."""
    post = request.POST
    try:
        services.activity_record(
            actor=request.user,
            title=post.get("title", ""),
            geometry=post.get("geometry", ""),
            buffer_m=_float(post.get("buffer_m")),
            starts_at=_moment(post.get("starts_at")) or _missing_moment(),
            ends_at=_moment(post.get("ends_at")) or _missing_moment(),
        )
    except ValidationFailed as error:
        context = _checks_context(request, activity_form=refused(post, error, FIELDS))
        return render(request, "deconfliction/checks.html", context, status=422)
    return redirect("deconfliction:checks")


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EMPTY
    status = 200
    if request.method == "POST":
        post = request.POST
        uploads = [AttachmentUpload(f.name, f.read()) for f in request.FILES.getlist("evidence")]
        try:
            row = services.violation_report(
                actor=user,
                occurred_at=_moment(post.get("occurred_at")) or dt.datetime.now(dt.UTC),
                location=post.get("location", ""),
                place=post.get("place", ""),
                description=post.get("description", ""),
                evidence=uploads,
            )
        except ValidationFailed as error:
            form, status = (
                refused(post, error, {**FIELDS, "deconfliction.geometry_invalid": "location"}),
                422,
            )
        else:
            return redirect("deconfliction:report", public_id=row.public_id)
    delegation = accounts_access.delegation_of(user)
    page = pagination.page_of(
        selectors.report_list(actor=user),
        list_name="reports",
        order=selectors.REPORT_ORDER,
        cursor=request.GET.get("cursor"),
    )
    context = {
        "reports": page.items,
        "page": page,
        "determinations": selectors.determination_list(actor=user),
        "may_report": access.may_report_violation(
            user, delegation.process_id if delegation else None
        ),
        "form": form,
    }
    return render(request, "deconfliction/reports.html", context, status=status)


def _report_context(
    request: HttpRequest, row: ViolationReport, evidence_form: FormState = EMPTY
) -> dict[str, Any]:
    user = request.user
    steps = {
        ViolationReport.Status.RECEIVED: ["review"],
        ViolationReport.Status.UNDER_REVIEW: ["determine"],
        ViolationReport.Status.DETERMINED: ["remedy", "close"],
        ViolationReport.Status.REMEDY_SOUGHT: ["close"],
    }
    return {
        "r": row,
        "evidence": selectors.evidence_of(actor=user, report=row),
        "steps": steps.get(row.status, []) if access.may_review(user, row) else [],
        "findings": ViolationReport.Finding.choices,
        "may_publish": access.may_publish(user, row),
        "may_add_evidence": access.may_add_evidence(user, row),
        "evidence_form": evidence_form,
    }


@login_required
def report(request: HttpRequest, public_id: str) -> HttpResponse:
    row = access.report_access(request.user, public_id)
    return render(request, "deconfliction/report.html", _report_context(request, row))


@login_required
@require_POST
def evidence_new(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add an evidence file to a report (the reporting side or the chairs); its SHA-256
    is shown beside it."""
    row = access.report_access(request.user, public_id)
    upload = request.FILES.get("evidence")
    try:
        services.evidence_add(
            actor=request.user,
            report_id=row.public_id,
            upload=AttachmentUpload(upload.name, upload.read())
            if upload
            else AttachmentUpload("", b""),
        )
    except ValidationFailed as error:
        context = _report_context(request, row, refused(request.POST, error, {}))
        return render(request, "deconfliction/report.html", context, status=422)
    return redirect("deconfliction:report", public_id=row.public_id)


@login_required
@require_POST
def report_act(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    user = request.user
    if action == "publish":
        services.determination_publish(
            actor=user, report_id=public_id, summary=request.POST.get("text", "")
        )
    elif action in ("review", "determine", "remedy", "close"):
        services.violation_step(
            actor=user,
            report_id=public_id,
            step=action,
            finding=request.POST.get("finding", ""),
            text=request.POST.get("text", ""),
        )
    else:
        raise ACTION_NOT_FOUND()
    return redirect("deconfliction:report", public_id=public_id)


@login_required
def evidence_download(request: HttpRequest, public_id: str) -> HttpResponse:
    item = access.evidence_access(request.user, public_id)
    response = HttpResponse(bytes(item.data), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{item.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
