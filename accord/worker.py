"""Worker processes of ``accord serve --workers N`` (no Django import: used by asgi.py
before Django is set up)."""

import os
import signal
import sys

# Set by ``accord serve --workers N`` for the worker processes it starts.
WORKER_ENV = "ACCORD_SERVE_WORKER"


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the process that started it dies.

    uvicorn stops its workers on SIGINT/SIGTERM, but a supervisor killed outright
    (SIGKILL, the OOM killer) would leave them serving on the port. Linux only; where
    ``prctl`` is missing the worker simply outlives its parent, as uvicorn's do.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    # The parent may have died before the call: then nobody would send the signal.
    if os.getppid() == 1:
        os._exit(1)
