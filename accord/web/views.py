"""Cross-app pages: search; and the site's icon where browsers look for it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from accord.web.search import search


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = search(actor=request.user, query=query) if query else None
    return render(request, "web/search.html", {"query": query, "results": results})


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, asked for by every browser whatever the page says: the static icon."""
    return HttpResponsePermanentRedirect(static("web/favicon.ico"))
