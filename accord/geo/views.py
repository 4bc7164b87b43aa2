"""Pages of a mechanism's geography: its map (area, zones, land) and the same as JSON.

The map is the shared component (``geo/_map.html``); the JSON is what it reads. Every
participant of the process sees the process's structure, mechanisms' geography included
(``process.access.mechanism_access``); anyone else is answered as for no such mechanism.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accord.geo import layers, selectors
from accord.process import access as process_access


def _bounds(geography) -> str:
    if geography.area is None:
        return ""
    west, south, east, north = geography.area.geometry.bounds
    return f"{west},{south},{east},{north}"


@login_required
def mechanism_map(request: HttpRequest, code: str) -> HttpResponse:
    mechanism = process_access.mechanism_access(request.user, code)
    geography = selectors.geography_of(mechanism)
    return render(
        request,
        "geo/mechanism_map.html",
        {"mechanism": mechanism, "geography": geography, "bounds": _bounds(geography)},
    )


@login_required
def mechanism_layers(request: HttpRequest, code: str) -> JsonResponse:
    mechanism = process_access.mechanism_access(request.user, code)
    geography = selectors.geography_of(mechanism)
    return JsonResponse({"layers": [layers.area_layer(geography), layers.zones_layer(geography)]})
