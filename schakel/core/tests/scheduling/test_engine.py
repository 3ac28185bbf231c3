"""Hand-checked schedules: every expected date below was worked out on paper.

Unless a test says otherwise the calendar is Monday to Friday with no public holidays and
the project starts on Monday 2 March 2026 (working days 0–4 are 2–6 March, 5–9 are 9–13
March, 10–14 are 16–20 March).
"""

from __future__ import annotations

from datetime import date

import pytest

from schakel.core.scheduling import (
    Activity,
    Constraint,
    ConstraintViolation,
    CycleError,
    Link,
    LinkType,
    Schedule,
    ScheduleError,
    SchedulingCalendar,
    schedule,
)

MON = date(2026, 3, 2)
PLAIN = SchedulingCalendar.of(country="")
FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF


def march(day: int) -> date:
    return date(2026, 3, day)


def plan(acts: list[Activity], links: list[Link] = (), **options: object) -> Schedule:  # type: ignore[assignment]
    options.setdefault("calendar", PLAIN)
    options.setdefault("start", MON)
    return schedule(acts, links, **options)  # type: ignore[arg-type]


def dates(result: Schedule, activity_id: str) -> tuple[date, date]:
    row = result[activity_id]
    return row.early_start, row.early_finish


# --- the textbook network --------------------------------------------------------------

TEXTBOOK = [
    Activity("A", 3),
    Activity("B", 4),
    Activity("C", 2),
    Activity("D", 5),
    Activity("E", 1),
    Activity("F", 2),
    Activity("G", 3),
    Activity("H", 2),
]
TEXTBOOK_LINKS = [
    Link("A", "C"),
    Link("A", "D"),
    Link("B", "E"),
    Link("C", "E"),
    Link("D", "F"),
    Link("E", "G"),
    Link("F", "H"),
    Link("G", "H"),
]


def test_textbook_network_early_late_and_floats() -> None:
    result = plan(TEXTBOOK, TEXTBOOK_LINKS)
    expected = {  # id: early start, early finish, late start, late finish, total, free
        "A": (march(2), march(4), march(2), march(4), 0, 0),
        "B": (march(2), march(5), march(4), march(9), 2, 1),
        "C": (march(5), march(6), march(6), march(9), 1, 0),
        "D": (march(5), march(11), march(5), march(11), 0, 0),
        "E": (march(9), march(9), march(10), march(10), 1, 0),
        "F": (march(12), march(13), march(12), march(13), 0, 0),
        "G": (march(10), march(12), march(11), march(13), 1, 1),
        "H": (march(16), march(17), march(16), march(17), 0, 0),
    }
    for key, (es, ef, ls, lf, total, free) in expected.items():
        row = result[key]
        got = (row.early_start, row.early_finish, row.late_start, row.late_finish)
        assert got == (es, ef, ls, lf), key
        assert (row.total_float, row.free_float) == (total, free), key
    assert result.finish == march(17)
    assert result.critical == ["A", "D", "F", "H"]
    assert result.critical_paths() == [["A", "D", "F", "H"]]
    assert result.violations == []


def test_separate_critical_chains() -> None:
    acts = [Activity("A", 2), Activity("B", 3), Activity("C", 4), Activity("D", 1)]
    result = plan(acts, [Link("A", "B"), Link("C", "D")])
    assert result.critical == ["A", "B", "C", "D"]
    assert result.critical_paths() == [["A", "B"], ["C", "D"]]


def test_a_non_driving_link_does_not_join_chains() -> None:
    """B waits for A (critical) and for C (2 days of float): C is not on the path."""
    acts = [Activity("A", 4), Activity("C", 2), Activity("B", 1)]
    result = plan(acts, [Link("A", "B"), Link("C", "B")])
    assert result.critical_paths() == [["A", "B"]]
    assert result["C"].free_float == 2


def test_rows_come_in_input_order_and_by_id() -> None:
    result = plan(TEXTBOOK, TEXTBOOK_LINKS)
    assert [row.id for row in result] == list("ABCDEFGH")
    assert result.rows() == list(result)
    assert len(result) == 8
    assert "A" in result
    assert "Z" not in result


# --- links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "lag", "start", "finish"),
    [
        (FS, 0, march(5), march(6)),  # the working day after A's finish (Wed 4)
        (FS, 2, march(9), march(10)),  # two free days: Thu, Fri
        (FS, -1, march(4), march(5)),  # a lead of one day overlaps A's last day
        (SS, 0, march(2), march(3)),
        (SS, 1, march(3), march(4)),
        (FF, 0, march(3), march(4)),  # finishes with A on Wed 4
        (FF, 1, march(4), march(5)),
        (FF, -1, march(2), march(3)),
    ],
)
def test_link_types_with_lags_and_leads(
    kind: LinkType, lag: int, start: date, finish: date
) -> None:
    """A is 3 days (Mon 2 – Wed 4 March); B is 2 days."""
    result = plan([Activity("A", 3), Activity("B", 2)], [Link("A", "B", kind, lag)])
    assert dates(result, "B") == (start, finish)


@pytest.mark.parametrize(
    ("lag", "start", "finish"),
    [(0, march(3), march(4)), (1, march(4), march(5)), (-1, march(2), march(3))],
)
def test_start_to_finish(lag: int, start: date, finish: date) -> None:
    """A must start on Thu 5 March; B (2 days) finishes the day before A starts, plus lag."""
    acts = [
        Activity("A", 3, constraint=Constraint.SNET, constraint_date=march(5)),
        Activity("B", 2),
    ]
    result = plan(acts, [Link("A", "B", SF, lag)])
    assert dates(result, "B") == (start, finish)


def test_a_lead_never_starts_work_before_the_project() -> None:
    result = plan([Activity("A", 3), Activity("B", 2)], [Link("A", "B", SS, -2)])
    assert dates(result, "B") == (march(2), march(3))


def test_start_to_start_late_dates_follow_the_successor() -> None:
    """A (3) SS+1 B (5): B ends the project on Fri 6; A may start as late as Mon, not later."""
    result = plan([Activity("A", 3), Activity("B", 5)], [Link("A", "B", SS, 1)])
    assert dates(result, "B") == (march(3), march(9))
    assert result["A"].late_start == march(2)
    assert result["A"].total_float == 0
    assert result["A"].free_float == 0


# --- milestones ------------------------------------------------------------------------


def test_a_milestone_after_a_task_sits_on_its_last_day() -> None:
    acts = [Activity("A", 3), Activity("M", 0), Activity("B", 2)]
    result = plan(acts, [Link("A", "M"), Link("M", "B")])
    assert dates(result, "M") == (march(4), march(4))
    assert dates(result, "B") == (march(5), march(6))
    assert result["M"].milestone
    assert result["M"].total_float == 0


def test_a_kick_off_milestone_does_not_delay_the_first_task() -> None:
    result = plan([Activity("K", 0), Activity("A", 3)], [Link("K", "A")])
    assert dates(result, "K") == (march(2), march(2))
    assert dates(result, "A") == (march(2), march(4))
    assert result.critical == ["K", "A"]


def test_single_milestone() -> None:
    result = plan([Activity("M", 0)])
    row = result["M"]
    assert (row.early_start, row.early_finish, row.late_start, row.late_finish) == (MON,) * 4
    assert (row.total_float, row.free_float, row.critical) == (0, 0, True)
    assert result.finish == MON


def test_a_milestone_with_float_shows_its_latest_day() -> None:
    """M follows the 1-day A; the project runs to Fri 6 on B (5 days)."""
    acts = [Activity("A", 1), Activity("M", 0), Activity("B", 5)]
    result = plan(acts, [Link("A", "M")])
    row = result["M"]
    assert (row.early_start, row.late_start) == (march(2), march(6))
    assert row.total_float == 4


def test_when_a_finish_and_a_start_constraint_meet_the_milestone_takes_the_start() -> None:
    """A ends Tue 3 (17:00); M may not start before Wed 4 (08:00): M is on Wed, and so is B."""
    acts = [
        Activity("A", 2),
        Activity("M", 0, constraint=Constraint.SNET, constraint_date=march(4)),
        Activity("B", 1),
    ]
    result = plan(acts, [Link("A", "M"), Link("M", "B")])
    assert dates(result, "M") == (march(4), march(4))
    assert dates(result, "B") == (march(4), march(4))


def test_a_finish_to_finish_milestone_after_a_start_to_start_one() -> None:
    """SS from A puts M at A's start (Mon 08:00); FF from M ends B no earlier than that."""
    acts = [Activity("A", 3), Activity("M", 0), Activity("B", 1)]
    result = plan(acts, [Link("A", "M", SS, 1), Link("M", "B", FF)])
    assert dates(result, "M") == (march(3), march(3))
    assert dates(result, "B") == (march(2), march(2))


def test_empty_plan() -> None:
    result = plan([])
    assert len(result) == 0
    assert list(result) == []
    assert result.finish == MON
    assert result.critical_paths() == []


# --- constraints -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "start", "finish"),
    [
        (Constraint.SNET, march(4), march(4), march(6)),
        (Constraint.SNET, march(7), march(9), march(11)),  # a Saturday: the next working day
        (Constraint.FNET, march(10), march(6), march(10)),
        (Constraint.FNET, march(8), march(4), march(6)),  # a Sunday: the working day before
        (Constraint.MSO, march(3), march(3), march(5)),
        (Constraint.MFO, march(9), march(5), march(9)),
        (Constraint.SNLT, march(4), march(2), march(4)),  # met: early dates unchanged
        (Constraint.FNLT, march(13), march(2), march(4)),
    ],
)
def test_each_constraint_places_the_early_dates(
    kind: Constraint, day: date, start: date, finish: date
) -> None:
    result = plan([Activity("A", 3, constraint=kind, constraint_date=day)])
    assert dates(result, "A") == (start, finish)
    assert result.violations == []


def test_start_no_later_than_limits_the_late_start() -> None:
    """The project runs to Fri 13 on B; A (3 days) must start by Wed 4."""
    acts = [
        Activity("A", 3, constraint=Constraint.SNLT, constraint_date=march(4)),
        Activity("B", 10),
    ]
    result = plan(acts)
    assert result["A"].late_start == march(4)
    assert result["A"].total_float == 2


def test_finish_no_later_than_limits_the_late_finish() -> None:
    acts = [
        Activity("A", 3, constraint=Constraint.FNLT, constraint_date=march(9)),
        Activity("B", 10),
    ]
    result = plan(acts)
    assert result["A"].late_finish == march(9)
    assert result["A"].total_float == 3


def test_must_start_on_pins_both_dates() -> None:
    acts = [
        Activity("A", 3, constraint=Constraint.MSO, constraint_date=march(4)),
        Activity("B", 10),
    ]
    result = plan(acts)
    row = result["A"]
    assert (row.early_start, row.late_start, row.total_float) == (march(4), march(4), 0)
    assert row.critical


def test_a_violated_constraint_shows_negative_float_and_is_reported() -> None:
    """A (3 days) then B (2 days); B must finish by Thu 5 but cannot before Fri 6."""
    acts = [
        Activity("A", 3),
        Activity("B", 2, constraint=Constraint.FNLT, constraint_date=march(5)),
    ]
    result = plan(acts, [Link("A", "B")])
    assert dates(result, "B") == (march(5), march(6))  # logic wins over the constraint
    assert result["B"].total_float == -1
    assert result["A"].total_float == -1  # the driving predecessor shares the problem
    assert result["A"].late_finish == march(3)
    assert result["A"].critical
    assert result.violations == [ConstraintViolation("B", Constraint.FNLT, march(5), 1)]


def test_a_violated_must_start_on() -> None:
    acts = [Activity("A", 3), Activity("B", 1, constraint=Constraint.MSO, constraint_date=march(3))]
    result = plan(acts, [Link("A", "B")])
    assert dates(result, "B") == (march(5), march(5))
    assert result.violations == [ConstraintViolation("B", Constraint.MSO, march(3), 2)]
    assert result["B"].total_float == -2


def test_a_deadline_counts_the_late_dates_back_from_it() -> None:
    result = plan(TEXTBOOK, TEXTBOOK_LINKS, deadline=march(19))
    assert result["A"].total_float == 2
    assert result.deadline_slip == 0
    late = plan(TEXTBOOK, TEXTBOOK_LINKS, deadline=march(16))
    assert late["H"].total_float == -1
    assert late.deadline_slip == 1


# --- calendars -------------------------------------------------------------------------


def test_a_task_across_kings_day() -> None:
    """King's Day is Monday 27 April 2026: Fri 24, then Tue 28 and Wed 29."""
    result = schedule([Activity("A", 3)], start=date(2026, 4, 24))
    assert dates(result, "A") == (date(2026, 4, 24), date(2026, 4, 29))


def test_a_task_across_christmas() -> None:
    """Christmas Day is Friday 25 December 2026; Boxing Day a Saturday."""
    result = schedule([Activity("A", 2)], start=date(2026, 12, 24))
    assert dates(result, "A") == (date(2026, 12, 24), date(2026, 12, 28))


def test_without_public_holidays_kings_day_is_worked() -> None:
    result = plan([Activity("A", 3)], start=date(2026, 4, 24))
    assert dates(result, "A") == (date(2026, 4, 24), date(2026, 4, 28))


def test_a_project_starting_on_a_holiday_starts_the_next_working_day() -> None:
    result = schedule([Activity("A", 1)], start=date(2026, 12, 25))
    assert dates(result, "A") == (date(2026, 12, 28), date(2026, 12, 28))


def test_extra_working_day_and_extra_day_off() -> None:
    calendar = SchedulingCalendar.of(country="", working_days=[march(7)], days_off=[march(5)])
    result = plan([Activity("A", 4)], start=march(4), calendar=calendar)
    # Four days: Wed 4, (Thu 5 off), Fri 6, Sat 7 (worked), Mon 9.
    assert dates(result, "A") == (march(4), march(9))


def test_lags_count_working_days() -> None:
    result = schedule(
        [Activity("A", 1), Activity("B", 1)], [Link("A", "B", FS, 1)], start=date(2026, 4, 24)
    )
    assert dates(result, "B") == (date(2026, 4, 29), date(2026, 4, 29))  # skips Sat–Mon and Tue


# --- progress --------------------------------------------------------------------------


def test_an_actual_start_fixes_the_start() -> None:
    acts = [Activity("X", 5), Activity("A", 5, actual_start=march(3), percent_complete=40)]
    result = plan(acts, [Link("X", "A")])
    assert dates(result, "A") == (march(3), march(9))  # logic into a started task is history
    assert result["A"].remaining_duration == 3


def test_remaining_work_starts_at_the_status_date() -> None:
    acts = [Activity("A", 5, actual_start=march(3), percent_complete=40)]
    result = plan(acts, status_date=march(9))
    assert dates(result, "A") == (march(3), march(11))  # 3 remaining days: Mon 9 – Wed 11
    assert result["A"].late_start == march(3)


def test_unstarted_work_waits_for_the_status_date() -> None:
    result = plan([Activity("A", 2)], status_date=march(4))
    assert dates(result, "A") == (march(4), march(5))


def test_a_finished_activity_keeps_its_actual_dates() -> None:
    acts = [
        Activity("A", 5, actual_start=march(2), actual_finish=march(3)),
        Activity("B", 2),
    ]
    result = plan(acts, [Link("A", "B")])
    row = result["A"]
    assert (row.early_start, row.early_finish, row.late_start, row.late_finish) == (
        march(2),
        march(3),
        march(2),
        march(3),
    )
    assert (row.total_float, row.critical, row.remaining_duration) == (0, False, 0)
    assert dates(result, "B") == (march(4), march(5))
    assert result.critical == ["B"]


def test_actual_finish_alone_counts_the_duration_back() -> None:
    result = plan([Activity("A", 3, actual_finish=march(6))])
    assert dates(result, "A") == (march(4), march(6))


def test_hundred_percent_is_done() -> None:
    result = plan(
        [Activity("A", 3, actual_start=march(3), percent_complete=100), Activity("B", 1)],
        [Link("A", "B")],
    )
    assert dates(result, "A") == (march(3), march(5))
    assert dates(result, "B") == (march(6), march(6))
    assert not result["A"].critical


def test_a_finish_link_into_a_started_task_still_holds_its_finish() -> None:
    """X (6 days) FF B: B started Mon 2 with 2 days; it cannot finish before X on Mon 9."""
    acts = [Activity("X", 6), Activity("B", 2, actual_start=march(2))]
    result = plan(acts, [Link("X", "B", FF)])
    assert dates(result, "B") == (march(2), march(9))


def test_a_link_from_a_started_tasks_start_counts_from_its_actual_start() -> None:
    acts = [Activity("A", 4, actual_start=march(3), percent_complete=50), Activity("B", 1)]
    result = plan(acts, [Link("A", "B", SS, 1)], status_date=march(9))
    assert dates(result, "B") == (march(9), march(9))  # Wed 4 by the link; status date wins
    result = plan(acts, [Link("A", "B", SS, 1)])
    assert dates(result, "B") == (march(4), march(4))


# --- summaries -------------------------------------------------------------------------


def test_a_summary_rolls_up_its_children() -> None:
    acts = [
        Activity("S"),
        Activity("A", 3, parent="S"),
        Activity("B", 2, parent="S"),
        Activity("C", 8),
    ]
    result = plan(acts, [Link("A", "B")])
    row = result["S"]
    assert row.summary
    assert (row.early_start, row.early_finish) == (march(2), march(6))
    assert (row.late_start, row.late_finish) == (march(5), march(11))
    assert row.total_float == 3  # the lowest of its children's
    assert not row.critical


def test_links_to_and_from_a_summary_apply_to_its_children() -> None:
    acts = [
        Activity("X", 2),
        Activity("S"),
        Activity("A", 3, parent="S"),
        Activity("B", 1, parent="S"),
        Activity("Y", 1),
    ]
    result = plan(acts, [Link("X", "S"), Link("S", "Y")])
    assert dates(result, "A") == (march(4), march(6))  # after X, like every child
    assert dates(result, "B") == (march(4), march(4))
    assert dates(result, "S") == (march(4), march(6))
    assert dates(result, "Y") == (march(9), march(9))  # after the last child
    assert result["B"].total_float == 2
    assert result.critical == ["X", "A", "Y"]
    assert result.critical_paths() == [["X", "A", "Y"]]


def test_nested_summaries_and_a_constraint_on_a_summary() -> None:
    acts = [
        Activity("P", constraint=Constraint.SNET, constraint_date=march(4)),
        Activity("S", parent="P"),
        Activity("A", 2, parent="S"),
        Activity("B", 1, parent="P"),
    ]
    result = plan(acts)
    assert dates(result, "A") == (march(4), march(5))
    assert dates(result, "B") == (march(4), march(4))
    assert dates(result, "S") == (march(4), march(5))
    assert dates(result, "P") == (march(4), march(5))


def test_finish_no_later_than_on_a_summary_holds_every_child() -> None:
    acts = [
        Activity("S", constraint=Constraint.FNLT, constraint_date=march(4)),
        Activity("A", 2, parent="S"),
        Activity("B", 4, parent="S"),
    ]
    result = plan(acts)
    assert result["B"].total_float == -1
    assert result["A"].late_finish == march(4)
    assert result.violations == [ConstraintViolation("S", Constraint.FNLT, march(4), 1)]


# --- errors ----------------------------------------------------------------------------


def test_a_cycle_names_its_activities_in_order() -> None:
    acts = [Activity(x, 1) for x in "ABCDE"]
    links = [Link("A", "B"), Link("B", "C"), Link("C", "D"), Link("D", "B"), Link("D", "E")]
    with pytest.raises(CycleError) as caught:
        plan(acts, links)
    assert caught.value.ids == ("B", "C", "D")
    assert caught.value.code == "link_cycle"


def test_a_link_from_a_child_to_its_own_summary_is_a_cycle() -> None:
    acts = [Activity("S"), Activity("A", 1, parent="S")]
    with pytest.raises(CycleError) as caught:
        plan(acts, [Link("A", "S")])
    assert caught.value.ids == ("S", "A")


def test_an_outline_loop_is_a_cycle() -> None:
    acts = [Activity("A", 1, parent="B"), Activity("B", 1, parent="A")]
    with pytest.raises(CycleError) as caught:
        plan(acts)
    assert caught.value.code == "outline_cycle"
    assert set(caught.value.ids) == {"A", "B"}


@pytest.mark.parametrize(
    ("acts", "links", "code"),
    [
        ([Activity("A"), Activity("A")], [], "duplicate_activity"),
        ([Activity("A")], [Link("A", "B")], "unknown_activity"),
        ([Activity("A", parent="Z")], [], "unknown_parent"),
        ([Activity("A")], [Link("A", "A")], "self_link"),
        ([Activity("A", -1)], [], "negative_duration"),
        ([Activity("A", 1, constraint=Constraint.SNET)], [], "constraint_needs_date"),
        ([Activity("A", 1, percent_complete=120)], [], "percent_out_of_range"),
        (
            [Activity("A", 1, actual_start=march(5), actual_finish=march(4))],
            [],
            "finish_before_start",
        ),
    ],
)
def test_bad_input_is_refused_with_a_code(
    acts: list[Activity], links: list[Link], code: str
) -> None:
    with pytest.raises(ScheduleError) as caught:
        plan(acts, links)
    assert caught.value.code == code


def test_link_types_and_constraints_may_be_given_as_text() -> None:
    acts = [Activity("A", 3), Activity("B", 2, constraint="SNET", constraint_date=march(3))]  # type: ignore[arg-type]
    result = plan(acts, [Link("A", "B", "SS", 0)])  # type: ignore[arg-type]
    assert dates(result, "B") == (march(3), march(4))
    with pytest.raises(ValueError):
        Link("A", "B", "XX")  # type: ignore[arg-type]
