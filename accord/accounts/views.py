"""Account pages: API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accord.accounts import services
from accord.accounts.models import ApiToken
from accord.errors import AccordError


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    secret = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token_id = int(request.POST["revoke"]) if request.POST["revoke"].isdigit() else 0
            try:
                services.token_revoke(user=request.user, token_id=token_id)
            except AccordError as error:
                messages.error(request, error.message)
            return redirect("accounts:tokens")
        name = (request.POST.get("name") or "").strip()[:100] or "API token"
        _, secret = services.token_create(user=request.user, name=name)
    context = {
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
        "secret": secret,
    }
    return render(request, "accounts/tokens.html", context)
