"""Draw the milestone trend analysis (MTA) chart as a standalone SVG string.

The classic chart: the horizontal axis is the reporting date, the vertical axis the date a
milestone is forecast for, both on the same scale. At each reporting date every open
milestone gets a point at its forecast; the points of one milestone make a line. A flat
line is a milestone that holds, a rising one slips, a falling one comes earlier. Nothing
can be forecast before the day it is reported, so all points lie on or above the 45°
diagonal; when a milestone is achieved its line ends on the diagonal, at the day it was.

Same rules as the other charts (see `gantt`): a ``viewBox``, presentation attributes only,
every text escaped, all words from `ChartLabels`, month names from Babel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from schakel.core.charts.gantt import (
    BACKGROUND,
    BRAND,
    DAY_OFF,
    FONT_SIZE,
    GRID,
    GRID_STRONG,
    INK,
    MUTED,
    PAD,
    ChartLabels,
    chart_id_for,
    diamond,
    fitted,
    format_day,
    line,
    periods,
    svg_open,
)
from schakel.core.charts.heatmap import _esc, _num, _text_width

__all__ = ["PALETTE", "MtaMilestone", "mta_svg"]

# One colour per milestone, told apart in print and by most colour-blind readers; after
# eight they repeat with a dashed line.
PALETTE = (
    BRAND,
    "#e69100",
    "#1f5fa8",
    "#c62828",
    "#2e7d32",
    "#7b3fa0",
    "#5b6775",
    "#a0522d",
)

_LEGEND_WIDTH = 230.0
_MIN_WIDTH = 480


@dataclass(frozen=True)
class MtaMilestone:
    """A milestone's forecasts: reporting date → the date it was then forecast for.

    ``achieved`` is the day it was reached; forecasts reported after it are ignored.
    """

    name: str
    forecasts: Mapping[date, date] = field(default_factory=dict)
    achieved: date | None = None

    def points(self) -> list[tuple[date, date]]:
        """The (reporting date, forecast) points of its line, ending on the diagonal."""
        points = sorted(
            (reported, forecast)
            for reported, forecast in self.forecasts.items()
            if self.achieved is None or reported <= self.achieved
        )
        if self.achieved is not None:
            points.append((self.achieved, self.achieved))
        return points


@dataclass(frozen=True, slots=True)
class _Frame:
    """The square plot: dates ``low`` to ``high`` on both axes."""

    low: date
    high: date
    left: float
    top: float
    size: float

    @property
    def bottom(self) -> float:
        """The plot's lower edge."""
        return self.top + self.size

    @property
    def right(self) -> float:
        """The plot's right edge."""
        return self.left + self.size

    def x(self, day: date) -> float:
        """Where a reporting date lies across."""
        return self.left + self.size * (day - self.low).days / (self.high - self.low).days

    def y(self, day: date) -> float:
        """Where a forecast date lies up (later is higher)."""
        return self.bottom - self.size * (day - self.low).days / (self.high - self.low).days


def _month_floor(day: date) -> date:
    """The first of the month that holds ``day``."""
    return date(day.year, day.month, 1)


def _month_after(day: date) -> date:
    """The first of the month after the one that holds ``day``."""
    index = day.year * 12 + day.month
    return date(index // 12, index % 12 + 1, 1)


def _range(
    milestones: Sequence[MtaMilestone], reporting_dates: Iterable[date]
) -> tuple[date, date]:
    """Whole months around every date drawn, at least one."""
    days = list(reporting_dates)
    for milestone in milestones:
        for reported, forecast in milestone.points():
            days.extend((reported, forecast))
    if not days:
        today = date.today()
        return _month_floor(today), _month_after(today)
    low, high = _month_floor(min(days)), max(days)
    high = high if high.day == 1 and high > low else _month_after(high)
    return low, high


def mta_svg(
    milestones: Sequence[MtaMilestone],
    reporting_dates: Sequence[date] = (),
    *,
    labels: ChartLabels | None = None,
    width: int = 900,
    svg_id: str | None = None,
) -> str:
    """Draw the milestone trend analysis of ``milestones`` over ``reporting_dates``.

    Each reporting date gets a faint vertical line; each milestone a line through its
    forecasts, a dot per report and, once achieved, a diamond on the diagonal. The area
    under the diagonal (forecasts in the past) is shaded. The legend on the right names
    each line and its last forecast.
    """
    labels = labels or ChartLabels()
    if width < _MIN_WIDTH:
        raise ValueError(f"width must be at least {_MIN_WIDTH}, got {width}")
    low, high = _range(milestones, reporting_dates)
    fs = FONT_SIZE
    tick_w = max(_text_width(format_day(low, labels, "MMM y"), fs - 1), 40.0) / 0.88
    left = PAD + fs * 1.8 + tick_w + 8
    top = PAD + fs * 2.2
    size = width - left - _LEGEND_WIDTH - 2 * PAD
    frame = _Frame(low, high, left, top, size)
    axis_title_y = frame.bottom + 6 + (fs - 1) * 1.3 * 2 + fs
    legend_bottom = frame.top + len(milestones) * (fs - 1) * 3 + fs * 4
    height = max(axis_title_y, legend_bottom) + PAD + 4
    chart_id = chart_id_for("mta", svg_id, milestones, reporting_dates, width)

    parts = svg_open(chart_id, "mta", width, height, labels.trend, _summary(milestones, labels))
    parts.append(
        f'<text x="{_num(left + size / 2)}" y="{_num(PAD + fs + 2)}" text-anchor="middle"'
        f' font-size="{_num(fs + 2)}" font-weight="bold">'
        f"{_esc(fitted(labels.trend, size, fs + 2, bold=True))}</text>"
    )
    parts.extend(_plot_area(frame, sorted(set(reporting_dates))))
    parts.extend(_axes(frame, labels, axis_title_y))
    parts.append('<g class="mta-lines">')
    for index, milestone in enumerate(milestones):
        parts.extend(_milestone_line(milestone, index, frame, labels))
    parts.append("</g>")
    parts.extend(_legend(milestones, frame, labels))
    parts.append("</svg>")
    return "".join(parts)


def _summary(milestones: Sequence[MtaMilestone], labels: ChartLabels) -> str:
    """For screen readers: each milestone's first and last forecast."""
    pieces = []
    for milestone in milestones:
        points = milestone.points()
        if not points:
            continue
        first, last = points[0][1], points[-1][1]
        text = f"{line(milestone.name)}: {format_day(first, labels)} → {format_day(last, labels)}"
        if milestone.achieved:
            text += f" ({line(labels.achieved)})"
        pieces.append(text)
    return "; ".join(pieces)


def _plot_area(frame: _Frame, reporting_dates: Sequence[date]) -> list[str]:
    """The frame, the shaded past under the diagonal, month lines, reporting-date lines."""
    parts = [
        f'<rect class="mta-plot" data-from="{frame.low.isoformat()}"'
        f' data-to="{frame.high.isoformat()}" x="{_num(frame.left)}" y="{_num(frame.top)}"'
        f' width="{_num(frame.size)}" height="{_num(frame.size)}" fill="{BACKGROUND}"/>',
        f'<polygon class="mta-past" points="{_num(frame.left)},{_num(frame.bottom)}'
        f' {_num(frame.right)},{_num(frame.bottom)} {_num(frame.right)},{_num(frame.top)}"'
        f' fill="{DAY_OFF}"/>',
    ]
    for first, _ in periods("month", frame.low, frame.high)[1:]:
        if first >= frame.high:
            break
        x, y = frame.x(first), frame.y(first)
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(frame.top)}" x2="{_num(x)}" y2="{_num(frame.bottom)}"'
            f' stroke="{GRID}" stroke-width="0.6"/>'
            f'<line x1="{_num(frame.left)}" y1="{_num(y)}" x2="{_num(frame.right)}" y2="{_num(y)}"'
            f' stroke="{GRID}" stroke-width="0.6"/>'
        )
    for reported in reporting_dates:
        x = frame.x(reported)
        parts.append(
            f'<line class="mta-reporting" data-date="{reported.isoformat()}" x1="{_num(x)}"'
            f' y1="{_num(frame.top)}" x2="{_num(x)}" y2="{_num(frame.y(reported))}"'
            f' stroke="{GRID_STRONG}" stroke-width="0.75" stroke-dasharray="2 2"/>'
        )
    parts.append(
        f'<line class="mta-diagonal" x1="{_num(frame.left)}" y1="{_num(frame.bottom)}"'
        f' x2="{_num(frame.right)}" y2="{_num(frame.top)}" stroke="{INK}" stroke-width="1.2"/>'
        f'<rect x="{_num(frame.left)}" y="{_num(frame.top)}" width="{_num(frame.size)}"'
        f' height="{_num(frame.size)}" fill="none" stroke="{GRID_STRONG}"/>'
    )
    return parts


def _month_ticks(frame: _Frame, labels: ChartLabels, fs: float) -> list[date]:
    """Month starts to label, every n-th so that the labels do not touch."""
    months = [first for first, _ in periods("month", frame.low, frame.high) if first <= frame.high]
    widest = max(_text_width(format_day(m, labels, "MMM y"), fs) for m in months) / 0.88
    per_month = frame.size / max(len(months) - 1, 1)
    step = next((n for n in (1, 2, 3, 6, 12) if per_month * n >= widest + 6), 24)
    return [month for index, month in enumerate(months) if index % step == 0]


def _axes(frame: _Frame, labels: ChartLabels, title_y: float) -> list[str]:
    """Month labels on both axes and the two axis titles."""
    fs = FONT_SIZE - 1
    parts = ['<g class="mta-axes">']
    for month in _month_ticks(frame, labels, fs):
        text = _esc(format_day(month, labels, "MMM y"))
        x, y = frame.x(month), frame.y(month)
        parts.append(
            f'<text x="{_num(x)}" y="{_num(frame.bottom + 6 + fs)}" text-anchor="middle"'
            f' font-size="{_num(fs)}" fill="{MUTED}">{text}</text>'
            f'<text x="{_num(frame.left - 6)}" y="{_num(y + fs * 0.36)}" text-anchor="end"'
            f' font-size="{_num(fs)}" fill="{MUTED}">{text}</text>'
        )
    axis_x, axis_y = PAD + FONT_SIZE, frame.top + frame.size / 2
    parts.append(
        f'<text class="mta-axis" x="{_num(frame.left + frame.size / 2)}"'
        f' y="{_num(title_y)}" text-anchor="middle" font-weight="bold">'
        f"{_esc(fitted(labels.reporting_date, frame.size, FONT_SIZE, bold=True))}</text>"
        f'<text class="mta-axis" x="{_num(axis_x)}" y="{_num(axis_y)}"'
        f' transform="rotate(-90 {_num(axis_x)} {_num(axis_y)})" text-anchor="middle"'
        f' font-weight="bold">'
        f"{_esc(fitted(labels.forecast_date, frame.size, FONT_SIZE, bold=True))}</text>"
    )
    parts.append("</g>")
    return parts


def _style(index: int) -> tuple[str, str]:
    """The colour of the n-th milestone, and a dash pattern once the colours repeat."""
    colour = PALETTE[index % len(PALETTE)]
    dash = ' stroke-dasharray="5 3"' if (index // len(PALETTE)) % 2 else ""
    return colour, dash


def _milestone_line(
    milestone: MtaMilestone, index: int, frame: _Frame, labels: ChartLabels
) -> list[str]:
    """One milestone: a polyline through its forecasts, dots, a diamond when achieved."""
    points = milestone.points()
    if not points:
        return []
    colour, dash = _style(index)
    name = line(milestone.name)
    coords = " ".join(f"{_num(frame.x(r))},{_num(frame.y(f))}" for r, f in points)
    parts = [
        f'<g class="mta-milestone" data-name="{_esc(name)}"'
        f' data-achieved="{milestone.achieved.isoformat() if milestone.achieved else ""}">',
        f"<title>{_esc(name)}</title>",
        f'<polyline class="mta-line" points="{coords}" fill="none" stroke="{colour}"'
        f' stroke-width="2" stroke-linejoin="round"{dash}/>',
    ]
    reports = points[:-1] if milestone.achieved else points
    for reported, forecast in reports:
        parts.append(
            f'<circle class="mta-point" cx="{_num(frame.x(reported))}"'
            f' cy="{_num(frame.y(forecast))}" r="3" fill="{colour}" stroke="{BACKGROUND}"'
            f' stroke-width="1"><title>{_esc(name)}: {_esc(format_day(reported, labels))}'
            f" → {_esc(format_day(forecast, labels))}</title></circle>"
        )
    if milestone.achieved:
        day = milestone.achieved
        parts.append(
            diamond(
                frame.x(day), frame.y(day), 6.0, colour,
                f' class="mta-achieved" stroke="{BACKGROUND}" stroke-width="1"',
            )
        )  # fmt: skip
    parts.append("</g>")
    return parts


def _legend(milestones: Sequence[MtaMilestone], frame: _Frame, labels: ChartLabels) -> list[str]:
    """The milestones' names and last forecasts on the right, then what the shapes mean."""
    fs = FONT_SIZE - 1
    x = frame.right + 18
    room = _LEGEND_WIDTH - 18 - 24
    y = frame.top + fs
    parts = ['<g class="mta-legend">']
    for index, milestone in enumerate(milestones):
        points = milestone.points()
        colour, dash = _style(index)
        detail = (
            f"{line(labels.achieved)} {format_day(milestone.achieved, labels)}"
            if milestone.achieved
            else format_day(points[-1][1], labels)
            if points
            else ""
        )
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(y - fs * 0.35)}" x2="{_num(x + 18)}"'
            f' y2="{_num(y - fs * 0.35)}" stroke="{colour}" stroke-width="2.5"{dash}/>'
            f'<text x="{_num(x + 24)}" y="{_num(y)}" font-size="{_num(fs)}">'
            f"{_esc(fitted(milestone.name, room, fs))}</text>"
            f'<text x="{_num(x + 24)}" y="{_num(y + fs * 1.25)}" font-size="{_num(fs - 1)}"'
            f' fill="{MUTED}">{_esc(fitted(detail, room, fs - 1))}</text>'
        )
        y += fs * 3
    y += fs
    parts.append(
        diamond(x + 9, y - fs * 0.35, 5.0, INK)
        + f'<text x="{_num(x + 24)}" y="{_num(y)}" font-size="{_num(fs)}" fill="{MUTED}">'
        f"{_esc(fitted(labels.achieved, room, fs))}</text>"
    )
    y += fs * 1.8
    parts.append(
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(fs - 0.5)}" fill="{MUTED}"'
        f' font-style="italic">{_esc(fitted(labels.trend_hint, room + 24, fs - 0.5))}</text>'
    )
    parts.append("</g>")
    return parts
