"""MS Project XML through the API: download, upload, round trip, bad files, access."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schakel.planning import services
from schakel.planning.models import Baseline, ProjectPlan, Task, TaskLink
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def _upload(user, project, data, **form):
    return api_client(user).post(
        f"{API}/schedules/{project.pk}/mspdi/",
        {"file": SimpleUploadedFile("plan.xml", data, content_type="application/xml"), **form},
        format="multipart",
    )


@pytest.fixture
def planned(org, manager):
    ProjectPlan.objects.create(project=org.project, start=MONDAY)
    phase = services.task_create(project=org.project, by=manager, name="Phase")
    design = services.task_create(
        project=org.project, by=manager, name="Design", duration=3, parent=phase
    )
    build = services.task_create(
        project=org.project, by=manager, name="Build", duration=2, parent=phase
    )
    services.link_create(predecessor=design, successor=build, by=manager)
    services.baseline_create(project=org.project, name="Signed off", by=manager)
    return org.project


def test_an_export_imported_into_another_project_gives_the_same_plan(planned, org, manager):
    download = api_client(manager).get(f"{API}/schedules/{planned.pk}/mspdi/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]

    imported = _upload(manager, org.sibling, download.content)

    assert imported.status_code == 200, imported.json()
    assert imported.json() | {"warnings": []} == {
        "tasks": 3, "links": 1, "baselines": 1, "warnings": []
    }  # fmt: skip

    def shape(project):
        return list(
            Task.objects.filter(project=project)
            .order_by("order")
            .values_list("wbs", "name", "duration", "start", "finish", "summary")
        )

    assert shape(org.sibling) == shape(planned)
    assert TaskLink.objects.filter(successor__project=org.sibling).count() == 1


def test_a_plan_is_replaced_only_when_asked(planned, manager):
    data = api_client(manager).get(f"{API}/schedules/{planned.pk}/mspdi/").content

    refused = _upload(manager, planned, data)
    replaced = _upload(manager, planned, data, replace="true")

    assert refused.status_code == 400 and "file" in refused.json()
    assert replaced.status_code == 200 and Task.objects.filter(project=planned).count() == 3


def test_a_bad_file_is_refused_on_the_file_field(org, manager):
    response = _upload(manager, org.project, b"<not really xml")

    assert response.status_code == 400 and "file" in response.json()
    assert not Task.objects.exists()


def test_an_upload_needs_a_file(org, manager):
    response = api_client(manager).post(f"{API}/schedules/{org.project.pk}/mspdi/", {})

    assert response.status_code == 400 and "file" in response.json()


def test_hidden_projects_answer_404_and_viewers_may_not_import(planned, org, manager, viewer):
    data = api_client(manager).get(f"{API}/schedules/{planned.pk}/mspdi/").content

    hidden_get = api_client(viewer).get(f"{API}/schedules/{org.other_project.pk}/mspdi/")
    hidden_post = _upload(viewer, org.other_project, data)
    by_viewer = _upload(viewer, org.sibling, data)
    own_project = _upload(viewer, planned, data, replace="true")

    assert (hidden_get.status_code, hidden_post.status_code) == (404, 404)
    assert (by_viewer.status_code, own_project.status_code) == (404, 403)
    assert Baseline.objects.count() == 1


def test_a_file_over_25_mb_is_refused_before_it_is_read(org, manager, monkeypatch):
    from schakel.planning import api, transfer

    monkeypatch.setattr(api, "MAX_UPLOAD", 10)
    monkeypatch.setattr(transfer, "import_plan", pytest.fail)

    response = _upload(manager, org.project, b"<Project>" + b" " * 200_000 + b"</Project>")

    assert response.status_code == 400 and "25 MB" in response.json()["file"][0]
