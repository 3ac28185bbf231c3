"""A project's plan to and from MS Project XML (MSPDI).

`import_plan` reads a file (`schakel.core.importers.mspdi`), replaces the project's plan
with its tasks, hierarchy, links, calendar and baselines in one transaction, and schedules
it with our engine; the file's own dates are kept only as the baseline it carries. What the
plan cannot hold is listed as warnings. `export_plan` writes the plan back, so an export
imported again gives the same plan.

Conversions: durations and lags are whole working days here (the file may have hours:
rounded half up, and a task that takes any time takes at least a day); a lag in percent of
the predecessor's duration becomes days; "as late as possible" is scheduled as soon as
possible (a warning says so); the project calendar's working week and its exceptions become
the plan's calendar, without extra public holidays (the file's calendar already has the
days off its planner wanted).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from schakel.core.exports.mspdi import write_mspdi
from schakel.core.importers.mspdi import MspdiError, read_mspdi
from schakel.core.plan import Baseline as PlanBaseline
from schakel.core.plan import Calendar, Constraint, Plan, PlanLink, PlanTask, days
from schakel.portfolio.models import Project

from . import services
from .models import MAX_DURATION, MAX_LAG, Baseline, BaselineTask, CalendarException, Task, TaskLink

MAX_EXCEPTIONS = 3000
EXPORT_CALENDAR_UID = 1


@dataclass(frozen=True)
class ImportResult:
    tasks: int
    links: int
    baselines: int
    warnings: list[str]


def _whole_days(value: Decimal, *, at_least_one: bool) -> int:
    whole = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if at_least_one and value > 0:
        return max(1, whole)
    return whole


def _within(number: int, limit: int, message: str, /, **params: Any) -> int:
    """`number` if it lies within ±`limit`; else the file is refused with `message`."""
    if abs(number) > limit:
        raise _refusal(message % params)
    return number


def _duration(name: str, value: Decimal, *, at_least_one: bool = True) -> int:
    days = _whole_days(value, at_least_one=at_least_one)
    return _within(
        days,
        MAX_DURATION,
        _("task “%(name)s” lasts %(value)d working days, more than %(max)d."),
        name=name,
        value=days,
        max=MAX_DURATION,
    )


def _reason(error: MspdiError) -> str:
    """The reader's refusal in the user's language (the reader itself speaks English)."""
    reasons = {
        "too_large": _("The file is larger than %(limit)s MB."),
        "mpp": _(
            "This is an MS Project .mpp file, not MS Project XML. In MS Project choose "
            "File › Save As › XML Format (*.xml) and import that file."
        ),
        "not_xml": _("The file is not a valid XML file."),
        "unsafe_xml": _(
            "The file contains XML constructs that are refused for safety (a DTD or entities)."
        ),
        "not_mspdi": _(
            "The file is XML but not an MS Project XML file (no <Project> in the MS Project "
            "namespace)."
        ),
        "too_many_tasks": _("The file has more than %(limit)s tasks."),
    }
    reason = reasons.get(error.code)
    return reason % error.params if reason is not None else str(error)


def _refuse(error: MspdiError) -> ValidationError:
    return _refusal(_reason(error))


def _refusal(reason: str) -> ValidationError:
    return ValidationError(
        {"file": _("This file cannot be imported: %(reason)s") % {"reason": reason}}
    )


@transaction.atomic
def import_plan(*, project: Project, data: bytes, by: Any, replace: bool = False) -> ImportResult:
    """Replace the project's plan with the file's; all or nothing."""
    try:
        plan = read_mspdi(data)
    except MspdiError as error:
        raise _refuse(error) from error
    existing = Task.objects.filter(project=project)
    if existing.exists():
        if not replace:
            raise ValidationError(
                {"file": _("This project has a plan already; choose to replace it.")}
            )
        existing.delete()
        Baseline.objects.filter(project=project).delete()
    warnings = [str(w) for w in plan.warnings]
    _take_calendar(project, plan, warnings)

    tasks: dict[int, Task] = {}
    alap = 0
    for order, row in enumerate(plan.tasks, start=1):
        kind = row.constraint.kind
        if kind == "alap":
            alap += 1
        constraint = "ASAP" if kind in ("asap", "alap") else kind.upper()
        task = Task(
            project=project,
            parent=tasks.get(row.parent_uid) if row.parent_uid is not None else None,
            order=order,
            level=row.outline_level,
            wbs=(row.outline_number or row.wbs)[:60],
            name=(row.name or _("(no name)"))[:255],
            milestone=row.is_milestone and not row.is_summary,
            duration=0 if row.is_milestone else _duration(row.name, row.duration_days),
            constraint=constraint,
            constraint_date=row.constraint.on if constraint != "ASAP" else None,
            percent_complete=max(0, min(100, row.percent_complete)),
            actual_start=row.actual_start,
            actual_finish=row.actual_finish if row.actual_start else None,
            notes=row.notes[:20000],
        )
        task._history_user = by  # type: ignore[attr-defined]
        task.save()
        tasks[row.uid] = task
    if alap:
        warnings.append(
            _("%(count)d tasks “as late as possible” are scheduled as soon as possible.")
            % {"count": alap}
        )

    links = []
    for link in plan.links:
        predecessor, successor = tasks.get(link.predecessor_uid), tasks.get(link.successor_uid)
        if predecessor is None or successor is None or predecessor.pk == successor.pk:
            continue
        lag = link.lag_days
        if link.lag_percent is not None:
            lag = days(link.lag_percent * Decimal(predecessor.duration) / 100)
        lag_days = _whole_days(lag, at_least_one=False)
        _within(
            lag_days,
            MAX_LAG,
            _("a link to task “%(name)s” has a lag of %(value)d working days, over %(max)d."),
            name=successor.name,
            value=lag_days,
            max=MAX_LAG,
        )
        links.append(
            TaskLink(
                predecessor=predecessor,
                successor=successor,
                type=link.kind,
                lag=lag_days,
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
        )
    TaskLink.objects.bulk_create(links, ignore_conflicts=True)
    baselines = _take_baselines(project, plan, tasks, by)
    services.renumber(project)
    services.reschedule(project)
    return ImportResult(len(tasks), len(links), baselines, warnings)


def _take_calendar(project: Project, plan: Plan, warnings: list[str]) -> None:
    calendar = _project_calendar(plan)
    start = plan.start or min((t.start for t in plan.tasks if t.start), default=None)
    record = services.plan_of(project)
    record.start = start or record.start
    record.holidays = ""
    record.weekdays = (
        sorted(calendar.weekdays) if calendar and calendar.weekdays else [0, 1, 2, 3, 4]
    )
    record.save(update_fields=["start", "holidays", "weekdays", "updated_at"])
    CalendarException.objects.filter(plan=record).delete()
    if calendar is None:
        return
    exceptions = [
        CalendarException(plan=record, day=day, working=False) for day in calendar.days_off
    ] + [CalendarException(plan=record, day=day, working=True) for day in calendar.working_days]
    if len(exceptions) > MAX_EXCEPTIONS:
        exceptions = sorted(exceptions, key=lambda e: e.day)
        if start is not None:
            exceptions = [e for e in exceptions if e.day >= start - datetime.timedelta(days=366)]
        exceptions = exceptions[:MAX_EXCEPTIONS]
        warnings.append(
            _("The calendar has more exceptions than a plan keeps; the first %(count)d were taken.")
            % {"count": MAX_EXCEPTIONS}
        )
    CalendarException.objects.bulk_create(exceptions, batch_size=1000)


def _project_calendar(plan: Plan) -> Calendar | None:
    for calendar in plan.calendars:
        if calendar.uid == plan.calendar_uid:
            return calendar
    return plan.calendars[0] if plan.calendars else None


def _take_baselines(project: Project, plan: Plan, tasks: dict[int, Task], by: Any) -> int:
    numbers = sorted({n for row in plan.tasks for n in row.baselines})
    for number in numbers:
        baseline = Baseline.objects.create(
            project=project,
            name=_("MS Project baseline %(number)d") % {"number": number},
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        BaselineTask.objects.bulk_create(
            [
                BaselineTask(
                    baseline=baseline,
                    task=tasks[row.uid],
                    wbs=tasks[row.uid].wbs,
                    name=tasks[row.uid].name,
                    milestone=tasks[row.uid].milestone,
                    summary=row.is_summary,
                    start=kept.start,
                    finish=kept.finish,
                    duration=_duration(
                        tasks[row.uid].name, kept.duration_days or Decimal(0), at_least_one=False
                    ),
                )
                for row in plan.tasks
                if (kept := row.baselines.get(number)) is not None
            ],
            batch_size=1000,
        )
    return len(numbers)


# Export -----------------------------------------------------------------------------------


def export_plan(project: Project) -> bytes:
    """The project's plan as MS Project XML, with its newest baseline as Baseline 0."""
    return write_mspdi(plan_data(project))


def plan_data(project: Project) -> Plan:
    """The project's plan as plain data (a download never writes: no plan yet, defaults)."""
    record = services.plan_or_default(project)
    tasks = list(services.outline(project))
    uids = {task.pk: index for index, task in enumerate(tasks, start=1)}
    baseline = Baseline.objects.filter(project=project).first()
    kept = (
        {row.task_id: row for row in baseline.tasks.filter(task__isnull=False)} if baseline else {}
    )
    rows = []
    for task in tasks:
        base = kept.get(task.pk)
        rows.append(
            PlanTask(
                uid=uids[task.pk],
                name=task.name,
                outline_level=task.level,
                outline_number=task.wbs,
                wbs=task.wbs,
                parent_uid=uids.get(task.parent_id) if task.parent_id else None,
                is_summary=task.summary,
                is_milestone=task.milestone,
                duration_days=days(task.duration),
                start=task.start,
                finish=task.finish,
                constraint=Constraint(
                    task.constraint.lower(),  # type: ignore[arg-type]
                    task.constraint_date if task.constraint != "ASAP" else None,
                ),
                percent_complete=task.percent_complete,
                actual_start=task.actual_start,
                actual_finish=task.actual_finish,
                notes=task.notes,
                baselines={0: PlanBaseline(base.start, base.finish, days(base.duration))}
                if base is not None
                else {},
            )
        )
    links = tuple(
        PlanLink(uids[p], uids[s], kind, days(lag))  # type: ignore[arg-type]
        for p, s, kind, lag in TaskLink.objects.filter(
            predecessor__project=project, successor__project=project
        ).values_list("predecessor_id", "successor_id", "type", "lag")
    )
    # Days off over whole years of the plan's span, and every exception it has.
    dates = [d for t in tasks for d in (t.start, t.finish) if d] + [record.start]
    if record.pk:
        dates += list(record.exceptions.values_list("day", flat=True))
    off, working = services.days_off(
        record,
        datetime.date(min(dates).year, 1, 1),
        datetime.date(max(dates).year, 12, 31),
    )
    calendar = Calendar(
        uid=EXPORT_CALENDAR_UID,
        name="Standard",
        weekdays=frozenset(record.weekdays),
        days_off=frozenset(off),
        working_days=frozenset(working),
    )
    return Plan(
        name=project.name,
        start=record.start,
        finish=record.finish,
        calendar_uid=EXPORT_CALENDAR_UID,
        calendars=(calendar,),
        tasks=tuple(rows),
        links=links,
    )
