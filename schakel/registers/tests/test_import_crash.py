"""Crash-safe imports: a worker killed (SIGKILL) in the middle of a large import leaves the
database exactly as it was, the job can be started again, and the second run completes.

The crash itself runs the real `schakel worker` in a process of its own, on the database of
the test run: PostgreSQL when the tests run on it, otherwise a SQLite file (WAL) copied from
the test database. The steps on the other side of the process boundary are in
`import_crash_helper`. The worker is killed once it has written at least one batch of rows
in its transaction and not yet committed: its progress file says so, and the database
confirms a writer holds the table (PostgreSQL) or the write lock (SQLite).

The checks of `job_check_task` (when is a running job taken for dead) run in-process.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend

from schakel.registers import imports, tasks
from schakel.registers.models import Risk
from schakel.registers.models_import import ImportJob

from .test_import_support import csv_bytes

REPO = Path(django_settings.BASE_DIR)
HELPER = "schakel.registers.tests.import_crash_helper"
SCHAKEL = str(Path(sys.executable).parent / "schakel")
ROWS = 5000
STEP_TIMEOUT = 180


def _run(env: dict[str, str], *command: str) -> str:
    """Run our own command in a new process; fail on an error, return what it printed."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and console command
        command,
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _step(env: dict[str, str], *args: str) -> Any:
    """Run a step of the helper in a new process; return what it printed."""
    printed = _run(env, sys.executable, "-m", HELPER, *args)
    return json.loads(printed.strip().splitlines()[-1])


def _environment(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        SCHAKEL_VAR_DIR=str(var_dir),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        CONN_MAX_AGE="0",
    )
    return env


def _progress(path: Path) -> tuple[int, int]:
    try:
        done, total = (int(part) for part in path.read_text().split())
    except (OSError, ValueError):
        return 0, 0
    return done, total


def _crash_then_rerun(env: dict[str, str], var_dir: Path, writing: Any) -> None:
    started = _step(env, "setup", str(ROWS))
    assert started["status"] == "running"  # queued for the worker
    before = _step(env, "dump")["tables"]
    assert len(before["registers_risk"]) == 3 and len(before["registers_historicalrisk"]) == 3

    progress = var_dir / "media" / f"{started['stored']}.progress"
    worker = subprocess.Popen(  # noqa: S603 - our own console command
        [SCHAKEL, "worker", "--batch", "--no-startup-delay"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            assert worker.poll() is None, "the worker finished before it could be killed"
            assert time.monotonic() < deadline, "the import never got under way"
            done, total = _progress(progress)
            # At least one batch written in the transaction, and more to come before the
            # commit; and the database sees the writer at work.
            if imports.WRITE_BATCH <= done < total and writing():
                break
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert _progress(progress)[0] < ROWS  # killed before its last batch

    after = _step(env, "dump")
    changed = sorted(name for name in before if before[name] != after["tables"].get(name))
    assert changed == [], changed
    assert after["tables"] == before
    # The job still says running: nobody else could know the worker died...
    assert after["job"]["status"] == "running"

    # ...until its page looks: its lock is free, so it is marked failed and can be restarted.
    restart = _step(env, "restart")
    assert restart["checked"]["status"] == "failed"
    message = restart["checked"]["error"]["message"]
    assert message == "Nothing was imported. The import stopped unexpectedly."
    assert restart["restarted"]["status"] == "running"

    _run(env, SCHAKEL, "worker", "--batch", "--no-startup-delay")
    result = _step(env, "result")
    job = result["job"]
    assert (job["status"], job["rows_done"], job["result"]["created"]) == (
        "done",
        ROWS,
        {"risk": ROWS},
    ), job
    assert result["count"] == {
        "risks": ROWS + 3,
        "imported": ROWS,
        "history": ROWS + 3,
        "tagged": ROWS,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run of the crash")
def test_a_killed_import_leaves_sqlite_as_it_was_and_runs_again(tmp_path):
    # The migrated test database (in memory) copied to a file the processes can share.
    path = tmp_path / "crash.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()

    def writing() -> bool:
        """Whether a transaction holds the database's write lock."""
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        finally:
            if probe.in_transaction:
                probe.execute("ROLLBACK")
            probe.close()
        return False

    _crash_then_rerun(_environment(f"sqlite:///{path}", tmp_path), tmp_path, writing)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL run of the crash")
def test_a_killed_import_leaves_postgresql_as_it_was_and_runs_again(tmp_path):
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"

    def writing() -> bool:
        """Whether another session holds an uncommitted write on the risks table."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.relation = 'registers_risk'::regclass AND l.mode = 'RowExclusiveLock' "
                "AND l.granted AND l.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL"
            )
            return bool(cursor.fetchone()[0])

    _crash_then_rerun(_environment(url, tmp_path), tmp_path, writing)


# When is a running job taken for dead ----------------------------------------------------


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def running(org, member):
    """A job whose background task a worker claimed a minute ago."""
    data = csv_bytes([["Title"], ["Supplier late"], ["Floods"]])
    job = imports.job_start(
        user=member, project=org.project, kind="risk", data=data, filename="r.csv"
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, task_id="t1")
    job.refresh_from_db()
    return job


def _task(monkeypatch, state: str, seconds_ago: int | None) -> None:
    started = (
        None if seconds_ago is None else timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )
    result = SimpleNamespace(status=state, started_at=started, task=tasks.run_import)
    monkeypatch.setattr(ImmediateBackend, "get_result", lambda self, result_id: result)


A_MINUTE_AGO = 60


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_running_job_whose_process_is_gone_is_marked_failed(running, monkeypatch):
    _task(monkeypatch, "RUNNING", A_MINUTE_AGO)
    job = imports.job_check_task(running)
    assert job.status == ImportJob.Status.FAILED
    assert job.error == {"message": "Nothing was imported. The import stopped unexpectedly."}
    assert job.can_change  # the page offers to start it again


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_whose_process_holds_its_lock_stays_running(running, monkeypatch):
    _task(monkeypatch, "RUNNING", A_MINUTE_AGO)
    # A lock of its own open file: it excludes another open of the file, as a worker's does.
    with imports._running_lock(running):
        assert imports.job_check_task(running).status == ImportJob.Status.RUNNING
    # Once the process let go of it (the job would be done by then), nobody holds it.
    assert imports.job_check_task(running).status == ImportJob.Status.FAILED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("state", "started"),
    [("READY", None), ("RUNNING", 1)],
    ids=["still-queued", "just-claimed"],
)
def test_a_queued_or_just_claimed_job_stays_running(running, monkeypatch, state, started):
    _task(monkeypatch, state, started)
    assert imports.job_check_task(running).status == ImportJob.Status.RUNNING


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_marked_failed_before_its_worker_started_is_not_run(running, monkeypatch):
    _task(monkeypatch, "RUNNING", A_MINUTE_AGO)
    assert imports.job_check_task(running).status == ImportJob.Status.FAILED
    # The worker that claimed the task turns up late after all: it must not import as well.
    job = imports.job_run(running)
    assert job.status == ImportJob.Status.FAILED
    assert not Risk.objects.exists()
