"""Draw RAG trends as standalone SVG: a strip per dimension, a distribution per period.

The strip is a row of small squares, one per period, oldest on the left and the newest
outlined; it sits in a table cell beside a dimension's current colour. The distribution is
a stacked column chart of how many projects were green, amber, red or did not report in
each period. Both follow `heatmap`'s rules (a ``viewBox``, presentation attributes only,
no scripts or styles, every text escaped), so the page, WeasyPrint and e-mail show the
same picture. Colours come from `schakel.core.exports._rag`, shared with the PowerPoint,
PDF and Excel writers; a colour string the caller passes only ever selects one of those
constants, so it never reaches an attribute itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from schakel.core.charts.heatmap import _default_id, _esc, _fit, _num, _text_width, _wrap
from schakel.core.exports._rag import RAG_ORDER, RagStyle, rag_label, rag_style
from schakel.core.exports.report_data import PeriodCount, ReportLabels

__all__ = ["axis_ticks", "rag_distribution_svg", "rag_strip_svg"]

_INK = "#1f2937"
_MUTED = "#4b5563"
_GRID = "#d1d5db"
_BACKGROUND = "#ffffff"
_OUTLINE = "#111827"

# Strip geometry, in pixels: small enough for a table cell, big enough to tell apart.
_CELL = 12
_GAP = 3
_PAD = 2

# The distribution chart's size; it scales through its viewBox.
_CHART_WIDTH = 640
_CHART_HEIGHT = 320


def rag_strip_svg(colours: Sequence[str], *, label: str = "") -> str:
    """Draw one square per period, oldest first, with the newest outlined.

    ``colours`` are "green", "amber", "red" or anything else for "not reported" (a light
    grey square with a dash). ``label`` is the accessible name, translated by the caller
    (e.g. "Schedule: green, amber, amber"); without one the colour keys are listed.
    """
    styles = [rag_style(colour) for colour in colours]
    count = len(styles)
    width = 2 * _PAD + count * _CELL + max(count - 1, 0) * _GAP
    height = 2 * _PAD + _CELL
    name = label or ", ".join(style.key or "-" for style in styles)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rag-strip"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label="{_esc(name)}">',
        f"<title>{_esc(name)}</title>",
    ]
    for index, style in enumerate(styles):
        x = _PAD + index * (_CELL + _GAP)
        newest = index == count - 1
        outline = f' stroke="{_OUTLINE}" stroke-width="1.5"' if newest else ""
        parts.append(
            f'<rect class="rag-strip-cell" data-rag="{style.key or "none"}"'
            f' x="{x}" y="{_PAD}" width="{_CELL}" height="{_CELL}" rx="1.5"'
            f' fill="{style.fill}"{outline}/>'
        )
        if style.mark:
            parts.append(
                f'<line x1="{x + 3}" y1="{_PAD + _CELL / 2}" x2="{x + _CELL - 3}"'
                f' y2="{_PAD + _CELL / 2}" stroke="{style.ink}" stroke-width="1.5"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def rag_distribution_svg(counts: Sequence[PeriodCount], *, labels: ReportLabels) -> str:
    """Draw a stacked column per period: green at the bottom, then amber, red, not reported.

    The vertical axis counts projects (``labels.projects``), the horizontal one names the
    periods (``labels.period``); a legend under the title names the four colours. Each
    segment carries a ``<title>`` ("Nov 2026 · Red: 3") and the chart a ``<desc>`` with
    every period's numbers, so a screen reader gets the figures, not just the shapes.
    Negative counts are refused with a ValueError.
    """
    periods = [_checked(count) for count in counts]
    width, height = float(_CHART_WIDTH), float(_CHART_HEIGHT)
    pad, title_fs, fs = 10.0, 15.0, 11.0
    chart_id = _default_id("rag-distribution", labels.distribution, periods)

    legend_y = pad + title_fs + 16
    top = legend_y + 18
    totals = [sum(values) for _, values in periods]
    step, ceiling = axis_ticks(max(totals, default=0))
    tick_w = max(_text_width(str(ceiling), fs), _text_width("0", fs))
    left = pad + fs * 1.6 + tick_w + 8
    right = width - pad
    bottom = height - pad - fs * 1.6 - fs * 2.6 - 6
    plot_w, plot_h = right - left, bottom - top

    def y_of(value: float) -> float:
        return bottom - plot_h * value / ceiling

    names = [_text(rag_label(style.key, labels)) for style in RAG_ORDER]
    summary = [
        f"{_text(label)}: "
        + ", ".join(f"{name} {value}" for name, value in zip(names, values, strict=True))
        for label, values in periods
    ]
    title = _text(labels.distribution)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="rag-distribution"'
        f' viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}"'
        f' height="{_num(height)}" role="img" aria-labelledby="{chart_id}-title"'
        f' aria-describedby="{chart_id}-desc" font-family="sans-serif" fill="{_INK}">',
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc("; ".join(summary) or _text(labels.none))}</desc>',
        f'<rect x="0" y="0" width="{_num(width)}" height="{_num(height)}" fill="{_BACKGROUND}"/>',
        f'<text class="rag-distribution-title" x="{_num(width / 2)}" y="{_num(pad + title_fs)}"'
        f' text-anchor="middle" font-size="{_num(title_fs)}" font-weight="bold">'
        f"{_esc(_fit(title, width - 2 * pad, title_fs))}</text>",
    ]
    parts.extend(_legend(names, width, legend_y, fs))

    # Gridlines and the count ticks.
    parts.append('<g class="rag-distribution-ticks">')
    value = 0
    while value <= ceiling:
        y = y_of(value)
        parts.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" y2="{_num(y)}"'
            f' stroke="{_GRID if value else _MUTED}" stroke-width="{1 if value else 1.2}"/>'
            f'<text x="{_num(left - 6)}" y="{_num(y + fs * 0.35)}" text-anchor="end"'
            f' font-size="{_num(fs)}" fill="{_MUTED}">{value}</text>'
        )
        value += step
    parts.append("</g>")

    axis_x, axis_y = pad + fs, top + plot_h / 2
    parts.append(
        f'<text class="rag-distribution-axis" x="{_num(axis_x)}" y="{_num(axis_y)}"'
        f' transform="rotate(-90 {_num(axis_x)} {_num(axis_y)})" text-anchor="middle"'
        f' font-size="{_num(fs)}">{_esc(_fit(_text(labels.projects), plot_h, fs))}</text>'
    )
    parts.append(
        f'<text class="rag-distribution-axis" x="{_num(left + plot_w / 2)}"'
        f' y="{_num(height - pad)}" text-anchor="middle" font-size="{_num(fs)}">'
        f"{_esc(_fit(_text(labels.period), plot_w, fs))}</text>"
    )

    if not periods:
        parts.append(
            f'<text x="{_num(left + plot_w / 2)}" y="{_num(top + plot_h / 2)}"'
            f' text-anchor="middle" font-size="{_num(fs)}" fill="{_MUTED}">'
            f"{_esc(_text(labels.none))}</text>"
        )
    band = plot_w / max(len(periods), 1)
    bar_w = min(band * 0.62, 56.0)
    tick_fs = fs if band >= 40 else max(7.0, fs * band / 40)
    for index, (period_label, values) in enumerate(periods):
        centre = left + band * index + band / 2
        parts.append(f'<g class="rag-distribution-period" data-period="{index}">')
        stacked = 0
        for style, name, amount in zip(RAG_ORDER, names, values, strict=True):
            if not amount:
                continue
            y_top, y_bottom = y_of(stacked + amount), y_of(stacked)
            stacked += amount
            tooltip = f"{_text(period_label)} · {name}: {amount}"
            parts.extend(_segment(style, centre, bar_w, y_top, y_bottom, amount, fs))
            parts.append(f"<title>{_esc(tooltip)}</title></g>")
        lines = _wrap(_text(period_label), band - 4, tick_fs, 2)
        spans = "".join(
            f'<tspan x="{_num(centre)}" dy="{_num(0 if n == 0 else tick_fs * 1.2)}">'
            f"{_esc(text)}</tspan>"
            for n, text in enumerate(lines)
        )
        parts.append(
            f'<text x="{_num(centre)}" y="{_num(bottom + 6 + tick_fs)}" text-anchor="middle"'
            f' font-size="{_num(tick_fs)}">{spans}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _segment(
    style: RagStyle,
    centre: float,
    bar_w: float,
    y_top: float,
    y_bottom: float,
    amount: int,
    fs: float,
) -> list[str]:
    """One coloured piece of a column, opened as a group the caller closes after its title."""
    seg_h = y_bottom - y_top
    parts = [
        f'<g class="rag-distribution-segment" data-rag="{style.key or "none"}"'
        f' data-count="{amount}">',
        f'<rect x="{_num(centre - bar_w / 2)}" y="{_num(y_top)}" width="{_num(bar_w)}"'
        f' height="{_num(seg_h)}" fill="{style.fill}" stroke="{_BACKGROUND}"'
        f' stroke-width="0.75"/>',
    ]
    if seg_h >= fs + 2 and _text_width(str(amount), fs) <= bar_w - 4:
        parts.append(
            f'<text x="{_num(centre)}" y="{_num(y_top + seg_h / 2 + fs * 0.35)}"'
            f' text-anchor="middle" font-size="{_num(fs)}" font-weight="bold"'
            f' fill="{style.ink}">{amount}</text>'
        )
    return parts


def _legend(names: Sequence[str], width: float, y: float, fs: float) -> list[str]:
    """The four colours and their names in a centred row under the title."""
    swatch, gap = 10.0, 16.0
    widths = [swatch + 5 + _text_width(name, fs) for name in names]
    total = sum(widths) + gap * (len(widths) - 1)
    x = max((width - total) / 2, 4.0)
    parts = ['<g class="rag-distribution-legend">']
    for style, name, item_w in zip(RAG_ORDER, names, widths, strict=True):
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y - swatch + 1)}" width="{_num(swatch)}"'
            f' height="{_num(swatch)}" fill="{style.fill}"/>'
            f'<text x="{_num(x + swatch + 5)}" y="{_num(y)}" font-size="{_num(fs)}">'
            f"{_esc(name)}</text>"
        )
        x += item_w + gap
    parts.append("</g>")
    return parts


def _checked(count: PeriodCount) -> tuple[str, tuple[int, int, int, int]]:
    values = (int(count.green), int(count.amber), int(count.red), int(count.missing))
    if any(value < 0 for value in values):
        raise ValueError(f"negative count in period {count.label!r}: {values}")
    return count.label, values


def axis_ticks(highest: int) -> tuple[int, int]:
    """A round step (1, 2, 5 × 10ⁿ) giving at most five gridlines, and the axis top."""
    if highest <= 0:
        return 1, 1
    raw = highest / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return step, step * math.ceil(highest / step)


def _text(value: str) -> str:
    """A label on one line: newlines and runs of spaces become one space."""
    return " ".join(str(value).split())
