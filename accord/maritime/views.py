"""The vessels page: the channel's AIS picture as a table, open encounters and alerts.

The live map is the geo app's page; this one is for reading and searching. Reads only,
through ``maritime.selectors``.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accord.maritime import access, mapframes, selectors


@login_required
def vessels(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:40]
    rows = list(selectors.vessel_list(actor=request.user, query=query, limit=500))
    return render(
        request,
        "maritime/vessels.html",
        {
            "vessels": rows,
            "query": query,
            "encounters": list(selectors.encounter_list(actor=request.user, open_only=True)[:50]),
            "alerts": list(selectors.vessel_alert_list(actor=request.user)[:50]),
            "maps": mapframes.maps_for(request.user),
        },
    )


@login_required
def vessel(request: HttpRequest, vessel_id: str) -> HttpResponse:
    row = access.vessel_access(request.user, vessel_id)
    _vessel, points = selectors.vessel_track(actor=request.user, vessel_id=vessel_id)
    return render(request, "maritime/vessel.html", {"vessel": row, "points": list(points)[-50:]})


# --- The live map (accord.maritime.mapframes; decision 0104) ----------------------------


@login_required
def channel_map(request: HttpRequest, code: str) -> HttpResponse:
    mechanism = mapframes.map_mechanism(request.user, code)
    return render(
        request,
        "maritime/map.html",
        {"mechanism": mechanism, "bounds": mapframes.map_bounds(mechanism)},
    )


@login_required
def channel_map_layers(request: HttpRequest, code: str) -> JsonResponse:
    mechanism = mapframes.map_mechanism(request.user, code)
    return JsonResponse(mapframes.map_layers(actor=request.user, mechanism=mechanism))


@login_required
def channel_map_positions(request: HttpRequest, code: str) -> JsonResponse:
    mechanism = mapframes.map_mechanism(request.user, code)
    after = mapframes.after_parse(request.GET.get("after"))
    return JsonResponse(
        mapframes.positions_frame(actor=request.user, mechanism=mechanism, after=after)
    )
