"""The ``accord`` console script: Django's management commands under one name.

``accord charter validate FILE``, ``accord audit verify``, ``accord sweep``,
``accord serve`` and ``accord demo`` are management commands of the apps; this
wrapper only saves typing ``python manage.py``.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["accord", *sys.argv[1:]])
