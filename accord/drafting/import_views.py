"""The import page: paste a text or choose a file, preview what Accord reads (a dry run:
nothing is written), then import. The report sits beside the input with every warning,
change and error where it is; a refused import comes back with what was typed (decision
0076), and the chosen rules (tracked changes) as chosen.

A file chosen for a preview is kept on the server for the import that follows, so it
need not be chosen again (decision 0136): under the data directory, named by a random
token that the page carries signed with its time and that only the session which
uploaded it may use, for an hour; then it is refused as expired, and the file removed."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accord.drafting import access, exports, services
from accord.drafting.models import Document
from accord.drafting.reading import ImportReport, parse_text
from accord.errors import ValidationFailed
from accord.formstate import FormState, refused
from accord.process.access import body_access
from accord.process.models import Delegation
from accord.process.selectors import body_list

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NOTHING_GIVEN = ValidationFailed.case(
    "document.import_nothing", _("Paste the text or choose a .docx or .txt file.")
)
TOO_LARGE = ValidationFailed.case("document.import_too_large", _("The file is larger than 20 MB."))
NOT_UTF8 = ValidationFailed.case("document.import_text_not_utf8", _("A text file must be UTF-8."))
NOT_READ = ValidationFailed.case(
    "document.import_not_read", _("Nothing was imported: see the errors beside the text.")
)
UPLOAD_EXPIRED = ValidationFailed.case(
    "document.import_upload_expired",
    _("The file chosen for the preview is kept for an hour: choose it again."),
)
FIELDS = {
    "document.import_upload_expired": "file",
    "document.import_nothing": "content",
    "document.import_too_large": "file",
    "document.import_text_not_utf8": "file",
    "document.import_not_read": "content",
    "document.title_required": "title",
}


UPLOAD_MAX_AGE = 3600  # seconds a previewed file is kept for its import
_UPLOAD_SALT = "drafting.import.upload"
_SESSION_KEY = "drafting_import_uploads"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "drafting"


def _upload_keep(request: HttpRequest, data: bytes, suffix: str) -> str:
    """Keep a previewed file for its import; the signed token the page carries."""
    folder = _upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.iterdir():  # what no import came back for
        if old.stat().st_mtime < now - UPLOAD_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}{suffix}").write_bytes(data)
    kept = dict(request.session.get(_SESSION_KEY, {}))
    kept[token] = suffix
    request.session[_SESSION_KEY] = kept
    return signing.TimestampSigner(salt=_UPLOAD_SALT).sign(token)


def _upload_path(request: HttpRequest, signed: str) -> tuple[str, Path]:
    """The kept file a signed token names, if this session kept it and it is not expired."""
    try:
        token = signing.TimestampSigner(salt=_UPLOAD_SALT).unsign(signed, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise UPLOAD_EXPIRED() from error
    suffix = request.session.get(_SESSION_KEY, {}).get(token)
    path = _upload_dir() / f"{token}{suffix}"
    if not _TOKEN.match(token) or suffix not in (".docx", ".txt") or not path.is_file():
        raise UPLOAD_EXPIRED()
    return token, path


def _upload_forget(request: HttpRequest, signed: str) -> None:
    token, path = _upload_path(request, signed)
    path.unlink(missing_ok=True)
    kept = dict(request.session.get(_SESSION_KEY, {}))
    kept.pop(token, None)
    request.session[_SESSION_KEY] = kept


def _report(request: HttpRequest, process_id: int, values: dict[str, Any]) -> ImportReport:
    """Read what was given (a file, the file kept from the preview, or the pasted text);
    on a preview of a file, keep it and put its token in ``values["upload"]``."""
    parties = access.party_codes(process_id)
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise TOO_LARGE()
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise TOO_LARGE()
        suffix = ".docx" if (upload.name or "").lower().endswith(".docx") else ".txt"
        values["upload_name"] = upload.name or ""
        if "preview" in request.POST:
            values["upload"] = _upload_keep(request, data, suffix)
    elif values.get("upload"):
        _token, path = _upload_path(request, values["upload"])
        data = path.read_bytes()
        suffix = path.suffix
    else:
        content = request.POST.get("content", "")
        if not content.strip():
            raise NOTHING_GIVEN()
        return parse_text(content, parties=parties)
    if suffix == ".docx":
        mode = values.get("changes") if values.get("changes") in ("accept", "propose") else ""
        return exports.docx_import(data, parties=parties, changes=mode or "reject")
    try:
        return parse_text(data.decode("utf-8-sig"), parties=parties)
    except UnicodeDecodeError as error:
        raise NOT_UTF8() from error


def _guess(author: str, delegations: list[Delegation]) -> str:
    """The delegation an author's name names ("Kenya", "KE delegation"), else none."""
    lowered = author.lower()
    words = set(re.findall(r"[\w-]+", lowered))
    for d in delegations:
        names = [n.lower() for n in (d.name, d.short_name) if n]
        if d.code.lower() in words or any(n in lowered for n in names):
            return d.code
    return ""


def _authors(
    request: HttpRequest, report: ImportReport | None, delegations: list[Delegation]
) -> list[dict[str, Any]]:
    """The authors of a .docx's tracked changes, each with the delegation chosen for it
    (as posted, else guessed from the name)."""
    if report is None:
        return []
    out = []
    for index, (author, n) in enumerate(report.authors.items()):
        field = f"author-{index}"
        chosen = request.POST.get(field) if field in request.POST else _guess(author, delegations)
        proposals = sum(1 for t in report.tracked if t.author == author)
        out.append(
            {"field": field, "name": author, "changes": n, "chosen": chosen, "proposals": proposals}
        )
    return out


def _nearest_bracket(text: str, column: int) -> int:
    """The bracket of ``text`` nearest ``column`` (the reader's offsets are rough once a
    marker or a footnote is taken out), or -1."""
    best = -1
    for at, c in enumerate(text):
        if c in "[]" and (best < 0 or abs(at - column) <= abs(best - column)):
            best = at
    return best if best >= 0 and abs(best - column) <= 12 else -1


def source_rows(report: ImportReport | None) -> list[dict[str, Any]]:
    """The text as read, line by line, each problem inside it: the line marked, the
    character marked where the problem is one (a stray bracket), and the located
    sentence under it. Only lines with a problem and one line either side are shown
    (a gap between them is shown as such)."""
    if report is None:
        return []
    problems: dict[int, list[tuple[str, int, bool]]] = {}
    for notice in report.warnings:
        problems.setdefault(notice.line, []).append((str(notice), notice.column, False))
    for error in report.errors:
        line = _located_line(error)
        if line is not None:
            problems.setdefault(line, []).append((error, -1, True))
    if not problems:
        return []
    texts: dict[int, str] = {}
    for line in report.lines:
        texts.setdefault(line.number, line.text)
    shown = sorted({n + d for n in problems for d in (-1, 0, 1) if n + d in texts})
    rows: list[dict[str, Any]] = []
    previous = None
    for number in shown:
        text = texts[number]
        found = problems.get(number, [])
        marks = {
            at
            for _sentence, column, _error in found
            if column >= 0 and (at := _nearest_bracket(text, column)) >= 0
        }
        pieces = [{"text": c, "mark": True} if i in marks else c for i, c in enumerate(text)]
        rows.append(
            {
                "number": number,
                "gap": previous is not None and number != previous + 1,
                "pieces": _joined(pieces),
                "problem": bool(found),
                "error": any(e for _s, _c, e in found),
                "notes": [sentence for sentence, _c, _e in found],
            }
        )
        previous = number
    return rows


def _joined(pieces: list[Any]) -> list[dict[str, Any]]:
    """Runs of plain characters as one piece, each marked character a piece of its own."""
    out: list[dict[str, Any]] = []
    for piece in pieces:
        if isinstance(piece, dict):
            out.append(piece)
        elif out and not out[-1]["mark"]:
            out[-1]["text"] += piece
        else:
            out.append({"text": piece, "mark": False})
    return out


def _located_line(error: str) -> int | None:
    match = re.match(r"^\D{0,12}?(\d+)", error)
    return int(match.group(1)) if match else None


def _context(
    request: HttpRequest,
    form: FormState,
    report: ImportReport | None,
    process_id: int | None = None,
) -> dict[str, Any]:
    actor = request.user
    delegations = (
        list(Delegation.objects.filter(process_id=process_id, kind=Delegation.Kind.PARTY))
        if process_id is not None
        else []
    )
    return {
        "form": form,
        "report": report,
        "counts": report.counts() if report else None,
        "source_rows": source_rows(report),
        "authors": _authors(request, report, delegations),
        "delegations": delegations,
        "bodies": [
            b
            for b in body_list(actor=actor)
            if access.may_create_document(actor, b, Document.Status.FACILITATORS_TEXT)
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST with ``preview``: the report of a dry run beside the text as
    typed. POST: import, or the form again (422) with the errors beside the text."""
    if request.method == "GET":
        return render(request, "drafting/import.html", _context(request, FormState(), None))
    report = None
    process_id = None
    fields = ("body", "title", "content", "changes", "upload", "upload_name")
    values: dict[str, Any] = {k: request.POST.get(k, "") for k in fields}
    try:
        body = body_access(request.user, request.POST.get("body", ""))
        process_id = body.process_id
        report = _report(request, body.process_id, values)
        if "preview" in request.POST or not report.ok:
            if not report.ok:
                raise NOT_READ()
            form = FormState(values=values)
            context = _context(request, form, report, process_id)
            return render(request, "drafting/import.html", context)
        authors = {}
        if values["changes"] == "propose":
            authors = {
                name: request.POST.get(f"author-{i}", "") for i, name in enumerate(report.authors)
            }
        document = services.document_import(
            actor=request.user,
            body_code=body.code,
            title=request.POST.get("title", "") or report.title,
            report=report,
            authors=authors,
        )
    except ValidationFailed as error:
        if error.error_case is UPLOAD_EXPIRED:
            values["upload"] = values["upload_name"] = ""
        form = refused(values, error, FIELDS)
        context = _context(request, form, report, process_id)
        return render(request, "drafting/import.html", context, status=422)
    if values["upload"] and not request.FILES.get("file"):
        _upload_forget(request, values["upload"])
    messages.success(
        request,
        gettext("Imported: {understood}").format(understood="; ".join(report.understood)),
    )
    return redirect("drafting:document", document_id=str(document.public_id))


@login_required
@require_http_methods(["POST"])
def document_renumber(request: HttpRequest, document_id: str) -> HttpResponse:
    """The pen-holder renumbers an imported text: its own revision (decision 0127)."""
    revision = services.document_renumber(actor=request.user, document_id=document_id)
    messages.success(
        request,
        gettext("Renumbered: Rev.{number} records the new numbers.").format(number=revision.number),
    )
    return redirect("drafting:document", document_id=document_id)
