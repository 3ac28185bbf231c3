"""The roadmap of a programme or the portfolio, with the milestone trend analysis."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from schakel.core.charts.gantt import roadmap_svg
from schakel.core.charts.mta import mta_svg
from schakel.lib import safe_html
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme
from schakel.portfolio.models import scope_kind as scope_kind_of
from schakel.portfolio.views_history import object_breadcrumbs

from . import roadmap
from .labels import chart_labels


def _page(request: HttpRequest, scope: Programme | Portfolio) -> HttpResponse:
    visible = portfolio_access.visible_projects(request.user).filter(archived_at__isnull=True)
    if isinstance(scope, Programme):
        projects = visible.filter(programme=scope)
    else:
        projects = visible.filter(programme__portfolio=scope, programme__deleted_at__isnull=True)
    lanes, dependencies = roadmap.roadmap(projects)
    trend, dates = roadmap.milestone_trend(projects)
    labels = chart_labels()
    today = timezone.localdate()
    context: dict[str, Any] = {
        "scope": scope,
        "scope_kind": scope_kind_of(scope),
        "lanes": lanes,
        "slipped": sum(
            1 for lane in lanes for m in lane.milestones if m.baseline and m.date > m.baseline
        ),
        # As the cockpit counts them: not done, and the forecast or baseline date passed.
        "late": sum(1 for lane in lanes for m in lane.milestones if m.late),
        "breadcrumbs": object_breadcrumbs(scope, _("Roadmap")),
    }
    if lanes:
        # Our chart module escapes every string it draws.
        context["roadmap"] = safe_html.chart(
            roadmap_svg(lanes, dependencies, today=today, labels=labels, svg_id="roadmap")
        )
    if trend:
        context["trend"] = safe_html.chart(mta_svg(trend, dates, labels=labels, svg_id="mta"))
    return render(request, "planning/roadmap.html", context)


@login_required
@require_GET
def programme_roadmap(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, portfolio_access.programme_for_user(request.user, pk))


@login_required
@require_GET
def portfolio_roadmap(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, portfolio_access.portfolio_for_user(request.user, pk))
