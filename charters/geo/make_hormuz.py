"""Draw the approximate Strait of Hormuz zones of the default charter (run by hand).

    node_modules/.bin/... (see below) && .venv/bin/python charters/geo/make_hormuz.py

The traffic separation scheme is not the IMO's: it is an approximate centreline through
the Strait (chosen by eye from public small-scale charts) offset 1 nm each side for the
separation zone and 3 nm each side for the lanes, as the scheme's usual widths are (2 nm
lanes, a 2 nm separation zone). The territorial seas are 12 nm from Natural Earth's
1:10m coastlines (the world-atlas npm package, countries-10m), split between the states
at the line equidistant from their coasts. Both are for display and screening tests,
never for navigation; every feature says so in its provenance.
"""

import json
import subprocess
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiPoint, Polygon, mapping, shape
from shapely.ops import unary_union

from accord.geo.measure import LocalFrame, metres

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
AREA = Polygon(
    [
        (55.6, 26.1),
        (56.3, 25.9),
        (57.0, 25.8),
        (57.5, 26.2),
        (57.2, 26.9),
        (56.6, 27.3),
        (56.0, 27.2),
        (55.5, 26.7),
        (55.6, 26.1),
    ]
)
CENTRELINE = [
    (55.95, 26.50),
    (56.25, 26.58),
    (56.45, 26.63),
    (56.62, 26.52),
    (56.78, 26.30),
    (56.95, 26.10),
]
TSS_PROVENANCE = (
    "Approximate, drawn for Accord: a centreline through the Strait offset 1 and 3 nautical "
    "miles each side. The official coordinates are published by the IMO (Ships' Routeing) "
    "and are not in this repository. Not for navigation."
)
SEA_PROVENANCE = (
    "Approximate: 12 nautical miles from Natural Earth's 1:10m coastlines (world-atlas "
    "countries-10m), split at the line equidistant from the two coasts. Not a legal "
    "boundary; not for navigation."
)


def countries() -> dict[str, object]:
    script = (
        "const t=require('topojson-client');const w=require('world-atlas/countries-10m.json');"
        "const f=t.feature(w,w.objects.countries).features.filter(f=>"
        "['Iran','Oman','United Arab Emirates'].includes(f.properties.name));"
        "process.stdout.write(JSON.stringify(f))"
    )
    command = ["node", "-e", script]  # a fixed script, run by hand
    out = subprocess.run(command, cwd=ROOT, capture_output=True, check=True)  # noqa: S603
    return {f["properties"]["name"]: shape(f["geometry"]) for f in json.loads(out.stdout)}


def feature(geometry, **properties):
    geometry = shapely.set_precision(geometry, 1e-5)
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}


def main() -> None:
    frame = LocalFrame(56.45, 26.5)
    line = frame.to_metres(LineString(CENTRELINE))
    # Left of the line's direction (east to west... the line runs west to east here): north.
    north_1, north_3 = line.offset_curve(metres(1)), line.offset_curve(metres(3))
    south_1, south_3 = line.offset_curve(-metres(1)), line.offset_curve(-metres(3))

    def strip(a, b):
        return Polygon([*a.coords, *reversed(b.coords)])

    zones = [
        (
            strip(north_1, north_3),
            "traffic_lane_inbound",
            "Inbound traffic lane (into the Gulf)",
            {"direction": 290},
        ),
        (strip(south_1, north_1), "separation_zone", "Separation zone", {}),
        (
            strip(south_3, south_1),
            "traffic_lane_outbound",
            "Outbound traffic lane (out of the Gulf)",
            {"direction": 110},
        ),
    ]
    tss = [
        feature(
            frame.to_degrees(shapely.make_valid(g)),
            kind=k,
            name=n,
            approximate=True,
            provenance=TSS_PROVENANCE,
            **extra,
        )
        for g, k, n, extra in zones
    ]
    (HERE / "hormuz-tss.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": tss}, indent=1) + "\n"
    )

    land = countries()
    iran = frame.to_metres(land["Iran"].intersection(AREA.buffer(0.5)))
    arab = frame.to_metres(
        unary_union([land["Oman"], land["United Arab Emirates"]]).intersection(AREA.buffer(0.5))
    )
    points = [(p, "IR") for p in shapely.get_coordinates(iran.boundary.segmentize(2000))]
    points += [(p, "OM") for p in shapely.get_coordinates(arab.boundary.segmentize(2000))]
    cells = shapely.voronoi_polygons(MultiPoint([p for p, _ in points]), extend_to=None)
    closer_iran = []
    for cell in cells.geoms:
        owner = next(
            s
            for p, s in points
            if cell.contains(shapely.Point(p)) or cell.touches(shapely.Point(p))
        )
        if owner == "IR":
            closer_iran.append(cell)
    iran_side = unary_union(closer_iran)
    area = frame.to_metres(AREA)
    seas = []
    for state, name, coast in (("IR", "Iran", iran), ("OM", "Oman", arab)):
        sea = coast.buffer(metres(12)).difference(unary_union([iran, arab]))
        sea = sea.intersection(iran_side) if state == "IR" else sea.difference(iran_side)
        sea = shapely.make_valid(sea.intersection(area).simplify(200))
        sea = unary_union([g for g in getattr(sea, "geoms", [sea]) if g.geom_type == "Polygon"])
        seas.append(
            feature(
                frame.to_degrees(sea),
                kind="territorial_sea",
                name=f"Territorial sea of {name} (approximate)",
                approximate=True,
                provenance=SEA_PROVENANCE,
                state=state,
            )
        )
    (HERE / "hormuz-territorial-seas.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": seas}) + "\n"
    )
    area_feature = feature(
        AREA,
        kind="mechanism_area",
        name="Strait of Hormuz",
        approximate=True,
        provenance="Approximate, drawn for Accord: the waters of the Strait and its approaches "
        "between about 55.5° and 57.5° E. Not a legal boundary.",
    )
    (HERE / "hormuz-area.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [area_feature]}, indent=1) + "\n"
    )


if __name__ == "__main__":
    main()
