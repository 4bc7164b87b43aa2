"""The deadline sweeper runner: every registered sweep runs, whatever the others do."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
from django.core.management import CommandError, call_command

from accord import sweeper
from accord.events.management.commands.serve import sweep_forever
from accord.sweeper import SweeperLease

HERE = "accord.events.tests.test_sweeper"
calls: list[tuple[str, object]] = []


def sweep_by_date(*, today: dt.date) -> int:
    calls.append(("by_date", today))
    return 2


def sweep_by_time(*, now: dt.datetime) -> int:
    calls.append(("by_time", now))
    return 1


def sweep_that_fails(*, today: dt.date) -> int:
    calls.append(("fails", today))
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _reset_calls():
    calls.clear()


def test_run_sweep_calls_every_registered_sweep_in_order_with_utc_date_and_time(settings):
    settings.ACCORD_SWEEPS = (f"{HERE}.sweep_by_date", f"{HERE}.sweep_by_time")
    # 01:30 in Tehran is still the previous day in UTC.
    now = dt.datetime(2026, 3, 2, 1, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Tehran"))

    counts = sweeper.run_sweep(now=now)

    assert counts == {f"{HERE}.sweep_by_date": 2, f"{HERE}.sweep_by_time": 1, "errors": 0}
    assert calls == [("by_date", dt.date(2026, 3, 1)), ("by_time", now)]
    assert calls[1][1].tzinfo == dt.UTC


def test_a_failing_sweep_is_logged_and_counted_and_the_others_still_run(settings, caplog):
    settings.ACCORD_SWEEPS = (
        f"{HERE}.sweep_that_fails",
        f"{HERE}.no_such_sweep",
        f"{HERE}.sweep_by_date",
    )

    counts = sweeper.run_sweep(now=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))

    assert counts == {f"{HERE}.sweep_by_date": 2, "errors": 2}
    assert [name for name, _ in calls] == ["fails", "by_date"]
    failed = [r for r in caplog.records if r.name == "accord.sweeper" and r.exc_info]
    assert len(failed) == 2


def test_the_default_registry_holds_the_milestone_sweep(settings):
    del settings.ACCORD_SWEEPS
    assert sweeper.registered_sweeps() == sweeper.SWEEPS
    assert "accord.process.services.milestones_flag_overdue" in sweeper.SWEEPS


@pytest.mark.django_db
def test_the_default_sweeps_run_cleanly_on_an_empty_database(settings):
    del settings.ACCORD_SWEEPS
    counts = sweeper.run_sweep()
    assert counts["errors"] == 0
    assert counts["accord.process.services.milestones_flag_overdue"] == 0


def test_the_sweep_command_prints_the_counts(settings, capsys):
    settings.ACCORD_SWEEPS = (f"{HERE}.sweep_by_date",)
    call_command("sweep")
    assert capsys.readouterr().out == f"{HERE}.sweep_by_date: 2\n"


def test_the_sweep_command_fails_when_a_sweep_fails(settings, capsys):
    settings.ACCORD_SWEEPS = (f"{HERE}.sweep_that_fails", f"{HERE}.sweep_by_date")
    with pytest.raises(CommandError, match="1 sweep"):
        call_command("sweep")
    assert capsys.readouterr().out == f"{HERE}.sweep_by_date: 2\n"


def test_the_in_process_sweeper_runs_repeatedly_until_stopped(settings):
    settings.ACCORD_SWEEPS = (f"{HERE}.sweep_by_date",)
    stop = threading.Event()
    thread = threading.Thread(target=sweep_forever, args=(stop, 0.01), daemon=True)
    thread.start()
    for _ in range(500):
        if len(calls) >= 3:
            break
        stop.wait(0.01)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(calls) >= 3


@pytest.mark.django_db
def test_only_one_holder_of_the_sweeper_lease_at_a_time_and_it_passes_on_release():
    first, second = SweeperLease(), SweeperLease()
    try:
        assert first.acquire() is True
        assert second.acquire() is False  # another server's sweeper waits its turn
        assert first.acquire() is True  # the holder keeps it, checked again
        first.release()
        assert second.acquire() is True
        assert first.acquire() is False
    finally:
        first.release()
        second.release()
    assert not first.held and not second.held
