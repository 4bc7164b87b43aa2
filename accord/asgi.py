"""ASGI entry point: the live feed (SSE) needs an async server (uvicorn)."""

import os

from django.core.asgi import get_asgi_application

from accord.worker import WORKER_ENV, die_with_parent

if os.environ.get(WORKER_ENV) == "1":
    die_with_parent()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
application = get_asgi_application()
