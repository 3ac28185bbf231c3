"""MS Project XML (MSPDI): reading the public samples, writing, round trips, hostile files.

The samples live beside the repository in ``../shared/samples/msproject`` (SOURCES.md there
says what each file holds; the counts asserted here come from it).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from schakel.core.exports.mspdi import write_mspdi
from schakel.core.importers.mspdi import (
    DEFAULT_MAX_BYTES,
    MAX_EXCEPTION_DAYS,
    MspdiError,
    read_mspdi,
)
from schakel.core.plan import (
    Baseline,
    Calendar,
    Constraint,
    Plan,
    PlanLink,
    PlanTask,
)

SAMPLES = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "msproject"
).resolve()

SAMPLE = "mpxj_sample.xml"
LINKS = "mpxj_task-links-project2019-mspdi.xml"
BASELINES = "mpxj_task-baselines-project2019-mspdi.xml"
RECURRING = "mpxj_calendar-recurring-exceptions-project2016-mspdi.xml"
PROJECTLIBRE = "projectlibre_New Product.xml"
DEPLOYMENT = "derived/projectlibre_Microsoft Office Project 2003 deployment.mpxj.xml"
SOFTWARE = "derived/aspose_Software Development.mpxj.xml"
ALL_SAMPLES = [SAMPLE, LINKS, BASELINES, RECURRING, PROJECTLIBRE, DEPLOYMENT, SOFTWARE]


def sample_bytes(name: str) -> bytes:
    """Return a sample file's bytes, or skip when the shared samples are not checked out."""
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"MSPDI sample {name} not found in {SAMPLES} (shared samples missing)")
    return path.read_bytes()


def read_sample(name: str) -> Plan:
    return read_mspdi(sample_bytes(name))


def project(body: str, *, calendars: str = "") -> bytes:
    """A minimal MSPDI document around task (and calendar) elements."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Project xmlns="http://schemas.microsoft.com/project">'
        "<Name>t.xml</Name><MinutesPerDay>480</MinutesPerDay><CalendarUID>1</CalendarUID>"
        f"<Calendars>{calendars}</Calendars><Tasks>{body}</Tasks></Project>"
    ).encode()


def task(uid: int, level: int = 1, extra: str = "", duration: str = "PT8H0M0S") -> str:
    return (
        f"<Task><UID>{uid}</UID><Name>T{uid}</Name><OutlineLevel>{level}</OutlineLevel>"
        f"<Duration>{duration}</Duration>{extra}</Task>"
    )


def link(predecessor: int, extra: str = "<Type>1</Type>") -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{predecessor}</PredecessorUID>{extra}</PredecessorLink>"
    )


def codes(plan: Plan) -> dict[str, dict[str, object]]:
    return {warning.code: dict(warning.params) for warning in plan.warnings}


# -- the samples: what SOURCES.md says each holds --------------------------------------------

EXPECTED = {
    # file: tasks, summaries, milestones, links by type, calendars, tasks with baselines
    SAMPLE: (19, 3, 1, {"FS": 3, "SS": 1, "FF": 1, "SF": 1}, 4, 0),
    LINKS: (16, 0, 0, {"FS": 5, "SF": 1, "SS": 1, "FF": 1}, 1, 0),
    BASELINES: (110, 0, 0, {}, 1, 66),
    RECURRING: (0, 0, 0, {}, 1, 0),
    PROJECTLIBRE: (42, 6, 12, {"FS": 36, "FF": 1}, 4, 0),
    DEPLOYMENT: (322, 72, 23, {"FS": 138}, 14, 0),
    SOFTWARE: (86, 12, 12, {"FS": 84}, 11, 86),
}


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_sample_counts(name: str) -> None:
    tasks, summaries, milestones, links, calendars, baselined = EXPECTED[name]
    plan = read_sample(name)
    assert len(plan.tasks) == tasks
    assert sum(task.is_summary for task in plan.tasks) == summaries
    assert sum(task.is_milestone for task in plan.tasks) == milestones
    assert Counter(link.kind for link in plan.links) == Counter(links)
    assert len(plan.calendars) == calendars
    assert sum(bool(task.baselines) for task in plan.tasks) == baselined


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_round_trip(name: str) -> None:
    plan = read_sample(name)
    written = write_mspdi(plan)
    again = read_mspdi(written)
    assert again == plan
    assert again.warnings == ()  # everything written is carried
    assert write_mspdi(again) == written  # the writer is deterministic


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_outline_is_consistent(name: str) -> None:
    plan = read_sample(name)
    by_uid = {task.uid: task for task in plan.tasks}
    for task in plan.tasks:
        if task.parent_uid is None:
            assert task.outline_level == 1
        else:
            parent = by_uid[task.parent_uid]
            assert parent.is_summary
            assert task.outline_level == parent.outline_level + 1
            assert task.outline_number.startswith(parent.outline_number + ".")
        assert task.outline_number.count(".") == task.outline_level - 1


def test_mpxj_sample_details() -> None:
    plan = read_sample(SAMPLE)
    assert plan.name == "sample"
    assert (plan.start, plan.finish) == (date(2003, 1, 7), date(2003, 3, 18))
    first = plan.task(1)
    assert first.notes == "Test Task Notes"
    assert [child.uid for child in plan.children(1)] == [2, 3]
    assert plan.task(2).duration_days == Decimal("100.00")  # PT800H at 480 minutes a day
    assert plan.task(3).is_milestone
    snet = [task for task in plan.tasks if task.constraint.kind == "snet"]
    assert len(snet) == 4
    assert plan.task(7).constraint == Constraint("snet", date(2003, 2, 1))
    lags = {(link.predecessor_uid, link.successor_uid): link.lag_days for link in plan.links}
    assert lags[(11, 12)] == Decimal("1.00")
    assert lags[(13, 14)] == Decimal("-1.00")  # a lead
    assert sum(1 for lag in lags.values() if lag) == 2
    night = plan.calendar(2)
    assert night.weekdays == frozenset({0, 1, 2, 3, 4, 5})  # Saturday morning, no Sunday
    assert plan.calendar(4).base_uid == 2
    assert plan.calendar(4).weekdays == night.weekdays  # inherited from the base
    assert codes(plan)["resources_not_imported"] == {"resources": 2, "assignments": 17}
    assert codes(plan)["recurring_tasks"] == {"count": 3}


def test_lags_in_days_and_weeks() -> None:
    plan = read_sample(LINKS)
    lags = sorted(link.lag_days for link in plan.links if link.lag_days)
    # 4800 and 9600 tenths of a minute as days; 24000 and 48000 shown in weeks
    assert lags == [Decimal(n) for n in ("1", "2", "2", "2", "2", "5", "10")]
    assert all(link.lag_percent is None for link in plan.links)


def test_baselines_0_to_10() -> None:
    plan = read_sample(BASELINES)
    numbers = Counter(number for task in plan.tasks for number in task.baselines)
    assert numbers == Counter(dict.fromkeys(range(11), 6))
    by_name = {task.name: task for task in plan.tasks}
    assert by_name["Baseline3 Finish - Task"].baselines == {3: Baseline(finish=date(2014, 3, 4))}
    assert by_name["Baseline Start - Task"].baselines == {0: Baseline(start=date(2014, 4, 1))}
    assert by_name["Baseline1 Duration - Task"].baselines == {
        1: Baseline(duration_days=Decimal("12.00"))  # PT96H
    }
    assert by_name["Baseline Cost - Task"].baselines == {}
    assert codes(plan)["baseline_cost_work"] == {"count": 22}


def test_recurring_exceptions_match_the_legacy_form() -> None:
    data = sample_bytes(RECURRING)
    calendar = read_mspdi(data).calendars[0]
    assert len(calendar.days_off) == 137  # 26 non-working exceptions, expanded
    assert calendar.working_days == {date(2010, 1, 2), date(2010, 2, 6), date(2010, 3, 6)}
    legacy_only = re.sub(rb"<Exceptions>.*</Exceptions>", b"", data, flags=re.DOTALL)
    assert legacy_only != data
    legacy = read_mspdi(legacy_only).calendars[0]
    assert legacy.days_off == calendar.days_off
    assert legacy.working_days == calendar.working_days


@pytest.mark.parametrize(
    ("day", "rule"),
    [
        (date(2000, 2, 10), "every 3 days, 4 times from 1 Feb"),
        (date(2002, 3, 17), "every 7 weeks on Sunday, weeks from Sunday"),
        (date(2001, 2, 18), "the first Sunday of that rule"),
        (date(2005, 1, 28), "last Friday of every 6th month"),
        (date(2007, 5, 13), "second Sunday of every 8th month"),
        (date(2007, 2, 1), "yearly on 1 February (Month 1 is February)"),
        (date(2009, 5, 21), "yearly on the third Thursday of May"),
    ],
)
def test_recurring_exception_dates(day: date, rule: str) -> None:
    assert day in read_sample(RECURRING).calendars[0].days_off, rule


def test_projectlibre_quirks() -> None:
    plan = read_sample(PROJECTLIBRE)
    # SOURCES counts 43 tasks including the project row (UID 1, ID 0, level 0), left out here
    assert plan.name == "Product #23 Development"
    assert 1 not in {task.uid for task in plan.tasks}
    assert Counter(task.outline_level for task in plan.tasks) == {1: 7, 2: 35}
    design = plan.task(3)
    assert design.is_summary and design.parent_uid is None
    assert plan.task(4).parent_uid == 3
    assert plan.task(2).is_milestone  # "Begin project": Milestone 0 but zero duration
    assert all(task.constraint == Constraint() for task in plan.tasks)
    leads = [link for link in plan.links if link.lag_days]
    assert [(lead.predecessor_uid, lead.successor_uid, lead.lag_days) for lead in leads] == [
        (25, 28, Decimal("-15.00"))
    ]
    assert codes(plan)["custom_fields_not_imported"] == {"count": 260}


def test_deployment_outline_levels() -> None:
    plan = read_sample(DEPLOYMENT)
    levels = Counter(task.outline_level for task in plan.tasks)
    assert [levels[level] for level in range(1, 9)] == [1, 5, 29, 57, 92, 74, 52, 12]
    assert all(link.lag_days == 0 and link.lag_percent is None for link in plan.links)


def test_software_development_progress_and_percent_leads() -> None:
    plan = read_sample(SOFTWARE)
    assert all(task.percent_complete > 0 for task in plan.tasks)
    assert all(0 in task.baselines for task in plan.tasks)
    assert all(task.actual_start is not None for task in plan.tasks)
    percents = sorted(link.lag_percent for link in plan.links if link.lag_percent is not None)
    assert percents == [Decimal("-75"), Decimal("-50"), Decimal("-50")]
    assert plan.task(2).duration_days == Decimal("0.50")  # PT4H
    assert plan.task(1).baselines[0] == Baseline(
        date(2012, 12, 24), date(2012, 12, 27), Decimal("3.50")
    )


# -- hostile and broken input -----------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol3;</Name></Project>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&xxe;</Name></Project>"""


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (BILLION_LAUGHS, "unsafe_xml"),
        (EXTERNAL_ENTITY, "unsafe_xml"),
        (b"", "not_xml"),
        (b"PK\x03\x04 this is a zip, not xml", "not_xml"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "mpp"),  # an .mpp file
        (b"<Project xmlns='http://schemas.microsoft.com/project'><Tasks>", "not_xml"),
        (b"<html><body>hello</body></html>", "not_mspdi"),
        # An encoding Python does not know (found by fuzzing: it was a LookupError).
        (b'<?xml version="1.0" encoding="XXUTF-8"?><Project/>', "not_xml"),
        (b"<Project xmlns='urn:something-else'/>", "not_mspdi"),
        (b"<Tasks xmlns='http://schemas.microsoft.com/project'/>", "not_mspdi"),
    ],
)
def test_refused_files(data: bytes, code: str) -> None:
    with pytest.raises(MspdiError) as caught:
        read_mspdi(data)
    assert caught.value.code == code
    assert "{" not in str(caught.value)  # the message is filled in, readable as it is


def test_too_large_is_refused_before_parsing() -> None:
    with pytest.raises(MspdiError) as caught:
        read_mspdi(b"x" * (DEFAULT_MAX_BYTES + 1))  # not XML either: size is checked first
    assert caught.value.code == "too_large"
    assert str(caught.value) == "The file is larger than 25 MB."
    with pytest.raises(MspdiError, match="larger than 1 MB"):
        read_mspdi(project(task(1)), max_bytes=100)


def test_too_many_tasks() -> None:
    data = project("".join(task(uid) for uid in range(1, 7)))
    assert len(read_mspdi(data, max_tasks=6).tasks) == 6
    with pytest.raises(MspdiError) as caught:
        read_mspdi(data, max_tasks=5)
    assert caught.value.code == "too_many_tasks"
    assert caught.value.params == {"limit": 5}


def test_script_and_control_characters_round_trip_as_text() -> None:
    name = "<script>alert('x')</script> & \x01\x08\x0bco\x1fntrol\ufffe"
    notes = "line one\r\nline <b>two</b>\x00"
    plan = Plan(
        name="Plan <b>&</b>",
        calendars=(Calendar(1, "Standard \x07"),),
        calendar_uid=1,
        tasks=(PlanTask(1, name, outline_number="1", wbs="1", notes=notes),),
    )
    written = write_mspdi(plan)
    assert b"<script>" not in written
    assert b"&lt;script&gt;" in written
    again = read_mspdi(written)
    assert again.name == "Plan <b>&</b>"
    assert again.tasks[0].name == "<script>alert('x')</script> & control"
    assert again.tasks[0].notes == "line one\nline <b>two</b>"
    assert again.calendars[0].name == "Standard"


# -- reader details on small files ----------------------------------------------------------


def test_summary_and_milestone_are_derived_and_levels_repaired() -> None:
    plan = read_mspdi(
        project(
            task(1, 1, "<Summary>0</Summary>")
            + task(2, 3)  # two levels deeper than its parent: moved up to level 2
            + task(3, 2, duration="PT0H0M0S")
            + task(4, 1, "<Milestone>1</Milestone>")
            + "<Task><UID>5</UID><IsNull>1</IsNull></Task>"
            + task(4, 1)  # duplicate UID
            + "<Task><Name>no uid</Name></Task>"
        )
    )
    assert [(t.uid, t.outline_level, t.outline_number, t.parent_uid) for t in plan.tasks] == [
        (1, 1, "1", None),
        (2, 2, "1.1", 1),
        (3, 2, "1.2", 1),
        (4, 1, "2", None),
    ]
    assert [t.is_summary for t in plan.tasks] == [True, False, False, False]
    assert [t.is_milestone for t in plan.tasks] == [False, False, True, True]
    assert plan.task(1).duration_days == Decimal("1.00")
    warnings = codes(plan)
    assert warnings["too_deep"] == {"count": 1}
    assert warnings["duplicate_task_uid"] == {"count": 1}
    assert warnings["task_without_uid"] == {"count": 1}


def test_links_that_cannot_hold_are_left_out() -> None:
    plan = read_mspdi(
        project(
            "<Task><UID>0</UID><OutlineLevel>0</OutlineLevel><Name>Project</Name></Task>"
            + task(1)
            + task(2, extra=link(1) + link(1) + link(0) + link(99) + link(2))
            + task(3, extra=link(1, "<Type>3</Type><CrossProject>1</CrossProject>"))
        )
    )
    assert plan.name == "Project"
    assert plan.links == (PlanLink(1, 2, "FS"),)
    assert codes(plan) == {
        "link_to_missing_task": {"count": 2},
        "self_links": {"count": 1},
        "duplicate_links": {"count": 1},
        "external_links": {"count": 1},
    }


@pytest.mark.parametrize(
    ("extra", "lag_days", "lag_percent", "warning"),
    [
        ("<Type>1</Type><LinkLag>2400</LinkLag><LagFormat>7</LagFormat>", "0.50", None, None),
        ("<Type>1</Type><LinkLag>24000</LinkLag><LagFormat>9</LagFormat>", "5.00", None, None),
        ("<Type>1</Type><LinkLag>4800</LinkLag><LagFormat>5</LagFormat>", "1.00", None, None),
        ("<LinkLag>-4800</LinkLag>", "-1.00", None, None),
        ("<Type>0</Type><LinkLag>25</LinkLag><LagFormat>19</LagFormat>", "0.00", "25", None),
        ("<Type>1</Type><LinkLag>28800</LinkLag><LagFormat>8</LagFormat>", "2.00", None,
         "elapsed_lags"),
        ("<Type>1</Type><LinkLag>4800</LinkLag><LagFormat>99</LagFormat>", "1.00", None,
         "unknown_lag_format"),
        ("<Type>1</Type><LinkLag>lots</LinkLag>", "0.00", None, None),
    ],
)  # fmt: skip
def test_lag_formats(
    extra: str, lag_days: str, lag_percent: str | None, warning: str | None
) -> None:
    plan = read_mspdi(project(task(1) + task(2, extra=link(1, extra))))
    (only,) = plan.links
    assert only.lag_days == Decimal(lag_days)
    assert only.lag_percent == (None if lag_percent is None else Decimal(lag_percent))
    assert set(codes(plan)) == ({warning} if warning else set())


def test_minutes_per_day_and_elapsed_durations() -> None:
    data = project(
        task(1, duration="PT15H0M0S")
        + task(2, duration="PT48H0M0S", extra="<DurationFormat>8</DurationFormat>")
    ).replace(b"<MinutesPerDay>480", b"<MinutesPerDay>450")
    plan = read_mspdi(data)
    assert plan.task(1).duration_days == Decimal("2.00")  # 7.5-hour days
    assert plan.task(2).duration_days == Decimal("2.00")  # two elapsed days
    assert codes(plan)["elapsed_durations"] == {"count": 1}


def test_constraints() -> None:
    def constrained(kind: int, when: str = "") -> str:
        dated = f"<ConstraintDate>{when}</ConstraintDate>" if when else ""
        return f"<ConstraintType>{kind}</ConstraintType>{dated}"

    plan = read_mspdi(
        project(
            task(1, extra=constrained(1, "2024-01-01T08:00:00"))
            + task(2, extra=constrained(7, "2024-03-08T17:00:00"))
            + task(3, extra=constrained(2))
            + task(4, extra=constrained(3, "2024-03-08T17:00:00"))
        )
    )
    assert [t.constraint for t in plan.tasks] == [
        Constraint("alap"),
        Constraint("fnlt", date(2024, 3, 8)),
        Constraint(),
        Constraint("mfo", date(2024, 3, 8)),
    ]
    assert codes(plan) == {"constraint_without_date": {"count": 1}}


def test_calendar_base_exceptions_and_task_calendar() -> None:
    calendars = (
        "<Calendar><UID>1</UID><Name>Base</Name><IsBaseCalendar>1</IsBaseCalendar>"
        "<WeekDays><WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>"
        "<WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays>"
        "<Exceptions><Exception><TimePeriod><FromDate>2024-12-25T00:00:00</FromDate>"
        "<ToDate>2024-12-26T23:59:00</ToDate></TimePeriod><Type>1</Type>"
        "<DayWorking>0</DayWorking></Exception>"
        "<Exception><TimePeriod><FromDate>2024-12-26T00:00:00</FromDate>"
        "<ToDate>2024-12-28T23:59:00</ToDate></TimePeriod><Type>1</Type>"
        "<DayWorking>1</DayWorking></Exception></Exceptions>"
        "<WorkWeeks><WorkWeek/></WorkWeeks></Calendar>"
        "<Calendar><UID>2</UID><Name>Derived</Name><IsBaseCalendar>0</IsBaseCalendar>"
        "<BaseCalendarUID>1</BaseCalendarUID><WeekDays><WeekDay><DayType>7</DayType>"
        "<DayWorking>1</DayWorking></WeekDay></WeekDays></Calendar>"
    )
    plan = read_mspdi(
        project(
            task(1, extra="<CalendarUID>2</CalendarUID>")
            + task(2, extra="<CalendarUID>42</CalendarUID>"),
            calendars=calendars,
        )
    )
    base, derived = plan.calendars
    # DayType 1 is Sunday, 6 Friday (stated off); Saturday is not stated: off by default
    assert base.weekdays == {0, 1, 2, 3}
    assert derived.weekdays == {0, 1, 2, 3, 5}  # Saturday (7) worked; the rest from the base
    assert derived.base_uid == 1
    assert base.days_off == {date(2024, 12, 25)}  # the later working exception wins the 26th
    assert base.working_days == {date(2024, 12, 26), date(2024, 12, 27), date(2024, 12, 28)}
    assert not base.is_working_day(date(2024, 12, 25))
    assert base.is_working_day(date(2024, 12, 26))
    assert [t.calendar_uid for t in plan.tasks] == [2, None]
    assert codes(plan) == {"unknown_calendar": {"count": 1}, "work_weeks": {"count": 1}}


def test_endless_recurring_exception_is_capped() -> None:
    calendars = (
        "<Calendar><UID>1</UID><Name>Busy</Name><IsBaseCalendar>1</IsBaseCalendar>"
        "<Exceptions><Exception><TimePeriod><FromDate>1900-01-01T00:00:00</FromDate>"
        "<ToDate>9999-12-31T23:59:00</ToDate></TimePeriod><Type>1</Type>"
        "<DayWorking>0</DayWorking></Exception></Exceptions></Calendar>"
    )
    plan = read_mspdi(project("", calendars=calendars))
    (calendar,) = plan.calendars
    assert len(calendar.days_off) == MAX_EXCEPTION_DAYS
    assert min(calendar.days_off) == date(1984, 1, 1)  # clipped to MS Project's range
    assert codes(plan)["exceptions_truncated"] == {"calendar": "Busy"}


def test_not_imported_data_is_reported() -> None:
    data = project(task(1, extra="<Cost>100</Cost><Recurring>1</Recurring><Manual>1</Manual>"))
    data = data.replace(
        b"</Tasks>",
        b"</Tasks><Resources><Resource><UID>0</UID></Resource><Resource><UID>1</UID>"
        b"</Resource></Resources><Assignments><Assignment/></Assignments>",
    )
    warnings = codes(read_mspdi(data))
    assert warnings == {
        "recurring_tasks": {"count": 1},
        "manual_tasks": {"count": 1},
        "resources_not_imported": {"resources": 1, "assignments": 1},
        "costs_not_imported": {},
    }


def test_utf16_and_byte_order_mark() -> None:
    text = project(task(1)).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert [t.uid for t in read_mspdi(text.encode("utf-16")).tasks] == [1]
    assert [t.uid for t in read_mspdi(b"\xef\xbb\xbf" + project(task(1))).tasks] == [1]


def test_project_without_namespace_is_read() -> None:
    data = b"<Project><Title>Bare</Title><Tasks>" + task(1).encode() + b"</Tasks></Project>"
    plan = read_mspdi(data)
    assert plan.name == "Bare"
    assert [t.uid for t in plan.tasks] == [1]


# -- writer ---------------------------------------------------------------------------------


def full_plan() -> Plan:
    """A plan using every field the writer carries."""
    return Plan(
        name="Nieuw kantoor",
        start=date(2026, 3, 2),
        finish=date(2026, 4, 3),
        calendar_uid=7,
        calendars=(
            Calendar(
                7,
                "NL",
                frozenset({0, 1, 2, 3, 4}),
                days_off=frozenset({date(2026, 4, 27), date(2026, 5, 5), date(2026, 5, 6)}),
                working_days=frozenset({date(2026, 3, 7)}),
            ),
            Calendar(8, "Zesdaags", frozenset(range(6)), base_uid=7),
        ),
        tasks=(
            PlanTask(10, "Fase 1", 1, "1", "A", None, is_summary=True,
                     duration_days=Decimal("10.00"), start=date(2026, 3, 2),
                     finish=date(2026, 3, 13)),
            PlanTask(11, "Ontwerp", 2, "1.1", "A.1", 10, duration_days=Decimal("2.50"),
                     start=date(2026, 3, 2), finish=date(2026, 3, 4),
                     constraint=Constraint("snet", date(2026, 3, 2)), percent_complete=40,
                     actual_start=date(2026, 3, 2), notes="Met de architect.",
                     baselines={0: Baseline(date(2026, 3, 2), date(2026, 3, 3),
                                            Decimal("2.00")), 4: Baseline(finish=date(2026, 3, 5))},
                     calendar_uid=8),
            PlanTask(12, "Klaar", 2, "1.2", "A.2", 10, is_milestone=True,
                     start=date(2026, 3, 13), finish=date(2026, 3, 13),
                     actual_start=date(2026, 3, 13), actual_finish=date(2026, 3, 13),
                     percent_complete=100),
        ),
        links=(
            PlanLink(11, 12, "FS", Decimal("-0.25")),
            PlanLink(10, 12, "FF", lag_percent=Decimal("-50")),
        ),
    )  # fmt: skip


def test_write_then_read_gives_the_same_plan() -> None:
    plan = full_plan()
    assert read_mspdi(write_mspdi(plan)) == plan


def test_written_file_shape() -> None:
    written = write_mspdi(full_plan())
    assert written.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
    text = written.decode()
    assert '<Project xmlns="http://schemas.microsoft.com/project">' in text
    assert "<SaveVersion>14</SaveVersion>" in text
    assert "<MinutesPerDay>480</MinutesPerDay>" in text
    assert "<Duration>PT20H0M0S</Duration>" in text  # 2.5 days
    assert "<Start>2026-03-02T08:00:00</Start><Finish>2026-03-04T17:00:00</Finish>" in text
    assert "<LinkLag>-1200</LinkLag><LagFormat>7</LagFormat>" in text
    assert "<LinkLag>-50</LinkLag><LagFormat>19</LagFormat>" in text
    # the project summary task comes first, the tasks follow with IDs in outline order
    assert text.index("<UID>0</UID><ID>0</ID>") < text.index("<UID>10</UID><ID>1</ID>")
    assert text.index("<UID>11</UID><ID>2</ID>") < text.index("<UID>12</UID><ID>3</ID>")
    # 5 and 6 May are one exception run, in both the new and the legacy form
    assert text.count("<FromDate>2026-05-05T00:00:00</FromDate>") == 2
    assert text.count("<ToDate>2026-05-06T23:59:00</ToDate>") == 2
    assert text.count("<Exception>") == 3
    # elements follow the schema's order within a task
    order = ["<UID>", "<Name>", "<WBS>", "<OutlineNumber>", "<OutlineLevel>", "<Start>",
             "<Duration>", "<Milestone>", "<Summary>", "<PercentComplete>", "<ActualStart>",
             "<ConstraintType>", "<CalendarUID>", "<ConstraintDate>", "<Notes>",
             "<Baseline>"]  # fmt: skip
    ontwerp = text[text.index("<Task><UID>11</UID>") : text.index("<Task><UID>12</UID>")]
    positions = [ontwerp.index(tag) for tag in order]
    assert positions == sorted(positions)


def test_empty_plan_gets_a_standard_calendar() -> None:
    plan = read_mspdi(write_mspdi(Plan(name="Leeg")))
    assert plan.name == "Leeg"
    assert plan.tasks == ()
    assert [(c.uid, c.name, c.weekdays) for c in plan.calendars] == [
        (1, "Standard", frozenset({0, 1, 2, 3, 4}))
    ]
    assert plan.calendar_uid == 1


@pytest.mark.parametrize(
    "plan",
    [
        Plan(name="x", tasks=(PlanTask(0, "zero"),)),
        Plan(name="x", tasks=(PlanTask(1, "a"), PlanTask(1, "b"))),
        Plan(name="x", calendars=(Calendar(-1, "neg"),)),
    ],
)
def test_writer_refuses_bad_uids(plan: Plan) -> None:
    with pytest.raises(ValueError, match="UIDs must be positive and unique"):
        write_mspdi(plan)
