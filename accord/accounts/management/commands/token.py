"""``accord token create USERNAME``: issue an API token (printed once)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accord.accounts.models import User
from accord.accounts.services import token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is not stored in clear)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token")
        create.add_argument("username")
        create.add_argument("--name", default="command line")

    def handle(self, *args, action: str, username: str, name: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("There is no active user {username!r}.").format(username=username),
                returncode=1,
            )
        _token, secret = token_create(actor=user, name=name)
        self.stdout.write(secret)
