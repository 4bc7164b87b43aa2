"""A real Chromium (Debian's, driven by Playwright) and a real `accord demo` server.

Registered once for the whole suite by ``pytest_plugins`` in the root conftest: a
session fixture imported into several conftests would start several Playwrights in one
process, which Playwright refuses. Do not import these fixtures; just ask for them.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from accord.testing.browser import launch, require_chromium


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@contextlib.contextmanager
def demo_serving(data_dir: Path, **environment: str) -> Iterator[str]:
    """`accord demo` exactly as `make demo` runs it, on a fresh SQLite file in
    ``data_dir`` and a free port, with ``environment`` added; yield its URL. The server's
    output is kept in ``data_dir/server.log`` (shown if it does not start)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"ACCORD_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **environment}
    # The console script `make demo` runs, from the same virtual environment as pytest.
    command = [str(Path(sys.executable).parent / "accord"), "demo", "--port", str(port)]
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{url}/accounts/login/", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("accord demo did not serve:\n" + (data_dir / "server.log").read_text())
        time.sleep(0.3)
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The demo server the browser tests share (they change little; see ``demo_serving``)."""
    with demo_serving(tmp_path_factory.mktemp("demo-data")) as url:
        yield url


@pytest.fixture
def page_for(browser, demo_server):
    """Open a new browser context signed in as a demo user; yields a function."""
    contexts = []

    def sign_in(username: str, password: str = "accord-demo"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{demo_server}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{demo_server}/")
        return page

    yield sign_in
    for context in contexts:
        context.close()
