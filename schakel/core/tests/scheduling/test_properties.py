"""Properties of schedules of random acyclic networks (hypothesis).

Calendar: Monday to Friday, no holidays, start Monday 2 March 2026, so a date's working-day
number is easy to compute here without the engine's own calendar code.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from schakel.core.scheduling import (
    Activity,
    Constraint,
    CycleError,
    Link,
    LinkType,
    Schedule,
    SchedulingCalendar,
    schedule,
)

MON = date(2026, 3, 2)
PLAIN = SchedulingCalendar.of(country="")
EARLY_ONLY = (Constraint.ASAP, Constraint.ASAP, Constraint.ASAP, Constraint.SNET, Constraint.FNET)


def number(day: date) -> int:
    """Working-day number of a weekday, counted from MON (independent of the engine)."""
    weeks, rest = divmod((day - MON).days, 7)
    assert rest < 5, day
    return weeks * 5 + rest


def on(n: int) -> date:
    return MON + timedelta(days=n // 5 * 7 + n % 5)


@dataclass
class Network:
    acts: list[Activity]
    links: list[Link]


@st.composite
def networks(draw: st.DrawFn, min_duration: int = 0, late: bool = False) -> Network:
    """Up to 14 activities, links only from lower to higher numbers (so acyclic)."""
    size = draw(st.integers(1, 14))
    kinds = EARLY_ONLY + ((Constraint.SNLT, Constraint.FNLT, Constraint.MSO) if late else ())
    acts = []
    for i in range(size):
        kind = draw(st.sampled_from(kinds))
        day = on(draw(st.integers(0, 15))) if kind != Constraint.ASAP else None
        acts.append(Activity(f"A{i}", draw(st.integers(min_duration, 6)), None, kind, day))
    pairs = st.tuples(st.integers(0, size - 1), st.integers(0, size - 1))
    links = []
    for p, s in draw(st.lists(pairs, max_size=size * 2)):
        if p < s:
            link_type = draw(st.sampled_from(list(LinkType)))
            links.append(Link(f"A{p}", f"A{s}", link_type, draw(st.integers(-3, 4))))
    return Network(acts, links)


def run(net: Network) -> Schedule:
    return schedule(net.acts, net.links, start=MON, calendar=PLAIN)


def points(result: Schedule, activity_id: object) -> tuple[int, int]:
    """Start and finish points of a task (finish point = the day after its last day)."""
    row = result[activity_id]
    return number(row.early_start), number(row.early_finish) + 1


@settings(max_examples=150, deadline=None)
@given(networks(min_duration=1))
def test_every_link_holds_for_the_early_dates(net: Network) -> None:
    result = run(net)
    for link in net.links:
        ps, pf = points(result, link.predecessor)
        ss, sf = points(result, link.successor)
        anchor = pf if link.type in (LinkType.FS, LinkType.FF) else ps
        moved = sf if link.type in (LinkType.FF, LinkType.SF) else ss
        assert moved >= anchor + link.lag, link


@settings(max_examples=150, deadline=None)
@given(networks(min_duration=1))
def test_early_starts_are_the_longest_paths(net: Network) -> None:
    """Compare with a slow fixpoint: relax every link until nothing moves."""
    dur = {a.id: a.duration for a in net.acts}
    start = {}
    for a in net.acts:
        if a.constraint == Constraint.SNET:
            start[a.id] = number(a.constraint_date)  # type: ignore[arg-type]
        elif a.constraint == Constraint.FNET:
            start[a.id] = max(0, number(a.constraint_date) + 1 - a.duration)  # type: ignore[arg-type]
        else:
            start[a.id] = 0
    for _ in net.acts:
        for link in net.links:
            p, s = link.predecessor, link.successor
            bound = start[p] + link.lag
            bound += dur[p] if link.type in (LinkType.FS, LinkType.FF) else 0
            bound -= dur[s] if link.type in (LinkType.FF, LinkType.SF) else 0
            start[s] = max(start[s], bound)
    result = run(net)
    assert {a.id: number(result[a.id].early_start) for a in net.acts} == start


@settings(max_examples=150, deadline=None)
@given(networks())
def test_nothing_starts_before_its_constraint_allows(net: Network) -> None:
    result = run(net)
    for act in net.acts:
        row = result[act.id]
        assert row.early_start >= MON
        if act.constraint in (Constraint.SNET, Constraint.MSO):
            assert act.constraint_date is not None
            assert row.early_start >= act.constraint_date
        if act.constraint in (Constraint.FNET, Constraint.MFO):
            assert act.constraint_date is not None
            assert row.early_finish >= act.constraint_date


@settings(max_examples=150, deadline=None)
@given(networks())
def test_floats_without_late_constraints(net: Network) -> None:
    result = run(net)
    rows = list(result)
    for row in rows:
        assert row.total_float >= 0, row
        assert 0 <= row.free_float <= row.total_float, row
        assert row.late_start >= row.early_start, row
        assert row.late_finish >= row.early_finish, row
        assert row.late_finish <= result.finish, row
        assert row.critical == (row.total_float == 0), row
    assert any(row.critical and row.early_finish == result.finish for row in rows)
    on_paths = [x for chain in result.critical_paths() for x in chain]
    assert sorted(map(str, on_paths)) == sorted(map(str, result.critical))


@settings(max_examples=150, deadline=None)
@given(networks(late=True))
def test_floats_with_late_constraints(net: Network) -> None:
    result = run(net)
    broken = {v.activity for v in result.violations}
    for row in result:
        assert row.free_float <= row.total_float, row
        assert row.critical == (row.total_float <= 0), row
        if row.total_float >= 0:
            assert row.late_start >= row.early_start, row
    for act in net.acts:
        row = result[act.id]
        if act.id in broken:
            assert row.total_float < 0, row
        if row.total_float < 0:
            assert broken, "negative float needs a broken constraint"


@st.composite
def progressed(draw: st.DrawFn) -> tuple[Network, date | None]:
    """A network with summaries over its tasks, links to and from them, and progress."""
    net = draw(networks())
    acts, links = [], list(net.links)
    summaries = draw(st.integers(0, 3))
    for act in net.acts:
        parent = draw(st.sampled_from([None, *[f"S{k}" for k in range(summaries)]]))
        roll = draw(st.integers(0, 5))
        if roll == 0 and act.duration:
            done = draw(st.integers(0, 3))
            act = Activity(
                act.id,
                act.duration,
                parent,
                actual_start=on(done),
                percent_complete=draw(st.sampled_from([0, 25, 50, 100])),
            )
        elif roll == 1:
            act = Activity(act.id, act.duration, parent, actual_start=on(0), actual_finish=on(2))
        else:
            act = Activity(act.id, act.duration, parent, act.constraint, act.constraint_date)
        acts.append(act)
    for k in range(summaries):  # summaries nest: S1 may sit in S0, and so on
        parent = f"S{k - 1}" if k and draw(st.booleans()) else None
        acts.append(Activity(f"S{k}", parent=parent))
        # A link between a summary and a task outside it (a task inside would be a loop).
        outside = [a.id for a in acts if a.parent is None and not str(a.id).startswith("S")]
        if outside and draw(st.booleans()):
            other = draw(st.sampled_from(outside))
            kind = draw(st.sampled_from(list(LinkType)))
            first, second = (other, f"S{k}") if draw(st.booleans()) else (f"S{k}", other)
            links.append(Link(first, second, kind, draw(st.integers(-2, 2))))
    status = draw(st.sampled_from([None, on(3), on(6)]))
    return Network(acts, links), status


@settings(max_examples=150, deadline=None)
@given(progressed())
def test_summaries_and_progress_keep_the_invariants(case: tuple[Network, date | None]) -> None:
    net, status = case
    try:
        result = schedule(net.acts, net.links, start=MON, calendar=PLAIN, status_date=status)
    except CycleError as loop:
        # Tasks link only forwards, so a loop must pass through a summary: X -> S holds
        # every task in S, and one of them may lead back to X.
        assert any(str(x).startswith("S") for x in loop.ids), loop.ids
        return
    kids: dict[Hashable, list[Hashable]] = {}
    for act in net.acts:
        if act.parent is not None:
            kids.setdefault(act.parent, []).append(act.id)
    for act in net.acts:
        row = result[act.id]
        assert row.free_float <= row.total_float, row
        assert row.early_start <= row.early_finish, row
        if act.actual_finish is not None or (act.actual_start and act.percent_complete == 100):
            assert not row.critical and row.total_float == 0, row
        elif act.actual_start is not None:
            assert row.early_start == act.actual_start, row
        elif act.id in kids:
            children = [result[c] for c in kids[act.id]]
            assert row.summary
            assert row.early_start == min(c.early_start for c in children)
            assert row.early_finish == max(c.early_finish for c in children)
            assert row.total_float == min(c.total_float for c in children)
        elif status is not None:
            assert row.early_start >= status, row
