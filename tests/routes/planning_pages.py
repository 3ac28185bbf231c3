"""Routes of the plan pages: the outline, tasks, links, calendar, baselines, MS Project XML
and the Gantt downloads.

ODI gets a plan with two linked tasks, a day off and a baseline, and a dependency on POL
to connect to the plan. Everyone with a role on ODI reads the plan; the programme's
`manager`, the `pmo` and the admin shape it (the `member` is not ODI's project manager and
owns no task). Writes (`WRITE_ROUTES`) are refused to an outsider (404) and a viewer (403).
"""

from __future__ import annotations

import datetime
from typing import Any

from tests.test_route_matrix import LOGIN, Route, _register_item, portfolio, programme, project

SEE = (LOGIN, 404, 200, 200, 200, 200, 200)
EDIT = (LOGIN, 404, 403, 403, 200, 200, 200)
POST_ONLY = (LOGIN, 405, 405, 405, 405, 405, 405)


def _made(ctx: Any) -> dict[str, Any]:
    made = ctx.__dict__.setdefault("planning_objects", {})
    if not made:
        from schakel.accounts.models import User
        from schakel.planning import services
        from schakel.planning.models import ProjectPlan

        admin = User.objects.filter(is_superuser=True).first()
        plan = ProjectPlan.objects.create(project=ctx.org.project, start=datetime.date(2026, 3, 2))
        design = services.task_create(project=ctx.org.project, by=admin, name="Design", duration=3)
        build = services.task_create(project=ctx.org.project, by=admin, name="Build", duration=2)
        made["link"] = services.link_create(predecessor=design, successor=build, by=admin)
        made["exception"] = services.exception_set(
            plan=plan, day=datetime.date(2026, 3, 4), working=False, by=admin
        )
        services.baseline_create(project=ctx.org.project, name="Approved", by=admin)
        made["task"] = build
    return made


def task(ctx: Any) -> dict[str, Any]:
    return {"pk": _made(ctx)["task"].pk}


def task_up(ctx: Any) -> dict[str, Any]:
    return {"pk": _made(ctx)["task"].pk, "direction": "up"}


def link(ctx: Any) -> dict[str, Any]:
    return {"pk": _made(ctx)["link"].pk}


def dependency(ctx: Any) -> dict[str, Any]:
    """A dependency of ODI on POL, not in the plan yet (to connect it)."""
    return {"pk": _register_item(ctx, "dependency").pk}


def exception(ctx: Any) -> dict[str, Any]:
    return {"pk": _made(ctx)["exception"].pk}


def planned(ctx: Any) -> dict[str, Any]:
    _made(ctx)
    return project(ctx)


def gantt_pdf(ctx: Any) -> dict[str, Any]:
    return {**planned(ctx), "kind": "pdf"}


#                   anon       outsider viewer member manager pmo  admin
ROUTES: dict[str, Route] = {
    "planning:project_plan": Route(planned, SEE),
    "planning:task_create": Route(planned, EDIT),
    "planning:plan_settings": Route(planned, EDIT),
    "planning:baseline_create": Route(planned, POST_ONLY),
    "planning:plan_import": Route(planned, EDIT),
    "planning:plan_export": Route(planned, SEE),
    "planning:gantt_download": Route(gantt_pdf, SEE),
    "planning:task_edit": Route(task, EDIT),
    "planning:task_indent": Route(task, POST_ONLY),
    "planning:task_outdent": Route(task, POST_ONLY),
    "planning:task_move": Route(task_up, POST_ONLY),
    "planning:task_delete": Route(task, POST_ONLY),
    "planning:link_create": Route(task, POST_ONLY),
    "planning:link_options": Route(task, EDIT),
    "planning:link_delete": Route(link, POST_ONLY),
    "planning:exception_delete": Route(exception, POST_ONLY),
    "planning:dependency_connect": Route(dependency, POST_ONLY),
    "planning:programme_roadmap": Route(programme, SEE),
    "planning:portfolio_roadmap": Route(portfolio, SEE),
}

WRITE_ROUTES: dict[str, Any] = {
    "planning:task_create": planned,
    "planning:plan_settings": planned,
    "planning:baseline_create": planned,
    "planning:plan_import": planned,
    "planning:task_edit": task,
    "planning:task_indent": task,
    "planning:task_outdent": task,
    "planning:task_move": task_up,
    "planning:task_delete": task,
    "planning:link_create": task,
    "planning:link_delete": link,
    "planning:exception_delete": exception,
    "planning:dependency_connect": dependency,
}
