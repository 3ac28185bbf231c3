"""The programme roadmap and the milestone trend analysis, as chart data.

The roadmap puts every project of a programme (or portfolio) the reader sees on one
timeline: its span, its milestones with their baseline dates (from the project's newest
baseline) and the links between tasks of different projects. The milestone trend
analysis takes each baseline as a reporting moment: the date a milestone was forecast for
when the baseline was saved, and today's forecast.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import F, Max, Min, QuerySet
from django.utils import timezone

from schakel.core.charts.gantt import RoadmapDependency, RoadmapMilestone, RoadmapProject
from schakel.core.charts.mta import MtaMilestone
from schakel.portfolio.models import Project

from .milestones import is_done, project_milestones
from .models import BaselineTask, Task, TaskLink

MAX_TREND_MILESTONES = 12
MAX_DEPENDENCIES = 300  # arrows on one roadmap; more would hide the lanes
TREND_LOOKBACK = datetime.timedelta(days=91)


def roadmap(projects: QuerySet[Project]) -> tuple[list[RoadmapProject], list[RoadmapDependency]]:
    """Lanes and dependencies for the projects (only those with a plan are drawn).

    A fixed number of queries whatever the size of the plans: each project's span
    (aggregated by the database), its milestones with their baseline dates and slip in
    working days (`milestones.project_milestones`, as the cockpit and reports count them),
    and the first MAX_DEPENDENCIES links between tasks of different projects."""
    ids = list(projects.values_list("pk", flat=True))
    spans = {
        row["project_id"]: (row["first"], row["last"])
        for row in Task.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(first=Min("start"), last=Max("finish"))
        if row["first"] is not None
    }
    today = timezone.localdate()
    milestones: dict[int, list[RoadmapMilestone]] = {
        project_id: [
            RoadmapMilestone(
                name=m.name,
                date=m.forecast,
                baseline=m.baseline,
                done=m.done,
                late=m.late,
                slipped_days=m.slip_days if m.slipped else None,  # working days
                key=str(m.task_id),
            )
            for m in found
        ]
        for project_id, found in project_milestones(ids, today=today).items()
    }
    lanes = [
        RoadmapProject(
            key=project.key,
            name=project.name,
            start=spans[project.pk][0],
            finish=spans[project.pk][1] or spans[project.pk][0],
            milestones=milestones.get(project.pk, []),
        )
        for project in projects.order_by("key")
        if project.pk in spans
    ]
    keys = {p.pk: p.key for p in projects}
    links = (
        TaskLink.objects.filter(predecessor__project_id__in=ids, successor__project_id__in=ids)
        .exclude(predecessor__project=F("successor__project"))
        .order_by("successor__start", "pk")
        .values_list(
            "predecessor_id", "successor_id", "predecessor__project", "successor__project",
            "predecessor__finish", "successor__start", "predecessor__name", "successor__name",
        )[:MAX_DEPENDENCIES]
    )  # fmt: skip
    dependencies = [
        RoadmapDependency(
            keys[pp],
            str(p),
            keys[sp],
            str(s),
            from_date=finish,
            to_date=start,
            from_name=p_name,
            to_name=s_name,
        )
        for p, s, pp, sp, finish, start, p_name, s_name in links
    ]
    return lanes, dependencies


def milestone_trend(projects: QuerySet[Project]) -> tuple[list[MtaMilestone], list[datetime.date]]:
    """Per milestone: its forecast at each baseline of its project, at the end of each
    reporting period whose approved report lists it (by name), and today.

    The milestones drawn are those still to come or due in the last quarter, the soonest
    first (older ones only fill what room is left): a director reads the trend of what is
    ahead, not of history."""
    from schakel.reporting.models import StatusReport

    today = timezone.localdate()
    ids = list(projects.values_list("pk", flat=True))
    milestones = Task.objects.filter(
        project_id__in=ids, milestone=True, finish__isnull=False
    ).select_related("project")
    cutoff = today - TREND_LOOKBACK
    ahead = milestones.filter(finish__gte=cutoff).order_by("finish", "pk")
    tasks = list(ahead[:MAX_TREND_MILESTONES])
    if len(tasks) < MAX_TREND_MILESTONES:  # room left: the most recent earlier ones
        earlier = milestones.filter(finish__lt=cutoff).order_by("-finish", "-pk")
        tasks = [*reversed(earlier[: MAX_TREND_MILESTONES - len(tasks)]), *tasks]
    forecasts: dict[int, dict[datetime.date, datetime.date]] = defaultdict(dict)
    dates = {today}
    for row in BaselineTask.objects.filter(task__in=tasks, finish__isnull=False).select_related(
        "baseline"
    ):
        if row.task_id is None or row.finish is None:
            continue
        moment = timezone.localdate(row.baseline.created_at)
        forecasts[row.task_id][moment] = row.finish
        dates.add(moment)
    by_name = {(task.project_id, task.name.strip().casefold()): task.pk for task in tasks}
    reports = StatusReport.objects.filter(
        project_id__in={task.project_id for task in tasks},
        status__in=(StatusReport.Status.APPROVED, StatusReport.Status.PUBLISHED),
        superseded=False,
        period_end__lt=today,
    ).values_list("project_id", "period_end", "milestones")
    for project_id, period_end, listed in reports:
        for entry in listed or []:
            pk = by_name.get((project_id, str(entry.get("title", "")).strip().casefold()))
            forecast = entry.get("forecast")
            if pk is None or not forecast:
                continue
            try:
                forecasts[pk][period_end] = datetime.date.fromisoformat(forecast)
            except ValueError:
                continue
            dates.add(period_end)
    trend = []
    for task in tasks:
        if task.finish is not None:
            forecasts[task.pk][today] = task.finish
        achieved = task.actual_finish or (task.finish if is_done(task) else None)
        trend.append(
            MtaMilestone(
                name=f"{task.project.key} {task.name}",
                forecasts=dict(sorted(forecasts[task.pk].items())),
                achieved=achieved,
            )
        )
    return trend, sorted(dates)
