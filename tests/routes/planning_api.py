"""The planning API in the route matrix: every route, every persona.

The plan of project ODI has two tasks, the second waiting for the first, and a baseline:
viewers and members see them, the programme's manager, the PMO and the site administrator
too; an outsider gets 404 exactly as for a missing one. Routes that take only POST (or
DELETE) answer 405 to a GET; writes (`WRITE_ROUTES`) are refused to an outsider (404) and a
viewer (403) and change nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.routes import objects
from tests.test_route_matrix import API_ANON, Route, none, project

SEE = (API_ANON, 404, 200, 200, 200, 200, 200)
EVERYONE = (API_ANON, 200, 200, 200, 200, 200, 200)
POST_ONLY = (API_ANON, 405, 405, 405, 405, 405, 405)
DELETE_ONLY = POST_ONLY
HOLIDAY = datetime.date(2026, 3, 20)


def plan(ctx: Any) -> dict[str, Any]:
    """ODI's plan, made once per test: tasks "Design" and "Build" (FS), a day off, a baseline."""
    from schakel.planning import services
    from schakel.planning.models import ProjectPlan

    made = ctx.__dict__.setdefault("planning_api_objects", {})
    if not made:
        admin = objects._admin(ctx)
        the_plan = ProjectPlan.objects.create(
            project=ctx.org.project, start=datetime.date(2026, 3, 2)
        )
        design = services.task_create(project=ctx.org.project, by=admin, name="Design", duration=3)
        build = services.task_create(project=ctx.org.project, by=admin, name="Build", duration=2)
        made["link"] = services.link_create(predecessor=design, successor=build, by=admin)
        services.exception_set(plan=the_plan, day=HOLIDAY, working=False, by=admin)
        made["baseline"] = services.baseline_create(project=ctx.org.project, name="Plan", by=admin)
        made["design"], made["build"] = design, build
    return made


def task_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": plan(ctx)["build"].pk}


def link_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": plan(ctx)["link"].pk}


def baseline_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": plan(ctx)["baseline"].pk}


def planned_project(ctx: Any) -> dict[str, Any]:
    plan(ctx)
    return project(ctx)


def exception_kwargs(ctx: Any) -> dict[str, Any]:
    return {**planned_project(ctx), "day": HOLIDAY.isoformat()}


#                     anon      outsider viewer member manager pmo  admin
ROUTES: dict[str, Route] = {
    "task-list": Route(none, EVERYONE),
    "task-detail": Route(task_kwargs, SEE),
    "task-indent": Route(task_kwargs, POST_ONLY),
    "task-outdent": Route(task_kwargs, POST_ONLY),
    "task-move": Route(task_kwargs, POST_ONLY),
    "task-link-list": Route(none, EVERYONE),
    "task-link-detail": Route(link_kwargs, SEE),
    "baseline-list": Route(none, EVERYONE),
    "baseline-detail": Route(baseline_kwargs, SEE),
    "calendar-detail": Route(planned_project, SEE),
    "calendar-exceptions": Route(planned_project, POST_ONLY),
    "calendar-exception": Route(exception_kwargs, DELETE_ONLY),
    "schedule-detail": Route(planned_project, SEE),
    "schedule-mspdi": Route(planned_project, SEE),
}

# An outsider's POST answers 404 and a viewer's 403, and nothing changes (the snapshot of
# `test_route_matrix` includes the plans, tasks, links and baselines).
WRITE_ROUTES: dict[str, Any] = {
    "task-indent": task_kwargs,
    "task-outdent": task_kwargs,
    "task-move": task_kwargs,
    "calendar-exceptions": planned_project,
    "schedule-mspdi": planned_project,
}
