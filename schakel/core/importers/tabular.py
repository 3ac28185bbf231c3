"""Read register rows from uploaded XLSX or CSV files, safely, and parse them into values.

Three steps, each usable on its own by the Django side:

1. :func:`read_table` / :func:`read_workbook` turn untrusted bytes into :class:`Table`
   objects (headers plus trimmed cells). The format is detected from the content, never
   from the file name, and every limit is checked before anything is parsed: file size,
   then the ZIP directory (entry count, uncompressed size, compression ratio) so a zip
   bomb is refused without inflating a byte. openpyxl parses the XML through defusedxml,
   reads cached values rather than formulas, and streams rows. Whatever the input, the
   only exception that leaves this module is :class:`ImportFileError`.
2. :func:`guess_mapping` proposes which column feeds which field from the header names
   (English or Dutch, as synonyms supplied by the caller); the user may correct it.
3. :func:`parse_rows` converts each mapped cell to the field's kind and reports every bad
   cell as a :class:`RowError` with a code and parameters, so the Django side can show a
   translated preview and commit all-or-nothing.

Error codes. File level (:class:`ImportFileError`): ``too_large``, ``empty``,
``xls_not_supported``, ``encrypted``, ``zip_bomb``, ``corrupt``, ``unsupported_format``,
``too_many_rows``, ``too_many_columns``, ``sheet_not_found``. Row level (:class:`RowError`):
``required``, ``invalid_int``, ``invalid_decimal``, ``invalid_date``, ``invalid_bool``,
``invalid_choice``, and on the header row ``unmapped_required`` and ``duplicate_mapping``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any, Literal

import openpyxl
import openpyxl.xml

# openpyxl parses with the standard library's XML parser unless defusedxml is importable
# (and OPENPYXL_DEFUSEDXML is not "False"); that parser expands entities, so an uploaded
# workbook could exhaust memory ("billion laughs"). Refuse to run rather than parse unsafely.
if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - depends on the environment
    raise ImportError(
        "schakel.core.importers.tabular needs defusedxml so that openpyxl parses safely; "
        "install defusedxml and do not set OPENPYXL_DEFUSEDXML=False."
    )

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_ROWS",
    "MAX_COLUMNS",
    "MAX_ZIP_ENTRIES",
    "MAX_ZIP_UNCOMPRESSED",
    "CellValue",
    "FieldKind",
    "FieldSpec",
    "ImportFileError",
    "ParseResult",
    "ParsedRow",
    "RowError",
    "Table",
    "guess_mapping",
    "parse_rows",
    "read_table",
    "read_workbook",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000
DEFAULT_MAX_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_COLUMNS = 500
# Below this many uncompressed bytes a high ratio is harmless (tiny XML parts compress
# well), so ratio checks only start above it.
_RATIO_FLOOR_BYTES = 1024 * 1024
# Excel's own sheet height; rows beyond it exist only in crafted files.
_EXCEL_MAX_ROWS = 1_048_576
# How much of a CSV the delimiter sniffer looks at.
_SNIFF_CHARS = 64 * 1024
_SNIFF_LINES = 50
_MAX_NUMBER_CHARS = 100

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Office file saved with a password is an OLE2 container holding these streams; the
# directory stores names as UTF-16LE, but plain ASCII is matched too for robustness.
_ENCRYPTION_MARKERS = tuple(
    marker
    for name in ("EncryptionInfo", "EncryptedPackage")
    for marker in (name.encode("utf-16-le"), name.encode("ascii"))
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

# Text that holds C0 controls other than tab, newlines, vertical tab and form feed is not a
# CSV someone saved from a spreadsheet.
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SEP_HINT = re.compile(r"sep=(.)", re.IGNORECASE)
_CSV_DELIMITERS = (",", ";", "\t")
# Our CSV export prefixes formula-like text with "'"; undoing it makes a re-import exact.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CellValue = str | int | float | date | datetime | None
FieldKind = Literal["text", "int", "decimal", "date", "choice", "bool", "list", "person", "ref"]


class ImportFileError(Exception):
    """Signal that an uploaded file cannot be read, with a code the caller translates."""

    def __init__(self, code: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = dict(params or {})

    def __repr__(self) -> str:
        return f"ImportFileError({self.code!r}, {self.params!r})"


@dataclass(slots=True)
class Table:
    """Hold one sheet's header names and data rows as read from the file.

    Every row is as wide as ``headers``; cells are trimmed strings, numbers, booleans,
    datetimes (Excel date cells) or ``None``. ``rows[i]`` is the row the user sees as
    number ``first_row_number + i`` in Excel; empty rows inside the data are kept as rows of
    ``None`` so that numbering stays right.
    """

    name: str
    headers: list[str]
    rows: list[list[CellValue]]
    first_row_number: int

    @property
    def header_row_number(self) -> int:
        """Return the row number of the header row as the user sees it."""
        return self.first_row_number - 1


@dataclass(slots=True)
class FieldSpec:
    """Describe one importable field: its key, kind, whether it is required, how to find it.

    ``synonyms`` are header names that mean this field (labels in English and Dutch,
    older names); ``choices`` maps each stored value to its accepted spellings.
    """

    key: str
    kind: FieldKind = "text"
    required: bool = False
    synonyms: list[str] = dataclass_field(default_factory=list)
    choices: dict[str, list[str]] | None = None


@dataclass(slots=True)
class ParsedRow:
    """Hold the parsed values of one data row; fields whose cell was invalid are absent."""

    number: int
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RowError:
    """Describe one problem in a row (or on the header row) as a translatable code."""

    row: int
    field: str | None
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)


@dataclass(slots=True)
class ParseResult:
    """Hold the parsed rows and every error found; commit only when ``ok``."""

    rows: list[ParsedRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        """Return whether the file parsed without a single error."""
        return not self.errors


# --------------------------------------------------------------------------- reading


def read_table(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_ratio: float = DEFAULT_MAX_RATIO,
    sheet: str | None = None,
) -> Table:
    """Read one table from XLSX or CSV bytes; raise :class:`ImportFileError` otherwise.

    For a workbook, ``sheet`` names the worksheet to read (exact title first, then ignoring
    case); without it the first visible worksheet that holds data is read. ``filename`` only
    names the table of a CSV file; the format is detected from the content.
    """
    tables = _read(data, filename, max_bytes, max_rows, max_ratio, sheet=sheet, every=False)
    return tables[0]


def read_workbook(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> list[Table]:
    """Read every visible worksheet that holds data (one table for a CSV file).

    Meant for the combined RAID workbook with one sheet per register; sheets with no data
    rows and hidden helper sheets (drop-down lists) are left out. ``max_rows`` applies per
    sheet.
    """
    return _read(data, filename, max_bytes, max_rows, max_ratio, sheet=None, every=True)


def _read(
    data: bytes,
    filename: str,
    max_bytes: int,
    max_rows: int,
    max_ratio: float,
    *,
    sheet: str | None,
    every: bool,
) -> list[Table]:
    if len(data) > max_bytes:
        raise ImportFileError("too_large", {"size": len(data), "max_bytes": max_bytes})
    if not data.strip():
        raise ImportFileError("empty", {})
    if data.startswith(_OLE2_SIGNATURE):
        if any(marker in data for marker in _ENCRYPTION_MARKERS):
            raise ImportFileError("encrypted", {})
        raise ImportFileError("xls_not_supported", {})
    try:
        if data.startswith(_ZIP_SIGNATURES):
            _check_xlsx_archive(data, max_ratio)
            return _read_xlsx(data, max_rows, sheet=sheet, every=every)
        return [_read_csv(data, filename, max_rows)]
    except ImportFileError:
        raise
    except Exception as error:
        # openpyxl, zipfile, the XML parsers and the csv module raise a wide and undocumented
        # range of exceptions on malformed input (KeyError, ValueError, TypeError, zlib.error,
        # defusedxml's refusals, ...); to the user they all mean one thing.
        raise ImportFileError("corrupt", {}) from error


def _check_xlsx_archive(data: bytes, max_ratio: float) -> None:
    """Vet the ZIP directory before anything is inflated: a zip bomb never gets parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as error:
        raise ImportFileError("corrupt", {}) from error
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportFileError("zip_bomb", {"reason": "entries"})
    total_size = sum(info.file_size for info in infos)
    total_compressed = sum(info.compress_size for info in infos)
    if total_size > MAX_ZIP_UNCOMPRESSED:
        raise ImportFileError("zip_bomb", {"reason": "size"})
    if total_size > _RATIO_FLOOR_BYTES and total_size / max(total_compressed, 1) > max_ratio:
        raise ImportFileError("zip_bomb", {"reason": "ratio"})
    for info in infos:
        # zipfile never inflates past the declared size, so the directory is a hard bound.
        if info.file_size > _RATIO_FLOOR_BYTES and (
            info.file_size / max(info.compress_size, 1) > max_ratio
        ):
            raise ImportFileError("zip_bomb", {"reason": "ratio"})
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportFileError("encrypted", {})
    names = {info.filename for info in infos}
    if not all(part in names for part in _XLSX_REQUIRED_PARTS):
        # Another ZIP-based format: .xlsb, .ods, .docx, or just an archive.
        raise ImportFileError("unsupported_format", {})


def _read_xlsx(data: bytes, max_rows: int, *, sheet: str | None, every: bool) -> list[Table]:
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (data validation, drawings, odd styles), which
        # mean nothing for an import. catch_warnings is process-wide, so a warning in another
        # thread may be hidden meanwhile; that is harmless.
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        try:
            worksheets = list(workbook.worksheets)
            if sheet is not None:
                return [_worksheet_table(_find_sheet(worksheets, sheet), max_rows)]
            tables = []
            for worksheet in worksheets:
                if worksheet.sheet_state != "visible":
                    continue
                try:
                    tables.append(_worksheet_table(worksheet, max_rows))
                except ImportFileError as error:
                    if error.code == "empty":
                        continue
                    raise
                if not every:
                    break
            if not tables:
                raise ImportFileError("empty", {})
            return tables
        finally:
            workbook.close()


def _worksheet_table(worksheet: Any, max_rows: int) -> Table:
    # Declared dimensions may be wrong or hostile: they cut rows short (hiding cells) or pad
    # every row to 16,384 cells (A1:XFD1048576). Without them each row is as wide as its
    # last real cell. iter_rows reads the dimensions when called, so reset first.
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    return _table_from_rows(worksheet.title, rows, max_rows, _xlsx_cell)


def _find_sheet(worksheets: Sequence[Any], name: str) -> Any:
    for worksheet in worksheets:
        if worksheet.title == name:
            return worksheet
    for worksheet in worksheets:
        if worksheet.title.casefold() == name.casefold():
            return worksheet
    raise ImportFileError(
        "sheet_not_found",
        {"sheet": name, "available": [worksheet.title for worksheet in worksheets]},
    )


def _read_csv(data: bytes, filename: str, max_rows: int) -> Table:
    text = _decode(data)
    if _BINARY_CONTROLS.search(text):
        raise ImportFileError("unsupported_format", {})
    delimiter: str | None = None
    first_line, _, rest = text.partition("\n")
    hint = _SEP_HINT.fullmatch(first_line.strip())
    if hint:
        # Excel's "sep=;" line names the delimiter and is not shown as a row.
        delimiter, text = hint.group(1), rest
    if delimiter is None:
        delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    name = PurePath(filename).stem or "CSV"
    return _table_from_rows(name, reader, max_rows, _csv_cell)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-delimited.
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # What Excel on Windows writes for "CSV (comma/semicolon delimited)" in the West.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError("unsupported_format", {}) from None


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines into the most consistent columns."""
    sample = text[:_SNIFF_CHARS]
    lines = [line for line in _LINE_BREAK.split(sample)[:_SNIFF_LINES] if line.strip()]
    if len(text) > _SNIFF_CHARS and len(lines) > 1:
        lines.pop()  # probably cut in the middle
    best, best_score = ",", (0, 0)
    for delimiter in _CSV_DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(1 for row in rows if len(row) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _table_from_rows(
    name: str,
    source: Iterable[Sequence[Any]],
    max_rows: int,
    convert: Callable[[Any], CellValue],
) -> Table:
    """Find the header row (the first non-empty one) and collect the data rows below it."""
    headers: list[CellValue] | None = None
    header_number = 0
    rows: list[list[CellValue]] = []
    pending_empty = 0
    for number, raw in enumerate(source, start=1):
        if number > _EXCEL_MAX_ROWS:
            break
        cells = _row_cells(raw, convert)
        if headers is None:
            if cells:
                headers, header_number = cells, number
            continue
        if not cells:
            pending_empty += 1
            continue
        if number - header_number > max_rows:
            raise ImportFileError("too_many_rows", {"max_rows": max_rows, "sheet": name})
        # Empty rows inside the data are kept so row numbers match what the user sees;
        # trailing ones never reach the list.
        rows.extend([] for _ in range(pending_empty))
        pending_empty = 0
        rows.append(cells)
    if headers is None or not rows:
        raise ImportFileError("empty", {"sheet": name})
    width = max(len(headers), *(len(row) for row in rows))
    header_names = [_header_text(value) for value in headers]
    header_names.extend([""] * (width - len(header_names)))
    for row in rows:
        row.extend([None] * (width - len(row)))
    return Table(name=name, headers=header_names, rows=rows, first_row_number=header_number + 1)


def _row_cells(raw: Sequence[Any], convert: Callable[[Any], CellValue]) -> list[CellValue]:
    """Convert a raw row's cells and drop its trailing empty cells."""
    if len(raw) > MAX_COLUMNS:
        tail = raw[MAX_COLUMNS:]
        # count() runs in C: a crafted row padded to 16,384 empty cells stays cheap.
        if tail.count(None) != len(tail) and any(
            convert(value) is not None for value in tail if value is not None
        ):
            raise ImportFileError("too_many_columns", {"max_columns": MAX_COLUMNS})
        raw = raw[:MAX_COLUMNS]
    cells = [convert(value) for value in raw]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _xlsx_cell(value: Any) -> CellValue:
    if value is None or isinstance(value, int | float | datetime | date):
        return value
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip() or None


def _csv_cell(value: str) -> CellValue:
    if value.startswith("'") and value[1:].startswith(_FORMULA_TRIGGERS):
        value = value[1:]
    return value.strip() or None


def _header_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- mapping


def guess_mapping(headers: Sequence[str], fields: Sequence[FieldSpec]) -> dict[int, str | None]:
    """Propose a field key for every column from its header name, or ``None``.

    Headers match a field's key or one of its synonyms regardless of case, accents,
    punctuation, spaces and underscores ("Due date" = "due_date" = "DUE-DATE"). Headers
    equal to a key win over synonyms; otherwise columns claim fields from left to right,
    and each field is used at most once.
    """
    mapping: dict[int, str | None] = dict.fromkeys(range(len(headers)))
    normalised = [_header_key(header) for header in headers]
    by_key = [(spec.key, {_header_key(spec.key)}) for spec in fields]
    by_synonym = [(spec.key, {_header_key(name) for name in spec.synonyms}) for spec in fields]
    used: set[str] = set()
    for names in (by_key, by_synonym):
        for index, header in enumerate(normalised):
            if not header or mapping[index] is not None:
                continue
            for key, spellings in names:
                if key not in used and header in spellings:
                    mapping[index] = key
                    used.add(key)
                    break
    return mapping


def _header_key(text: str) -> str:
    return "".join(character for character in _fold(text) if character.isalnum())


def _fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents ("Één" -> "een")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --------------------------------------------------------------------------- parsing


_Converter = Callable[[CellValue], Any]


class _Invalid(Exception):
    """Raised by a converter for a cell it cannot read; becomes a :class:`RowError`."""

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}


def parse_rows(
    table: Table,
    mapping: Mapping[int, str | None],
    fields: Sequence[FieldSpec],
    *,
    day_first: bool = True,
) -> ParseResult:
    """Convert every mapped cell to its field's kind and report every problem found.

    Rows whose mapped cells are all empty are skipped. A row's ``values`` holds each mapped
    field that parsed (``None`` for an empty optional cell, ``[]`` for a list field, so the
    caller can tell an empty cell from a column the file does not have); an invalid cell adds a
    :class:`RowError` instead and parsing carries on, so one pass reports everything.
    Required fields that no column maps to, and fields mapped twice, are reported once on
    the header row. Raises ``ValueError`` for a mapping that names an unknown field or a
    column the table does not have (a programming error, not a user's).
    """
    specs = {spec.key: spec for spec in fields}
    header_row = table.header_row_number
    errors: list[RowError] = []
    columns: dict[str, int] = {}
    for index, key in sorted(mapping.items()):
        if key is None:
            continue
        if key not in specs:
            raise ValueError(f"mapping names unknown field {key!r}")
        if not 0 <= index < len(table.headers):
            raise ValueError(f"mapping names column {index}, the table has {len(table.headers)}")
        if key in columns:
            errors.append(
                RowError(
                    row=header_row,
                    field=key,
                    code="duplicate_mapping",
                    params={"columns": [table.headers[columns[key]], table.headers[index]]},
                )
            )
            continue
        columns[key] = index
    for spec in fields:
        if spec.required and spec.key not in columns:
            errors.append(RowError(row=header_row, field=spec.key, code="unmapped_required"))

    converters = {key: _converter(specs[key], day_first) for key in columns}
    empty: dict[str, Any] = {key: [] if specs[key].kind == "list" else None for key in columns}
    rows: list[ParsedRow] = []
    for offset, cells in enumerate(table.rows):
        if all(cells[index] is None for index in columns.values()):
            continue
        number = table.first_row_number + offset
        values: dict[str, Any] = {}
        for key, index in columns.items():
            spec = specs[key]
            cell = cells[index]
            try:
                value = converters[key](cell) if cell is not None else empty[key]
            except _Invalid as invalid:
                params = {"value": _display(cell), **invalid.params}
                errors.append(RowError(row=number, field=key, code=invalid.code, params=params))
                continue
            if spec.required and (value is None or value == []):
                errors.append(RowError(row=number, field=key, code="required"))
                continue
            values[key] = value
        rows.append(ParsedRow(number=number, values=values))
    return ParseResult(rows=rows, errors=errors)


def _converter(spec: FieldSpec, day_first: bool) -> _Converter:
    if spec.kind == "int":
        return _to_int
    if spec.kind == "decimal":
        return _to_decimal
    if spec.kind == "date":
        return lambda value: _to_date(value, day_first)
    if spec.kind == "bool":
        return _to_bool
    if spec.kind == "list":
        return _to_list
    if spec.kind == "choice":
        return _choice_converter(spec.choices or {})
    # text, person, ref: the Django side resolves people and references from the text.
    return _to_text


def _display(value: CellValue) -> str:
    """Render a raw cell for an error message, as the user would recognise it."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return _number_text(value) if isinstance(value, float) else str(value)


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _to_text(value: CellValue) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _number_text(value)
    return _display(value)


def _to_int(value: CellValue) -> int:
    if isinstance(value, bool | date):
        raise _Invalid("invalid_int")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Invalid("invalid_int")
    number = _parse_number(str(value), integer=True)
    if number is None or number != number.to_integral_value():
        raise _Invalid("invalid_int")
    return int(number)


def _to_decimal(value: CellValue) -> Decimal:
    if isinstance(value, bool | date):
        raise _Invalid("invalid_decimal")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that round-trips, so 0.1 stays Decimal("0.1").
        number: Decimal | None = Decimal(repr(value))
    else:
        number = _parse_number(str(value), integer=False)
    if number is None or not number.is_finite():
        raise _Invalid("invalid_decimal")
    return number


_CURRENCY = "€$£"
_NUMBER_BODY = re.compile(r"[+-]?(?:\d[\d.,]*|[.,]\d+)")


def _parse_number(text: str, *, integer: bool) -> Decimal | None:
    """Read "1.234,5" (Dutch) as well as "1,234.5" (English); ``None`` if it is no number.

    With both separators the last one is the decimal mark. A lone separator is the decimal
    mark for decimals; for whole numbers "1.234" and "1,234" read as 1234, since a whole
    number has no decimals to mark.
    """
    cleaned = "".join(text.split()).strip(_CURRENCY)
    if len(cleaned) > _MAX_NUMBER_CHARS or not _NUMBER_BODY.fullmatch(cleaned):
        return None
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = cleaned[0], cleaned[1:]
    dots, commas = cleaned.count("."), cleaned.count(",")
    if dots and commas:
        decimal_mark = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if cleaned.count(decimal_mark) != 1:
            return None
        whole, fraction = cleaned.split(decimal_mark)
        if not _valid_groups(whole, group_mark):
            return None
        whole = whole.replace(group_mark, "")
    elif dots + commas == 0:
        whole, fraction = cleaned, ""
    else:
        mark = "." if dots else ","
        whole, _, fraction = cleaned.partition(mark)
        grouped = len(fraction) == 3 and 1 <= len(whole) <= 3 and whole.strip("0") != ""
        if dots + commas > 1 or (integer and grouped):
            # Thousands grouping: "1.234.567", or "1.234" as a whole number.
            if not _valid_groups(cleaned, mark):
                return None
            whole, fraction = cleaned.replace(mark, ""), ""
    if fraction and not fraction.isdigit():
        return None
    try:
        return Decimal(f"{sign}{whole or '0'}" + (f".{fraction}" if fraction else ""))
    except InvalidOperation:
        return None


def _valid_groups(whole: str, mark: str) -> bool:
    groups = whole.split(mark)
    return (
        1 <= len(groups[0]) <= 3
        and all(len(group) == 3 for group in groups[1:])
        and all(group.isdigit() for group in groups)
    ) or (len(groups) == 1 and whole.isdigit())


_ISO_DATE = re.compile(
    r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_LOCAL_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_SERIAL = re.compile(r"\d{1,7}(?:[.,]\d+)?")
# 9999-12-31, the last day Excel can show.
_EXCEL_MAX_SERIAL = 2_958_465
_EXCEL_EPOCH = date(1899, 12, 30)


def _to_date(value: CellValue, day_first: bool) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _Invalid("invalid_date")
    if isinstance(value, int | float):
        return _from_serial(value)
    text = str(value).strip()
    try:
        if match := _ISO_DATE.fullmatch(text):
            return date(int(match[1]), int(match[3]), int(match[4]))
        if match := _LOCAL_DATE.fullmatch(text):
            first, second = int(match[1]), int(match[3])
            day, month = (first, second) if day_first else (second, first)
            return date(int(match[4]), month, day)
    except ValueError:
        raise _Invalid("invalid_date") from None
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text.replace(",", ".")))
    raise _Invalid("invalid_date")


def _from_serial(serial: float) -> date:
    """Turn an Excel serial day number (1900 date system) into a date."""
    if not 1 <= serial < _EXCEL_MAX_SERIAL + 1:
        raise _Invalid("invalid_date")
    days = int(serial)
    if days == 60:
        # Excel counts 29 February 1900, a day that never was (Lotus 1-2-3 compatibility).
        raise _Invalid("invalid_date")
    if days < 60:
        days += 1
    return _EXCEL_EPOCH + timedelta(days=days)


_TRUE_WORDS = frozenset({"yes", "y", "ja", "j", "true", "waar", "1", "x", "on", "aan"})
_FALSE_WORDS = frozenset({"no", "n", "nee", "false", "onwaar", "0", "off", "uit"})


def _to_bool(value: CellValue) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = _fold(str(value)).strip()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise _Invalid("invalid_bool")


def _to_list(value: CellValue) -> list[str]:
    text = _to_text(value) or ""
    return [item.strip() for item in re.split(r"[,;]", text) if item.strip()]


def _choice_key(text: str) -> str:
    # Case, accents and the way words are joined ("in_progress", "In progress",
    # "in-progress") do not matter; other punctuation does ("A+" is not "A").
    return " ".join(re.sub(r"[_\-\s]+", " ", _fold(text)).split())


def _choice_converter(choices: Mapping[str, Sequence[str]]) -> _Converter:
    lookup: dict[str, str] = {}
    for stored, spellings in choices.items():
        for spelling in (stored, *spellings):
            lookup.setdefault(_choice_key(spelling), stored)
    allowed = list(choices)

    def convert(value: CellValue) -> str:
        text = _to_text(value) or ""
        try:
            return lookup[_choice_key(text)]
        except KeyError:
            raise _Invalid("invalid_choice", {"allowed": allowed}) from None

    return convert
