"""Geography shared by the operational mechanisms: GeoJSON, metres, areas, the map.

Rooms: ``geojson`` (reading and validating GeoJSON, every problem located by feature),
``measure`` (buffers, corridors and distances in metres and nautical miles through a
local metric projection, point-in-area), ``zones`` (a mechanism's area and zones as the
charter names them) and ``selectors`` (``zones_of(mechanism)``, ``area_of(mechanism)``).
The first three are pure (no Django but lazy translations) and sit in the bottom layer,
so the charter loader and every feature app may use them. The map component is
``templates/geo/_map.html`` with ``static/geo/map.js`` (``docs/geo.md``).
"""
