"""``accord restore FILE``: load a backup, then prove the restored log is whole."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accord.backup import BackupFailed, backup_restore


class Command(BaseCommand):
    help = _(
        "Restore a backup written by `accord backup` into the configured database, then "
        "verify the event log's hash chain and the head the backup names. Stop the "
        "server first."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=str(_("the backup file to read")))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=str(_("replace a database that already holds an event log")),
        )

    def handle(self, *args, file: str, replace: bool, **options):
        try:
            _head, verified = backup_restore(Path(file), replace=replace)
        except BackupFailed as failure:
            raise CommandError(str(failure), returncode=2) from None
        self.stdout.write(
            ngettext(
                "Restored from {path}: event log intact, {verified} event verified.",
                "Restored from {path}: event log intact, {verified} events verified.",
                verified,
            ).format(path=file, verified=verified)
        )
