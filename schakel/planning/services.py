"""Changes to project plans; pages, the API, imports and the demo call these.

Every change that can move a date ends in `reschedule`, in the same transaction: it runs the
engine (`schakel.core.scheduling`) over the whole project and writes every task's dates,
floats and critical flag — the engine is the only place dates are computed. Projects whose
tasks wait for a task of this one (cross-project links) are rescheduled after it. A change
the engine refuses (a dependency loop) rolls back with a message naming the tasks.

A link between two projects is a dependency of the registers (`dependencies`):
`link_create` records it as an item on the waiting project, and every reschedule moves
the "needed by" date of the items whose waiting task moved.

The work breakdown is kept in outline order: `order` numbers the tasks depth-first (a
summary before its children), `level` is the depth and `wbs` the outline number ("2.1.3").
`renumber` recomputes all three after a task is added, moved, indented or removed.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

import holidays as holiday_data
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from schakel.core.scheduling import (
    Activity,
    Constraint,
    CycleError,
    Link,
    LinkType,
    ScheduleError,
    SchedulingCalendar,
    WorkdayIndex,
    schedule,
)
from schakel.lib.services import StaleVersionError, changed_copy, update_versioned
from schakel.portfolio.models import Project
from schakel.registers import services as register_services
from schakel.registers.models import Dependency

from . import access, dependencies
from .models import Baseline, BaselineTask, CalendarException, ProjectPlan, Task, TaskLink

TASK_FIELDS = frozenset(
    {"name", "milestone", "duration", "constraint", "constraint_date", "percent_complete",
     "actual_start", "actual_finish", "owner", "notes"}
)  # fmt: skip
# Fields whose change moves dates (the rest — name, owner, notes — does not).
SCHEDULE_FIELDS = TASK_FIELDS - {"name", "owner", "notes"}
MAX_CASCADE = 50  # projects rescheduled after one change, following cross-project links


# The plan and its calendar ----------------------------------------------------------------


def plan_of(project: Project) -> ProjectPlan:
    """The project's plan; made on first use, starting today."""
    plan = ProjectPlan.objects.filter(project=project).first()
    if plan is None:
        plan, _created = ProjectPlan.objects.get_or_create(
            project=project, defaults={"start": timezone.localdate()}
        )
    return plan


def plan_or_default(project: Project) -> ProjectPlan:
    """The project's plan, or (without saving) the plan it would get: reading never writes."""
    plan = ProjectPlan.objects.filter(project=project).first()
    return plan or ProjectPlan(project=project, start=timezone.localdate())


def days_off(
    plan: ProjectPlan, first: datetime.date, last: datetime.date
) -> tuple[set[datetime.date], set[datetime.date]]:
    """The plan's non-working dates (public holidays and days off) from `first` to `last`,
    and its extra working days there; an extra working day is never also a day off."""
    exceptions = list(plan.exceptions.values_list("day", "working")) if plan.pk else []
    working = {day for day, works in exceptions if works and first <= day <= last}
    off = {day for day, works in exceptions if not works and first <= day <= last}
    if plan.holidays:
        found: Mapping[datetime.date, Any]
        try:
            years = range(first.year, last.year + 1)
            found = holiday_data.country_holidays(plan.holidays, years=years)
        except NotImplementedError:  # a country the library does not know: no holidays
            found = {}
        off |= {day for day in found if first <= day <= last}
    return off - working, working


def calendar_of(plan: ProjectPlan) -> SchedulingCalendar:
    exceptions = list(plan.exceptions.all())
    return SchedulingCalendar.of(
        weekdays=plan.weekdays,
        country=plan.holidays,
        days_off=[e.day for e in exceptions if not e.working],
        working_days=[e.day for e in exceptions if e.working],
    )


def plan_update(*, plan: ProjectPlan, version: int | None, by: Any, **changes: Any) -> ProjectPlan:
    """Change the start, the working week, the holidays or the status date; reschedule."""
    allowed = {"start", "weekdays", "holidays", "status_date"}
    bad = sorted(set(changes) - allowed)
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})
    candidate = changed_copy(plan, changes)
    candidate.full_clean(exclude=["project"])
    with transaction.atomic():
        plan = update_versioned(plan, version=version, changes=changes, by=by)
        reschedule(plan.project)
    return plan


def exception_set(
    *, plan: ProjectPlan, day: datetime.date, working: bool, name: str = "", by: Any
) -> CalendarException:
    """Make a day a day off (or an extra working day) in the plan's calendar; reschedule."""
    with transaction.atomic():
        exception, _created = CalendarException.objects.update_or_create(
            plan=plan, day=day, defaults={"working": working, "name": name.strip()[:120]}
        )
        reschedule(plan.project)
    return exception


def exception_remove(*, exception: CalendarException, by: Any) -> None:
    with transaction.atomic():
        project = exception.plan.project
        exception.delete()
        reschedule(project)


# The outline ------------------------------------------------------------------------------


def renumber(project: Project) -> None:
    """Recompute `order`, `level` and `wbs` of every task from parents and sibling order."""
    rows = list(Task.objects.filter(project=project).values_list("pk", "parent_id", "order"))
    children: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for pk, parent, order in rows:
        children[parent].append((order, pk))
    changes: dict[int, tuple[int, int, str]] = {}
    counter = 0
    # Depth-first, iteratively (a deep outline must not hit the recursion limit).
    pending = [(pk, 1, str(n)) for n, (_order, pk) in enumerate(sorted(children[None]), 1)]
    pending.reverse()
    while pending:
        pk, level, wbs = pending.pop()
        counter += 1
        changes[pk] = (counter, level, wbs)
        kids = sorted(children.get(pk, []))
        for number, (_order, kid) in reversed(list(enumerate(kids, start=1))):
            pending.append((kid, level + 1, f"{wbs}.{number}"))
    tasks = list(Task.objects.filter(project=project).only("pk", "order", "level", "wbs"))
    dirty = []
    for task in tasks:
        order, level, wbs = changes[task.pk]
        if (task.order, task.level, task.wbs) != (order, level, wbs[:60]):
            task.order, task.level, task.wbs = order, level, wbs[:60]
            dirty.append(task)
    Task.objects.bulk_update(dirty, ["order", "level", "wbs"], batch_size=500)


def _next_order(project: Project) -> int:
    last = Task.objects.filter(project=project).order_by("-order").values_list("order", flat=True)
    return (last.first() or 0) + 1


def _check_parent(project: Project, parent: Task | None) -> None:
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": _("Choose a task of this project.")})


@transaction.atomic
def task_create(
    *,
    project: Project,
    by: Any,
    parent: Task | None = None,
    after: Task | None = None,
    **fields: Any,
) -> Task:
    """Add a task (or milestone) under `parent`, after `after` or at the end; reschedule."""
    bad = sorted(set(fields) - TASK_FIELDS)
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})
    _check_parent(project, parent)
    if after is not None and (
        after.project_id != project.pk or after.parent_id != getattr(parent, "pk", None)
    ):
        raise ValidationError({"after": _("Choose a task at the same level.")})
    plan_of(project)
    if fields.get("milestone"):
        fields["duration"] = 0
    task = Task(project=project, parent=parent, **fields)
    task.full_clean(exclude=["project", "parent"])
    if after is not None:
        # Make room right after `after` (and its children): everything later moves one up.
        last = _subtree_last_order(after)
        Task.objects.filter(project=project, order__gt=last).update(order=F("order") + 1)
        task.order = last + 1
    else:
        task.order = _next_order(project)
    task._history_user = by  # type: ignore[attr-defined]
    task.save()
    renumber(project)
    reschedule(project)
    task.refresh_from_db()
    return task


def _subtree_last_order(task: Task) -> int:
    """The outline position of the last task in `task`'s subtree (itself if it has none)."""
    following = (
        Task.objects.filter(project_id=task.project_id, order__gt=task.order, level__lte=task.level)
        .order_by("order")
        .values_list("order", flat=True)
        .first()
    )
    if following is None:
        return _next_order(task.project) - 1
    return following - 1


def task_update(*, task: Task, version: int | None, by: Any, **changes: Any) -> Task:
    """Change a task; a stale version is refused (409); dates follow by rescheduling."""
    bad = sorted(set(changes) - TASK_FIELDS)
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})
    if changes.get("milestone"):
        changes["duration"] = 0
    candidate = changed_copy(task, changes)
    candidate.full_clean(exclude=["project", "parent"])
    with transaction.atomic():
        updated = update_versioned(task, version=version, changes=changes, by=by)
        if set(changes) & SCHEDULE_FIELDS:
            reschedule(task.project)
            updated.refresh_from_db()
    return updated


def task_delete(*, task: Task, version: int | None, by: Any) -> None:
    """Remove a task with its subtree and its links; the plan closes up and reschedules."""
    with transaction.atomic():
        current = Task.objects.select_for_update().get(pk=task.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(current)
        project = current.project
        current.delete()
        renumber(project)
        reschedule(project)


def _siblings(task: Task) -> list[Task]:
    return list(
        Task.objects.filter(project_id=task.project_id, parent_id=task.parent_id).order_by("order")
    )


def _locked(task: Task, version: int | None) -> Task:
    current = Task.objects.select_for_update().get(pk=task.pk)
    if version is not None and current.version != version:
        raise StaleVersionError(current)
    return current


def _moved(task: Task, by: Any) -> Task:
    task.version += 1
    task._history_user = by  # type: ignore[attr-defined]
    task.save(update_fields=["parent", "order", "version", "updated_at"])
    renumber(task.project)
    reschedule(task.project)
    task.refresh_from_db()
    return task


@transaction.atomic
def task_indent(*, task: Task, version: int | None, by: Any) -> Task:
    """Make the task the last child of the sibling above it (that sibling becomes a summary)."""
    current = _locked(task, version)
    siblings = _siblings(current)
    index = [s.pk for s in siblings].index(current.pk)
    if index == 0:
        raise ValidationError(_("The first task of a level cannot be indented."))
    new_parent = siblings[index - 1]
    if new_parent.milestone:
        raise ValidationError(_("A milestone cannot have tasks under it."))
    current.parent = new_parent
    current.order = _subtree_last_order(new_parent) + 1
    return _moved(current, by)


@transaction.atomic
def task_outdent(*, task: Task, version: int | None, by: Any) -> Task:
    """Move the task up one level, right after its former parent's subtree."""
    current = _locked(task, version)
    if current.parent_id is None:
        raise ValidationError(_("A top-level task cannot be outdented."))
    parent = Task.objects.get(pk=current.parent_id)
    # The siblings below it become its children, as in MS Project.
    Task.objects.filter(
        project_id=current.project_id, parent_id=parent.pk, order__gt=current.order
    ).update(parent=current)
    current.parent_id = parent.parent_id
    current.order = _subtree_last_order(parent) + 1
    return _moved(current, by)


@transaction.atomic
def task_move(*, task: Task, version: int | None, by: Any, before: Task | None) -> Task:
    """Move the task (with its subtree) before `before` (a sibling), or to the end of its level."""
    current = _locked(task, version)
    if before is not None and (
        before.parent_id != current.parent_id
        or before.project_id != current.project_id
        or before.pk == current.pk
    ):
        raise ValidationError({"before": _("Choose a task at the same level.")})
    siblings = [s for s in _siblings(current) if s.pk != current.pk]
    position = len(siblings) if before is None else [s.pk for s in siblings].index(before.pk)
    siblings.insert(position, current)
    # Sibling order is what renumber reads: give the siblings spaced-out orders.
    for index, sibling in enumerate(siblings):
        Task.objects.filter(pk=sibling.pk).update(order=index)
    current.order = position
    return _moved(current, by)


# Links ------------------------------------------------------------------------------------


@transaction.atomic
def link_create(
    *,
    predecessor: Task,
    successor: Task,
    by: Any,
    type: str = "FS",
    lag: int = 0,
    dependency: Dependency | None = None,
) -> TaskLink:
    """Make `successor` wait for `predecessor` (of this or another project); reschedule.

    The one rule for every caller (pages, API, Gantt): `by` must see the predecessor and
    edit the successor's plan; `by=None` is the system (demo, import) and skips that. A
    loop is refused with its tasks named. A link between two projects is a dependency of
    the registers: an item is made on the successor's project, or `dependency` (an item
    between these two projects, not yet in the plan) is connected instead.
    """
    if by is not None:
        _check_link_rights(predecessor, successor, by)
    if predecessor.pk == successor.pk:
        raise ValidationError(_("A task cannot wait for itself."))
    if TaskLink.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise ValidationError(_("These tasks are already linked."))
    across = predecessor.project_id != successor.project_id
    if dependency is not None:
        _check_connectable(dependency, predecessor, successor)
    link = TaskLink(
        predecessor=predecessor, successor=successor, type=type, lag=lag, dependency=dependency
    )
    link.created_by = by if getattr(by, "is_authenticated", False) else None
    link.full_clean(exclude=["predecessor", "successor", "dependency"])
    link.save()
    # A connected item follows its successor's dates from here on (see `reschedule`).
    _reschedule_linked(predecessor, successor)
    if across and dependency is None:
        link.successor = Task.objects.select_related("project__manager").get(pk=successor.pk)
        link.predecessor = Task.objects.select_related("project").get(pk=predecessor.pk)
        link.dependency = register_services.item_create(
            model=Dependency,
            scope=link.successor.project,
            by=by,
            **dependencies.item_fields(link),
        )
        link.save(update_fields=["dependency", "updated_at"])
    return link


def _check_link_rights(predecessor: Task, successor: Task, by: Any) -> None:
    """Refuse a link to a task `by` cannot see, or into a plan `by` may not shape."""
    if not access.visible_tasks(by).filter(pk=predecessor.pk).exists():
        raise ValidationError({"predecessor": _("Choose a task you can see.")})
    if not access.can_edit_plan(by, successor.project):
        raise ValidationError(
            {
                "successor": _("You may not change the plan of %(project)s.")
                % {"project": successor.project.name}
            }
        )


def _check_connectable(dependency: Dependency, predecessor: Task, successor: Task) -> None:
    """An item joins the plan once, through a link between its own two projects."""
    if dependency.project_id is None:
        raise ValidationError(_("Only a dependency of a project can be connected to a plan."))
    if TaskLink.objects.filter(dependency=dependency).exists():
        raise ValidationError(_("This dependency is in the plan already."))
    if dependency.direction == Dependency.Direction.INBOUND:
        ends = (dependency.other_project_id, dependency.project_id)
    else:
        ends = (dependency.project_id, dependency.other_project_id)
    if (predecessor.project_id, successor.project_id) != ends:
        raise ValidationError(
            _("Choose a task of each of the dependency's projects, in its direction.")
        )


@transaction.atomic
def link_update(*, link: TaskLink, by: Any, **changes: Any) -> TaskLink:
    bad = sorted(set(changes) - {"type", "lag"})
    if bad:
        raise ValidationError({name: _("This field cannot be set.") for name in bad})
    for name, value in changes.items():
        setattr(link, name, value)
    link.full_clean(exclude=["predecessor", "successor"])
    link.save()
    _reschedule_linked(link.predecessor, link.successor)
    return link


@transaction.atomic
def link_delete(*, link: TaskLink, by: Any) -> None:
    predecessor, successor = link.predecessor, link.successor
    link.delete()
    _reschedule_linked(predecessor, successor)


def _reschedule_linked(predecessor: Task, successor: Task) -> None:
    reschedule(predecessor.project)
    if successor.project_id != predecessor.project_id:
        reschedule(successor.project)


# Scheduling -------------------------------------------------------------------------------

_CONSTRAINTS = {choice.value: Constraint(choice.value) for choice in Task.Constraint}


# The plans a `rescheduling_deferred()` block touched, to reschedule once at its end.
_deferred: ContextVar[set[int] | None] = ContextVar("planning_deferred", default=None)


@contextlib.contextmanager
def rescheduling_deferred() -> Iterator[None]:
    """Reschedule each plan touched in the block once, at its end, rather than after every
    change: for building a plan change by change (the demo, bulk edits). Inside the block
    dates are not up to date, and a loop of links is only refused at the end (raising
    then; run the block in a transaction to undo it all). Nested blocks join the outer one.
    """
    if _deferred.get() is not None:
        yield
        return
    touched: set[int] = set()
    token = _deferred.set(touched)
    try:
        yield
    finally:
        _deferred.reset(token)
    for project in Project.objects.filter(pk__in=touched).order_by("pk"):
        reschedule(project)


def reschedule(project: Project, *, _seen: set[int] | None = None) -> None:
    """Compute every task's dates with the engine and store them; then the projects whose
    tasks wait for this project's tasks."""
    pending = _deferred.get()
    if pending is not None:
        pending.add(project.pk)
        return
    seen = _seen if _seen is not None else set()
    if project.pk in seen or len(seen) >= MAX_CASCADE:
        return
    seen.add(project.pk)
    plan = plan_of(project)
    # One read gives the engine's input and the stored results to compare with (plain
    # tuples: building 10,000 model instances cost more than the engine).
    fields = (
        "pk", "parent_id", "milestone", "duration", "constraint", "constraint_date",
        "percent_complete", "actual_start", "actual_finish", "name", "wbs", *_DATE_FIELDS,
    )  # fmt: skip
    rows = list(Task.objects.filter(project=project).order_by("order").values_list(*fields))
    names = {row[0]: f"{row[10]} {row[9]}".strip() for row in rows}
    ids = set(names)
    parents = {row[1] for row in rows if row[1] is not None}
    activities = [
        Activity(
            id=pk,
            duration=0 if milestone else duration,
            parent=parent,
            constraint=_CONSTRAINTS[constraint],
            constraint_date=constraint_date,
            actual_start=actual_start,
            actual_finish=actual_finish,
            percent_complete=float(percent),
        )
        for (pk, parent, milestone, duration, constraint, constraint_date, percent,
             actual_start, actual_finish, *_rest) in rows
    ]  # fmt: skip
    links = []
    external: dict[int, tuple[datetime.date, datetime.date]] = {}
    for pred, succ, kind, lag, pred_start, pred_finish in TaskLink.objects.filter(
        successor__project=project
    ).values_list(
        "predecessor_id", "successor_id", "type", "lag",
        "predecessor__start", "predecessor__finish",
    ):  # fmt: skip
        if pred not in ids:
            if pred_start is None or pred_finish is None:
                continue  # the other project has no dates yet
            external[pred] = (pred_start, pred_finish)
        links.append(Link(("x", pred) if pred not in ids else pred, succ, LinkType(kind), lag))
    for pk, (start, finish) in external.items():
        # Another project's task: fixed at its scheduled dates.
        activities.append(Activity(id=("x", pk), actual_start=start, actual_finish=finish,
                                   duration=max(1, (finish - start).days + 1)))  # fmt: skip
    calendar = calendar_of(plan)
    try:
        result = schedule(
            activities,
            links,
            start=plan.start,
            calendar=calendar,
            status_date=plan.status_date,
        )
    except CycleError as error:
        loop = [names.get(i, str(i)) if not isinstance(i, tuple) else _("another project")
                for i in error.ids]  # fmt: skip
        raise ValidationError(
            _("These tasks would wait for each other in a loop: %(tasks)s.")
            % {"tasks": " → ".join(loop)}
        ) from error
    except ScheduleError as error:
        if error.code == "date_out_of_range":
            raise ValidationError(
                _(
                    "The plan cannot be scheduled: its dates would run past the year 9999. "
                    "Check the start date, the durations and the lags."
                )
            ) from error
        raise ValidationError(
            _("The plan cannot be scheduled: %(code)s.") % {"code": error.code}
        ) from error
    # A summary's duration is its span in working days, like MS Project's.
    first = min((result[pk].early_start for pk in parents), default=None)
    span = WorkdayIndex(calendar, first) if first is not None else None
    dirty = []
    for row in rows:
        pk = row[0]
        done = result[pk]
        values = (
            pk in parents, done.early_start, done.early_finish, done.late_start,
            done.late_finish, done.total_float, done.free_float, done.critical,
        )  # fmt: skip
        duration = row[3]
        if span is not None and pk in parents:
            duration = span.on_or_after(done.early_finish) - span.on_or_after(done.early_start) + 1
        if values != row[11:] or duration != row[3]:
            dirty.append(
                Task(pk=pk, duration=duration, **dict(zip(_DATE_FIELDS, values, strict=True)))
            )
    _write_dates(dirty)
    ProjectPlan.objects.filter(pk=plan.pk).update(
        finish=result.finish if rows else None, scheduled_at=timezone.now()
    )
    dependencies.refresh_need_by(project)
    waiting = (
        TaskLink.objects.filter(predecessor__project=project)
        .exclude(successor__project=project)
        .values_list("successor__project", flat=True)
        .distinct()
    )
    for other in Project.objects.filter(pk__in=list(waiting)):
        reschedule(other, _seen=seen)


_DATE_FIELDS = (
    "summary", "start", "finish", "late_start", "late_finish", "total_float", "free_float",
    "critical",
)  # fmt: skip
_DATE_TYPES = ("boolean", "date", "date", "date", "date", "integer", "integer", "boolean")


def _write_dates(tasks: Sequence[Task]) -> None:
    """Store the computed fields (and the duration: a summary's is computed) of many
    tasks at once.

    On PostgreSQL one ``UPDATE … FROM (VALUES …)`` per thousand tasks: Django's
    `bulk_update` writes a CASE per field and row, which took over a minute for a plan of
    10,000 tasks. Every value is a parameter; the column names are the model's own.
    """
    if not tasks:
        return
    fields = (*_DATE_FIELDS, "duration")
    if connection.vendor != "postgresql":
        Task.objects.bulk_update(tasks, list(fields), batch_size=500)
        return
    table = connection.ops.quote_name(Task._meta.db_table)
    # These fields keep Django's column names (no db_column), so the name is the column.
    columns = [connection.ops.quote_name(name) for name in fields]
    row = "(%s::bigint, " + ", ".join(f"%s::{kind}" for kind in (*_DATE_TYPES, "integer")) + ")"
    assignments = ", ".join(f"{c} = v.{c}" for c in columns)
    names = ", ".join(["id", *columns])
    with connection.cursor() as cursor:
        for first in range(0, len(tasks), 1000):
            chunk = tasks[first : first + 1000]
            params: list[Any] = []
            for task in chunk:
                params.append(task.pk)
                params.extend(getattr(task, name) for name in fields)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} "  # noqa: S608 # nosec B608 # names are the model's
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v({names}) "
                "WHERE t.id = v.id",
                params,
            )


# Baselines --------------------------------------------------------------------------------


@transaction.atomic
def baseline_create(*, project: Project, name: str, by: Any) -> Baseline:
    """Keep the dates of every task now; baselines never change afterwards."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the baseline a name.")})
    baseline = Baseline.objects.create(
        project=project,
        name=name[:120],
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    BaselineTask.objects.bulk_create(
        [
            BaselineTask(
                baseline=baseline,
                task_id=t.pk,
                wbs=t.wbs,
                name=t.name,
                milestone=t.milestone,
                summary=t.summary,
                start=t.start,
                finish=t.finish,
                duration=t.duration,
            )
            for t in Task.objects.filter(project=project).order_by("order")
        ],
        batch_size=1000,
    )
    return baseline


def variances(
    baseline: Baseline, tasks: Sequence[Task] | None = None
) -> dict[int, tuple[int | None, int | None]]:
    """Per task: how many working days its start and finish lie after the baseline's
    (negative: earlier), or None where either has no date."""
    project = baseline.project
    plan = plan_of(project)
    rows = baseline.tasks.filter(task__isnull=False)
    if tasks is not None:
        tasks = list(tasks)
        rows = rows.filter(task__in=[t.pk for t in tasks])
    else:
        tasks = list(Task.objects.filter(project=project))
    kept = {row.task_id: row for row in rows.only("task_id", "start", "finish")}
    dates = [d for t in tasks for d in (t.start, t.finish) if d] + [
        d for row in kept.values() for d in (row.start, row.finish) if d
    ]
    if not dates:
        return {}
    index = WorkdayIndex(calendar_of(plan), min(dates))

    def shift(now: datetime.date | None, then: datetime.date | None) -> int | None:
        if now is None or then is None:
            return None
        return index.on_or_after(now) - index.on_or_after(then)

    out = {}
    for task in tasks:
        row = kept.get(task.pk)
        if row is not None:
            out[task.pk] = (shift(task.start, row.start), shift(task.finish, row.finish))
    return out


def outline(project: Project) -> QuerySet[Task]:
    """The project's tasks in outline order, with their owners."""
    return Task.objects.filter(project=project).select_related("owner").order_by("order")
