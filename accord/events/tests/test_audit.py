"""The event log's hash chain: appends under concurrency, and tamper detection."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from accord.events.audit import audit_verify
from accord.events.chain import GENESIS_HASH
from accord.events.models import Event
from accord.events.services import NewEvent, event_append, events_append


def _append(n: int, *, kind: str = "Probe") -> None:
    for i in range(n):
        with transaction.atomic():
            event_append(kind=kind, subject=f"probe:{i}", scope="shared", payload={"i": i})


def _sql(statement: str, params: list | None = None) -> None:
    """Change the table behind the application's back, as an intruder with SQL access would."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _verify_command() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1
    return str(failure.value)


@pytest.mark.django_db
def test_an_untouched_log_verifies():
    _append(5)
    checked, problem = audit_verify()
    assert (checked, problem) == (5, None)
    first = Event.objects.get(seq=1)
    assert first.prev_hash == GENESIS_HASH


@pytest.mark.django_db
def test_events_appended_together_are_chained_in_order_like_single_appends():
    _append(2)
    with transaction.atomic():
        together = events_append(
            [NewEvent(kind="Probe", subject=f"together:{i}", scope="shared") for i in range(3)]
        )
    _append(1)
    assert [e.seq for e in together] == [3, 4, 5]
    stored = list(Event.objects.order_by("seq").values_list("subject", flat=True))
    assert stored[2:] == ["together:0", "together:1", "together:2", "probe:0"]
    assert audit_verify() == (6, None)


@pytest.mark.django_db(transaction=True)
def test_event_append_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        event_append(kind="Probe", subject="probe:x", scope="shared")


@pytest.mark.django_db
def test_an_edited_event_is_named():
    _append(6)
    _sql("UPDATE events_event SET subject = %s WHERE seq = 4", ["probe:forged"])
    assert "sequence number 4" in _verify_command()
    assert audit_verify()[1].reason.endswith("(edited)")


@pytest.mark.django_db
def test_an_edited_payload_is_named():
    _append(6)
    Event.objects.filter(seq=3).update(payload={"i": 99})
    assert audit_verify()[1].seq == 3


@pytest.mark.django_db
def test_a_deleted_event_is_named():
    _append(6)
    _sql("DELETE FROM events_event WHERE seq = 3")
    problem = audit_verify()[1]
    assert problem.seq == 3
    assert "deleted" in problem.reason
    assert "sequence number 3" in _verify_command()


@pytest.mark.django_db
def test_an_inserted_event_is_named():
    """An intruder shifts later events up and slips a well-formed event in at seq 4."""
    _append(6)
    _sql("UPDATE events_event SET seq = seq + 100 WHERE seq >= 4")
    _sql("UPDATE events_event SET seq = seq - 99 WHERE seq >= 104")
    forged = Event.objects.get(seq=3)
    forged.seq = 4
    forged.subject = "probe:inserted"
    forged.prev_hash = Event.objects.get(seq=3).hash
    from accord.events.chain import event_hash

    forged.hash = event_hash(forged.hashed_fields())
    forged.save(force_insert=True)
    # The forged event itself chains correctly; the event after it no longer does.
    problem = audit_verify()[1]
    assert problem.seq == 5
    assert "sequence number 5" in _verify_command()


@pytest.mark.django_db
def test_reordered_events_are_named():
    """Two events swap places (their contents swap seq numbers)."""
    _append(6)
    _sql("UPDATE events_event SET seq = 1000 WHERE seq = 2")
    _sql("UPDATE events_event SET seq = 2 WHERE seq = 5")
    _sql("UPDATE events_event SET seq = 5 WHERE seq = 1000")
    problem = audit_verify()[1]
    assert problem.seq == 2
    assert "sequence number 2" in _verify_command()


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_append_a_gapless_unbroken_chain():
    """Four threads, each with its own connection, append 25 events each at once."""
    threads_n, per_thread = 4, 25
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    def writer(t: int) -> None:
        try:
            start.wait(timeout=30)
            _append(per_thread, kind=f"Writer{t}")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads_n * per_thread + 1))
    assert audit_verify() == (threads_n * per_thread, None)
    for t in range(threads_n):
        assert Event.objects.filter(kind=f"Writer{t}").count() == per_thread
