"""Pages of the communication channels."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from accord.channels import selectors, services
from accord.channels.models import Attachment
from accord.channels.settings import Precedence
from accord.errors import AccordError, NotFound

MAX_UPLOAD_FILES = services.MAX_ATTACHMENTS


def _not_found(request: HttpRequest, error: AccordError) -> HttpResponse:
    return render(request, "channels/not_found.html", {"error": error.message}, status=404)


@login_required
def channel_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "channels/index.html", {"channels": selectors.channel_list(actor=request.user)}
    )


@login_required
def channel_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        mechanism = services.channel_for(actor=request.user, code=code)
        items = selectors.message_latest(actor=request.user, channel=code)
        roster = selectors.duty_roster(actor=request.user, channel=code)
        topics = list(selectors.topic_list(actor=request.user, channel=code))
    except NotFound as error:
        return _not_found(request, error)
    services.messages_mark_delivered(actor=request.user, messages=items)
    side = request.user.delegation
    roles = services.member_roles(request.user, mechanism)
    can_send = bool(roles - {"observer"}) and side in mechanism.delegations.all()
    may_ack = services.may_acknowledge_any(request.user, mechanism)
    rows = [
        {
            "message": m,
            "can_ack": may_ack and m.acknowledged_at is None and m.to_delegation_id == side.pk,
        }
        for m in items
    ]
    context = {
        "channel": mechanism,
        "rows": rows,
        "roster": roster,
        "topics": topics,
        "side": side,
        "can_send": can_send,
        "may_ack_as_side": may_ack,
        "precedences": [p.value for p in Precedence],
        "client_id": uuid.uuid4().hex,
        "others": [d for d in mechanism.delegations.all() if d != side],
        "side_members": services.side_members(mechanism, side) if side else [],
    }
    return render(request, "channels/detail.html", context)


@login_required
@require_POST
def message_send(request: HttpRequest, code: str) -> HttpResponse:
    uploads = [
        services.AttachmentUpload(filename=f.name or "", content=f.read())
        for f in request.FILES.getlist("attachments")[: MAX_UPLOAD_FILES + 1]
    ]
    topic = request.POST.get("topic") or None
    try:
        services.message_send(
            actor=request.user,
            channel=code,
            text=request.POST.get("text", ""),
            precedence=request.POST.get("precedence", "ROUTINE"),
            client_id=request.POST.get("client_id", ""),
            language=request.POST.get("language") or None,
            to=request.POST.get("to") or None,
            topic_id=topic,
            attachments=uploads,
        )
    except NotFound as error:
        return _not_found(request, error)
    except AccordError as error:
        flash.error(request, error.message)
    return redirect("channels:detail", code=code)


@login_required
@require_POST
def message_acknowledge(request: HttpRequest, code: str, message_id: str) -> HttpResponse:
    try:
        services.message_acknowledge(
            actor=request.user, message_id=message_id, reply=request.POST.get("reply") or None
        )
    except NotFound as error:
        return _not_found(request, error)
    except AccordError as error:
        flash.error(request, error.message)
    return redirect("channels:detail", code=code)


@login_required
@require_POST
def message_translate(request: HttpRequest, code: str, message_id: str) -> HttpResponse:
    try:
        services.translation_add(
            actor=request.user,
            message_id=message_id,
            language=request.POST.get("language", ""),
            text=request.POST.get("text", ""),
        )
    except NotFound as error:
        return _not_found(request, error)
    except AccordError as error:
        flash.error(request, error.message)
    return redirect("channels:detail", code=code)


@login_required
@require_POST
def topic_create(request: HttpRequest, code: str) -> HttpResponse:
    try:
        services.topic_create(actor=request.user, channel=code, title=request.POST.get("title", ""))
    except NotFound as error:
        return _not_found(request, error)
    except AccordError as error:
        flash.error(request, error.message)
    return redirect("channels:detail", code=code)


@login_required
@require_POST
def handover(request: HttpRequest, code: str) -> HttpResponse:
    try:
        services.duty_handover(
            actor=request.user,
            channel=code,
            officer=request.POST.get("officer", ""),
            backup=request.POST.get("backup") or None,
            note=request.POST.get("note", ""),
        )
    except NotFound as error:
        return _not_found(request, error)
    except AccordError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, "The watch was handed over.")
    return redirect("channels:detail", code=code)


@login_required
def health(request: HttpRequest, code: str) -> HttpResponse:
    try:
        report = selectors.channel_health(actor=request.user, channel=code)
    except NotFound as error:
        return _not_found(request, error)
    return render(request, "channels/health.html", {"report": report, "channel": report.channel})


@login_required
def transcript_json(request: HttpRequest, code: str) -> HttpResponse:
    try:
        transcript = selectors.transcript_build(actor=request.user, channel=code)
    except NotFound as error:
        return _not_found(request, error)
    body = json.dumps(transcript, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transcript-{code}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def transcript_pdf(request: HttpRequest, code: str) -> HttpResponse:
    try:
        transcript = selectors.transcript_build(actor=request.user, channel=code)
    except NotFound as error:
        return _not_found(request, error)
    from weasyprint import HTML

    html = render_to_string("channels/transcript_pdf.html", {"t": transcript})
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="transcript-{code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def attachment_download(request: HttpRequest, attachment_id: str) -> HttpResponse:
    """Always a download, never rendered: a file from the other side is not a page."""
    try:
        attachment: Attachment = selectors.attachment_get(
            actor=request.user, attachment_id=attachment_id
        )
    except NotFound as error:
        raise Http404(error.message) from None
    content_type = attachment.content_type
    if content_type.startswith("text/"):
        content_type = "text/plain; charset=utf-8"
    response = HttpResponse(bytes(attachment.data), content_type=content_type)
    safe_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in attachment.filename)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
