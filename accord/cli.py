"""The ``accord`` console script: Django's management commands under one name.

``accord charter validate FILE``, ``accord audit verify``, ``accord sweep``,
``accord serve`` and ``accord demo`` are management commands of the apps; this
wrapper saves typing ``python manage.py``, and stops with one sentence and exit
status 2 when the installation cannot start (a missing or weak secret, a database
that is missing, refuses or does not answer: ``accord/installation.py``) instead of a
traceback.
"""

import os
import sys
from pathlib import Path

# Commands that never touch the database: no reason to refuse them for it.
WITHOUT_DATABASE = {("help",), ("--help",), ("-h",), ("version",), ("--version",)}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    arguments = sys.argv[1:]
    from accord.installation import ConfigurationError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  (reads the settings: secrets, mode)
        if not _without_database(arguments):
            problem = _database_problem(settings)
            if problem:
                raise ConfigurationError(problem[0].upper() + problem[1:])
    except ConfigurationError as error:
        print(f"accord: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    execute_from_command_line(["accord", *arguments])


def _without_database(arguments: list[str]) -> bool:
    if not arguments or tuple(arguments[:1]) in WITHOUT_DATABASE:
        return True
    return arguments[:2] == ["charter", "validate"]


def _database_problem(settings) -> str | None:
    from accord.installation import database_problem

    return database_problem(os.environ.get("DATABASE_URL"), Path(settings.DATA_DIR))
