"""``accord demo``: set up the embedded default and serve it.

Migrates the SQLite database, loads the default charter, creates the demo cast (every
role) and each app's demo content, prints the accounts and the password, then runs
``accord serve`` (the ASGI server with the deadline sweeper). Safe to run again:
nothing is duplicated.
"""

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_lazy as _

from accord.accounts.demo import DEMO_PASSWORD, demo_accounts_ensure
from accord.analysis import demo as analysis_demo
from accord.channels import demo as channels_demo
from accord.compliance import demo as compliance_demo
from accord.deconfliction import demo as deconfliction_demo
from accord.divergences import demo as divergences_demo
from accord.drafting import demo as drafting_demo
from accord.drafting import demo_imported as drafting_demo_imported
from accord.drafting import demo_languages as drafting_demo_languages
from accord.errors import AccordError
from accord.maritime import demo as maritime_demo
from accord.meetings import demo as meetings_demo
from accord.process.services import charter_load
from accord.web import year

# Apps that bring demo content: each has ``demo.py`` with ``demo_content_ensure(process=)``,
# idempotent, called after the demo accounts exist, in this order.
DEMO_CONTENT = (
    drafting_demo,
    drafting_demo_imported,
    drafting_demo_languages,
    meetings_demo,
    divergences_demo,
    channels_demo,
    analysis_demo,
    compliance_demo,
    maritime_demo,
    deconfliction_demo,
)
DEMO_EXEMPTIONS = ("ACCORD_DEMO_WITHOUT_PASSWORD_POLICY", "ACCORD_DEMO_WITHOUT_SECOND_FACTOR")


def _year_size(scale: str | None) -> year.Year | None:
    """The year ``--scale`` asks for: ``year`` (the full year) or ``year:F`` (a fraction)."""
    if scale is None:
        return None
    name, _sep, factor = scale.partition(":")
    try:
        fraction = float(factor) if factor else 1.0
    except ValueError:
        fraction = 0.0
    if name != "year" or not 0 < fraction <= 1:
        raise CommandError(_("--scale takes 'year' or 'year:F' with F from 0 to 1."))
    return year.Year().scaled(fraction)


class Command(BaseCommand):
    help = _("Set up the demo (database, default charter, demo accounts) and serve it.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse wants a str: the lazy help is translated when the parser is built.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--charter", default=str(settings.ACCORD_DEFAULT_CHARTER))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--setup-only", action="store_true", help=_("do not serve"))
        parser.add_argument(
            "--scale",
            default=None,
            help=_("'year': add a year of talks (about 200,000 events; 'year:0.1' a tenth)"),
        )

    def handle(
        self,
        *args,
        charter: str,
        host: str,
        port: int | None,
        setup_only: bool,
        scale: str | None = None,
        **opts,
    ):
        size = _year_size(scale)
        # The demo's accounts keep the printed password and need no second factor (its
        # server processes read these too); production refuses every ACCORD_DEMO_*.
        if not settings.PRODUCTION:
            for exemption in DEMO_EXEMPTIONS:
                os.environ[exemption] = "1"
                setattr(settings, exemption, True)
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = charter_load(path=charter)
        except AccordError as error:
            raise CommandError(str(error), returncode=1) from error
        process = result.process
        self.stdout.write(_("Charter: {name} ({path})").format(name=process.name, path=charter))
        accounts = demo_accounts_ensure(process=process)
        for app in DEMO_CONTENT:
            app.demo_content_ensure(process=process)
        if size is not None:
            self._seed_year(size)
        self.stdout.write("")
        self.stdout.write(
            _("Demo accounts (password for all: {password}):").format(password=DEMO_PASSWORD)
        )
        for account in accounts:
            roles = "; ".join(account.roles) or "—"
            self.stdout.write(f"  {account.username:<16} {account.delegation or '':<4} {roles}")
        if setup_only:
            return
        serve_options = {"host": host}
        if port is not None:
            serve_options["port"] = port
        # The synthetic Strait moves while the demo serves (stopped with the process).
        maritime_demo.demo_feed_start(process=process)
        call_command("serve", **serve_options)

    def _seed_year(self, size: year.Year) -> None:
        """A year of talks on top of the demo, through the services, once (again would
        add a second year: the demo's own content is idempotent, the year is not)."""
        from accord.notes.models import InternalNote

        if InternalNote.objects.filter(text__startswith="Note 0: follow up").exists():
            self.stdout.write(_("A year of talks is already seeded: not adding another."))
            return
        self.stdout.write(_("Seeding a year of talks through the services:"))
        took = year.seed(size, out=self.stdout.write)
        self.stdout.write(
            _("A year of talks seeded: {events} events in {seconds} s.").format(
                events=f"{int(took['events']):,}", seconds=f"{took['total']:.0f}"
            )
        )
