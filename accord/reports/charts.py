"""Charts rendered server-side as SVG text (of Django only its translation; no JavaScript, no CDN).

Every string that reaches the markup goes through ``_esc``; the callers mark the result
safe only because of that. ``gantt_for`` and ``burndown_for`` draw a roadmap overview
(``process.selectors.RoadmapOverview``); the pages and the briefing call them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from accord.process.selectors import RoadmapOverview

HEALTH_COLOURS = {
    "met": "#2e7d32",
    "at_risk": "#ef8f00",
    "overdue": "#c62828",
    "extended": "#6a4fb3",
    "pending": "#4f6d8f",
}
HEALTH_LABELS = {
    "met": gettext_lazy("met"),
    "at_risk": gettext_lazy("at risk"),
    "overdue": gettext_lazy("overdue"),
    "extended": gettext_lazy("extended"),
    "pending": gettext_lazy("pending"),
}
SERIES_COLOURS = ["#1f4e9c", "#1b7a3a", "#b26a00", "#8e24aa", "#00838f", "#6d4c41", "#546e7a"]
FONT = "font-family='system-ui, sans-serif'"


def _esc(text: object) -> str:
    return escape(str(text), {"'": "&apos;", '"': "&quot;"})


@dataclass(frozen=True)
class GanttRow:
    code: str
    label: str
    group: str
    start: dt.date
    end: dt.date
    health: str
    critical: bool = False
    original_end: dt.date | None = None


def gantt_svg(
    rows: Sequence[GanttRow],
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    today: dt.date | None = None,
    width: int = 960,
    title: str | None = None,
) -> str:
    """A Gantt chart: one bar per milestone from its start to its due date, by group.

    Bars are coloured by health; critical-path bars get a thick dark outline; an extended
    milestone shows its original date as a hollow diamond and a dashed line to the new one.
    """
    if title is None:
        title = _("Roadmap")
    label_w, row_h, top = 260, 22, 44
    last = max([ends_on, *(r.end for r in rows), *(r.original_end or r.end for r in rows)])
    span = max(1, (last - starts_on).days + 1)
    plot_w = width - label_w - 16
    height = top + row_h * len(rows) + 40

    def x(day: dt.date) -> float:
        return label_w + plot_w * (day - starts_on).days / span

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart gantt' role='img' "
        f"width='{width}' height='{height}' viewBox='0 0 {width} {height}' {FONT} font-size='12'>",
        f"<title>{_esc(title)}</title>",
        f"<rect width='{width}' height='{height}' fill='#ffffff'/>",
    ]
    # Week grid, labelled with dates.
    day = starts_on
    while day <= last:
        gx = x(day)
        out.append(
            f"<line x1='{gx:.1f}' y1='{top - 8}' x2='{gx:.1f}' y2='{height - 30}' "
            "stroke='#e4e4e4'/>"
        )
        out.append(
            f"<text x='{gx:.1f}' y='{top - 14}' fill='#666' text-anchor='middle'>"
            f"{_esc(day.strftime('%d %b'))}</text>"
        )
        day += dt.timedelta(days=7)
    roadmap_end = x(ends_on + dt.timedelta(days=1))
    out.append(
        f"<line x1='{roadmap_end:.1f}' y1='{top - 8}' x2='{roadmap_end:.1f}' y2='{height - 30}' "
        "stroke='#333' stroke-dasharray='2 3'/>"
    )
    previous_group = None
    for i, row in enumerate(rows):
        y = top + i * row_h
        if row.group != previous_group and i:
            out.append(f"<line x1='0' y1='{y - 1}' x2='{width}' y2='{y - 1}' stroke='#cfcfcf'/>")
        previous_group = row.group
        colour = HEALTH_COLOURS.get(row.health, "#777")
        x0, x1 = x(row.start), x(row.end + dt.timedelta(days=1))
        outline = " stroke='#111' stroke-width='2.5'" if row.critical else ""
        critical = " data-critical='true'" if row.critical else ""
        out.append(
            f"<g data-gantt-milestone='{_esc(row.code)}' "
            f"data-health='{_esc(row.health)}'{critical}>"
        )
        out.append(
            f"<text x='6' y='{y + 15}' fill='#222'>{_esc(row.code)} "
            f"<tspan fill='#666'>{_esc(row.label[:34])}</tspan></text>"
        )
        bar_title = _("%(code)s: %(label)s (%(health)s, due %(date)s)") % {
            "code": row.code,
            "label": row.label,
            "health": HEALTH_LABELS.get(row.health, row.health),
            "date": f"{row.end:%d %b %Y}",
        }
        out.append(
            f"<rect x='{x0:.1f}' y='{y + 4}' width='{max(3.0, x1 - x0):.1f}' height='{row_h - 8}'"
            f" rx='3' fill='{colour}'{outline}><title>{_esc(bar_title)}</title></rect>"
        )
        if row.original_end is not None and row.original_end != row.end:
            ox = x(row.original_end + dt.timedelta(days=1))
            cy = y + row_h / 2
            out.append(
                f"<line x1='{ox:.1f}' y1='{cy:.1f}' x2='{x1:.1f}' y2='{cy:.1f}' stroke='#333' "
                "stroke-dasharray='3 2'/>"
            )
            out.append(
                f"<path d='M{ox:.1f} {cy - 6:.1f} l6 6 l-6 6 l-6 -6 z' fill='#fff' stroke='#333'"
                f" stroke-width='1.5' class='original-date'><title>"
                + _esc(_("original date %(date)s") % {"date": f"{row.original_end:%d %b %Y}"})
                + "</title></path>"
            )
        out.append("</g>")
    if today is not None and starts_on <= today <= last:
        tx = x(today)
        out.append(
            f"<line x1='{tx:.1f}' y1='{top - 8}' x2='{tx:.1f}' y2='{height - 30}' stroke='#c62828'"
            " stroke-width='2' class='today'/>"
        )
        today_word = _esc(_("today"))
        out.append(f"<text x='{tx + 3:.1f}' y='{top - 26}' fill='#c62828'>{today_word}</text>")
    legend_y = height - 12
    lx = label_w
    for health, colour in HEALTH_COLOURS.items():
        out.append(f"<rect x='{lx}' y='{legend_y - 9}' width='10' height='10' fill='{colour}'/>")
        word = _esc(HEALTH_LABELS.get(health, health))
        out.append(f"<text x='{lx + 14}' y='{legend_y}'>{word}</text>")
        lx += 90
    out.append(
        f"<rect x='{lx}' y='{legend_y - 9}' width='18' height='10' fill='none' stroke='#111'"
        " stroke-width='2.5'/>"
    )
    critical_words = _esc(_("critical path"))
    out.append(f"<text x='{lx + 24}' y='{legend_y}'>{critical_words}</text>")
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class BurnSeries:
    key: str
    label: str
    points: Sequence[tuple[dt.date, int]]
    forecast_to: dt.date | None = None  # projected clean date, drawn dashed from the last point
    due_on: dt.date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def burndown_svg(
    series: Sequence[BurnSeries],
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    today: dt.date | None = None,
    width: int = 960,
    height: int = 320,
    title: str | None = None,
) -> str:
    """Open items over time, one line per series, with the pace forecast dashed to zero."""
    if title is None:
        title = _("Open items by working group")
    left, right, top, bottom = 44, 230, 20, 34
    last = max(
        [ends_on, *(s.forecast_to for s in series if s.forecast_to), *(today for _ in [0] if today)]
    )
    first = min([starts_on, *(p[0] for s in series for p in s.points)])
    span = max(1, (last - first).days)
    peak = max([1, *(v for s in series for _, v in s.points)])
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: dt.date) -> float:
        return left + plot_w * (day - first).days / span

    def y(value: float) -> float:
        return top + plot_h * (1 - value / peak)

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart burndown' role='img' "
        f"width='{width}' height='{height}' viewBox='0 0 {width} {height}' {FONT} font-size='12'>",
        f"<title>{_esc(title)}</title>",
        f"<rect width='{width}' height='{height}' fill='#ffffff'/>",
        f"<line x1='{left}' y1='{top}' x2='{left}' y2='{top + plot_h}' stroke='#999'/>",
        f"<line x1='{left}' y1='{top + plot_h}' x2='{left + plot_w}' y2='{top + plot_h}' "
        "stroke='#999'/>",
    ]
    for tick in sorted({0, peak // 2, peak}):
        out.append(
            f"<text x='{left - 6}' y='{y(tick) + 4:.1f}' text-anchor='end' fill='#666'>"
            f"{tick}</text>"
        )
        out.append(
            f"<line x1='{left}' y1='{y(tick):.1f}' x2='{left + plot_w}' y2='{y(tick):.1f}' "
            "stroke='#eee'/>"
        )
    day = first
    while day <= last:
        out.append(
            f"<text x='{x(day):.1f}' y='{height - 12}' text-anchor='middle' fill='#666'>"
            f"{_esc(day.strftime('%d %b'))}</text>"
        )
        day += dt.timedelta(days=14)
    end_x = x(ends_on)
    out.append(
        f"<line x1='{end_x:.1f}' y1='{top}' x2='{end_x:.1f}' y2='{top + plot_h}' stroke='#333' "
        "stroke-dasharray='2 3'/>"
    )
    if not any(s.points for s in series):
        out.append(
            f"<text x='{left + plot_w / 2:.1f}' y='{top + plot_h / 2:.1f}' text-anchor='middle' "
            f"fill='#666'>{_esc(_('No open brackets or divergences recorded yet.'))}</text>"
        )
    for i, s in enumerate(series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        out.append(f"<g data-series='{_esc(s.key)}'>")
        if s.points:
            path = []
            previous: tuple[dt.date, int] | None = None
            for point in s.points:
                if previous is not None:  # steps: a value holds until the next point
                    path.append(f"L{x(point[0]):.1f} {y(previous[1]):.1f}")
                path.append(
                    f"{'M' if previous is None else 'L'}{x(point[0]):.1f} {y(point[1]):.1f}"
                )
                previous = point
            end = today or s.points[-1][0]
            if previous is not None and end > previous[0]:
                path.append(f"L{x(end):.1f} {y(previous[1]):.1f}")
            out.append(
                f"<path d='{' '.join(path)}' fill='none' stroke='{colour}' stroke-width='2'/>"
            )
            if s.forecast_to is not None and previous is not None:
                out.append(
                    f"<line class='forecast' x1='{x(end):.1f}' y1='{y(previous[1]):.1f}' "
                    f"x2='{x(s.forecast_to):.1f}' y2='{y(0):.1f}' stroke='{colour}' "
                    "stroke-width='1.5' stroke-dasharray='5 4'/>"
                )
        if s.due_on is not None:
            dx = x(s.due_on)
            due = _("%(label)s due %(date)s") % {"label": s.label, "date": f"{s.due_on:%d %b}"}
            out.append(
                f"<path d='M{dx:.1f} {top + plot_h + 1} l-4 7 h8 z' fill='{colour}'>"
                f"<title>{_esc(due)}</title></path>"
            )
        ly = top + 14 + i * 18
        out.append(
            f"<line x1='{width - right + 12}' y1='{ly - 4}' x2='{width - right + 30}' "
            f"y2='{ly - 4}' stroke='{colour}' stroke-width='3'/>"
        )
        current = s.points[-1][1] if s.points else 0
        out.append(f"<text x='{width - right + 36}' y='{ly}'>{_esc(s.label)} ({current})</text>")
        out.append("</g>")
    if today is not None and first <= today <= last:
        out.append(
            f"<line class='today' x1='{x(today):.1f}' y1='{top}' x2='{x(today):.1f}' "
            f"y2='{top + plot_h}' stroke='#333' stroke-width='1' stroke-dasharray='1 3'/>"
        )
    out.append("</svg>")
    return "".join(out)


# --- A roadmap overview as charts ----------------------------------------------------------


def gantt_for(overview: RoadmapOverview, *, width: int = 960) -> str:
    """The Gantt chart of ``overview``'s milestones, grouped by body."""
    status = overview.status
    rows = [
        GanttRow(
            code=v.code,
            label=v.milestone.title,
            group=v.milestone.body.code,
            start=v.start_on,
            end=v.milestone.due_on,
            health=v.health,
            critical=v.critical,
            original_end=v.milestone.original_due_on,
        )
        for v in sorted(
            overview.milestones,
            key=lambda v: (v.milestone.body.order, v.milestone.due_on, v.milestone.order),
        )
    ]
    return gantt_svg(
        rows,
        starts_on=status.starts_on,
        ends_on=status.ends_on - dt.timedelta(days=1),
        today=status.today,
        width=width,
        title=status.title,
    )


def burndown_for(overview: RoadmapOverview, *, width: int = 960) -> str:
    """The burn-down of open items per working group in ``overview``, with its forecast."""
    status = overview.status
    series = [
        BurnSeries(
            key=f.body.code,
            label=f.body.short_name or f.body.code,
            points=f.forecast.points,
            forecast_to=f.forecast.clean_on if f.forecast.status in ("late", "on_track") else None,
            due_on=f.milestone.due_on if f.milestone else None,
        )
        for f in overview.forecasts
    ]
    return burndown_svg(
        series,
        starts_on=status.starts_on,
        ends_on=status.ends_on - dt.timedelta(days=1),
        today=status.today,
        width=width,
    )
