"""The plan pages: outline, task form with conflicts, links, calendar, baselines, import,
export and the Gantt downloads."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schakel.core.importers.mspdi import read_mspdi
from schakel.planning import services
from schakel.planning.models import Baseline, ProjectPlan, Task, TaskLink

MONDAY = datetime.date(2026, 3, 2)
SAMPLE = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "msproject"
    / "projectlibre_New Product.xml"
)  # fmt: skip


@pytest.fixture
def plan(org, manager):
    ProjectPlan.objects.create(project=org.project, start=MONDAY)
    design = services.task_create(project=org.project, by=manager, name="Design", duration=3)
    build = services.task_create(project=org.project, by=manager, name="Build", duration=2)
    services.link_create(predecessor=design, successor=build, by=manager)
    return org.project


def _task(name):
    return Task.objects.get(name=name)


def test_the_outline_escapes_task_names_and_offers_the_moves_to_editors_only(
    client_as, plan, manager, viewer
):
    """The outline's rows are drawn in Python (outline_html): nothing goes out raw."""
    design = _task("Design")
    design.name = '<x-evil onmouseover="alert(1)">'
    design.save()
    url = reverse("planning:project_plan", args=[plan.pk])
    for person, editor in ((manager, True), (viewer, False)):
        text = client_as(person).get(url).content.decode()
        assert "<x-evil" not in text
        assert "&lt;x-evil onmouseover=&quot;alert(1)&quot;&gt;" in text
        indent = reverse("planning:task_indent", args=[design.pk])
        assert (f'action="{indent}"' in text) is editor


def test_the_plan_page_shows_the_outline_with_dates_and_the_critical_path(client_as, plan, viewer):
    page = client_as(viewer).get(reverse("planning:project_plan", args=[plan.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Design" in text and "Build" in text
    assert "6 Mar 2026" in text  # Build finishes on Friday
    assert "badge-critical" in text
    assert reverse("planning:task_create", args=[plan.pk]) not in text  # viewers only read


def test_a_manager_adds_a_task_under_a_summary(client_as, plan, manager):
    client = client_as(manager)
    phase = services.task_create(project=plan, by=manager, name="Phase", duration=1)
    response = client.post(
        reverse("planning:task_create", args=[plan.pk]),
        {"name": "Test", "duration": "4", "constraint": "ASAP", "percent_complete": "0",
         "parent": str(phase.pk)},
    )  # fmt: skip
    assert response.status_code == 302
    test = _task("Test")
    assert test.parent == phase and test.wbs == "3.1"
    assert Task.objects.get(pk=phase.pk).summary


def test_field_errors_keep_what_was_typed(client_as, plan, manager):
    response = client_as(manager).post(
        reverse("planning:task_create", args=[plan.pk]),
        {"name": "Late start", "duration": "2", "constraint": "SNET", "percent_complete": "0"},
    )
    assert response.status_code == 400
    assert "Late start" in response.content.decode()
    assert not Task.objects.filter(name="Late start").exists()


def test_a_stale_edit_is_refused_with_both_values(client_as, plan, manager):
    build = _task("Build")
    data = {"name": "Build it", "duration": "2", "constraint": "ASAP", "percent_complete": "0",
            "version": str(build.version)}  # fmt: skip
    services.task_update(task=build, version=build.version, by=manager, duration=4)

    response = client_as(manager).post(reverse("planning:task_edit", args=[build.pk]), data)

    assert response.status_code == 409
    assert _task("Build").name == "Build"
    assert "Build it" in response.content.decode()


def test_a_task_owner_reports_progress_but_cannot_reshape_the_plan(client_as, plan, member):
    build = _task("Build")
    services.task_update(task=build, version=build.version, by=None, owner=member)
    build = _task("Build")
    client = client_as(member)
    data = {"name": "Renamed", "duration": "9", "constraint": "ASAP", "percent_complete": "50",
            "actual_start": "2026-03-05", "version": str(build.version)}  # fmt: skip

    response = client.post(reverse("planning:task_edit", args=[build.pk]), data)

    assert response.status_code == 302
    build = _task("Build")
    assert (build.name, build.duration, build.percent_complete) == ("Build", 2, 50)
    assert build.actual_start == datetime.date(2026, 3, 5)
    assert client.post(reverse("planning:task_indent", args=[build.pk])).status_code == 403


def test_indent_outdent_and_move_from_the_outline(client_as, plan, manager):
    client = client_as(manager)
    build = _task("Build")
    client.post(reverse("planning:link_delete", args=[TaskLink.objects.get().pk]))
    client.post(reverse("planning:task_indent", args=[build.pk]))
    assert [t.wbs for t in services.outline(plan)] == ["1", "1.1"]
    client.post(reverse("planning:task_outdent", args=[build.pk]))
    client.post(reverse("planning:task_move", args=[build.pk, "up"]))
    assert [t.name for t in services.outline(plan)] == ["Build", "Design"]


def test_links_are_added_on_the_task_page_and_a_loop_is_explained(client_as, plan, manager):
    client = client_as(manager)
    design, build = _task("Design"), _task("Build")

    response = client.post(
        reverse("planning:link_create", args=[design.pk]),
        {"predecessor": str(build.pk), "type": "FS", "lag": "0"},
        follow=True,
    )

    assert "loop" in response.content.decode()
    assert TaskLink.objects.count() == 1


def test_a_baseline_shows_the_slip_of_each_task(client_as, plan, manager):
    client = client_as(manager)
    client.post(reverse("planning:baseline_create", args=[plan.pk]), {"name": "Approved"})
    design = _task("Design")
    services.task_update(task=design, version=design.version, by=manager, duration=5)

    page = client.get(reverse("planning:project_plan", args=[plan.pk])).content.decode()

    assert Baseline.objects.get().name == "Approved"
    assert "+2" in page


def test_a_day_off_on_the_calendar_page_moves_the_plan(client_as, plan, manager):
    client = client_as(manager)
    client.post(
        reverse("planning:plan_settings", args=[plan.pk]),
        {"day-day": "2026-03-03", "day-name": "Team day"},
    )
    assert _task("Design").finish == datetime.date(2026, 3, 5)


def test_import_and_export_ms_project_xml(client_as, org, manager):
    if not SAMPLE.exists():
        pytest.skip("shared samples missing")
    client = client_as(manager)
    upload = SimpleUploadedFile("plan.xml", SAMPLE.read_bytes(), content_type="text/xml")

    response = client.post(reverse("planning:plan_import", args=[org.project.pk]), {"file": upload})

    assert response.status_code == 302
    assert Task.objects.filter(project=org.project).count() == 42
    exported = client.get(reverse("planning:plan_export", args=[org.project.pk]))
    assert exported["Content-Disposition"].endswith('.xml"')
    assert len(read_mspdi(exported.content).tasks) == 42


def test_a_broken_file_is_refused_on_the_form(client_as, org, manager):
    upload = SimpleUploadedFile("plan.xml", b"<Project>", content_type="text/xml")
    response = client_as(manager).post(
        reverse("planning:plan_import", args=[org.project.pk]), {"file": upload}
    )
    assert response.status_code == 400
    assert "cannot be imported" in response.content.decode()


def test_the_gantt_downloads_as_pdf_and_png(client_as, plan, viewer):
    client = client_as(viewer)
    pdf = client.get(reverse("planning:gantt_download", args=[plan.pk, "pdf"]))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Design" in text and "Build" in text
    png = client.get(reverse("planning:gantt_download", args=[plan.pk, "png"]))
    assert png.content.startswith(b"\x89PNG")
    assert client.get(reverse("planning:gantt_download", args=[plan.pk, "svgz"])).status_code == 404


def test_a_long_outline_is_paged_and_its_facts_count_every_task(
    client_as, plan, manager, monkeypatch, django_assert_max_num_queries
):
    from schakel.planning import views

    monkeypatch.setattr(views, "OUTLINE_PAGE", 2)
    test = services.task_create(project=plan, by=manager, name="Test", duration=1)
    services.task_create(project=plan, by=manager, name="Go live", milestone=True)
    client = client_as(manager)
    client.post(reverse("planning:baseline_create", args=[plan.pk]), {"name": "Approved"})
    url = reverse("planning:project_plan", args=[plan.pk])

    first = client.get(url)
    with django_assert_max_num_queries(30):
        second = client.get(url, {"page": "2"})

    assert first.context["task_count"] == 4 and first.context["milestones"] == 1
    assert [r["task"].name for r in first.context["rows"]] == ["Design", "Build"]
    assert [r["task"].name for r in second.context["rows"]] == ["Test", "Go live"]
    assert "Page 2 of 2" in second.content.decode()
    # After an edit the outline opens on the page that shows the task.
    response = client.post(reverse("planning:task_indent", args=[test.pk]))
    assert response.url.endswith(f"?page=2#task-{test.pk}")
