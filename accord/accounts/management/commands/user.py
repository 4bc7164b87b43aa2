"""``accord user``: create people, appoint them, close their access.

accord user create NAME --delegation US [--display-name "..."] [--password-stdin]
accord user appoint NAME ROLE [--body WG-NUC | --mechanism DCC]
accord user deactivate NAME
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from accord.accounts.models import Role, User
from accord.accounts.services import appointment_grant, user_create, user_deactivate
from accord.errors import AccordError
from accord.process.models import Body, Delegation, Mechanism


class Command(BaseCommand):
    help = "Create users, appoint them to roles, deactivate them (every change is an event)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user in a delegation")
        create.add_argument("username")
        create.add_argument("--delegation", required=True, help="delegation code, e.g. US")
        create.add_argument("--process", help="process code (needed if several are loaded)")
        create.add_argument("--display-name", default="")
        create.add_argument("--timezone", default=None)
        create.add_argument(
            "--password-stdin", action="store_true", help="read the password from stdin"
        )
        appoint = sub.add_parser("appoint", help="give a user a role")
        appoint.add_argument("username")
        appoint.add_argument("role", choices=Role.values)
        place = appoint.add_mutually_exclusive_group()
        place.add_argument("--body", help="body code")
        place.add_argument("--mechanism", help="mechanism code")
        deactivate = sub.add_parser("deactivate", help="close a user's access")
        deactivate.add_argument("username")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (AccordError, ValidationError, ValueError) as error:
            message = getattr(error, "message", None) or "; ".join(getattr(error, "messages", []))
            raise CommandError(message or str(error), returncode=1) from error

    def _user(self, username: str) -> User:
        user = User.objects.select_related("delegation").filter(username=username).first()
        if user is None:
            raise CommandError(
                gettext("There is no user {username!r}.").format(username=username), returncode=1
            )
        return user

    def _create(
        self, *, username, delegation, process, display_name, timezone, password_stdin, **_
    ):
        delegations = Delegation.objects.select_related("process").filter(code=delegation)
        if process:
            delegations = delegations.filter(process__code=process)
        if delegations.count() != 1:
            if process:
                message = gettext("No single delegation {delegation!r} in process {process!r}.")
            else:
                message = gettext(
                    "No single delegation {delegation!r}; name the process with --process."
                )
            raise CommandError(message.format(delegation=delegation, process=process), returncode=1)
        if User.objects.filter(username=username).exists():
            raise CommandError(
                gettext("A user {username!r} already exists.").format(username=username),
                returncode=1,
            )
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(
                gettext("Password for {username}: ").format(username=username)
            )
        target = delegations.get()
        user = user_create(
            actor=None,
            username=username,
            password=password,
            delegation=target.code,
            process=target.process.code,
            display_name=display_name,
            timezone_name=timezone or target.timezone,
        )
        self.stdout.write(
            gettext("Created {username} in {delegation}.").format(
                username=user.username, delegation=target.code
            )
        )

    def _appoint(self, *, username, role, body, mechanism, **_):
        user = self._user(username)
        process_id = user.delegation.process_id if user.delegation else None
        place_body = place_mechanism = None
        if body:
            place_body = Body.objects.filter(process_id=process_id, code=body).first()
            if place_body is None:
                raise CommandError(
                    gettext("There is no body {body!r} in {username}'s process.").format(
                        body=body, username=username
                    ),
                    returncode=1,
                )
        if mechanism:
            place_mechanism = Mechanism.objects.filter(
                process_id=process_id, code=mechanism
            ).first()
            if place_mechanism is None:
                raise CommandError(
                    gettext("There is no mechanism {mechanism!r} in {username}'s process.").format(
                        mechanism=mechanism, username=username
                    ),
                    returncode=1,
                )
        appointment_grant(
            actor=None, username=user.username, role=role, body=body, mechanism=mechanism
        )
        where = body or mechanism or gettext("delegation")
        self.stdout.write(f"{username}: {Role(role).label} ({where}).")

    def _deactivate(self, *, username, **_):
        user_deactivate(actor=None, username=self._user(username).username)
        self.stdout.write(
            gettext("{username} can no longer sign in; their API tokens are revoked.").format(
                username=username
            )
        )
