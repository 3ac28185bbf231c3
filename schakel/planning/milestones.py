"""Milestones of project plans as others read them: the next ones, slippage, late ones.

Status reports, the portfolio cockpit, the calendar feed and the roadmap ask the same
questions of the plans, so they are answered once, here:

- a milestone's **forecast** is its scheduled finish (its actual date once it is done);
- its **baseline** is its finish in the project's newest baseline (none when the newest
  baseline does not hold it, or the project has no baseline);
- it is **done** when it has an actual finish or is 100 % complete;
- it has **slipped** when the forecast lies after the baseline. The slip is counted in
  **working days** of the project's calendar, as the plan's variance columns count it
  (`services.variances`); a negative slip is a milestone ahead of its baseline;
- it is **late** when it is not done and its forecast or its baseline date has passed.

Slipped milestones are counted whether done or not (a milestone reached late still
missed its baseline, as the roadmap counts it); late ones are open by definition.

Every function reads a fixed number of queries whatever the number of projects: one for
the milestones with their baseline dates, and — only when some milestone lies off its
baseline — one each for the plans and their calendar exceptions, to count working days.
The caller passes the projects the reader may see: nothing here checks access.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from schakel.core.scheduling import ScheduleError, SchedulingCalendar, WorkdayIndex
from schakel.portfolio.models import Project

from .models import Baseline, BaselineTask, CalendarException, ProjectPlan, Task

# The unit of every `slip_days` here, for whoever prints the number.
SLIP_UNIT = "working days"
NEXT_PER_PROJECT = 5
REPORT_MILESTONES = 10

Projects: TypeAlias = "QuerySet[Project] | Iterable[Project] | Iterable[int]"


@dataclass(frozen=True)
class Milestone:
    """One milestone of a plan as reports, the cockpit and calendars show it."""

    task_id: int
    project_id: int
    name: str
    forecast: datetime.date
    baseline: datetime.date | None
    # Working days the forecast lies after the baseline (negative: ahead); None without one.
    slip_days: int | None
    done: bool
    late: bool
    version: int = 0

    @property
    def slipped(self) -> bool:
        """Whether the forecast lies after the baseline date."""
        return self.baseline is not None and self.forecast > self.baseline

    def report_row(self) -> dict[str, Any]:
        """The milestone as a row of a status report's milestone section."""
        return {
            "title": self.name[:200],
            "baseline": self.baseline.isoformat() if self.baseline else None,
            "forecast": self.forecast.isoformat(),
            "done": self.done,
        }


@dataclass
class ProjectMilestones:
    """Where one project's milestones stand: the next open ones and the counts."""

    project_id: int
    next: list[Milestone]
    total: int = 0
    slipped: int = 0
    late: int = 0
    # The largest slip (working days) of the slipped milestones; None when none slipped.
    worst_slip: int | None = None

    @property
    def first(self) -> Milestone | None:
        """The next open milestone, if any."""
        return self.next[0] if self.next else None


def newest_baseline_finish() -> Subquery:
    """Annotate a `Task` queryset with each task's finish in its project's newest baseline."""
    newest = (
        Baseline.objects.filter(project_id=OuterRef(OuterRef("project_id")))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    kept = BaselineTask.objects.filter(task_id=OuterRef("pk"), baseline_id=Subquery(newest))
    return Subquery(kept.values("finish")[:1])


def is_done(task: Task) -> bool:
    """Whether the task is done: it has an actual finish or is complete."""
    return task.actual_finish is not None or task.percent_complete >= 100


def _project_filter(projects: Projects) -> dict[str, Any]:
    if isinstance(projects, QuerySet):
        return {"project__in": projects.order_by().values("pk")}
    return {"project_id__in": [p if isinstance(p, int) else p.pk for p in projects]}


def _calendars(project_ids: set[int]) -> dict[int, SchedulingCalendar]:
    """The working calendar of each project's plan, in two queries.

    Plans with the same week, country and exceptions share one calendar object, so the
    working days of a year are worked out once for most of them.
    """
    plans = list(
        ProjectPlan.objects.filter(project_id__in=project_ids).values_list(
            "pk", "project_id", "weekdays", "holidays"
        )
    )
    exceptions: dict[int, tuple[list[datetime.date], list[datetime.date]]] = defaultdict(
        lambda: ([], [])
    )
    for plan_id, day, working in CalendarException.objects.filter(
        plan_id__in=[plan[0] for plan in plans]
    ).values_list("plan_id", "day", "working"):
        exceptions[plan_id][1 if working else 0].append(day)
    shared: dict[Any, SchedulingCalendar] = {}
    calendars: dict[int, SchedulingCalendar] = {}
    for plan_id, project_id, weekdays, holidays in plans:
        off, extra = exceptions.get(plan_id, ([], []))
        key = (tuple(weekdays or ()), holidays, frozenset(off), frozenset(extra))
        if key not in shared:
            shared[key] = SchedulingCalendar.of(
                weekdays=weekdays or (0, 1, 2, 3, 4),
                country=holidays,
                days_off=off,
                working_days=extra,
            )
        calendars[project_id] = shared[key]
    return calendars


def _slip(
    calendar: SchedulingCalendar, forecast: datetime.date, baseline: datetime.date
) -> int | None:
    try:
        index = WorkdayIndex(calendar, min(forecast, baseline))
        return index.on_or_after(forecast) - index.on_or_after(baseline)
    except ScheduleError:  # a calendar without working days: no count to give
        return None


def project_milestones(
    projects: Projects,
    *,
    today: datetime.date | None = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> dict[int, list[Milestone]]:
    """Every scheduled milestone of the projects, per project in date order.

    With `first` and `last`, only milestones whose forecast lies in that window.
    """
    today = today or timezone.localdate()
    tasks = Task.objects.filter(**_project_filter(projects), milestone=True, finish__isnull=False)
    if first is not None:
        tasks = tasks.filter(finish__gte=first)
    if last is not None:
        tasks = tasks.filter(finish__lte=last)
    rows = list(
        tasks.annotate(kept=newest_baseline_finish())
        .order_by("project_id", "finish", "order", "pk")
        .values_list(
            "pk", "project_id", "name", "finish", "kept", "percent_complete", "actual_finish",
            "version",
        )
    )  # fmt: skip
    moved = {row[1] for row in rows if row[4] is not None and row[4] != row[3]}
    calendars = _calendars(moved) if moved else {}
    default = SchedulingCalendar.of()
    found: dict[int, list[Milestone]] = defaultdict(list)
    for pk, project_id, name, forecast, baseline, percent, actual, version in rows:
        if forecast is None:  # filtered out above; tells the type checker so
            continue
        done = actual is not None or percent >= 100
        slip: int | None = None
        if baseline is not None:
            slip = 0
            if baseline != forecast:
                slip = _slip(calendars.get(project_id, default), forecast, baseline)
        passed = forecast < today or (baseline is not None and baseline < today)
        found[project_id].append(
            Milestone(
                task_id=pk,
                project_id=project_id,
                name=name,
                forecast=forecast,
                baseline=baseline,
                slip_days=slip,
                done=done,
                late=not done and passed,
                version=version,
            )
        )
    return dict(found)


def next_milestones(
    projects: Projects, *, today: datetime.date, per_project: int = NEXT_PER_PROJECT
) -> dict[int, list[Milestone]]:
    """The first open milestones of each project (overdue ones first), by project."""
    return {
        project_id: open_[:per_project]
        for project_id, milestones in project_milestones(projects, today=today).items()
        if (open_ := [m for m in milestones if not m.done])
    }


def summarise(
    project_id: int, milestones: list[Milestone], per_project: int = NEXT_PER_PROJECT
) -> ProjectMilestones:
    """Count one project's slipped and late milestones and pick its next open ones."""
    slips = [m.slip_days for m in milestones if m.slipped and m.slip_days is not None]
    return ProjectMilestones(
        project_id=project_id,
        next=[m for m in milestones if not m.done][:per_project],
        total=len(milestones),
        slipped=sum(1 for m in milestones if m.slipped),
        late=sum(1 for m in milestones if m.late),
        worst_slip=max(slips) if slips else None,
    )


def milestone_status(
    projects: Projects,
    today: datetime.date | None = None,
    *,
    per_project: int = NEXT_PER_PROJECT,
) -> dict[int, ProjectMilestones]:
    """Per project with milestones: its next open ones, how many slipped, how many are late
    and the worst slip (working days)."""
    return {
        project_id: summarise(project_id, milestones, per_project)
        for project_id, milestones in project_milestones(projects, today=today).items()
    }


def report_milestones(
    project: Project,
    *,
    period_start: datetime.date,
    period_end: datetime.date,
    today: datetime.date | None = None,
    limit: int = REPORT_MILESTONES,
) -> tuple[list[dict[str, Any]], set[str]]:
    """The milestone rows a status report takes from the plan, and every milestone's name.

    The rows are the milestones done within the period and the next open ones, at most
    `limit` in date order (done ones take at most half the rows). The names of all the
    plan's milestones let the caller tell a row it copied from an earlier report about the
    same milestone from one the project manager added by hand.
    """
    milestones = project_milestones([project.pk], today=today).get(project.pk, [])
    done = [m for m in milestones if m.done and period_start <= m.forecast <= period_end]
    done = done[-(limit // 2) :] if limit // 2 else []
    upcoming = [m for m in milestones if not m.done][: limit - len(done)]
    rows = sorted(done + upcoming, key=lambda m: (m.forecast, m.name))
    return [m.report_row() for m in rows], {m.name.strip().casefold() for m in milestones}
