"""Time the planning app on a loaded database: the largest plan's rescheduling, its schedule
API, its Plan tab, an edit through the API, and the Gantt on the Plan tab in Chromium.

Run from the repository root against a database that holds the demo (size L has one
project of 10,000 tasks)::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/schakel migrate && .venv/bin/schakel demo --size L      # once, ~8 minutes
    .venv/bin/python -m bench.planning_app                            # --runs 5 --no-browser

In process (Django test client, warm, logged in as the demo's ``admin``) it reports the
median and slowest of ``--runs`` runs and the number of SQL queries of each:

- ``reschedule(project)`` of the largest plan (reads every task and link, runs the engine,
  writes the dates that changed);
- GET of the schedule API (the Gantt's data) and of the Plan tab;
- PATCH of one linked task's duration through the API (+1 then −1 day, so the data end as
  they began): validation, the service, rescheduling, the response.

Then, unless ``--no-browser``, it starts ``schakel runserver`` on a free port with the same
database, logs in with Chromium (``/usr/bin/chromium``, never downloaded) and reports the
Plan tab's first painted Gantt frame (performance mark ``gantt-first-paint`` from
navigation start: page, script, schedule API and drawing) and the round trip of dragging a
bar five days (drop → API → reschedule → redrawn; marks ``gantt-request`` and
``gantt-update-end``). The drag leaves that task with a start-no-earlier-than constraint.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import free_port, wait_for_port, write_json  # noqa: E402


def timed(action: Callable[[], Any], runs: int) -> tuple[float, float, int]:
    """Median and slowest seconds of ``runs`` calls after one warm-up, and its queries."""
    from django.db import connection

    count = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        action()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), max(seconds), count


def in_process(runs: int) -> tuple[dict[str, Any], list[tuple[str, float, float, int]]]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from schakel.planning import services
    from schakel.planning.models import Task, TaskLink
    from schakel.portfolio.models import Project

    project = Project.objects.annotate(n=Count("tasks")).filter(n__gt=0).order_by("-n").first()
    if project is None:
        raise SystemExit("No plan in this database: load the demo first (schakel demo --size L).")
    tasks = Task.objects.filter(project=project).count()
    links = TaskLink.objects.filter(successor__project=project).count()
    task = (
        Task.objects.filter(project=project, summary=False, milestone=False)
        .filter(predecessor_links__isnull=False, successor_links__isnull=False)
        .order_by("order")
        .first()
    )
    if task is None:
        raise SystemExit("The largest plan has no linked task to edit.")
    admin = get_user_model().objects.get(username="admin")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(admin)

    def get(url: str) -> Callable[[], Any]:
        def action() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return action

    def edit() -> None:
        for step in (1, -1):
            current = Task.objects.get(pk=task.pk)
            response = client.patch(
                f"/api/v1/tasks/{task.pk}/",
                {"duration": current.duration + step, "version": current.version},
                content_type="application/json",
            )
            assert response.status_code == 200, response.content[:300]

    rows = [
        ("reschedule(project)", *timed(lambda: services.reschedule(project), runs)),
        (
            "GET schedule API (the Gantt's data)",
            *timed(get(f"/api/v1/schedules/{project.pk}/"), runs),
        ),
        ("GET Plan tab", *timed(get(f"/projects/{project.pk}/plan/"), runs)),
        ("PATCH a task's duration, twice (+1, −1)", *timed(edit, runs)),
    ]
    facts = {"project": project.key, "pk": project.pk, "tasks": tasks, "links": links}
    return facts, rows


@contextlib.contextmanager
def server() -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    process = subprocess.Popen(  # noqa: S603 - our own command, no user input
        [str(ROOT / ".venv/bin/schakel"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=20, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


BRING_INTO_VIEW = """([id, row]) => {
  const sc = document.querySelector('.gantt-scroller');
  sc.scrollIntoView({block: 'start'});
  sc.scrollTop = Math.max(0, row * 30 - 90);
}"""

BAR_POINT = """(id) => {
  const sc = document.querySelector('.gantt-scroller');
  const grid = document.querySelector('.gantt-grid').getBoundingClientRect();
  const bar = document.querySelector(`.gantt-bar[data-id="${id}"]`);
  if (!bar) { return null; }
  const r = bar.getBoundingClientRect();
  if (r.left < grid.right + 40 || r.left > sc.getBoundingClientRect().right - 300) {
    sc.scrollLeft += r.left - grid.right - 200;
    return null;  // look again once the chart has drawn the new days
  }
  return {x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2};
}"""


def future_tasks(project_pk: int, count: int) -> list[tuple[int, int]]:
    """Tasks not started yet, spread over the plan: (id, row in the fully expanded chart)."""
    import datetime

    from schakel.planning.models import Task

    today = datetime.date.today()
    order = list(
        Task.objects.filter(project_id=project_pk).order_by("order").values_list("pk", flat=True)
    )
    rows = {pk: row for row, pk in enumerate(order)}
    candidates = list(
        Task.objects.filter(
            project_id=project_pk, summary=False, milestone=False, start__gt=today,
            percent_complete=0, duration__gte=2,
        ).order_by("order").values_list("pk", flat=True)
    )  # fmt: skip
    step = max(1, len(candidates) // (count + 1))
    return [(pk, rows[pk]) for pk in candidates[step::step][:count]]


def in_browser(
    project_pk: int, runs: int, targets: list[tuple[int, int]]
) -> list[tuple[str, float, float]]:
    from playwright.sync_api import sync_playwright

    from bench.gantt_browser import CHROMIUM, CHROMIUM_ARGS

    paints: list[float] = []
    trips: list[float] = []
    with server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "demo")
        page.press("#id_password", "Enter")
        page.wait_for_url(base + "/")
        for number in range(runs + 1):
            page.goto(f"{base}/projects/{project_pk}/plan/")
            page.wait_for_function("() => performance.getEntriesByName('gantt-first-paint').length")
            paint = page.evaluate(
                "() => performance.getEntriesByName('gantt-first-paint')[0].startTime"
            )
            if number:  # the first load warms the server's caches
                paints.append(paint / 1000)
        page.get_by_role("button", name="Day", exact=True).click()
        for task_id, row in targets:
            page.evaluate(BRING_INTO_VIEW, [task_id, row])
            target = None
            for _ in range(20):
                page.wait_for_timeout(150)  # let the chart draw the scrolled-to rows and days
                target = page.evaluate(BAR_POINT, task_id)
                if target is not None:
                    break
            if target is None:
                raise RuntimeError(f"task {task_id} did not come into view")
            before = page.evaluate("() => performance.getEntriesByName('gantt-update').length")
            page.mouse.move(target["x"], target["y"])
            page.mouse.down()
            page.mouse.move(target["x"] + 5 * 28, target["y"], steps=20)
            page.mouse.up()
            page.wait_for_function(
                f"() => performance.getEntriesByName('gantt-update').length > {before}"
            )
            trips.append(
                page.evaluate(
                    """() => performance.getEntriesByName('gantt-update-end').pop().startTime
                             - performance.getEntriesByName('gantt-request').pop().startTime"""
                )
                / 1000
            )
        browser.close()
    return [
        (
            "Plan tab: first Gantt frame (from navigation start)",
            statistics.median(paints),
            max(paints),
        ),
        ("Gantt: drag a bar, drop → rescheduled → redrawn", statistics.median(trips), max(trips)),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", help="write the results here as JSON")
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    facts, rows = in_process(args.runs)
    from django.db import connection

    print(
        f"Largest plan: {facts['project']}, {facts['tasks']:,} tasks, {facts['links']:,} links; "
        f"{connection.vendor}; load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'measure':<52} {'median':>8} {'slowest':>8} {'queries':>8}")
    for name, median, worst, queries in rows:
        print(f"{name:<52} {median:8.3f} {worst:8.3f} {queries:8d}")
        results.append({"name": name, "median_s": median, "max_s": worst, "queries": queries})
    if not args.no_browser:
        targets = future_tasks(facts["pk"], args.runs)
        for name, median, worst in in_browser(facts["pk"], args.runs, targets):
            print(f"{name:<52} {median:8.3f} {worst:8.3f}")
            results.append({"name": name, "median_s": median, "max_s": worst})
    write_json(args.json, {"plan": facts, "runs": args.runs, "measures": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
