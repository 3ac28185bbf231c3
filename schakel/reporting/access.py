"""Who may see and write progress reports: the only way views and the API read them.

A report is seen by whoever sees its project; a cycle by whoever sees its programme or
portfolio. The project manager writes and submits the report: anyone with at least a
manager role on the project, or the project's own manager with at least a member role. The
PMO (the PMO role on the cycle's programme or portfolio) sets up cycles, reviews, returns,
approves and publishes. Hidden answers 404, exactly like missing; too low a role 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from schakel.accounts.models import Role
from schakel.portfolio import access as portfolio_access

from .models import ReportingCycle, StatusReport

WRITE = Role.MANAGER
REVIEW = Role.PMO


def visible_cycles(user: Any, *, include_trashed: bool = False) -> QuerySet[ReportingCycle]:
    manager = ReportingCycle.all_objects if include_trashed else ReportingCycle.objects
    if not user.is_authenticated:
        return manager.none()
    return manager.filter(
        Q(programme__in=portfolio_access.visible_programmes(user))
        | Q(portfolio__in=portfolio_access.visible_portfolios(user))
    )


def visible_reports(user: Any) -> QuerySet[StatusReport]:
    if not user.is_authenticated:
        return StatusReport.objects.none()
    return StatusReport.objects.filter(
        project__in=portfolio_access.visible_projects(user),
        cycle__deleted_at__isnull=True,
    )


def can_manage(user: Any, cycle: ReportingCycle) -> bool:
    """Set up the cycle, review, return, approve, publish and remind: the PMO."""
    return portfolio_access.can(user, cycle.scope, REVIEW)


def can_write(user: Any, report: StatusReport) -> bool:
    """Fill in and submit the report: the project manager (see the module docstring)."""
    role = portfolio_access.role_on_project(user, report.project)
    if portfolio_access.has_role(role, WRITE):
        return True
    return report.project.manager_id == user.pk and portfolio_access.has_role(role, Role.MEMBER)


def cycle_for_user(user: Any, pk: Any, *, manage: bool = False) -> ReportingCycle:
    try:
        cycle = (
            visible_cycles(user).select_related("programme__portfolio", "portfolio").get(pk=int(pk))
        )
    except (ValueError, TypeError, OverflowError, ReportingCycle.DoesNotExist) as exc:
        raise Http404 from exc
    if manage and not can_manage(user, cycle):
        raise PermissionDenied
    return cycle


def report_for_user(
    user: Any, pk: Any, *, write: bool = False, review: bool = False
) -> StatusReport:
    try:
        report = (
            visible_reports(user)
            .select_related("cycle__programme__portfolio", "cycle__portfolio", "project__programme")
            .get(pk=int(pk))
        )
    except (ValueError, TypeError, OverflowError, StatusReport.DoesNotExist) as exc:
        raise Http404 from exc
    if write and not can_write(user, report):
        raise PermissionDenied
    if review and not can_manage(user, report.cycle):
        raise PermissionDenied
    return report
