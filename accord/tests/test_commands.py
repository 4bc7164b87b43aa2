"""Every accord management command answers ``--help`` (a lazy help text is a str by then)."""

import pytest
from django.core.management import get_commands, load_command_class

ACCORD_COMMANDS = sorted(
    (name, app) for name, app in get_commands().items() if app.startswith("accord")
)


def test_the_accord_commands_are_found():
    names = {name for name, _app in ACCORD_COMMANDS}
    assert {"demo", "serve", "sweep", "audit", "charter", "channel", "token", "user"} <= names


@pytest.mark.parametrize(("name", "app"), ACCORD_COMMANDS)
def test_every_accord_command_has_a_help(name, app):
    command = load_command_class(app, name)
    text = command.create_parser("manage.py", name).format_help()
    assert f"manage.py {name}" in text and len(text) > 100
