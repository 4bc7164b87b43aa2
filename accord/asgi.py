"""ASGI entry point: the live feed on the event loop, every other request in a thread.

The live feed (``/events/stream``, SSE) holds a connection open per browser and must
run on the event loop: it goes to Django's ASGI handler. Every other request is plain
synchronous Django (sync views, sync middleware, the ORM), and Django's ASGI handler
would run it through a dozen thread hand-offs (``sync_to_async`` around each
middleware, a new thread per request, a new database connection per request): on these
machines that is about 9 ms of CPU for a request that costs 2.5 ms through Django's
WSGI handler. So those requests go to the WSGI handler, run whole in one thread of a
small pool (one thread by default) whose threads keep their database connection
(decision 0008).

A request body is capped at ``ACCORD_MAX_REQUEST_BYTES``: a declared length over it is
refused with 413 before a byte of the body is read, and a body that grows past it while
arriving (chunked, or a lying length) is refused as soon as it does. What is read is
spooled to disk past 64 KB (asgiref), and Django streams uploaded files to temporary
files past ``FILE_UPLOAD_MAX_MEMORY_SIZE``: no upload is ever held in memory whole.

With ``ACCORD_SERVER_TIMING`` on, each such answer says where its time went (a
``Server-Timing`` header): waiting for a request thread (``queue``), running in it
(``app``, wall clock) and that thread's CPU time (``cpu``), in milliseconds. A slow
answer from a busy server is then told apart from a slow request.
"""

import asyncio
import contextvars
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import sync_to_async
from asgiref.wsgi import WsgiToAsgiInstance
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.utils.translation import gettext_lazy as _

from accord.errors import ValidationFailed
from accord.worker import SERVING_ENV, WORKER_ENV, die_with_parent, gc_tune

if os.environ.get(WORKER_ENV) == "1":
    die_with_parent()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")

# Paths served by async views on the event loop; everything else is synchronous Django.
ASYNC_PATHS = ("/events/stream",)
# One by default: measured with bench/channels_bench.py, a second thread per process only
# adds GIL hand-offs and (on SQLite) writers sleeping in the busy handler; concurrency
# comes from ``accord serve --workers N`` instead (decision 0008).
REQUEST_THREADS = int(os.environ.get("ACCORD_REQUEST_THREADS", "1"))

# The one answer to a body over the cap (its status is 413, set where it is sent).
REQUEST_TOO_LARGE = ValidationFailed.case(
    "request.too_large",
    _("The request is larger than the {limit:,} bytes this server accepts."),
)

_request_threads = ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="accord-request")


def _serve_in_thread(instance: "_PooledWsgiInstance", body: Any) -> bytes | None:
    """Run the WSGI application for one request, in a request thread.

    asgiref's own ``run_wsgi_app`` with three changes: it runs in our pool (not in the
    one thread asgiref reserves for thread-sensitive code); it closes the response
    iterable as WSGI requires, which is when Django sends ``request_finished`` (closing
    or recycling the thread's database connection) and closes file responses; and a
    response that is not streamed (every page and API answer) is returned whole for the
    event loop to send once this thread is free. Sending from here means waiting for
    the event loop two or three times per request, and while it fans an event out to
    hundreds of live-feed streams the next request waits with it (decision 0047).
    Streamed responses (files, exports) are still sent from here, chunk by chunk, so a
    large download is never held in memory whole, through ``send_from_thread`` rather
    than asgiref's ``sync_send`` (see there).
    """
    instance.started = time.perf_counter()
    cpu_started = time.thread_time()
    environ = instance.build_environ(instance.scope, body)
    result = instance.wsgi_application(environ, instance.start_response)
    try:
        if getattr(result, "streaming", None) is False:  # a Django HttpResponse
            whole = b"".join(result)
            instance.cpu = time.thread_time() - cpu_started
            instance.ended = time.perf_counter()
            return whole
        for output in result:
            if not instance.response_started:
                instance.response_started = True
                instance.send_from_thread(instance.response_start)
            instance.send_from_thread(
                {"type": "http.response.body", "body": output, "more_body": True}
            )
        if not instance.response_started:
            instance.response_started = True
            instance.send_from_thread(instance.response_start)
        instance.send_from_thread({"type": "http.response.body"})
        return None
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()


_in_request_thread = sync_to_async(
    _serve_in_thread, thread_sensitive=False, executor=_request_threads
)


class _TooLarge(Exception):
    """The body grew past the cap while it was being received."""


def _declared_length(scope: dict) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse_too_large(scope: dict, send: Any, limit: int) -> None:
    """413 in the API's error shape for /api/, a sentence for anything else."""
    detail = REQUEST_TOO_LARGE.text(limit=limit)
    if scope["path"].startswith("/api/"):
        body = json.dumps({"code": REQUEST_TOO_LARGE.code, "detail": detail}).encode()
        content_type = b"application/json"
    else:
        body = detail.encode()
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _PooledWsgiInstance(WsgiToAsgiInstance):
    # When the request was read whole, and when its request thread took it and let it
    # go (``time.perf_counter``), and that thread's CPU seconds for it: ``server_timing``.
    arrived = started = ended = cpu = 0.0
    # The event loop and a copy of the request task's context (``send_from_thread``).
    loop: asyncio.AbstractEventLoop
    context: contextvars.Context

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        self.send = send
        limit = settings.ACCORD_MAX_REQUEST_BYTES
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _refuse_too_large(scope, send, limit)
            return
        received = 0

        async def receive_capped() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        try:
            await super().__call__(scope, receive_capped, send)
        except _TooLarge:
            await _refuse_too_large(scope, send, limit)

    def send_from_thread(self, message: dict) -> None:
        """Send ``message`` from the request thread: on the event loop, in the context of
        this request's own task, and wait until it is sent.

        Not asgiref's ``sync_send`` (``AsyncToSync``): that runs the send in a copy of
        the *thread's* context with its ``CurrentThreadExecutor`` set, and the server's
        send of the last chunk arms the connection's next request (uvicorn's keep-alive
        and pipelining) from there. The next request on that connection then inherited
        an executor that had quit, and the live feed, served by Django's ASGI handler,
        answered 500 on its first thread-sensitive call ("CurrentThreadExecutor already
        quit or is broken", ``request_started.asend``) whenever a browser opened it on
        a connection that had just carried a script or a stylesheet.
        """
        done = asyncio.run_coroutine_threadsafe(self._send_in_request_context(message), self.loop)
        done.result()

    async def _send_in_request_context(self, message: dict) -> None:
        # A task of its own (``run_coroutine_threadsafe``) whose context is replaced by
        # the request's, so whatever the send schedules carries nothing of this thread.
        await asyncio.get_running_loop().create_task(self.send(message), context=self.context)

    async def run_wsgi_app(self, body: Any) -> None:
        # The body has been read (an upload's transfer is not the queue's).
        self.arrived = time.perf_counter()
        self.loop = asyncio.get_running_loop()
        # A copy of the request task's context, for what ``send_from_thread`` schedules.
        self.context = contextvars.copy_context()
        whole = await _in_request_thread(self, body)
        if whole is not None:
            self.response_started = True
            start = self.response_start
            if settings.ACCORD_SERVER_TIMING:
                start = {**start, "headers": [*start["headers"], self.server_timing()]}
            await self.send(start)
            await self.send({"type": "http.response.body", "body": whole})

    def server_timing(self) -> tuple[bytes, bytes]:
        """The ``Server-Timing`` header of an answer returned whole (milliseconds)."""
        queue = self.started - self.arrived
        app = self.ended - self.started
        value = (
            f"queue;dur={queue * 1000:.1f}, app;dur={app * 1000:.1f}, cpu;dur={self.cpu * 1000:.1f}"
        )
        return b"server-timing", value.encode()


class Router:
    """Send the live feed to Django's ASGI handler and the rest to its WSGI handler."""

    def __init__(self) -> None:
        self.asgi = get_asgi_application()
        self.wsgi = get_wsgi_application()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(ASYNC_PATHS):
            await _PooledWsgiInstance(self.wsgi)(scope, receive, send)
            return
        await self.asgi(scope, receive, send)


application = Router()

if os.environ.get(SERVING_ENV) == "1":
    # Loaded: from here on the process only serves (see ``gc_tune``).
    gc_tune()
