"""Past one machine: two ``accord serve`` instances on two addresses share one PostgreSQL.

The production layout of ``deploy/`` as far as one machine can show it: the instances
bind 127.0.0.2 and 127.0.0.3 (two hosts, as the kernel routes them), each with its own
data directory and the secrets given in the environment, as separate hosts would have.
An event written through one reaches a stream opened on the other (LISTEN/NOTIFY);
exactly one runs the sweeper (the advisory-lock lease), and when it is killed the
other takes over and nothing is applied twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

ACCORD = str(Path(sys.executable).with_name("accord"))
PASSWORD = "accord-demo"
HOSTS = ("127.0.0.2", "127.0.0.3")
LEASE_TAKEN = "sweeper lease taken"

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the multi-host layout runs on PostgreSQL",
)


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def shared_database() -> Iterator[str]:
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"accord_two_hosts_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def cluster_environment(shared_database, tmp_path_factory) -> dict[str, str]:
    """What every host of the deployment shares: the database and the secrets."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "DATABASE_"))}
    environment = base | {
        "DATABASE_URL": shared_database,
        "ACCORD_SWEEP_SECONDS": "1",
        "ACCORD_ALLOWED_HOSTS": ",".join(HOSTS),
        "ACCORD_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        # The demo's accounts sign in by password only, as under `accord demo`.
        "ACCORD_DEMO_WITHOUT_SECOND_FACTOR": "1",
        **{
            name: secrets.token_urlsafe(48)
            for name in (
                "ACCORD_SECRET_KEY",
                "ACCORD_CURSOR_SECRET",
                "ACCORD_CHANNEL_KEY_SECRET",
                "ACCORD_AUDIT_KEY_SECRET",
            )
        },
    }
    setup_dir = tmp_path_factory.mktemp("setup")
    subprocess.run(
        [ACCORD, "demo", "--setup-only"],
        env=environment | {"ACCORD_DATA_DIR": str(setup_dir)},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return environment


class Instance:
    def __init__(self, host: str, environment: dict[str, str], data_dir: Path) -> None:
        self.host = host
        self.port = _free_port(host)
        self.log_path = data_dir / "serve.log"
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [ACCORD, "serve", "--host", host, "--port", str(self.port)],
            env=environment | {"ACCORD_DATA_DIR": str(data_dir)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/accounts/login/", timeout=2).status_code == 200:
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"accord serve on {host} did not start:\n{self.log_path.read_text()}")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def instances(cluster_environment, tmp_path) -> Iterator[list[Instance]]:
    started: list[Instance] = []
    try:
        for host in HOSTS:
            data_dir = tmp_path / host
            data_dir.mkdir()
            started.append(Instance(host, cluster_environment, data_dir))
        yield started
    finally:
        for instance in started:
            instance.stop()


def _signed_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=10)
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{url}/accounts/login/"},
    )
    assert response.status_code in (302, 303), response.text[:500]
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    return client


def _sql(url: str, statement: str, params: list | None = None) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def _wait_for(condition, *, within: float, what: str):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"not within {within:g} s: {what}")


def test_an_event_written_through_one_host_reaches_a_stream_on_the_other(instances):
    first, second = instances
    sender = _signed_in(first.url, "us-duty")
    reader = _signed_in(second.url, "ir-duty")
    text = f"Across hosts {secrets.token_hex(4)}"

    with reader.stream("GET", "/events/stream", timeout=httpx.Timeout(15)) as stream:
        assert stream.status_code == 200
        sent = sender.post(
            "/api/channels/DCC/messages",
            json={"client_id": secrets.token_hex(8), "text": text, "precedence": "ROUTINE"},
        )
        assert sent.status_code in (200, 201), sent.text
        seen = []
        deadline = time.monotonic() + 10
        for line in stream.iter_lines():
            if line.startswith("data:"):
                seen.append(json.loads(line[5:]))
                if any(text in json.dumps(event) for event in seen):
                    break
            assert time.monotonic() < deadline, f"not on {second.host} within 10 s: {seen}"

    arrived = [event for event in seen if text in json.dumps(event)]
    assert arrived, f"the stream on {second.host} ended before the message: {seen}"
    assert arrived[0]["subject"].startswith("message:")


def test_exactly_one_host_sweeps_and_the_other_takes_over_when_it_is_killed(
    instances, cluster_environment
):
    database = cluster_environment["DATABASE_URL"]
    holders = _wait_for(
        lambda: [i for i in instances if LEASE_TAKEN in i.log],
        within=30,
        what="a host took the sweeper lease",
    )
    time.sleep(3)  # several sweep intervals: the other host must still not hold it
    assert [i.host for i in instances if LEASE_TAKEN in i.log] == [holders[0].host]
    holder = holders[0]
    survivor = next(i for i in instances if i is not holder)

    holder.stop(signal.SIGKILL)
    _wait_for(lambda: LEASE_TAKEN in survivor.log, within=60, what="the survivor took over")

    # A deadline that passes now is applied by the survivor, once.
    (milestone,) = _sql(
        database,
        "SELECT id, code FROM process_milestone WHERE status IN ('pending', 'extended') "
        "ORDER BY id LIMIT 1",
    )
    _sql(
        database,
        "UPDATE process_milestone SET due_on = current_date - 2 WHERE id = %s",
        [milestone[0]],
    )
    _wait_for(
        lambda: _sql(
            database,
            "SELECT 1 FROM events_event WHERE kind = 'MilestoneOverdue' AND payload->>'code' = %s",
            [milestone[1]],
        ),
        within=30,
        what="the survivor flagged the overdue milestone",
    )
    time.sleep(3)  # more sweeps: nothing is flagged a second time
    twice = _sql(
        database,
        "SELECT kind, subject, count(*) FROM events_event "
        "WHERE kind = 'MilestoneOverdue' GROUP BY kind, subject HAVING count(*) > 1",
    )
    assert twice == []
