"""Cross-app pages: search."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.web.search import search


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = search(actor=request.user, query=query) if query else None
    return render(request, "web/search.html", {"query": query, "results": results})
