"""Uploads: a bad file is a clear error on the form and leaves nothing behind; a good one is
stored under a name of our own."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from schakel.core.importers import tabular
from schakel.core.importers.tabular import ImportFileError
from schakel.registers import imports
from schakel.registers.models_import import ImportJob

from .test_import_support import csv_bytes, last_job, upload, xlsx_bytes

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FILE_ERROR_CODES = (
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
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return (
        sorted(p.name for p in (root / "imports").glob("*")) if (root / "imports").exists() else []
    )


def file_errors(response):
    return response.context["form"].errors.get("file", [])


@pytest.mark.parametrize("code", FILE_ERROR_CODES)
def test_every_file_error_code_is_a_translated_message_on_the_form(
    client_as, org, member, monkeypatch, code, _media
):
    params = {"sheet": "Risks", "max_rows": 50_000, "size": 11 << 20, "max_bytes": 10 << 20}

    def refuse(*args, **kwargs):
        raise ImportFileError(code, params)

    monkeypatch.setattr(tabular, "read_workbook", refuse)

    response = upload(client_as(member), org.project, csv_bytes([["Title"], ["A"]]))

    assert response.status_code == 200
    [message] = file_errors(response)
    assert message == imports.file_error_message(ImportFileError(code, params))
    assert message != imports.file_error_message(ImportFileError("no-such-code"))
    assert ImportJob.objects.count() == 0
    assert stored_files(_media) == []


def test_the_messages_differ_per_code_and_name_what_to_do():
    messages = {
        code: imports.file_error_message(ImportFileError(code)) for code in FILE_ERROR_CODES
    }

    assert len(set(messages.values())) == len(FILE_ERROR_CODES)
    assert "xlsx" in messages["xls_not_supported"]
    assert "password" in messages["encrypted"]


def zip_with_encrypted_members() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name in ("[Content_Types].xml", "xl/workbook.xml"):
            archive.writestr(name, b"ciphertext")
    data = bytearray(output.getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + flags_at] |= 0x1
            start = data.find(signature, start + 4)
    return bytes(data)


def zip_bomb() -> bytes:
    good = xlsx_bytes({"Risks": [["Title"], ["A"]]})
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/media/x.bin", bytes(30 << 20))
    return output.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (OLE2 + b"\x00" * 504 + "Workbook".encode("utf-16-le"), "risks.xls", "old Excel file"),
        (OLE2 + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"), "r.xlsx", "password"),
        (zip_with_encrypted_members(), "r.xlsx", "password"),
        (b"Title;Owner\r\n", "r.csv", "no rows to import"),
        (b"PK\x03\x04" + b"\x00garbage" * 20, "r.xlsx", "cannot be read"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "r.png", "neither an Excel"),
        (zip_bomb(), "r.xlsx", "far more data"),
    ],
    ids=["xls", "encrypted", "encrypted-zip", "header-only", "corrupt", "png", "zip-bomb"],
)
def test_real_bad_files_are_refused_with_a_clear_message(
    client_as, org, member, data, name, expected, _media
):
    response = upload(client_as(member), org.project, data, name=name)

    assert response.status_code == 200
    assert expected in " ".join(file_errors(response))
    assert ImportJob.objects.count() == 0
    assert stored_files(_media) == []


def test_an_empty_upload_is_refused(client_as, org, member):
    response = upload(client_as(member), org.project, b"")

    assert response.status_code == 200
    assert "The file is empty" in " ".join(file_errors(response))


def test_a_file_over_the_limit_is_refused_from_its_size_before_it_is_read(
    client_as, org, member, monkeypatch, _media
):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1000)

    def must_not_read(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(tabular, "read_workbook", must_not_read)

    response = upload(client_as(member), org.project, b"Title\r\n" + b"x\r\n" * 600)

    assert response.status_code == 200
    assert file_errors(response) == [
        "The file is 1.8\xa0KB; files up to 1000\xa0bytes can be imported."
    ]
    assert stored_files(_media) == []


def test_too_many_rows_names_the_sheet(client_as, org, member, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)

    response = upload(
        client_as(member),
        org.project,
        csv_bytes([["Title"], ["a"], ["b"], ["c"], ["d"]]),
        name="lijst.csv",
    )

    assert file_errors(response) == [
        "The sheet “lijst” has more than 3 rows. Split it into smaller files."
    ]


def test_a_good_file_is_kept_under_a_name_of_our_own(client_as, org, member, _media):
    response = upload(
        client_as(member),
        org.project,
        csv_bytes([["Title", "Probability", "Impact"], ["A", 1, 2]]),
        name="../../etc/passwd;evil name.csv",
    )

    job = last_job()
    assert response.status_code == 302
    assert re.fullmatch(r"imports/[0-9a-f]{32}", job.stored_name)
    assert (_media / job.stored_name).read_bytes().startswith(b"Title;")
    assert job.original_name == "passwd;evil name.csv"
    assert (job.user, job.project, job.kind, job.status) == (
        member,
        org.project,
        "risk",
        ImportJob.Status.PREVIEWED,
    )
    assert job.options == {"update": False}
