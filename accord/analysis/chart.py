"""The Pareto chart, rendered server-side as SVG text (pure: no Django; the caller passes
translated labels).

Two parties' utilities (0..1 shares) on the axes: the frontier as a stepped line through
its points, the reservation values as dashed lines bounding the ZOPA (shaded), and marks
for the solutions, the text as it stands and the chosen package. With more than two
parties the page draws one chart per pair (the frontier projected on that pair). Every
string that reaches the markup goes through ``_esc``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT = "font-family='system-ui, sans-serif'"
W, H = 580, 340
LEFT, RIGHT, TOP, BOTTOM = 52, 170, 28, 44


@dataclass(frozen=True)
class Mark:
    label: str
    x: float
    y: float
    colour: str
    shape: str = "circle"  # "circle", "square", "diamond"
    size: float = 6  # a circle's radius: marks on the same point nest as rings


def _esc(text: object) -> str:
    return escape(str(text), {"'": "&apos;", '"': "&quot;"})


def _px(x: float) -> float:
    return LEFT + max(0.0, min(1.0, x)) * (W - LEFT - RIGHT)


def _py(y: float) -> float:
    return H - BOTTOM - max(0.0, min(1.0, y)) * (H - TOP - BOTTOM)


def _mark(mark: Mark) -> str:
    x, y = _px(mark.x), _py(mark.y)
    title = f"<title>{_esc(mark.label)} ({mark.x:.2f}, {mark.y:.2f})</title>"
    if mark.shape == "square":
        shape = (
            f"<rect x='{x - 5:.1f}' y='{y - 5:.1f}' width='10' height='10' "
            f"fill='none' stroke='{mark.colour}' stroke-width='2'>{title}</rect>"
        )
    elif mark.shape == "diamond":
        shape = (
            f"<polygon points='{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} "
            f"{x - 7:.1f},{y:.1f}' fill='{mark.colour}' fill-opacity='0.85'>{title}</polygon>"
        )
    else:
        shape = (
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{mark.size:g}' fill='none' "
            f"stroke='{mark.colour}' stroke-width='2.5'>{title}</circle>"
        )
    return shape


def pareto_svg(
    points: Sequence[tuple[float, float]],
    *,
    x_label: str,
    y_label: str,
    title: str,
    marks: Sequence[Mark] = (),
    reservation: tuple[float, float] | None = None,
    frontier_label: str = "Pareto frontier",
    others: Sequence[tuple[float, float]] = (),
) -> str:
    """One chart: ``points`` (the frontier, 0..1 shares for the two parties), ``others``
    (further points shown faintly, e.g. a projection's dominated ones), ``marks``."""
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {W} {H}' role='img' "
        f"class='pareto-chart' aria-label='{_esc(title)}' {FONT} font-size='11'>",
        f"<title>{_esc(title)}</title>",
        f"<rect x='{LEFT}' y='{TOP}' width='{W - LEFT - RIGHT}' height='{H - TOP - BOTTOM}' "
        "fill='#fafbfc' stroke='#c9ced6'/>",
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x, y = _px(tick), _py(tick)
        out.append(
            f"<line x1='{x:.1f}' y1='{TOP}' x2='{x:.1f}' y2='{H - BOTTOM}' stroke='#e6e9ee'/>"
            f"<text x='{x:.1f}' y='{H - BOTTOM + 14}' text-anchor='middle'>{tick:.2f}</text>"
            f"<line x1='{LEFT}' y1='{y:.1f}' x2='{W - RIGHT}' y2='{y:.1f}' stroke='#e6e9ee'/>"
            f"<text x='{LEFT - 6}' y='{y + 4:.1f}' text-anchor='end'>{tick:.2f}</text>"
        )
    out.append(
        f"<text x='{(LEFT + W - RIGHT) / 2:.0f}' y='{H - 8}' text-anchor='middle' "
        f"font-weight='600'>{_esc(x_label)}</text>"
        f"<text x='14' y='{(TOP + H - BOTTOM) / 2:.0f}' text-anchor='middle' font-weight='600' "
        f"transform='rotate(-90 14 {(TOP + H - BOTTOM) / 2:.0f})'>{_esc(y_label)}</text>"
        f"<text x='{LEFT}' y='16' font-weight='600'>{_esc(title)}</text>"
    )
    if reservation is not None:
        rx, ry = _px(reservation[0]), _py(reservation[1])
        out.append(
            f"<rect class='zopa' x='{rx:.1f}' y='{TOP}' width='{W - RIGHT - rx:.1f}' "
            f"height='{ry - TOP:.1f}' fill='#2e7d32' fill-opacity='0.07'/>"
            f"<line x1='{rx:.1f}' y1='{TOP}' x2='{rx:.1f}' y2='{H - BOTTOM}' stroke='#2e7d32' "
            "stroke-dasharray='4 3'/>"
            f"<line x1='{LEFT}' y1='{ry:.1f}' x2='{W - RIGHT}' y2='{ry:.1f}' stroke='#2e7d32' "
            "stroke-dasharray='4 3'/>"
        )
    for x, y in others:
        out.append(f"<circle cx='{_px(x):.1f}' cy='{_py(y):.1f}' r='2' fill='#b0b7c3'/>")
    ordered = sorted(points)
    if ordered:
        path = " ".join(f"{_px(x):.1f},{_py(y):.1f}" for x, y in ordered)
        out.append(
            f"<polyline class='frontier' points='{path}' fill='none' stroke='#1f4e9c' "
            f"stroke-width='1.5'><title>{_esc(frontier_label)}</title></polyline>"
        )
        for x, y in ordered:
            out.append(
                f"<circle class='frontier-point' cx='{_px(x):.1f}' cy='{_py(y):.1f}' r='3' "
                "fill='#1f4e9c'/>"
            )
    out.extend(_mark(m) for m in marks)
    # Legend
    ly = TOP + 8
    for mark in marks:
        lx = W - RIGHT + 14
        out.append(
            f"<circle cx='{lx:.1f}' cy='{ly:.1f}' r='4' fill='{mark.colour}'/>"
            f"<text x='{lx + 9:.1f}' y='{ly + 4:.1f}'>{_esc(mark.label)}</text>"
        )
        ly += 15
    out.append("</svg>")
    return "".join(out)
