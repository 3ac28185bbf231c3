"""Write the consolidated progress report as a printable A4 landscape PDF (WeasyPrint).

The PDF is the complete record: where a slide cuts a text to fit, the PDF prints all of
it, with every register table of every project. Its outline follows the deck: overview
table, key messages, escalations, the distribution chart, then one page (or more) per
project. The HTML is built here by hand like the minutes PDF: every user string goes
through `escape`, notes are rendered from `markup` blocks, the running header and footer
are CSS escapes, and the charts are the same SVG strings the web page shows. WeasyPrint
gets the refusing URL fetcher of `pdf.render_html`; the only resource it is handed is the
organisation's logo, from memory.
"""

from __future__ import annotations

from collections.abc import Sequence

from schakel.core.charts.rag import rag_distribution_svg, rag_strip_svg
from schakel.core.exports import _report as outline
from schakel.core.exports import markup
from schakel.core.exports._html import blocks_html, css_string, escape, page_content
from schakel.core.exports._rag import RAG_ORDER, arrow, rag_label, rag_style, trend_label
from schakel.core.exports._text import format_long_date, format_short_date
from schakel.core.exports.pdf import Resource, render_html
from schakel.core.exports.report_data import ConsolidatedReport, ProjectReport, Rating

__all__ = ["report_html", "report_pdf"]

# The URL the logo is printed from; the fetcher serves it from memory and nothing else.
LOGO_URL = "schakel:logo.png"

_FONT_STACK = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'

_STYLE = """
@page {
  size: A4 landscape;
  margin: 18mm 14mm 16mm 14mm;
  @top-left { content: %(header)s; font-size: 8pt; color: #6b7280; }
  @bottom-left { content: %(organisation)s; font-size: 8pt; color: #6b7280; }
  @bottom-right { content: %(page)s; font-size: 8pt; color: #6b7280; }
}
html { font-family: %(font)s; font-size: 9pt; line-height: 1.35; color: #1f2937; }
body { margin: 0; }
h1 { font-size: 20pt; margin: 0 0 2pt 0; }
h2 { font-size: 13pt; margin: 12pt 0 4pt 0; border-bottom: 0.5pt solid #d1d5db;
     padding-bottom: 2pt; break-after: avoid; color: #1f3a5f; }
h3 { font-size: 10pt; margin: 5pt 0 2pt 0; break-after: avoid; color: #1f3a5f; }
h4 { font-size: 9.5pt; margin: 6pt 0 2pt 0; break-after: avoid; }
p { margin: 0 0 4pt 0; }
ul, ol { margin: 0 0 4pt 0; padding-left: 14pt; }
li { margin: 0 0 1pt 0; }
a { color: #1d4ed8; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; background: #f3f4f6; }
.subtitle { color: #4b5563; font-size: 12pt; margin: 0 0 2pt 0; }
.muted { color: #6b7280; }
.logo { float: right; max-width: 60mm; max-height: 22mm; }
table { table-layout: fixed; border-collapse: collapse; width: 100%%; margin: 1pt 0 4pt 0; }
th, td { text-align: left; vertical-align: top; padding: 1.5pt 4pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
table.grid th, table.grid td { border: 0.5pt solid #d1d5db; }
table.grid th { background: #374151; color: #ffffff; font-weight: bold; }
tr.even td.plain { background: #f3f4f6; }
table.overview td, table.overview th { vertical-align: middle; }
table.overview td.rag { text-align: center; font-weight: bold; width: 15mm; }
td.rag { font-weight: bold; }
td.reason { white-space: pre-line; }
%(rag_classes)s
td.missing-row { background: #e0e0e0; text-align: center; color: #1f2937; }
.legend { font-size: 8pt; color: #4b5563; margin: 2pt 0 8pt 0; }
.swatch { display: inline-block; width: 8pt; height: 8pt; margin: 0 3pt 0 8pt;
          vertical-align: -1pt; }
.swatch.first { margin-left: 0; }
.chart { margin: 6pt 0; }
.chart svg { width: 170mm; height: auto; }
section.project { break-before: page; }
.project-head { display: flex; justify-content: space-between; align-items: flex-start; }
.project-head h2 { border: none; margin: 0; font-size: 16pt; }
.chip { padding: 4pt 10pt; font-weight: bold; font-size: 11pt; border-radius: 3pt;
        white-space: nowrap; }
.panel { background: #e0e0e0; padding: 10pt 12pt; font-size: 13pt; font-weight: bold;
         margin: 6pt 0; }
.texts, .registers { display: flex; flex-wrap: wrap; column-gap: 6mm; }
.texts > div { width: 84mm; }
.registers > div { width: 131mm; }
td.strip svg { vertical-align: middle; }
col.key { width: 72mm; } col.manager { width: 40mm; }
col.dimension { width: 32mm; } col.colour { width: 30mm; } col.previous { width: 22mm; }
col.strip { width: 30mm; }
col.ref { width: 24mm; } col.owner { width: 34mm; } col.due { width: 24mm; }
col.score { width: 14mm; } col.status { width: 26mm; } col.date { width: 26mm; }
col.done { width: 17mm; }
"""


def report_pdf(report: ConsolidatedReport) -> bytes:
    """Render ``report`` as A4 landscape PDF bytes, fetching nothing from anywhere."""
    resources: dict[str, Resource] = {}
    if outline.png_size(report.logo_png) is not None and report.logo_png:
        resources[LOGO_URL] = (report.logo_png, "image/png")
    return render_html(report_html(report), resources)


def report_html(report: ConsolidatedReport) -> str:
    """Build the HTML document the PDF is printed from (useful for a preview, too)."""
    labels = report.labels
    style = _STYLE % {
        "header": css_string(outline.header_text(report)),
        "organisation": css_string(outline.line(report.organisation)),
        "page": page_content(outline.page_parts(labels)),
        "font": _FONT_STACK,
        "rag_classes": _rag_classes(),
    }
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(outline.line(report.language) or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(outline.line(report.title))}</title>",
        '<meta name="generator" content="Schakel">',
        f'<meta name="author" content="{escape(outline.line(report.organisation))}">',
        f'<meta name="description" content="{escape(outline.line(report.scope))}">',
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    parts.extend(_title_block(report))
    parts.extend(_overview(report))
    parts.append(f"<h2>{_e(labels.key_messages)}</h2>")
    parts.extend(_markup(report.key_messages, labels.none))
    parts.extend(_escalations(report))
    if outline.shows_distribution(report):
        parts.append('<div class="chart">')
        parts.append(rag_distribution_svg(report.distribution, labels=labels))
        parts.append("</div>")
    for project in report.projects:
        parts.extend(_project(report, project))
    parts.append("</body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- the front


def _title_block(report: ConsolidatedReport) -> list[str]:
    parts = []
    if outline.png_size(report.logo_png) is not None:
        parts.append(f'<img class="logo" src="{LOGO_URL}" alt="">')
    parts.append(f"<h1>{_e(report.title)}</h1>")
    subtitle = " · ".join(
        part for part in (outline.line(report.scope), outline.line(report.period_label)) if part
    )
    parts.append(f'<p class="subtitle">{escape(subtitle)}</p>')
    dates = outline.period_dates(report)
    if report.generated_at is not None:
        generated = format_long_date(report.generated_at.date(), report.language)
        dates += f" · {outline.line(report.labels.generated)}: {generated}"
    parts.append(f'<p class="muted">{escape(dates)}</p>')
    return parts


def _overview(report: ConsolidatedReport) -> list[str]:
    labels = report.labels
    dimensions = report.dimensions
    parts = [
        f"<h2>{_e(labels.overview)}</h2>",
        '<table class="grid overview">',
        '<colgroup><col class="key"><col class="manager"><col>'
        + "<col>" * len(dimensions)
        + "</colgroup>",
        "<thead><tr>",
        f"<th>{_e(labels.project)}</th><th>{_e(labels.manager)}</th>",
        f"<th>{_e(labels.overall)}</th>",
        *(f"<th>{_e(dimension.label)}</th>" for dimension in dimensions),
        "</tr></thead><tbody>",
    ]
    for index, project in enumerate(report.projects):
        key = outline.line(project.key)
        name = f"<strong>{escape(key)}</strong> " if key else ""
        parts.append(
            f'<tr{_zebra(index)}><td class="plain">{name}{_e(project.name)}</td>'
            f'<td class="plain">{_e(project.manager)}</td>'
        )
        if not outline.is_reported(project):
            parts.append(
                f'<td class="missing-row" colspan="{len(dimensions) + 1}">'
                f"{_e(labels.not_reported)}</td></tr>"
            )
            continue
        ratings = [project.overall] + [
            rating for _, _, rating in outline.dimension_ratings(report, project)
        ]
        parts.extend(_overview_cell(rating, report) for rating in ratings)
        parts.append("</tr>")
    parts.append("</tbody></table>")
    parts.append(_legend(report))
    return parts


def _overview_cell(rating: Rating, report: ConsolidatedReport) -> str:
    """A coloured cell with the arrow; its title spells colour and trend out."""
    style = rag_style(rating.rag)
    words = outline.rating_cell(rating, report.labels)
    mark = arrow(rating.trend) or style.mark
    return f'<td class="rag rag-{style.key or "none"}" title="{escape(words)}">{mark}</td>'


def _legend(report: ConsolidatedReport) -> str:
    labels = report.labels
    pieces = []
    for index, style in enumerate(RAG_ORDER):
        first = " first" if index == 0 else ""
        pieces.append(
            f'<span class="swatch{first} rag-{style.key or "none"}"></span>'
            f"{_e(rag_label(style.key, labels))}"
        )
    for trend in ("better", "worse", "same"):
        pieces.append(f" &#160; {arrow(trend)} {_e(trend_label(trend, labels))}")
    return f'<p class="legend">{"".join(pieces)}</p>'


def _escalations(report: ConsolidatedReport) -> list[str]:
    labels = report.labels
    parts = [f"<h2>{_e(labels.escalations)}</h2>"]
    escalating = outline.escalating_projects(report)
    if not escalating:
        parts.append(f"<p>{_e(labels.none)}</p>")
    for project, escalation in escalating:
        parts.append(f"<h3>{escape(outline.project_heading(project))}</h3>")
        parts.extend(blocks_html(markup.parse(escalation), ("h4", "h4")))
    return parts


# --------------------------------------------------------------------------- projects


def _project(report: ConsolidatedReport, project: ProjectReport) -> list[str]:
    labels = report.labels
    overall = rag_style(project.overall.rag)
    parts = [
        '<section class="project">',
        '<div class="project-head">',
        f"<h2>{escape(outline.project_heading(project))}</h2>",
        f'<div class="chip rag-{overall.key or "none"}">{_e(labels.overall)}: '
        f"{escape(outline.rating_cell(project.overall, labels))}</div>",
        "</div>",
    ]
    details = []
    if manager := outline.line(project.manager):
        details.append(f"{outline.line(labels.manager)}: {manager}")
    if state := outline.line(project.state):
        details.append(f"{outline.line(labels.state)}: {state}")
    if project.submitted_at is not None:
        details.append(format_short_date(project.submitted_at.date(), report.language))
    if approved := outline.line(project.approved_by):
        details.append(approved)
    if details:
        parts.append(f'<p class="muted">{escape(" · ".join(details))}</p>')

    if outline.is_reported(project):
        parts.extend(_ratings(report, project))
        # The texts side by side, three to a row: a project fits one landscape page.
        parts.append('<div class="texts">')
        for heading, body in (
            (labels.summary, project.summary),
            (labels.achievements, project.achievements),
            (labels.next_period, project.next_period),
            (labels.escalations, project.escalations),
            (labels.tolerances, project.tolerances),
            (labels.change_requests, project.change_requests),
        ):
            parts.append(f"<div><h3>{_e(heading)}</h3>")
            parts.extend(_markup(body, labels.none))
            parts.append("</div>")
        parts.append("</div>")
    else:
        parts.append(f'<div class="panel">{_e(labels.missing_reports)}</div>')
        if history := project.trend.get("overall", []):
            strip = _strip(report, labels.overall, history)
            parts.append(f"<p>{_e(labels.overall)} · {_e(labels.trend)}: {strip}</p>")

    parts.append('<div class="registers">')
    milestones = outline.milestone_table(project.milestones, labels, report.language)
    parts.append(f"<div><h3>{_e(labels.milestones)}</h3>")
    parts.extend(_table(milestones, labels.none, {"baseline": "date", "forecast": "date"}))
    parts.append("</div>")
    for heading, lines in (
        (labels.risks, project.risks),
        (labels.issues, project.issues),
        (labels.overdue_actions, project.overdue_actions),
        (labels.decisions, project.decisions),
    ):
        parts.append(f"<div><h3>{_e(heading)}</h3>")
        parts.extend(_table(outline.register_table(lines, labels, report.language), labels.none))
        parts.append("</div>")
    parts.append("</div>")
    parts.append("</section>")
    return parts


def _ratings(report: ConsolidatedReport, project: ProjectReport) -> list[str]:
    labels = report.labels
    rows = [("overall", outline.line(labels.overall), project.overall)]
    rows += outline.dimension_ratings(report, project)
    parts = [
        '<table class="grid ratings">',
        '<colgroup><col class="dimension"><col class="colour"><col class="previous">'
        '<col class="strip"><col></colgroup>',
        "<thead><tr>",
        f"<th>{_e(labels.dimension)}</th><th>{_e(labels.colour)}</th>",
        f"<th>{_e(labels.previous)}</th><th>{_e(labels.trend)}</th>",
        f"<th>{_e(labels.reason)}</th>",
        "</tr></thead><tbody>",
    ]
    for index, (key, label, rating) in enumerate(rows):
        style = rag_style(rating.rag)
        previous = rag_style(rating.previous)
        history = project.trend.get(key, [])
        label_html = f"<strong>{escape(label)}</strong>" if key == "overall" else escape(label)
        previous_text = _e(rag_label(previous.key, labels)) if rating.previous else ""
        parts.append(
            f'<tr{_zebra(index)}><td class="plain">{label_html}</td>'
            f'<td class="rag rag-{style.key or "none"}">'
            f"{escape(outline.rating_cell(rating, labels))}</td>"
            f'<td class="plain">{previous_text}</td>'
            f'<td class="plain strip">{_strip(report, label, history) if history else ""}</td>'
            f'<td class="plain reason">{escape(outline.text(rating.reason))}</td></tr>'
        )
    parts.append("</tbody></table>")
    return parts


def _strip(report: ConsolidatedReport, label: str, history: Sequence[str]) -> str:
    """The trend strip with a spoken label: "Schedule: Green, Amber, Red"."""
    words = ", ".join(outline.line(rag_label(rag_style(c).key, report.labels)) for c in history)
    return rag_strip_svg(history, label=f"{outline.line(label)}: {words}")


def _table(
    data: outline.RegisterTable, none: str, classes: dict[str, str] | None = None
) -> list[str]:
    if not data.rows:
        return [f'<p class="muted">{_e(none)}</p>']
    classes = classes or {}
    columns = "".join(
        "<col>" if name == "title" else f'<col class="{classes.get(name, name)}">'
        for name in data.fields
    )
    parts = [
        '<table class="grid">',
        f"<colgroup>{columns}</colgroup>",
        "<thead><tr>",
        *(f"<th>{escape(header)}</th>" for header in data.headers),
        "</tr></thead><tbody>",
    ]
    for index, row in enumerate(data.rows):
        parts.append(
            f"<tr{_zebra(index)}>"
            + "".join(f'<td class="plain">{escape(cell)}</td>' for cell in row)
            + "</tr>"
        )
    parts.append("</tbody></table>")
    return parts


# --------------------------------------------------------------------------- helpers


def _markup(text: str, none: str) -> list[str]:
    """User markup as HTML below an h2/h3, or the word "None" when there is nothing."""
    blocks = markup.parse(text)
    if not blocks:
        return [f'<p class="muted">{_e(none)}</p>']
    return blocks_html(blocks, ("h4", "h4"))


def _zebra(index: int) -> str:
    """Every second row shaded, marked in the HTML: cheaper to lay out than :nth-child."""
    return ' class="even"' if index % 2 else ""


def _rag_classes() -> str:
    """One CSS class per colour, from the shared palette: ``.rag-green`` and so on."""
    return "\n".join(
        f".rag-{style.key or 'none'} {{ background: {style.fill}; color: {style.ink}; }}"
        for style in RAG_ORDER
    )


def _e(value: str) -> str:
    """A single-line label or user string, cleaned and escaped for HTML."""
    return escape(outline.line(value))
