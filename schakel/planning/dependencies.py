"""Links between projects as the registers' dependencies: one notion, seen from both sides.

A `TaskLink` whose two tasks belong to different projects is a cross-project dependency.
`services.link_create` records it as a `registers.Dependency` item on the successor's
project (or connects an item that exists already); this module holds what that needs:

- `item_fields`: the new item's fields, read from the link and the rescheduled plan;
- `refresh_need_by`: after a reschedule, the items linked to the project's tasks follow
  the dates their successors now need (written only where the date changed);
- `plan_view`: what the item's page shows under "In the plan", in a fixed number of
  queries, and whether the plan forecasts the delivery late.

The registers know nothing of planning: their pages reach this through the template tag
`planning_dependencies` and the item's reverse accessor `task_link`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.scheduling import WorkdayIndex
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.models import Project
from schakel.registers.models import Dependency

from . import access
from .models import Task, TaskLink

# Link types whose successor needs the predecessor by its start; the others by its finish.
NEEDED_AT_START = frozenset({TaskLink.Type.FS, TaskLink.Type.SS})
# Link types that wait for the predecessor's finish; the others for its start.
FROM_FINISH = frozenset({TaskLink.Type.FS, TaskLink.Type.FF})


def need_date(
    kind: str, start: datetime.date | None, finish: datetime.date | None
) -> datetime.date | None:
    """The date the successor needs its predecessor: its start (FS, SS) or finish (FF, SF)."""
    return start if kind in NEEDED_AT_START else finish


def item_fields(link: TaskLink) -> dict[str, Any]:
    """The fields of the dependency item a new cross-project link is recorded as.

    The item belongs to the successor's project (it depends on the other one); `successor`
    carries the dates of the rescheduled plan.
    """
    predecessor, successor = link.predecessor, link.successor
    theirs = predecessor.project
    return {
        "title": (
            _("%(task)s from %(project)s") % {"task": predecessor.name, "project": theirs.key}
        )[:300],
        "description": _("In the plan, “%(ours)s” waits for “%(theirs)s” of %(project)s.")
        % {"ours": successor.name, "theirs": predecessor.name, "project": theirs.name},
        "direction": Dependency.Direction.INBOUND,
        "other_project": theirs,
        "milestone": successor.name[:200],
        "other_milestone": predecessor.name[:200],
        "need_by": need_date(link.type, successor.start, successor.finish),
        "owner": successor.project.manager,
    }


def refresh_need_by(project: Project) -> None:
    """Give the items linked to this project's tasks the date their successor needs now.

    Called at the end of every reschedule: one read, and only when a date changed one
    bulk update (with a version step, so an edit started before it is refused as stale)
    and its history records, so the items' history says the plan moved the date.
    """
    items = list(
        Dependency.objects.filter(task_link__successor__project=project).annotate(
            link_type=F("task_link__type"),
            successor_start=F("task_link__successor__start"),
            successor_finish=F("task_link__successor__finish"),
        )
    )
    changed = []
    now = timezone.now()
    for item in items:
        need = need_date(item.link_type, item.successor_start, item.successor_finish)  # type: ignore[attr-defined]
        if need is not None and need != item.need_by:
            item.need_by = need
            item.version += 1
            item.updated_at = now
            changed.append(item)
    if changed:
        _write_with_history(changed)


def _write_with_history(items: list[Dependency]) -> None:
    """Store the new dates of many items, with one history record each (tags included)."""
    Dependency.all_objects.bulk_update(items, ["need_by", "version", "updated_at"])
    history = Dependency.history  # type: ignore[attr-defined]
    records = history.bulk_history_create(
        items, update=True, default_change_reason="plan", default_date=timezone.now()
    )
    if not records or records[0].pk is None:
        return  # a database that returns no keys from a bulk insert: no tag snapshot
    # A history record carries the item's tags at that moment; without them the next
    # change would read as "tags removed".
    through = Dependency.tags.through
    tags: dict[int, list[tuple[int, int]]] = {}
    for row_id, item_id, tag_id in through.objects.filter(
        dependency_id__in=[i.pk for i in items]
    ).values_list("id", "dependency_id", "tag_id"):
        tags.setdefault(item_id, []).append((row_id, tag_id))
    snapshot = history.model.tags.model  # the history model of the tags
    rows = [
        snapshot(history=record, id=row_id, dependency_id=record.id, tag_id=tag_id)
        for record in records
        for row_id, tag_id in tags.get(record.id, [])
    ]
    if rows:
        snapshot.objects.bulk_create(rows)


# The item's page ---------------------------------------------------------------------------


@dataclass
class PlanView:
    """A dependency item's link in the plan, as its page shows it."""

    link: TaskLink
    ours: Task
    theirs: Task
    sees_ours: bool
    sees_theirs: bool
    late_by: int | None  # working days the delivery comes after the need; None: no dates

    @property
    def on_time(self) -> bool:
        return self.late_by is not None and self.late_by <= 0


def link_of(item: Dependency) -> TaskLink | None:
    """The item's link in the plan, with both tasks and their projects (one query)."""
    return (
        TaskLink.objects.filter(dependency_id=item.pk)
        .select_related("predecessor__project__programme", "successor__project__programme")
        .first()
    )


def plan_view(user: Any, item: Dependency) -> PlanView | None:
    """What "In the plan" shows for an item; None when it has no link.

    Fixed queries: the link with its tasks, the projects the user sees among the two, and
    the successor's calendar (plan and days off) to count working days.
    """
    link = link_of(item)
    if link is None:
        return None
    predecessor, successor = link.predecessor, link.successor
    if predecessor.project_id == item.project_id:
        ours, theirs = predecessor, successor
    else:
        ours, theirs = successor, predecessor
    seen = set(
        portfolio_access.visible_projects(user)
        .filter(pk__in=[predecessor.project_id, successor.project_id])
        .values_list("pk", flat=True)
    )
    return PlanView(
        link=link,
        ours=ours,
        theirs=theirs,
        sees_ours=ours.project_id in seen,
        sees_theirs=theirs.project_id in seen,
        late_by=late_by(link),
    )


def late_by(link: TaskLink) -> int | None:
    """Working days (of the successor's calendar) by which the plan forecasts the
    predecessor too late for what the link asks; 0 or less is on time.

    A scheduled link is met by construction; it is broken where the successor is held by
    progress (an actual start) or a fixed constraint. Days are counted as the engine does:
    a task occupies its start and finish days, a milestone is a point; where a milestone
    could sit at the start or the end of its day, the reading in the plan's favour is taken.
    """
    from . import services  # services imports this module

    predecessor, successor = link.predecessor, link.successor
    dates = [predecessor.start, predecessor.finish, successor.start, successor.finish]
    if any(d is None for d in dates):
        return None
    plan = services.plan_or_default(successor.project)
    if plan.pk is None:
        return None  # never scheduled: the dates are not the engine's
    index = WorkdayIndex(services.calendar_of(plan), min(d for d in dates if d))

    def points(task: Task, *, early: bool) -> tuple[int, int]:
        assert task.start is not None and task.finish is not None
        if task.milestone:
            at = index.on_or_before(task.finish) + (0 if early else 1)
            return at, at
        return index.on_or_after(task.start), index.on_or_before(task.finish) + 1

    their_start, their_finish = points(predecessor, early=True)
    our_start, our_finish = points(successor, early=False)
    ready = (their_finish if link.type in FROM_FINISH else their_start) + link.lag
    needed = our_start if link.type in NEEDED_AT_START else our_finish
    return ready - needed


# Connecting an item to the plan -------------------------------------------------------------


def connect_tasks(user: Any, item: Dependency) -> tuple[QuerySet[Task], QuerySet[Task]]:
    """The tasks the connect form offers: ours (the item's project) and theirs (the other
    project's), among those the user sees, in outline order."""
    visible = access.visible_tasks(user)
    if item.project_id is None:  # a programme's dependency has no plan of its own
        return visible.none(), visible.none()
    ours = visible.filter(project_id=item.project_id).order_by("order")
    theirs = visible.filter(project_id=item.other_project_id).order_by("order")
    return ours, theirs


def successor_project(item: Dependency) -> Project | None:
    """The project whose plan waits: ours when we depend on them, else theirs."""
    if item.project_id is None:
        return None
    if item.direction == Dependency.Direction.INBOUND:
        return item.project
    return item.other_project
