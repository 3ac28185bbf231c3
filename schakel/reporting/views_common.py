"""Small helpers the reporting pages share: scopes, crumbs, periods and versions."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.reporting.periods import Period
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.portfolio.models import scope_kind as scope_kind_of
from schakel.portfolio.views_history import object_breadcrumbs

from . import services
from .models import ReportingCycle

Scope = Portfolio | Programme | Project
SHOWN_PERIODS = 12


def scope_reports_url(scope: Scope) -> str:
    """The Reports tab of the scope."""
    return reverse(f"reporting:{scope_kind_of(scope)}_reports", args=[scope.pk])


def crumbs(scope: Scope, *tail: Any) -> list[tuple[str, str | None]]:
    """Portfolio › Programme › (Project ›) Reports › ..."""
    return object_breadcrumbs(scope, (_("Reports"), scope_reports_url(scope)), *tail)


def version_of(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def recent_periods(cycle: ReportingCycle, today: datetime.date | None = None) -> list[Period]:
    """The last periods that ended, newest first (for the period selector)."""
    today = today or timezone.localdate()
    return services.core_cycle(cycle).periods_before(today, SHOWN_PERIODS)[::-1]


def chosen_period(cycle: ReportingCycle, raw: str | None) -> Period:
    """The period named by its end date (one of the recent ones), else the reporting period."""
    periods = recent_periods(cycle)
    for period in periods:
        if raw and period.end.isoformat() == raw:
            return period
    return periods[0]
