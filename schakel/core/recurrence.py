"""When the next meetings of a series fall: weekly, every two weeks, monthly.

Pure date arithmetic, so it is tested without a database. A monthly series either keeps
the day of the month of its first meeting (the 14th) or its weekday position (the second
Tuesday; a first meeting in the last week of its month means "the last Tuesday").
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum

__all__ = ["Frequency", "occurrences"]


class Frequency(StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY_DATE = "monthly_date"
    MONTHLY_WEEKDAY = "monthly_weekday"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _monthly_date(first: date, n: int) -> date:
    year, month = _add_months(first.year, first.month, n)
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(first.day, last_day))


def _monthly_weekday(first: date, n: int) -> date:
    year, month = _add_months(first.year, first.month, n)
    last_day = calendar.monthrange(year, month)[1]
    is_last = first.day + 7 > calendar.monthrange(first.year, first.month)[1]
    if is_last:
        day = date(year, month, last_day)
        return day - timedelta(days=(day.weekday() - first.weekday()) % 7)
    position = (first.day - 1) // 7  # 0 = first, 1 = second, ...
    day_one = date(year, month, 1)
    first_match = day_one + timedelta(days=(first.weekday() - day_one.weekday()) % 7)
    return first_match + timedelta(weeks=position)


def nth(first: date, frequency: Frequency | str, n: int) -> date:
    """The date of occurrence `n` (0 is `first` itself)."""
    frequency = Frequency(frequency)
    if frequency is Frequency.WEEKLY:
        return first + timedelta(weeks=n)
    if frequency is Frequency.BIWEEKLY:
        return first + timedelta(weeks=2 * n)
    if frequency is Frequency.MONTHLY_DATE:
        return _monthly_date(first, n)
    if frequency is Frequency.MONTHLY_WEEKDAY:
        return _monthly_weekday(first, n)
    if n:
        raise ValueError("a series without recurrence has one occurrence")
    return first


def occurrences(
    first: date, frequency: Frequency | str, *, after: date | None = None, count: int = 1
) -> list[date]:
    """The next `count` dates of the series on or after `after` (default: `first`)."""
    frequency = Frequency(frequency)
    if count <= 0:
        return []
    if frequency is Frequency.NONE:
        return [first] if after is None or first >= after else []
    # Jump close to `after` instead of walking from the first meeting.
    n = 0
    if after is not None and after > first:
        if frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
            step = 7 if frequency is Frequency.WEEKLY else 14
            n = max(0, (after - first).days // step - 1)
        else:
            n = max(0, (after.year - first.year) * 12 + after.month - first.month - 1)
    found: list[date] = []
    while len(found) < count:
        day = nth(first, frequency, n)
        if after is None or day >= after:
            found.append(day)
        n += 1
    return found
