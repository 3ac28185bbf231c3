"""The reporting API in the route matrix: every route, every persona.

The cycle and the draft report of ODI are those of `reporting_pages.py`: viewers and members
see them, the programme's manager, the PMO and the site administrator too; an outsider gets
404 exactly as for a missing one. An export is seen by the one who made it (the member)
only. Routes that only take POST answer 405 to a GET; writes (`WRITE_ROUTES`) are refused
to an outsider (404) and a viewer (403) and change nothing.
"""

from __future__ import annotations

from typing import Any

from tests.routes.reporting_pages import cycle_kwargs, report_kwargs
from tests.test_route_matrix import API_ANON, Route, none

SEE = (API_ANON, 404, 200, 200, 200, 200, 200)
EVERYONE = (API_ANON, 200, 200, 200, 200, 200, 200)
POST_ONLY = (API_ANON, 405, 405, 405, 405, 405, 405)
OWNER_ONLY = (API_ANON, 404, 404, 200, 404, 404, 404)  # the member made the export


def member_export(ctx: Any) -> dict[str, Any]:
    """An Excel export of the cycle's current period, made by the member."""
    from schakel.reporting import exports, services
    from tests.routes.reporting_pages import cycle

    made = ctx.__dict__.setdefault("reporting_api_objects", {})
    if "export" not in made:
        the_cycle = cycle(ctx)
        made["export"] = exports.start(
            cycle=the_cycle,
            period=services.reporting_period(the_cycle),
            kind="xlsx",
            user=ctx.member,
            language="en",
        )
    return {"pk": made["export"].pk}


#                     anon      outsider viewer member manager pmo  admin
ROUTES: dict[str, Route] = {
    "reporting-cycle-list": Route(none, EVERYONE),
    "reporting-cycle-detail": Route(cycle_kwargs, SEE),
    "reporting-cycle-compliance": Route(cycle_kwargs, SEE),
    "reporting-cycle-report": Route(cycle_kwargs, SEE),
    "reporting-cycle-key-messages": Route(cycle_kwargs, SEE),
    "reporting-cycle-remind": Route(cycle_kwargs, POST_ONLY),
    "reporting-cycle-exports": Route(cycle_kwargs, POST_ONLY),
    "report-export-detail": Route(member_export, OWNER_ONLY),
    "report-export-download": Route(member_export, OWNER_ONLY),
    "status-report-list": Route(none, EVERYONE),
    "status-report-detail": Route(report_kwargs, SEE),
    "status-report-submit": Route(report_kwargs, POST_ONLY),
    "status-report-return": Route(report_kwargs, POST_ONLY),
    "status-report-approve": Route(report_kwargs, POST_ONLY),
    "status-report-publish": Route(report_kwargs, POST_ONLY),
    "status-report-correct": Route(report_kwargs, POST_ONLY),
}

# An outsider's POST answers 404 and a viewer's 403, and nothing changes. Exports are left
# out: anyone who sees a cycle may download its report.
WRITE_ROUTES: dict[str, Any] = {
    "reporting-cycle-remind": cycle_kwargs,
    "status-report-submit": report_kwargs,
    "status-report-return": report_kwargs,
    "status-report-approve": report_kwargs,
    "status-report-publish": report_kwargs,
    "status-report-correct": report_kwargs,
}
