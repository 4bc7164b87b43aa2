"""``accord charter validate FILE`` and ``accord charter load FILE``.

Problems go to stderr one per line as ``FILE:LINE: PATH: MESSAGE`` (the format editors
and CI annotate), and the command exits with status 1, without a traceback.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accord.accounts.models import User
from accord.errors import AccordError
from accord.process.charter import Charter, CharterInvalid, charter_read
from accord.process.services import CharterLoadResult, charter_load


class Command(BaseCommand):
    help = "Validate a process charter, or load it into the database."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate", help="check a charter file; write nothing")
        validate.add_argument("file")
        load = sub.add_parser("load", help="create or update the process a charter declares")
        load.add_argument("file")
        load.add_argument("--actor", help="username recorded as the actor of the events")

    def handle(self, *args: Any, action: str, file: str, **options: Any) -> None:
        try:
            if action == "validate":
                self.stdout.write(_charter_summary(charter_read(file)))
            else:
                actor = _actor(options.get("actor"))
                self.stdout.write(_load_summary(file, charter_load(path=file, actor=actor)))
        except CharterInvalid as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file}: problems found: {len(error.problems)}.", returncode=1
            ) from None
        except AccordError as error:
            raise CommandError(error.message, returncode=1) from None


def _actor(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            _("There is no active user {username!r}.").format(username=username), returncode=1
        )
    return user


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _charter_summary(charter: Charter) -> str:
    parts = ", ".join(
        (
            _count(len(charter.parties), "party", "parties"),
            _count(len(charter.facilitators), "facilitator", "facilitators"),
            _count(len(charter.bodies), "body", "bodies"),
            _count(len(charter.mechanisms), "mechanism", "mechanisms"),
            _count(len(charter.roadmap.milestones), "milestone", "milestones"),
        )
    )
    return (
        f"{charter.filename}: valid charter of {charter.framework.name!r} ({charter.code}): "
        f"{parts}, over a {charter.roadmap.length_days}-day roadmap.\nsha256 {charter.sha256}"
    )


def _load_summary(file: str, result: CharterLoadResult) -> str:
    lines = [f"{file}: process {result.process.code!r} {result.status}."]
    for name, counts in result.counts().items():
        parts = ", ".join(f"{count} {what}" for what, count in counts.items() if count)
        lines.append(f"  {name}: {parts or 'none'}")
    lines.append(f"sha256 {result.sha256}")
    return "\n".join(lines)
