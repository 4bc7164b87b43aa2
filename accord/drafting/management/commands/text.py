"""``accord text import FILE --body CODE --as USER [--title T] [--dry-run] [--json]
[--accept-changes]`` and ``accord text export PUBLIC_ID --format docx|akn|txt|pdf|redline
[--rev N] [--against REV] --as USER -o FILE``.

The import prints the report (every warning, change and error with its line); with
``--json`` one object (``ImportReport.summary``). Exit 0 when imported (warnings
allowed), 1 when nothing could be imported. Both act as ``--as``, through the same
services and access as the page and the API.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accord.drafting import access, exports, selectors, services
from accord.drafting.reading import ImportReport, parse_text
from accord.errors import AccordError
from accord.process.access import body_access


class Command(BaseCommand):
    help = "Import a negotiating text (.docx or text) or export one."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import a .docx or a text file.")
        imp.add_argument("file")
        imp.add_argument("--body", required=True, help="The owning body's code")
        imp.add_argument("--as", dest="user", required=True, help="Who imports (username)")
        imp.add_argument("--title", default="")
        imp.add_argument("--dry-run", action="store_true", help="Only report; write nothing")
        imp.add_argument("--json", action="store_true", help="One JSON object on stdout")
        imp.add_argument(
            "--accept-changes",
            action="store_true",
            help="Accept a .docx's tracked changes (default: reject them)",
        )
        imp.add_argument(
            "--author",
            action="append",
            default=[],
            metavar="NAME=CODE",
            help="Make a .docx author's tracked changes proposals of delegation CODE "
            "(repeatable; the text is then the text before the changes)",
        )
        exp = sub.add_parser("export", help="Export a text or a revision.")
        exp.add_argument("document")
        exp.add_argument(
            "--format", required=True, choices=["docx", "akn", "txt", "pdf", "redline"]
        )
        exp.add_argument("--rev", type=int, default=None, help="A revision number (Rev. N)")
        exp.add_argument("--against", type=int, default=None, help="For redline: Rev. to compare")
        exp.add_argument("--as", dest="user", required=True, help="Who exports (username)")
        exp.add_argument("-o", dest="output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"There is no user {options['user']!r}.") from error
        if options["action"] == "import":
            self._import(user, options)
        else:
            self._export(user, options)

    def _import(self, user: Any, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        authors = dict(a.rpartition("=")[::2] for a in options["author"])
        try:
            body = body_access(user, options["body"])
            parties = access.party_codes(body.process_id)
            data = path.read_bytes()
            if path.suffix.lower() == ".docx":
                changes = "accept" if options["accept_changes"] else "reject"
                report = exports.docx_import(
                    data, parties=parties, changes="propose" if authors else changes
                )
            else:
                report = parse_text(data.decode("utf-8-sig"), parties=parties)
            document_id = None
            if report.ok and not options["dry_run"]:
                document = services.document_import(
                    actor=user,
                    body_code=body.code,
                    title=options["title"] or report.title,
                    report=report,
                    authors=authors,
                )
                document_id = str(document.public_id)
        except (OSError, UnicodeDecodeError) as error:
            report = ImportReport(errors=[f"{path}: {error}"])
            document_id = None
        except AccordError as error:
            report = ImportReport(errors=[str(error.message)])
            document_id = None
        self._print(report, document_id, as_json=options["json"])
        if not report.ok:
            sys.exit(1)

    def _print(self, report: ImportReport, document_id: str | None, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report.summary(document_id), ensure_ascii=False))
            return
        for line in report.understood:
            self.stdout.write(line)
        for label, notices in (("warning", report.warnings), ("change", report.changes)):
            for notice in notices:
                self.stdout.write(f"{label}: {notice}")
        for error in report.errors:
            self.stderr.write(f"error: {error}")
        self.stdout.write(f"{report.rule}")
        if document_id:
            self.stdout.write(f"imported: {document_id}")

    def _export(self, user: Any, options: dict[str, Any]) -> None:
        document = access.document_access(user, options["document"])

        def snapshot(number: int | None) -> Any:
            if number is None:
                return selectors.document_snapshot(document)
            return selectors.revision_get(actor=user, document=document, number=number).snapshot

        fmt, rev = options["format"], options["rev"]
        label = f"Rev.{rev}" if rev else ""
        if fmt == "txt":
            out: bytes = exports.text_export(snapshot(rev)).encode()
        elif fmt == "docx":
            out = exports.docx_export(snapshot(rev), revision=label)
        elif fmt == "pdf":
            from django.utils.formats import date_format

            from accord.drafting.export_views import document_pdf

            if rev:
                revision = selectors.revision_get(actor=user, document=document, number=rev)
                note, issued = revision.note, date_format(revision.issued_at, "j M Y")
            else:
                note, issued = "", date_format(timezone.now(), "j M Y")
            names = {p.code: str(p) for p in selectors.party_list(actor=user)}
            out = document_pdf(
                document,
                snapshot(rev),
                selectors.sponsor_colours(actor=user),
                {"label": label or "current text", "issued": issued, "note": note, "names": names},
            )
        elif fmt == "akn":
            out = exports.akn_export(
                snapshot(rev),
                revision=label,
                body=document.body.code,
                document_id=str(document.public_id),
            )
        else:
            if options["against"] is None:
                raise CommandError("A redline needs --against REV.")
            out = exports.redline_docx(
                snapshot(options["against"]),
                snapshot(rev),
                author=label or "current text",
                date=timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
        Path(options["output"]).write_bytes(out)
        self.stdout.write(f"{options['output']}: {len(out)} bytes")
