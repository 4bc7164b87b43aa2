"""``accord audit verify|checkpoint|key``: check the event log and sign its head."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accord.events.audit import (
    audit_checkpoint,
    audit_checkpoint_read,
    audit_public_key,
    audit_verify,
)
from accord.events.checkpoint import CheckpointInvalid


class Command(BaseCommand):
    help = _(
        "Verify the event log's hash chain (and signed checkpoints of its head); exit 1 "
        "naming the first bad sequence number. Take a signed checkpoint, or print its key."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse wants a str: the lazy help is translated when the parser is built.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help=str(_("walk the chain from the first event to the last"))
        )
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help=str(_("a checkpoint taken earlier: the log must still reach its event")),
        )
        taking = sub.add_parser(
            "checkpoint", help=str(_("sign the log's head now and write it out (JSON)"))
        )
        taking.add_argument(
            "--output", metavar="FILE", help=str(_("write to FILE instead of the terminal"))
        )
        sub.add_parser("key", help=str(_("print the public key that signs checkpoints")))

    def handle(self, *args, action: str, **options):
        if action == "key":
            self.stdout.write(audit_public_key())
            return
        if action == "checkpoint":
            self._checkpoint(options.get("output"))
            return
        points = [self._read(Path(name)) for name in options["checkpoint"]]
        checked, problem = audit_verify(points)
        if problem is not None:
            raise CommandError(
                ngettext(
                    "Event log tampered with at sequence number {seq}: {reason}. "
                    "{checked} event before it verified.",
                    "Event log tampered with at sequence number {seq}: {reason}. "
                    "{checked} events before it verified.",
                    checked,
                ).format(
                    seq=problem.seq,
                    reason=gettext(problem.template).format(**problem.params),
                    checked=checked,
                ),
                returncode=1,
            )
        if points:
            verified = ngettext(
                "Event log intact: {checked} event verified.",
                "Event log intact: {checked} events verified.",
                checked,
            ).format(checked=checked)
            reached = ngettext(
                "It still reaches the checkpoint given.",
                "It still reaches all {count} checkpoints given.",
                len(points),
            ).format(count=len(points))
            self.stdout.write(f"{verified} {reached}")
            return
        self.stdout.write(
            ngettext(
                "Event log intact: {checked} event verified.",
                "Event log intact: {checked} events verified.",
                checked,
            ).format(checked=checked)
        )

    def _checkpoint(self, output: str | None) -> None:
        import json

        point = audit_checkpoint()
        text = json.dumps(point.as_dict(), indent=2) + "\n"
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(
                _("Cannot write the checkpoint to {path}: {reason}.").format(
                    path=output, reason=error.strerror or error
                ),
                returncode=2,
            ) from None
        self.stdout.write(
            _("Checkpoint of event {seq} written to {path}.").format(seq=point.seq, path=output)
        )

    def _read(self, path: Path):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("Cannot read the checkpoint {path}: {reason}.").format(
                    path=path, reason=getattr(error, "strerror", None) or error
                ),
                returncode=2,
            ) from None
        try:
            return audit_checkpoint_read(text)
        except CheckpointInvalid as problem:
            raise CommandError(
                _("{path} is not a checkpoint of this deployment: {reason}.").format(
                    path=path, reason=problem
                ),
                returncode=2,
            ) from None
