"""Draw a project's Gantt chart and a programme's roadmap as standalone SVG strings.

The pictures follow `heatmap`'s rules (a ``viewBox``, presentation attributes only, no
scripts, styles or external resources, every text escaped and stripped of characters XML
cannot hold), so the web page, WeasyPrint (`schakel.core.exports.gantt_export`) and the
status reports' milestone sections all show the same drawing.

The input is small plain dataclasses defined here (`GanttRow`, `GanttLink`,
`RoadmapProject`, `RoadmapMilestone`, `RoadmapDependency`), not the scheduling engine's or
the imported plan's classes: the app maps either to these, and this module stays free of
both. Every word comes from `ChartLabels`, translated by the caller; month names come from
Babel in ``labels.language``.

Dates are inclusive days, as the scheduling engine has them: a task from Monday to
Wednesday covers three day columns, from the start of Monday to the end of Wednesday. A
milestone and the today line sit in the middle of their day.

Colours follow the house style (``static/css/schakel.css``): the brand teal for bars,
the RAG red for critical work and late milestones, the accent amber for today.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from babel import Locale
from babel.dates import format_date

from schakel.core.charts.heatmap import (
    _check_svg_id,
    _clean,
    _default_id,
    _esc,
    _fit,
    _num,
    _text_width,
)
from schakel.core.exports._text import _locale

__all__ = [
    "ROW_HEIGHT",
    "ChartLabels",
    "GanttLink",
    "GanttRow",
    "RoadmapDependency",
    "RoadmapMilestone",
    "RoadmapProject",
    "Scale",
    "gantt_chrome_height",
    "gantt_svg",
    "gantt_window",
    "roadmap_svg",
]

Scale = Literal["auto", "day", "week", "month", "quarter"]
LinkKind = Literal["FS", "SS", "FF", "SF"]

# House colours (static/css/schakel.css).
INK = "#1d2630"
MUTED = "#5b6775"
GRID = "#d8dee5"
GRID_STRONG = "#b8c2cc"
BACKGROUND = "#ffffff"
ZEBRA = "#f7f9fa"
HEADER_FILL = "#e6f0f2"
HEADER_INK = "#0a3742"
DAY_OFF = "#eef1f4"
BRAND = "#0f4c5c"
BAR_FILL = "#8fb9c3"
CRITICAL = "#c62828"
CRITICAL_FILL = "#ef9a9a"
BASELINE = "#9aa5b1"
TODAY = "#e69100"
DONE = "#2e7d32"
WARNING = "#9a6700"

FONT_FAMILY = "sans-serif"
FONT_SIZE = 11.0
PAD = 8.0
TIER = 20.0
ROW_HEIGHT = 22.0
LEGEND_HEIGHT = 28.0
MIN_WIDTH = 600
# Text widths are estimates (core has no font metrics) and DejaVu Sans, the font the PDF
# prints with, runs about 10 % wider than they say: text is fitted to this share of a box.
_TEXT_SLACK = 0.88
_BOLD = 1.08


@dataclass(frozen=True)
class ChartLabels:
    """Every word the Gantt, roadmap and trend charts print, translated by the caller.

    Templates hold ``{name}`` placeholders that are replaced literally, so a translation
    that drops or misspells one prints as written instead of failing.
    """

    language: str = "en"
    gantt: str = "Gantt chart"
    roadmap: str = "Programme roadmap"
    wbs: str = "WBS"
    name: str = "Name"
    project: str = "Project"
    task: str = "Task"
    progress: str = "Progress"
    critical: str = "Critical"
    summary: str = "Summary"
    milestone: str = "Milestone"
    baseline: str = "Baseline"
    today: str = "Today"
    done: str = "Done"
    late: str = "Late"
    slipped: str = "Slipped against the baseline"
    slip_days: str = "+{days} d"
    slipped_by: str = "{days} days later than the baseline"
    dependency: str = "Dependency"
    dependency_broken: str = "Dependency not met"
    week: str = "W{week}"
    quarter: str = "Q{quarter}"
    none: str = "Nothing to show"
    page_of: str = "Page {page} of {pages}"
    page: str = "Page"
    trend: str = "Milestone trend analysis"
    reporting_date: str = "Reporting date"
    forecast_date: str = "Forecast date"
    achieved: str = "Achieved"
    trend_hint: str = "A rising line is a milestone that slips"


@dataclass(frozen=True, slots=True)
class GanttRow:
    """One line of the Gantt chart: a task, a summary or a milestone.

    ``percent`` (0–100) fills the bar from its start. A row without dates is listed
    without a bar. A milestone is drawn at ``finish`` (or ``start`` when it has none).
    """

    id: Hashable
    name: str
    start: date | None = None
    finish: date | None = None
    level: int = 1
    wbs: str = ""
    milestone: bool = False
    summary: bool = False
    critical: bool = False
    percent: float = 0.0
    baseline_start: date | None = None
    baseline_finish: date | None = None


@dataclass(frozen=True, slots=True)
class GanttLink:
    """A dependency between two rows, by their ids: finish-to-start unless told."""

    from_id: Hashable
    to_id: Hashable
    type: LinkKind = "FS"


# The milestone's field is called ``date``, which hides the type inside its class body.
Day = date


@dataclass(frozen=True, slots=True)
class RoadmapMilestone:
    """A milestone on a project's lane: ``date`` is its forecast (or actual) date.

    ``late`` and ``slipped_days`` are worked out from ``today`` and ``baseline`` unless
    the caller states them (the app may count slip in working days). ``key`` names the
    milestone in dependencies; it defaults to the name.
    """

    name: str
    date: Day
    baseline: Day | None = None
    done: bool = False
    late: bool | None = None
    slipped_days: int | None = None
    key: str = ""

    @property
    def ref(self) -> str:
        """The name dependencies use for this milestone."""
        return self.key or self.name


@dataclass(frozen=True, slots=True)
class RoadmapProject:
    """One lane of the roadmap: a project's span and its milestones."""

    key: str
    name: str
    start: date | None = None
    finish: date | None = None
    milestones: Sequence[RoadmapMilestone] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class RoadmapDependency:
    """Work of one project that work of another waits for.

    Each end is a milestone of the lane (by its key) or, when it is not one, a task of the
    lane drawn as a point on the project's bar at ``from_date`` (the predecessor's finish)
    or ``to_date`` (the successor's start). ``from_name`` and ``to_name`` are shown on
    hover; they default to the keys.
    """

    from_project: str
    from_milestone: str
    to_project: str
    to_milestone: str
    from_date: date | None = None
    to_date: date | None = None
    from_name: str = ""
    to_name: str = ""


# --- shared pieces: the time axis, its header, text ------------------------------------


@dataclass(frozen=True, slots=True)
class Axis:
    """Days ``start`` to ``end`` (inclusive) spread over ``left`` to ``right`` pixels."""

    start: date
    end: date
    left: float
    right: float

    @property
    def days(self) -> int:
        """How many day columns the axis has."""
        return (self.end - self.start).days + 1

    @property
    def day_width(self) -> float:
        """The width of one day in pixels."""
        return (self.right - self.left) / self.days

    def x(self, day: date) -> float:
        """Where ``day`` begins."""
        return self.left + (day - self.start).days * self.day_width

    def middle(self, day: date) -> float:
        """The middle of ``day``: where milestones and the today line are drawn."""
        return self.x(day) + self.day_width / 2

    def clamp(self, x: float) -> float:
        """Hold an x on the axis, for things that run off either end."""
        return min(max(x, self.left), self.right)

    def shows(self, day: date) -> bool:
        """Tell whether ``day`` lies on the axis."""
        return self.start <= day <= self.end


def fill(template: str, **values: object) -> str:
    """Put values into a translated template's ``{name}`` placeholders, literally."""
    text = template
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return " ".join(text.split())


def line(value: object) -> str:
    """A label on one line, without characters XML cannot hold; spaces folded to one."""
    return " ".join(_clean(str(value)).split())


@functools.lru_cache(maxsize=8)
def _cached_locale(language: str) -> Locale:
    """Parse a language once per process: Babel's parse is slow for thousands of labels."""
    return _locale(language)


def format_day(day: date, labels: ChartLabels, pattern: str = "d MMM y") -> str:
    """A date in the reader's language ("3 Mar 2026" by default)."""
    return str(format_date(day, pattern, locale=_cached_locale(labels.language)))


def fitted(text: str, width: float, font_size: float, bold: bool = False) -> str:
    """Shorten ``text`` with "…" so that it fits ``width``, allowing for the estimate."""
    size = font_size * (_BOLD if bold else 1.0)
    return _fit(line(text), max(width, 0.0) * _TEXT_SLACK, size)


def svg_open(
    chart_id: str, css_class: str, width: float, height: float, title: str, desc: str = ""
) -> list[str]:
    """The root element, its title (and description) and a white ground."""
    described = f' aria-describedby="{chart_id}-desc"' if desc else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="{css_class}"'
        f' viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}"'
        f' height="{_num(height)}" role="img" aria-labelledby="{chart_id}-title"{described}'
        f' font-family="{FONT_FAMILY}" font-size="{_num(FONT_SIZE)}" fill="{INK}">',
        f'<title id="{chart_id}-title">{_esc(line(title))}</title>',
    ]
    if desc:
        parts.append(f'<desc id="{chart_id}-desc">{_esc(line(desc))}</desc>')
    parts.append(
        f'<rect x="0" y="0" width="{_num(width)}" height="{_num(height)}" fill="{BACKGROUND}"/>'
    )
    return parts


def chart_id_for(prefix: str, svg_id: str | None, *parts: object) -> str:
    """The caller's id (checked) or one derived from what is drawn."""
    return _check_svg_id(svg_id) if svg_id else _default_id(prefix, *parts)


def _unit_start(unit: str, day: date) -> date:
    """The first day of the period of ``unit`` that holds ``day``."""
    if unit == "year":
        return date(day.year, 1, 1)
    if unit == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if unit == "month":
        return date(day.year, day.month, 1)
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return day


def _next_start(unit: str, day: date) -> date:
    """The first day of the period after the one starting on ``day``."""
    if unit in ("year", "quarter", "month"):
        months = {"year": 12, "quarter": 3, "month": 1}[unit]
        index = day.year * 12 + day.month - 1 + months
        return date(index // 12, index % 12 + 1, 1)
    return day + timedelta(days=7 if unit == "week" else 1)


def periods(unit: str, start: date, end: date) -> list[tuple[date, date]]:
    """The calendar periods (first day, first day of the next) that touch start–end."""
    result = []
    current = _unit_start(unit, start)
    while current <= end:
        following = _next_start(unit, current)
        result.append((current, following))
        current = following
    return result


def _period_labels(unit: str, first: date, labels: ChartLabels, with_year: bool) -> list[str]:
    """Ways to name a period, longest first; the header takes the first that fits."""
    if unit == "year":
        return [str(first.year)]
    if unit == "quarter":
        quarter = fill(labels.quarter, quarter=(first.month - 1) // 3 + 1)
        return [f"{quarter} {first.year}", quarter] if with_year else [quarter]
    if unit == "month":
        patterns = ["MMMM y", "MMM y", "MMM", "MMMMM"] if with_year else ["MMMM", "MMM", "MMMMM"]
        return [format_day(first, labels, pattern) for pattern in patterns]
    if unit == "week":
        week = first.isocalendar()[1]
        return [fill(labels.week, week=week), str(week)]
    return [str(first.day)]


def header_tier(
    axis: Axis,
    unit: str,
    labels: ChartLabels,
    *,
    y: float,
    height: float,
    with_year: bool,
    font_size: float,
) -> list[str]:
    """One row of the timeline header: a cell per period with its name, if it fits.

    Every whole cell uses the same form of name (all "April" or all "Apr", never mixed);
    the cells the window cuts at either end take a shorter form, or none.
    """
    cells = []
    for first, following in periods(unit, axis.start, axis.end):
        x0, x1 = axis.clamp(axis.x(first)), axis.clamp(axis.x(following))
        if x1 - x0 > 0:
            whole = axis.x(first) >= axis.left and axis.x(following) <= axis.right
            names = _period_labels(unit, first, labels, with_year)
            cells.append((x0, x1, whole, names))
    level = _common_level([(x1 - x0, names) for x0, x1, whole, names in cells if whole], font_size)
    parts = [f'<g class="timeline-tier" data-unit="{unit}">']
    for x0, x1, _whole, names in cells:
        parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y)}" x2="{_num(x1)}" y2="{_num(y + height)}"'
            f' stroke="{GRID_STRONG}" stroke-width="0.75"/>'
        )
        room = (x1 - x0 - 4) * _TEXT_SLACK
        text = next((n for n in names[level:] if _text_width(n, font_size) <= room), "")
        if text:
            parts.append(
                f'<text x="{_num((x0 + x1) / 2)}" y="{_num(y + height / 2 + font_size * 0.36)}"'
                f' text-anchor="middle" font-size="{_num(font_size)}" fill="{HEADER_INK}">'
                f"{_esc(text)}</text>"
            )
    parts.append("</g>")
    return parts


def _common_level(cells: Sequence[tuple[float, Sequence[str]]], font_size: float) -> int:
    """The longest form of name that fits every one of ``cells`` (width, names)."""
    forms = min((len(names) for _, names in cells), default=1)
    for level in range(forms):
        if all(
            _text_width(names[level], font_size) <= (width - 4) * _TEXT_SLACK
            for width, names in cells
        ):
            return level
    return max(forms - 1, 0)


def period_lines(axis: Axis, unit: str, top: float, bottom: float, colour: str) -> list[str]:
    """Vertical lines at period boundaries through the body, when they are not too dense."""
    bounds = [first for first, _ in periods(unit, axis.start, axis.end)[1:]]
    if bounds and (axis.right - axis.left) / len(bounds) < 4:
        return []
    return [
        f'<line x1="{_num(axis.x(first))}" y1="{_num(top)}" x2="{_num(axis.x(first))}"'
        f' y2="{_num(bottom)}" stroke="{colour}" stroke-width="0.6"/>'
        for first in bounds
    ]


def today_line(axis: Axis, today: date | None, top: float, bottom: float, label: str) -> list[str]:
    """The today line, with a small flag at its top, when today lies on the axis."""
    if today is None or not axis.shows(today):
        return []
    x = axis.middle(today)
    return [
        f'<g class="timeline-today" data-date="{today.isoformat()}">',
        f"<title>{_esc(line(label))}: {_esc(today.isoformat())}</title>",
        f'<line x1="{_num(x)}" y1="{_num(top)}" x2="{_num(x)}" y2="{_num(bottom)}"'
        f' stroke="{TODAY}" stroke-width="1.5"/>',
        f'<polygon points="{_num(x - 4)},{_num(top)} {_num(x + 4)},{_num(top)}'
        f' {_num(x)},{_num(top + 5)}" fill="{TODAY}"/>',
        "</g>",
    ]


def diamond(cx: float, cy: float, half: float, fill_colour: str, extra: str = "") -> str:
    """A milestone diamond centred on (cx, cy)."""
    return (
        f'<polygon points="{_num(cx)},{_num(cy - half)} {_num(cx + half)},{_num(cy)}'
        f' {_num(cx)},{_num(cy + half)} {_num(cx - half)},{_num(cy)}" fill="{fill_colour}"'
        f"{extra}/>"
    )


def legend(items: Sequence[tuple[str, str]], left: float, y: float, font_size: float) -> list[str]:
    """A row of (swatch markup with its origin at 0,0 and 14 wide, label) pairs."""
    parts = ['<g class="chart-legend">']
    x = left
    for swatch, label in items:
        text = line(label)
        parts.append(f'<g transform="translate({_num(x)} {_num(y)})">{swatch}</g>')
        parts.append(
            f'<text x="{_num(x + 20)}" y="{_num(y + font_size * 0.36)}"'
            f' font-size="{_num(font_size)}" fill="{MUTED}">{_esc(text)}</text>'
        )
        x += 20 + _text_width(text, font_size) + 18
    parts.append("</g>")
    return parts


# --- the Gantt chart -------------------------------------------------------------------


def _span(dates: Iterable[date | None], today: date | None) -> tuple[date, date]:
    """A window around the given dates, a few days either side; today alone without any."""
    known = [day for day in dates if day is not None]
    if not known:
        base = today or date.today()
        return base - timedelta(days=3), base + timedelta(days=27)
    first, last = min(known), max(known)
    margin = max(2, (last - first).days // 30)
    return first - timedelta(days=margin), last + timedelta(days=margin)


def _pick_scale(scale: Scale, day_width: float) -> str:
    """The scale asked for, or the finest one whose header labels still fit."""
    if scale != "auto":
        return scale
    if day_width >= 16:
        return "day"
    if day_width >= 3:
        return "week"
    if day_width >= 0.9:
        return "month"
    return "quarter"


# Header tiers per scale: (top unit, top with year?), (bottom unit, bottom with year?).
_TIERS: dict[str, tuple[tuple[str, bool], tuple[str, bool]]] = {
    "day": (("month", True), ("day", False)),
    "week": (("month", True), ("week", False)),
    "month": (("year", True), ("month", False)),
    "quarter": (("year", True), ("quarter", False)),
}


def gantt_chrome_height(*, legend: bool = True, rows: int = 0) -> float:
    """The chart's height for ``rows`` rows: header, rows, legend and margins.

    The PDF export uses it to know how many rows fit a page.
    """
    return PAD + 2 * TIER + max(rows, 1) * ROW_HEIGHT + (LEGEND_HEIGHT if legend else 0) + PAD


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the parts of a Gantt chart go, in pixels."""

    width: float
    wbs_width: float
    name_width: float
    body_top: float
    body_bottom: float
    axis: Axis
    scale: str
    baselines: bool


@dataclass(slots=True)
class _Shape:
    """Where a row's bar ended up, for the link arrows."""

    x_start: float
    x_end: float
    y: float


def gantt_svg(
    rows: Sequence[GanttRow],
    links: Iterable[GanttLink] = (),
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    calendar_days_off: Iterable[date] = (),
    weekend: Iterable[int] = (5, 6),
    scale: Scale = "auto",
    labels: ChartLabels | None = None,
    width: int = 1500,
    show_legend: bool = True,
    svg_id: str | None = None,
) -> str:
    """Draw rows as a Gantt chart between ``start`` and ``end`` (inclusive).

    Left: the WBS code and the indented name of each row (cut with "…" when long). Right:
    a two-tier timeline with a bar per task (filled to its percent complete), a bracket per
    summary, a diamond per milestone, critical work in red, the baseline as a thin grey
    bar under the current one, elbow arrows for ``links`` whose both rows are drawn, a
    today line and, at day and week scale, shaded weekends and ``calendar_days_off``.
    Without ``start``/``end`` the window spans the rows' dates. The width is fixed (it
    prints on A3 or A4 landscape); the height grows with the rows.
    """
    labels = labels or ChartLabels()
    if width < MIN_WIDTH:
        raise ValueError(f"width must be at least {MIN_WIDTH}, got {width}")
    start, end = gantt_window(rows, today, start, end)
    layout = _gantt_layout(rows, start, end, scale, width, show_legend)
    chart_id = chart_id_for("gantt", svg_id, rows, start, end, scale, width)
    height = gantt_chrome_height(legend=show_legend, rows=len(rows))

    parts = svg_open(chart_id, "gantt", layout.width, height, labels.gantt)
    parts.extend(_gantt_background(rows, layout, calendar_days_off, weekend))
    parts.extend(_gantt_header(layout, labels))
    parts.extend(_gantt_grid_text(rows, layout, labels))
    shapes: dict[Hashable, _Shape] = {}
    critical: set[Hashable] = set()
    parts.append('<g class="gantt-bars">')
    for index, row in enumerate(rows):
        parts.extend(_row_shapes(row, index, layout, labels, shapes))
        if row.critical:
            critical.add(row.id)
    parts.append("</g>")
    parts.extend(_gantt_links(links, shapes, critical))
    parts.extend(today_line(layout.axis, today, layout.body_top, layout.body_bottom, labels.today))
    if not rows:
        parts.append(
            f'<text class="gantt-empty" x="{_num((layout.axis.left + layout.axis.right) / 2)}"'
            f' y="{_num(layout.body_top + ROW_HEIGHT / 2 + 4)}" text-anchor="middle"'
            f' fill="{MUTED}">{_esc(line(labels.none))}</text>'
        )
    if show_legend:
        parts.extend(_gantt_legend(rows, layout, labels, today))
    parts.append("</svg>")
    return "".join(parts)


def gantt_window(
    rows: Sequence[GanttRow],
    today: date | None = None,
    start: date | None = None,
    end: date | None = None,
) -> tuple[date, date]:
    """The window a chart of ``rows`` shows: the given ends, else the rows' span.

    The PDF export asks once for the whole plan so that every page shares the window.
    """
    if start is None or end is None:
        auto_start, auto_end = _span(_row_dates(rows), today)
        start, end = start or auto_start, end or auto_end
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    return start, end


def _row_dates(rows: Sequence[GanttRow]) -> Iterable[date | None]:
    """Every date a row draws, for the automatic window."""
    for row in rows:
        yield row.start
        yield row.finish
        yield row.baseline_start
        yield row.baseline_finish


def _gantt_layout(
    rows: Sequence[GanttRow], start: date, end: date, scale: Scale, width: int, legend: bool
) -> _Layout:
    """Size the grid columns and the time axis."""
    widest_wbs = max((_text_width(line(row.wbs), FONT_SIZE) for row in rows), default=0.0)
    wbs_width = min(max(widest_wbs / _TEXT_SLACK + 14, 40.0), 100.0) if widest_wbs else 0.0
    name_width = min(max(width * 0.22, 200.0), 360.0)
    left = PAD + wbs_width + name_width
    axis = Axis(start, end, left, width - PAD)
    body_top = PAD + 2 * TIER
    return _Layout(
        width=float(width),
        wbs_width=wbs_width,
        name_width=name_width,
        body_top=body_top,
        body_bottom=body_top + max(len(rows), 1) * ROW_HEIGHT,
        axis=axis,
        scale=_pick_scale(scale, axis.day_width),
        baselines=any(row.baseline_start or row.baseline_finish for row in rows),
    )


def _gantt_background(
    rows: Sequence[GanttRow],
    layout: _Layout,
    days_off: Iterable[date],
    weekend: Iterable[int],
) -> list[str]:
    """Zebra rows, shaded days off and the period lines, under everything else."""
    axis = layout.axis
    parts = ['<g class="gantt-background">']
    for index in range(1, len(rows), 2):
        y = layout.body_top + index * ROW_HEIGHT
        parts.append(
            f'<rect x="{_num(PAD)}" y="{_num(y)}" width="{_num(layout.width - 2 * PAD)}"'
            f' height="{_num(ROW_HEIGHT)}" fill="{ZEBRA}"/>'
        )
    if layout.scale in ("day", "week") and axis.day_width >= 1.5:
        parts.extend(_days_off(layout, set(days_off), set(weekend)))
    bottom_unit = _TIERS[layout.scale][1][0]
    top_unit = _TIERS[layout.scale][0][0]
    parts.extend(period_lines(axis, bottom_unit, layout.body_top, layout.body_bottom, GRID))
    parts.extend(period_lines(axis, top_unit, layout.body_top, layout.body_bottom, GRID_STRONG))
    parts.append("</g>")
    return parts


def _days_off(layout: _Layout, holidays: set[date], weekend: set[int]) -> list[str]:
    """One shaded rectangle per run of consecutive days off."""
    axis = layout.axis
    parts = []
    run_start: date | None = None
    day = axis.start
    while day <= axis.end + timedelta(days=1):
        off = day <= axis.end and (day.weekday() in weekend or day in holidays)
        if off and run_start is None:
            run_start = day
        elif not off and run_start is not None:
            x0, x1 = axis.x(run_start), axis.x(day)
            parts.append(
                f'<rect class="gantt-day-off" data-from="{run_start.isoformat()}"'
                f' x="{_num(x0)}" y="{_num(layout.body_top)}" width="{_num(x1 - x0)}"'
                f' height="{_num(layout.body_bottom - layout.body_top)}" fill="{DAY_OFF}"/>'
            )
            run_start = None
        day += timedelta(days=1)
    return parts


def _gantt_header(layout: _Layout, labels: ChartLabels) -> list[str]:
    """The grid's column titles and the two timeline tiers."""
    axis = layout.axis
    top = PAD
    bottom = top + 2 * TIER
    fs = FONT_SIZE - 0.5
    parts = [
        '<g class="gantt-header">',
        f'<rect x="{_num(PAD)}" y="{_num(top)}" width="{_num(layout.width - 2 * PAD)}"'
        f' height="{_num(2 * TIER)}" fill="{HEADER_FILL}"/>',
        f'<line x1="{_num(axis.left)}" y1="{_num(top + TIER)}" x2="{_num(axis.right)}"'
        f' y2="{_num(top + TIER)}" stroke="{GRID_STRONG}" stroke-width="0.75"/>',
    ]
    middle = top + TIER + fs * 0.36
    if layout.wbs_width:
        parts.append(
            f'<text x="{_num(PAD + 6)}" y="{_num(middle)}" font-weight="bold"'
            f' font-size="{_num(fs)}" fill="{HEADER_INK}">'
            f"{_esc(fitted(labels.wbs, layout.wbs_width - 10, fs, bold=True))}</text>"
        )
    name_x = PAD + layout.wbs_width
    parts.append(
        f'<text x="{_num(name_x + 6)}" y="{_num(middle)}" font-weight="bold"'
        f' font-size="{_num(fs)}" fill="{HEADER_INK}">'
        f"{_esc(fitted(labels.name, layout.name_width - 10, fs, bold=True))}</text>"
    )
    (top_unit, top_year), (bottom_unit, bottom_year) = _TIERS[layout.scale]
    parts.extend(
        header_tier(axis, top_unit, labels, y=top, height=TIER, with_year=top_year, font_size=fs)
    )
    parts.extend(
        header_tier(
            axis, bottom_unit, labels, y=top + TIER, height=TIER, with_year=bottom_year,
            font_size=fs - 0.5,
        )
    )  # fmt: skip
    parts.append(
        f'<line x1="{_num(PAD)}" y1="{_num(bottom)}" x2="{_num(layout.width - PAD)}"'
        f' y2="{_num(bottom)}" stroke="{GRID_STRONG}"/>'
    )
    parts.append("</g>")
    return parts


def _gantt_grid_text(rows: Sequence[GanttRow], layout: _Layout, labels: ChartLabels) -> list[str]:
    """The WBS codes and names on the left, and the lines that frame the grid."""
    parts = ['<g class="gantt-grid">']
    name_x = PAD + layout.wbs_width
    for index, row in enumerate(rows):
        y = layout.body_top + index * ROW_HEIGHT + ROW_HEIGHT / 2 + FONT_SIZE * 0.36
        if layout.wbs_width and row.wbs:
            parts.append(
                f'<text class="gantt-wbs" x="{_num(PAD + 6)}" y="{_num(y)}" fill="{MUTED}">'
                f"{_esc(fitted(row.wbs, layout.wbs_width - 10, FONT_SIZE))}</text>"
            )
        indent = min(max(row.level, 1) - 1, 8) * 12
        room = layout.name_width - 12 - indent
        weight = ' font-weight="bold"' if row.summary else ""
        parts.append(
            f'<text class="gantt-name" x="{_num(name_x + 6 + indent)}" y="{_num(y)}"{weight}>'
            f"{_esc(fitted(row.name, room, FONT_SIZE, bold=row.summary))}</text>"
        )
    bottom = layout.body_bottom
    for x in (name_x, layout.axis.left):
        if x > PAD:
            parts.append(
                f'<line x1="{_num(x)}" y1="{_num(PAD)}" x2="{_num(x)}" y2="{_num(bottom)}"'
                f' stroke="{GRID_STRONG}" stroke-width="0.75"/>'
            )
    parts.append(
        f'<rect x="{_num(PAD)}" y="{_num(PAD)}" width="{_num(layout.width - 2 * PAD)}"'
        f' height="{_num(bottom - PAD)}" fill="none" stroke="{GRID_STRONG}"/>'
    )
    parts.append("</g>")
    return parts


def _tooltip(row: GanttRow, labels: ChartLabels) -> str:
    """The row's name and dates, read out by screen readers and shown on hover."""
    text = line(row.name)
    if row.milestone:
        day = row.finish or row.start
        return f"{text}: {format_day(day, labels)}" if day else text
    if row.start and row.finish:
        text += f": {format_day(row.start, labels)} – {format_day(row.finish, labels)}"
    if not row.summary and row.percent:
        text += f" ({_num(_percent(row))} %)"
    if row.baseline_start and row.baseline_finish:
        text += (
            f"; {line(labels.baseline)}: {format_day(row.baseline_start, labels)}"
            f" – {format_day(row.baseline_finish, labels)}"
        )
    return text


def _percent(row: GanttRow) -> float:
    """Percent complete held to 0–100, so a bad value never overdraws the bar."""
    return min(max(float(row.percent or 0), 0.0), 100.0)


def _row_shapes(
    row: GanttRow,
    index: int,
    layout: _Layout,
    labels: ChartLabels,
    shapes: dict[Hashable, _Shape],
) -> list[str]:
    """A row's baseline and its bar, bracket or diamond; records where it went."""
    top = layout.body_top + index * ROW_HEIGHT
    bar_y, bar_h = (top + 4, 10.0) if layout.baselines else (top + 5, 12.0)
    parts = [
        f'<g class="gantt-row" data-id="{_esc(str(row.id))}" data-index="{index}">',
        f"<title>{_esc(_tooltip(row, labels))}</title>",
    ]
    parts.extend(_baseline(row, layout, top))
    if row.milestone:
        parts.extend(_milestone(row, layout, bar_y + bar_h / 2, shapes))
    elif row.start and row.finish:
        parts.extend(_bar(row, layout, bar_y, bar_h, shapes))
    parts.append("</g>")
    return parts


def _extent(axis: Axis, first: date, last: date) -> tuple[float, float] | None:
    """The x range of days first to last (inclusive), cut to the axis; None when off it."""
    if last < first:
        first, last = last, first
    x0, x1 = axis.x(first), axis.x(last + timedelta(days=1))
    if x1 <= axis.left or x0 >= axis.right:
        return None
    x0, x1 = axis.clamp(x0), axis.clamp(x1)
    if x1 - x0 < 1.5:  # a day at quarter scale is still visible
        x1 = min(x0 + 1.5, axis.right)
    return x0, x1


def _baseline(row: GanttRow, layout: _Layout, top: float) -> list[str]:
    """The thin grey baseline bar under the row (a hollow diamond for a milestone)."""
    axis = layout.axis
    first = row.baseline_start or row.baseline_finish
    last = row.baseline_finish or row.baseline_start
    if first is None or last is None:
        return []
    y = top + 15
    if row.milestone:
        if not axis.shows(last):
            return []
        return [
            diamond(
                axis.middle(last), y + 2, 3.5, BACKGROUND,
                f' class="gantt-baseline" stroke="{BASELINE}" stroke-width="1.2"'
                f' data-date="{last.isoformat()}"',
            )
        ]  # fmt: skip
    extent = _extent(axis, first, last)
    if extent is None:
        return []
    x0, x1 = extent
    return [
        f'<rect class="gantt-baseline" x="{_num(x0)}" y="{_num(y)}" width="{_num(x1 - x0)}"'
        f' height="4" fill="{BASELINE}" data-start="{first.isoformat()}"'
        f' data-finish="{last.isoformat()}"/>'
    ]


def _milestone(
    row: GanttRow, layout: _Layout, cy: float, shapes: dict[Hashable, _Shape]
) -> list[str]:
    """A milestone's diamond, red when critical; nothing when off the axis."""
    day = row.finish or row.start
    if day is None or not layout.axis.shows(day):
        return []
    cx = layout.axis.middle(day)
    half = 6.0
    shapes[row.id] = _Shape(cx - half, cx + half, cy)
    colour = CRITICAL if row.critical else INK
    critical = " is-critical" if row.critical else ""
    return [
        diamond(
            cx, cy, half, colour,
            f' class="gantt-milestone{critical}" data-date="{day.isoformat()}"'
            f' stroke="{BACKGROUND}" stroke-width="0.75"',
        )
    ]  # fmt: skip


def _bar(
    row: GanttRow, layout: _Layout, bar_y: float, bar_h: float, shapes: dict[Hashable, _Shape]
) -> list[str]:
    """A task's bar with its progress, or a summary's bracket; nothing when off the axis."""
    assert row.start is not None and row.finish is not None
    extent = _extent(layout.axis, row.start, row.finish)
    if extent is None:
        return []
    x0, x1 = extent
    dates = f' data-start="{row.start.isoformat()}" data-finish="{row.finish.isoformat()}"'
    if row.summary:
        colour = INK
        y = bar_y + 1
        shapes[row.id] = _Shape(x0, x1, y + 3)
        tip = min(5.0, (x1 - x0) / 2)
        return [
            f'<polygon class="gantt-summary"{dates} points="{_num(x0)},{_num(y)}'
            f" {_num(x1)},{_num(y)} {_num(x1)},{_num(y + 10)} {_num(x1 - tip)},{_num(y + 5)}"
            f' {_num(x0 + tip)},{_num(y + 5)} {_num(x0)},{_num(y + 10)}" fill="{colour}"/>'
        ]
    shapes[row.id] = _Shape(x0, x1, bar_y + bar_h / 2)
    fill_colour, stroke = (CRITICAL_FILL, CRITICAL) if row.critical else (BAR_FILL, BRAND)
    critical = " is-critical" if row.critical else ""
    parts = [
        f'<rect class="gantt-bar{critical}"{dates} x="{_num(x0)}" y="{_num(bar_y)}"'
        f' width="{_num(x1 - x0)}" height="{_num(bar_h)}" rx="2" fill="{fill_colour}"'
        f' stroke="{stroke}" stroke-width="0.75"/>'
    ]
    done = _percent(row)
    if done:
        parts.append(
            f'<rect class="gantt-progress" data-percent="{_num(done)}" x="{_num(x0)}"'
            f' y="{_num(bar_y + bar_h * 0.25)}" width="{_num((x1 - x0) * done / 100)}"'
            f' height="{_num(bar_h * 0.5)}" fill="{stroke}"/>'
        )
    return parts


def _gantt_links(
    links: Iterable[GanttLink], shapes: dict[Hashable, _Shape], critical: set[Hashable]
) -> list[str]:
    """Elbow arrows between drawn rows; links to rows not drawn here are left out."""
    parts = ['<g class="gantt-links" fill="none">']
    for link in links:
        source, target = shapes.get(link.from_id), shapes.get(link.to_id)
        if source is None or target is None or link.from_id == link.to_id:
            continue
        kind = str(link.type).upper()
        from_finish = kind in ("FS", "FF")
        into_start = kind in ("FS", "SS")
        path, head = _elbow(
            source.x_end if from_finish else source.x_start,
            source.y,
            1 if from_finish else -1,
            target.x_start if into_start else target.x_end,
            target.y,
            1 if into_start else -1,
        )
        on_path = link.from_id in critical and link.to_id in critical
        colour = CRITICAL if on_path else MUTED
        css = "gantt-link is-critical" if on_path else "gantt-link"
        parts.append(
            f'<g class="{css}" data-type="{kind if kind in ("FS", "SS", "FF", "SF") else "FS"}">'
            f'<path d="{path}" stroke="{colour}" stroke-width="1"/>'
            f'<polygon points="{head}" fill="{colour}"/></g>'
        )
    parts.append("</g>")
    return parts


def _elbow(
    x1: float, y1: float, out_dir: int, x2: float, y2: float, in_dir: int
) -> tuple[str, str]:
    """An orthogonal path leaving (x1, y1) sideways and entering (x2, y2) with an arrow.

    ``out_dir`` is +1 when the link leaves a finish (to the right), -1 from a start;
    ``in_dir`` +1 when it enters a start (moving right), -1 into a finish. When the target
    lies behind the source, the path turns along the row boundary above the target.
    """
    stub, arrow = 6.0, 5.0
    xa = x1 + out_dir * stub
    xb = x2 - in_dir * stub
    end_x = x2 - in_dir * arrow
    if (xb - xa) * in_dir >= 0 and y1 != y2:
        route = f"M{_num(x1)},{_num(y1)} H{_num(xa)} V{_num(y2)} H{_num(end_x)}"
    else:
        step = ROW_HEIGHT / 2 if y2 > y1 else -ROW_HEIGHT / 2
        y_turn = y2 - step if y1 != y2 else y2 + ROW_HEIGHT / 2
        route = (
            f"M{_num(x1)},{_num(y1)} H{_num(xa)} V{_num(y_turn)} H{_num(xb)}"
            f" V{_num(y2)} H{_num(end_x)}"
        )
    head = f"{_num(x2)},{_num(y2)} {_num(end_x)},{_num(y2 - 3.5)} {_num(end_x)},{_num(y2 + 3.5)}"
    return route, head


def _gantt_legend(
    rows: Sequence[GanttRow], layout: _Layout, labels: ChartLabels, today: date | None
) -> list[str]:
    """What the shapes mean, under the chart; only what the chart shows."""
    items = [
        (
            f'<rect x="0" y="-5" width="14" height="10" rx="2" fill="{BAR_FILL}"'
            f' stroke="{BRAND}" stroke-width="0.75"/>'
            f'<rect x="0" y="-2.5" width="8" height="5" fill="{BRAND}"/>',
            f"{line(labels.task)} / {line(labels.progress)}",
        )
    ]
    if any(row.critical for row in rows):
        items.append(
            (
                f'<rect x="0" y="-5" width="14" height="10" rx="2" fill="{CRITICAL_FILL}"'
                f' stroke="{CRITICAL}" stroke-width="0.75"/>',
                labels.critical,
            )
        )
    if any(row.summary for row in rows):
        items.append(
            (
                f'<polygon points="0,-4 14,-4 14,4 11,0 3,0 0,4" fill="{INK}"/>',
                labels.summary,
            )
        )
    if any(row.milestone for row in rows):
        items.append((diamond(7, 0, 5.5, INK), labels.milestone))
    if layout.baselines:
        items.append(
            (f'<rect x="0" y="-2" width="14" height="4" fill="{BASELINE}"/>', labels.baseline)
        )
    if today is not None and layout.axis.shows(today):
        items.append(
            (
                f'<line x1="7" y1="-6" x2="7" y2="6" stroke="{TODAY}" stroke-width="1.5"/>',
                labels.today,
            )
        )
    y = layout.body_bottom + LEGEND_HEIGHT / 2 + 2
    return legend(items, PAD + 4, y, FONT_SIZE - 1)


# --- the programme roadmap -------------------------------------------------------------

_LANE_TOP = 16.0  # from the lane's top to the middle of its bar
_LABEL_FS = 10.0
_LABEL_LINE = 13.0
_LABEL_MAX = 150.0
_MIN_LANE = 46.0


@dataclass(slots=True)
class _Placed:
    """A milestone placed on its lane: where its diamond and its label go."""

    project: RoadmapProject
    milestone: RoadmapMilestone
    x: float
    label: str
    label_x: float
    label_w: float
    label_row: int
    late: bool
    slip: int


def roadmap_svg(
    projects: Sequence[RoadmapProject],
    dependencies: Iterable[RoadmapDependency] = (),
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    labels: ChartLabels | None = None,
    width: int = 1500,
    show_legend: bool = True,
    svg_id: str | None = None,
) -> str:
    """Draw a programme's projects on one timeline, one lane each.

    Each lane shows the project's span as a bar and its milestones as diamonds with short
    labels, stacked in rows under the bar so that they do not overlap. A milestone whose
    date is after its baseline has slipped: a hollow diamond marks the baseline, a dashed
    line joins it to the forecast and "+N d" flags it. A milestone whose date has passed
    and is not done is late and drawn red; done ones are green. ``dependencies`` are
    curved arrows from one milestone to another (red and dashed when the successor comes
    first). The header shows quarters and months, or years and quarters on a long span.
    """
    labels = labels or ChartLabels()
    if width < MIN_WIDTH:
        raise ValueError(f"width must be at least {MIN_WIDTH}, got {width}")
    if start is None or end is None:
        auto_start, auto_end = _span(_project_dates(projects), today)
        start, end = start or auto_start, end or auto_end
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    name_width = min(max(width * 0.17, 160.0), 280.0)
    axis = Axis(start, end, PAD + name_width, width - PAD)
    top_unit, bottom_unit = (
        ("quarter", "month") if axis.day_width * 30 >= 28 else ("year", "quarter")
    )
    body_top = PAD + 2 * TIER
    lanes = [_place_milestones(project, axis, today, labels) for project in projects]
    heights = [_lane_height(placed) for placed in lanes]
    body_bottom = body_top + (sum(heights) if projects else ROW_HEIGHT)
    height = body_bottom + (LEGEND_HEIGHT if show_legend else 0) + PAD
    chart_id = chart_id_for("roadmap", svg_id, projects, start, end, width)

    parts = svg_open(chart_id, "roadmap", width, height, labels.roadmap)
    parts.extend(_lane_backgrounds(heights, body_top, width))
    parts.extend(period_lines(axis, bottom_unit, body_top, body_bottom, GRID))
    parts.extend(period_lines(axis, top_unit, body_top, body_bottom, GRID_STRONG))
    parts.extend(_roadmap_header(axis, labels, top_unit, bottom_unit, width, name_width))
    positions: dict[tuple[str, str], tuple[float, float]] = {}
    bars: dict[str, float] = {}
    lane_top = body_top
    for project, placed, lane_height in zip(projects, lanes, heights, strict=True):
        parts.extend(_lane(project, placed, axis, lane_top, lane_height, name_width, labels))
        for item in placed:
            positions[(project.key, item.milestone.ref)] = (item.x, lane_top + _LANE_TOP)
        bars[project.key] = lane_top + _LANE_TOP
        lane_top += lane_height
    parts.extend(_dependencies(dependencies, positions, bars, axis, labels))
    parts.extend(today_line(axis, today, body_top, body_bottom, labels.today))
    parts.append(
        f'<rect x="{_num(PAD)}" y="{_num(PAD)}" width="{_num(width - 2 * PAD)}"'
        f' height="{_num(body_bottom - PAD)}" fill="none" stroke="{GRID_STRONG}"/>'
    )
    if not projects:
        parts.append(
            f'<text class="roadmap-empty" x="{_num((axis.left + axis.right) / 2)}"'
            f' y="{_num(body_top + ROW_HEIGHT / 2 + 4)}" text-anchor="middle"'
            f' fill="{MUTED}">{_esc(line(labels.none))}</text>'
        )
    if show_legend:
        parts.extend(_roadmap_legend(labels, body_bottom))
    parts.append("</svg>")
    return "".join(parts)


def _project_dates(projects: Sequence[RoadmapProject]) -> Iterable[date | None]:
    """Every date a lane draws, for the automatic window."""
    for project in projects:
        yield project.start
        yield project.finish
        for milestone in project.milestones:
            yield milestone.date
            yield milestone.baseline


def _place_milestones(
    project: RoadmapProject, axis: Axis, today: date | None, labels: ChartLabels
) -> list[_Placed]:
    """Give each milestone on the axis a label row: the first row where it fits (greedy)."""
    placed: list[_Placed] = []
    row_ends: list[float] = []
    shown = [m for m in project.milestones if axis.shows(m.date)]
    for milestone in sorted(shown, key=lambda m: (m.date, m.name)):
        x = axis.middle(milestone.date)
        label = fitted(milestone.name, _LABEL_MAX, _LABEL_FS)
        label_w = _text_width(label, _LABEL_FS) / _TEXT_SLACK
        label_x = min(max(x - label_w / 2, axis.left + 2), axis.right - 2 - label_w)
        row = next((n for n, end in enumerate(row_ends) if end + 8 <= label_x), len(row_ends))
        if row == len(row_ends):
            row_ends.append(0.0)
        row_ends[row] = label_x + label_w
        late = (
            milestone.late
            if milestone.late is not None
            else bool(not milestone.done and today is not None and milestone.date < today)
        )
        slip = milestone.slipped_days
        if slip is None:
            slip = (milestone.date - milestone.baseline).days if milestone.baseline else 0
        placed.append(_Placed(project, milestone, x, label, label_x, label_w, row, late, slip))
    return placed


def _lane_height(placed: Sequence[_Placed]) -> float:
    """A lane is tall enough for its bar and every row of milestone labels."""
    rows = max((item.label_row + 1 for item in placed), default=0)
    return max(_MIN_LANE, _LANE_TOP + 10 + rows * _LABEL_LINE + 6)


def _lane_backgrounds(heights: Sequence[float], top: float, width: float) -> list[str]:
    """Zebra stripes, so the eye follows a lane across a wide page."""
    parts = ['<g class="roadmap-background">']
    y = top
    for index, lane_height in enumerate(heights):
        if index % 2:
            parts.append(
                f'<rect x="{_num(PAD)}" y="{_num(y)}" width="{_num(width - 2 * PAD)}"'
                f' height="{_num(lane_height)}" fill="{ZEBRA}"/>'
            )
        y += lane_height
    parts.append("</g>")
    return parts


def _roadmap_header(
    axis: Axis,
    labels: ChartLabels,
    top_unit: str,
    bottom_unit: str,
    width: float,
    name_width: float,
) -> list[str]:
    """The project column's title and the two timeline tiers."""
    fs = FONT_SIZE - 0.5
    parts = [
        '<g class="roadmap-header">',
        f'<rect x="{_num(PAD)}" y="{_num(PAD)}" width="{_num(width - 2 * PAD)}"'
        f' height="{_num(2 * TIER)}" fill="{HEADER_FILL}"/>',
        f'<line x1="{_num(axis.left)}" y1="{_num(PAD + TIER)}" x2="{_num(axis.right)}"'
        f' y2="{_num(PAD + TIER)}" stroke="{GRID_STRONG}" stroke-width="0.75"/>',
        f'<text x="{_num(PAD + 6)}" y="{_num(PAD + TIER + fs * 0.36)}" font-weight="bold"'
        f' font-size="{_num(fs)}" fill="{HEADER_INK}">'
        f"{_esc(fitted(labels.project, name_width - 10, fs, bold=True))}</text>",
    ]
    parts.extend(
        header_tier(axis, top_unit, labels, y=PAD, height=TIER, with_year=True, font_size=fs)
    )
    parts.extend(
        header_tier(
            axis, bottom_unit, labels, y=PAD + TIER, height=TIER, with_year=False,
            font_size=fs - 0.5,
        )
    )  # fmt: skip
    bottom = PAD + 2 * TIER
    parts.append(
        f'<line x1="{_num(PAD)}" y1="{_num(bottom)}" x2="{_num(width - PAD)}"'
        f' y2="{_num(bottom)}" stroke="{GRID_STRONG}"/>'
        f'<line x1="{_num(axis.left)}" y1="{_num(PAD)}" x2="{_num(axis.left)}"'
        f' y2="{_num(bottom)}" stroke="{GRID_STRONG}" stroke-width="0.75"/>'
    )
    parts.append("</g>")
    return parts


def _lane(
    project: RoadmapProject,
    placed: Sequence[_Placed],
    axis: Axis,
    top: float,
    height: float,
    name_width: float,
    labels: ChartLabels,
) -> list[str]:
    """A project's lane: its name, its span, its milestones with their labels."""
    key = line(project.key)
    parts = [
        f'<g class="roadmap-lane" data-project="{_esc(key)}">',
        f'<text class="roadmap-key" x="{_num(PAD + 6)}" y="{_num(top + 15)}"'
        f' font-weight="bold">{_esc(fitted(key, name_width - 12, FONT_SIZE, bold=True))}</text>',
        f'<text class="roadmap-name" x="{_num(PAD + 6)}" y="{_num(top + 29)}"'
        f' font-size="{_num(FONT_SIZE - 1)}" fill="{MUTED}">'
        f"{_esc(fitted(project.name, name_width - 12, FONT_SIZE - 1))}</text>",
        f'<line x1="{_num(PAD)}" y1="{_num(top + height)}" x2="{_num(axis.right)}"'
        f' y2="{_num(top + height)}" stroke="{GRID}" stroke-width="0.75"/>',
    ]
    if project.start and project.finish:
        extent = _extent(axis, project.start, project.finish)
        if extent is not None:
            x0, x1 = extent
            parts.append(
                f'<rect class="roadmap-bar" data-start="{project.start.isoformat()}"'
                f' data-finish="{project.finish.isoformat()}" x="{_num(x0)}"'
                f' y="{_num(top + _LANE_TOP - 4)}" width="{_num(x1 - x0)}" height="8" rx="4"'
                f' fill="{BAR_FILL}" stroke="{BRAND}" stroke-width="0.75">'
                f"<title>{_esc(line(project.name))}: {_esc(format_day(project.start, labels))}"
                f" – {_esc(format_day(project.finish, labels))}</title></rect>"
            )
    for item in placed:
        parts.extend(_roadmap_milestone(item, axis, top, labels))
    parts.append("</g>")
    return parts


def _roadmap_milestone(item: _Placed, axis: Axis, top: float, labels: ChartLabels) -> list[str]:
    """A milestone's diamond, its slip against the baseline and its label."""
    milestone = item.milestone
    cy = top + _LANE_TOP
    state = "done" if milestone.done else "late" if item.late else "open"
    colour = {"done": DONE, "late": CRITICAL, "open": BRAND}[state]
    slipped = item.slip > 0
    tooltip = f"{line(milestone.name)}: {format_day(milestone.date, labels)}"
    if milestone.baseline:
        tooltip += f"; {line(labels.baseline)}: {format_day(milestone.baseline, labels)}"
    if slipped:
        tooltip += f"; {fill(labels.slipped_by, days=item.slip)}"
    if state != "open":
        tooltip += f" ({line(labels.done if state == 'done' else labels.late)})"
    css = "roadmap-milestone" + (" is-late" if state == "late" else "") + (
        " is-done" if state == "done" else ""
    ) + (" is-slipped" if slipped else "")  # fmt: skip
    parts = [
        f'<g class="{css}" data-milestone="{_esc(line(milestone.ref))}"'
        f' data-date="{milestone.date.isoformat()}" data-slip="{item.slip}">',
        f"<title>{_esc(tooltip)}</title>",
    ]
    if slipped and milestone.baseline and axis.shows(milestone.baseline):
        bx = axis.middle(milestone.baseline)
        parts.append(
            f'<line class="roadmap-slip" x1="{_num(bx)}" y1="{_num(cy)}" x2="{_num(item.x)}"'
            f' y2="{_num(cy)}" stroke="{WARNING}" stroke-width="1.2" stroke-dasharray="3 2"/>'
        )
        parts.append(
            diamond(
                bx, cy, 5.0, BACKGROUND,
                f' class="roadmap-baseline" stroke="{MUTED}" stroke-width="1.2"'
                f' data-date="{milestone.baseline.isoformat()}"',
            )
        )  # fmt: skip
    parts.append(diamond(item.x, cy, 6.5, colour, f' stroke="{BACKGROUND}" stroke-width="1"'))
    if slipped:
        parts.append(
            f'<text class="roadmap-slip-marker" x="{_num(item.x)}" y="{_num(cy - 8)}"'
            f' text-anchor="middle" font-size="8.5" font-weight="bold" fill="{WARNING}">'
            f"{_esc(fill(labels.slip_days, days=item.slip))}</text>"
        )
    label_y = cy + 10 + _LABEL_FS + item.label_row * _LABEL_LINE
    ink = CRITICAL if state == "late" else INK
    parts.append(
        f'<text class="roadmap-label" x="{_num(item.label_x + item.label_w / 2)}"'
        f' y="{_num(label_y)}" text-anchor="middle" font-size="{_num(_LABEL_FS)}"'
        f' fill="{ink}">{_esc(item.label)}</text>'
    )
    parts.append("</g>")
    return parts


def _end(
    project: str,
    key: str,
    day: date | None,
    positions: dict[tuple[str, str], tuple[float, float]],
    bars: dict[str, float],
    axis: Axis,
) -> tuple[float, float] | None:
    """Where a dependency's end is drawn: its milestone, else its day on the lane's bar."""
    found = positions.get((project, key))
    if found is not None:
        return found
    if day is None or project not in bars or not axis.start <= day <= axis.end:
        return None
    return (axis.x(day), bars[project])


def _dependencies(
    dependencies: Iterable[RoadmapDependency],
    positions: dict[tuple[str, str], tuple[float, float]],
    bars: dict[str, float],
    axis: Axis,
    labels: ChartLabels,
) -> list[str]:
    """Curved arrows between milestones (or days on lanes); ends not drawn are left out."""
    parts = ['<g class="roadmap-dependencies" fill="none">']
    for dependency in dependencies:
        d = dependency
        source = _end(d.from_project, d.from_milestone, d.from_date, positions, bars, axis)
        target = _end(d.to_project, d.to_milestone, d.to_date, positions, bars, axis)
        if source is None or target is None or source == target:
            continue
        (x1, y1), (x2, y2) = source, target
        broken = x2 < x1
        start_x, end_x = x1 + 6.5, x2 - 6.5 - 5
        dx = max(24.0, (end_x - start_x) / 2) if not broken else 40.0
        bend = 0.0 if y1 != y2 else 18.0
        path = (
            f"M{_num(start_x)},{_num(y1)} C{_num(start_x + dx)},{_num(y1 + bend)}"
            f" {_num(end_x - dx)},{_num(y2 + bend)} {_num(end_x)},{_num(y2)}"
        )
        colour = CRITICAL if broken else MUTED
        dash = ' stroke-dasharray="4 3"' if broken else ""
        name = labels.dependency_broken if broken else labels.dependency
        css = "roadmap-dependency is-broken" if broken else "roadmap-dependency"
        parts.append(
            f'<g class="{css}"><title>{_esc(line(name))}: {_esc(line(d.from_project))}'
            f" {_esc(line(d.from_name or d.from_milestone))} → {_esc(line(d.to_project))}"
            f" {_esc(line(d.to_name or d.to_milestone))}</title>"
            f'<path d="{path}" stroke="{colour}" stroke-width="1.2"{dash}/>'
            f'<polygon points="{_num(x2 - 6.5)},{_num(y2)} {_num(end_x)},{_num(y2 - 3.5)}'
            f' {_num(end_x)},{_num(y2 + 3.5)}" fill="{colour}"/></g>'
        )
    parts.append("</g>")
    return parts


def _roadmap_legend(labels: ChartLabels, body_bottom: float) -> list[str]:
    """What the roadmap's shapes and colours mean, under the chart."""
    items = [
        (diamond(7, 0, 5.5, BRAND), labels.milestone),
        (diamond(7, 0, 5.5, DONE), labels.done),
        (diamond(7, 0, 5.5, CRITICAL), labels.late),
        (
            diamond(3, 0, 3.5, BACKGROUND, f' stroke="{MUTED}" stroke-width="1.2"')
            + f'<line x1="7" y1="0" x2="11" y2="0" stroke="{WARNING}" stroke-dasharray="2 1"/>'
            + diamond(13, 0, 3.5, BRAND),
            labels.slipped,
        ),
        (
            f'<path d="M0,4 C5,4 6,-4 10,-4" stroke="{MUTED}" fill="none" stroke-width="1.2"/>'
            f'<polygon points="14,-4 10,-6.5 10,-1.5" fill="{MUTED}"/>',
            labels.dependency,
        ),
        (f'<line x1="7" y1="-6" x2="7" y2="6" stroke="{TODAY}" stroke-width="1.5"/>', labels.today),
    ]
    return legend(items, PAD + 4, body_bottom + LEGEND_HEIGHT / 2 + 2, FONT_SIZE - 1)
