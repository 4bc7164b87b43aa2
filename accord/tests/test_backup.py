"""``accord backup`` and ``accord restore``: the record comes back whole, or not at all.

Runs on the run's own database (SQLite or PostgreSQL): each test commits real rows, so
the backup (a separate connection, or pg_dump) sees them.
"""

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from accord.events.audit import audit_verify
from accord.events.models import Event
from accord.events.services import event_append

pytestmark = pytest.mark.django_db(transaction=True)


def _append(n: int, *, kind: str = "Probe") -> None:
    for i in range(n):
        with transaction.atomic():
            event_append(kind=kind, subject=f"probe:{i}", scope="shared", payload={"i": i})


def _refusal(*arguments: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command(*arguments)
    assert failure.value.returncode == 2
    return str(failure.value)


def test_a_restore_brings_back_the_log_as_it_was_when_backed_up(tmp_path, capsys):
    _append(5)
    kept = list(Event.objects.order_by("seq").values_list("seq", "hash", "subject"))
    backup = tmp_path / "accord.tar"
    call_command("backup", str(backup))
    _append(3, kind="After")  # what happened after the backup is lost by the restore

    call_command("restore", str(backup), "--replace")

    assert list(Event.objects.order_by("seq").values_list("seq", "hash", "subject")) == kept
    assert audit_verify() == (5, None)
    out = capsys.readouterr().out
    assert "5 events." in out and "event log intact, 5 events verified" in out


def test_a_restore_refuses_to_overwrite_a_log_unless_asked(tmp_path):
    _append(2)
    backup = tmp_path / "accord.tar"
    call_command("backup", str(backup))

    message = _refusal("restore", str(backup))

    assert "already holds an event log" in message and "--replace" in message
    assert Event.objects.count() == 2


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(tmp_path):
    _append(2)
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"this is not a tar file")

    message = _refusal("restore", str(junk), "--replace")

    assert "is not a readable backup" in message
    assert audit_verify() == (2, None)


def _with_manifest(source, target, **changes) -> None:
    with tarfile.open(source) as original, tarfile.open(target, "w") as altered:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps({**json.loads(data), **changes}).encode()
                member.size = len(data)
            altered.addfile(member, io.BytesIO(data))


def test_a_backup_whose_manifest_disagrees_with_its_log_is_refused(tmp_path):
    _append(3)
    backup = tmp_path / "accord.tar"
    call_command("backup", str(backup))
    altered = tmp_path / "altered.tar"
    _with_manifest(backup, altered, head_hash="0" * 64)

    message = _refusal("restore", str(altered), "--replace")

    assert "does not have the hash the backup's manifest names" in message


def test_a_backup_of_another_engine_is_refused(tmp_path):
    _append(1)
    backup = tmp_path / "accord.tar"
    call_command("backup", str(backup))
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    altered = tmp_path / "other-engine.tar"
    _with_manifest(backup, altered, engine=other)

    message = _refusal("restore", str(altered), "--replace")

    assert f"is a backup of a {other} database" in message


def test_a_backup_that_cannot_be_written_says_where(tmp_path):
    message = _refusal("backup", str(tmp_path / "no-such-dir" / "accord.tar"))

    assert "Cannot write the backup to" in message
