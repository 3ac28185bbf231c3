"""A project plan as plain data: what the plan importers produce and the exporters consume.

No Django here. The planning app stores these in its own models; the MS Project XML reader and
writer (`schakel.core.importers.mspdi`, `schakel.core.exports.mspdi`) convert them to and from
files. Everything is frozen, so a plan read from a file can be compared field by field with
the plan read back from the file written from it (the round trip).

Units and conventions:

- Dates are `datetime.date`: day granularity, no times of day.
- Durations and lags are working days as `Decimal` with two decimals (8 hours = 1 day in MS
  Project's default; the reader uses the file's own minutes per day).
- Task dates (`start`, `finish`) are the dates the file states, that is MS Project's computed
  schedule; the app may recompute them.
- Weekdays are numbered as Python does: Monday 0 to Sunday 6.
- UIDs are the file's unique ids (positive integers); a task's `parent_uid` is derived from the
  outline, never stated separately.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

__all__ = [
    "CONSTRAINT_KINDS",
    "LINK_KINDS",
    "Baseline",
    "Calendar",
    "Constraint",
    "ConstraintKind",
    "LinkKind",
    "Plan",
    "PlanLink",
    "PlanTask",
    "PlanWarning",
    "days",
]

LinkKind = Literal["FS", "SS", "FF", "SF"]
LINK_KINDS: tuple[LinkKind, ...] = ("FS", "SS", "FF", "SF")

# as soon as / as late as possible, must start / finish on, start / finish no earlier / later than
ConstraintKind = Literal["asap", "alap", "mso", "mfo", "snet", "snlt", "fnet", "fnlt"]
CONSTRAINT_KINDS: tuple[ConstraintKind, ...] = (
    "asap",
    "alap",
    "mso",
    "mfo",
    "snet",
    "snlt",
    "fnet",
    "fnlt",
)
DATELESS_CONSTRAINTS = frozenset({"asap", "alap"})

_CENT = Decimal("0.01")


def days(value: Decimal | float | int | str) -> Decimal:
    """Round a number of days to two decimals, the precision plans carry durations in."""
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PlanWarning:
    """Something in the imported file that the plan does not carry, for the user to know.

    `message` is English with `{name}` placeholders filled from `params`; the app translates
    by `code` and formats with `params`.
    """

    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message.format(**self.params)


@dataclass(frozen=True)
class Calendar:
    """A working-time calendar at day granularity.

    `weekdays` are the working weekdays after inheritance from the base calendar is resolved.
    `days_off` and `working_days` are this calendar's own exceptions (non-working dates and
    extra working dates); a derived calendar also has its base calendar's exceptions.
    """

    uid: int
    name: str
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    base_uid: int | None = None

    def is_working_day(self, day: date) -> bool:
        """Tell whether `day` is worked, looking at this calendar's own exceptions only."""
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() in self.weekdays


@dataclass(frozen=True)
class Constraint:
    """A scheduling constraint; `on` is None for as soon / as late as possible."""

    kind: ConstraintKind = "asap"
    on: date | None = None


@dataclass(frozen=True)
class Baseline:
    """One saved baseline of a task (MS Project has Baseline 0 to 10); any part may be unset."""

    start: date | None = None
    finish: date | None = None
    duration_days: Decimal | None = None


@dataclass(frozen=True)
class PlanTask:
    """One row of the plan: a task, a summary (has children) or a milestone."""

    uid: int
    name: str
    outline_level: int = 1  # 1 = top level
    outline_number: str = ""  # "2.1.3", derived from the order and levels of the tasks
    wbs: str = ""  # the WBS code the file states (the outline number when it states none)
    parent_uid: int | None = None
    is_summary: bool = False
    is_milestone: bool = False
    duration_days: Decimal = Decimal("0.00")
    start: date | None = None
    finish: date | None = None
    constraint: Constraint = Constraint()
    percent_complete: int = 0
    actual_start: date | None = None
    actual_finish: date | None = None
    notes: str = ""
    baselines: Mapping[int, Baseline] = field(default_factory=dict)
    calendar_uid: int | None = None  # None: the plan's calendar


@dataclass(frozen=True)
class PlanLink:
    """A dependency: the successor depends on the predecessor by `kind`.

    The lag is in working days (negative is a lead), unless `lag_percent` is set: then the lag
    is that percentage of the predecessor's duration (MS Project's "FS-75%") and `lag_days` is
    zero. Percent lags are kept as percent rather than converted, so a later change of the
    predecessor's duration still moves the successor as MS Project would.
    """

    predecessor_uid: int
    successor_uid: int
    kind: LinkKind = "FS"
    lag_days: Decimal = Decimal("0.00")
    lag_percent: Decimal | None = None


@dataclass(frozen=True)
class Plan:
    """A whole plan: calendars, tasks in outline order, links, and import warnings.

    `warnings` do not take part in equality, so a round trip compares the content only.
    """

    name: str
    start: date | None = None
    finish: date | None = None
    calendar_uid: int | None = None  # the project calendar
    calendars: tuple[Calendar, ...] = ()
    tasks: tuple[PlanTask, ...] = ()
    links: tuple[PlanLink, ...] = ()
    warnings: tuple[PlanWarning, ...] = field(default=(), compare=False)

    def task(self, uid: int) -> PlanTask:
        """Return the task with this UID (KeyError if there is none)."""
        for task in self.tasks:
            if task.uid == uid:
                return task
        raise KeyError(uid)

    def children(self, uid: int | None) -> Iterator[PlanTask]:
        """Yield the direct children of a task in outline order (None: the top level)."""
        return (task for task in self.tasks if task.parent_uid == uid)

    def calendar(self, uid: int) -> Calendar:
        """Return the calendar with this UID (KeyError if there is none)."""
        for calendar in self.calendars:
            if calendar.uid == uid:
                return calendar
        raise KeyError(uid)
