"""The `schakel` command: its own verbs (serve, worker, demo, token) and the mail task.

The serve and worker cases start real processes on a temporary SQLite database, the way
an operator would, and stop them again.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError
from django_tasks import TaskResultStatus

from schakel.lib.management.commands import serve
from schakel.lib.tasks import send_mail_task

ROOT = Path(__file__).resolve().parent.parent
# Variables of the developer's shell or CI that would point the processes elsewhere.
CLEARED = (
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "TASKS_BACKEND",
    "EMAIL_HOST",
    "EMAIL_BACKEND",
    "BIND",
    "PORT",
    "WEB_CONCURRENCY",
    "WEB_THREADS",
    "SECURE_SSL_REDIRECT",
)


def environment(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SCHAKEL_VAR_DIR=str(var_dir), **extra)
    return env


def schakel(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "schakel.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local http
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# The command line -----------------------------------------------------------------


def test_help_lists_the_verbs_of_schakel(tmp_path):
    result = schakel("--help", env=environment(tmp_path))

    assert result.returncode == 0, result.stderr
    listed = {line.strip() for line in result.stdout.splitlines()}
    assert {"serve", "demo", "worker", "token"} <= listed
    assert "migrate" in listed


# schakel serve --------------------------------------------------------------------


def test_serve_answers_health_checks_and_static_files(tmp_path):
    port = free_port()
    env = environment(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(45),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    migrated = schakel("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "schakel.cli", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        status, body = 0, b""
        # collectstatic compresses every file first: on a loaded two-core machine that alone
        # has taken a minute, so wait generously (a ready server answers at once).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body = fetch(f"{base}/healthz")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(0.3)
        assert status == 200, (tmp_path / "serve.log").read_text()
        assert json.loads(body) == {"status": "ok"}

        status, css = fetch(f"{base}/static/css/schakel.css")
        assert status == 200
        assert b"--brand" in css
        assert fetch(f"{base}/static/no/such/file.css")[0] == 404
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "GET /healthz" in output  # the access log goes to standard output
    assert (tmp_path / "static" / "css" / "schakel.css").exists()  # collectstatic ran


@pytest.mark.django_db
def test_serve_warns_about_unapplied_migrations(monkeypatch):
    class Served(Exception):
        pass

    def serve_forever(self):
        raise Served

    monkeypatch.setattr(serve.SchakelApplication, "run", serve_forever)
    monkeypatch.setattr(serve.MigrationExecutor, "migration_plan", lambda self, targets: [1, 2])
    out, err = StringIO(), StringIO()

    with pytest.raises(Served):
        serve.Command(stdout=out, stderr=err).handle(bind=["127.0.0.1:0"], skip_collectstatic=True)

    assert "2 database migrations are not applied" in err.getvalue()
    assert "Schakel serves on 127.0.0.1:0" in out.getvalue()


class TestServeOptions:
    """How `schakel serve` reads its settings from the environment."""

    @pytest.fixture(autouse=True)
    def _clean_env(self, monkeypatch):
        for name in ("BIND", "PORT", "WEB_CONCURRENCY", "WEB_THREADS", "FORWARDED_ALLOW_IPS"):
            monkeypatch.delenv(name, raising=False)

    def options(self, bind=None):
        return serve.Command().gunicorn_options(bind=bind)

    def test_it_binds_to_localhost_on_port_8000_by_default(self):
        assert self.options()["bind"] == ["127.0.0.1:8000"]

    def test_port_bind_and_the_option_each_override_the_one_before(self, monkeypatch):
        monkeypatch.setenv("PORT", "9000")
        assert self.options()["bind"] == ["127.0.0.1:9000"]
        monkeypatch.setenv("BIND", "0.0.0.0:8080")
        assert self.options()["bind"] == ["0.0.0.0:8080"]
        assert self.options(bind=["unix:/run/schakel.sock"])["bind"] == ["unix:/run/schakel.sock"]

    def test_workers_default_to_twice_the_cores_plus_one_within_a_cap(self, monkeypatch):
        monkeypatch.setattr(serve, "cpu_count", lambda: 2)
        assert self.options()["workers"] == 5
        monkeypatch.setattr(serve, "cpu_count", lambda: 64)
        assert self.options()["workers"] == serve.MAX_DEFAULT_WORKERS

    def test_web_concurrency_and_web_threads_set_workers_and_threads(self, monkeypatch):
        monkeypatch.setenv("WEB_CONCURRENCY", "3")
        monkeypatch.setenv("WEB_THREADS", "4")
        options = self.options()
        assert (options["workers"], options["threads"]) == (3, 4)

    def test_threads_are_left_to_gunicorn_unless_set(self):
        assert "threads" not in self.options()

    @pytest.mark.parametrize("value", ["0", "-1", "many"])
    def test_a_bad_worker_count_is_refused_clearly(self, monkeypatch, value):
        monkeypatch.setenv("WEB_CONCURRENCY", value)
        with pytest.raises(CommandError, match="WEB_CONCURRENCY"):
            self.options()

    def test_trusted_proxies_come_from_forwarded_allow_ips(self, monkeypatch):
        assert self.options()["forwarded_allow_ips"] == "127.0.0.1,::1"
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
        assert self.options()["forwarded_allow_ips"] == "10.0.0.5"

    def test_access_log_goes_to_standard_output(self):
        assert self.options()["accesslog"] == "-"


# schakel worker and the mail task -------------------------------------------------


def test_worker_runs_a_queued_mail_task_and_exits_when_the_queue_is_empty(tmp_path):
    env = environment(tmp_path)
    assert schakel("migrate", "--noinput", env=env).returncode == 0
    enqueue = (
        "from schakel.lib.tasks import send_mail_task; "
        "r = send_mail_task.enqueue('Weekly digest', 'Three actions are due.', "
        "['pmo@example.org']); print(r.id)"
    )
    queued = schakel("shell", "-c", enqueue, env=env)
    assert queued.returncode == 0, queued.stderr
    result_id = queued.stdout.strip().splitlines()[-1]

    worker = schakel("worker", "--batch", "--no-startup-delay", "--no-reload", env=env, timeout=60)

    assert worker.returncode == 0, worker.stderr
    assert "Subject: Weekly digest" in worker.stdout  # the console mail backend
    check = (
        "from schakel.lib.tasks import send_mail_task; "
        f"r = send_mail_task.get_result('{result_id}'); print(r.status, r.return_value)"
    )
    status = schakel("shell", "-c", check, env=env)
    assert status.stdout.split()[-2:] == ["SUCCESSFUL", "1"], status.stdout + status.stderr


@pytest.mark.django_db
def test_send_mail_task_sends_plain_text_and_html():
    result = send_mail_task.enqueue(
        "Status report due",
        "Please hand in the status report of ODI.",
        ["member@example.org"],
        html_message="<p>Please hand in the status report of <b>ODI</b>.</p>",
        reply_to=["pmo@example.org"],
    )

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    (message,) = mail.outbox
    assert message.subject == "Status report due"
    assert message.to == ["member@example.org"]
    assert message.reply_to == ["pmo@example.org"]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_send_mail_task_uses_the_site_sender_by_default(settings):
    settings.DEFAULT_FROM_EMAIL = "Schakel <pmo@schakel.example>"

    send_mail_task.enqueue("Hello", "Body", ["a@example.org"])

    assert mail.outbox[0].from_email == "Schakel <pmo@schakel.example>"
