"""Routes of the reporting pages: Reports tabs, cycles, the compliance view and reports.

A monthly cycle on programme "Support services" (ODI and POL report) and a draft report of
ODI for the current period. `viewer` and `member` see them; the programme's `manager` and
the `pmo` write the report; only the PMO sets up cycles, reviews, publishes and reminds.
Writes (`WRITE_ROUTES`) are refused to an outsider (404) and a viewer (403).
"""

from __future__ import annotations

from typing import Any

from tests.test_route_matrix import LOGIN, Route, none, portfolio, programme, project


def _made(ctx: Any) -> dict[str, Any]:
    return ctx.__dict__.setdefault("reporting_objects", {})


def _admin() -> Any:
    from schakel.accounts.models import User

    return User.objects.filter(is_superuser=True).first()


def cycle(ctx: Any) -> Any:
    from django.utils import timezone

    from schakel.reporting import services

    made = _made(ctx)
    if "cycle" not in made:
        made["cycle"] = services.cycle_create(
            scope=ctx.org.programme,
            by=_admin(),
            name="Monthly report",
            frequency="monthly",
            anchor=timezone.localdate(),
        )
    return made["cycle"]


def report(ctx: Any) -> Any:
    from schakel.reporting import services

    made = _made(ctx)
    if "report" not in made:
        the_cycle = cycle(ctx)
        made["report"] = services.report_start(
            cycle=the_cycle,
            project=ctx.org.project,
            period=services.reporting_period(the_cycle),
            by=_admin(),
        )
    return made["report"]


def export_kwargs(ctx: Any) -> dict[str, Any]:
    """A finished download of the viewer's: only the viewer may fetch it."""
    from schakel.accounts.models import User
    from schakel.reporting import exports, services

    made = _made(ctx)
    if "export" not in made:
        the_cycle = cycle(ctx)
        made["export"] = exports.start(
            cycle=the_cycle,
            period=services.reporting_period(the_cycle),
            kind="xlsx",
            user=User.objects.get(username="viewer"),
            language="en",
        )
    return {"pk": made["export"].pk}


def cycle_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": cycle(ctx).pk}


def cycle_project_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": cycle(ctx).pk, "project": ctx.org.project.pk}


def report_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": report(ctx).pk}


def new_in_programme(ctx: Any) -> dict[str, Any]:
    return {"scope_kind": "programme", "pk": ctx.org.programme.pk}


SEE = (LOGIN, 404, 200, 200, 200, 200, 200)  # everyone with a role on ODI or above
WRITE = (LOGIN, 404, 403, 403, 200, 200, 200)  # the programme's manager and above
PMO = (LOGIN, 404, 403, 403, 403, 200, 200)  # the PMO of the portfolio
POST_ONLY = (LOGIN, 405, 405, 405, 405, 405, 405)
OWNER = (LOGIN, 404, 200, 404, 404, 404, 404)  # the viewer's own download, nobody else's

#                   anon       outsider viewer member manager pmo  admin
ROUTES: dict[str, Route] = {
    "reporting:my_reports": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "reporting:project_reports": Route(project, SEE),
    "reporting:programme_reports": Route(programme, SEE),
    "reporting:portfolio_reports": Route(portfolio, SEE),
    "reporting:cycle_create": Route(new_in_programme, PMO),
    "reporting:cycle_detail": Route(cycle_kwargs, SEE),
    "reporting:cycle_edit": Route(cycle_kwargs, PMO),
    "reporting:cycle_publish": Route(cycle_kwargs, POST_ONLY),
    "reporting:cycle_remind": Route(cycle_project_kwargs, POST_ONLY),
    "reporting:report_start": Route(cycle_project_kwargs, POST_ONLY),
    "reporting:cycle_report": Route(cycle_kwargs, SEE),
    "reporting:key_messages": Route(cycle_kwargs, POST_ONLY),
    "reporting:export_start": Route(lambda ctx: {**cycle_kwargs(ctx), "kind": "pptx"}, POST_ONLY),
    "reporting:export_status": Route(export_kwargs, OWNER),
    "reporting:export_download": Route(export_kwargs, OWNER),
    "reporting:report_detail": Route(report_kwargs, SEE),
    "reporting:report_edit": Route(report_kwargs, WRITE),
    "reporting:report_milestones_from_plan": Route(report_kwargs, POST_ONLY),
    "reporting:report_submit": Route(report_kwargs, POST_ONLY),
    "reporting:report_return": Route(report_kwargs, POST_ONLY),
    "reporting:report_approve": Route(report_kwargs, POST_ONLY),
    "reporting:report_publish": Route(report_kwargs, POST_ONLY),
    "reporting:report_correct": Route(report_kwargs, POST_ONLY),
}

WRITE_ROUTES: dict[str, Any] = {
    "reporting:cycle_create": new_in_programme,
    "reporting:cycle_edit": cycle_kwargs,
    "reporting:cycle_publish": cycle_kwargs,
    "reporting:cycle_remind": cycle_project_kwargs,
    "reporting:report_start": cycle_project_kwargs,
    "reporting:key_messages": cycle_kwargs,
    "reporting:report_edit": report_kwargs,
    "reporting:report_milestones_from_plan": report_kwargs,
    "reporting:report_submit": report_kwargs,
    "reporting:report_return": report_kwargs,
    "reporting:report_approve": report_kwargs,
    "reporting:report_publish": report_kwargs,
    "reporting:report_correct": report_kwargs,
}
