"""Background tasks of the registers, run by `schakel worker`."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from . import digest

DIGEST_INTERVAL = datetime.timedelta(hours=1)


@task()
def send_due_digests() -> int:
    """Send the digests that are due, then queue the next round an hour from now."""
    sent = digest.send_due()
    schedule_digests(after=timezone.now() + DIGEST_INTERVAL)
    return sent


def schedule_digests(*, after: datetime.datetime | None = None) -> None:
    """Queue the next digest round unless one is already waiting (several workers share it).

    Only a backend that can run tasks later (the database queue) keeps the round going.
    """
    from django_tasks_db.models import DBTaskResult

    if not send_due_digests.get_backend().supports_defer:
        return
    waiting = DBTaskResult.objects.filter(
        task_path=send_due_digests.module_path, status="READY"
    ).exists()
    if waiting:
        return
    send_due_digests.using(run_after=after).enqueue()


@task()
def run_import(job_id: int) -> dict[str, object]:
    """Commit a large import (all rows or none) while its page polls the progress."""
    from .imports import job_run
    from .models import ImportJob

    job = ImportJob.objects.select_related("user", "project__programme__portfolio").get(pk=job_id)
    if job.status != ImportJob.Status.RUNNING:
        return {"status": job.status}
    job = job_run(job)
    return {"status": job.status, "result": job.result, "error": job.error}
