"""The periods of a reporting cycle and when each report is due.

A cycle reports weekly, every two weeks, every four weeks or monthly. Weekly-based cycles
end their periods on a weekday, anchored on one known period end (so "every two weeks,
ending on Friday 6 March" fixes which Fridays); monthly cycles end on a day of the month
(28 at most, or the last day). A report is due a number of working days after its period
ends.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from schakel.core.workdays import WorkingCalendar

__all__ = ["LAST_DAY", "Cycle", "Frequency", "Period"]

LAST_DAY = 0  # a monthly cycle's `month_day` for "the last day of the month"


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    FOUR_WEEKLY = "four_weekly"
    MONTHLY = "monthly"


WEEKS = {Frequency.WEEKLY: 1, Frequency.BIWEEKLY: 2, Frequency.FOUR_WEEKLY: 4}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Cycle:
    frequency: Frequency
    anchor: date  # weekly-based: a day on which a period ends
    month_day: int = LAST_DAY  # monthly: the day periods end (1-28), or LAST_DAY
    due_after: int = 3  # working days after the period's end
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequency", Frequency(self.frequency))
        if not 0 <= self.month_day <= 28:
            raise ValueError("month_day is 1 to 28, or 0 for the last day of the month")
        if not 0 <= self.due_after <= 60:
            raise ValueError("due_after is 0 to 60 working days")

    # Period ends -----------------------------------------------------------------------

    def _month_end(self, year: int, month: int) -> date:
        last = calendar.monthrange(year, month)[1]
        return date(year, month, last if self.month_day == LAST_DAY else self.month_day)

    def end_on_or_after(self, day: date) -> date:
        """The first period end on or after `day`."""
        if self.frequency is Frequency.MONTHLY:
            end = self._month_end(day.year, day.month)
            if end < day:
                year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
                end = self._month_end(year, month)
            return end
        step = 7 * WEEKS[self.frequency]
        offset = (self.anchor - day).days % step
        return day + timedelta(days=offset)

    def previous_end(self, end: date) -> date:
        """The period end before the period end `end`."""
        if self.frequency is Frequency.MONTHLY:
            year, month = (end.year - 1, 12) if end.month == 1 else (end.year, end.month - 1)
            return self._month_end(year, month)
        return end - timedelta(days=7 * WEEKS[self.frequency])

    def period_ending(self, end: date) -> Period:
        start = self.previous_end(end) + timedelta(days=1)
        return Period(start, end, self.calendar.add_working_days(end, self.due_after))

    def period_containing(self, day: date) -> Period:
        return self.period_ending(self.end_on_or_after(day))

    def periods_before(self, day: date, count: int) -> list[Period]:
        """The last `count` periods that ended before `day`, oldest first."""
        end = self.previous_end(self.end_on_or_after(day))
        found = []
        for _ in range(count):
            found.append(self.period_ending(end))
            end = self.previous_end(end)
        return found[::-1]
