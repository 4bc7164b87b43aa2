"""Worker processes of ``accord serve --workers N`` (no Django import: used by asgi.py
before Django is set up)."""

import gc
import os
import signal
import sys

# Set by ``accord serve --workers N`` for the worker processes it starts.
WORKER_ENV = "ACCORD_SERVE_WORKER"
# Set by ``accord serve`` for the process(es) that serve requests (see ``gc_tune``).
SERVING_ENV = "ACCORD_SERVING"
# Allocations between two collections of the youngest generation (Python's default: 700).
GC_YOUNG_THRESHOLD = 50_000


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


def gc_tune() -> None:
    """Make Python's cyclic garbage collector cheap in a long-running server process.

    Everything loaded at start (Django, the app, their modules and caches) lives as long
    as the process, yet every full collection walked it all again while holding the
    GIL, pausing every live-feed stream and request of the worker: in the hotline
    benchmark the collector took a tenth of the event loop's time and its pauses made
    the slowest deliveries. ``gc.freeze`` takes what exists now out of the collector's
    sight; the higher young-generation threshold collects less often what comes after
    (most of it is freed by reference counting anyway). Decision 0047.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)
