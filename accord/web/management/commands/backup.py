"""``accord backup FILE``: the database and a manifest of its event log, in one file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accord.backup import BackupFailed, backup_write


class Command(BaseCommand):
    help = _(
        "Write a consistent backup of the database (SQLite online backup or pg_dump) "
        "with a manifest of the event log's head to FILE; the server may keep running."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=str(_("the backup file to write")))

    def handle(self, *args, file: str, **options):
        try:
            head = backup_write(Path(file))
        except BackupFailed as failure:
            raise CommandError(str(failure), returncode=2) from None
        self.stdout.write(
            ngettext(
                "Backup written to {path}: {events} event.",
                "Backup written to {path}: {events} events.",
                head.events,
            ).format(path=file, events=head.events)
            + " "
            + _(
                "The secrets are not in it: keep them (the environment, or the data "
                "directory's secrets.json) apart."
            )
        )
