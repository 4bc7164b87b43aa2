"""Account pages: API tokens."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _g

from accord.accounts import services
from accord.accounts.models import ApiToken


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The caller's tokens: create one (its secret shown once) or revoke one by prefix."""
    secret = None
    if request.method == "POST":
        if "revoke" in request.POST:
            services.token_revoke(actor=request.user, prefix=request.POST["revoke"])
            return redirect("accounts:tokens")
        name = (request.POST.get("name") or "").strip()[:100] or _g("API token")
        _, secret = services.token_create(actor=request.user, name=name)
    context = {
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
        "secret": secret,
    }
    return render(request, "accounts/tokens.html", context)
