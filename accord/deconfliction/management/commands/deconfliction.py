"""``accord deconfliction import FILE [--dry-run] [--json] [--valid-only]``: import sites and
movements from GeoJSON on behalf of a facilitator (``--as USERNAME``).

Prints ``{"features": N, "valid": N, "errors": [{"feature": i, "reason": "..."}], "imported": N}``
with ``--json`` (``i``: the feature's 0-based position in the file). Exits 1 when
anything is in error and nothing was imported; nothing is written when any feature is in
error unless ``--valid-only`` asks for the valid ones.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from accord.accounts.models import User
from accord.deconfliction.services import notifications_import
from accord.errors import AccordError


class Command(BaseCommand):
    help = "De-confliction tools: import notified sites and movements from GeoJSON."
    # The system checks import every URL and view (seconds): `accord check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import sites and movements from a GeoJSON file")
        imp.add_argument("file")
        imp.add_argument("--as", dest="username", required=True, help="a facilitator's username")
        imp.add_argument("--organisation", default=None, help="for features without one")
        imp.add_argument("--dry-run", action="store_true")
        imp.add_argument("--valid-only", action="store_true")
        imp.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action: str, **options):
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(
                gettext("There is no active user {name}.").format(name=options["username"])
            )
        try:
            with open(options["file"], "rb") as handle:
                text = handle.read()
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror or error}") from error
        try:
            report = notifications_import(
                actor=actor,
                text=text,
                organisation=options["organisation"],
                dry_run=options["dry_run"],
                valid_only=options["valid_only"],
            )
        except ValueError as error:
            raise CommandError(f"{options['file']}: {error}") from error
        except AccordError as error:  # who may not notify: refused before any feature
            raise CommandError(str(error)) from error
        if options["as_json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(
                gettext("{features} features, {valid} valid, {imported} imported.").format(
                    **report.as_json()
                )
            )
            for error in report.errors:
                self.stdout.write(gettext("feature {feature}: {reason}").format(**error))
        if report.errors and not report.imported:
            sys.exit(1)
