"""Who may see and change project plans: the only way views and the API read them.

A plan is seen by whoever sees its project. The project manager shapes it: anyone with at
least the manager role on the project (the programme's managers and the PMO included), or
the project's own manager with at least a member role. A task's owner with a member role
reports progress on it (percent complete, actual dates). Hidden answers 404, exactly like
missing; too low a role 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from schakel.accounts.models import Role
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Project

from .models import Baseline, Task, TaskLink

PROGRESS_FIELDS = frozenset({"percent_complete", "actual_start", "actual_finish"})


def visible_tasks(user: Any) -> QuerySet[Task]:
    if not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(project__in=portfolio_access.visible_projects(user))


def visible_links(user: Any) -> QuerySet[TaskLink]:
    """Links whose two tasks the user both sees (a cross-project link needs both projects)."""
    if not user.is_authenticated:
        return TaskLink.objects.none()
    projects = portfolio_access.visible_projects(user)
    return TaskLink.objects.filter(
        predecessor__project__in=projects, successor__project__in=projects
    )


def visible_baselines(user: Any) -> QuerySet[Baseline]:
    if not user.is_authenticated:
        return Baseline.objects.none()
    return Baseline.objects.filter(project__in=portfolio_access.visible_projects(user))


def can_edit_plan(user: Any, project: Project) -> bool:
    """Add, change, link, move and remove tasks; baselines, calendar and imports."""
    role = portfolio_access.role_on_project(user, project)
    if portfolio_access.has_role(role, Role.MANAGER):
        return True
    return project.manager_id == user.pk and portfolio_access.has_role(role, Role.MEMBER)


def can_report_progress(user: Any, task: Task) -> bool:
    """Change a task's percent complete and actual dates: its owner, or the plan's editors."""
    if can_edit_plan(user, task.project):
        return True
    role = portfolio_access.role_on_project(user, task.project)
    return task.owner_id == user.pk and portfolio_access.has_role(role, Role.MEMBER)


def task_for_user(user: Any, pk: Any, *, edit: bool = False) -> Task:
    try:
        task = visible_tasks(user).select_related("project__programme").get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, Task.DoesNotExist) as exc:
        raise Http404 from exc
    if edit and not can_edit_plan(user, task.project):
        raise PermissionDenied
    return task


def link_for_user(user: Any, pk: Any, *, edit: bool = False) -> TaskLink:
    try:
        link = (
            visible_links(user)
            .select_related("predecessor__project__programme", "successor__project__programme")
            .get(pk=int(pk))
        )
    except (ValueError, TypeError, OverflowError, TaskLink.DoesNotExist) as exc:
        raise Http404 from exc
    if edit and not (
        can_edit_plan(user, link.successor.project) or can_edit_plan(user, link.predecessor.project)
    ):
        raise PermissionDenied
    return link


def baseline_for_user(user: Any, pk: Any, *, edit: bool = False) -> Baseline:
    try:
        baseline = visible_baselines(user).select_related("project__programme").get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, Baseline.DoesNotExist) as exc:
        raise Http404 from exc
    if edit and not can_edit_plan(user, baseline.project):
        raise PermissionDenied
    return baseline
