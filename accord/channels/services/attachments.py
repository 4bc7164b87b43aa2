"""Attachments: what a sender may attach, checked by content before anything is stored.

The bytes are sniffed (``filetype``): a file whose bytes are not what its extension
says, HTML/SVG dressed as text, an empty file or one over the charter's
``attachment_max_bytes`` is refused. Stored attachments are written with their message
(``services.messages``), signed by their hash.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext_lazy as _

from accord.errors import ValidationFailed

ATTACHMENT_TOO_LARGE = ValidationFailed.case(
    "channel_attachment.too_large",
    _("The attachment {name!r} is larger than the {limit:,} bytes allowed."),
)
ATTACHMENT_EMPTY = ValidationFailed.case(
    "channel_attachment.empty", _("The attachment {name!r} is empty.")
)
ATTACHMENT_TYPE_REFUSED = ValidationFailed.case(
    "channel_attachment.type_refused",
    _(
        "The attachment {name!r} is not one of the accepted types (PDF, PNG, JPEG, GIF, "
        "WebP, plain text, DOCX, XLSX, ZIP)."
    ),
)
ATTACHMENT_EXTENSION_LIES = ValidationFailed.case(
    "channel_attachment.extension_lies",
    _("The attachment {name!r} has the extension .{ext} but its content is {actual}."),
)
ATTACHMENT_NAME_INVALID = ValidationFailed.case(
    "channel_attachment.name_invalid", _("An attachment needs a file name with an extension.")
)
ATTACHMENT_BASE64_INVALID = ValidationFailed.case(
    "channel_attachment.base64_invalid", _("The attachment {name!r} is not valid base64.")
)
TOO_MANY_ATTACHMENTS = ValidationFailed.case(
    "channel_attachment.too_many", _("A message can carry at most 5 attachments.")
)

MAX_ATTACHMENTS = 5
# Extension -> the content types its bytes may sniff as (None: no magic number; text).
ACCEPTED_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf",),
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "zip": ("application/zip",),
    "txt": ("text/plain",),
}


@dataclass(frozen=True)
class AttachmentUpload:
    filename: str
    content: bytes


@dataclass(frozen=True)
class CheckedAttachment:
    filename: str
    content_type: str
    content: bytes
    sha256: str


def attachment_upload_from_base64(filename: str, content_base64: str) -> AttachmentUpload:
    """An upload from the API's base64 form; bad base64 is refused naming the file."""
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (ValueError, TypeError):
        raise ATTACHMENT_BASE64_INVALID(name=filename) from None
    return AttachmentUpload(filename=filename, content=content)


def attachments_check(uploads: list[AttachmentUpload], *, limit: int) -> list[CheckedAttachment]:
    """Every upload of one message checked (at most ``MAX_ATTACHMENTS``)."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise TOO_MANY_ATTACHMENTS()
    return [attachment_check(upload, limit=limit) for upload in uploads]


def attachment_check(upload: AttachmentUpload, *, limit: int) -> CheckedAttachment:
    """Sniff the bytes; refuse unknown types, lying extensions and oversized files."""
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    if "." not in name or name.startswith("."):
        raise ATTACHMENT_NAME_INVALID()
    ext = name.rsplit(".", 1)[1].lower()
    if not upload.content:
        raise ATTACHMENT_EMPTY(name=name)
    if len(upload.content) > limit:
        raise ATTACHMENT_TOO_LARGE(name=name, limit=limit)
    accepted = ACCEPTED_TYPES.get(ext)
    if accepted is None:
        raise ATTACHMENT_TYPE_REFUSED(name=name)
    kind = filetype.guess(upload.content)
    if ext == "txt":
        content_type = _text_checked(upload.content, name=name, kind=kind)
    else:
        actual = kind.mime if kind is not None else _("of an unknown type")
        if kind is None or kind.mime not in accepted:
            raise ATTACHMENT_EXTENSION_LIES(name=name, ext=ext, actual=actual)
        content_type = kind.mime
    return CheckedAttachment(
        filename=name,
        content_type=content_type,
        content=upload.content,
        sha256=hashlib.sha256(upload.content).hexdigest(),
    )


def _text_checked(content: bytes, *, name: str, kind: filetype.Type | None) -> str:
    """The content type of a ``.txt`` upload: UTF-8 text with no magic number and no
    markup a browser would render."""
    if kind is not None:
        raise ATTACHMENT_EXTENSION_LIES(name=name, ext="txt", actual=kind.mime)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        raise ATTACHMENT_EXTENSION_LIES(name=name, ext="txt", actual=_("not UTF-8 text")) from None
    head = content[:512].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml")):
        raise ATTACHMENT_EXTENSION_LIES(name=name, ext="txt", actual=_("HTML/XML markup"))
    return "text/plain; charset=utf-8"
