"""The JSON API: one NinjaAPI, a router per app, session or bearer-token auth.

Every endpoint authenticates; every read goes through the app's selectors (and so
through ``accounts.access``); every write through its services. ``AccordError`` becomes
a JSON body ``{"code": ..., "detail": ...}`` with its 4xx status.
"""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from accord.accounts.selectors import user_for_token
from accord.errors import AccordError


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``accord token create``."""

    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[override]
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class TokenHeader(APIKeyHeader):
    """``X-Accord-Token: <token>`` for clients that cannot set Authorization."""

    param_name = "X-Accord-Token"

    def authenticate(self, request: HttpRequest, key: str | None):  # type: ignore[override]
        user = user_for_token(key or "")
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Accord API",
    version="1",
    description="Processes, bodies, roadmap, internal notes and the event log of Accord.",
    # Tokens first: the session check raises on a missing CSRF token, ending the search.
    auth=[BearerToken(), TokenHeader(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(AccordError)
def accord_error(request: HttpRequest, exc: AccordError) -> HttpResponse:
    return api.create_response(
        request, {"code": exc.code, "detail": exc.message}, status=exc.status
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"code": "invalid", "detail": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "unauthenticated", "detail": "Sign in or send a valid API token."},
        status=401,
    )


def _register_routers() -> None:
    from accord.accounts.api import router as accounts_router
    from accord.channels.api import router as channels_router
    from accord.divergences.api import router as divergences_router
    from accord.drafting.api import router as drafting_router
    from accord.events.api import router as events_router
    from accord.meetings.api import router as meetings_router
    from accord.notes.api import router as notes_router
    from accord.process.api import router as process_router
    from accord.reports.api import router as reports_router

    api.add_router("/", process_router)
    api.add_router("/", accounts_router)
    api.add_router("/notes", notes_router)
    api.add_router("/events", events_router)
    api.add_router("/drafting", drafting_router)
    api.add_router("/meetings", meetings_router)
    api.add_router("/divergences", divergences_router)
    api.add_router("/channels", channels_router)
    api.add_router("/reports", reports_router)


_register_routers()
