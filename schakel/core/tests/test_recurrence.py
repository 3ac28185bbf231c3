from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from schakel.core.recurrence import Frequency, nth, occurrences


def test_it_repeats_weekly_and_every_two_weeks() -> None:
    first = date(2026, 1, 6)
    assert occurrences(first, Frequency.WEEKLY, count=3) == [
        date(2026, 1, 6),
        date(2026, 1, 13),
        date(2026, 1, 20),
    ]
    assert occurrences(first, "biweekly", after=date(2026, 1, 7), count=2) == [
        date(2026, 1, 20),
        date(2026, 2, 3),
    ]


def test_it_keeps_the_day_of_the_month_and_clamps_short_months() -> None:
    assert occurrences(date(2026, 1, 31), Frequency.MONTHLY_DATE, count=3) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
    ]


def test_it_keeps_the_weekday_position_in_the_month() -> None:
    # 10 March 2026 is the second Tuesday of March.
    dates = occurrences(date(2026, 3, 10), Frequency.MONTHLY_WEEKDAY, count=3)
    assert dates == [date(2026, 3, 10), date(2026, 4, 14), date(2026, 5, 12)]
    assert all(d.weekday() == 1 for d in dates)


def test_a_first_meeting_in_the_last_week_means_the_last_weekday() -> None:
    # 26 February 2026 is the last Thursday of February.
    dates = occurrences(date(2026, 2, 26), Frequency.MONTHLY_WEEKDAY, count=3)
    assert dates == [date(2026, 2, 26), date(2026, 3, 26), date(2026, 4, 30)]


def test_a_single_meeting_has_one_occurrence() -> None:
    assert occurrences(date(2026, 5, 1), "none", count=5) == [date(2026, 5, 1)]
    assert occurrences(date(2026, 5, 1), "none", after=date(2026, 5, 2)) == []


@given(
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    frequency=st.sampled_from([f for f in Frequency if f is not Frequency.NONE]),
    gap=st.integers(min_value=0, max_value=2000),
)
def test_the_next_occurrences_are_the_series_dates_on_or_after_the_day(
    first: date, frequency: Frequency, gap: int
) -> None:
    after = first + timedelta(days=gap)
    found = occurrences(first, frequency, after=after, count=3)
    assert len(found) == 3
    assert found == sorted(found)
    assert found[0] >= after
    # Nothing of the series is skipped between `after` and the first date found.
    series = [nth(first, frequency, n) for n in range(0, 400)]  # covers the largest gap
    earlier = [d for d in series if after <= d < found[0]]
    assert earlier == []
    assert set(found) <= set(series)
