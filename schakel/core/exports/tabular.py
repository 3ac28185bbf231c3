"""Write register lists as CSV or XLSX, exactly as the list shows them, safe to open.

The Django side turns the rows a list page shows into plain mappings and describes the
columns (key, translated label, kind); this module only turns them into bytes. Two dangers
are handled here so that no caller can forget them:

* Formula injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return would be evaluated by a spreadsheet (``=HYPERLINK(...)`` exfiltrating data,
  ``=cmd|...`` running programs). CSV cells get a leading ``'``; XLSX cells are written as
  explicit string cells, which a spreadsheet never evaluates. Real numbers are not text and
  are left alone, so ``-2`` in an int column stays a number.
* Characters XML cannot hold (``\\x00``-``\\x08`` and friends, lone surrogates) are stripped
  instead of producing a file Excel calls corrupt; CSV gets the same treatment so both
  formats carry the same text.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Stripping XML-illegal characters is shared with the Word and PDF writers.
from schakel.core.exports._text import clean_text as _clean_text

__all__ = [
    "FORMULA_TRIGGERS",
    "Column",
    "ColumnKind",
    "Sheet",
    "to_csv",
    "to_xlsx",
]

ColumnKind = Literal["text", "int", "decimal", "date", "datetime", "bool", "list"]

# A text cell starting with one of these is evaluated (or re-evaluated on edit) by Excel,
# LibreOffice or Google Sheets; OWASP's CSV injection list.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_EXCEL_MAX_CELL_CHARS = 32_767
_EXCEL_MAX_SHEET_TITLE = 31
_EXCEL_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Excel reserves "History" for its change-tracking sheet and refuses a workbook using it.
_EXCEL_RESERVED_SHEET_TITLES = frozenset({"history"})

# Column widths are measured on the header and the first rows only: the rest streams.
_WIDTH_SAMPLE_ROWS = 100
_MIN_WIDTH = 6
_MAX_WIDTH = 60
_WIDTH_PADDING = 2
# Room for the autofilter drop-down arrow next to a header label.
_HEADER_FILTER_PADDING = 3


@dataclass(frozen=True, slots=True)
class Column:
    """Describe one exported column: the row key, its header label and how to write it."""

    key: str
    label: str
    kind: ColumnKind = "text"
    width: int | None = None


@dataclass(slots=True)
class Sheet:
    """Describe one table to export; ``rows`` may be a lazy iterable and is read once."""

    name: str
    columns: list[Column]
    rows: Iterable[Mapping[str, Any]]


# A value after normalisation: what a cell holds, whatever the format.
_Plain = str | bool | int | float | Decimal | date | datetime | None


def to_csv(sheet: Sheet, *, delimiter: str = ",", decimal_separator: str = ".") -> bytes:
    """Render one sheet as CSV bytes that Excel opens correctly.

    UTF-8 with a byte order mark (without it Excel assumes the ANSI code page), CRLF line
    ends, a header row of labels, ISO dates (``YYYY-MM-DD``), lists joined with ", ",
    booleans as ``TRUE``/``FALSE`` and ``None`` as an empty cell. Pass ``delimiter=";"``
    and ``decimal_separator=","`` for the Dutch Excel convention.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_text(_clean_text(column.label)) for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow(
            [
                _csv_cell(_normalise(row.get(column.key), column.kind), decimal_separator)
                for column in sheet.columns
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(
    sheets: Sequence[Sheet],
    *,
    title: str | None = None,
    date_format: str = "yyyy-mm-dd",
    datetime_format: str = "yyyy-mm-dd hh:mm",
) -> bytes:
    """Render sheets as an XLSX workbook, one worksheet per sheet, streamed row by row.

    Sheet names are made valid and unique for Excel; each worksheet gets a bold, frozen
    header row, an autofilter over the data and column widths from the given width or the
    first rows' content. Dates are real date cells, numbers are numbers, booleans are
    TRUE/FALSE and text is always a string cell (never a formula). ``title`` becomes the
    document title in the file's properties.
    """
    workbook = Workbook(write_only=True)
    if title:
        workbook.properties.title = _clean_text(title)
    workbook.properties.creator = "Schakel"
    taken: set[str] = set()
    for sheet in sheets:
        sheet_title = _unique_sheet_title(sheet.name, taken)
        taken.add(sheet_title.casefold())
        worksheet = workbook.create_sheet(title=sheet_title)
        _write_worksheet(worksheet, sheet, date_format, datetime_format)
    if not sheets:
        # A workbook needs at least one worksheet to open in Excel.
        workbook.create_sheet(title="Sheet1")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_worksheet(
    worksheet: WriteOnlyWorksheet, sheet: Sheet, date_format: str, datetime_format: str
) -> None:
    columns = sheet.columns
    rows = iter(sheet.rows)
    # Write-only worksheets need column widths before the first row, so measure a sample
    # and stream the rest.
    sample = [
        [_normalise(row.get(column.key), column.kind) for column in columns]
        for row in itertools.islice(rows, _WIDTH_SAMPLE_ROWS)
    ]
    for index, column in enumerate(columns):
        letter = get_column_letter(index + 1)
        worksheet.column_dimensions[letter].width = (
            column.width
            if column.width is not None
            else _measured_width(column.label, (values[index] for values in sample))
        )
    worksheet.freeze_panes = "A2"

    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=_xlsx_text(_clean_text(column.label)))
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    worksheet.append(header)

    written = 0
    remaining = (
        [_normalise(row.get(column.key), column.kind) for column in columns] for row in rows
    )
    for values in itertools.chain(sample, remaining):
        worksheet.append(
            [_xlsx_cell(worksheet, value, date_format, datetime_format) for value in values]
        )
        written += 1
    if columns:
        last = get_column_letter(len(columns))
        worksheet.auto_filter.ref = f"A1:{last}{written + 1}"


def _normalise(value: Any, kind: ColumnKind) -> _Plain:
    """Turn a caller's value into the plain value a cell holds, by its Python type."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        # Excel has no NaN or infinity; writing them corrupts the file.
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if isinstance(value, Decimal) and not value.is_finite():
            return str(value)
        return value
    if isinstance(value, datetime):
        # Spreadsheets have no time zones: callers pass datetimes already in the time zone
        # the reader lives in, and the wall-clock time is what we write.
        naive = value.replace(tzinfo=None)
        return naive.date() if kind == "date" else naive
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_item_text(item) for item in value]
        if isinstance(value, set | frozenset):
            items.sort()
        return _clean_text(", ".join(item for item in items if item))
    return _clean_text(str(value))


def _item_text(item: Any) -> str:
    if item is None:
        return ""
    if isinstance(item, datetime):
        return item.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(item, date):
        return item.isoformat()
    return str(item)


def _is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def _csv_text(text: str) -> str:
    return "'" + text if _is_formula_like(text) else text


def _csv_cell(value: _Plain, decimal_separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _csv_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", decimal_separator)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", decimal_separator)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat()


def _xlsx_text(text: str) -> str:
    return text[:_EXCEL_MAX_CELL_CHARS]


def _xlsx_cell(
    worksheet: WriteOnlyWorksheet, value: _Plain, date_format: str, datetime_format: str
) -> Any:
    if isinstance(value, str):
        text = _xlsx_text(value)
        if not _is_formula_like(text):
            return text
        # openpyxl turns a str starting with "=" into a formula; forcing the string type
        # writes an inline string that no spreadsheet evaluates.
        cell = WriteOnlyCell(worksheet, value=text)
        cell.data_type = "s"
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = datetime_format
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = date_format
        return cell
    return value


def _measured_width(label: str, values: Iterator[_Plain]) -> int:
    width = len(label) + _HEADER_FILTER_PADDING
    for value in values:
        width = max(width, _display_length(value))
        if width >= _MAX_WIDTH:
            return _MAX_WIDTH
    return max(_MIN_WIDTH, min(_MAX_WIDTH, width + _WIDTH_PADDING))


def _display_length(value: _Plain) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, bool):
        return 5
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return len(str(value))


def _unique_sheet_title(name: str, taken: set[str]) -> str:
    """Make ``name`` a valid Excel sheet title not yet in ``taken`` (casefolded titles)."""
    title = _EXCEL_SHEET_TITLE_FORBIDDEN.sub(" ", _clean_text(name))
    title = " ".join(title.split())
    # Excel refuses titles that start or end with an apostrophe.
    title = title.strip(" '")[:_EXCEL_MAX_SHEET_TITLE].strip(" '")
    if not title:
        title = "Sheet"
    if title.casefold() in _EXCEL_RESERVED_SHEET_TITLES:
        title = f"{title} (1)"
    candidate = title
    for number in itertools.count(2):
        if candidate.casefold() not in taken:
            return candidate
        suffix = f" ({number})"
        candidate = title[: _EXCEL_MAX_SHEET_TITLE - len(suffix)].rstrip() + suffix
    raise AssertionError("unreachable")  # pragma: no cover
