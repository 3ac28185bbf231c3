"""Helpers shared by the import tests: files built the ordinary way, and the upload itself.

(Named test_* so that it sits with the import tests; it holds no tests of its own.)
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from schakel.registers.models_import import ImportJob

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO.parent / "shared" / "samples"


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ";") -> bytes:
    """A CSV file as Excel writes it: one line per row, cells joined by the delimiter."""
    lines = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if delimiter in text or '"' in text or "\n" in text:
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook built with openpyxl, one worksheet per entry."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(
    client: Client,
    project: Any,
    data: bytes,
    *,
    name: str = "register.csv",
    register: str = "risk",
    update: bool = False,
) -> Any:
    """Post a file to the start page; returns the response."""
    payload: dict[str, Any] = {
        "register": register,
        "file": SimpleUploadedFile(name, data),
    }
    if update:
        payload["update"] = "on"
    return client.post(reverse("registers:import_start", args=[project.pk]), payload)


def last_job() -> ImportJob:
    return ImportJob.objects.order_by("-pk").first()  # type: ignore[return-value]


def commit(client: Client, job: ImportJob) -> Any:
    return client.post(reverse("registers:import_commit", args=[job.pk]))


def messages_of(job: ImportJob) -> list[str]:
    """Every problem of a job's preview, as (row, column: message) text."""
    from schakel.registers.imports import problem_message

    kinds = [m.get("kind") for m in job.sheet_mappings()]
    out = []
    for problem in job.preview.get("problems", []):
        kind = kinds[problem["sheet"]] if problem["sheet"] < len(kinds) else None
        out.append(f"{problem['row']} {problem['column']}: {problem_message(problem, kind)}")
    return out


def mapping_post(job: ImportJob, **changes: str) -> dict[str, str]:
    """The review form as a browser posts it: every select with its value, some changed."""
    from schakel.registers.forms_import import ImportMappingForm

    form = ImportMappingForm(job)
    data = {name: str(field.initial or "") for name, field in form.fields.items()}
    data.pop("update")
    if job.update_existing:
        data["update"] = "on"
    return data | {name.replace("_", "-"): value for name, value in changes.items()}
