"""The consolidated report page, the PMO's key messages and the downloads."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pptx import Presentation

from schakel.reporting import exports, services
from schakel.reporting.models import PeriodNote, ReportExport

from .pages import make_cycle, report_data, start


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cycle(org, pmo):
    return make_cycle(org, pmo)


@pytest.fixture
def approved(cycle, org, manager, pmo, client_as):
    """ODI's report of the period, filled in through the page, submitted and approved."""
    report = start(cycle, org.project, manager)
    client = client_as(manager)
    data = report_data(
        report, colour="amber", reason="Supplier late", escalations="Need a decision"
    )
    client.post(reverse("reporting:report_edit", args=[report.pk]), data)
    report.refresh_from_db()
    report = services.report_submit(report=report, version=report.version, by=manager)
    return services.report_approve(report=report, version=report.version, by=pmo)


def _page(client, cycle):
    return client.get(reverse("reporting:cycle_report", args=[cycle.pk]))


def test_the_page_shows_the_overview_escalations_and_the_project(
    client_as, cycle, approved, viewer
):
    response = _page(client_as(viewer), cycle)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Org design" in page
    assert 'title="Schedule: Amber — Supplier late"' in page
    assert "Need a decision" in page
    # The viewer sees ODI only: POL is left out, not blanked.
    assert "Policy" not in page
    # Viewers read; only the PMO writes the key messages.
    assert 'name="key_messages"' not in page


def test_a_project_without_a_report_is_listed_as_not_received(client_as, cycle, approved, pmo):
    page = _page(client_as(pmo), cycle).content.decode()
    assert "No report received · Not started" in page


def test_the_pmo_writes_key_messages_and_a_stale_save_keeps_the_text(client_as, cycle, pmo):
    client = client_as(pmo)
    url = reverse("reporting:key_messages", args=[cycle.pk])
    period = services.reporting_period(cycle).end.isoformat()
    response = client.post(url, {"period": period, "key_messages": "On track.", "version": "0"})
    assert response.status_code == 302
    note = PeriodNote.objects.get()
    assert note.key_messages == "On track."
    assert "On track." in _page(client, cycle).content.decode()

    stale = client.post(
        url, {"period": period, "key_messages": "My lost words", "version": "0"}, follow=True
    )
    note.refresh_from_db()
    assert note.key_messages == "On track."
    assert "My lost words" in stale.content.decode()


def test_key_messages_are_the_pmos(client_as, cycle, manager):
    url = reverse("reporting:key_messages", args=[cycle.pk])
    response = client_as(manager).post(url, {"key_messages": "Mine", "version": "0"})
    assert response.status_code == 403
    assert not PeriodNote.objects.exists()


def test_a_small_report_downloads_at_once_as_powerpoint(client_as, cycle, approved, pmo):
    client = client_as(pmo)
    response = client.post(reverse("reporting:export_start", args=[cycle.pk, "pptx"]))
    assert response.status_code == 302
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.pptx"')
    assert download["X-Content-Type-Options"] == "nosniff"
    deck = Presentation(io.BytesIO(download.content))
    texts = [
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    assert any("Org design" in text for text in texts)
    tables = [s.table for slide in deck.slides for s in slide.shapes if s.has_table]
    cells = [cell.text for table in tables for row in table.rows for cell in row.cells]
    assert any("ODI" in cell for cell in cells)


def test_excel_has_a_row_per_project_per_dimension(client_as, cycle, approved, pmo):
    client = client_as(pmo)
    response = client.post(reverse("reporting:export_start", args=[cycle.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(client.get(response["Location"]).content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    odi = [row for row in rows if row and "ODI" in row]
    assert len(odi) >= len(cycle.dimension_keys)


def test_an_unknown_kind_is_404(client_as, cycle, pmo):
    response = client_as(pmo).post(reverse("reporting:export_start", args=[cycle.pk, "docx"]))
    assert response.status_code == 404
    assert not ReportExport.objects.exists()


def test_an_outsider_cannot_start_an_export(client_as, cycle, outsider):
    response = client_as(outsider).post(reverse("reporting:export_start", args=[cycle.pk, "pdf"]))
    assert response.status_code == 404


def test_a_large_report_is_made_by_the_worker_and_the_page_follows_it(
    client_as, cycle, approved, pmo, monkeypatch
):
    monkeypatch.setattr(exports, "SYNC_PROJECTS", 0)
    seen = []

    def render(data, kind, progress=None):
        seen.append(kind)
        return b"%PDF-1.7 x"

    monkeypatch.setattr(exports, "render", render)
    client = client_as(pmo)
    response = client.post(reverse("reporting:export_start", args=[cycle.pk, "pdf"]))
    export = ReportExport.objects.get()
    # It went through the worker's task (which the test settings run at once).
    assert export.task_id
    assert seen == ["pdf"]
    assert response["Location"] == reverse("reporting:export_download", args=[export.pk])
    polled = client.get(
        reverse("reporting:export_status", args=[export.pk]), headers={"HX-Request": "true"}
    )
    assert polled["HX-Redirect"] == reverse("reporting:export_download", args=[export.pk])


def test_the_progress_page_says_how_far_it_is_and_when_the_worker_is_missing(client_as, cycle, pmo):
    export = ReportExport.objects.create(
        user=pmo, cycle=cycle, period_end=services.reporting_period(cycle).end, kind="pdf",
        done=40, total=200,
    )  # fmt: skip
    ReportExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page = client_as(pmo).get(reverse("reporting:export_status", args=[export.pk]))
    text = page.content.decode()
    assert "40 of 200 projects" in text
    assert "schakel worker" in text
    assert 'hx-trigger="every 1s"' in text


def test_someone_elses_download_is_404(client_as, cycle, approved, pmo, manager):
    export = exports.start(
        cycle=cycle, period=services.reporting_period(cycle), kind="xlsx", user=pmo,
        language="en",
    )  # fmt: skip
    for name in ("reporting:export_status", "reporting:export_download"):
        assert client_as(manager).get(reverse(name, args=[export.pk])).status_code == 404


def test_a_download_is_refused_when_the_reader_sees_other_projects_now(
    client_as, cycle, approved, manager, org
):
    export = exports.start(
        cycle=cycle, period=services.reporting_period(cycle), kind="xlsx", user=manager,
        language="en",
    )  # fmt: skip
    assert export.status == ReportExport.Status.DONE
    manager.memberships.all().delete()
    from schakel.accounts.models import Membership, Role

    Membership.objects.create(user=manager, project=org.project, role=Role.MANAGER)
    response = client_as(manager).get(reverse("reporting:export_download", args=[export.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reporting:cycle_report", args=[cycle.pk]))


def test_a_failing_renderer_marks_the_export_failed(client_as, cycle, pmo, monkeypatch):
    def broken(data, kind, progress=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(exports, "render", broken)
    export = exports.start(
        cycle=cycle, period=services.reporting_period(cycle), kind="pptx", user=pmo,
        language="en",
    )  # fmt: skip
    assert export.status == ReportExport.Status.FAILED
    page = client_as(pmo).get(reverse("reporting:export_status", args=[export.pk]))
    assert "could not be made" in page.content.decode()
    assert (
        client_as(pmo).get(reverse("reporting:export_download", args=[export.pk])).status_code
        == 302
    )


def test_old_exports_are_removed_with_their_files(cycle, approved, pmo):
    export = exports.start(
        cycle=cycle, period=services.reporting_period(cycle), kind="xlsx", user=pmo,
        language="en",
    )  # fmt: skip
    path = exports.export_dir() / export.stored_name
    assert path.exists()
    assert exports.purge(timezone.now() + exports.KEEP + datetime.timedelta(minutes=1)) == 1
    assert not path.exists()
    assert not ReportExport.objects.exists()


def test_the_project_page_shows_the_trend_per_dimension(client_as, cycle, approved, org, viewer):
    page = client_as(viewer).get(reverse("reporting:project_reports", args=[org.project.pk]))
    text = page.content.decode()
    period = services.reporting_period(cycle)
    assert f"Schedule, {period.end:%d-%m-%Y}: Amber" in text
    assert "Trend · Monthly report" in text


def test_the_page_needs_as_many_queries_for_six_projects_as_for_one(
    client_as, cycle, approved, org, pmo, manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schakel.accounts.models import Membership, Role
    from schakel.portfolio.tests.factories import ProjectFactory

    client = client_as(pmo)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert _page(client, cycle).status_code == 200
        return len(queries)

    few = count()
    period = services.reporting_period(cycle)
    for n in range(5):
        project = ProjectFactory(programme=org.programme, key=f"P{n}", name=f"Project {n}")
        Membership.objects.create(user=manager, project=project, role=Role.MANAGER)
        cycle.projects.add(project)
        report = services.report_start(cycle=cycle, project=project, period=period, by=manager)
        report = services.report_update(
            report=report, version=report.version, by=manager, overall="green",
            ratings=dict.fromkeys(cycle.dimension_keys, ("green", "")),
        )  # fmt: skip
        report = services.report_submit(report=report, version=report.version, by=manager)
        services.report_approve(report=report, version=report.version, by=pmo)
    assert count() == few
