"""``accord sweep``: run the deadline sweeper once (e.g. from cron) and print the counts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accord.sweeper import ERRORS, run_sweep


class Command(BaseCommand):
    help = _("Apply every consequence whose deadline has passed, once, and print the counts.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse wants a str: the lazy help is translated when the parser is built.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = run_sweep()
        errors = counts.pop(ERRORS)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        if errors:
            # A non-zero exit tells cron or a supervisor that something needs a look.
            raise CommandError(
                ngettext(
                    "{errors} sweep failed; see the log for the traceback.",
                    "{errors} sweeps failed; see the log for the tracebacks.",
                    errors,
                ).format(errors=errors)
            )
