"""Two sweepers at once: each escalation still happens exactly once (real transactions)."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.divergences import services
from accord.divergences.models import Referral
from accord.events.models import Event
from accord.process.models import Body
from accord.process.services import charter_load

OPENED = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_escalate_each_divergence_once():
    process = charter_load(path=settings.ACCORD_DEFAULT_CHARTER).process
    demo_accounts_ensure(process=process)
    chair = User.objects.get(username="pk-chair")
    body = Body.objects.get(process=process, code="WG-VER")
    for i in range(8):
        services.divergence_open(actor=chair, body_code=body.code, title=f"P{i}", now=OPENED)
    at = OPENED + dt.timedelta(days=15)
    counts: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def sweep() -> None:
        try:
            start.wait()
            counts.append(services.divergences_escalate_overdue(now=at))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert sum(counts) == 8
    assert Referral.objects.count() == 8
    assert Event.objects.filter(kind="DivergenceEscalated").count() == 8
