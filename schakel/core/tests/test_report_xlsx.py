"""The consolidated progress report as an Excel workbook, opened again with openpyxl."""

from __future__ import annotations

import io
import time
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from schakel.core.exports._rag import AMBER, GREEN, MISSING, RED
from schakel.core.exports.report_xlsx import report_xlsx
from schakel.core.tests.report_samples import (
    dutch_report,
    hostile_report,
    large_report,
    sample_report,
)

FILLS = {
    "green": GREEN.fill.lstrip("#"),
    "amber": AMBER.fill.lstrip("#"),
    "red": RED.fill.lstrip("#"),
    "": MISSING.fill.lstrip("#"),
}

RATING_HEADERS = [
    "Period",
    "Key",
    "Project",
    "Project manager",
    "Report",
    "Dimension",
    "RAG",
    "Previous",
    "Trend",
    "Reason",
]


def workbook(report=None) -> Workbook:
    return load_workbook(io.BytesIO(report_xlsx(report or sample_report())))


def rows(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def fill(cell) -> str:
    return str(cell.fill.fgColor.rgb)[-6:]


@pytest.fixture(scope="module")
def book() -> Workbook:
    return workbook()


def test_it_has_a_ratings_sheet_and_an_overview_sheet(book: Workbook) -> None:
    assert book.sheetnames == ["Ratings", "Overview"]


def test_the_ratings_sheet_has_one_row_per_project_per_dimension(book: Workbook) -> None:
    table = rows(book["Ratings"])

    assert table[0] == RATING_HEADERS
    # Three projects, each with the overall colour and seven dimensions.
    assert len(table) == 1 + 3 * 8
    assert [row[5] for row in table[1:9]] == [
        "Overall",
        "Schedule",
        "Budget",
        "Scope",
        "Resources",
        "Risks",
        "Quality",
        "Benefits",
    ]
    budget = next(row for row in table if row[1] == "P001" and row[5] == "Budget")
    assert budget == [
        "November 2026",
        "P001",
        "Project 1 digital workplace",
        "Manager 1",
        "Approved",
        "Budget",
        "Red",
        "Amber",
        "↓ Worse",
        "Budget under pressure: supplier late.",
    ]


def test_colour_cells_are_filled_with_their_rag_colour(book: Workbook) -> None:
    sheet = book["Ratings"]
    colours = {}
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "P001":
            colours[row[5].value] = (fill(row[6]), fill(row[7]))

    assert colours["Overall"] == (FILLS["amber"], FILLS["red"])
    assert colours["Budget"] == (FILLS["red"], FILLS["amber"])
    assert colours["Schedule"] == (FILLS["green"], FILLS["green"])


def test_a_project_without_a_report_is_listed_as_not_reported(book: Workbook) -> None:
    sheet = book["Ratings"]
    silent = [row for row in sheet.iter_rows(min_row=2) if row[1].value == "P003"]

    assert len(silent) == 8
    assert {row[6].value for row in silent} == {"Not reported"}
    assert {fill(row[6]) for row in silent} == {FILLS[""]}
    assert {row[4].value for row in silent} == {"Not submitted"}


def test_the_overview_has_one_row_per_project_and_a_column_per_dimension(book: Workbook) -> None:
    table = rows(book["Overview"])

    assert table[0] == [
        "Key",
        "Project",
        "Project manager",
        "Report",
        "Overall",
        "Schedule",
        "Budget",
        "Scope",
        "Resources",
        "Risks",
        "Quality",
        "Benefits",
    ]
    assert table[1][:6] == [
        "P001",
        "Project 1 digital workplace",
        "Manager 1",
        "Approved",
        "Amber ↑",
        "Green →",
    ]
    assert len(table) == 4
    cells = next(book["Overview"].iter_rows(min_row=2, max_row=2))
    assert [fill(cell) for cell in cells[4:7]] == [FILLS["amber"], FILLS["green"], FILLS["red"]]


def test_both_sheets_freeze_and_filter_their_header(book: Workbook) -> None:
    for name, width in (("Ratings", "J"), ("Overview", "L")):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{width}{sheet.max_row}"
        assert sheet["A1"].font.bold


def test_columns_have_sensible_widths(book: Workbook) -> None:
    sheet = book["Ratings"]
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ACJ"}

    assert 10 <= widths["A"] <= 20
    assert widths["C"] >= 30
    assert widths["J"] == 60


def test_cells_that_look_like_formulas_stay_text() -> None:
    sheet = workbook(hostile_report())["Ratings"]
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    formula_like = [
        cell for cell in values if str(cell.value or "").startswith(("=", "+", "-", "@"))
    ]

    assert {cell.value for cell in formula_like} >= {
        '=HYPERLINK("http://evil")',
        "=cmd|' /C calc'!A0",
        "@SUM(A1)",
    }
    assert all(cell.data_type == "s" for cell in formula_like)


def test_characters_xml_cannot_hold_are_dropped() -> None:
    table = rows(workbook(hostile_report())["Ratings"])
    names = {row[2] for row in table[1:]}

    assert names == {"<script>alert(1)</script> =cmd|' /C calc'!A0 nulbyte lonesurrogate"}


def test_an_unknown_colour_is_written_as_not_reported() -> None:
    sheet = workbook(hostile_report())["Ratings"]
    budget = next(row for row in sheet.iter_rows(min_row=2) if row[5].value == "Budget")

    assert (budget[6].value, fill(budget[6])) == ("Not reported", FILLS[""])


def test_dutch_labels_are_used_for_headers_sheets_and_colours() -> None:
    book = workbook(dutch_report())

    assert book.sheetnames == ["Beoordelingen", "Overzicht"]
    assert rows(book["Overzicht"])[1][4] == "Oranje ↑"
    assert rows(book["Beoordelingen"])[0][:3] == ["Periode", "Code", "Project"]


def test_sheet_names_stay_valid_and_distinct() -> None:
    report = sample_report()
    labels = replace(report.labels, ratings="Over: view?", overview="Over  view")
    book = workbook(replace(report, labels=labels))

    assert len(set(book.sheetnames)) == 2
    assert all(":" not in name and "?" not in name for name in book.sheetnames)


def test_a_portfolio_of_200_projects_is_written() -> None:
    started = time.perf_counter()
    data = report_xlsx(large_report(200))
    print(f"\nXLSX for 200 projects: {time.perf_counter() - started:.2f}s")  # never asserted

    book = load_workbook(io.BytesIO(data), read_only=True)
    assert sum(1 for _ in book["Ratings"].iter_rows()) == 1 + 200 * 8
    assert sum(1 for _ in book["Overview"].iter_rows()) == 1 + 200
