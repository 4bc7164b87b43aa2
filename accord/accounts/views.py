"""Account pages: API tokens, and how a person reads Accord (their settings)."""

from zoneinfo import available_timezones

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _g

from accord.accounts import selectors, services
from accord.accounts.models import (
    TOKEN_DAYS,
    TOKEN_MAX_DAYS,
    CalendarChoice,
    DigitStyle,
    TokenScope,
)
from accord.errors import ValidationFailed
from accord.formstate import FormState, refused

# Which field of the create form each refusal is about.
TOKEN_FIELDS = {
    services.TOKEN_SCOPE_UNKNOWN.code: "scopes",
    services.TOKEN_READ_ONLY_WITH_OTHERS.code: "scopes",
    services.TOKEN_DAYS_INVALID.code: "days",
}


def _days(text: str | None) -> int:
    try:
        return int(text or TOKEN_DAYS)
    except ValueError:
        return 0  # refused by the service with its sentence


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The caller's tokens: create one (its secret shown once) or revoke one by prefix."""
    secret = None
    form = FormState()
    status = 200
    if request.method == "POST":
        if "revoke" in request.POST:
            services.token_revoke(actor=request.user, prefix=request.POST["revoke"])
            return redirect("accounts:tokens")
        name = (request.POST.get("name") or "").strip()[:100] or _g("API token")
        try:
            _, secret = services.token_create(
                actor=request.user,
                name=name,
                scopes=request.POST.getlist("scopes") or None,
                days=_days(request.POST.get("days")),
            )
        except ValidationFailed as error:
            form, status = refused(request.POST, error, TOKEN_FIELDS), 422
    context = {
        "tokens": selectors.token_list(actor=request.user),
        "secret": secret,
        "form": form,
        "chosen_scopes": request.POST.getlist("scopes") if form.refused else [TokenScope.ALL],
        "scopes": TokenScope.choices,
        "default_days": TOKEN_DAYS,
        "max_days": TOKEN_MAX_DAYS,
    }
    return render(request, "accounts/tokens.html", context, status=status)


# Which field of the settings form each refusal is about.
PREFERENCE_FIELDS = {
    services.INTERFACE_LANGUAGE_UNKNOWN.code: "language",
    services.TIMEZONE_INVALID.code: "timezone",
    services.DIGITS_UNKNOWN.code: "digits",
    services.CALENDAR_UNKNOWN.code: "calendar",
}
# The zones people in a process most likely read (the charter's own come first).
COMMON_ZONES = (
    "UTC",
    "Asia/Tehran",
    "Asia/Karachi",
    "Asia/Qatar",
    "America/New_York",
    "Europe/Zurich",
    "Asia/Dubai",
    "Asia/Muscat",
    "Europe/London",
)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """How the caller reads Accord: language, time zone, digits and calendar."""
    form = FormState()
    status = 200
    user = request.user
    if request.method == "POST":
        try:
            services.user_preferences_set(
                actor=user,
                language=request.POST.get("language", ""),
                timezone_name=request.POST.get("timezone", ""),
                digits=request.POST.get("digits", ""),
                calendar=request.POST.get("calendar", ""),
            )
        except ValidationFailed as error:
            form, status = refused(request.POST, error, PREFERENCE_FIELDS), 422
        else:
            messages.success(request, _g("Your settings are saved."))
            response = redirect("accounts:preferences")
            # The choice made here wins over an earlier choice in the top bar's select.
            if user.language:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            else:
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
            return response
    delegation = user.delegation
    zones = list(
        dict.fromkeys(
            [*(z for z in (user.timezone, getattr(delegation, "timezone", "")) if z), *COMMON_ZONES]
        )
    )
    languages = dict(settings.LANGUAGES)
    context = {
        "form": form,
        "languages": settings.LANGUAGES,
        "chosen": {
            "language": form.values.get("language", user.language)
            if form.refused
            else user.language,
            "timezone": form.values.get("timezone", user.timezone)
            if form.refused
            else user.timezone,
            "digits": form.values.get("digits", user.digits) if form.refused else user.digits,
            "calendar": form.values.get("calendar", user.calendar)
            if form.refused
            else user.calendar,
        },
        "delegation_language": languages.get(getattr(delegation, "language", ""), ""),
        "delegation_timezone": getattr(delegation, "timezone", ""),
        "zones": zones,
        "all_zones": sorted(available_timezones()),
        "digit_styles": DigitStyle.choices,
        "calendars": CalendarChoice.choices,
        "now": timezone.now(),
    }
    return render(request, "accounts/preferences.html", context, status=status)
