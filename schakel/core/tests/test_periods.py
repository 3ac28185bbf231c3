from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schakel.core.reporting.periods import LAST_DAY, Cycle, Frequency
from schakel.core.workdays import WorkingCalendar


def test_working_days_skip_weekends_and_dutch_holidays() -> None:
    cal = WorkingCalendar()
    # Friday 24 April 2026 + 1 working day: Monday 27 April is King's Day, so Tuesday 28.
    assert cal.add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)
    assert not cal.is_working_day(date(2026, 12, 25))
    assert cal.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert cal.add_working_days(date(2026, 12, 28), -1) == date(2026, 12, 24)
    assert cal.add_working_days(date(2026, 12, 26), 0) == date(2026, 12, 28)


def test_extra_days_off_and_another_working_week() -> None:
    cal = WorkingCalendar.of(weekdays=[0, 1, 2, 3], country="", days_off=[date(2026, 3, 2)])
    assert not cal.is_working_day(date(2026, 3, 6))  # a Friday
    assert not cal.is_working_day(date(2026, 3, 2))
    with pytest.raises(ValueError):
        WorkingCalendar.of(weekdays=[])


def test_a_monthly_cycle_ends_on_the_last_day_and_is_due_working_days_later() -> None:
    cycle = Cycle(Frequency.MONTHLY, anchor=date(2026, 1, 31), month_day=LAST_DAY, due_after=3)
    period = cycle.period_containing(date(2026, 2, 10))
    assert (period.start, period.end) == (date(2026, 2, 1), date(2026, 2, 28))
    # 28 Feb 2026 is a Saturday: three working days later is Wednesday 4 March.
    assert period.due == date(2026, 3, 4)
    assert [p.end for p in cycle.periods_before(date(2026, 2, 10), 3)] == [
        date(2025, 11, 30),
        date(2025, 12, 31),
        date(2026, 1, 31),
    ]


def test_a_monthly_cycle_on_a_day_of_the_month() -> None:
    cycle = Cycle(Frequency.MONTHLY, anchor=date(2026, 1, 20), month_day=20, due_after=0)
    period = cycle.period_containing(date(2026, 1, 25))
    assert (period.start, period.end) == (date(2026, 1, 21), date(2026, 2, 20))
    assert period.due == date(2026, 2, 20)  # a Friday, a working day


def test_a_two_weekly_cycle_keeps_to_its_anchor() -> None:
    cycle = Cycle(Frequency.BIWEEKLY, anchor=date(2026, 3, 6), due_after=2)
    period = cycle.period_containing(date(2026, 3, 10))
    assert (period.start, period.end) == (date(2026, 3, 7), date(2026, 3, 20))
    assert period.due == date(2026, 3, 24)


@given(
    frequency=st.sampled_from(list(Frequency)),
    anchor=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    month_day=st.integers(min_value=0, max_value=28),
    due_after=st.integers(min_value=0, max_value=10),
)
def test_periods_tile_the_calendar_without_gaps_or_overlaps(
    frequency: Frequency, anchor: date, day: date, month_day: int, due_after: int
) -> None:
    cycle = Cycle(
        frequency,
        anchor=anchor,
        month_day=month_day,
        due_after=due_after,
        calendar=WorkingCalendar.of(country=""),
    )
    period = cycle.period_containing(day)
    assert day in period
    history = cycle.periods_before(day, 4)
    assert len(history) == 4
    for earlier, later in zip(history, [*history[1:], period], strict=True):
        assert later.start == earlier.end + timedelta(days=1)
    for p in [*history, period]:
        assert p.due >= p.end
        assert p.start <= p.end
