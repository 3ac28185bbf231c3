"""Write a plain :class:`~schakel.core.plan.Plan` as MS Project XML (MSPDI).

The output is what MS Project (2007 and later) and ProjectLibre open: a ``<Project>`` in the
``http://schemas.microsoft.com/project`` namespace with ``SaveVersion`` 14, 480 minutes per
day, the calendars, and the tasks in outline order after the project summary task (UID 0).
Elements follow the order of Microsoft's schema, which MS Project expects.

Choices:

- Times of day are not in the plan: starts are written at 08:00 and finishes at 17:00 (a
  milestone at 17:00 on its finish date), durations as hours of 8-hour days (``PT12H0M0S``),
  lags in tenths of a minute with ``LagFormat`` 7 (days), percent lags as a whole percentage
  with ``LagFormat`` 19 (see :mod:`schakel.core.importers.mspdi`).
- Calendar exceptions are written twice, as Project 2016 itself does: as ``<Exceptions>`` (one
  per run of consecutive dates) for Project 2007 and later, and as legacy ``WeekDay`` entries
  with ``DayType`` 0 for older readers. A plan without calendars gets a Monday-Friday
  "Standard" calendar, since MS Project needs a project calendar.
- The XML is built with ElementTree, so names and notes are escaped; characters XML 1.0
  cannot hold (control characters) are dropped.

Reading the result back with :func:`~schakel.core.importers.mspdi.read_mspdi` gives the same
plan (apart from warnings), with three normalisations: a plan without ``calendar_uid`` comes
back with its first calendar as project calendar, an empty ``wbs`` comes back as the outline
number, and percent lags come back rounded to whole percents (``LinkLag`` is an integer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET  # building XML only; parsing uses defusedxml

from schakel.core.importers.mspdi import CONSTRAINT_CODES, LINK_TYPE_CODES, NAMESPACE
from schakel.core.plan import Baseline, Calendar, Plan, PlanLink, PlanTask

__all__ = ["write_mspdi"]

MINUTES_PER_DAY = 480
SAVE_VERSION = "14"  # Project 2010 format; Project 2010 to 2021 write it too
_START_TIME = "T08:00:00"
_FINISH_TIME = "T17:00:00"
_WORKING_TIMES = (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))
_LINK_CODES = {kind: code for code, kind in LINK_TYPE_CODES.items()}
_CONSTRAINT_CODES = {kind: code for code, kind in CONSTRAINT_CODES.items()}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PREFIX = f"{{{NAMESPACE}}}"


def write_mspdi(plan: Plan) -> bytes:
    """Return the plan as an MSPDI document (UTF-8 bytes with an XML declaration).

    Raises ValueError when task or calendar UIDs are not positive and unique, since MS
    Project identifies everything by them.
    """
    _check_uids(plan)
    root = ET.Element(_PREFIX + "Project")
    calendars = plan.calendars or (Calendar(uid=1, name="Standard"),)
    calendar_uid = plan.calendar_uid if plan.calendar_uid is not None else calendars[0].uid
    start, finish = _span(plan)
    _add(root, "SaveVersion", SAVE_VERSION)
    _add(root, "Name", f"{plan.name}.xml")
    _add(root, "Title", plan.name)
    _add(root, "ScheduleFromStart", "1")
    _add(root, "StartDate", _datetime(start, _START_TIME))
    _add(root, "FinishDate", _datetime(finish, _FINISH_TIME))
    _add(root, "CalendarUID", str(calendar_uid))
    _add(root, "DefaultStartTime", "08:00:00")
    _add(root, "DefaultFinishTime", "17:00:00")
    _add(root, "MinutesPerDay", str(MINUTES_PER_DAY))
    _add(root, "MinutesPerWeek", str(MINUTES_PER_DAY * 5))
    _add(root, "DaysPerMonth", "20")
    _add(root, "DurationFormat", "7")
    _add(root, "WeekStartDay", "1")
    calendars_element = _add(root, "Calendars")
    for calendar in calendars:
        _write_calendar(calendars_element, calendar)
    tasks_element = _add(root, "Tasks")
    _write_project_summary(tasks_element, plan, start, finish)
    predecessors = _links_by_successor(plan.links)
    for number, task in enumerate(plan.tasks, start=1):
        _write_task(tasks_element, task, number, predecessors.get(task.uid, []))
    body = ET.tostring(root, encoding="unicode", default_namespace=NAMESPACE)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body.encode("utf-8")


def _check_uids(plan: Plan) -> None:
    """Refuse UIDs MS Project cannot take: zero (the project summary), negative, repeated."""
    for kind, uids in (
        ("task", [task.uid for task in plan.tasks]),
        ("calendar", [calendar.uid for calendar in plan.calendars]),
    ):
        if any(uid <= 0 for uid in uids) or len(set(uids)) != len(uids):
            raise ValueError(f"{kind} UIDs must be positive and unique")


def _span(plan: Plan) -> tuple[date | None, date | None]:
    """Return the plan's start and finish, from the tasks when the plan has none."""
    starts = [task.start for task in plan.tasks if task.start]
    finishes = [task.finish for task in plan.tasks if task.finish]
    start = plan.start or (min(starts) if starts else None)
    finish = plan.finish or (max(finishes) if finishes else start)
    return start, finish


def _links_by_successor(links: Iterable[PlanLink]) -> dict[int, list[PlanLink]]:
    """Group links under their successor, where MSPDI keeps them."""
    grouped: dict[int, list[PlanLink]] = {}
    for link in links:
        grouped.setdefault(link.successor_uid, []).append(link)
    return grouped


# -- elements --------------------------------------------------------------------------------


def _add(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    """Append a child in the MSPDI namespace, with text made safe for XML 1.0."""
    child = ET.SubElement(parent, _PREFIX + name)
    if text is not None:
        child.text = _NOT_XML.sub("", text)
    return child


def _datetime(day: date | None, time: str) -> str | None:
    """Format a date at a time of day as xsd:dateTime."""
    return None if day is None else day.isoformat() + time


def _duration(value: Decimal) -> str:
    """Format working days as an ISO 8601 duration in hours of 8-hour days."""
    seconds = int((value * MINUTES_PER_DAY * 60).to_integral_value())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}PT{hours}H{minutes}M{seconds}S"


def _add_optional(parent: ET.Element, name: str, text: str | None) -> None:
    """Append a child only when there is a value."""
    if text is not None:
        _add(parent, name, text)


# -- calendars -------------------------------------------------------------------------------


def _write_calendar(parent: ET.Element, calendar: Calendar) -> None:
    """Write a calendar: weekdays, legacy exceptions, then the new-form exceptions."""
    element = _add(parent, "Calendar")
    _add(element, "UID", str(calendar.uid))
    _add(element, "Name", calendar.name)
    _add(element, "IsBaseCalendar", "0" if calendar.base_uid is not None else "1")
    _add(element, "BaseCalendarUID", str(calendar.base_uid if calendar.base_uid else -1))
    weekdays = _add(element, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday
        day = _add(weekdays, "WeekDay")
        _add(day, "DayType", str(day_type))
        working = (day_type + 5) % 7 in calendar.weekdays
        _add(day, "DayWorking", "1" if working else "0")
        if working:
            _write_working_times(day)
    runs = [
        (first, last, working)
        for working, dates in ((False, calendar.days_off), (True, calendar.working_days))
        for first, last in _runs(dates)
    ]
    runs.sort()
    for first, last, working in runs:
        day = _add(weekdays, "WeekDay")
        _add(day, "DayType", "0")
        _add(day, "DayWorking", "1" if working else "0")
        _write_period(day, first, last)
        if working:
            _write_working_times(day)
    if runs:
        exceptions = _add(element, "Exceptions")
        for first, last, working in runs:
            _write_exception(exceptions, first, last, working)


def _write_exception(parent: ET.Element, first: date, last: date, working: bool) -> None:
    """Write one non-recurring exception covering the dates from first to last."""
    exception = _add(parent, "Exception")
    _add(exception, "EnteredByOccurrences", "0")
    _write_period(exception, first, last)
    _add(exception, "Occurrences", "1")
    _add(exception, "Name", "Working day" if working else "Day off")
    _add(exception, "Type", "1")
    _add(exception, "DayWorking", "1" if working else "0")
    if working:
        _write_working_times(exception)


def _write_period(parent: ET.Element, first: date, last: date) -> None:
    """Write a TimePeriod from the start of `first` to the end of `last`."""
    period = _add(parent, "TimePeriod")
    _add(period, "FromDate", first.isoformat() + "T00:00:00")
    _add(period, "ToDate", last.isoformat() + "T23:59:00")


def _write_working_times(parent: ET.Element) -> None:
    """Write the standard working hours of a working day (08-12 and 13-17)."""
    times = _add(parent, "WorkingTimes")
    for start, end in _WORKING_TIMES:
        working_time = _add(times, "WorkingTime")
        _add(working_time, "FromTime", start)
        _add(working_time, "ToTime", end)


def _runs(dates: Iterable[date]) -> Iterator[tuple[date, date]]:
    """Group dates into runs of consecutive days, as (first, last) pairs."""
    first: date | None = None
    last: date | None = None
    for day in sorted(dates):
        if last is not None and day == last + timedelta(days=1):
            last = day
            continue
        if first is not None and last is not None:
            yield first, last
        first = last = day
    if first is not None and last is not None:
        yield first, last


# -- tasks -----------------------------------------------------------------------------------


def _write_project_summary(
    parent: ET.Element, plan: Plan, start: date | None, finish: date | None
) -> None:
    """Write the project summary task (UID 0), which MS Project expects first."""
    element = _add(parent, "Task")
    _add(element, "UID", "0")
    _add(element, "ID", "0")
    _add(element, "Name", plan.name)
    _add(element, "IsNull", "0")
    _add(element, "WBS", "0")
    _add(element, "OutlineNumber", "0")
    _add(element, "OutlineLevel", "0")
    _add_optional(element, "Start", _datetime(start, _START_TIME))
    _add_optional(element, "Finish", _datetime(finish, _FINISH_TIME))
    _add(element, "Milestone", "0")
    _add(element, "Summary", "1")


def _write_task(parent: ET.Element, task: PlanTask, number: int, links: list[PlanLink]) -> None:
    """Write one task with its predecessor links and baselines, in the schema's order."""
    element = _add(parent, "Task")
    _add(element, "UID", str(task.uid))
    _add(element, "ID", str(number))
    _add(element, "Name", task.name)
    _add(element, "IsNull", "0")
    _add(element, "WBS", task.wbs or task.outline_number)
    _add(element, "OutlineNumber", task.outline_number)
    _add(element, "OutlineLevel", str(task.outline_level))
    start_time = _FINISH_TIME if task.is_milestone else _START_TIME
    _add_optional(element, "Start", _datetime(task.start, start_time))
    _add_optional(element, "Finish", _datetime(task.finish, _FINISH_TIME))
    _add(element, "Duration", _duration(task.duration_days))
    _add(element, "DurationFormat", "7")
    _add(element, "Milestone", "1" if task.is_milestone else "0")
    _add(element, "Summary", "1" if task.is_summary else "0")
    _add(element, "PercentComplete", str(task.percent_complete))
    _add_optional(element, "ActualStart", _datetime(task.actual_start, _START_TIME))
    _add_optional(element, "ActualFinish", _datetime(task.actual_finish, _FINISH_TIME))
    _add(element, "ConstraintType", str(_CONSTRAINT_CODES[task.constraint.kind]))
    _add(element, "CalendarUID", str(task.calendar_uid if task.calendar_uid else -1))
    _add_optional(element, "ConstraintDate", _datetime(task.constraint.on, _START_TIME))
    if task.notes:
        _add(element, "Notes", task.notes.replace("\r\n", "\n"))
    for link in links:
        _write_link(element, link)
    for baseline_number in sorted(task.baselines):
        _write_baseline(element, baseline_number, task.baselines[baseline_number])


def _write_link(parent: ET.Element, link: PlanLink) -> None:
    """Write a PredecessorLink: lag in tenths of a minute (days) or whole percent."""
    element = _add(parent, "PredecessorLink")
    _add(element, "PredecessorUID", str(link.predecessor_uid))
    _add(element, "Type", str(_LINK_CODES[link.kind]))
    _add(element, "CrossProject", "0")
    if link.lag_percent is not None:
        _add(element, "LinkLag", str(int(link.lag_percent.to_integral_value())))
        _add(element, "LagFormat", "19")
    else:
        tenths = int((link.lag_days * MINUTES_PER_DAY * 10).to_integral_value())
        _add(element, "LinkLag", str(tenths))
        _add(element, "LagFormat", "7")


def _write_baseline(parent: ET.Element, number: int, baseline: Baseline) -> None:
    """Write one baseline's start, finish and duration."""
    element = _add(parent, "Baseline")
    _add(element, "Number", str(number))
    _add_optional(element, "Start", _datetime(baseline.start, _START_TIME))
    _add_optional(element, "Finish", _datetime(baseline.finish, _FINISH_TIME))
    if baseline.duration_days is not None:
        _add(element, "Duration", _duration(baseline.duration_days))
        _add(element, "DurationFormat", "7")
