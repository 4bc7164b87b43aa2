"""Signed checkpoints of the log's head catch what the chain alone cannot: a cut-off end."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings

from accord.events.audit import audit_checkpoint, audit_checkpoint_read, audit_verify
from accord.events.checkpoint import CheckpointInvalid
from accord.events.services import event_append

pytestmark = pytest.mark.django_db


def _append(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            event_append(kind="Probe", subject=f"probe:{i}", scope="shared", payload={"i": i})


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _checkpoint_file(tmp_path, name: str = "head.json"):
    path = tmp_path / name
    call_command("audit", "checkpoint", "--output", str(path))
    return path


def _verify(*paths) -> str:
    arguments = [a for path in paths for a in ("--checkpoint", str(path))]
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", *arguments)
    return f"{failure.value.returncode}: {failure.value}"


def test_a_checkpoint_names_the_head_and_is_signed_by_the_deployment_key(tmp_path):
    _append(4)

    point = audit_checkpoint_read(_checkpoint_file(tmp_path).read_text())

    assert point.seq == 4
    assert audit_verify([point]) == (4, None)


def test_the_log_growing_after_a_checkpoint_still_verifies_against_it(tmp_path, capsys):
    _append(3)
    path = _checkpoint_file(tmp_path)
    _append(5)

    call_command("audit", "verify", "--checkpoint", str(path))

    out = capsys.readouterr().out
    assert "8 events verified" in out and "still reaches the checkpoint given" in out


def test_cutting_off_the_newest_events_is_caught_by_an_earlier_checkpoint(tmp_path):
    _append(6)
    path = _checkpoint_file(tmp_path)
    # An intruder with SQL access removes the newest events: the chain is still whole.
    _sql("DELETE FROM events_event WHERE seq > 3")
    assert audit_verify() == (3, None)

    message = _verify(path)

    assert message.startswith("1: ")
    assert "the log ends at sequence number 3" in message
    assert "names event 6" in message


def test_a_log_rewritten_up_to_the_checkpoint_is_caught(tmp_path):
    _append(3)
    point = audit_checkpoint_read(_checkpoint_file(tmp_path).read_text())
    # Rebuilt from scratch with other content: a valid chain of the same length.
    _sql("DELETE FROM events_event")
    with transaction.atomic():
        for i in range(3):
            event_append(kind="Forged", subject=f"forged:{i}", scope="shared")

    checked, problem = audit_verify([point])

    assert checked == 3
    assert problem is not None and problem.seq == 3
    assert "does not have the hash the checkpoint" in problem.reason


def test_an_altered_checkpoint_is_refused_as_not_signed(tmp_path):
    _append(5)
    path = _checkpoint_file(tmp_path)
    data = json.loads(path.read_text())
    data["seq"] = 2  # a holder trying to excuse a truncation
    path.write_text(json.dumps(data))

    message = _verify(path)

    assert message.startswith("2: ")
    assert "signature does not match its content" in message


def test_a_checkpoint_of_another_deployment_is_refused(tmp_path):
    _append(2)
    with override_settings(ACCORD_AUDIT_KEY_SECRET="another deployment's secret " * 3):
        foreign = audit_checkpoint()

    with pytest.raises(CheckpointInvalid, match="signed with another key"):
        audit_checkpoint_read(json.dumps(foreign.as_dict()))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not JSON"),
        ('{"format": "something-else"}', "not an Accord checkpoint"),
        ('{"format": "accord-audit-checkpoint/1", "seq": 1}', "missing hash"),
    ],
)
def test_a_file_that_is_not_a_checkpoint_is_named_with_the_reason(tmp_path, content, reason):
    path = tmp_path / "bad.json"
    path.write_text(content)

    message = _verify(path)

    assert message.startswith("2: ")
    assert str(path) in message and reason in message


def test_a_checkpoint_of_an_empty_log_verifies(tmp_path):
    point = audit_checkpoint_read(_checkpoint_file(tmp_path).read_text())

    assert point.seq == 0
    assert audit_verify([point]) == (0, None)


def test_the_key_command_prints_the_public_key_in_every_checkpoint(tmp_path, capsys):
    call_command("audit", "key")
    key = capsys.readouterr().out.strip()

    point = audit_checkpoint()

    assert point.public_key == key
