"""The one place where a page turns a refusal into an answer.

Views call services and selectors and let ``AccordError`` rise; this middleware answers
for every page, so no view carries its own try/except:

- an htmx request gets the sentence as plain text with the error's status (the page's
  script shows it where the action was taken);
- a form posted without htmx goes back where it came from (its ``next`` field or the
  referring page, when either is on this site) with the sentence as a message, so what
  the user was doing stays in view;
- anything else (a page that was asked for) renders the error page with the status: a
  missing and a forbidden thing answer alike (404), so existence never leaks.

A view that re-shows a form with the user's input beside the error may still catch
``ValidationFailed`` itself: that is the form's flow, not error handling.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from accord.errors import AccordError, NotFound
from accord.security.signals import refusal_record


class AccordErrorMiddleware:
    """Answer an ``AccordError`` raised by a page view (not the API: it has its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AccordError):
            return None
        return error_response(request, exception)


def error_response(request: HttpRequest, error: AccordError) -> HttpResponse:
    """The answer a page gives for ``error`` (see the module's docstring)."""
    refusal_record(request, error)
    if getattr(request, "htmx", False):
        return HttpResponse(
            error.message, status=error.status, content_type="text/plain; charset=utf-8"
        )
    if request.method == "POST" and not isinstance(error, NotFound):
        back = _back(request)
        if back is not None:
            messages.error(request, error.message)
            return HttpResponseRedirect(back)
    return render(
        request,
        "web/error.html",
        {"message": error.message, "code": error.code, "status": error.status},
        status=error.status,
    )


def _back(request: HttpRequest) -> str | None:
    """Where a refused form returns to: its ``next`` field or the referring page, if on
    this site; otherwise None."""
    for candidate in (request.POST.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return None
