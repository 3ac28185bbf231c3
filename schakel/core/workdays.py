"""Working days: which days count, and N working days after a date.

A calendar is the working weekdays (Monday to Friday unless told otherwise), public holidays
(the Dutch ones from the `holidays` package by default) and extra days off. Reporting uses it
for due dates ("three working days after the period ends"); planning will use it for
durations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import holidays as holiday_data

__all__ = ["WorkingCalendar"]


@dataclass(frozen=True)
class WorkingCalendar:
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday is 0
    country: str = "NL"  # "" for no public holidays
    extra_days_off: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ValueError("a working week needs at least one day, numbered 0 (Mon) to 6 (Sun)")

    @cached_property
    def _holidays(self) -> holiday_data.HolidayBase | dict[date, str]:
        if not self.country:
            return {}
        return holiday_data.country_holidays(self.country)

    @classmethod
    def of(
        cls,
        *,
        weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        country: str = "NL",
        days_off: Iterable[date] = (),
    ) -> WorkingCalendar:
        return cls(frozenset(weekdays), country, frozenset(days_off))

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() in self.weekdays
            and day not in self.extra_days_off
            and day not in self._holidays
        )

    def add_working_days(self, day: date, n: int) -> date:
        """The date `n` working days after `day` (n = 0: `day` itself if it is one, else the
        next working day). Negative n counts back."""
        step = 1 if n >= 0 else -1
        if n == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        remaining = abs(n)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day
