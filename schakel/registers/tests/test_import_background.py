"""Large files are committed by a background task while the page polls the progress."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from schakel.registers import imports, tasks
from schakel.registers.models import Action
from schakel.registers.models_import import ImportJob

from .test_import_support import commit, csv_bytes, last_job, upload

STATUS_REGION = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "import-status"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def enqueued():
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append(task_result.task.name)

    task_enqueued.connect(record)
    yield seen
    task_enqueued.disconnect(record)


def test_a_file_of_more_than_500_rows_is_committed_by_the_background_task(
    client_as, org, member, enqueued
):
    rows = [["Title", "Owner"]] + [[f"Action {n}", "member"] for n in range(501)]
    client = client_as(member)
    upload(client, org.project, csv_bytes(rows), register="action")
    job = last_job()
    page = client.get(reverse("registers:import_review", args=[job.pk])).content.decode()
    assert "imported in the background" in page

    commit(client, job)

    assert enqueued == ["run_import"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.rows_done, job.rows_total) == (501, 501)
    assert Action.objects.filter(project=org.project).count() == 501


def test_a_small_file_is_committed_in_the_request(client_as, org, member, enqueued):
    client = client_as(member)
    upload(client, org.project, csv_bytes([["Title"], ["Call"]]), register="action")

    commit(client, last_job())

    assert enqueued == []
    assert Action.objects.count() == 1


def running_job(member, org, done, total):
    job = ImportJob.objects.create(
        user=member,
        project=org.project,
        kind="action",
        original_name="big.csv",
        stored_name=ImportJob.new_stored_name(),
        status=ImportJob.Status.RUNNING,
        rows_total=total,
    )
    imports._write_progress(job, done, total)
    return job


def test_the_progress_region_polls_every_two_seconds_while_the_import_runs(client_as, org, member):
    job = running_job(member, org, 1200, 10_000)
    client = client_as(member)

    response = client.get(reverse("registers:import_review", args=[job.pk]), **STATUS_REGION)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="import-status"')
    assert 'hx-trigger="every 2s"' in page
    assert "1,200 of 10,000 rows…" in page
    assert '<progress class="import-progress" max="10000" value="1200">' in page
    assert response["Vary"] == "HX-Request, Cookie" or "HX-Request" in response["Vary"]


def test_the_progress_region_shows_the_summary_and_stops_polling_when_done(client_as, org, member):
    job = running_job(member, org, 500, 501)
    job.status = ImportJob.Status.DONE
    job.rows_done = 501
    job.result = {"created": {"action": 501}, "updated": {}, "refs": {"action": []}, "total": 501}
    job.save()

    page = (
        client_as(member)
        .get(reverse("registers:import_review", args=[job.pk]), **STATUS_REGION)
        .content.decode()
    )

    assert "hx-trigger" not in page
    assert "Actions: 501 created" in page


def test_a_task_that_died_marks_its_job_failed(client_as, org, member, monkeypatch):
    job = running_job(member, org, 10, 600)
    job.task_id = "abc"
    job.save()
    died = SimpleNamespace(status="FAILED", task=tasks.run_import)
    monkeypatch.setattr(ImmediateBackend, "get_result", lambda self, result_id: died)

    page = (
        client_as(member)
        .get(reverse("registers:import_review", args=[job.pk]), **STATUS_REGION)
        .content.decode()
    )

    assert "The import stopped unexpectedly." in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_the_task_leaves_a_job_that_is_not_running_alone(org, member):
    job = running_job(member, org, 0, 10)
    job.status = ImportJob.Status.DONE
    job.save()

    assert tasks.run_import.call(job.pk) == {"status": "done"}


def test_an_import_no_worker_picks_up_says_it_waits_for_the_worker(
    client_as, org, member, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = [["Title", "Owner"]] + [[f"Action {n}", "member"] for n in range(501)]
    client = client_as(member)
    upload(client, org.project, csv_bytes(rows), register="action")
    job = last_job()
    commit(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.task_id
    review = reverse("registers:import_review", args=[job.pk])

    def notice() -> bool:
        region = client.get(review, **STATUS_REGION).content.decode()
        page = client.get(review).content.decode()
        assert ("import-waiting" in region) == ("import-waiting" in page)
        return "import-waiting" in page

    assert not notice()  # just queued: a worker may well pick it up in a moment
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=job.updated_at - imports.WAITING_TOO_LONG * 2
    )
    assert notice()
    assert Action.objects.filter(project=org.project).count() == 0

    # A worker took it a moment ago.
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", started_at=timezone.now())
    assert not notice()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
