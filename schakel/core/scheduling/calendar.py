"""The scheduling calendar, and the map between dates and working-day numbers.

The engine never does date arithmetic in its passes: it numbers the working days (day 0 is
the first working day on or after the project start, day -1 the working day before it) and
works in those integers. `WorkdayIndex` converts once per date it meets, by bisecting a
sorted list of working-day ordinals that grows a year at a time in either direction.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta

from schakel.core.scheduling.errors import ScheduleError
from schakel.core.workdays import WorkingCalendar

__all__ = ["SchedulingCalendar", "WorkdayIndex"]

# A calendar with no working day in this many years in a row is a mistake, not a plan.
_MAX_EMPTY_YEARS = 10


@dataclass(frozen=True)
class SchedulingCalendar:
    """A `WorkingCalendar` plus exceptions that make a normally free day a working day.

    ``extra_working_days`` win over weekends, public holidays and days off (MS Project's
    "working" exceptions, e.g. a Saturday release weekend). The working days of each year are
    computed once and kept, so one calendar serves many schedules cheaply.
    """

    base: WorkingCalendar = field(default_factory=WorkingCalendar)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    _years: dict[int, tuple[int, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def of(
        cls,
        *,
        weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        country: str = "NL",
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
    ) -> SchedulingCalendar:
        """Build a calendar from plain values (country ``""``: no public holidays)."""
        base = WorkingCalendar.of(weekdays=weekdays, country=country, days_off=days_off)
        return cls(base, frozenset(working_days))

    def is_working_day(self, day: date) -> bool:
        """Whether work is done on ``day``."""
        return day in self.extra_working_days or self.base.is_working_day(day)

    def year_days(self, year: int) -> tuple[int, ...]:
        """The ordinals of the working days of ``year``, ascending (cached)."""
        days = self._years.get(year)
        if days is None:
            if not MINYEAR < year < MAXYEAR:
                # The walk through working days would leave the dates Python can hold.
                raise ScheduleError("date_out_of_range", {"year": year})
            first = date(year, 1, 1)
            count = (date(year + 1, 1, 1) - first).days
            one = timedelta(days=1)
            found = []
            day = first
            for _ in range(count):
                if self.is_working_day(day):
                    found.append(day.toordinal())
                day += one
            days = self._years[year] = tuple(found)
        return days


class WorkdayIndex:
    """Number the working days of a calendar from an origin date (its day 0).

    Day 0 is the first working day on or after ``origin``. ``date_of(i)`` is working day i;
    ``on_or_after(d)`` and ``on_or_before(d)`` give the number of ``d`` if it is a working
    day, else of the next or the previous one.
    """

    def __init__(self, calendar: SchedulingCalendar, origin: date) -> None:
        self._calendar = calendar
        self._first = self._last = origin.year
        self._ordinals: list[int] = list(calendar.year_days(origin.year))
        self._zero = 0
        self._ensure_after(origin.toordinal())
        self._zero = bisect_left(self._ordinals, origin.toordinal())

    def _add_year_after(self) -> None:
        self._last += 1
        self._ordinals.extend(self._calendar.year_days(self._last))

    def _add_year_before(self) -> None:
        self._first -= 1
        days = self._calendar.year_days(self._first)
        self._ordinals[:0] = days
        self._zero += len(days)

    def _ensure_after(self, ordinal: int) -> None:
        """Cover ``ordinal`` and at least one working day after it."""
        empty = 0
        while not self._ordinals or self._ordinals[-1] <= ordinal:
            before = len(self._ordinals)
            self._add_year_after()
            empty = empty + 1 if len(self._ordinals) == before else 0
            if empty > _MAX_EMPTY_YEARS:
                raise ScheduleError("no_working_days", {"after": date.fromordinal(ordinal)})

    def _ensure_before(self, ordinal: int) -> None:
        """Cover ``ordinal`` and at least one working day before it."""
        empty = 0
        while self._ordinals[0] >= ordinal:
            before = len(self._ordinals)
            self._add_year_before()
            empty = empty + 1 if len(self._ordinals) == before else 0
            if empty > _MAX_EMPTY_YEARS:
                raise ScheduleError("no_working_days", {"before": date.fromordinal(ordinal)})

    def on_or_after(self, day: date) -> int:
        """The number of ``day``, or of the first working day after it."""
        ordinal = day.toordinal()
        self._ensure_after(ordinal)
        self._ensure_before(ordinal)
        return bisect_left(self._ordinals, ordinal) - self._zero

    def on_or_before(self, day: date) -> int:
        """The number of ``day``, or of the last working day before it."""
        ordinal = day.toordinal()
        self._ensure_after(ordinal)
        self._ensure_before(ordinal)
        return bisect_right(self._ordinals, ordinal) - 1 - self._zero

    def date_of(self, number: int) -> date:
        """The date of working day ``number``."""
        while number + self._zero >= len(self._ordinals):
            self._ensure_after(self._ordinals[-1])
        while number + self._zero < 0:
            self._ensure_before(self._ordinals[0])
        return date.fromordinal(self._ordinals[number + self._zero])

    def dates(self, low: int, high: int) -> list[date]:
        """The dates of working days ``low`` to ``high`` (inclusive), for bulk conversion."""
        self.date_of(low)
        self.date_of(high)
        start = low + self._zero
        return [date.fromordinal(o) for o in self._ordinals[start : high + self._zero + 1]]
