"""What an installation needs before Django starts: its secrets and its mode.

Read by ``accord/settings.py``, so nothing here imports Django. Two modes:

- **demo** (the default, what ``make demo`` and the tests run): a secret missing from
  the environment is generated once, at first set-up, and kept in the data directory
  (``secrets.json``, readable by its owner only). No installation shares a secret with
  another, and none is written in the code.
- **production** (``ACCORD_ENV=production``): every secret comes from the environment
  and must be strong; debug pages, demo exemptions and a missing host list refuse to
  start.

A problem is a ``ConfigurationError`` whose text is one sentence saying what is wrong
and what to do; ``accord/cli.py`` prints it and exits non-zero instead of a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

ENVIRONMENT = "ACCORD_ENV"
MODES = ("demo", "production")
# The deployment's secrets: Django's (sessions, CSRF, signed values), the key of the
# event log's opaque cursors (events/cursor.py), the one that encrypts the channels'
# signing keys at rest (channels/keys.py), and the seed of the key that signs the event
# log's checkpoints (events/checkpoint.py).
SECRET_NAMES = (
    "ACCORD_SECRET_KEY",
    "ACCORD_CURSOR_SECRET",
    "ACCORD_CHANNEL_KEY_SECRET",
    "ACCORD_AUDIT_KEY_SECRET",
)
SECRETS_FILE = "secrets.json"
# A secret shorter than this, or made of too few different characters, is refused in
# production: Django's own deploy check asks for 50 characters and 5 distinct ones.
STRONG_LENGTH = 50
STRONG_DISTINCT = 5
# Demo placeholders that earlier versions shipped or that people copy from examples.
KNOWN_WEAK = {
    "insecure-demo-key-set-ACCORD_SECRET_KEY-in-production",
    "changeme",
    "secret",
}


class ConfigurationError(Exception):
    """The installation cannot start; the message is one sentence for the operator."""


def installation_mode(environ: Mapping[str, str]) -> str:
    mode = environ.get(ENVIRONMENT, "demo").strip().lower() or "demo"
    if mode not in MODES:
        raise ConfigurationError(
            f"{ENVIRONMENT}={environ[ENVIRONMENT]!r} is not a mode Accord knows: "
            f"use {' or '.join(MODES)}."
        )
    return mode


def weak_secret_reason(value: str) -> str | None:
    """Why ``value`` is too weak to protect a production deployment, or None."""
    if value in KNOWN_WEAK or value.startswith("django-insecure"):
        return "it is a published placeholder"
    if len(value) < STRONG_LENGTH:
        return f"it has {len(value)} characters, fewer than {STRONG_LENGTH}"
    if len(set(value)) < STRONG_DISTINCT:
        return f"it uses fewer than {STRONG_DISTINCT} different characters"
    return None


def installation_secrets(
    environ: Mapping[str, str], data_dir: Path, *, production: bool
) -> dict[str, str]:
    """Every secret of ``SECRET_NAMES``, from the environment or the data directory."""
    found: dict[str, str] = {}
    for name in SECRET_NAMES:
        if name not in environ:
            continue
        value = environ[name].strip()
        if not value:
            raise ConfigurationError(
                f"{name} is set but empty: give it a long random value "
                f"(python -c 'import secrets; print(secrets.token_urlsafe(48))') "
                f"or unset it."
            )
        if production and (reason := weak_secret_reason(value)):
            raise ConfigurationError(f"{name} is too weak for production: {reason}.")
        found[name] = value
    missing = [name for name in SECRET_NAMES if name not in found]
    if not missing:
        return found
    if production:
        raise ConfigurationError(
            f"{ENVIRONMENT}=production needs {', '.join(missing)} in the environment "
            f"(each a long random value); Accord does not generate production secrets."
        )
    stored = _stored_secrets(data_dir, missing)
    return {**stored, **found}


def _stored_secrets(data_dir: Path, names: list[str]) -> dict[str, str]:
    """The data directory's generated secrets, creating the ones not there yet.

    Two processes starting at once on a new data directory (the server and the
    sweeper) must end with the same secrets: the file is created exclusively, and
    the loser of that race reads the winner's.
    """
    path = data_dir / SECRETS_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        stored = _read_secrets(path)
        if all(name in stored for name in names):
            return stored
        fresh = {**{name: secrets.token_urlsafe(48) for name in names}, **stored}
        _write_secrets(path, fresh, replace=path.exists())
        return _read_secrets(path)
    except OSError as error:
        raise ConfigurationError(
            f"Accord cannot keep its generated secrets in {path}: {error.strerror or error}; "
            f"make the data directory (ACCORD_DATA_DIR) writable or set "
            f"{', '.join(names)} in the environment."
        ) from None


def _read_secrets(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ConfigurationError(
            f"{path} is not the secrets file Accord wrote (it is not JSON): restore it from "
            f"a backup, or delete it to generate new secrets (signed-in sessions end)."
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ConfigurationError(
            f"{path} is not the secrets file Accord wrote (expected names and strings)."
        )
    return data


def _write_secrets(path: Path, values: dict[str, str], *, replace: bool) -> None:
    """Write whole or not at all: a reader never sees a half-written file."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(json.dumps(values, indent=2, sort_keys=True) + "\n")
    try:
        if replace:
            # A secret added by a newer version: swap the whole file in one rename.
            os.replace(partial, path)
            return
        # Fails if another process wrote it first: the caller then reads the winner's.
        with contextlib.suppress(FileExistsError):
            os.link(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def production_refusals(
    *, debug: bool, allowed_hosts: list[str], demo_exemptions: list[str]
) -> None:
    """Raise for the first setting a production deployment must not run with."""
    if debug:
        raise ConfigurationError(
            "ACCORD_DEBUG=1 shows tracebacks and settings to anyone: unset it in production."
        )
    if demo_exemptions:
        raise ConfigurationError(
            f"{', '.join(demo_exemptions)} exempt demo accounts from protections: "
            f"unset them in production."
        )
    if not [host for host in allowed_hosts if host.strip()]:
        raise ConfigurationError(
            "ACCORD_ALLOWED_HOSTS is not set: name the host names this deployment answers "
            "to (comma-separated), e.g. accord.example.org."
        )


def database_problem(url: str | None, data_dir: Path, *, timeout_seconds: int = 5) -> str | None:
    """One sentence on why Accord cannot use its database, or None if it can.

    Asked once before a command runs, so that a wrong ``DATABASE_URL`` stops at once
    with a sentence instead of the connection pool retrying for half a minute and
    ending in a traceback.
    """
    if not url:
        sqlite_dir = data_dir
        if sqlite_dir.exists() and not os.access(sqlite_dir, os.W_OK):
            return (
                f"the data directory {sqlite_dir} is not writable, so the SQLite database "
                f"cannot be kept there: fix its permissions or set ACCORD_DATA_DIR."
            )
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port or 5432
    except ValueError as error:
        return f"DATABASE_URL is not a database URL ({error}): use postgres://USER@HOST:PORT/NAME."
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return None  # another engine: left to Django to report
    host = parts.hostname or "localhost"
    name = parts.path.lstrip("/") or parts.username or "postgres"
    where = f"{host}:{port}"
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=timeout_seconds).close()
    except psycopg.OperationalError as error:
        return _postgres_sentence(str(error), name=name, user=parts.username, where=where)
    return None


def _postgres_sentence(message: str, *, name: str, user: str | None, where: str) -> str:
    """Turn libpq's message into what the operator should do."""
    text = message.lower()
    if f'database "{name.lower()}" does not exist' in text:
        return f"database '{name}' does not exist on {where}: create it with createdb {name}."
    if "role" in text and "does not exist" in text:
        return (
            f"the database user '{user}' does not exist on {where}: create it with "
            f"createuser {user}, or fix the user in DATABASE_URL."
        )
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            f"the database on {where} refused the user '{user}' (wrong password or none): "
            f"fix the credentials in DATABASE_URL."
        )
    if "no pg_hba.conf entry" in text or "permission denied" in text:
        return (
            f"the database server on {where} does not let '{user}' connect to '{name}': "
            f"allow it in pg_hba.conf or grant CONNECT."
        )
    if "connection refused" in text or "could not connect" in text or "timeout" in text:
        return (
            f"no PostgreSQL server answers on {where}: start it, or fix the host and port "
            f"in DATABASE_URL."
        )
    if "could not translate host name" in text or "name or service not known" in text:
        return f"the database host in DATABASE_URL ({where}) is not a known host name."
    first_line = message.strip().splitlines()[-1] if message.strip() else message
    return f"Accord cannot connect to the database on {where}: {first_line.strip()}"
