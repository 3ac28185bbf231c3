"""`schakel worker`: run the background tasks queued in the database."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    """Run django-tasks' database worker under our own name.

    Subclassing (rather than re-implementing) passes every option of `db_worker` through
    unchanged: `--queue-name` (comma-separated, `*` for all), `--interval` (seconds between
    polls of an empty queue), `--batch` (run what is queued, then exit), `--max-tasks`,
    `--worker-id`, `--backend`, `--no-startup-delay` and `--reload`. Run as many workers as
    the load needs, on one or several machines: each claims a task in a transaction, so no
    task runs twice.
    """

    help = (
        "Run background tasks (e-mail, exports, reminders) from the database queue. "
        "Options are those of django-tasks' db_worker; --batch exits when the queue is empty."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Periodic jobs queue themselves again when they run; starting a worker makes sure
        # the first round is queued (a no-op when one is already waiting).
        from schakel.registers.tasks import schedule_digests
        from schakel.reporting.tasks import schedule_reminders

        schedule_digests()
        schedule_reminders()
        super().handle(*args, **options)
