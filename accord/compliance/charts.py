"""A sequence drawn on the server as SVG text: its dependency graph and its Gantt chart.

Of Django only translation; no JavaScript, no CDN, no inline style attributes (the
strict CSP): colours are SVG presentation attributes. Every string that reaches the
markup goes through ``_esc``; callers mark the result safe only because of that.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from accord.compliance.sequencing import MILESTONE, Bar, Node, Placed

FONT = "font-family='system-ui, sans-serif'"
DONE = "#7b8794"  # done: grey, ticked (a party colour may be green)
CRITICAL = "#c62828"
WAITING = "#4f6d8f"
MILESTONE_FILL = "#6a4fb3"


def _esc(text: object) -> str:
    return escape(str(text), {"'": "&apos;", '"': "&quot;"})


def _colour(colours: Mapping[str, str], party: str) -> str:
    return colours.get(party, WAITING)


def graph_svg(
    nodes: Sequence[Node],
    placed: Sequence[Placed],
    *,
    critical: Sequence[str],
    colours: Mapping[str, str],
) -> str:
    """Boxes in columns by depth, an arrow from each dependency to what waits on it;
    the critical path's arrows in red, a done node ticked."""
    if not placed:
        return ""
    box_w, box_h, gap_x, gap_y, pad = 170, 46, 60, 18, 12
    at = {p.code: p for p in placed}
    by_code = {n.code: n for n in nodes}
    columns = max(p.column for p in placed) + 1
    rows = max(p.row for p in placed) + 1
    width = pad * 2 + columns * box_w + (columns - 1) * gap_x
    height = pad * 2 + rows * box_h + (rows - 1) * gap_y

    def xy(code: str) -> tuple[int, int]:
        p = at[code]
        return pad + p.column * (box_w + gap_x), pad + p.row * (box_h + gap_y)

    on_path = set(itertools.pairwise(critical))
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' {FONT} font-size='12'>",
        f"<title>{_esc(_('Dependency graph of the sequence'))}</title>",
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' "
        "markerHeight='7' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' "
        "fill='#555'/></marker></defs>",
    ]
    for node in nodes:
        for dep in node.depends_on:
            if dep not in at or node.code not in at:
                continue
            x1, y1 = xy(dep)
            x2, y2 = xy(node.code)
            stroke = CRITICAL if (dep, node.code) in on_path else "#888"
            parts.append(
                f"<line x1='{x1 + box_w}' y1='{y1 + box_h // 2}' x2='{x2}' y2='{y2 + box_h // 2}' "
                f"stroke='{stroke}' stroke-width='1.5' marker-end='url(#arrow)'/>"
            )
    for p in placed:
        node = by_code[p.code]
        x, y = xy(p.code)
        fill = MILESTONE_FILL if node.kind == MILESTONE else _colour(colours, node.party)
        fill = DONE if node.done else fill
        rx = 22 if node.kind == MILESTONE else 4
        tick = " ✓" if node.done else ""
        label = node.title if len(node.title) <= 24 else node.title[:23] + "…"
        parts.append(
            f"<g data-node='{_esc(p.code)}'><rect x='{x}' y='{y}' width='{box_w}' "
            f"height='{box_h}' rx='{rx}' fill='{fill}' fill-opacity='0.9'/>"
            f"<text x='{x + 8}' y='{y + 18}' fill='#fff' font-weight='bold'>"
            f"{_esc(p.code)}{_esc(tick)}{(' · ' + _esc(node.party)) if node.party else ''}</text>"
            f"<text x='{x + 8}' y='{y + 36}' fill='#fff'>{_esc(label)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def gantt_svg(bars: Sequence[Bar], *, length: int, colours: Mapping[str, str]) -> str:
    """One row per step (a bar from its earliest start to finish, in days) or milestone
    (a diamond); the critical path outlined in red, a done step in grey."""
    if not bars:
        return ""
    label_w, row_h, pad, day_w = 260, 24, 10, max(8, min(40, 640 // max(1, length)))
    width = label_w + pad * 2 + max(1, length) * day_w + 40
    height = pad * 2 + 20 + len(bars) * row_h
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' {FONT} font-size='12'>",
        f"<title>{_esc(_('Gantt chart of the sequence, in days from its start'))}</title>",
    ]
    step = 5 if length > 20 else 1
    for day in range(0, max(1, length) + 1, step):
        x = label_w + pad + day * day_w
        parts.append(
            f"<line x1='{x}' y1='{pad + 14}' x2='{x}' y2='{height - pad}' stroke='#ddd'/>"
            f"<text x='{x}' y='{pad + 10}' text-anchor='middle' fill='#555'>{day}</text>"
        )
    for index, bar in enumerate(bars):
        y = pad + 20 + index * row_h
        name = f"{bar.code} · {bar.title}"
        name = name if len(name) <= 38 else name[:37] + "…"
        parts.append(f"<g data-bar='{_esc(bar.code)}'>")
        parts.append(f"<text x='{pad}' y='{y + 16}' fill='#222'>{_esc(name)}</text>")
        x = label_w + pad + bar.start * day_w
        outline = f" stroke='{CRITICAL}' stroke-width='2'" if bar.critical else ""
        if bar.kind == MILESTONE:
            cx, cy = x, y + row_h // 2
            parts.append(
                f"<path d='M{cx},{cy - 8} L{cx + 8},{cy} L{cx},{cy + 8} L{cx - 8},{cy} z' "
                f"fill='{DONE if bar.done else MILESTONE_FILL}'{outline}/>"
            )
        else:
            w = max(4, (bar.finish - bar.start) * day_w)
            fill = DONE if bar.done else _colour(colours, bar.party)
            parts.append(
                f"<rect x='{x}' y='{y + 4}' width='{w}' height='{row_h - 8}' rx='3' "
                f"fill='{fill}'{outline}/>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
