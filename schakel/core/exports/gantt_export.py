"""Print Gantt charts, roadmaps and trend charts as PDF (WeasyPrint) and PNG (PDFium).

The pictures are the SVG strings of `schakel.core.charts.gantt` and `.mta`, inlined in an
HTML page that `pdf.render_html` prints with its refusing URL fetcher: the SVG carries
no external resources and the page asks for none.

A long plan does not fit one page: `gantt_pdf` cuts its rows into pages of as many rows
as fit, drawing every page as its own chart on the same time axis, so the timeline header
and the column titles repeat on each page. A link whose two rows land on different pages
is drawn on neither.

PNG: WeasyPrint prints the SVG on a page exactly its size and PDFium (the ``pypdfium2``
wheel bundles it, so no system library is needed beyond WeasyPrint's own Pango) turns
that page into pixels. Both are imported inside the functions: they load native code the
web process should only pay for when someone downloads a picture.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from schakel.core.charts.gantt import (
    ROW_HEIGHT,
    ChartLabels,
    GanttLink,
    GanttRow,
    Scale,
    gantt_chrome_height,
    gantt_svg,
    gantt_window,
)
from schakel.core.exports._html import css_string, escape, page_content
from schakel.core.exports._text import single_line, split_page_label
from schakel.core.exports.pdf import render_html

__all__ = ["PAPERS", "Paper", "charts_pdf", "gantt_pdf", "gantt_png", "rows_per_page"]

PaperName = Literal["A3", "A4"]


@dataclass(frozen=True, slots=True)
class Paper:
    """A landscape page and the width of the chart drawn for it.

    ``chart_width`` is in SVG pixels: chosen so that the charts' 11-pixel text prints at
    about 8 pt, the smallest size people read a plan at without a magnifier.
    """

    width_mm: float
    height_mm: float
    chart_width: int
    # The running header and footer sit in the margin boxes.
    margin_mm: float = 12.0
    # Slack for WeasyPrint's rounding, so the last row never spills onto a page alone.
    slack_mm: float = 3.0

    @property
    def content_width_mm(self) -> float:
        """The printable width."""
        return self.width_mm - 2 * self.margin_mm

    @property
    def content_height_mm(self) -> float:
        """The printable height between the running header and footer."""
        return self.height_mm - 2 * self.margin_mm - self.slack_mm

    @property
    def chart_height_px(self) -> float:
        """How many SVG pixels of height fit a page when the chart fills its width."""
        return self.content_height_mm * self.chart_width / self.content_width_mm


PAPERS: dict[str, Paper] = {
    "A3": Paper(420.0, 297.0, chart_width=1500),
    "A4": Paper(297.0, 210.0, chart_width=1060),
}

_FONT_STACK = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'

_STYLE = """
@page {
  size: %(size)s landscape;
  margin: %(margin)smm;
  @top-left { content: %(title)s; font-size: 9pt; color: #1d2630; font-weight: bold;
              vertical-align: bottom; padding-bottom: 2mm; }
  @bottom-left { content: %(organisation)s; font-size: 8pt; color: #5b6775; }
  @bottom-right { content: %(page)s; font-size: 8pt; color: #5b6775; }
}
html { font-family: %(font)s; font-size: 9pt; color: #1d2630; }
body { margin: 0; }
div.chart { break-inside: avoid; margin: 0 auto; }
div.chart + div.chart { break-before: page; }
div.chart svg { display: block; width: 100%%; height: auto; }
"""

_VIEW_BOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def rows_per_page(paper: PaperName = "A3", *, show_legend: bool = True) -> int:
    """How many Gantt rows fit one page of ``paper`` under the header, with the legend."""
    sheet = PAPERS[paper]
    room = sheet.chart_height_px - gantt_chrome_height(legend=show_legend, rows=0)
    # chrome_height counts one row for an empty chart.
    return max(1, math.floor(room / ROW_HEIGHT) + 1)


def gantt_pdf(
    rows: Sequence[GanttRow],
    links: Iterable[GanttLink] = (),
    *,
    title: str,
    organisation: str = "",
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    calendar_days_off: Iterable[date] = (),
    scale: Scale = "auto",
    labels: ChartLabels | None = None,
    paper: PaperName = "A3",
) -> bytes:
    """Print a Gantt chart on as many landscape pages as its rows need.

    Every page is a chart of the same window (``start``–``end``, or the span of all rows)
    and scale, so bars line up from page to page; the title runs at the top of each page,
    ``organisation`` and "Page N of M" at the bottom.
    """
    labels = labels or ChartLabels()
    sheet = PAPERS[paper]
    all_links = list(links)
    days_off = list(calendar_days_off)
    # One window for the whole plan, so that every page has the same timeline.
    start, end = gantt_window(rows, today, start, end)
    per_page = rows_per_page(paper)
    chunks = [rows[n : n + per_page] for n in range(0, len(rows), per_page)] or [rows[:0]]
    svgs = [
        gantt_svg(
            chunk,
            all_links,
            start=start,
            end=end,
            today=today,
            calendar_days_off=days_off,
            scale=scale,
            labels=labels,
            width=sheet.chart_width,
            svg_id=f"gantt-page-{number}",
        )
        for number, chunk in enumerate(chunks, start=1)
    ]
    return charts_pdf(svgs, title=title, organisation=organisation, labels=labels, paper=paper)


def charts_pdf(
    svgs: Sequence[str],
    *,
    title: str,
    organisation: str = "",
    labels: ChartLabels | None = None,
    paper: PaperName = "A3",
) -> bytes:
    """Print one chart per landscape page, each as wide as the page (or as high, if taller).

    ``svgs`` are this package's chart strings (a roadmap, a trend chart, Gantt pages); they
    are inlined as they are, so they must come from the chart functions, never from users.
    """
    labels = labels or ChartLabels()
    sheet = PAPERS[paper]
    style = _STYLE % {
        "size": paper,
        "margin": f"{sheet.margin_mm:g}",
        "title": css_string(single_line(title)),
        "organisation": css_string(single_line(organisation)),
        "page": page_content(split_page_label(labels.page_of, labels.page)),
        "font": _FONT_STACK,
    }
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(labels.language or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(single_line(title))}</title>",
        '<meta name="generator" content="Schakel">',
        f'<meta name="author" content="{escape(single_line(organisation))}">',
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    for svg in svgs:
        parts.append(f'<div class="chart" style="width: {_fit_width(svg, sheet):.1f}mm">')
        parts.append(svg)
        parts.append("</div>")
    parts.append("</body></html>")
    return render_html("\n".join(parts))


def _size(svg: str) -> tuple[float, float]:
    """The chart's own size in pixels, from its viewBox."""
    match = _VIEW_BOX.search(svg)
    if match is None:
        raise ValueError("the SVG has no viewBox of the form '0 0 width height'")
    return float(match.group(1)), float(match.group(2))


def _fit_width(svg: str, sheet: Paper) -> float:
    """How wide to print a chart so that it fits the page both ways, in millimetres."""
    width, height = _size(svg)
    by_height = sheet.content_height_mm * width / height if height else sheet.content_width_mm
    return min(sheet.content_width_mm, by_height)


def gantt_png(svg: str, width: int = 1600) -> bytes:
    """Turn a chart's SVG into a PNG ``width`` pixels wide (the height keeps the ratio).

    WeasyPrint prints the SVG on a page of exactly its size, PDFium renders that page.
    Needs the ``pypdfium2`` package.
    """
    if not 16 <= width <= 10_000:
        raise ValueError(f"width must be 16 to 10000 pixels, got {width}")
    import pypdfium2

    svg_width, svg_height = _size(svg)
    document = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        f"@page {{ size: {svg_width:g}px {svg_height:g}px; margin: 0; }}"
        "html, body { margin: 0; }"
        f"svg {{ display: block; width: {svg_width:g}px; height: {svg_height:g}px; }}"
        f"</style></head><body>{svg}</body></html>"
    )
    pdf = pypdfium2.PdfDocument(render_html(document))
    try:
        page = pdf[0]
        bitmap = page.render(scale=width / page.get_width())
        image = bitmap.to_pil()
        if image.width != width:  # the scale's rounding may be a pixel off
            image = image.resize((width, round(image.height * width / image.width)))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        pdf.close()
