"""The other side of `test_import_crash`: steps run in a process of their own.

`python -m schakel.registers.tests.import_crash_helper STEP` with DATABASE_URL and
SCHAKEL_VAR_DIR pointing at the database and folder under test; each step prints one JSON
line. Steps: `setup ROWS` (migrate if the database is empty, make a project with some items,
upload a file of ROWS risks and queue its import), `dump` (every row of every table but the
task queue and the import jobs, and the job's state), `restart` (what the import page does
with a job it finds running, `job_check_task`, then its "Import" button if the job failed),
`result` (the job's state, the project's risks, their history entries and tags).
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from typing import Any

KEPT_OUT = ("django_tasks_database_dbtaskresult", "registers_importjob")


def _setup(rows: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    if "registers_risk" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)

    from schakel.accounts.models import Membership, Role
    from schakel.accounts.tests.factories import UserFactory
    from schakel.portfolio.tests.factories import (
        PortfolioFactory,
        ProgrammeFactory,
        ProjectFactory,
    )
    from schakel.registers import imports
    from schakel.registers.tasks import schedule_digests
    from schakel.registers.tests import factories
    from schakel.registers.tests.test_import_support import csv_bytes
    from schakel.reporting.tasks import schedule_reminders

    # The worker queues the hourly digest and reminder rounds unless one is waiting; queue
    # them far ahead, so that the worker runs the import and nothing else.
    later = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    schedule_digests(after=later)
    schedule_reminders(after=later)

    programme = ProgrammeFactory(portfolio=PortfolioFactory(name="Crash"), name="Crash test")
    project = ProjectFactory(programme=programme, key="CRA", name="Crash test")
    user = UserFactory(username="importer")
    Membership.objects.create(user=user, project=project, role=Role.MEMBER)
    # Items from before the import, with history and tags, that must stay exactly as they are.
    for n in range(3):
        risk = factories.risk(project, user, title=f"Earlier risk {n}")
        factories.action(project, user, title=f"Earlier action {n}", source=risk)

    table: list[list[Any]] = [["Title", "Probability", "Impact", "Tags"]]
    table += [[f"Imported risk {n}", 1 + n % 5, 1 + n % 4, f"batch{n % 7}"] for n in range(rows)]
    job = imports.job_start(
        user=user, project=project, kind="risk", data=csv_bytes(table), filename="big.csv"
    )
    assert job.preview.get("total") == rows, job.preview
    job = imports.job_commit(job, background=True)
    return {"job": job.pk, "status": job.status, "stored": job.stored_name}


def _dump() -> dict[str, Any]:
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            if name in KEPT_OUT:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # noqa: S608 # nosec B608 # table names from introspection
            rows = sorted(repr(row) for row in cursor.fetchall())
            tables[name] = rows
        if connection.vendor == "sqlite":
            # Not listed by the introspection, and rolled back with the rest.
            cursor.execute("SELECT * FROM sqlite_sequence")
            tables["sqlite_sequence"] = sorted(repr(row) for row in cursor.fetchall())
    return tables


def _job() -> dict[str, Any]:
    from schakel.registers.models_import import ImportJob

    job = ImportJob.objects.get()
    return {
        "job": job.pk,
        "status": job.status,
        "error": job.error,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "result": job.result,
    }


def _restart() -> dict[str, Any]:
    """What the page does: check the running job; then press "Import" again if it failed."""
    from schakel.registers import imports
    from schakel.registers.models_import import ImportJob

    # The worker was killed a moment ago: no need to wait for a slow one to take its lock.
    imports.LOCK_GRACE = datetime.timedelta(0)
    imports.job_check_task(ImportJob.objects.get())
    checked = _job()
    if checked["status"] == ImportJob.Status.FAILED:
        imports.job_commit(ImportJob.objects.get(), background=True)
    return {"checked": checked, "restarted": _job()}


def _count() -> dict[str, Any]:
    from schakel.registers.models import Risk

    risks = Risk.objects.filter(project__key="CRA")
    return {
        "risks": risks.count(),
        "imported": risks.filter(title__startswith="Imported risk ").count(),
        "history": Risk.history.filter(project__key="CRA").count(),
        "tagged": Risk.tags.through.objects.filter(
            **{f"{Risk.tags.field.m2m_field_name()}__project__key": "CRA"}
        ).count(),
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    step = argv[1]
    steps: dict[str, Any] = {
        "setup": lambda: _setup(int(argv[2])),
        "dump": lambda: {"tables": _dump(), "job": _job()},
        "restart": _restart,
        "result": lambda: {"job": _job(), "count": _count()},
    }
    print(json.dumps(steps[step](), default=str))


if __name__ == "__main__":
    main(sys.argv)
