"""Pages of the incident protocol: the list with the report form, an incident's page with
its steps and deadlines, its report formats (text, PDF), and the vessel panel content
(a party's affiliation and annotations of a vessel) the map shows.

Refusals rise to ``accord.web.errors.AccordErrorMiddleware``, except a refused input
(``ValidationFailed``): the form comes back (422) with what was typed and the sentence
beside the field (decision 0076). An action is offered only where its ``may_`` says yes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accord.channels.access import channel_access
from accord.channels.services import MAX_ATTACHMENTS, AttachmentUpload
from accord.dates import moment_parse
from accord.drafting.exports import pdf_from_html
from accord.errors import NotFound, ValidationFailed
from accord.formstate import FormState, refused
from accord.incidents import access, selectors, services
from accord.incidents.models import CATEGORY_LABELS, Affiliation
from accord.incidents.reportformat import ReportKind, report_text
from accord.process.selectors import process_for

CHANNEL = "MCC"
ACTION_NOT_FOUND = NotFound.case("incident.action_not_found", _("There is no such action."))
REPORT_NOT_FOUND = NotFound.case(
    "incident.report_format_not_found", _("There is no such report format.")
)
TIME_INVALID = ValidationFailed.case(
    "incident.time_invalid", _("Give the time of the incident as a date and a time (UTC).")
)
# A number that does not parse is a position out of range; an MMSI not seen, an unknown vessel.
NUMBER_INVALID = services.POSITION_INVALID
MMSI_INVALID = services.VESSEL_UNKNOWN

REPORT_FIELDS = {
    "incident.category_invalid": "category",
    "incident.time_invalid": "occurred_at",
    "incident.occurred_in_future": "occurred_at",
    "date.out_of_range": "occurred_at",
    "incident.position_invalid": "latitude",
    "incident.description_empty": "description",
    "incident.vessel_unknown": "vessels",
}
ACT_FIELDS: dict[str, str] = {}
ANNOTATE_FIELDS = {"vessel_annotation.empty": "text"}
EMPTY = FormState()


def _mcc(request: HttpRequest) -> Any:
    """The maritime channel if the user is one of its members, else None (no refusal:
    the list simply offers no form)."""
    try:
        return channel_access(request.user, CHANNEL)
    except NotFound:
        return None


def _list_context(request: HttpRequest, form: FormState = EMPTY) -> dict[str, Any]:
    mechanism = _mcc(request)
    may_report = mechanism is not None and access.may_report(request.user, mechanism)
    values = dict(form.values)
    encounter = selectors.encounter_for_report(
        actor=request.user, encounter_id=request.GET.get("encounter", "")
    )
    if encounter is not None and not form.refused:
        values = {
            "encounter": str(encounter.public_id),
            "category": "close_approach",
            "occurred_at": (encounter.cpa_at or timezone.now())
            .astimezone(dt.UTC)
            .strftime("%Y-%m-%dT%H:%M"),
            "latitude": encounter.cpa_lat,
            "longitude": encounter.cpa_lon,
            "vessels": f"{encounter.vessel_a.mmsi} {encounter.vessel_b.mmsi}",
        }
    return {
        "process": process_for(request.user),
        "incidents": selectors.incident_list(actor=request.user).prefetch_related("vessels"),
        "may_report": may_report,
        "categories": list(CATEGORY_LABELS.items()),
        "form": FormState(values=values, errors=form.errors, key=form.key),
        "encounter": encounter,
        "now": timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M"),
    }


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    return render(request, "incidents/list.html", _list_context(request))


def _float(text: str) -> float:
    try:
        return float((text or "").strip().replace(",", "."))
    except ValueError:
        raise NUMBER_INVALID() from None


def _vessel_ids(request: HttpRequest, text: str) -> tuple[str, ...]:
    try:
        mmsis = [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise MMSI_INVALID() from None
    found = selectors.vessels_by_mmsi(actor=request.user, mmsis=mmsis)
    if len(found) != len(set(mmsis)):
        raise MMSI_INVALID()
    return tuple(str(v.public_id) for v in found.values())


@login_required
@require_POST
def report(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        moment = moment_parse(post.get("occurred_at", ""), invalid=TIME_INVALID)
        draft = services.ReportDraft(
            category=post.get("category", ""),
            occurred_at=moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC),
            latitude=_float(post.get("latitude", "")),
            longitude=_float(post.get("longitude", "")),
            description=post.get("description", ""),
            vessel_ids=_vessel_ids(request, post.get("vessels", "")),
            encounter_id=post.get("encounter") or None,
        )
        uploads = [
            AttachmentUpload(filename=f.name or "", content=f.read())
            for f in request.FILES.getlist("attachments")[: MAX_ATTACHMENTS + 1]
        ]
        incident = services.incident_report(
            actor=request.user, channel=CHANNEL, draft=draft, attachments=uploads
        )
    except ValidationFailed as error:
        context = _list_context(request, refused(post, error, REPORT_FIELDS))
        return render(request, "incidents/list.html", context, status=422)
    return redirect("incidents:detail", incident_id=incident.public_id)


def _with_affiliations(request: HttpRequest, vessels: list[Any]) -> list[tuple[Any, str, str]]:
    """(vessel, affiliation, its label) as the viewer's party sees each vessel."""
    seen = selectors.affiliations_seen_by(actor=request.user, vessels=vessels)
    return [(v, seen[v.pk], str(Affiliation(seen[v.pk]).label)) for v in vessels]


def _detail_context(request: HttpRequest, incident: Any) -> dict[str, Any]:
    user = request.user
    steps = selectors.incident_steps(actor=user, incident=incident)
    return {
        "i": incident,
        "line": selectors.protocol_line(incident, steps),
        "steps": steps,
        "vessels": _with_affiliations(request, list(incident.vessels.all())),
        "attachments": list(incident.message.attachments.all()),
        "may": {
            "acknowledge": access.may_acknowledge(user, incident),
            "advance": access.may_record_step(user, incident)
            and (
                incident.step != "information_exchanged"
                or access.may_propose_de_escalation(user, incident)
                or access.may_agree_de_escalation(user, incident)
            ),
            "propose": access.may_propose_de_escalation(user, incident),
            "agree": access.may_agree_de_escalation(user, incident),
        },
        "report_kinds": [k.value for k in ReportKind],
    }


@login_required
def detail(request: HttpRequest, incident_id: str) -> HttpResponse:
    incident = access.incident_access(request.user, incident_id)
    return render(request, "incidents/detail.html", _detail_context(request, incident))


@login_required
@require_POST
def act(request: HttpRequest, incident_id: str, action: str) -> HttpResponse:
    """Acknowledge the report, or record the next step (its note goes on the channel)."""
    incident = access.incident_access(request.user, incident_id)
    note = request.POST.get("note", "")
    if action == "acknowledge":
        services.incident_acknowledge(
            actor=request.user, incident_id=incident.public_id, reply=note
        )
    elif action == "advance":
        services.incident_advance(actor=request.user, incident_id=incident.public_id, note=note)
    else:
        raise ACTION_NOT_FOUND()
    return redirect("incidents:detail", incident_id=incident.public_id)


@login_required
def report_export(request: HttpRequest, incident_id: str, kind: str, fmt: str) -> HttpResponse:
    """The initial, update or final report as text or PDF."""
    incident = access.incident_access(request.user, incident_id)
    try:
        report_kind = ReportKind(kind)
    except ValueError:
        raise REPORT_NOT_FOUND() from None
    if fmt not in ("txt", "pdf"):
        raise REPORT_NOT_FOUND()
    steps = selectors.incident_steps(actor=request.user, incident=incident)
    built = selectors.report_build(incident=incident, steps=steps, kind=report_kind)
    name = f"{incident.code}-{report_kind.value}"
    if fmt == "txt":
        response = HttpResponse(report_text(built), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.txt"'
        return response
    html = render_to_string("incidents/report_pdf.html", {"report": built}, request=request)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# --- the vessel panel -------------------------------------------------------------------


def _panel_context(request: HttpRequest, vessel: Any, form: FormState = EMPTY) -> dict[str, Any]:
    user = request.user
    mechanism = _mcc(request)
    annotations = list(selectors.annotation_list(actor=user, vessel=vessel))
    return {
        "vessel": vessel,
        "affiliation": selectors.affiliation_of(actor=user, vessel=vessel),
        "affiliations": Affiliation.choices,
        "annotations": [
            (a, mechanism is not None and access.may_share_annotation(user, a, mechanism))
            for a in annotations
        ],
        "incidents": selectors.incidents_of_vessel(actor=user, vessel=vessel)[:10],
        "may_annotate": access.may_annotate(user),
        "form": form,
    }


@login_required
def vessel_panel(request: HttpRequest, vessel_id: str) -> HttpResponse:
    """The panel's content for one vessel (a fragment the map loads, or a page)."""
    vessel = access.vessel_access(request.user, vessel_id)
    template = "incidents/vessel_panel.html" if request.htmx else "incidents/vessel.html"
    return render(request, template, _panel_context(request, vessel))


@login_required
@require_POST
def vessel_affiliate(request: HttpRequest, vessel_id: str) -> HttpResponse:
    vessel = access.vessel_access(request.user, vessel_id)
    services.vessel_affiliation_set(
        actor=request.user,
        vessel_id=vessel.public_id,
        affiliation=request.POST.get("affiliation", ""),
    )
    return redirect("incidents:vessel", vessel_id=vessel.public_id)


@login_required
@require_POST
def vessel_annotate(request: HttpRequest, vessel_id: str) -> HttpResponse:
    vessel = access.vessel_access(request.user, vessel_id)
    try:
        services.vessel_annotation_write(
            actor=request.user, vessel_id=vessel.public_id, text=request.POST.get("text", "")
        )
    except ValidationFailed as error:
        context = _panel_context(request, vessel, refused(request.POST, error, ANNOTATE_FIELDS))
        return render(request, "incidents/vessel.html", context, status=422)
    return redirect("incidents:vessel", vessel_id=vessel.public_id)


@login_required
@require_POST
def annotation_share(request: HttpRequest, annotation_id: str) -> HttpResponse:
    row = services.vessel_annotation_share(
        actor=request.user, annotation_id=annotation_id, channel=CHANNEL
    )
    return redirect("incidents:vessel", vessel_id=row.vessel.public_id)
