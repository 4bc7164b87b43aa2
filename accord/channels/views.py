"""Pages of the communication channels.

Refusals rise to ``accord.web.errors.AccordErrorMiddleware`` (no try/except here): a
refused form goes back to the channel page (its ``next`` field) with the sentence as a
message, a missing or hidden thing is the error page with 404. Pages are reads: they
record no receipt (the page's script posts them, decision 0056).
"""

from __future__ import annotations

import json
import uuid

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord import pagination
from accord.accounts.models import User
from accord.channels import access, selectors, services
from accord.channels.settings import Precedence
from accord.errors import ValidationFailed
from accord.events.describe import WORDS
from accord.formstate import FormState, refused

MAX_UPLOAD_FILES = services.MAX_ATTACHMENTS


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    return user


@login_required
def channel_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "channels/index.html", {"channels": selectors.channel_list(actor=_user(request))}
    )


@login_required
def channel_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "channels/detail.html", _detail_context(request, code))


def _detail_context(request: HttpRequest, code: str, send: FormState | None = None) -> dict:
    """The channel page; ``send``: the send form as a refusal left it (decision 0076)."""
    send = send or FormState()
    user = _user(request)
    mechanism = access.channel_access(user, code)
    # The newest page of messages by default, "Older" back through the record; shown
    # oldest first, as a conversation reads (new ones are added live at the bottom).
    page = pagination.page_of(
        selectors.message_page_rows(actor=user, channel=code),
        list_name=f"channel:{code}",
        order=("-seq", "-id"),
        cursor=request.GET.get("cursor"),
    )
    items = list(reversed(page.items))
    roster = selectors.duty_roster(actor=user, channel=code)
    topics = list(selectors.topic_list(actor=user, channel=code))
    side = access.side_of(user, mechanism)
    may_ack = access.may_acknowledge_for_side(user, mechanism)
    rows = [
        {
            "message": m,
            "can_ack": may_ack and m.acknowledged_at is None and m.to_delegation_id == side.pk,
        }
        if side is not None
        else {"message": m, "can_ack": False}
        for m in items
    ]
    context = {
        "channel": mechanism,
        "rows": rows,
        "page": page,
        # Only the newest page takes new messages live; an older one stays as it was.
        "newest_page": page.newer is None,
        "roster": roster,
        "topics": topics,
        "side": side or user.delegation,
        "can_send": access.may_send(user, mechanism),
        "can_open_topic": access.may_open_topic(user, mechanism),
        "may_ack_as_side": may_ack,
        "precedences": [p.value for p in Precedence],
        "writes_in": send.values.get("language") or user.writes_in,
        # A refused send keeps its client id: sending it again is the same message.
        "client_id": send.values.get("client_id") or uuid.uuid4().hex,
        "send": send,
        "chosen_precedence": send.values.get("precedence") or "ROUTINE",
        "others": [d for d in mechanism.delegations.all() if d != side],
        "side_members": list(access.side_members(mechanism, side)) if side else [],
        "js_strings": _script_strings(),
    }
    return context


def _script_strings() -> dict[str, str]:
    """The page script's words, translated here (it has no catalogue of its own)."""
    return {
        "acknowledge": _("Acknowledge"),
        "optional_reply": _("Optional reply"),
        "reply": _("Reply"),
        "reply_precedence": _("Precedence of the reply"),
        "reply_language": _("Language of the reply"),
        "link_test": _("Link test"),
        "acknowledge_by": _("acknowledge by {time}"),
        "by": _("by {who}"),
        "escalated": _("escalated to {to}"),
        **{f"escalated_to_{rung}": _(words) for rung, words in WORDS["escalated_to"].items()},
        "time_zone": timezone.get_current_timezone_name(),
        "alarm_title": _("{precedence} from {side}:"),
        "alarm_title_more": _("{precedence} from {side} (+{more} more):"),
        "click_for_sound": _("(click anywhere to hear the alarm)"),
        "could_not_acknowledge": _("Could not acknowledge."),
        "bytes": _("{size} bytes, {type}"),
    }


@login_required
@require_POST
def message_send(request: HttpRequest, code: str) -> HttpResponse:
    uploads = [
        services.AttachmentUpload(filename=f.name or "", content=f.read())
        for f in request.FILES.getlist("attachments")[: MAX_UPLOAD_FILES + 1]
    ]
    try:
        services.message_send(
            actor=_user(request),
            channel=code,
            text=request.POST.get("text", ""),
            precedence=request.POST.get("precedence", "ROUTINE"),
            client_id=request.POST.get("client_id", ""),
            language=request.POST.get("language") or None,
            to=request.POST.get("to") or None,
            topic_id=request.POST.get("topic") or None,
            attachments=uploads,
        )
    except ValidationFailed as error:
        # The page again, with what was typed and the sentence beside the form.
        send = refused(request.POST, error, {})
        return render(
            request, "channels/detail.html", _detail_context(request, code, send), status=422
        )
    return redirect("channels:detail", code=code)


@login_required
@require_POST
def message_acknowledge(request: HttpRequest, code: str, message_id: str) -> HttpResponse:
    services.message_acknowledge(
        actor=_user(request),
        message_id=message_id,
        reply=request.POST.get("reply") or None,
        reply_precedence=request.POST.get("reply_precedence") or None,
        reply_language=request.POST.get("reply_language") or None,
    )
    return redirect("channels:detail", code=code)


@login_required
@require_POST
def message_translate(request: HttpRequest, code: str, message_id: str) -> HttpResponse:
    services.translation_add(
        actor=_user(request),
        message_id=message_id,
        language=request.POST.get("language", ""),
        text=request.POST.get("text", ""),
    )
    return redirect("channels:detail", code=code)


@login_required
@require_POST
def topic_create(request: HttpRequest, code: str) -> HttpResponse:
    services.topic_create(actor=_user(request), channel=code, title=request.POST.get("title", ""))
    return redirect("channels:detail", code=code)


@login_required
@require_POST
def handover(request: HttpRequest, code: str) -> HttpResponse:
    services.duty_hand_over(
        actor=_user(request),
        channel=code,
        officer=request.POST.get("officer", ""),
        backup=request.POST.get("backup") or None,
        note=request.POST.get("note", ""),
    )
    flash.success(request, _("The watch was handed over."))
    return redirect("channels:detail", code=code)


@login_required
def health(request: HttpRequest, code: str) -> HttpResponse:
    report = selectors.channel_health(actor=_user(request), channel=code)
    return render(request, "channels/health.html", {"report": report, "channel": report.channel})


@login_required
def transcript_json(request: HttpRequest, code: str) -> HttpResponse:
    transcript = selectors.transcript_build(actor=_user(request), channel=code)
    body = json.dumps(transcript, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transcript-{code}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def transcript_pdf(request: HttpRequest, code: str) -> HttpResponse:
    transcript = selectors.transcript_build(actor=_user(request), channel=code)
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
    attachment = access.attachment_access(_user(request), attachment_id)
    content_type = attachment.content_type
    if content_type.startswith("text/"):
        content_type = "text/plain; charset=utf-8"
    response = HttpResponse(bytes(attachment.data), content_type=content_type)
    safe_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in attachment.filename)
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
