"""The JSON API: one NinjaAPI, a router per app, session or bearer-token auth.

Every endpoint authenticates; every read goes through the app's selectors (and so
through ``accounts.access``); every write through its services. Every refusal is one
body, ``{"code": ..., "detail": ...}`` (``ErrorOut``), with its 4xx status: an
``AccordError`` (its case's dotted code and sentence), a request that does not validate
(``request.invalid``, the list of problems as ``detail``), a caller who is not signed in
(``auth.required``), a session-signed write without its CSRF token
(``auth.csrf_failed``), a body that is not JSON (``request.malformed``). The OpenAPI
document lists, for every operation, each error status it can answer
(``error_statuses``, decision 0065).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from accord.accounts.selectors import token_for_secret
from accord.accounts.services import token_use_record
from accord.errors import (
    AccordError,
    ErrorCase,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
)
from accord.pagination import document_pages
from accord.security.signals import refusal_record
from accord.security.throttling import (
    API_THROTTLED,
    AddressRateThrottle,
    UserRateThrottle,
    token_failed,
    token_guard,
)

AUTH_REQUIRED = Unauthenticated.case("auth.required", _("Sign in or send a valid API token."))
AUTH_CSRF_FAILED = PermissionDenied.case(
    "auth.csrf_failed",
    _(
        "A change signed in by session needs its CSRF token (the X-CSRFToken header); "
        "or send an API token instead."
    ),
)
REQUEST_INVALID = ValidationFailed.case(
    "request.invalid",
    _("The request's parameters or body are not valid; the detail lists each problem."),
)
REQUEST_MALFORMED = AccordError.case(
    "request.malformed", _("The request's body cannot be read: send it as JSON.")
)
REQUEST_NOT_FOUND = NotFound.case("request.not_found", _("There is nothing here by that name."))
REQUEST_REFUSED = AccordError.case("request.refused", _("The request was refused: {reason}"))
TOKEN_EXPIRED = Unauthenticated.case(
    "token.expired",
    _("The API token {prefix}… expired on {day}: create a new one on the API tokens page."),
)
TOKEN_SCOPE_REFUSED = PermissionDenied.case(
    "token.scope_refused",
    _("The API token {prefix}… may not make this change: its scopes are {scopes}."),
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ErrorOut(Schema):
    """Every error answer: a stable dotted code and a sentence (or, for ``request.invalid``,
    the list of problems, each with its ``loc``, ``msg`` and ``type``)."""

    code: str
    detail: str | list[Any]


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``accord token create``."""

    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[override]
        return _token_user(request, token)


class TokenHeader(APIKeyHeader):
    """``X-Accord-Token: <token>`` for clients that cannot set Authorization."""

    param_name = "X-Accord-Token"

    def authenticate(self, request: HttpRequest, key: str | None):  # type: ignore[override]
        return _token_user(request, key or "")


def _token_user(request: HttpRequest, secret: str):
    """The user of the token ``secret``; an address locked out by failures is refused
    first (429), and a token that matches nothing counts as a failure of its address.

    An expired token is refused in words (401 ``token.expired``), and a change the
    token's scopes do not cover is refused before it reaches a service (403
    ``token.scope_refused``, decision 0092). A use is noted (``last_used_at``)."""
    if not secret:
        return None
    token_guard(request)
    token = token_for_secret(secret)
    if token is None:
        token_failed(request, secret)
        return None
    if token.expired(timezone.now()):
        raise TOKEN_EXPIRED(prefix=token.prefix, day=f"{token.expires_at:%Y-%m-%d}")
    if request.method not in SAFE_METHODS and not token.may_change(request.path):
        raise TOKEN_SCOPE_REFUSED(prefix=token.prefix, scopes=", ".join(token.scopes))
    token_use_record(token)
    request.user = token.user
    return token.user


class SessionAuth(NinjaSessionAuth):
    """Django's session cookie; a change also needs the CSRF token.

    Without a session cookie there is no session to protect: the caller is not signed
    in (401), rather than refused for a missing CSRF token (403).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


class AccordAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        document_pages(schema)
        return schema


api = AccordAPI(
    title="Accord API",
    version="1",
    description=_(
        "Processes, bodies, roadmap, internal notes and the event log of Accord. Every "
        'error answers {"code": "<entity>.<reason>", "detail": "<sentence>"} with its '
        "status; codes are stable, sentences are in the caller's language."
    ),
    # Tokens first: the session check refuses a change without its CSRF token, ending
    # the search.
    auth=[BearerToken(), TokenHeader(), SessionAuth()],
    # Per user and per address (settings ACCORD_API_RATE, ACCORD_API_ADDRESS_RATE): 429.
    throttle=[UserRateThrottle(), AddressRateThrottle()],
    urls_namespace="api",
)


def _error(request: HttpRequest, code: str, detail: Any, status: int) -> HttpResponse:
    return api.create_response(request, {"code": code, "detail": detail}, status=status)


@api.exception_handler(AccordError)
def accord_error(request: HttpRequest, exc: AccordError) -> HttpResponse:
    refusal_record(request, exc)
    response = _error(request, exc.code, exc.message, exc.status)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, REQUEST_INVALID.code, exc.errors, REQUEST_INVALID.status)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, AUTH_REQUIRED.code, AUTH_REQUIRED.text(), AUTH_REQUIRED.status)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own refusals: a body that is not JSON, the session's CSRF check.
    for case in (REQUEST_MALFORMED, AUTH_CSRF_FAILED, API_THROTTLED):
        if exc.status_code == case.status:
            return _error(request, case.code, case.text(), case.status)
    return _error(request, REQUEST_REFUSED.code, REQUEST_REFUSED.text(reason=exc), exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, REQUEST_NOT_FOUND.code, REQUEST_NOT_FOUND.text(), 404)


# What each error status means, for the OpenAPI document.
ERROR_MEANINGS = {
    400: _(
        "Refused (a rule of the process forbids it), a body that is not JSON "
        "(`request.malformed`), or a cursor this server did not issue "
        "(`event.cursor_invalid`, `page.cursor_invalid`)."
    ),
    401: _(
        "Not signed in: send an API token (Authorization: Bearer, or X-Accord-Token) or "
        "a session cookie. Code `auth.required`."
    ),
    403: _(
        "Not allowed for the caller (or, for a change signed in by session, no CSRF "
        "token: `auth.csrf_failed`)."
    ),
    404: _("Not found, or not visible to the caller: the two answer alike."),
    409: _("Conflicts with the current state (already done, changed meanwhile)."),
    413: _("The request's body is larger than the server accepts (`request.too_large`)."),
    422: _(
        "Not valid: `request.invalid` (detail: a list of problems) for parameters or a "
        "body that do not match this operation, or a case of the values given."
    ),
    429: _(
        "Too many requests (`request.throttled`), or an address locked out by failed "
        "sign-ins or tokens (`auth.locked_out`): wait the seconds in Retry-After."
    ),
}
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses the OpenAPI ``operation`` (under ``method``) can answer.

    Authenticated: 401 (no valid sign-in) and 403 (a service's or selector's
    ``PermissionDenied``; a change's CSRF check) and 404 (what it names, by path or by
    a parameter, a body field, or the process itself, is missing or invisible) and 429
    (the rate limits per user and address, a locked-out address). With
    parameters or a body: 422 (they do not validate, or a service's
    ``ValidationFailed``). A change: also 400 and 409 (the refusals of a service), and
    413 (a body over ``ACCORD_MAX_REQUEST_BYTES``, refused by ``accord/asgi.py``).
    """
    statuses = set()
    if operation.get("security"):
        statuses |= {401, 403, 404, 429}
    if operation.get("parameters") or operation.get("requestBody"):
        statuses |= {404, 422}
    if any(p.get("name") in ("after", "cursor") for p in operation.get("parameters", [])):
        statuses |= {400}  # a forged or foreign cursor
    if method in WRITE_METHODS:
        statuses |= {400, 403, 404, 409, 413, 422}
    return sorted(statuses)


def document_errors(schema: dict[str, Any]) -> None:
    """Add ``ErrorOut`` and, to every operation, the error statuses it can answer
    (``error_statuses``). A status an operation declares with a body of its own (an
    import's report of problems) may answer either body: both are listed."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema()
    # Every error code declared in the project (each once, as an ErrorCase).
    error_schema["properties"]["code"]["examples"] = sorted(ErrorCase.registry)
    schemas["ErrorOut"] = error_schema
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path_item in schema["paths"].values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation):
                declared = responses.get(status) or responses.get(str(status))
                if declared is None:
                    responses[status] = {
                        "description": str(ERROR_MEANINGS[status]),
                        "content": {"application/json": {"schema": error_ref}},
                    }
                    continue
                body = declared.setdefault("content", {}).setdefault("application/json", {})
                own = body.get("schema")
                if own is None:
                    body["schema"] = error_ref
                elif own != error_ref:
                    body["schema"] = {"anyOf": [own, error_ref]}


def _register_routers() -> None:
    from accord.accounts.api import router as accounts_router
    from accord.analysis.api import router as analysis_router
    from accord.channels.api import router as channels_router
    from accord.compliance.api import router as compliance_router
    from accord.deconfliction.api import router as deconfliction_router
    from accord.divergences.api import router as divergences_router
    from accord.drafting.api import router as drafting_router
    from accord.events.api import router as events_router
    from accord.incidents.api import router as incidents_router
    from accord.maritime.api import router as maritime_router
    from accord.meetings.api import router as meetings_router
    from accord.notes.api import router as notes_router
    from accord.process.api import router as process_router
    from accord.reports.api import router as reports_router
    from accord.security.api import router as security_router

    api.add_router("/", process_router)
    api.add_router("/", accounts_router)
    api.add_router("/notes", notes_router)
    api.add_router("/events", events_router)
    api.add_router("/drafting", drafting_router)
    api.add_router("/meetings", meetings_router)
    api.add_router("/divergences", divergences_router)
    api.add_router("/compliance", compliance_router)
    api.add_router("/incidents", incidents_router)
    api.add_router("/channels", channels_router)
    api.add_router("/reports", reports_router)
    api.add_router("/analysis", analysis_router)
    api.add_router("/deconfliction", deconfliction_router)
    api.add_router("/security", security_router)
    api.add_router("/maritime", maritime_router)


_register_routers()
