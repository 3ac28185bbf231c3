"""The tabular import engine: safe reading, column mapping guesses and row parsing."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

from schakel.core.exports.tabular import Column, Sheet, to_csv, to_xlsx
from schakel.core.importers import tabular
from schakel.core.importers.tabular import (
    FieldSpec,
    ImportFileError,
    RowError,
    Table,
    guess_mapping,
    parse_rows,
    read_table,
    read_workbook,
)

FILE_ERROR_CODES = {
    "too_large",
    "empty",
    "xls_not_supported",
    "encrypted",
    "zip_bomb",
    "corrupt",
    "unsupported_format",
    "too_many_rows",
    "too_many_columns",
    "sheet_not_found",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def xlsx(sheets: dict[str, list[list[Any]]], *, hidden: tuple[str, ...] = ()) -> bytes:
    """Build a workbook the ordinary way, with openpyxl, one worksheet per entry."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
        if name in hidden:
            worksheet.sheet_state = "hidden"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def replace_parts(package: bytes, parts: dict[str, bytes]) -> bytes:
    """Return ``package`` with some ZIP members replaced or added, the rest copied."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info.filename))
        for name, content in parts.items():
            target.writestr(name, content)
    return output.getvalue()


def worksheet_xml(body: str, dimension: str = "A1:B2") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def error_code(data: bytes, filename: str = "upload", **limits: Any) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(data, filename, **limits)
    return caught.value.code


# --------------------------------------------------------------------------- CSV


def test_it_reads_a_dutch_csv_with_semicolons_and_day_first_dates() -> None:
    data = (
        b"Titel;Eigenaar;Vervaldatum;Bedrag\r\n"
        b"Leverancier failliet;Jan de Vries;15-03-2026;1.234,50\r\n"
        b'"Licenties; verlengen";Piet;1-4-2026;12,5\r\n'
    )
    fields = [
        FieldSpec("title", required=True, synonyms=["Title", "Titel"]),
        FieldSpec("owner", "person", synonyms=["Owner", "Eigenaar"]),
        FieldSpec("due", "date", synonyms=["Due date", "Vervaldatum"]),
        FieldSpec("cost", "decimal", synonyms=["Cost", "Bedrag"]),
    ]

    table = read_table(data, "risico's.csv")
    result = parse_rows(table, guess_mapping(table.headers, fields), fields)

    assert table.name == "risico's"
    assert table.headers == ["Titel", "Eigenaar", "Vervaldatum", "Bedrag"]
    assert result.errors == []
    assert [(row.number, row.values) for row in result.rows] == [
        (
            2,
            {
                "title": "Leverancier failliet",
                "owner": "Jan de Vries",
                "due": date(2026, 3, 15),
                "cost": Decimal("1234.50"),
            },
        ),
        (
            3,
            {
                "title": "Licenties; verlengen",
                "owner": "Piet",
                "due": date(2026, 4, 1),
                "cost": Decimal("12.5"),
            },
        ),
    ]


def test_it_reads_utf8_with_a_byte_order_mark() -> None:
    table = read_table("\ufeffTitel,Eigenaar\r\nÉén risico,Zoë\r\n".encode(), "r.csv")

    assert table.headers == ["Titel", "Eigenaar"]
    assert table.rows == [["Één risico", "Zoë"]]


def test_it_falls_back_to_windows_1252_for_older_excel_files() -> None:
    data = "Titel;Eigenaar\r\nCafé – € 5 ‘overschrijding’;Zoë\r\n".encode("cp1252")

    assert read_table(data, "r.csv").rows == [["Café – € 5 ‘overschrijding’", "Zoë"]]


def test_it_reads_excel_unicode_text_in_utf16_with_tabs() -> None:
    data = "Title\tOwner\r\nŁódź office\tAnna\r\n".encode("utf-16")

    table = read_table(data, "risks.txt")

    assert table.headers == ["Title", "Owner"]
    assert table.rows == [["Łódź office", "Anna"]]


def test_it_obeys_excels_sep_line_and_does_not_count_it_as_a_row() -> None:
    table = read_table(b"sep=|\r\nTitle|Owner\r\nA, B; C|Jan\r\n", "r.csv")

    assert table.headers == ["Title", "Owner"]
    assert table.rows == [["A, B; C", "Jan"]]
    assert table.first_row_number == 2


def test_it_sniffs_the_delimiter_from_consistent_columns() -> None:
    data = b"Title,Description,Owner\r\nA,Use x; y; z,Jan\r\nB,Plain,Piet\r\n"

    assert read_table(data, "r.csv").rows == [["A", "Use x; y; z", "Jan"], ["B", "Plain", "Piet"]]


def test_it_trims_cells_and_drops_trailing_empty_rows_and_columns() -> None:
    data = b"  Title ,Owner,,\r\n  A  , Jan ,,\r\n,,,\r\n B,,,\r\n,,,\r\n\r\n"

    table = read_table(data, "r.csv")

    assert table.headers == ["Title", "Owner"]
    # The empty row stays, so "B" is still on row 4 as in Excel.
    assert table.rows == [["A", "Jan"], [None, None], ["B", None]]
    assert table.first_row_number == 2


def test_it_undoes_the_formula_quote_of_our_own_csv_export_only() -> None:
    data = b"Title\r\n'=1+1\r\n'-2\r\nIt's '=fine'\r\n'quoted'\r\n"

    assert read_table(data, "r.csv").rows == [["=1+1"], ["-2"], ["It's '=fine'"], ["'quoted'"]]


# --------------------------------------------------------------------------- XLSX


def test_it_reads_an_xlsx_made_by_openpyxl_with_typed_cells() -> None:
    data = xlsx(
        {
            "Risks": [
                ["Title", "Score", "Cost", "Due", "Escalated"],
                ["  Supplier fails  ", 12, 1234.5, datetime(2026, 3, 15), True],
                ["Late delivery", None, None, None, False],
            ]
        }
    )

    table = read_table(data, "whatever.bin")

    assert table.name == "Risks"
    assert table.headers == ["Title", "Score", "Cost", "Due", "Escalated"]
    assert table.rows == [
        ["Supplier fails", 12, 1234.5, datetime(2026, 3, 15), True],
        ["Late delivery", None, None, None, False],
    ]
    assert table.first_row_number == 2


def test_it_numbers_rows_as_excel_does_when_the_header_is_lower_down() -> None:
    data = xlsx({"Risks": [[], [], ["Title", "Owner"], ["A", "Jan"], [], ["B", "Piet"]]})

    table = read_table(data, "r.xlsx")

    assert table.header_row_number == 3
    assert table.first_row_number == 4
    assert table.rows == [["A", "Jan"], [None, None], ["B", "Piet"]]


def test_it_reads_cached_values_never_formulas() -> None:
    base = xlsx({"Risks": [["placeholder"]]})
    sheet = worksheet_xml(
        '<row r="1">' + inline("A1", "Score") + "</row>"
        '<row r="2"><c r="A2"><f>6*7</f><v>42</v></c></row>'
    )

    table = read_table(replace_parts(base, {"xl/worksheets/sheet1.xml": sheet}), "r.xlsx")

    assert table.rows == [[42]]


def test_it_ignores_hostile_dimensions_that_would_pad_every_row() -> None:
    base = xlsx({"Risks": [["placeholder"]]})
    sheet = worksheet_xml(
        '<row r="1">' + inline("A1", "Title") + '</row><row r="2">' + inline("A2", "A") + "</row>",
        dimension="A1:XFD1048576",
    )

    table = read_table(replace_parts(base, {"xl/worksheets/sheet1.xml": sheet}), "r.xlsx")

    assert table.headers == ["Title"]
    assert table.rows == [["A"]]


def test_it_refuses_a_row_wider_than_the_column_limit() -> None:
    base = xlsx({"Risks": [["placeholder"]]})
    sheet = worksheet_xml(
        '<row r="1">' + inline("A1", "Title") + "</row>"
        '<row r="2">' + inline("A2", "A") + inline("XFD2", "far away") + "</row>"
    )

    data = replace_parts(base, {"xl/worksheets/sheet1.xml": sheet})

    assert error_code(data) == "too_many_columns"


def test_it_refuses_xml_entity_expansion() -> None:
    base = xlsx({"Risks": [["placeholder"]]})
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )

    data = replace_parts(base, {"xl/worksheets/sheet1.xml": laughs})

    assert error_code(data) == "corrupt"


def test_it_reads_the_named_sheet_or_the_first_visible_sheet_with_data() -> None:
    data = xlsx(
        {
            "Lists": [["Status"], ["open"]],
            "Empty": [],
            "Risks": [["Title"], ["R1"]],
            "Acties": [["Titel"], ["A1"]],
        },
        hidden=("Lists",),
    )

    assert read_table(data, "raid.xlsx").name == "Risks"
    assert read_table(data, "raid.xlsx", sheet="acties").rows == [["A1"]]
    assert read_table(data, "raid.xlsx", sheet="Lists").rows == [["open"]]
    with pytest.raises(ImportFileError) as caught:
        read_table(data, "raid.xlsx", sheet="Besluiten")
    assert caught.value.code == "sheet_not_found"
    assert caught.value.params["available"] == ["Lists", "Empty", "Risks", "Acties"]


def test_it_reads_one_table_per_visible_sheet_with_data_for_the_raid_workbook() -> None:
    data = xlsx(
        {
            "Lists": [["Status"], ["open"]],
            "Risks": [["Title"], ["R1"], ["R2"]],
            "Decisions": [["Title"]],
            "Actions": [["Title", "Due"], ["A1", datetime(2026, 1, 2)]],
        },
        hidden=("Lists",),
    )

    tables = read_workbook(data, "raid.xlsx")

    assert [(table.name, len(table.rows)) for table in tables] == [("Risks", 2), ("Actions", 1)]


def test_it_reads_a_csv_as_a_workbook_of_one_table() -> None:
    assert [t.name for t in read_workbook(b"Title\nA\n", "acties.csv")] == ["acties"]


def test_it_reads_an_archive_with_hostile_member_names_without_extracting_anything() -> None:
    data = replace_parts(
        xlsx({"Risks": [["Title"], ["A"]]}),
        {"../../etc/evil.txt": b"x", "/absolute/evil.txt": b"x", "C:\\evil.txt": b"x"},
    )

    assert read_table(data, "r.xlsx").rows == [["A"]]


# --------------------------------------------------------------------------- refusals


def test_it_refuses_a_file_over_the_size_limit_before_looking_at_it() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_table(b"Title\n" + b"x\n" * 100, "r.csv", max_bytes=100)

    assert caught.value.code == "too_large"
    assert caught.value.params == {"size": 206, "max_bytes": 100}


def test_it_refuses_a_legacy_xls_file_whatever_its_name() -> None:
    data = OLE2 + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 200

    assert error_code(data, "risks.xlsx") == "xls_not_supported"


@pytest.mark.parametrize("stream", ["EncryptedPackage", "EncryptionInfo"])
def test_it_recognises_a_password_protected_workbook(stream: str) -> None:
    data = OLE2 + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 200

    assert error_code(data, "risks.xlsx") == "encrypted"


def test_it_recognises_a_zip_with_encrypted_members() -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name in ("[Content_Types].xml", "xl/workbook.xml"):
            archive.writestr(name, b"ciphertext")
    data = bytearray(output.getvalue())
    # zipfile cannot write encrypted members, so set the "encrypted" flag bit by hand in
    # every local header (flags at offset 6) and central directory entry (offset 8).
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + flags_at] |= 0x1
            start = data.find(signature, start + 4)

    assert error_code(bytes(data)) == "encrypted"


def forbid_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to read a ZIP member fail loudly (it would then be "corrupt")."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a ZIP member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)


def test_it_refuses_a_zip_bomb_from_its_directory_without_inflating_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bomb = replace_parts(xlsx({"Risks": [["Title"], ["A"]]}), {"xl/media/x.bin": bytes(30 << 20)})
    assert len(bomb) < 100_000
    forbid_inflating(monkeypatch)

    with pytest.raises(ImportFileError) as caught:
        read_table(bomb, "r.xlsx")

    assert caught.value.code == "zip_bomb"
    assert caught.value.params == {"reason": "ratio"}


def test_it_refuses_a_zip_whose_total_uncompressed_size_is_too_big(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = xlsx({"Risks": [["Title"], ["A"]]})
    monkeypatch.setattr(tabular, "MAX_ZIP_UNCOMPRESSED", 1_000)
    forbid_inflating(monkeypatch)

    with pytest.raises(ImportFileError) as caught:
        read_table(data, "r.xlsx")

    assert (caught.value.code, caught.value.params) == ("zip_bomb", {"reason": "size"})


def test_it_refuses_a_zip_with_too_many_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for n in range(tabular.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"xl/media/{n}.txt", b"")
    forbid_inflating(monkeypatch)

    with pytest.raises(ImportFileError) as caught:
        read_table(output.getvalue(), "r.xlsx")

    assert (caught.value.code, caught.value.params) == ("zip_bomb", {"reason": "entries"})


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\x00garbage" * 20,
        xlsx({"Risks": [["Title"], ["A"]]})[:-30],
        replace_parts(xlsx({"Risks": [["Title"], ["A"]]}), {"xl/worksheets/sheet1.xml": b"<oops"}),
        replace_parts(xlsx({"Risks": [["Title"], ["A"]]}), {"xl/workbook.xml": b"not xml"}),
    ],
    ids=["garbage-after-signature", "truncated", "broken-sheet-xml", "broken-workbook-xml"],
)
def test_it_reports_a_corrupt_file(data: bytes) -> None:
    assert error_code(data) == "corrupt"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 3 >>\nstream\n\x00\x01\x02",
    ],
    ids=["png", "pdf"],
)
def test_it_reports_binary_files_as_unsupported(data: bytes) -> None:
    assert error_code(data) == "unsupported_format"


def test_it_reports_another_zip_format_as_unsupported() -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")

    assert error_code(output.getvalue(), "risks.ods") == "unsupported_format"


@pytest.mark.parametrize(
    "data",
    [b"", b" \r\n\r\n", b";;;\r\n,,\r\n", b"Title;Owner\r\n", b"Title;Owner\r\n;\r\n\r\n"],
    ids=["nothing", "blank-lines", "only-delimiters", "header-only", "header-and-blanks"],
)
def test_it_reports_an_empty_csv(data: bytes) -> None:
    assert error_code(data, "r.csv") == "empty"


def test_it_reports_an_xlsx_with_only_headers_as_empty() -> None:
    data = xlsx({"Risks": [["Title", "Owner"]], "Actions": [[], []]})

    assert error_code(data, "r.xlsx") == "empty"
    with pytest.raises(ImportFileError) as caught:
        read_workbook(data, "r.xlsx")
    assert caught.value.code == "empty"


def test_it_refuses_more_rows_than_the_limit_in_csv_and_xlsx() -> None:
    rows = [["Title"], *([f"R{n}"] for n in range(11))]
    csv_data = "\r\n".join(row[0] for row in rows).encode()

    assert error_code(csv_data, "r.csv", max_rows=10) == "too_many_rows"
    assert error_code(xlsx({"Risks": rows}), "r.xlsx", max_rows=10) == "too_many_rows"
    assert len(read_table(csv_data, "r.csv", max_rows=11).rows) == 11


def test_trailing_empty_rows_do_not_count_towards_the_row_limit() -> None:
    data = b"Title\r\n" + b"R\r\n" * 10 + b",\r\n" * 50

    assert len(read_table(data, "r.csv", max_rows=10).rows) == 10


# --------------------------------------------------------------------------- fuzzing


def sample_files() -> list[bytes]:
    sheet = Sheet(
        "Risks",
        [Column("title", "Title"), Column("due", "Due", "date"), Column("n", "Score", "int")],
        [{"title": f"=R{n}", "due": date(2026, 1, n % 28 + 1), "n": -n} for n in range(20)],
    )
    return [
        to_xlsx([sheet, Sheet("Actions", sheet.columns, [])]),
        to_csv(sheet),
        to_csv(sheet, delimiter=";", decimal_separator=","),
        xlsx({"Risks": [["Title", "Owner"], ["A", "Jan"]]}),
    ]


SAMPLES = sample_files()
FUZZ_FIELDS = [
    FieldSpec("title", "text", required=True, synonyms=["Title"]),
    FieldSpec("due", "date", synonyms=["Due"]),
    FieldSpec("n", "int", synonyms=["Score"]),
    FieldSpec("owner", "choice", choices={"jan": ["Jan"]}, synonyms=["Owner"]),
]


def read_anything(data: bytes) -> None:
    """Read ``data`` every way the Django side will; only ImportFileError may escape."""
    for filename in ("upload.xlsx", "upload.csv"):
        try:
            tables = read_workbook(data, filename, max_rows=1_000)
        except ImportFileError as error:
            assert error.code in FILE_ERROR_CODES
            continue
        for table in tables:
            parse_rows(table, guess_mapping(table.headers, FUZZ_FIELDS), FUZZ_FIELDS)


fuzz = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@fuzz
@given(st.binary(max_size=4096))
def test_random_bytes_only_ever_raise_import_file_error(data: bytes) -> None:
    read_anything(data)


@fuzz
@given(st.sampled_from(SAMPLES), st.data())
def test_truncated_files_only_ever_raise_import_file_error(sample: bytes, data: Any) -> None:
    read_anything(sample[: data.draw(st.integers(0, len(sample)))])


@fuzz
@given(st.sampled_from(SAMPLES), st.data())
def test_bit_flipped_files_only_ever_raise_import_file_error(sample: bytes, data: Any) -> None:
    mutated = bytearray(sample)
    flips = data.draw(
        st.lists(st.tuples(st.integers(0, len(sample) - 1), st.integers(0, 7)), max_size=8)
    )
    for position, bit in flips:
        mutated[position] ^= 1 << bit
    read_anything(bytes(mutated))


@fuzz
@given(st.sampled_from(SAMPLES), st.data())
def test_spliced_files_only_ever_raise_import_file_error(sample: bytes, data: Any) -> None:
    start = data.draw(st.integers(0, len(sample)))
    end = data.draw(st.integers(start, min(len(sample), start + 64)))
    read_anything(sample[:start] + data.draw(st.binary(max_size=64)) + sample[end:])


XLSX_SAMPLES = [sample for sample in SAMPLES if sample.startswith(b"PK")]


@fuzz
@given(st.sampled_from(XLSX_SAMPLES), st.data())
def test_workbooks_with_mangled_xml_only_ever_raise_import_file_error(
    sample: bytes, data: Any
) -> None:
    # Mutating the compressed bytes mostly trips the CRC check; mutating a member and
    # zipping it again puts the damage in front of openpyxl's XML handling instead.
    with zipfile.ZipFile(io.BytesIO(sample)) as archive:
        name = data.draw(st.sampled_from(archive.namelist()))
        content = archive.read(name)
    start = data.draw(st.integers(0, len(content)))
    end = data.draw(st.integers(start, min(len(content), start + 64)))
    insert = data.draw(
        st.one_of(
            st.binary(max_size=32),
            st.sampled_from([b"<", b'"', b' r="XFD1048577"', b' t="e"', b"<v>1e400</v>"]),
        )
    )
    read_anything(replace_parts(sample, {name: content[:start] + insert + content[end:]}))


# --------------------------------------------------------------------------- mapping


RISK_FIELDS = [
    FieldSpec("title", required=True, synonyms=["Title", "Titel", "Naam"]),
    FieldSpec("owner", "person", synonyms=["Owner", "Eigenaar", "Risk owner", "Risico-eigenaar"]),
    FieldSpec("due_date", "date", synonyms=["Due date", "Deadline", "Einddatum", "Vervaldatum"]),
    FieldSpec("status", "choice", synonyms=["Status", "Staat"], choices={"open": ["Open"]}),
    FieldSpec("tags", "list", synonyms=["Tags", "Labels", "Trefwoorden"]),
]


def test_it_guesses_the_mapping_for_english_headers() -> None:
    headers = ["Ref", "Title", "Risk owner", "Due date", "Status", "Tags"]

    assert guess_mapping(headers, RISK_FIELDS) == {
        0: None,
        1: "title",
        2: "owner",
        3: "due_date",
        4: "status",
        5: "tags",
    }


def test_it_guesses_the_mapping_for_dutch_headers_ignoring_case_accents_and_punctuation() -> None:
    headers = ["TITEL", "Risico eigenaar", "Vervaldatum:", "Trefwoorden", "Opmerkingen"]

    assert guess_mapping(headers, RISK_FIELDS) == {
        0: "title",
        1: "owner",
        2: "due_date",
        3: "tags",
        4: None,
    }


@pytest.mark.parametrize("header", ["Due date", "due_date", "DUE-DATE", "Deadline", "Einddatum"])
def test_it_recognises_every_spelling_of_a_field(header: str) -> None:
    assert guess_mapping([header], RISK_FIELDS) == {0: "due_date"}


def test_it_uses_each_field_once_and_prefers_a_header_equal_to_the_key() -> None:
    headers = ["Deadline", "Einddatum", "due date", "Title", "Titel"]

    assert guess_mapping(headers, RISK_FIELDS) == {
        0: None,
        1: None,
        2: "due_date",
        3: "title",
        4: None,
    }


def test_accented_headers_match_plain_synonyms() -> None:
    fields = [FieldSpec("category", synonyms=["Categorie"])]

    assert guess_mapping(["Catégorie"], fields) == {0: "category"}


# --------------------------------------------------------------------------- parsing


def table_of(*rows: list[Any], headers: list[str] | None = None) -> Table:
    width = max(len(row) for row in rows)
    return Table(
        name="Risks",
        headers=headers or [f"c{n}" for n in range(width)],
        rows=[list(row) for row in rows],
        first_row_number=2,
    )


def parse_one(kind: Any, value: Any, **spec: Any) -> Any:
    """Parse one cell as a field of ``kind``; return the value or the error."""
    fields = [FieldSpec("f", kind, **spec)]
    result = parse_rows(table_of([value]), {0: "f"}, fields)
    if result.errors:
        return result.errors[0]
    return result.rows[0].values["f"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1,5", Decimal("1.5")),
        ("0.25", Decimal("0.25")),
        ("-3", Decimal("-3")),
        ("€ 1.234.567,89", Decimal("1234567.89")),
        ("1 234,5", Decimal("1234.5")),
        (1234.5, Decimal("1234.5")),
        (0.1, Decimal("0.1")),
        (7, Decimal(7)),
    ],
)
def test_decimals_accept_dutch_and_english_notation(cell: Any, expected: Decimal) -> None:
    assert parse_one("decimal", cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("12", 12), ("-2", -2), ("1.234", 1234), ("1,234", 1234), ("1.234.567", 1234567), (3.0, 3)],
)
def test_ints_accept_thousands_separators_and_whole_floats(cell: Any, expected: int) -> None:
    assert parse_one("int", cell) == expected


@pytest.mark.parametrize(
    ("cell", "day_first", "expected"),
    [
        (datetime(2026, 3, 15, 9, 30), True, date(2026, 3, 15)),
        (date(2026, 3, 15), True, date(2026, 3, 15)),
        ("2026-03-15", True, date(2026, 3, 15)),
        ("2026-03-15T09:30:00+01:00", True, date(2026, 3, 15)),
        ("15-03-2026", True, date(2026, 3, 15)),
        ("15/3/2026", True, date(2026, 3, 15)),
        ("15.03.2026", True, date(2026, 3, 15)),
        ("5-3-2026 14:00", True, date(2026, 3, 5)),
        ("3/15/2026", False, date(2026, 3, 15)),
    ],
)
def test_dates_accept_real_dates_iso_and_day_first_text(
    cell: Any, day_first: bool, expected: date
) -> None:
    fields = [FieldSpec("due", "date")]

    result = parse_rows(table_of([cell]), {0: "due"}, fields, day_first=day_first)

    assert result.rows[0].values == {"due": expected}


@pytest.mark.parametrize("serial", [1, 59, 61, 46096, 46096.75, "46096", 2_958_465])
def test_dates_accept_excel_serial_numbers(serial: Any) -> None:
    assert parse_one("date", serial) == from_excel(float(serial)).date()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("ja", True),
        ("Yes", True),
        ("TRUE", True),
        ("waar", True),
        ("x", True),
        ("1", True),
        (1, True),
        (True, True),
        ("nee", False),
        ("No", False),
        ("false", False),
        ("0", False),
        (0, False),
        (False, False),
    ],
)
def test_booleans_accept_english_and_dutch_words(cell: Any, expected: bool) -> None:
    assert parse_one("bool", cell) is expected


STATUS_CHOICES = {
    "open": ["Open"],
    "in_progress": ["In progress", "In behandeling"],
    "closed": ["Closed", "Gesloten", "Afgehandeld"],
}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("open", "open"),
        ("OPEN", "open"),
        ("in_progress", "in_progress"),
        ("In Progress", "in_progress"),
        ("in behandeling", "in_progress"),
        (" Afgehandéld ", "closed"),
    ],
)
def test_choices_match_any_spelling_ignoring_case_and_accents(cell: str, expected: str) -> None:
    assert parse_one("choice", cell, choices=STATUS_CHOICES) == expected


def test_lists_split_on_commas_and_semicolons() -> None:
    assert parse_one("list", " budget, supplier ;legal;; ") == ["budget", "supplier", "legal"]


@pytest.mark.parametrize("kind", ["person", "ref", "text"])
def test_people_references_and_text_are_the_trimmed_text(kind: str) -> None:
    assert parse_one(kind, "  PRJ-R12  ") == "PRJ-R12"


def test_numbers_in_text_fields_read_as_they_show() -> None:
    assert [parse_one("ref", value) for value in (12, 12.0, 1.5)] == ["12", "12", "1.5"]


def test_empty_optional_cells_are_none_and_empty_lists_are_empty() -> None:
    fields = [FieldSpec("title"), FieldSpec("tags", "list"), FieldSpec("due", "date")]

    result = parse_rows(table_of(["A", None, None]), {0: "title", 1: "tags", 2: "due"}, fields)

    assert result.rows[0].values == {"title": "A", "tags": [], "due": None}


def test_a_row_with_every_mapped_cell_empty_is_skipped() -> None:
    table = table_of(["A", "x"], [None, "only unmapped"], [None, None], ["B", None])
    fields = [FieldSpec("title", required=True)]

    result = parse_rows(table, {0: "title", 1: None}, fields)

    assert result.ok
    assert [(row.number, row.values) for row in result.rows] == [
        (2, {"title": "A"}),
        (5, {"title": "B"}),
    ]


def test_every_bad_row_and_field_is_reported_with_a_code() -> None:
    fields = [
        FieldSpec("title", required=True),
        FieldSpec("score", "int"),
        FieldSpec("cost", "decimal"),
        FieldSpec("due", "date"),
        FieldSpec("done", "bool"),
        FieldSpec("status", "choice", choices={"open": ["Open"], "closed": ["Gesloten"]}),
        FieldSpec("tags", "list", required=True),
    ]
    table = table_of(
        ["Good", "3", "1,5", "15-03-2026", "ja", "Open", "a"],
        [None, "3.5", "lots", "31-02-2026", "maybe", "Unknown", None],
        ["Also good", "three", "1.2.3,4", "15-03-26", "2", "closed", "b"],
        headers=["Title", "Score", "Cost", "Due", "Done", "Status", "Tags"],
    )

    result = parse_rows(table, dict(enumerate(field.key for field in fields)), fields)

    assert result.errors == [
        RowError(3, "title", "required"),
        RowError(3, "score", "invalid_int", {"value": "3.5"}),
        RowError(3, "cost", "invalid_decimal", {"value": "lots"}),
        RowError(3, "due", "invalid_date", {"value": "31-02-2026"}),
        RowError(3, "done", "invalid_bool", {"value": "maybe"}),
        RowError(
            3, "status", "invalid_choice", {"value": "Unknown", "allowed": ["open", "closed"]}
        ),
        RowError(3, "tags", "required"),
        RowError(4, "score", "invalid_int", {"value": "three"}),
        RowError(4, "cost", "invalid_decimal", {"value": "1.2.3,4"}),
        RowError(4, "due", "invalid_date", {"value": "15-03-26"}),
        RowError(4, "done", "invalid_bool", {"value": "2"}),
    ]
    assert not result.ok
    # Each row keeps the fields that did parse, for the preview.
    assert [row.values for row in result.rows] == [
        {
            "title": "Good",
            "score": 3,
            "cost": Decimal("1.5"),
            "due": date(2026, 3, 15),
            "done": True,
            "status": "open",
            "tags": ["a"],
        },
        {},
        {"title": "Also good", "status": "closed", "tags": ["b"]},
    ]


def test_header_problems_are_reported_once_on_the_header_row() -> None:
    fields = [
        FieldSpec("title", required=True),
        FieldSpec("owner"),
        FieldSpec("due", "date", required=True),
    ]
    table = table_of(["A", "Jan", "Piet"], headers=["Title", "Owner", "Eigenaar"])

    result = parse_rows(table, {0: "title", 1: "owner", 2: "owner"}, fields)

    assert result.errors == [
        RowError(1, "owner", "duplicate_mapping", {"columns": ["Owner", "Eigenaar"]}),
        RowError(1, "due", "unmapped_required"),
    ]
    assert result.rows[0].values == {"title": "A", "owner": "Jan"}


def test_a_mapping_to_an_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        parse_rows(table_of(["A"]), {0: "nope"}, [FieldSpec("title")])
