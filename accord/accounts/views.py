"""Account pages: API tokens."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _g

from accord.accounts import selectors, services
from accord.accounts.models import TOKEN_DAYS, TOKEN_MAX_DAYS, TokenScope
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
