"""``accord serve``: the ASGI server (uvicorn) and the deadline sweeper in one process.

One process is the embedded deployment: open a browser at the printed URL. The live
feed needs an ASGI server; ``runserver`` (WSGI) cannot hold its streams open.

``--workers N`` runs N server processes, each on its own socket of a SO_REUSEPORT
group on Linux (the kernel spreads new connections over them; ``accord.serving``), and
keeps the sweeper in the parent. Each worker reads the event log once per wake-up for
its own streams (``accord.events.hub``), so workers share no state: on PostgreSQL each
is woken by NOTIFY, on SQLite each polls. A Python process serves on one core at a
time; more workers use more cores.
"""

import logging
import os
import signal
import threading
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from uvicorn.supervisors import Multiprocess

from accord.serving import PerWorkerSockets, listening_sockets
from accord.sweeper import SweeperLease, run_sweep
from accord.worker import SERVING_ENV, WORKER_ENV

logger = logging.getLogger(__name__)

# Live-feed streams never end by themselves: on shutdown they get this long to finish.
GRACEFUL_SHUTDOWN_SECONDS = 3
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def sweep_forever(stop: threading.Event, interval: float) -> None:
    """Run the sweeper now and then every ``interval`` seconds until ``stop`` is set.

    Only while this process holds the sweeper lease: of several servers sharing one
    database exactly one sweeps, and another takes over within an interval of its end.
    """
    lease = SweeperLease()
    try:
        while not stop.is_set():
            try:
                if lease.acquire():
                    run_sweep()
            except Exception:
                logger.exception("deadline sweeper run failed")
            finally:
                # This thread outlives any request: release its connection between runs.
                connections.close_all()
            stop.wait(interval)
    finally:
        lease.release()


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class Command(BaseCommand):
    help = _("Serve Accord over HTTP (uvicorn, ASGI) with the deadline sweeper in-process.")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse wants a str: the lazy help is translated when the parser is built.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help=_("Address to bind (default 127.0.0.1).")
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help=_("Port to bind (default: $PORT, else 8000)."),
        )
        parser.add_argument(
            "--no-sweeper", action="store_true", help=_("Do not run the deadline sweeper here.")
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("ACCORD_WORKERS", "1")),
            help=_("Server processes (default: $ACCORD_WORKERS, else 1)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host = options["host"]
        workers = options["workers"]
        if workers < 1:
            raise CommandError(
                _("--workers must be 1 or more, not {workers}.").format(workers=workers)
            )
        # Bound here, not by uvicorn, so a busy port is a clear error before anything
        # starts and "--port 0" can print the port the system chose.
        try:
            sockets = listening_sockets(host, options["port"], workers)
        except OSError as exc:
            raise CommandError(
                _("Cannot listen on {host} port {port}: {problem}").format(
                    host=host, port=options["port"], problem=exc
                )
            ) from exc
        port = sockets[0].getsockname()[1]
        config = uvicorn.Config(
            "accord.asgi:application",
            host=host,
            port=port,
            workers=workers,
            lifespan="off",
            log_level="warning",
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        )
        # accord.asgi tunes the garbage collector of the process(es) that serve.
        os.environ[SERVING_ENV] = "1"
        server = uvicorn.Server(config)
        supervisor: Multiprocess | None = None
        if workers > 1:
            # Workers die with this process even when it is killed outright (see asgi.py):
            # no orphan keeps the port or serves from a stale configuration.
            os.environ[WORKER_ENV] = "1"
            if len(sockets) > 1:
                supervisor = PerWorkerSockets(config, sockets=sockets)
            else:
                supervisor = Multiprocess(config, sockets=sockets)

        def request_stop(signum: int, frame: object) -> None:
            if supervisor is not None:
                supervisor.should_exit.set()
            server.should_exit = True

        # uvicorn handles SIGINT/SIGTERM while it runs (graceful shutdown), then restores
        # these handlers and re-raises the signal to them: with Python's defaults that
        # would end a clean stop in a KeyboardInterrupt traceback or a kill status.
        previous = {sig: signal.signal(sig, request_stop) for sig in STOP_SIGNALS}
        stop = threading.Event()
        sweeper = None
        if not options["no_sweeper"]:
            interval = settings.ACCORD_SWEEP_SECONDS
            sweeper = threading.Thread(
                target=sweep_forever, args=(stop, interval), name="accord-sweeper", daemon=True
            )
            sweeper.start()
            self.stdout.write(
                _("Deadline sweeper: every {seconds} s.").format(seconds=f"{interval:g}")
            )
        if workers > 1:
            serving = _(
                "Accord is serving at {url} with {workers} worker processes (Ctrl+C to stop)."
            )
        else:
            serving = _("Accord is serving at {url} (Ctrl+C to stop).")
        self.stdout.write(serving.format(url=_url(host, port), workers=workers))
        self.stdout.flush()
        try:
            if supervisor is not None:
                supervisor.run()
            else:
                server.run(sockets=sockets)
        finally:
            stop.set()
            for sock in sockets:
                sock.close()
            if sweeper is not None:
                # Let a sweep in progress commit; a killed one would only be redone.
                sweeper.join(timeout=GRACEFUL_SHUTDOWN_SECONDS)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(gettext("Stopped."))
