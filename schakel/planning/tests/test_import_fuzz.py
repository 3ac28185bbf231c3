"""MS Project XML import under generated input: it imports or refuses, it never crashes.

Hypothesis writes MSPDI files from a grammar of the elements the reader looks at (tasks with
outline levels, durations, constraints, links with lags, baselines; calendars with week days
and exceptions), filling them with plausible, extreme and malformed values, and also damages
the real sample files byte by byte. Each file goes through the whole import the page and the
API use (`transfer.import_plan`: read, store, renumber, schedule). The only acceptable
outcomes are an imported plan or a `ValidationError` for the user: no other exception, no
value too large for a column, no scheduling error.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schakel.planning import transfer
from schakel.planning.models import Task

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "msproject"
NAMESPACE = "http://schemas.microsoft.com/project"

INTEGERS = st.one_of(
    st.integers(-3, 12),
    st.sampled_from([0, 1, 2**31 - 1, 2**31, -(2**31) - 1, 10**12, 2**63]),
    st.integers(-(10**9), 10**9),
)
DATES = st.one_of(
    st.dates().map(lambda d: f"{d.isoformat()}T08:00:00"),
    st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59", "2026-02-30T08:00:00", "x"]),
)
DURATIONS = st.one_of(
    st.builds(lambda h, m: f"PT{h}H{m}M0S", st.integers(0, 10**7), st.integers(0, 59)),
    st.sampled_from(["PT0H0M0S", "P-1D", "PT-8H0M0S", "P1Y", "PT99999999999H0M0S", "bogus", ""]),
)
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
VALUES = st.one_of(INTEGERS.map(str), DATES, DURATIONS, TEXT)


def element(name: str, value: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return value.map(lambda v: f"<{name}>{escape(_xml_safe(v))}</{name}>")


def _xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry (the parser refusing them is tested apart)."""
    return "".join(c for c in text if c in "\t\n\r" or " " <= c <= "\ud7ff" or c >= "\ue000")


def optional(name: str, value: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), element(name, value))


def block(name: str, *parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map(lambda found: f"<{name}>{''.join(found)}</{name}>")


LINK = block(
    "PredecessorLink",
    optional("PredecessorUID", INTEGERS.map(str)),
    optional("Type", st.integers(-1, 4).map(str)),
    optional("LinkLag", INTEGERS.map(str)),
    optional("LagFormat", st.sampled_from(["7", "9", "19", "20", "51", "52", "4", "x"])),
)
BASELINE = block(
    "Baseline",
    optional("Number", st.integers(-1, 12).map(str)),
    optional("Start", DATES),
    optional("Finish", DATES),
    optional("Duration", DURATIONS),
)
TASK = st.tuples(
    block(
        "Task",
        optional("UID", INTEGERS.map(str)),
        optional("ID", INTEGERS.map(str)),
        optional("Name", TEXT),
        optional("OutlineLevel", INTEGERS.map(str)),
        optional("OutlineNumber", TEXT),
        optional("Duration", DURATIONS),
        optional("DurationFormat", st.sampled_from(["4", "5", "7", "39", "53", "x"])),
        optional("Milestone", st.sampled_from(["0", "1", "true", "x"])),
        optional("Summary", st.sampled_from(["0", "1"])),
        optional("Start", DATES),
        optional("Finish", DATES),
        optional("ConstraintType", st.integers(-1, 8).map(str)),
        optional("ConstraintDate", DATES),
        optional("PercentComplete", INTEGERS.map(str)),
        optional("ActualStart", DATES),
        optional("ActualFinish", DATES),
        optional("Notes", TEXT),
    ),
    st.lists(LINK, max_size=3),
    st.lists(BASELINE, max_size=2),
).map(lambda t: t[0].replace("</Task>", "".join(t[1]) + "".join(t[2]) + "</Task>"))
EXCEPTION = block(
    "Exception",
    optional("EnteredByOccurrences", st.sampled_from(["0", "1"])),
    optional("Occurrences", INTEGERS.map(str)),
    optional("Type", st.integers(0, 8).map(str)),
    optional("Period", INTEGERS.map(str)),
    optional("DaysOfWeek", INTEGERS.map(str)),
    optional("MonthDay", INTEGERS.map(str)),
    optional("Month", INTEGERS.map(str)),
    optional("MonthItem", INTEGERS.map(str)),
    optional("MonthPosition", INTEGERS.map(str)),
    optional("DayWorking", st.sampled_from(["0", "1"])),
    block("TimePeriod", optional("FromDate", DATES), optional("ToDate", DATES)),
)
WEEKDAY = block(
    "WeekDay",
    optional("DayType", st.integers(-1, 8).map(str)),
    optional("DayWorking", st.sampled_from(["0", "1"])),
    block("TimePeriod", optional("FromDate", DATES), optional("ToDate", DATES)),
)
CALENDAR = st.tuples(
    optional("UID", INTEGERS.map(str)),
    optional("IsBaseCalendar", st.sampled_from(["0", "1"])),
    optional("BaseCalendarUID", INTEGERS.map(str)),
    st.lists(WEEKDAY, max_size=4),
    st.lists(EXCEPTION, max_size=3),
).map(
    lambda c: (
        f"<Calendar>{c[0]}{c[1]}{c[2]}<WeekDays>{''.join(c[3])}</WeekDays>"
        f"<Exceptions>{''.join(c[4])}</Exceptions></Calendar>"
    )
)
PROJECT = st.tuples(
    optional("Name", TEXT),
    optional("StartDate", DATES),
    optional("MinutesPerDay", INTEGERS.map(str)),
    optional("CalendarUID", INTEGERS.map(str)),
    st.lists(CALENDAR, max_size=2),
    st.lists(TASK, max_size=8),
).map(
    lambda p: (
        f'<?xml version="1.0" encoding="UTF-8"?><Project xmlns="{NAMESPACE}">'
        f"{p[0]}{p[1]}{p[2]}{p[3]}<Calendars>{''.join(p[4])}</Calendars>"
        f"<Tasks>{''.join(p[5])}</Tasks></Project>"
    ).encode()
)


def _import(project, manager, data: bytes) -> None:
    """Import in a savepoint that is always rolled back, so examples do not pile up."""
    try:
        with transaction.atomic():
            try:
                result = transfer.import_plan(project=project, data=data, by=manager, replace=True)
            except ValidationError:
                pass
            else:
                assert result.tasks == Task.objects.filter(project=project).count()
            raise _RolledBack
    except _RolledBack:
        pass


class _RolledBack(Exception):
    pass


FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=PROJECT)
def test_generated_files_import_or_are_refused(org, manager, data):
    _import(org.project, manager, data)


def _samples() -> list[bytes]:
    return [path.read_bytes() for path in sorted(SAMPLES.glob("*.xml"))]


@FUZZ
@given(
    pick=st.integers(0, 50),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1), st.sampled_from(["flip", "cut", "dup", "drop"]), st.binary(max_size=8)
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_damaged_sample_files_import_or_are_refused(org, manager, pick, edits):
    samples = _samples()
    assert samples, f"no samples in {SAMPLES}"
    data = bytearray(samples[pick % len(samples)])
    for where, how, junk in edits:
        at = int(where * (len(data) - 1))
        if how == "flip":
            data[at] ^= 0xFF
        elif how == "cut":
            del data[at:]
        elif how == "dup":
            data[at:at] = data[at : at + 200]
        else:
            data[at : at + len(junk)] = junk
        if not data:
            break
    _import(org.project, manager, bytes(data))
