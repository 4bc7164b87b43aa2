"""An installation starts with its own secrets, and a wrong setting stops it in one sentence.

The pure part (``accord/installation.py``) is tested directly; what an operator sees is
tested through the real ``accord`` console script in a child process, with its own
environment, so the settings are read the way a deployment reads them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.test import override_settings

from accord.events import cursor
from accord.installation import (
    SECRET_NAMES,
    ConfigurationError,
    installation_secrets,
    production_refusals,
)

ACCORD = str(Path(sys.executable).with_name("accord"))


def _strong() -> str:
    return secrets.token_urlsafe(48)


def _production_environment(data_dir: Path) -> dict[str, str]:
    return {
        "ACCORD_ENV": "production",
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_ALLOWED_HOSTS": "accord.example.org",
        **{name: _strong() for name in SECRET_NAMES},
    }


def _accord(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what the test names: none of this run's own settings leak into the child.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "DATABASE_"))}
    return subprocess.run(
        [ACCORD, *arguments],
        env={**base, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _refused_in_one_sentence(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("accord: ")
    return lines[0]


# The demo: secrets generated once per installation.


def test_a_new_installation_generates_its_secrets_once_and_keeps_them_private(tmp_path):
    first = installation_secrets({}, tmp_path, production=False)
    again = installation_secrets({}, tmp_path, production=False)

    assert set(first) == set(SECRET_NAMES)
    assert first == again
    assert len(set(first.values())) == len(SECRET_NAMES)
    assert all(len(value) >= 50 for value in first.values())
    mode = stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode)
    assert mode == 0o600


def test_two_installations_share_no_secret(tmp_path):
    one = installation_secrets({}, tmp_path / "one", production=False)
    other = installation_secrets({}, tmp_path / "other", production=False)

    assert not set(one.values()) & set(other.values())


def test_a_secret_from_the_environment_wins_and_the_others_are_generated(tmp_path):
    given = _strong()

    found = installation_secrets({"ACCORD_SECRET_KEY": given}, tmp_path, production=False)

    assert found["ACCORD_SECRET_KEY"] == given
    stored = json.loads((tmp_path / "secrets.json").read_text())
    assert "ACCORD_SECRET_KEY" not in stored
    assert set(stored) == set(SECRET_NAMES) - {"ACCORD_SECRET_KEY"}


def test_a_secret_added_later_joins_the_file_without_changing_the_others(tmp_path):
    (tmp_path / "secrets.json").write_text(json.dumps({"ACCORD_SECRET_KEY": "kept"}))

    found = installation_secrets({}, tmp_path, production=False)

    assert found["ACCORD_SECRET_KEY"] == "kept"
    assert set(found) == set(SECRET_NAMES)


def test_a_damaged_secrets_file_is_named_not_silently_replaced(tmp_path):
    (tmp_path / "secrets.json").write_text("{not json")

    with pytest.raises(ConfigurationError, match=r"secrets\.json is not the secrets file"):
        installation_secrets({}, tmp_path, production=False)
    assert (tmp_path / "secrets.json").read_text() == "{not json"


def test_this_run_uses_generated_secrets_not_a_constant_of_the_code():
    source = (Path(settings.BASE_DIR) / "accord" / "settings.py").read_text()

    assert settings.SECRET_KEY not in source
    assert settings.ACCORD_CURSOR_SECRET not in source
    assert settings.SECRET_KEY != settings.ACCORD_CURSOR_SECRET


# Production: every secret from the environment, strong; nothing of the demo.


def test_production_refuses_to_generate_secrets_and_names_the_missing_ones(tmp_path):
    with pytest.raises(ConfigurationError) as refused:
        installation_secrets({"ACCORD_SECRET_KEY": _strong()}, tmp_path, production=True)

    assert "ACCORD_CURSOR_SECRET, ACCORD_CHANNEL_KEY_SECRET, ACCORD_AUDIT_KEY_SECRET" in str(
        refused.value
    )
    assert not (tmp_path / "secrets.json").exists()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("insecure-demo-key-set-ACCORD_SECRET_KEY-in-production", "published placeholder"),
        ("django-insecure-" + "x" * 60, "published placeholder"),
        ("short-but-random-Zq9", "fewer than 50"),
        ("ab" * 40, "fewer than 5 different"),
    ],
)
def test_production_refuses_a_weak_secret_and_says_why(tmp_path, value, reason):
    environment = {name: _strong() for name in SECRET_NAMES} | {"ACCORD_SECRET_KEY": value}

    with pytest.raises(ConfigurationError, match=reason):
        installation_secrets(environment, tmp_path, production=True)


def test_production_refuses_debug_demo_exemptions_and_an_empty_host_list():
    with pytest.raises(ConfigurationError, match="ACCORD_DEBUG"):
        production_refusals(debug=True, allowed_hosts=["a.org"], demo_exemptions=[])
    with pytest.raises(ConfigurationError, match="ACCORD_DEMO_WITHOUT_SECOND_FACTOR"):
        production_refusals(
            debug=False,
            allowed_hosts=["a.org"],
            demo_exemptions=["ACCORD_DEMO_WITHOUT_SECOND_FACTOR"],
        )
    with pytest.raises(ConfigurationError, match="ACCORD_ALLOWED_HOSTS"):
        production_refusals(debug=False, allowed_hosts=[""], demo_exemptions=[])


def test_production_settings_pass_django_s_deploy_check_with_no_warning(tmp_path):
    result = _accord(
        "check", "--deploy", "--fail-level", "WARNING",
        environment=_production_environment(tmp_path),
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_host_only_and_not_readable_by_scripts(tmp_path):
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS]))"
    )
    environment = _production_environment(tmp_path) | {"DJANGO_SETTINGS_MODULE": "accord.settings"}
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=base | environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    session, csrf, *flags, samesite, hsts = json.loads(result.stdout)
    assert session.startswith("__Host-") and csrf.startswith("__Host-")
    assert flags == [True, True, True, True]
    assert samesite == "Lax"
    assert hsts >= 31_536_000


# What the operator sees: one sentence and exit status 2, at once.


def test_an_empty_secret_stops_accord_check_with_one_sentence(tmp_path):
    result = _accord(
        "check", environment={"ACCORD_DATA_DIR": str(tmp_path), "ACCORD_SECRET_KEY": ""}
    )

    line = _refused_in_one_sentence(result)
    assert "ACCORD_SECRET_KEY is set but empty" in line


def test_production_without_its_secrets_stops_with_one_sentence(tmp_path):
    environment = _production_environment(tmp_path)
    del environment["ACCORD_CHANNEL_KEY_SECRET"]

    line = _refused_in_one_sentence(_accord("check", environment=environment))

    assert "needs ACCORD_CHANNEL_KEY_SECRET" in line


def test_an_unknown_mode_stops_with_one_sentence(tmp_path):
    environment = {"ACCORD_DATA_DIR": str(tmp_path), "ACCORD_ENV": "prod"}

    line = _refused_in_one_sentence(_accord("check", environment=environment))

    assert "ACCORD_ENV='prod' is not a mode" in line


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_database_server_that_does_not_answer_stops_accord_with_one_sentence(tmp_path):
    port = _closed_port()
    environment = {
        "ACCORD_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://accord@127.0.0.1:{port}/accord",
    }

    line = _refused_in_one_sentence(_accord("demo", "--setup-only", environment=environment))

    assert f"No PostgreSQL server answers on 127.0.0.1:{port}" in line


def test_a_data_directory_that_cannot_be_made_stops_accord_with_one_sentence(tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a directory")

    line = _refused_in_one_sentence(
        _accord("check", environment={"ACCORD_DATA_DIR": str(in_the_way / "data")})
    )

    assert "cannot keep its generated secrets" in line
    assert "ACCORD_DATA_DIR" in line


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs the PostgreSQL server of this run",
)
def test_a_database_that_does_not_exist_stops_accord_with_createdb_advice(tmp_path):
    parts = urlsplit(os.environ["DATABASE_URL"])
    missing = urlunsplit(parts._replace(path="/accord_no_such_database"))

    line = _refused_in_one_sentence(
        _accord(
            "demo", "--setup-only",
            environment={"ACCORD_DATA_DIR": str(tmp_path), "DATABASE_URL": missing},
        )
    )  # fmt: skip

    where = f"{parts.hostname}:{parts.port}"
    assert f"Database 'accord_no_such_database' does not exist on {where}" in line
    assert "createdb accord_no_such_database" in line


# Cursors: keyed by the installation's own cursor secret, forged ones refused.


def test_a_cursor_from_another_installation_is_refused():
    issued = cursor.encode(41)

    with override_settings(ACCORD_CURSOR_SECRET=_strong()), pytest.raises(cursor.BadCursor):
        cursor.decode(issued)
    assert cursor.decode(issued) == 41


def test_a_forged_cursor_is_a_bad_request_not_a_position(cast, client):
    client.force_login(cast["us-expert"])
    issued = cursor.encode(3)
    forged = issued[:-2] + ("00" if issued[-2:] != "00" else "11")

    for after in (forged, "41", "not-a-cursor"):
        answer = client.get("/api/events/", {"after": after})

        assert answer.status_code == 400, (after, answer.content)
        assert answer.json()["code"] == "event.cursor_invalid"
    assert client.get("/api/events/", {"after": issued}).status_code == 200


# Headers every answer carries.


def test_pages_and_api_answers_are_never_stored_by_a_cache(cast, client):
    client.force_login(cast["us-expert"])

    page = client.get("/notes/")
    api = client.get("/api/notes/")

    assert page.status_code == 200 and api.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert api["Cache-Control"] == "no-store"
    assert "camera=()" in page["Permissions-Policy"]
    assert page["Referrer-Policy"] == "same-origin"


def test_every_page_carries_a_content_security_policy_without_inline_script(cast, client):
    client.force_login(cast["us-expert"])

    page = client.get("/")

    assert page.status_code == 200
    policy = dict(
        [*directive.split(" ", 1), ""][:2]
        for directive in (d.strip() for d in page["Content-Security-Policy"].split(";"))
        if directive
    )
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["style-src"]
    inline_handler = re.search(r"<[^>]*\son[a-z]+\s*=", page.content.decode())
    assert inline_handler is None, inline_handler
