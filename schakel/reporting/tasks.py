"""Background tasks of progress reporting, run by `schakel worker`."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from . import reminders

REMINDER_INTERVAL = datetime.timedelta(days=1)
# When some reminders could not be sent (the mail server was down), the next round comes
# this much sooner; it sends only what is still missing from `ReminderLog`.
REMINDER_RETRY = datetime.timedelta(hours=1)


@task()
def send_due_reminders() -> int:
    """Send today's report reminders, then queue the next round a day from now.

    Running more often than daily would do no harm (`ReminderLog` stops repeats); daily
    is enough because reminders fall on calendar days. When some could not be sent, the
    next round is an hour from now; the round is queued again even if this one fails.
    """
    retry_soon = True  # until the round has run
    try:
        sent, failed = reminders.send_due_counting()
        retry_soon = failed > 0
        from .pdf_cache import DiskPageCache

        DiskPageCache().prune()
    finally:
        wait = REMINDER_RETRY if retry_soon else REMINDER_INTERVAL
        schedule_reminders(after=timezone.now() + wait)
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


@task()
def warm_report_pages(cycle_id: int, period_end: str) -> int:
    """Print the PDF pages of a period's approved reports ahead of the board's download."""
    from .models import ReportingCycle
    from .pdf_cache import warm

    cycle = ReportingCycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return 0
    return warm(cycle, datetime.date.fromisoformat(period_end))


def schedule_warming(cycle_id: int, period_end: datetime.date) -> None:
    """Queue the printing of a period's pages once, after the change is committed.

    Off where settings say so (the tests, which run tasks at once); a round already
    waiting for the same period covers this change too.
    """
    from django.conf import settings
    from django.db import transaction

    if not getattr(settings, "SCHAKEL_WARM_REPORT_PAGES", True):
        return

    def enqueue() -> None:
        backend = warm_report_pages.get_backend()
        if backend.supports_defer:
            from django_tasks_db.models import DBTaskResult

            waiting = DBTaskResult.objects.filter(
                task_path=warm_report_pages.module_path,
                status="READY",
                args_kwargs__args=[cycle_id, period_end.isoformat()],
            ).exists()
            if waiting:
                return
        warm_report_pages.enqueue(cycle_id, period_end.isoformat())

    transaction.on_commit(enqueue)
