"""Who may see and run meetings: the only way views, the API and the feeds read them.

A meeting (or series) is seen by whoever sees its scope: a project's meetings by the
project's people; a programme's by those with a role on the programme or its portfolio (as
programme-level register items are); the portfolio's by those with a role on the
portfolio. A person invited to a meeting (or registered for one of its sessions) sees it
too, as long as they see some part of its scope: the project managers invited to the
programme's steering committee, the managers invited to a portfolio-wide workshop
afternoon. Losing the last role in the scope hides it again.

Managers and above plan meetings and series. The chair and the minute taker of a meeting
run it (agenda, attendance, minutes) when they hold at least a member role. Hidden answers
404, exactly like missing; too low a role answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from schakel.accounts.models import Membership, Role, User
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Portfolio, Programme, Project
from schakel.registers.access import programmes_with_role

from .models import Attendance, Meeting, MeetingSeries, Registration

# Who may plan series and meetings (and delete them); who may run a meeting they chair
# or minute.
PLAN = Role.MANAGER
RUN = Role.MEMBER

S = TypeVar("S", Meeting, MeetingSeries)


def portfolios_with_role(user: Any) -> QuerySet[Portfolio]:
    roles = portfolio_access.roles_of(user)
    if roles.superuser:
        return Portfolio.objects.all()
    if not user.is_authenticated:
        return Portfolio.objects.none()
    return Portfolio.objects.filter(pk__in=list(roles.portfolios))


def _scope_condition(user: Any) -> Q:
    return (
        Q(project__in=portfolio_access.visible_projects(user))
        | Q(programme__in=programmes_with_role(user))
        | Q(portfolio__in=portfolios_with_role(user))
    )


def visible_series(user: Any, *, include_trashed: bool = False) -> QuerySet[MeetingSeries]:
    manager = MeetingSeries.all_objects if include_trashed else MeetingSeries.objects
    if not user.is_authenticated:
        return manager.none()
    return manager.filter(_scope_condition(user))


def visible_meetings(user: Any, *, include_trashed: bool = False) -> QuerySet[Meeting]:
    manager = Meeting.all_objects if include_trashed else Meeting.objects
    if not user.is_authenticated:
        return manager.none()
    condition = _scope_condition(user)
    if not portfolio_access.roles_of(user).superuser:
        invited = Q(pk__in=Attendance.objects.filter(user=user).values("meeting_id")) | Q(
            pk__in=Registration.objects.filter(user=user).values("session__meeting_id")
        )
        part_visible = (
            Q(portfolio__in=portfolio_access.visible_portfolios(user))
            | Q(programme__in=portfolio_access.visible_programmes(user))
            | Q(project__in=portfolio_access.visible_projects(user))
        )
        condition |= invited & part_visible
    return manager.filter(condition)


def role_on_scope(user: Any, obj: Meeting | MeetingSeries) -> str | None:
    return portfolio_access.role_on(user, obj.scope)


def can_plan(user: Any, scope: Portfolio | Programme | Project) -> bool:
    """Whether the user may create series and meetings in a scope."""
    return portfolio_access.can(user, scope, PLAN)


def can_edit_series(user: Any, series: MeetingSeries) -> bool:
    return portfolio_access.has_role(role_on_scope(user, series), PLAN)


def can_run(user: Any, meeting: Meeting) -> bool:
    """Whether the user may change the agenda, attendance and minutes of the meeting."""
    role = role_on_scope(user, meeting)
    if portfolio_access.has_role(role, PLAN):
        return True
    runs_it = user.pk is not None and user.pk in (meeting.chair_id, meeting.minute_taker_id)
    return runs_it and portfolio_access.has_role(role, RUN)


def can_plan_meeting(user: Any, meeting: Meeting) -> bool:
    """Whether the user may reschedule, cancel or delete the meeting (a manager's call)."""
    return portfolio_access.has_role(role_on_scope(user, meeting), PLAN)


_RELATED = ("project__programme__portfolio", "programme__portfolio", "portfolio")


def _get(queryset: QuerySet[S], pk: Any) -> S:
    try:
        return queryset.select_related(*_RELATED).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, queryset.model.DoesNotExist) as exc:
        raise Http404 from exc


def series_for_user(user: Any, pk: Any, *, edit: bool = False) -> MeetingSeries:
    """Return a series the user may see, else 404; 403 when `edit` and not a manager."""
    series = _get(visible_series(user), pk)
    if edit and not can_edit_series(user, series):
        raise PermissionDenied
    return series


def meeting_for_user(user: Any, pk: Any, *, run: bool = False, plan: bool = False) -> Meeting:
    """Return a meeting the user may see, else 404.

    `run` asks for the right to change agenda, attendance and minutes (chair, minute taker,
    managers); `plan` for the right to reschedule, cancel or delete (managers). 403 without.
    """
    meeting = _get(visible_meetings(user).select_related("series", "chair", "minute_taker"), pk)
    if plan and not can_plan_meeting(user, meeting):
        raise PermissionDenied
    if run and not can_run(user, meeting):
        raise PermissionDenied
    return meeting


def scope_for_user(
    user: Any, kind: str, pk: Any, *, plan: bool = False
) -> Portfolio | Programme | Project:
    """The portfolio, programme or project a meeting list is shown for (404 if hidden)."""
    if kind == "project":
        scope: Portfolio | Programme | Project = portfolio_access.project_for_user(user, pk)
    elif kind == "programme":
        scope = portfolio_access.programme_for_user(user, pk)
    elif kind == "portfolio":
        scope = portfolio_access.portfolio_for_user(user, pk)
    else:
        raise Http404
    if plan and not can_plan(user, scope):
        raise PermissionDenied
    return scope


def meeting_people(
    scope: Portfolio | Programme | Project, *, keep: Iterable[int | None] = ()
) -> QuerySet[User]:
    """Active people who may take part in a meeting of the scope, by name.

    Anyone who sees some part of the scope: a programme's steering committee invites the
    managers of its projects, a portfolio-wide workshop every manager in the portfolio (see
    `visible_meetings`: invitees who see part of the scope see the meeting). `keep` adds
    people who hold a value already (the current chair), so an edit never drops them.
    """
    if isinstance(scope, Project):
        where = (
            Q(project_id=scope.pk)
            | Q(programme_id=scope.programme_id)
            | Q(portfolio_id=scope.programme.portfolio_id)
        )
    elif isinstance(scope, Programme):
        where = (
            Q(programme_id=scope.pk)
            | Q(portfolio_id=scope.portfolio_id)
            | Q(project__programme_id=scope.pk)
        )
    else:
        where = (
            Q(portfolio_id=scope.pk)
            | Q(programme__portfolio_id=scope.pk)
            | Q(project__programme__portfolio_id=scope.pk)
        )
    members = Membership.objects.filter(where).values("user_id")
    kept = [pk for pk in keep if pk]
    return User.objects.filter(Q(is_active=True, pk__in=members) | Q(pk__in=kept)).order_by(
        "first_name", "last_name", "username"
    )
