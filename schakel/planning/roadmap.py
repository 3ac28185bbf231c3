"""The programme roadmap and the milestone trend analysis, as chart data.

The roadmap puts every project of a programme (or portfolio) the reader sees on one
timeline: its span, its milestones with their baseline dates (from the project's newest
baseline) and the links between milestones of different projects. The milestone trend
analysis takes each baseline as a reporting moment: the date a milestone was forecast for
when the baseline was saved, and today's forecast.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import F, QuerySet
from django.utils import timezone

from schakel.core.charts.gantt import RoadmapDependency, RoadmapMilestone, RoadmapProject
from schakel.core.charts.mta import MtaMilestone
from schakel.portfolio.models import Project

from .models import Baseline, BaselineTask, Task, TaskLink

MAX_TREND_MILESTONES = 12


def roadmap(projects: QuerySet[Project]) -> tuple[list[RoadmapProject], list[RoadmapDependency]]:
    """Lanes and dependencies for the projects (only those with a plan are drawn)."""
    ids = list(projects.values_list("pk", flat=True))
    newest: dict[int, int] = {}
    for baseline in Baseline.objects.filter(project_id__in=ids).order_by("created_at", "pk"):
        newest[baseline.project_id] = baseline.pk
    kept = {
        row.task_id: row.finish
        for row in BaselineTask.objects.filter(baseline_id__in=newest.values(), task__isnull=False)
    }
    milestones: dict[int, list[RoadmapMilestone]] = defaultdict(list)
    spans: dict[int, list[datetime.date]] = defaultdict(list)
    for task in Task.objects.filter(project_id__in=ids).only(
        "pk", "project_id", "name", "milestone", "start", "finish", "percent_complete",
        "actual_finish", "level",
    ):  # fmt: skip
        if task.start:
            spans[task.project_id].append(task.start)
        if task.finish:
            spans[task.project_id].append(task.finish)
        if task.milestone and task.finish:
            milestones[task.project_id].append(
                RoadmapMilestone(
                    name=task.name,
                    date=task.finish,
                    baseline=kept.get(task.pk),
                    done=task.percent_complete >= 100 or task.actual_finish is not None,
                    key=str(task.pk),
                )
            )
    lanes = [
        RoadmapProject(
            key=project.key,
            name=project.name,
            start=min(spans[project.pk]),
            finish=max(spans[project.pk]),
            milestones=sorted(milestones[project.pk], key=lambda m: m.date),
        )
        for project in projects.order_by("key")
        if spans.get(project.pk)
    ]
    keys = {p.pk: p.key for p in projects}
    dependencies = [
        RoadmapDependency(keys[pp], str(p), keys[sp], str(s))
        for p, s, pp, sp in TaskLink.objects.filter(
            predecessor__project_id__in=ids,
            successor__project_id__in=ids,
            predecessor__milestone=True,
            successor__milestone=True,
        )
        .exclude(predecessor__project=F("successor__project"))
        .values_list("predecessor_id", "successor_id", "predecessor__project", "successor__project")
    ]
    return lanes, dependencies


def milestone_trend(projects: QuerySet[Project]) -> tuple[list[MtaMilestone], list[datetime.date]]:
    """Per milestone: its forecast at each baseline of its project and today."""
    today = timezone.localdate()
    ids = list(projects.values_list("pk", flat=True))
    tasks = list(
        Task.objects.filter(project_id__in=ids, milestone=True, finish__isnull=False)
        .select_related("project")
        .order_by("finish")[:MAX_TREND_MILESTONES]
    )
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
    trend = []
    for task in tasks:
        if task.finish is not None:
            forecasts[task.pk][today] = task.finish
        achieved = task.actual_finish or (task.finish if task.percent_complete >= 100 else None)
        trend.append(
            MtaMilestone(
                name=f"{task.project.key} {task.name}",
                forecasts=forecasts[task.pk],
                achieved=achieved,
            )
        )
    return trend, sorted(dates)
