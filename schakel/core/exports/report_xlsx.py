"""Write the consolidated progress report as an Excel workbook (openpyxl).

Where the deck and the PDF are read, the workbook is analysed: filtered by colour, pivoted
by dimension, pasted into a PMO's own tracking sheet. So the first sheet is long and flat,
one row per project per dimension (the overall colour counting as a dimension), and the
second is the overview as the board sees it, one row per project. Colour cells are filled
with the shared RAG colours and also say the colour in words, so a filter or a
colour-blind reader loses nothing.

Safety as in `tabular`: every text cell is written as an explicit string cell, so a value
starting with ``=``, ``+``, ``-`` or ``@`` is never evaluated as a formula, and characters
XML cannot hold are stripped. The workbook is written in openpyxl's write-only mode, which
streams rows instead of keeping a cell object for each.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from schakel.core.exports import _report as outline
from schakel.core.exports._rag import RAG_ORDER, RagStyle, arrow, rag_label, rag_style, trend_label
from schakel.core.exports.report_data import ConsolidatedReport, Rating
from schakel.core.exports.tabular import _unique_sheet_title, _xlsx_text

__all__ = ["report_xlsx"]

# Named fonts: a Font without a name shows as the spreadsheet's fallback (a serif in some).
_FONT = "Calibri"
_HEADER_FONT = Font(name=_FONT, size=11, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="374151")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="top")
_MAX_WIDTH = 60


@dataclass(frozen=True, slots=True)
class _Look:
    """The fill and font of one colour's cells, built once per workbook."""

    fill: PatternFill
    font: Font


_LOOKS: dict[str, _Look] = {
    style.key: _Look(
        PatternFill("solid", fgColor=style.fill.lstrip("#")),
        Font(name=_FONT, size=11, bold=True, color=style.ink.lstrip("#")),
    )
    for style in RAG_ORDER
}


def report_xlsx(report: ConsolidatedReport) -> bytes:
    """Render ``report`` as XLSX bytes: a ratings sheet and an overview sheet."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = outline.line(report.title)
    workbook.properties.subject = outline.line(report.scope)
    workbook.properties.creator = "Schakel"
    taken: set[str] = set()
    for name, writer in (
        (report.labels.ratings, _ratings_sheet),
        (report.labels.overview, _overview_sheet),
    ):
        title = _unique_sheet_title(outline.line(name), taken)
        taken.add(title.casefold())
        writer(workbook.create_sheet(title=title), report)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --------------------------------------------------------------------------- sheets


def _ratings_sheet(sheet: WriteOnlyWorksheet, report: ConsolidatedReport) -> None:
    """One row per project per dimension: the flat table people filter and pivot."""
    labels = report.labels
    headers = [
        labels.period,
        labels.key,
        labels.project,
        labels.manager,
        labels.state,
        labels.dimension,
        labels.colour,
        labels.previous,
        labels.trend,
        labels.reason,
    ]
    rows: list[list[WriteOnlyCell]] = []
    period = outline.line(report.period_label)
    for project in report.projects:
        ratings = [(outline.line(labels.overall), project.overall)] + [
            (label, rating) for _, label, rating in outline.dimension_ratings(report, project)
        ]
        for dimension, rating in ratings:
            style, previous = rag_style(rating.rag), rag_style(rating.previous)
            has_previous = bool(rating.previous)
            rows.append(
                [
                    _text(sheet, period),
                    _text(sheet, outline.line(project.key)),
                    _text(sheet, outline.line(project.name)),
                    _text(sheet, outline.line(project.manager)),
                    _text(sheet, outline.line(project.state)),
                    _text(sheet, dimension),
                    _colour(sheet, style, outline.line(rag_label(style.key, labels))),
                    _colour(sheet, previous, outline.line(rag_label(previous.key, labels)))
                    if has_previous
                    else _text(sheet, ""),
                    _text(sheet, _trend_text(rating, report)),
                    _text(sheet, outline.text(rating.reason), wrap=True),
                ]
            )
    widths = [14, 12, 32, 22, 14, 16, 14, 14, 14, 60]
    _write(sheet, headers, rows, widths, report)


def _overview_sheet(sheet: WriteOnlyWorksheet, report: ConsolidatedReport) -> None:
    """One row per project, a column per dimension: the board's overview table."""
    labels = report.labels
    headers = [
        labels.key,
        labels.project,
        labels.manager,
        labels.state,
        labels.overall,
        *(dimension.label for dimension in report.dimensions),
    ]
    rows = []
    for project in report.projects:
        row = [
            _text(sheet, outline.line(project.key)),
            _text(sheet, outline.line(project.name)),
            _text(sheet, outline.line(project.manager)),
            _text(sheet, outline.line(project.state)),
        ]
        ratings = [project.overall] + [
            rating for _, _, rating in outline.dimension_ratings(report, project)
        ]
        row.extend(_rating_cell(sheet, rating, report) for rating in ratings)
        rows.append(row)
    widths = [12, 32, 22, 14] + [16] * (len(report.dimensions) + 1)
    _write(sheet, headers, rows, widths, report)


def _write(
    sheet: WriteOnlyWorksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[WriteOnlyCell]],
    widths: Sequence[int],
    report: ConsolidatedReport,
) -> None:
    """Widths, a frozen and filtered header row, then the rows."""
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        # Wide enough for the header and its filter button, never absurdly wide.
        fitted = min(max(width, len(outline.line(header)) + 4), _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = fitted
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = _text(sheet, outline.line(header))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(list(row))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


# --------------------------------------------------------------------------- cells


def _text(sheet: WriteOnlyWorksheet, value: str, *, wrap: bool = False) -> WriteOnlyCell:
    """A string cell, whatever the text starts with: never a formula."""
    cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
    # openpyxl reads a str starting with "=" as a formula; the explicit type keeps it text.
    cell.data_type = "s"
    if wrap:
        cell.alignment = _WRAP
    return cell


def _colour(sheet: WriteOnlyWorksheet, style: RagStyle, words: str) -> WriteOnlyCell:
    """A cell filled with a RAG colour that also names it."""
    cell = _text(sheet, words)
    look = _LOOKS[style.key]
    cell.fill = look.fill
    cell.font = look.font
    cell.alignment = _CENTRE
    return cell


def _rating_cell(
    sheet: WriteOnlyWorksheet, rating: Rating, report: ConsolidatedReport
) -> WriteOnlyCell:
    """The overview's cell: the colour in words and fill, with the arrow."""
    style = rag_style(rating.rag)
    return _colour(sheet, style, outline.rating_cell(rating, report.labels))


def _trend_text(rating: Rating, report: ConsolidatedReport) -> str:
    """ "↑ Better", "↓ Worse", "→ Unchanged", or "" without a previous colour."""
    mark = arrow(rating.trend)
    return f"{mark} {outline.line(trend_label(rating.trend, report.labels))}" if mark else ""
