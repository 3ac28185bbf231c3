"""Exports of the consolidated report through the API: made, fetched, and only by their
owner, only while they still see the same projects."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pptx import Presentation

from schakel.reporting import services
from schakel.reporting.models import ReportExport
from schakel.reporting.tests.pages import make_cycle, start
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _published(org, pmo, manager):
    """A cycle with ODI's report of the current period published, amber on budget."""
    cycle = make_cycle(org, pmo)
    report = start(cycle, org.project, manager)
    ratings = dict.fromkeys(cycle.dimension_keys, ("green", ""))
    ratings["budget"] = ("amber", "Supplier invoice late")
    report = services.report_update(
        report=report,
        version=report.version,
        by=manager,
        ratings=ratings,
        overall="amber",
        overall_reason="Budget",
        summary="Going well.",
    )
    report = services.report_submit(report=report, version=report.version, by=manager)
    report = services.report_approve(report=report, version=report.version, by=pmo)
    services.report_publish(report=report, version=report.version, by=pmo)
    return cycle


def _export(client, cycle, kind, **extra):
    return client.post(
        f"{API}/reporting-cycles/{cycle.pk}/exports/", {"kind": kind, **extra}, format="json"
    )


def _download(client, data):
    return client.get(f"{API}/report-exports/{data['id']}/download/")


def test_a_powerpoint_is_made_at_once_and_downloaded(org, pmo, manager):
    cycle = _published(org, pmo, manager)
    client = api_client(pmo)
    made = _export(client, cycle, "pptx")
    assert made.status_code == 201, made.json()
    data = made.json()
    assert (data["status"], data["percent"], data["kind"]) == ("done", 100, "pptx")
    assert data["download"].endswith(f"/api/v1/report-exports/{data['id']}/download/")
    response = _download(client, data)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("presentationml.presentation")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    deck = Presentation(io.BytesIO(response.content))
    cells = [
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert "ODI" in " ".join(cells)
    assert "Supplier invoice late" in " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ) + " ".join(cells)


def test_an_excel_file_holds_the_ratings(org, pmo, manager):
    cycle = _published(org, pmo, manager)
    client = api_client(pmo)
    made = _export(client, cycle, "xlsx")
    assert made.status_code == 201
    response = _download(client, made.json())
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = {
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert "ODI" in values
    assert any("Supplier invoice late" in v for v in values)


def test_a_pdf_is_a_pdf(org, pmo, manager):
    cycle = _published(org, pmo, manager)
    client = api_client(pmo)
    response = _download(client, _export(client, cycle, "pdf").json())
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_unknown_kind_or_period_is_refused(org, pmo):
    cycle = make_cycle(org, pmo)
    client = api_client(pmo)
    assert _export(client, cycle, "docx").status_code == 400
    end = services.reporting_period(cycle).end.replace(day=13)
    refused = _export(client, cycle, "pdf", period=end.isoformat())
    assert refused.status_code == 400 and "period" in refused.json()
    assert not ReportExport.objects.exists()


def test_an_export_is_only_its_owners(org, pmo, manager, member, outsider):
    cycle = _published(org, pmo, manager)
    data = _export(api_client(manager), cycle, "xlsx").json()
    for user in (pmo, member):
        client = api_client(user)
        assert client.get(f"{API}/report-exports/{data['id']}/").status_code == 404
        assert _download(client, data).status_code == 404
    assert _export(api_client(outsider), cycle, "xlsx").status_code == 404
    assert api_client(manager).get(f"{API}/report-exports/{data['id']}/").status_code == 200


def test_a_file_made_for_other_projects_is_refused_with_409(org, pmo, manager):
    cycle = _published(org, pmo, manager)
    client = api_client(manager)
    data = _export(client, cycle, "xlsx").json()
    assert _download(client, data).status_code == 200
    # POL stops reporting: the manager now sees other projects than the file holds.
    services.cycle_update(cycle=cycle, version=cycle.version, by=pmo, projects=[org.project])
    response = _download(client, data)
    assert response.status_code == 409
    assert response.json()["detail"] == ("The projects you see have changed; start a new export.")


def test_a_large_export_is_queued_and_shows_its_progress(org, pmo, manager, settings, monkeypatch):
    # A worker that never runs, and every report "large": the export waits in the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr("schakel.reporting.exports.SYNC_PROJECTS", 0)
    cycle = _published(org, pmo, manager)
    client = api_client(pmo)
    made = _export(client, cycle, "pdf")
    assert made.status_code == 202, made.json()
    data = made.json()
    assert (data["status"], data["download"], data["total"]) == ("queued", None, 2)
    shown = client.get(f"{API}/report-exports/{data['id']}/").json()
    assert shown["status"] == "queued" and shown["percent"] == 0
    assert _download(client, data).status_code == 404
