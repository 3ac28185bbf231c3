"""Schakel side by side with Redmine 5 on the same machine: the same client, alternating runs.

The Redmine peer lives in ``/work/shared/peers/redmine`` (given to us; its scripts are
called from there, never copied or changed): Debian's Redmine 5.0 under puma, with a data
set of 10 programmes × 20 projects × 100 issues and the scenarios of its ``measure.py``.
This benchmark

1. prepares Redmine with those scripts (``install.sh``, for PostgreSQL also
   ``install_pgsql.sh``, then ``start.sh`` and ``load_data.py``; each is idempotent),
2. starts Schakel with ``bench.common.production_server`` (gunicorn, DEBUG off) on the
   environment's ``DATABASE_URL`` (the large demo), behaving as a TLS proxy would
   (``X-Forwarded-Proto: https`` on every request), with an admin session made directly in
   the session store (no login form, so django-axes never throttles) and an admin API token,
3. runs each scenario with ``hey`` (keep-alive, no redirects, no compression, 3 untimed
   warm-ups, the request counts of ``measure.py``) against Redmine and against Schakel's
   closest equivalent, alternating per scenario and concurrency (``--rounds 2`` swaps the
   order in the second round), and summarises both with ``measure.py``'s own function,
4. prints one markdown table (Redmine, Schakel, the ratio Schakel/Redmine of p50 and of
   throughput, and whether Schakel is at least 5× faster), the response sizes and row
   counts of both, and the memory of both servers after the runs.

The mapping (Redmine → Schakel):

- a ``/issues.json?assigned_to_id=&status_id=open&limit=100`` → ``/api/v1/actions/`` of the
  busiest owner of open actions, ``state=open_items``, ``page_size=100`` (the API has no
  list across registers);
- b the programme's HTML issue list (open, 100 per page) → the programme's register list
  (the register with more open items, ``state=open_items``); ours shows 50 rows a page,
  so pages 1 and 2 are measured and their sum is compared as well;
- c1 the Gantt of a project of 100 issues → the Plan tab and the schedule API of the plan
  closest to 100 tasks (Redmine's page carries its data, ours needs both: compared alone
  and summed);
- c2 the Gantt of a programme of 2,000 issues → the schedule API and the Plan tab of the
  largest plan (10,000 tasks on the L demo: five times the rows) and the roadmap of that
  plan's programme;
- d ``POST /issues.json`` → ``POST /api/v1/actions/`` (owner, due date, priority); the
  created actions are deleted afterwards, with their history (untimed);
- e ``/projects.json`` → ``/api/v1/projects/`` (default pages: Redmine 25 rows, ours 50).

Run as root from the repository root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench SCHAKEL_VAR_DIR=/tmp/benchvar \\
        .venv/bin/python -m bench.peer [--quick] [--only a,b] [--rounds 2] [--json PATH]

``--redmine-instance default`` measures Redmine on SQLite instead of PostgreSQL;
``--keep-running`` leaves Redmine up (``stop.sh`` stops it otherwise, but never the shared
PostgreSQL cluster); ``--no-prepare`` skips the install/load scripts (Redmine must be
running). The first preparation installs Debian packages and loads Redmine (~5 minutes);
a full run then takes about half an hour per round, mostly Redmine's programme Gantt.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.common import (
    children,
    machine,
    memory_kib,
    production_server,
    setup_django,
    write_json,
)

PEER_DIR = Path(os.environ.get("REDMINE_PEER_DIR", "/work/shared/peers/redmine"))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-" + "x" * 60)  # shared with the server
CAP_S = 600  # hard cap of one hey run, as in measure.py
WARMUP = 3
TARGET = 5.0  # Schakel at least this many times faster than Redmine
WRITE_TITLE = "Bench write (bench/peer.py)"
TOKEN_NAME = "bench/peer.py"  # noqa: S105 - a label, not a secret
SCENARIOS = ("a", "b", "c1", "c2", "e", "d")  # measure.py's order: the writes last
LABELS = {
    "a": "(a) user's open items, API, 100/page",
    "b": "(b) programme list, HTML",
    "c1": "(c1) Gantt of a project of ~100 tasks",
    "c2": "(c2) Gantt of a programme / largest plan",
    "d": "(d) create an item, API",
    "e": "(e) projects, API, default page",
}


# Running hey ------------------------------------------------------------------------------


@dataclass
class Request:
    """One request that hey repeats: the same for Redmine and Schakel."""

    key: str
    label: str
    method: str
    url: str
    headers: dict[str, str]
    body: str | None = None


@dataclass
class Samples:
    """Raw results of one or more runs of one request at one concurrency (pooled by round)."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0
    wanted: int = 0
    timeouts: int = 0

    def add(self, other: Samples) -> None:
        self.latencies += other.latencies
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count
        self.wall_s += other.wall_s
        self.wanted += other.wanted
        self.timeouts += other.timeouts


def hey(request: Request, n: int, concurrency: int) -> Samples:
    """Run hey as measure.py does (keep-alive, no redirects, no compression, per-request CSV)."""
    command = ["hey", "-n", str(n), "-c", str(concurrency), "-t", "0", "-o", "csv",
               "-m", request.method, "-disable-redirects", "-disable-compression"]  # fmt: skip
    for name, value in request.headers.items():
        if name.lower() == "content-type":
            command += ["-T", value]
        else:
            command += ["-H", f"{name}: {value}"]
    if request.body is not None:
        command += ["-d", request.body]
    command.append(request.url)
    began = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CAP_S, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return Samples(wall_s=time.perf_counter() - began, wanted=n, timeouts=1)
    samples = Samples(wall_s=time.perf_counter() - began, wanted=n)
    for line in done.stdout.splitlines()[1:]:
        fields = line.split(",")
        if len(fields) < 8:
            continue
        samples.latencies.append(float(fields[0]))
        samples.statuses[fields[6]] = samples.statuses.get(fields[6], 0) + 1
    if not samples.latencies:
        raise SystemExit(f"hey produced no results for {request.url}: {done.stderr[-500:]}")
    return samples


def summarise(measure: ModuleType, samples: Samples) -> dict[str, Any]:
    """measure.py's own summary (its percentiles), so both sides are computed alike."""
    if not samples.latencies:
        return {"requests": 0, "errors": samples.wanted, "timeouts": samples.timeouts}
    result: dict[str, Any] = measure.summarize(
        samples.latencies, samples.statuses, samples.wall_s, samples.wanted, "hey"
    )
    result["timeouts"] = samples.timeouts
    return result


# The Redmine peer ---------------------------------------------------------------------------


# Our settings must not reach Redmine: Rails, too, takes its database from DATABASE_URL.
NOT_FOR_REDMINE = ("REDMINE_INSTANCE", "RUN_DIR", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")


def redmine_env(instance: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_FOR_REDMINE}
    if instance is not None:
        env["REDMINE_INSTANCE"] = instance
    return env


def run_dir(instance: str) -> Path:
    """Where the peer's scripts keep an instance's run data (as in their env.sh)."""
    base = Path("/tmp/redmine-run")  # noqa: S108 - the peer's fixed place
    return base if instance == "default" else base / instance


def peer_step(command: list[str], instance: str | None, log: Path) -> None:
    """Run one of the peer's scripts from its own folder; its output goes to the log."""
    name = " ".join(command)
    print(f"redmine: {name} (REDMINE_INSTANCE={instance or 'default'}) ...", flush=True)
    began = time.perf_counter()
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n== {dt.datetime.now().isoformat(timespec='seconds')} {name}\n")
        out.flush()
        done = subprocess.run(  # noqa: S603 - the peer's own scripts
            command, cwd=PEER_DIR, env=redmine_env(instance), stdout=out, stderr=out, check=False
        )
    if done.returncode != 0:
        raise SystemExit(f"redmine: {name} failed (exit {done.returncode}); see {log}")
    print(f"redmine: {name} done in {time.perf_counter() - began:.0f} s", flush=True)


def prepare_redmine(instance: str, log: Path) -> None:
    """Install, start and load Redmine; every script skips what is already done."""
    if os.geteuid() != 0:
        raise SystemExit("The Redmine scripts install packages and switch users: run as root.")
    peer_step(["bash", "install.sh"], None, log)  # the SQLite instance, which pg builds on
    if instance == "pg":
        peer_step(["bash", "install_pgsql.sh"], "pg", log)
    peer_step(["bash", "start.sh"], instance, log)
    peer_step(["python3", "load_data.py"], instance, log)


def stop_redmine(instance: str, log: Path) -> None:
    """Stop the puma of start.sh, never the PostgreSQL cluster Schakel's data lives in.

    stop.sh also stops the cluster when ``pg_started_by_us`` says its scripts started it
    (it was down when they ran); that cluster is shared, so the marker is removed first."""
    marker = run_dir(instance) / "pg_started_by_us"
    if marker.exists():
        marker.unlink()
        print("redmine: the PostgreSQL cluster was started by the peer's scripts; it is shared, "
              "so it stays up (marker removed)", flush=True)  # fmt: skip
    peer_step(["bash", "stop.sh"], instance, log)


def load_measure(instance: str) -> ModuleType:
    """Import the peer's measure.py by path (it reads port, key and ids of the instance)."""
    saved = {k: os.environ.get(k) for k in ("REDMINE_INSTANCE", "RUN_DIR")}
    os.environ["REDMINE_INSTANCE"] = instance
    os.environ.pop("RUN_DIR", None)
    try:
        spec = importlib.util.spec_from_file_location("redmine_measure", PEER_DIR / "measure.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return module


def redmine_requests(measure: ModuleType, cookie: str, quick: bool) -> dict[str, Any]:
    """measure.py's scenarios by our letters: (request, {concurrency: n}, description)."""
    base = f"http://{measure.HOST}:{measure.PORT}"
    found: dict[str, Any] = {}
    for name, what, method, path, headers, body, counts in measure.scenarios(cookie, quick):
        letter = name.split("_", 1)[0]
        request = Request(name, what, method, base + path, dict(headers), body)
        found[letter] = (request, counts)
    return found


def redmine_version() -> str:
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "redmine"],  # noqa: S607
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip()


# Schakel --------------------------------------------------------------------------------


@dataclass
class Picks:
    """The rows of the large demo that stand in for Redmine's."""

    admin_id: int
    owner_id: int
    owner_open_actions: int
    write_project_id: int
    list_register: str
    list_programme_id: int
    list_open_items: int
    small_plan_id: int
    small_plan_tasks: int
    large_plan_id: int
    large_plan_tasks: int
    roadmap_programme_id: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def pick_rows() -> Picks:
    """Choose the busiest owner, the biggest programme list, the plans and the programme."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, F
    from django.db.models.functions import Abs, Coalesce

    from schakel.planning.models import Task
    from schakel.portfolio.models import Project
    from schakel.registers.models import Action, Risk

    admin = get_user_model().objects.get(username=os.environ.get("SCHAKEL_ADMIN", "admin"))
    busiest = (
        Action.objects.filter(status__in=Action.OPEN_STATUSES, owner__isnull=False)
        .values("owner")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner")
        .first()
    )
    if busiest is None:
        raise SystemExit("No open actions: load the demo first (schakel demo --size L).")
    home = (
        Action.objects.filter(owner=busiest["owner"], project__isnull=False)
        .values("project")
        .annotate(n=Count("pk"))
        .order_by("-n", "project")
        .first()
    )
    assert home is not None
    biggest: tuple[int, str, int] | None = None
    for model, slug in ((Action, "actions"), (Risk, "risks")):
        row = (
            model.objects.filter(status__in=model.OPEN_STATUSES)
            .annotate(prog=Coalesce("project__programme", "programme"))
            .values("prog")
            .annotate(n=Count("pk"))
            .order_by("-n", "prog")
            .first()
        )
        if row is not None and (biggest is None or row["n"] > biggest[0]):
            biggest = (row["n"], slug, row["prog"])
    assert biggest is not None
    plans = Project.objects.annotate(n=Count("tasks")).filter(n__gt=0)
    small = plans.annotate(off=Abs(F("n") - 100)).order_by("off", "pk").first()
    large = plans.order_by("-n", "pk").first()
    if small is None or large is None:
        raise SystemExit("No plans: load the demo first (schakel demo --size L).")
    return Picks(
        admin_id=admin.pk,
        owner_id=busiest["owner"],
        owner_open_actions=busiest["n"],
        write_project_id=home["project"],
        list_register=biggest[1],
        list_programme_id=biggest[2],
        list_open_items=biggest[0],
        small_plan_id=small.pk,
        small_plan_tasks=Task.objects.filter(project=small).count(),
        large_plan_id=large.pk,
        large_plan_tasks=Task.objects.filter(project=large).count(),
        roadmap_programme_id=large.programme_id,
    )


@contextlib.contextmanager
def schakel_credentials(admin_id: int) -> Iterator[tuple[str, str]]:
    """An admin session cookie (made in the session store) and an API token; both removed
    afterwards."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    from schakel.accounts import services
    from schakel.accounts.models import ApiToken

    admin = get_user_model().objects.get(pk=admin_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = admin._meta.pk.value_to_string(admin)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    store.create()
    ApiToken.objects.filter(user=admin, name=TOKEN_NAME).delete()  # an interrupted run's
    token, key = services.token_create(user=admin, name=TOKEN_NAME)
    try:
        yield f"{settings.SESSION_COOKIE_NAME}={store.session_key}", key
    finally:
        token.delete()
        store.delete()


def schakel_requests(base: str, picks: Picks, cookie: str, key: str) -> dict[str, list[Request]]:
    """Schakel's measures per scenario letter."""
    proxy = {"X-Forwarded-Proto": "https"}
    html = {**proxy, "Cookie": cookie}
    api = {**proxy, "Authorization": f"Token {key}"}
    register = picks.list_register
    listing = f"{base}/programmes/{picks.list_programme_id}/registers/{register}/?state=open_items"
    body = json.dumps(
        {
            "project": picks.write_project_id,
            "title": WRITE_TITLE,
            "description": "Created by bench/peer.py",
            "owner": picks.owner_id,
            "priority": "medium",
            "status": "open",
            "due": "2026-03-09",
        }
    )
    return {
        "a": [
            Request("a_actions_api", "actions API: owner, open, page_size=100", "GET",
                    f"{base}/api/v1/actions/?owner={picks.owner_id}&state=open_items"
                    "&page_size=100", api),
        ],
        "b": [
            Request("b_list_page1", f"{register} list, programme, open, page 1 (50 rows)", "GET",
                    listing, html),
            Request("b_list_page2", f"{register} list, programme, open, page 2 (50 rows)", "GET",
                    listing + "&page=2", html),
        ],
        "c1": [
            Request("c1_plan_tab", f"Plan tab ({picks.small_plan_tasks} tasks)", "GET",
                    f"{base}/projects/{picks.small_plan_id}/plan/", html),
            Request("c1_schedule_api", f"schedule API ({picks.small_plan_tasks} tasks)", "GET",
                    f"{base}/api/v1/schedules/{picks.small_plan_id}/", api),
        ],
        "c2": [
            Request("c2_schedule_api", f"schedule API ({picks.large_plan_tasks:,} tasks)", "GET",
                    f"{base}/api/v1/schedules/{picks.large_plan_id}/", api),
            Request("c2_plan_tab", f"Plan tab ({picks.large_plan_tasks:,} tasks)", "GET",
                    f"{base}/projects/{picks.large_plan_id}/plan/", html),
            Request("c2_roadmap", "programme roadmap", "GET",
                    f"{base}/programmes/{picks.roadmap_programme_id}/roadmap/", html),
        ],
        "d": [
            Request("d_action_create", "POST an action (owner, due, priority)", "POST",
                    f"{base}/api/v1/actions/", {**api, "Content-Type": "application/json"}, body),
        ],
        "e": [
            Request("e_projects_api", "projects API, default page", "GET",
                    f"{base}/api/v1/projects/", api),
        ],
    }  # fmt: skip


# Each comparison: a label and the Schakel measures whose p50s add up to Redmine's one page.
COMPARISONS: dict[str, list[tuple[str, list[str]]]] = {
    "a": [("actions API", ["a_actions_api"])],
    "b": [
        ("list page 1 (50 rows)", ["b_list_page1"]),
        ("list pages 1+2 (100 rows, as Redmine's page)", ["b_list_page1", "b_list_page2"]),
    ],
    "c1": [
        ("Plan tab", ["c1_plan_tab"]),
        ("schedule API", ["c1_schedule_api"]),
        ("Plan tab + schedule API", ["c1_plan_tab", "c1_schedule_api"]),
    ],
    "c2": [
        ("schedule API", ["c2_schedule_api"]),
        ("Plan tab", ["c2_plan_tab"]),
        ("schedule API + Plan tab", ["c2_schedule_api", "c2_plan_tab"]),
        ("programme roadmap", ["c2_roadmap"]),
    ],
    "d": [("POST action", ["d_action_create"])],
    "e": [("projects API", ["e_projects_api"])],
}


def fetch(request: Request) -> tuple[int, bytes]:
    """One plain GET (for the sanity block), without following redirects."""
    import http.client
    import urllib.parse

    url = urllib.parse.urlsplit(request.url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=600)
    try:
        path = url.path + (f"?{url.query}" if url.query else "")
        connection.request(request.method, path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def schakel_sanity(requests: dict[str, list[Request]]) -> dict[str, dict[str, Any]]:
    """Status, size and rows of each Schakel GET, so both sides really carry their rows."""
    found: dict[str, dict[str, Any]] = {}
    for measures in requests.values():
        for request in measures:
            if request.method != "GET":
                continue
            status, data = fetch(request)
            info: dict[str, Any] = {"status": status, "bytes": len(data)}
            if "/api/" in request.url and status == 200:
                parsed = json.loads(data)
                if isinstance(parsed, dict) and "results" in parsed:
                    info["total_count"] = parsed.get("count")
                    info["returned"] = len(parsed["results"])
                elif isinstance(parsed, dict) and "tasks" in parsed:
                    info["tasks"] = len(parsed["tasks"])
                    info["links"] = len(parsed.get("links", []))
            elif "/registers/" in request.url:
                info["rows"] = len(re.findall(rb'<tr id="row-[a-z]+-\d+"', data))
                count = re.search(rb'class="result-count">([^<]*)<', data)
                info["result_count"] = count.group(1).decode().strip() if count else None
            elif "/plan/" in request.url:
                info["outline_rows"] = len(re.findall(rb'<tr id="task-\d+"', data))
            elif "/roadmap/" in request.url:
                lanes = re.search(rb"</span> <strong>(\d+)</strong>", data)
                info["projects_with_a_plan"] = int(lanes.group(1)) if lanes else None
            if b'name="password"' in data or status in (301, 302):
                info["login_or_redirect"] = True
            found[request.key] = info
    return found


def purge_writes() -> int:
    """Hard-delete the actions the POST scenario made, with their history (untimed)."""
    from django.db import transaction
    from django.db.models import Q

    from schakel.registers.models import Action

    with transaction.atomic():
        made = Action.all_objects.filter(title=WRITE_TITLE)
        ids = list(made.values_list("pk", flat=True))
        made.delete()
        # After the rows: deleting them writes one more history record each.
        Action.history.filter(Q(id__in=ids) | Q(title=WRITE_TITLE)).delete()
    return len(ids)


def server_memory(master: int) -> dict[str, Any]:
    """RSS of the gunicorn master and its workers, and the sum of their peaks (MiB)."""
    pids = [master, *children(master)]
    rows = [{"pid": pid, **memory_kib(pid), "pss_kib": pss_kib(pid)} for pid in pids]
    return {
        "processes": rows,
        "total_rss_mib": round(sum(r["rss_kib"] for r in rows) / 1024, 1),
        "total_pss_mib": round(sum(r["pss_kib"] for r in rows) / 1024, 1),
        "total_peak_rss_mib": round(sum(r["peak_rss_kib"] for r in rows) / 1024, 1),
    }


def pss_kib(pid: int) -> int:
    """Proportional memory of one process: pages shared with its master count in part
    (the RSS sum counts gunicorn's preloaded app once per worker)."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


# The run --------------------------------------------------------------------------------


def combine(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Add the p50s (and p95s) of requests made one after the other; throughput of the set."""
    if len(parts) == 1:
        return parts[0]
    if any(not p.get("requests") for p in parts):
        return {"requests": 0, "errors": sum(p.get("errors", 0) for p in parts)}
    return {
        "requests": sum(p["requests"] for p in parts),
        "errors": sum(p["errors"] for p in parts),
        "p50_ms": round(sum(p["p50_ms"] for p in parts), 1),
        "p95_ms": round(sum(p["p95_ms"] for p in parts), 1),
        "throughput_rps": round(1 / sum(1 / p["throughput_rps"] for p in parts), 3),
        "summed": len(parts),
    }


def compare(redmine: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    if not redmine.get("requests") or not ours.get("requests"):
        return {"ratio_p50": None, "ratio_throughput": None, "target_met": False}
    ratio = ours["p50_ms"] / redmine["p50_ms"]
    throughput = ours["throughput_rps"] / redmine["throughput_rps"]
    return {
        "ratio_p50": round(ratio, 4),
        "ratio_throughput": round(throughput, 2),
        "speedup_p50": round(1 / ratio, 1) if ratio else None,
        "target_met": ratio <= 1 / TARGET and ours["errors"] == 0,
    }


def measure_all(
    measure: ModuleType,
    redmine: dict[str, Any],
    ours: dict[str, list[Request]],
    *,
    only: Sequence[str],
    concurrencies: Sequence[int],
    rounds: int,
) -> list[dict[str, Any]]:
    """Alternate Redmine and Schakel per scenario and concurrency; pool the rounds."""
    results: list[dict[str, Any]] = []
    for letter in SCENARIOS:
        if letter not in only or letter not in redmine:
            continue
        theirs, counts = redmine[letter]
        mine = ours[letter]
        for request in (theirs, *mine):  # untimed warm-ups, as measure.py does
            hey(request, WARMUP, 1)
        pooled: dict[tuple[int, str], Samples] = {}
        for round_ in range(rounds):
            for conc in concurrencies:
                n = counts[conc]
                sides = ("redmine", "schakel") if round_ % 2 == 0 else ("schakel", "redmine")
                for side in sides:
                    for request in [theirs] if side == "redmine" else mine:
                        got = hey(request, n, conc)
                        pooled.setdefault((conc, request.key), Samples()).add(got)
                        line = summarise(measure, got)
                        print(f"  round {round_ + 1} {side:7s} {request.key:28s} c={conc} "
                              f"n={line.get('requests', 0):4d} err={line.get('errors', 0):3d} "
                              f"p50={line.get('p50_ms', 0):9.1f}ms "
                              f"p95={line.get('p95_ms', 0):9.1f}ms "
                              f"{line.get('throughput_rps', 0) or 0:8.2f} req/s",
                              flush=True)  # fmt: skip
        for conc in concurrencies:
            their = summarise(measure, pooled[(conc, theirs.key)])
            own = {r.key: summarise(measure, pooled[(conc, r.key)]) for r in mine}
            rows = []
            for label, keys in COMPARISONS[letter]:
                combined = combine([own[k] for k in keys])
                rows.append({"label": label, "measures": keys, "schakel": combined,
                             **compare(their, combined)})  # fmt: skip
            results.append({
                "scenario": letter, "concurrency": conc, "rounds": rounds,
                "redmine": {**their, "path": theirs.url, "what": theirs.label},
                "schakel": {k: {**v, "url": next(r.url for r in mine if r.key == k),
                                "what": next(r.label for r in mine if r.key == k)}
                            for k, v in own.items()},
                "comparisons": rows,
            })  # fmt: skip
    return results


def cell(summary: dict[str, Any]) -> str:
    if not summary.get("requests"):
        return "– | – | – | failed"
    errors = f"{summary['errors']}/{summary['requests']}"
    return (f"{summary['p50_ms']:,.1f} | {summary['p95_ms']:,.1f} | "
            f"{summary['throughput_rps']:.2f} | {errors}")  # fmt: skip


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| scenario | conc | Redmine p50 ms | p95 ms | req/s | err | Schakel measure "
        "| p50 ms | p95 ms | req/s | err | p50 S/R | req/s S/R | ≥5× faster |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        for i, row in enumerate(result["comparisons"]):
            head = (f"| {LABELS[result['scenario']]} | {result['concurrency']} | "
                    f"{cell(result['redmine'])} |" if i == 0 else "| | | | | | |")  # fmt: skip
            label = row["label"] + (" (sum)" if row["schakel"].get("summed") else "")
            ratio = row["ratio_p50"]
            verdict = "–"
            if ratio is not None:
                met = "yes" if row["target_met"] else "NO"
                verdict = f"{met} ({1 / ratio:.1f}×)"
            throughput = row["ratio_throughput"]
            lines.append(
                f"{head} {label} | {cell(row['schakel'])} | "
                f"{'–' if ratio is None else f'{ratio:.3f}'} | "
                f"{'–' if throughput is None else throughput} | {verdict} |"
            )
    return "\n".join(lines)


def sanity_markdown(redmine: dict[str, Any], ours: dict[str, Any]) -> str:
    lines = ["| side | page | status | bytes | rows |", "|---|---|---:|---:|---|"]
    for side, found in (("Redmine", redmine), ("Schakel", ours)):
        for name, info in found.items():
            rest = {k: v for k, v in info.items() if k not in ("status", "bytes")}
            rows = ", ".join(f"{k} {v}" for k, v in rest.items())
            lines.append(f"| {side} | {name} | {info['status']} | {info['bytes']:,} | {rows} |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="measure.py's quick counts (~1/10)")
    parser.add_argument("--only", default="", help="scenarios, e.g. a,b,c1 (default: all)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds; order swaps each round")
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--redmine-instance", choices=["pg", "default"], default="pg",
                        help="pg: Redmine on PostgreSQL (default); default: on SQLite")  # fmt: skip
    parser.add_argument("--keep-running", action="store_true", help="leave Redmine running")
    parser.add_argument("--no-prepare", action="store_true",
                        help="skip install/start/load (Redmine must be running)")  # fmt: skip
    parser.add_argument("--database-url",
                        default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))  # fmt: skip
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    args = parser.parse_args(argv)
    args.only = [s for s in args.only.split(",") if s] or list(SCENARIOS)
    unknown = set(args.only) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    args.concurrencies = [int(c) for c in args.concurrency.split(",")]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("hey") is None and args.no_prepare:
        raise SystemExit("hey is missing: run without --no-prepare (install.sh installs it).")
    instance = args.redmine_instance
    log = Path(os.environ.get("PEER_LOG", "/tmp/bench-peer.log"))  # noqa: S108
    os.environ.setdefault("SCHAKEL_VAR_DIR", "/tmp/benchvar")  # noqa: S108
    os.environ["SECRET_KEY"] = SECRET_KEY
    began = time.perf_counter()
    if not args.no_prepare:
        prepare_redmine(instance, log)
    try:
        return run(args, instance, log, began)
    finally:
        if not args.keep_running:
            stop_redmine(instance, log)


def run(args: argparse.Namespace, instance: str, log: Path, began: float) -> int:
    measure = load_measure(instance)
    setup_django(args.database_url)
    where = machine()  # the load average before the runs
    from django.db import connection

    picks = pick_rows()
    print(f"schakel: picks {json.dumps(picks.as_dict())}", flush=True)
    redmine_cookie = measure.login_cookie()
    leftovers = measure.purge_bench_project() + purge_writes()
    redmine_checks = measure.sanity(redmine_cookie)
    redmine_mem_before = measure.puma_memory()
    redmine = redmine_requests(measure, redmine_cookie, args.quick)
    server_log = log.with_name(log.stem + "-server.log")  # gunicorn's access log
    with (
        schakel_credentials(picks.admin_id) as (cookie, key),
        production_server(env={"SECRET_KEY": SECRET_KEY}, log=server_log) as (base, process),
    ):
        connection.close()  # no idle connection of ours during the runs
        ours = schakel_requests(base, picks, cookie, key)
        schakel_checks = schakel_sanity(ours)
        bad = {k: v for k, v in schakel_checks.items() if v["status"] != 200}
        if bad:
            raise SystemExit(f"schakel: pages do not answer 200: {bad}")
        ours_mem_before = server_memory(process.pid)
        try:
            results = measure_all(
                measure, redmine, ours,
                only=args.only, concurrencies=args.concurrencies, rounds=args.rounds,
            )  # fmt: skip
            ours_mem_after = server_memory(process.pid)
            redmine_mem_after = measure.puma_memory()
            workers = len(children(process.pid))
        finally:  # the writes go, whatever happened
            created = {"redmine": measure.purge_bench_project(), "schakel": purge_writes()}
    report = {
        "date_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": where,
        "options": {"quick": args.quick, "rounds": args.rounds, "only": args.only,
                    "concurrency": args.concurrencies, "client": "hey",
                    "warmup": WARMUP, "target": f"Schakel p50 ≤ Redmine p50 / {TARGET:g}"},
        "redmine": {"version": redmine_version(), "instance": instance,
                    "server": measure.read("server_config"), "url": f"http://{measure.HOST}:"
                    f"{measure.PORT}", "dataset_sha256": measure.IDS.get("dataset_sha256")},
        "schakel": {"server": f"schakel serve (gunicorn, {workers} workers, DEBUG off)",
                    "database": args.database_url.rsplit("@", 1)[-1], "picks": picks.as_dict()},
        "sanity": {"redmine": redmine_checks, "schakel": schakel_checks},
        "results": results,
        "memory": {"redmine_before": redmine_mem_before, "redmine_after": redmine_mem_after,
                   "schakel_before": ours_mem_before, "schakel_after": ours_mem_after},
        "leftovers_purged_at_start": leftovers,
        "created_and_deleted": created,
        "load_average_at_end": [round(v, 2) for v in os.getloadavg()],
        "wall_s": round(time.perf_counter() - began, 1),
    }  # fmt: skip
    print()
    print(markdown(results))
    print()
    print(sanity_markdown(redmine_checks, schakel_checks))
    print()
    for side, before, after in (
        ("Redmine (puma master + workers)", redmine_mem_before, redmine_mem_after),
        (f"Schakel (gunicorn master + {workers} workers)", ours_mem_before, ours_mem_after),
    ):
        if before and after:
            print(f"- {side}: RSS {before['total_rss_mib']:,.0f} MiB before the runs, "
                  f"{after['total_rss_mib']:,.0f} MiB after "
                  f"(PSS {after['total_pss_mib']:,.0f} MiB; "
                  f"sum of per-process peaks {after['total_peak_rss_mib']:,.0f} MiB)")  # fmt: skip
    missed = [
        f"{r['scenario']} c={r['concurrency']} {c['label']}"
        for r in results
        for c in r["comparisons"]
        if not c["target_met"]
    ]
    print(f"- target (≥{TARGET:g}× faster at p50): "
          + ("met everywhere" if not missed else "missed by " + "; ".join(missed)))  # fmt: skip
    write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
