"""The listening sockets and the worker supervisor of ``accord serve --workers N``.

uvicorn's own supervisor gives every worker the one listening socket, and the kernel
hands a new connection to whichever worker's event loop accepts first; libuv then
accepts every pending connection at once, so a burst of connections (a sender's pool,
a room of browsers reconnecting after a restart) lands mostly on one worker. A
connection stays with the worker that accepted it (keep-alive requests, live-feed
streams), so the imbalance lasts: in the hotline benchmark one worker held 58 % of the
connections and its sends queued while the other worker idled.

On Linux each worker therefore accepts on a socket of its own, all bound to the port
with SO_REUSEPORT: the kernel spreads new connections over them by a hash of their
addresses, whoever is awake (decision 0048). The supervisor keeps every socket open, so
connections that arrive for a worker being restarted wait in its socket's backlog.
Elsewhere, and with one worker, there is one socket as before.
"""

from __future__ import annotations

import logging
import socket
import sys

from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

logger = logging.getLogger(__name__)


def per_worker_sockets_supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """Sockets listening on (``host``, ``port``): ``count`` of them where the kernel
    balances connections over a SO_REUSEPORT group (see the module docstring), else one.

    Raise ``OSError`` if the port is taken, even by another SO_REUSEPORT group of this
    user, which the group's own binds would silently join: a plain bind first proves
    the port free (and picks it when ``port`` is 0).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if count <= 1 or not per_worker_sockets_supported():
        return [socket.create_server((host, port), family=family)]
    with socket.create_server((host, port), family=family) as probe:
        port = probe.getsockname()[1]
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(socket.create_server((host, port), family=family, reuse_port=True))
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class PerWorkerSockets(Multiprocess):
    """uvicorn's supervisor with worker ``i`` accepting on ``sockets[i]`` only.

    Health checks, signals and shutdown are uvicorn's; only the three places that start
    a worker are replaced, so a worker restarted for any reason takes over its
    predecessor's socket. The number of workers is fixed by the sockets: SIGTTIN and
    SIGTTOU (uvicorn's "one more / one fewer worker") are refused.
    """

    def _start(self, slot: int) -> Process:
        process = Process(self.config, [self.sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._start(slot) for slot in range(len(self.sockets))]

    def restart_all(self) -> None:
        """On SIGHUP: replace each worker, the new one serving before the old one stops."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._start(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                logger.error("a new worker was not ready in time; the restart stopped")
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        """Replace a worker that died or hangs, on its own socket."""
        for slot, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                # It failed before serving: the next one would fail the same way.
                logger.error("a worker failed to start; stopping")
                self.should_exit.set()
                return
            logger.warning("worker %s died; starting another on its socket", process.pid)
            self.processes[slot] = self._start(slot)

    def handle_ttin(self) -> None:
        logger.warning("SIGTTIN ignored: the number of workers is fixed by --workers")

    def handle_ttou(self) -> None:
        logger.warning("SIGTTOU ignored: the number of workers is fixed by --workers")
