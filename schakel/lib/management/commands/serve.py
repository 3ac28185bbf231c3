"""`schakel serve`: the production web server (gunicorn) with the settings of the environment.

We run gunicorn through its Python API (`gunicorn.app.base.BaseApplication`) rather than
exec'ing the `gunicorn` script: the command then works however Schakel was installed (a
virtualenv, a system package, a container) without looking for a script on a path; the
settings have been loaded and checked once, by Django, before gunicorn starts; and the
preparation steps (collectstatic, the migration check) run in the same process with the
same settings the workers will use.
"""

from __future__ import annotations

import gc
import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication

# More web workers than this rarely help one machine: each holds a copy of the app and its
# own database connection. Scale out with more machines (see docs/operations.md).
MAX_DEFAULT_WORKERS = 12
# Allocations between two collections of the youngest generation (Python's default: 700).
GC_THRESHOLD = 20_000


def cpu_count() -> int:
    """Count the CPUs this process may use (a container's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped so a big host does not overcommit."""
    return min(2 * cpu_count() + 1, MAX_DEFAULT_WORKERS)


def positive_int_from_env(name: str, default: int | None) -> int | None:
    """Read a positive whole number from the environment, or refuse clearly."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise CommandError(_("%(name)s must be a whole number of 1 or more.") % {"name": name})
    return value


def default_bind() -> list[str]:
    """Bind to `BIND` (comma-separated) if set, else 127.0.0.1 on `PORT` (8000)."""
    bind = os.environ.get("BIND", "").strip()
    if bind:
        return [item.strip() for item in bind.split(",") if item.strip()]
    port = positive_int_from_env("PORT", 8000)
    return [f"127.0.0.1:{port}"]


class SchakelApplication(BaseApplication):
    """Gunicorn serving `config.wsgi` with settings given as a dict instead of its CLI."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__(prog="schakel serve")

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from config.wsgi import application

        # The app is loaded once in the master (preload_app). Its hundreds of thousands of
        # long-lived objects (modules, URL patterns, templates) are moved out of the garbage
        # collector's sight, so the workers do not scan them again and again, and the
        # young generation is collected less often: about 5-15 % off a page in
        # bench/ (docs/performance.md). Forked workers inherit both.
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_THRESHOLD, 20, 20)
        return application


class Command(BaseCommand):
    help = (
        "Serve Schakel in production with gunicorn: collects the static files, warns about "
        "unapplied migrations, then serves. Workers from WEB_CONCURRENCY (default 2 × cores "
        "+ 1, at most 12), threads from WEB_THREADS, address from --bind, BIND or "
        "127.0.0.1:$PORT, trusted proxies from FORWARDED_ALLOW_IPS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            action="append",
            metavar="HOST:PORT",
            help="Address to listen on (repeatable; default: BIND or 127.0.0.1:$PORT).",
        )
        parser.add_argument(
            "--skip-collectstatic",
            action="store_true",
            help="Do not collect static files first (when an image build already did).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        gunicorn_options = self.gunicorn_options(bind=options["bind"])
        if not options["skip_collectstatic"]:
            self.collect_static()
        self.warn_unapplied_migrations()
        # The master process forks the workers: a database connection opened above must
        # not be shared with them.
        connections.close_all()
        workers = gunicorn_options["workers"]
        threads = gunicorn_options.get("threads", 1)
        self.stdout.write(
            _("Schakel serves on %(bind)s (workers: %(workers)d, threads per worker: %(threads)d).")
            % {"bind": ", ".join(gunicorn_options["bind"]), "workers": workers, "threads": threads}
        )
        self.stdout.flush()
        SchakelApplication(gunicorn_options).run()

    def gunicorn_options(self, *, bind: list[str] | None) -> dict[str, Any]:
        """Translate the environment into gunicorn settings."""
        options: dict[str, Any] = {
            "bind": bind or default_bind(),
            "workers": positive_int_from_env("WEB_CONCURRENCY", default_workers()),
            "accesslog": "-",
            "errorlog": "-",
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
            # Load the app once in the master: a broken deployment fails at start, not in
            # every worker, and the workers share its memory. New code therefore needs a
            # restart of the service; a HUP only restarts the workers on the old code.
            "preload_app": True,
            "proc_name": "schakel",
            # Gunicorn's control socket defaults to one path per user ($HOME/.gunicorn), so a
            # second instance on the same machine would clash with the first.
            "control_socket_disable": True,
        }
        threads = positive_int_from_env("WEB_THREADS", None)
        if threads is not None:
            # More than one thread makes gunicorn use its threaded (gthread) worker.
            options["threads"] = threads
        return options

    def collect_static(self) -> None:
        """Copy the static files to STATIC_ROOT, where WhiteNoise serves them from."""
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(_("Static files collected in %(root)s.") % {"root": settings.STATIC_ROOT})

    def warn_unapplied_migrations(self) -> None:
        """Warn, like `migrate --check`, when the database lags behind the code."""
        try:
            executor = MigrationExecutor(connections["default"])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            self.stderr.write(
                self.style.WARNING(
                    _("Could not check the migrations: the database did not answer (%(error)s).")
                    % {"error": exc}
                )
            )
            return
        if plan:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "%(count)d database migrations are not applied; run `schakel migrate` "
                        "before relying on this server."
                    )
                    % {"count": len(plan)}
                )
            )
