"""The page's live feed outlives its server: killed and restarted, the page says it is
reconnecting, reconnects by itself, and catches up with what happened meanwhile, each
event once (decision 0070)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

# Its servers are `accord serve` processes of its own, on SQLite, in either leg.
pytestmark = [pytest.mark.browser, pytest.mark.own_server]

ACCORD = str(Path(sys.executable).parent / "accord")


@dataclass
class KillableServer:
    """``accord serve --workers 2`` on a fixed port and data dir, to kill and restart."""

    data_dir: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        # `accord serve` is not `accord demo`: the demo's exemptions (its accounts keep the
        # printed password, no second factor) must be given to it, not left to whatever an
        # earlier test put in this process's environment.
        return env | {
            "ACCORD_DATA_DIR": str(self.data_dir),
            "PYTHONUNBUFFERED": "1",
            "ACCORD_DEMO_WITHOUT_SECOND_FACTOR": "1",
            "ACCORD_DEMO_WITHOUT_PASSWORD_POLICY": "1",
            "ACCORD_API_RATE": "1000000/m",
            "ACCORD_API_ADDRESS_RATE": "1000000/m",
        }

    def start(self) -> None:
        log = (self.data_dir / "server.log").open("a")
        command = [ACCORD, "serve", "--port", str(self.port), "--workers", "2", "--no-sweeper"]
        self.process = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/accounts/login/", timeout=2).status_code == 200:
                    return
            assert self.process.poll() is None, (self.data_dir / "server.log").read_text()
            time.sleep(0.2)
        pytest.fail("the server did not start within 60 s")

    def kill(self) -> None:
        """SIGKILL the server and its workers (its own process group), as a crash would."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def shell(self, code: str) -> None:
        subprocess.run([ACCORD, "shell", "-c", code], env=self.env, check=True, timeout=60)


@pytest.fixture
def killable_server(tmp_path) -> Iterator[KillableServer]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = KillableServer(tmp_path, port)
    subprocess.run(
        [ACCORD, "demo", "--setup-only"],
        env=server.env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.kill()


def _write_notes(server: KillableServer, texts: list[str]) -> None:
    """Write internal notes of the US delegation straight into the database (no server)."""
    server.shell(
        "from accord.accounts.models import User\n"
        "from accord.notes.services import note_write\n"
        "author = User.objects.get(username='us-expert')\n"
        f"for text in {texts!r}:\n"
        "    note_write(actor=author, text=text, body_code='HLC')\n"
    )


def test_the_page_reconnects_by_itself_after_a_restart_and_catches_up_once(
    browser, killable_server
):
    # Given us-head on the live-feed page, connected
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.goto(f"{killable_server.url}/accounts/login/")
    page.fill("input[name=username]", "us-head")
    page.fill("input[name=password]", "accord-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{killable_server.url}/")
    page.goto(f"{killable_server.url}/events/")
    expect(page.locator("#live-status")).to_have_class(re.compile("connected"))
    expect(page.locator("#live-status-text")).to_be_hidden()
    page.evaluate("window.__marker = 'same page'")
    run = uuid.uuid4().hex[:6]
    before = f"note {run} before the crash"
    _write_notes(killable_server, [before])
    expect(page.locator("#live-feed li", has_text=before)).to_have_count(1)

    # When the server is killed, notes are written while it is down, and it restarts
    killable_server.kill()
    status = page.locator("#live-status-text")
    expect(status).to_be_visible()
    expect(status).to_contain_text("reconnecting")
    screenshot(page, "events-feed-reconnecting")
    meanwhile = [f"note {run} #{n} while the server was down" for n in range(3)]
    _write_notes(killable_server, meanwhile)
    killable_server.start()

    # Then the same page reconnects by itself and shows each missed note exactly once
    expect(page.locator("#live-status")).to_have_class(re.compile("connected"), timeout=40_000)
    expect(status).to_be_hidden()
    for text in meanwhile:
        expect(page.locator("#live-feed li", has_text=text)).to_have_count(1)
    after = f"note {run} after the restart"
    _write_notes(killable_server, [after])
    expect(page.locator("#live-feed li", has_text=after)).to_have_count(1)
    # Each once: nothing came twice on the way (the last note arrived after them all).
    for text in [before, *meanwhile]:
        expect(page.locator("#live-feed li", has_text=text)).to_have_count(1)
    assert page.evaluate("window.__marker") == "same page"  # no reload
    screenshot(page, "events-feed-reconnected")
    context.close()


def test_a_page_says_signed_out_only_when_the_server_says_so(page_for, demo_server):
    # Given us-member on the live-feed page, connected
    page = page_for("us-member")
    page.goto(f"{demo_server}/events/")
    expect(page.locator("#live-status")).to_have_class(re.compile("connected"))
    # When they sign out in another tab of the same browser
    other = page.context.new_page()
    other.goto(f"{demo_server}/")
    other.click("text=Sign out")
    # Then the first page says so in words (the stream's 401 named feed.not_signed_in),
    # within the hub's periodic sign-in check
    status = page.locator("#live-status-text")
    expect(status).to_contain_text("Signed out", timeout=40_000)
    expect(page.locator("#live-status")).to_have_class(re.compile("error"))
    screenshot(page, "events-feed-signed-out")
