"""``accord token create USERNAME``: issue an API token (printed once)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accord.accounts.models import TOKEN_DAYS, TokenScope, User
from accord.accounts.services import token_create
from accord.errors import ValidationFailed


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is not stored in clear)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        create.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            choices=TokenScope.values,
            help="what it may change (repeat; default: all)",
        )
        create.add_argument(
            "--days", type=int, default=TOKEN_DAYS, help=f"how long it lives (default {TOKEN_DAYS})"
        )

    def handle(self, *args, action: str, username: str, name: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("There is no active user {username!r}.").format(username=username),
                returncode=1,
            )
        try:
            _token, secret = token_create(
                actor=user, name=name, scopes=options.get("scopes"), days=options["days"]
            )
        except ValidationFailed as refused:
            raise CommandError(refused.message, returncode=2) from None
        self.stdout.write(secret)
