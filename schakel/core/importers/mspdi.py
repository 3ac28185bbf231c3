"""Read MS Project XML (MSPDI) files into a plain :class:`~schakel.core.plan.Plan`.

MSPDI is the XML that MS Project saves as "XML Format (*.xml)" and that ProjectLibre,
GanttProject and MPXJ also write: a ``<Project>`` root in the namespace
``http://schemas.microsoft.com/project`` holding calendars, tasks (with their predecessor links
and baselines), resources and assignments.

Safety: the file is untrusted. Its size is checked before parsing, it is parsed with defusedxml
(no DTD, so no entity expansion and no external entities), and the number of tasks and of
calendar exception days is capped. The only exception that leaves :func:`read_mspdi` is
:class:`MspdiError`, whose ``code`` the app translates.

What is carried: tasks with their outline (hierarchy), durations, milestones, links with type
and lag, constraints, percent complete, actual dates, notes, baselines 0 to 10 (start, finish,
duration), and calendars with working weekdays and exception dates. What is not (resources,
assignments, costs, custom fields, ...) is left out with a :class:`~schakel.core.plan.PlanWarning`
each, so the user knows.

Quirks handled:

- The project summary task (UID 0, outline level 0) is not a task of the plan; its name is the
  plan's name. ProjectLibre writes its project row as UID 1, ID 0, outline level 0: every task
  at outline level 0 is treated the same way.
- ProjectLibre writes ``Summary`` and ``Milestone`` as 0 for every task. A task is a summary when
  the next task is deeper in the outline, and a milestone when its ``Milestone`` flag is set or
  it is not a summary and its duration is zero.
- Durations are ISO 8601 (``PT40H0M0S``) in working time; they become working days with the
  file's ``MinutesPerDay`` (480 by default). Elapsed durations (``DurationFormat`` 4, 6, 8, ...)
  count 24-hour days and are converted with a warning.
- ``LinkLag`` is in tenths of a minute of working time whatever ``LagFormat`` says (7 = shown in
  days, 9 = shown in weeks: 24000 is one week of 5 days of 8 hours), except for the percent
  formats (19, 20, 51, 52), where it is a whole percentage of the predecessor's duration, as
  MPXJ reads and writes it (the "Software Development" sample's -75 is a lead of 75 %, which is
  what the dates in that file show). Percent lags are kept as percent on the link.
- Calendars state their exceptions in the new ``<Exceptions>`` form (Project 2007 and later,
  possibly recurring) and/or the legacy form (``WeekDay`` with ``DayType`` 0 and a date range).
  When both are there (Project writes both) the new form is used. Recurring exceptions are
  expanded into dates, within the exception's own date range and occurrence count.
"""

from __future__ import annotations

import calendar as month_calendar
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element, ParseError  # types only

import defusedxml
import defusedxml.ElementTree as SafeET

from schakel.core.plan import (
    DATELESS_CONSTRAINTS,
    Baseline,
    Calendar,
    Constraint,
    ConstraintKind,
    LinkKind,
    Plan,
    PlanLink,
    PlanTask,
    PlanWarning,
    days,
)

__all__ = [
    "CONSTRAINT_CODES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_TASKS",
    "LINK_TYPE_CODES",
    "MAX_EXCEPTION_DAYS",
    "NAMESPACE",
    "MspdiError",
    "read_mspdi",
]

NAMESPACE = "http://schemas.microsoft.com/project"
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_TASKS = 20_000
MAX_EXCEPTION_DAYS = 10_000  # per calendar
MAX_PERIOD = 100_000  # days, weeks or months between occurrences of a recurring exception
MAX_RECURRENCE_STEPS = 1_000_000  # candidate dates looked at, per file
FIRST_DATE = date(1984, 1, 1)  # MS Project's date range
LAST_DATE = date(2149, 12, 31)
DEFAULT_MINUTES_PER_DAY = 480

LINK_TYPE_CODES: dict[int, LinkKind] = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
CONSTRAINT_CODES: dict[int, ConstraintKind] = {
    0: "asap",
    1: "alap",
    2: "mso",
    3: "mfo",
    4: "snet",
    5: "snlt",
    6: "fnet",
    7: "fnlt",
}
# DurationFormat / LagFormat values: 3 m, 4 em, 5 h, 6 eh, 7 d, 8 ed, 9 w, 10 ew, 11 mo,
# 12 emo, 19 %, 20 e%, 21 none; 35 to 52 are the same plus 32, marked estimated; 53 none.
PERCENT_FORMATS = frozenset({19, 20, 51, 52})
ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})
KNOWN_FORMATS = frozenset({*range(3, 13), 19, 20, 21, *range(35, 45), 51, 52, 53})

_Pick = Callable[[int, int], date]  # chooses the date of an exception in a (year, month)

_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)

# Warnings that are counted over the file and reported once, in this order.
_COUNTED_WARNINGS: dict[str, str] = {
    "task_without_uid": "{count} tasks without a valid UID were left out.",
    "duplicate_task_uid": "{count} tasks with a UID that was used before were left out.",
    "too_deep": (
        "{count} tasks were more than one level deeper than the task above them; "
        "they were moved up."
    ),
    "recurring_tasks": "{count} recurring tasks were imported as ordinary tasks.",
    "manual_tasks": (
        "{count} manually scheduled tasks were imported as automatically scheduled tasks."
    ),
    "elapsed_durations": "{count} elapsed durations were converted to working days.",
    "constraint_without_date": (
        "{count} constraints without a date were imported as 'as soon as possible'."
    ),
    "unknown_calendar": (
        "{count} tasks use a calendar that is not in the file; they use the project calendar."
    ),
    "baseline_cost_work": "Cost and work of {count} baselines were not imported.",
    "link_to_missing_task": (
        "{count} links to tasks that are not in the file, or not imported, were left out."
    ),
    "external_links": "{count} links to tasks in other projects were left out.",
    "self_links": "{count} links from a task to itself were left out.",
    "duplicate_links": "{count} duplicate links were left out.",
    "elapsed_lags": "{count} elapsed lags were converted to working days.",
    "unknown_lag_format": (
        "{count} links have a lag format that is not known; their lag was read as working time."
    ),
    "work_weeks": "Alternative work weeks of {count} calendars were not imported.",
}


# The first bytes of an OLE compound file, the container of MS Project's own .mpp format.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class MspdiError(Exception):
    """Signal that a file cannot be read as MS Project XML, with a message for the user.

    ``code`` is stable (``too_large``, ``mpp``, ``not_xml``, ``unsafe_xml``, ``not_mspdi``,
    ``too_many_tasks``); ``message`` is English with ``{name}`` placeholders filled from
    ``params``, so the app can translate by code.
    """

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.code = code
        self.message = message
        self.params: dict[str, Any] = params

    def __repr__(self) -> str:
        return f"MspdiError({self.code!r}, {self.params!r})"


def read_mspdi(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_tasks: int = DEFAULT_MAX_TASKS,
) -> Plan:
    """Read an MSPDI file's bytes into a plan, or raise :class:`MspdiError`."""
    root = _parse(data, max_bytes)
    return _Reader(root, max_tasks).plan()


def _parse(data: bytes, max_bytes: int) -> Element:
    """Parse untrusted bytes safely and check that the root is an MSPDI project."""
    if len(data) > max_bytes:
        raise MspdiError(
            "too_large",
            "The file is larger than {limit} MB.",
            limit=max(1, max_bytes // (1024 * 1024)),
        )
    if data.startswith(OLE_SIGNATURE):
        raise MspdiError(
            "mpp",
            "This is an MS Project .mpp file, not MS Project XML. In MS Project choose "
            "File › Save As › XML Format (*.xml) and import that file.",
        )
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise MspdiError(
            "unsafe_xml",
            "The file contains XML constructs that are refused for safety (a DTD or entities).",
        ) from exc
    except (ParseError, ValueError, UnicodeError, LookupError) as exc:
        # LookupError: an encoding the XML declaration names that Python does not know.
        raise MspdiError("not_xml", "The file is not a valid XML file.") from exc
    if root.tag not in (f"{{{NAMESPACE}}}Project", "Project"):
        raise MspdiError(
            "not_mspdi",
            "The file is XML but not an MS Project XML file (no <Project> in the MS Project "
            "namespace).",
        )
    return root


@dataclass
class _RawTask:
    """A task element as found, before the outline is worked out."""

    uid: int
    level: int
    element: Element


@dataclass
class _RawCalendar:
    """A calendar element's own data, before the base calendar is resolved."""

    uid: int
    name: str
    base_uid: int | None
    weekdays: dict[int, bool]
    days_off: set[date] = field(default_factory=set)
    working_days: set[date] = field(default_factory=set)


class _Reader:
    """Walk a parsed MSPDI tree once; collect the plan and the warnings on the way."""

    def __init__(self, root: Element, max_tasks: int) -> None:
        self.root = root
        self.prefix = f"{{{NAMESPACE}}}" if root.tag.startswith("{") else ""
        self.max_tasks = max_tasks
        self.counts: Counter[str] = Counter()
        self.warnings: list[PlanWarning] = []
        self.steps_left = MAX_RECURRENCE_STEPS
        minutes = self._int(root, "MinutesPerDay")
        self.minutes_per_day = minutes if minutes and minutes > 0 else DEFAULT_MINUTES_PER_DAY

    # -- element helpers ---------------------------------------------------------------------

    def _all(self, element: Element, path: str) -> list[Element]:
        """Find all elements at a slash-separated path of local names."""
        return element.findall("/".join(self.prefix + part for part in path.split("/")))

    def _text(self, element: Element, name: str) -> str | None:
        """Return a child's stripped text, or None when it is missing or empty."""
        child = element.find(self.prefix + name)
        if child is None or child.text is None:
            return None
        return child.text.strip() or None

    def _int(self, element: Element, name: str) -> int | None:
        """Return a child's integer value, or None when it is missing or not a number."""
        text = self._text(element, name)
        if text is None:
            return None
        try:
            return int(Decimal(text))
        except (InvalidOperation, ValueError, OverflowError):
            return None

    def _flag(self, element: Element, name: str) -> bool:
        """Return a child's boolean value (1 or true)."""
        return (self._text(element, name) or "").lower() in ("1", "true")

    def _date(self, element: Element, name: str) -> date | None:
        """Return the date part of a child's datetime, or None when it is missing or bad."""
        return _to_date(self._text(element, name))

    def _days(self, element: Element, name: str, *, elapsed: bool = False) -> Decimal | None:
        """Return a child's ISO 8601 duration as days (of work, or of 24 hours if elapsed)."""
        minutes = _duration_minutes(self._text(element, name))
        if minutes is None:
            return None
        return days(minutes / (1440 if elapsed else self.minutes_per_day))

    def _count(self, code: str, n: int = 1) -> None:
        """Count one more occurrence of a warning that is reported once at the end."""
        self.counts[code] += n

    def _warn(self, code: str, message: str, **params: Any) -> None:
        """Add a warning right away."""
        self.warnings.append(PlanWarning(code, message, params))

    # -- the plan ----------------------------------------------------------------------------

    def plan(self) -> Plan:
        """Read the whole file."""
        calendars = self._calendars()
        calendar_uids = {calendar.uid for calendar in calendars}
        project_calendar = self._int(self.root, "CalendarUID")
        raw_tasks, summary_name = self._raw_tasks()
        tasks = self._tasks(raw_tasks, calendar_uids)
        links = self._links(raw_tasks, {task.uid for task in tasks})
        self._not_imported()
        return Plan(
            name=self._plan_name(summary_name),
            start=self._date(self.root, "StartDate"),
            finish=self._date(self.root, "FinishDate"),
            calendar_uid=project_calendar if project_calendar in calendar_uids else None,
            calendars=calendars,
            tasks=tasks,
            links=links,
            warnings=(*self._counted_warnings(), *self.warnings),
        )

    def _plan_name(self, summary_name: str | None) -> str:
        """Name the plan after the project summary task, else the title, else the file name."""
        if summary_name:
            return summary_name
        title = self._text(self.root, "Title")
        if title:
            return title
        name = self._text(self.root, "Name") or ""
        return name[:-4] if name.lower().endswith(".xml") else name

    def _counted_warnings(self) -> list[PlanWarning]:
        """Turn the counters into warnings, in a fixed order."""
        return [
            PlanWarning(code, message, {"count": self.counts[code]})
            for code, message in _COUNTED_WARNINGS.items()
            if self.counts[code]
        ]

    def _not_imported(self) -> None:
        """Warn about whole kinds of data the plan does not carry."""
        resources = [
            element
            for element in self._all(self.root, "Resources/Resource")
            if self._int(element, "UID") != 0  # UID 0 is MS Project's "unassigned" row
        ]
        assignments = self._all(self.root, "Assignments/Assignment")
        if resources or assignments:
            self._warn(
                "resources_not_imported",
                "{resources} resources and {assignments} assignments were not imported.",
                resources=len(resources),
                assignments=len(assignments),
            )
        task_elements = self._all(self.root, "Tasks/Task")
        if any(
            _nonzero(self._text(element, "Cost")) or _nonzero(self._text(element, "FixedCost"))
            for element in task_elements
        ):
            self._warn("costs_not_imported", "Costs were not imported.")
        custom = self._all(self.root, "ExtendedAttributes/ExtendedAttribute")
        if custom:
            self._warn(
                "custom_fields_not_imported",
                "{count} custom field definitions were not imported.",
                count=len(custom),
            )

    # -- tasks -------------------------------------------------------------------------------

    def _raw_tasks(self) -> tuple[list[_RawTask], str | None]:
        """List the task elements that become tasks, with fixed-up outline levels.

        Returns them and the project summary task's name. Null tasks (blank rows) and project
        summary rows are left out; links to them are counted as links to missing tasks.
        """
        raw: list[_RawTask] = []
        seen: set[int] = set()
        summary_name: str | None = None
        previous_level = 0
        for element in self._all(self.root, "Tasks/Task"):
            uid = self._int(element, "UID")
            level = self._int(element, "OutlineLevel")
            if uid is None or uid < 0:
                self._count("task_without_uid")
                continue
            if self._flag(element, "IsNull"):
                continue
            if level is not None and level <= 0:
                if summary_name is None:
                    summary_name = self._text(element, "Name")
                continue
            if uid in seen:
                self._count("duplicate_task_uid")
                continue
            if len(raw) >= self.max_tasks:
                raise MspdiError(
                    "too_many_tasks",
                    "The file has more than {limit} tasks.",
                    limit=self.max_tasks,
                )
            seen.add(uid)
            wanted = level or 1
            fixed = min(wanted, previous_level + 1)
            if fixed != wanted:
                self._count("too_deep")
            raw.append(_RawTask(uid, fixed, element))
            previous_level = fixed
        return raw, summary_name

    def _tasks(self, raw: list[_RawTask], calendar_uids: set[int]) -> tuple[PlanTask, ...]:
        """Build the plan's tasks in file order, with parents and outline numbers."""
        tasks: list[PlanTask] = []
        stack: list[tuple[int, list[int]]] = []  # (uid, outline number) per open level
        counters: list[int] = [0]
        for index, item in enumerate(raw):
            del stack[item.level - 1 :]
            del counters[item.level :]
            counters[-1] += 1
            number = [*(stack[-1][1] if stack else []), counters[-1]]
            is_summary = index + 1 < len(raw) and raw[index + 1].level > item.level
            tasks.append(
                self._task(
                    item,
                    parent_uid=stack[-1][0] if stack else None,
                    outline_number=".".join(map(str, number)),
                    is_summary=is_summary,
                    calendar_uids=calendar_uids,
                )
            )
            stack.append((item.uid, number))
            counters.append(0)
        return tuple(tasks)

    def _task(
        self,
        item: _RawTask,
        *,
        parent_uid: int | None,
        outline_number: str,
        is_summary: bool,
        calendar_uids: set[int],
    ) -> PlanTask:
        """Build one task from its element."""
        element = item.element
        duration = self._task_duration(element)
        if self._flag(element, "Recurring"):
            self._count("recurring_tasks")
        if self._flag(element, "Manual"):
            self._count("manual_tasks")
        return PlanTask(
            uid=item.uid,
            name=self._text(element, "Name") or "",
            outline_level=item.level,
            outline_number=outline_number,
            wbs=self._text(element, "WBS") or outline_number,
            parent_uid=parent_uid,
            is_summary=is_summary,
            is_milestone=not is_summary and (self._flag(element, "Milestone") or duration == 0),
            duration_days=duration,
            start=self._date(element, "Start"),
            finish=self._date(element, "Finish"),
            constraint=self._constraint(element),
            percent_complete=max(0, min(100, self._int(element, "PercentComplete") or 0)),
            actual_start=self._date(element, "ActualStart"),
            actual_finish=self._date(element, "ActualFinish"),
            notes=_notes(element.find(self.prefix + "Notes")),
            baselines=self._baselines(element),
            calendar_uid=self._task_calendar(element, calendar_uids),
        )

    def _task_duration(self, element: Element) -> Decimal:
        """Return the task's duration in working days (elapsed durations converted)."""
        elapsed = self._int(element, "DurationFormat") in ELAPSED_FORMATS
        duration = self._days(element, "Duration", elapsed=elapsed)
        if duration is None:
            return days(0)
        if elapsed:
            self._count("elapsed_durations")
        return duration

    def _task_calendar(self, element: Element, calendar_uids: set[int]) -> int | None:
        """Return the task's own calendar, None for the project calendar."""
        uid = self._int(element, "CalendarUID")
        if uid is None or uid < 0:
            return None
        if uid not in calendar_uids:
            self._count("unknown_calendar")
            return None
        return uid

    def _constraint(self, element: Element) -> Constraint:
        """Return the task's constraint; a dated kind without a date becomes ASAP."""
        kind = CONSTRAINT_CODES.get(self._int(element, "ConstraintType") or 0, "asap")
        if kind in DATELESS_CONSTRAINTS:
            return Constraint(kind)
        on = self._date(element, "ConstraintDate")
        if on is None:
            self._count("constraint_without_date")
            return Constraint()
        return Constraint(kind, on)

    def _baselines(self, element: Element) -> dict[int, Baseline]:
        """Return the task's baselines by number, keeping start, finish and duration."""
        baselines: dict[int, Baseline] = {}
        for child in self._all(element, "Baseline"):
            number = self._int(child, "Number")
            if number is None or not 0 <= number <= 10:
                continue
            baseline = Baseline(
                start=self._date(child, "Start"),
                finish=self._date(child, "Finish"),
                duration_days=self._days(child, "Duration"),
            )
            if any(_nonzero(self._text(child, name)) for name in ("Cost", "Work")):
                self._count("baseline_cost_work")
            if baseline != Baseline():
                baselines[number] = baseline
        return baselines

    # -- links -------------------------------------------------------------------------------

    def _links(self, raw: list[_RawTask], task_uids: set[int]) -> tuple[PlanLink, ...]:
        """Collect the predecessor links of all tasks, leaving out those that cannot hold."""
        links: list[PlanLink] = []
        pairs: set[tuple[int, int]] = set()
        for item in raw:
            for element in self._all(item.element, "PredecessorLink"):
                link = self._link(element, item.uid, task_uids)
                if link is None:
                    continue
                pair = (link.predecessor_uid, link.successor_uid)
                if pair in pairs:
                    self._count("duplicate_links")
                    continue
                pairs.add(pair)
                links.append(link)
        return tuple(links)

    def _link(self, element: Element, successor: int, task_uids: set[int]) -> PlanLink | None:
        """Build one link, or count why it is left out and return None."""
        predecessor = self._int(element, "PredecessorUID")
        if self._flag(element, "CrossProject"):
            self._count("external_links")
            return None
        if predecessor is None or predecessor not in task_uids:
            self._count("link_to_missing_task")
            return None
        if predecessor == successor:
            self._count("self_links")
            return None
        type_code = self._int(element, "Type")  # MS Project's default is FS
        kind = "FS" if type_code is None else LINK_TYPE_CODES.get(type_code, "FS")
        lag_days, lag_percent = self._lag(element)
        return PlanLink(predecessor, successor, kind, lag_days, lag_percent)

    def _lag(self, element: Element) -> tuple[Decimal, Decimal | None]:
        """Return a link's lag as (working days, None) or (0, percent of the predecessor)."""
        try:
            amount = Decimal(self._text(element, "LinkLag") or "0")
        except InvalidOperation:
            amount = Decimal(0)
        if not amount.is_finite() or amount == 0:
            return days(0), None
        lag_format = self._int(element, "LagFormat")
        lag_format = 7 if lag_format is None else lag_format
        if lag_format in PERCENT_FORMATS:
            return days(0), days(amount)
        minutes = amount / 10
        if lag_format in ELAPSED_FORMATS:
            self._count("elapsed_lags")
            return days(minutes / 1440), None
        if lag_format not in KNOWN_FORMATS:
            self._count("unknown_lag_format")
        return days(minutes / self.minutes_per_day), None

    # -- calendars ---------------------------------------------------------------------------

    def _calendars(self) -> tuple[Calendar, ...]:
        """Read all calendars and resolve the working weekdays through base calendars."""
        raw: dict[int, _RawCalendar] = {}
        for element in self._all(self.root, "Calendars/Calendar"):
            calendar = self._raw_calendar(element)
            if calendar is not None and calendar.uid not in raw:
                raw[calendar.uid] = calendar
        return tuple(
            Calendar(
                uid=calendar.uid,
                name=calendar.name,
                weekdays=_resolve_weekdays(calendar.uid, raw),
                days_off=frozenset(calendar.days_off),
                working_days=frozenset(calendar.working_days),
                base_uid=calendar.base_uid if calendar.base_uid in raw else None,
            )
            for calendar in raw.values()
        )

    def _raw_calendar(self, element: Element) -> _RawCalendar | None:
        """Read one calendar's own weekdays and exception dates."""
        uid = self._int(element, "UID")
        if uid is None:
            return None
        base_uid = self._int(element, "BaseCalendarUID")
        if self._flag(element, "IsBaseCalendar") or base_uid is None or base_uid < 0:
            base_uid = None
        weekdays: dict[int, bool] = {}
        calendar = _RawCalendar(uid, self._text(element, "Name") or "", base_uid, weekdays)
        legacy: list[Element] = []
        for day in self._all(element, "WeekDays/WeekDay"):
            day_type = self._int(day, "DayType")
            if day_type == 0:
                legacy.append(day)
            elif day_type is not None and 1 <= day_type <= 7:
                weekdays[(day_type + 5) % 7] = self._flag(day, "DayWorking")  # 1 = Sunday
        exceptions = self._all(element, "Exceptions/Exception")
        for exception in exceptions or legacy:
            if not self._add_exception(calendar, exception):
                self._warn(
                    "exceptions_truncated",
                    'Calendar "{calendar}" has more exception days than can be imported; '
                    "the rest were left out.",
                    calendar=calendar.name,
                )
                break
        if self._all(element, "WorkWeeks/WorkWeek"):
            self._count("work_weeks")
        return calendar

    def _add_exception(self, calendar: _RawCalendar, element: Element) -> bool:
        """Add an exception's dates to the calendar; False when a limit was reached."""
        working = self._flag(element, "DayWorking")
        add, other = (
            (calendar.working_days, calendar.days_off)
            if working
            else (calendar.days_off, calendar.working_days)
        )
        for day in self._exception_dates(element):
            if len(calendar.days_off) + len(calendar.working_days) >= MAX_EXCEPTION_DAYS:
                return False
            add.add(day)
            other.discard(day)
        return self.steps_left > 0

    def _exception_dates(self, element: Element) -> Iterator[date]:
        """Yield the dates an exception covers, legacy or new form, recurring or not."""
        period = element.find(self.prefix + "TimePeriod")
        if period is None:
            return
        first = max(self._date(period, "FromDate") or LAST_DATE, FIRST_DATE)
        last = min(self._date(period, "ToDate") or FIRST_DATE, LAST_DATE)
        if first > last:
            return
        if self._text(element, "DayType") is not None:  # legacy WeekDay: a plain range
            candidates = _daily(first, 1)
            occurrences = None
        else:
            candidates = self._recurrence(element, first)
            by_occurrences = self._flag(element, "EnteredByOccurrences")
            occurrences = self._int(element, "Occurrences") if by_occurrences else None
        found = 0
        for day in candidates:
            self.steps_left -= 1
            if day > last or self.steps_left <= 0:
                return
            if day < first:
                continue
            yield day
            found += 1
            if occurrences is not None and found >= occurrences:
                return

    def _recurrence(self, element: Element, first: date) -> Iterator[date]:
        """Yield the candidate dates of a new-form exception, ascending, from its start.

        Types: 1 every day, 7 every `Period` days, 6 weekly (`DaysOfWeek` bits, 1 = Sunday),
        4 monthly on day `MonthDay`, 5 monthly on the `MonthPosition`-th (0 first .. 4 last)
        `MonthItem` (3 Sunday .. 9 Saturday; 0 day, 1 weekday, 2 weekend day), 2 and 3 the
        same yearly in `Month` (0 = January).
        """
        kind = self._int(element, "Type") or 1
        # A period longer than MS Project's whole date range repeats nothing; capping it
        # keeps the date arithmetic within what Python's dates can hold.
        period = min(max(1, self._int(element, "Period") or 1), MAX_PERIOD)
        if kind == 1:
            return _daily(first, 1)
        if kind == 7:
            return _daily(first, period)
        if kind == 6:
            return _weekly(first, period, self._int(element, "DaysOfWeek") or 0)
        month = self._int(element, "Month") or 0
        month_day = self._int(element, "MonthDay") or 1
        item = self._int(element, "MonthItem") or 0
        position = self._int(element, "MonthPosition") or 0
        if kind == 4:
            return _monthly(first, period, lambda y, m: _day_of_month(y, m, month_day))
        if kind == 5:
            return _monthly(first, period, lambda y, m: _nth_item(y, m, item, position))
        if kind == 2:
            return _yearly(first, month, lambda y, m: _day_of_month(y, m, month_day))
        if kind == 3:
            return _yearly(first, month, lambda y, m: _nth_item(y, m, item, position))
        return iter(())


# -- recurrence helpers (plain functions so they are easy to test) ---------------------------


def _daily(first: date, step: int) -> Iterator[date]:
    """Yield every `step`-th day from `first` on, up to MS Project's last date."""
    day = first
    while day <= LAST_DATE:
        yield day
        day += timedelta(days=step)


def _weekly(first: date, period: int, mask: int) -> Iterator[date]:
    """Yield the masked weekdays of every `period`-th week, weeks starting on Sunday.

    The week of `first` is week 0 (MS Project counts weeks from Sunday here, whatever the
    project's first day of the week is: the sample's "every 7 weeks on Sunday" from Monday
    1 January 2001 first falls on 18 February).
    """
    offsets = [index for index in range(7) if mask & (1 << index)]  # 0 = Sunday
    if not offsets:
        return
    sunday = first - timedelta(days=(first.weekday() + 1) % 7)
    while sunday <= LAST_DATE:
        for offset in offsets:
            yield sunday + timedelta(days=offset)
        sunday += timedelta(weeks=period)


def _monthly(first: date, period: int, pick: _Pick) -> Iterator[date]:
    """Yield `pick(year, month)` for every `period`-th month from the month of `first`."""
    index = first.year * 12 + first.month - 1
    while index // 12 <= LAST_DATE.year:
        yield pick(index // 12, index % 12 + 1)
        index += period


def _yearly(first: date, month: int, pick: _Pick) -> Iterator[date]:
    """Yield `pick(year, month)` every year from the year of `first`; `month` 0 = January."""
    month = min(max(month, 0), 11) + 1
    for year in range(first.year, LAST_DATE.year + 1):
        yield pick(year, month)


def _day_of_month(year: int, month: int, day: int) -> date:
    """Return the given day of a month, or its last day when the month is shorter."""
    return date(year, month, min(max(day, 1), month_calendar.monthrange(year, month)[1]))


def _nth_item(year: int, month: int, item: int, position: int) -> date:
    """Return the `position`-th (0 first .. 3 fourth, 4 last) `item` day of a month.

    `item`: 0 any day, 1 weekday (Mon-Fri), 2 weekend day, 3 Sunday .. 9 Saturday.
    """
    length = month_calendar.monthrange(year, month)[1]
    candidates = [
        day
        for day in (date(year, month, number) for number in range(1, length + 1))
        if _is_item(day, item)
    ]
    if position >= 4 or position >= len(candidates):
        return candidates[-1]
    return candidates[max(position, 0)]


def _is_item(day: date, item: int) -> bool:
    """Tell whether a date is of the MonthItem kind."""
    if item == 1:
        return day.weekday() < 5
    if item == 2:
        return day.weekday() >= 5
    if 3 <= item <= 9:
        return (day.weekday() + 1) % 7 == item - 3  # 3 = Sunday
    return True


# -- value helpers ---------------------------------------------------------------------------


def _resolve_weekdays(uid: int, raw: dict[int, _RawCalendar]) -> frozenset[int]:
    """Return a calendar's working weekdays: its own, else its base's, else Monday-Friday."""
    stated: dict[int, bool] = {}
    seen: set[int] = set()
    current: int | None = uid
    while current is not None and current in raw and current not in seen:
        seen.add(current)
        for weekday, working in raw[current].weekdays.items():
            stated.setdefault(weekday, working)
        current = raw[current].base_uid
    return frozenset(weekday for weekday in range(7) if stated.get(weekday, weekday < 5))


def _to_date(text: str | None) -> date | None:
    """Return the date part of an xsd:dateTime, or None."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _duration_minutes(text: str | None) -> Decimal | None:
    """Return an ISO 8601 duration (PnDTnHnMnS) in minutes, or None when it is not one."""
    if not text:
        return None
    match = _DURATION.match(text)
    if match is None:
        return None
    sign, day, hours, minutes, seconds = match.groups()
    total = (
        Decimal(day or 0) * 1440
        + Decimal(hours or 0) * 60
        + Decimal(minutes or 0)
        + Decimal(seconds or 0) / 60
    )
    return -total if sign else total


def _nonzero(text: str | None) -> bool:
    """Tell whether a number or duration field holds something other than zero."""
    if not text:
        return False
    minutes = _duration_minutes(text)
    if minutes is not None:
        return minutes != 0
    try:
        return Decimal(text) != 0
    except InvalidOperation:
        return False


def _notes(element: Element | None) -> str:
    """Return the notes text with line ends normalised."""
    if element is None or not element.text:
        return ""
    return element.text.replace("\r\n", "\n").replace("\r", "\n").strip()
