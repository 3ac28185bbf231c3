"""The computed schedule: integer working days inside, dates on the way out.

`Schedule` turns the engine's points into *days* (working-day numbers, inclusive finish)
once, rolls summaries up, and converts to dates only when an activity is read, so a Gantt
that shows 50 rows of a 100,000-activity plan converts 50 rows.
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from schakel.core.scheduling.calendar import WorkdayIndex
from schakel.core.scheduling.model import (
    START_CONSTRAINTS,
    ActivitySchedule,
    Constraint,
    ConstraintViolation,
)

__all__ = ["Schedule", "ScheduleData"]

_DONE = 2


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many long-lived objects are made.

    Making 100,000 small lists, tuples or rows sets the collector off again and again, and
    each time it walks everything alive; none of it is garbage. Restores the old state.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@dataclass(frozen=True, slots=True)
class ScheduleData:
    """The engine's raw output: per node points, floats and the network (see engine.py)."""

    ids: list[Hashable]
    pos: dict[Hashable, int]
    index: WorkdayIndex
    start: date
    deadline: date | None
    n: int
    es: list[int]
    ls: list[int]
    dur: list[int]
    state: bytearray
    total: list[int]
    free: list[int]
    milestones: list[int]
    leaves: list[int]
    clock: bytearray
    shown_start: dict[int, int]
    children: dict[int, list[int]]
    outline: list[int]
    order: list[int]
    out: list[list[int]]  # successor, weight, successor, weight, ...
    late_checks: list[tuple[int, Constraint, date, int]]


class Schedule:
    """The result of `schedule()`: look activities up by id, or iterate in input order.

    ``finish`` is the project finish (the latest early finish). ``violations`` lists the
    late constraints the logic cannot meet. ``critical_paths()`` groups the critical
    activities into chains.
    """

    def __init__(self, data: ScheduleData) -> None:
        self._data = data
        self._index = data.index
        self.start = data.start
        self.deadline = data.deadline
        self._days()
        self._roll_up()
        last = max(map(self._ef.__getitem__, data.leaves), default=None)
        self.finish: date = data.start if last is None else self._index.date_of(last)
        self.violations: list[ConstraintViolation] = self._violations()
        self.deadline_slip = 0
        if data.deadline is not None and last is not None:
            self.deadline_slip = max(0, last - data.index.on_or_before(data.deadline))

    def _days(self) -> None:
        """Turn start points into displayed days (inclusive finish) for every activity."""
        d = self._data
        n = d.n
        self._es = es = d.es[:n]
        self._ls = ls = d.ls[:n]
        self._ef = ef = [s + k - 1 for s, k in zip(es, d.dur, strict=False)]
        self._lf = lf = [s + k - 1 for s, k in zip(ls, d.dur, strict=False)]
        clock = d.clock
        for i in d.milestones:
            if d.dur[i] == 0:
                # A milestone at the end of a day is shown on the day before its point, one at
                # the start of a day on its point. Late dates are ends of days (the latest
                # moment of the day before), unless they equal the early start.
                if clock[i]:
                    es[i] = ef[i]
                else:
                    ef[i] = es[i]
                if clock[i] or ls[i] > d.es[i]:
                    ls[i] = lf[i]
                else:
                    lf[i] = ls[i]
        for i, shown in d.shown_start.items():
            if d.dur[i]:
                es[i] = shown
                if d.state[i] != _DONE:
                    ls[i] = shown

    def _roll_up(self) -> None:
        """Give each summary the span, lowest floats and criticality of its children."""
        d = self._data
        n = d.n
        self._total = total = d.total[:n]
        self._free = free = d.free[:n]
        self._critical = critical = bytearray(t <= 0 for t in total)
        for i in d.shown_start:
            if d.state[i] == _DONE:
                critical[i] = 0
        es, ef, ls, lf = self._es, self._ef, self._ls, self._lf
        for j in reversed(d.outline):  # children before parents
            kids = d.children[j]
            es[j] = min(map(es.__getitem__, kids))
            ef[j] = max(map(ef.__getitem__, kids))
            ls[j] = min(map(ls.__getitem__, kids))
            lf[j] = max(map(lf.__getitem__, kids))
            total[j] = min(map(total.__getitem__, kids))
            free[j] = min(map(free.__getitem__, kids))
            critical[j] = any(map(critical.__getitem__, kids))

    def _violations(self) -> list[ConstraintViolation]:
        """The late constraints that the early dates break, by how many working days."""
        d = self._data
        found = []
        for i, kind, day, point in d.late_checks:
            if i in d.children:  # a summary: compare its rolled-up dates
                late = self._es[i] - point if kind in START_CONSTRAINTS else self._ef[i] + 1 - point
            else:
                late = d.es[i] - point
            if late > 0:
                found.append(ConstraintViolation(d.ids[i], kind, day, late))
        return found

    # --- reading ------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._data.n

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self._data.pos

    def __getitem__(self, activity_id: Hashable) -> ActivitySchedule:
        return self._row(self._data.pos[activity_id])

    def __iter__(self) -> Iterator[ActivitySchedule]:
        return (self._row(i) for i in range(self._data.n))

    def rows(self) -> list[ActivitySchedule]:
        """Every activity's row in input order, built in one go (faster than iterating)."""
        with paused_gc():
            return [self._row(i) for i in range(self._data.n)]

    @cached_property
    def _calendar(self) -> tuple[int, list[date]]:
        """The first working day any activity shows, and the dates from it to the last."""
        days = (self._es, self._ef, self._ls, self._lf)
        low = min(min(x, default=0) for x in days)
        high = max(max(x, default=0) for x in days)
        return low, self._index.dates(low, high)

    def _row(self, i: int) -> ActivitySchedule:
        """One activity's dates, converted now."""
        d = self._data
        low, on = self._calendar
        summary = i in d.children
        return ActivitySchedule(
            d.ids[i],
            on[self._es[i] - low],
            on[self._ef[i] - low],
            on[self._ls[i] - low],
            on[self._lf[i] - low],
            self._total[i],
            self._free[i],
            bool(self._critical[i]),
            summary,
            not summary and d.dur[i] == 0,
            0 if summary or d.state[i] == _DONE else d.dur[i],
        )

    @cached_property
    def critical(self) -> list[Hashable]:
        """The ids of the critical activities (total float ≤ 0, not finished), input order."""
        d = self._data
        return [d.ids[i] for i in range(d.n) if self._critical[i] and i not in d.children]

    def critical_paths(self) -> list[list[Hashable]]:
        """Chains of critical activities joined by driving links, each in network order.

        A link drives when it holds its successor at its early start (zero slack). Critical
        activities that such links join form one chain; parallel critical branches that
        meet share a chain. Chains are sorted by their first early start. Summaries are
        left out (their children are in).
        """
        with paused_gc():
            return self._chains()

    def _chains(self) -> list[list[Hashable]]:
        """Union the critical nodes along driving links; see `critical_paths`."""
        d = self._data
        size = len(d.es)
        root = list(range(size))

        def find(x: int) -> int:
            while root[x] != x:
                root[x] = root[root[x]]
                x = root[x]
            return x

        hot = [t <= 0 and s != _DONE for t, s in zip(d.total, d.state, strict=True)]
        es = d.es
        for u in range(size):
            if hot[u]:
                start = es[u]
                edges = iter(d.out[u])
                for v, w in zip(edges, edges, strict=True):
                    if hot[v] and start + w == es[v]:
                        root[find(u)] = find(v)
        groups: dict[int, list[int]] = {}
        for u in d.order:
            if u < d.n and hot[u] and u not in d.children:
                groups.setdefault(find(u), []).append(u)
        chains = sorted(groups.values(), key=lambda chain: (self._es[chain[0]], chain[0]))
        return [[d.ids[i] for i in chain] for chain in chains]
