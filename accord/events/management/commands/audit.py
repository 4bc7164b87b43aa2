"""``accord audit verify``: check the event log's hash chain."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accord.events.audit import audit_verify


class Command(BaseCommand):
    help = _("Verify the event log's hash chain; exit 1 naming the first bad sequence number.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse wants a str: the lazy help is translated when the parser is built.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help=_("walk the chain from the first event to the last"))

    def handle(self, *args, action: str, **options):
        checked, problem = audit_verify()
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
        self.stdout.write(
            ngettext(
                "Event log intact: {checked} event verified.",
                "Event log intact: {checked} events verified.",
                checked,
            ).format(checked=checked)
        )
