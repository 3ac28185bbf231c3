"""Background tasks of progress reporting, run by `schakel worker`."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from . import reminders

REMINDER_INTERVAL = datetime.timedelta(days=1)


@task()
def send_due_reminders() -> int:
    """Send today's report reminders, then queue the next round a day from now.

    Running more often than daily would do no harm (`ReminderLog` stops repeats); daily
    is enough because reminders fall on calendar days.
    """
    sent = reminders.send_due()
    schedule_reminders(after=timezone.now() + REMINDER_INTERVAL)
    return sent


def schedule_reminders(*, after: datetime.datetime | None = None) -> None:
    """Queue the next reminder round unless one is already waiting (workers share it).

    Only a backend that can run tasks later (the database queue) keeps the round going.
    """
    from django_tasks_db.models import DBTaskResult

    if not send_due_reminders.get_backend().supports_defer:
        return
    waiting = DBTaskResult.objects.filter(
        task_path=send_due_reminders.module_path, status="READY"
    ).exists()
    if waiting:
        return
    send_due_reminders.using(run_after=after).enqueue()


@task()
def make_export(export_id: int) -> dict[str, object]:
    """Make a large consolidated report's file while its page shows the progress."""
    from . import exports
    from .models import ReportExport

    export = (
        ReportExport.objects.select_related(
            "user", "cycle__programme__portfolio", "cycle__portfolio"
        )
        .filter(pk=export_id)
        .first()
    )
    if export is None:
        return {"status": "gone"}
    export = exports.run(export)
    return {"status": export.status, "size": export.size}
