"""A small plan with milestones that slip against their baseline, for the tests of the
milestone readers (the module, status reports, the cockpit and the calendar feed).

From `start` (a Monday): Kick-off (done on the start day) · Design (3 days) → Design ready
· Build (5 days) → Build done, then the baseline "Approved" is taken. Design then grows by
`slip` working days, so Design ready and Build done slip by that many working days, and
Launch (after Build done) is added without a baseline.
"""

from __future__ import annotations

import datetime
from typing import Any

from schakel.planning import services
from schakel.planning.models import ProjectPlan, Task

MONDAY = datetime.date(2026, 3, 2)


def next_monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=7 - day.weekday())


def slipping_plan(project: Any, by: Any, start: datetime.date = MONDAY, slip: int = 4) -> dict:
    """Make the plan; return its tasks by name, as stored after the last reschedule."""
    ProjectPlan.objects.update_or_create(project=project, defaults={"start": start})

    def add(name: str, **fields: Any) -> Task:
        return services.task_create(project=project, by=by, name=name, **fields)

    kick = add("Kick-off", milestone=True)
    services.task_update(
        task=kick, version=kick.version, by=by,
        percent_complete=100, actual_start=start, actual_finish=start,
    )  # fmt: skip
    design = add("Design", duration=3)
    ready = add("Design ready", milestone=True)
    services.link_create(predecessor=design, successor=ready, by=by)
    build = add("Build", duration=5)
    services.link_create(predecessor=ready, successor=build, by=by)
    done = add("Build done", milestone=True)
    services.link_create(predecessor=build, successor=done, by=by)
    services.baseline_create(project=project, name="Approved", by=by)
    design = Task.objects.get(pk=design.pk)
    if slip:
        services.task_update(task=design, version=design.version, by=by, duration=3 + slip)
    launch = add("Launch", milestone=True)
    services.link_create(predecessor=Task.objects.get(pk=done.pk), successor=launch, by=by)
    return {task.name: task for task in Task.objects.filter(project=project)}
