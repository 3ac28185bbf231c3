"""The critical-path passes: build an integer network, then push numbers through it.

Everything here works on *points* in working time: point ``k`` is the start of working day
``k`` (= the end of working day ``k - 1``). A node has a start point ``S`` and a duration
``D`` (its finish point is ``S + D``). Every link type reduces to one difference constraint
``S_succ >= S_pred + w``::

    FS: w = lag + D_pred        SS: w = lag
    FF: w = lag + D_pred - D_succ    SF: w = lag - D_succ

so the forward pass is a longest path in topological order (Kahn's algorithm, merged with
the pass) and the backward pass the mirror image, pulling from successors. The network
lives in plain lists: ``out[u]`` holds ``successor, w, successor, w, ...`` flat (no tuple
per edge: less memory and fewer cache misses); no objects are made per activity.

Nodes ``0 .. n-1`` are the activities in input order (for a summary: its *start node*);
nodes ``n ..`` are the *finish nodes* of summaries. Links to or from a summary attach to
the node matching their start or finish end. Where a link or a constraint uses one of
those nodes, the start node precedes each child (w = 0) and each child precedes the finish
node (w = the child's duration); unused summary nodes get no edges, as they would move
nothing (a summary's dates are always rolled up from its children).

A link whose end is fixed by progress does not bind: an activity with an actual start
ignores links into its start; a finished activity ignores all links into it; and a link
*from* a fixed date (a finished activity, or an actual start) becomes a constant lower bound
on the successor. Such links keep weight ``_DROP`` so that cycles are still found.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date
from math import floor

from schakel.core.scheduling.calendar import SchedulingCalendar, WorkdayIndex
from schakel.core.scheduling.errors import CycleError, ScheduleError
from schakel.core.scheduling.model import (
    LATE_CONSTRAINTS,
    START_CONSTRAINTS,
    Activity,
    Constraint,
    Link,
)
from schakel.core.scheduling.result import Schedule, ScheduleData, paused_gc
from schakel.core.workdays import WorkingCalendar

__all__ = ["schedule"]

_FLOOR = -(1 << 40)  # start bound of a node that only its predecessors place
_DROP = -(1 << 50)  # weight of a link that never binds (far below _FLOOR)
_NO_LIMIT = 1 << 40  # late bound of a node without a late constraint

_UNSTARTED, _STARTED, _DONE = 0, 1, 2


def schedule(
    activities: Iterable[Activity],
    links: Iterable[Link] = (),
    *,
    start: date,
    calendar: SchedulingCalendar | WorkingCalendar | None = None,
    status_date: date | None = None,
    deadline: date | None = None,
) -> Schedule:
    """Compute early and late dates, floats and the critical path of a plan.

    ``start`` is the project start (nothing unstarted starts earlier); ``status_date``, if
    given, is the first day of remaining work: unstarted work and the remaining part of
    started work start no earlier. ``deadline`` replaces the computed finish as the date the
    late dates count back from. Raises `CycleError` for a loop and `ScheduleError` for
    other bad input.
    """
    if calendar is None:
        calendar = SchedulingCalendar()
    elif isinstance(calendar, WorkingCalendar):
        calendar = SchedulingCalendar(calendar)
    # The passes make hundreds of thousands of small lists and tuples that all live until
    # the end; the cyclic collector would scan them again and again for nothing.
    with paused_gc():
        try:
            return _schedule(activities, links, calendar, start, status_date, deadline)
        except OverflowError as exc:
            # Date arithmetic beyond year 9999 (or before year 1): a start, lag or duration
            # that no real plan has, as in a damaged import. Say so instead of crashing.
            raise ScheduleError("date_out_of_range") from exc


def _schedule(
    activities: Iterable[Activity],
    links: Iterable[Link],
    calendar: SchedulingCalendar,
    start: date,
    status_date: date | None,
    deadline: date | None,
) -> Schedule:
    """Run the passes (see `schedule`)."""
    index = WorkdayIndex(calendar, start)
    net = _Network(list(activities), index, status_date)
    net.add_links(links)
    net.add_outline_edges()
    order = net.forward()
    es, dur = net.es, net.dur
    finish_point = max([es[i] + dur[i] for i in net.leaves], default=0)
    bound = finish_point if deadline is None else index.on_or_before(deadline) + 1
    net.backward(order, bound, finish_point)
    return Schedule(net.result(order, start, deadline))


class _Network:
    """The integer network of one plan, and the passes over it."""

    def __init__(self, acts: list[Activity], index: WorkdayIndex, status: date | None) -> None:
        self.acts = acts
        self.index = index
        n = self.n = len(acts)
        self.ids: list[Hashable] = [a.id for a in acts]
        self.pos: dict[Hashable, int] = dict(zip(self.ids, range(n), strict=True))
        if len(self.pos) != n:
            raise ScheduleError("duplicate_activity", {"id": _first_duplicate(self.ids)})
        self.base = 0 if status is None else max(0, index.on_or_after(status))
        self._read_outline()
        self._read_activities()

    # --- building -----------------------------------------------------------------------

    def _read_outline(self) -> None:
        """Find the summaries, give each a finish node, and order them top-down."""
        n, pos, acts = self.n, self.pos, self.acts
        children: dict[int, list[int]] = {}
        for i, act in enumerate(acts):
            if act.parent is not None:
                j = pos.get(act.parent)
                if j is None:
                    raise ScheduleError("unknown_parent", {"id": act.id, "parent": act.parent})
                kids = children.get(j)
                if kids is None:
                    children[j] = [i]
                else:
                    kids.append(i)
        self.children = children
        self.fin = list(range(n))
        for k, j in enumerate(children):
            self.fin[j] = n + k
        self.size = n + len(children)
        outline = [j for j in children if acts[j].parent is None]
        for j in outline:  # grows while it is read: breadth first
            outline.extend([c for c in children[j] if c in children])
        if len(outline) < len(children):
            raise CycleError("outline_cycle", self._outline_loop(set(outline)))
        self.outline = outline  # the summaries, each after its parent

    def _outline_loop(self, placed: set[int]) -> list[Hashable]:
        """The ids of one parent loop, each the parent of the next."""
        i = next(j for j in self.children if j not in placed)
        seen: dict[int, int] = {}
        chain: list[int] = []
        while i not in seen:
            seen[i] = len(chain)
            chain.append(i)
            i = self.pos[self.acts[i].parent]
        loop = chain[seen[i] :]
        loop.reverse()
        return [self.ids[k] for k in loop]

    def _read_activities(self) -> None:
        """Fill durations, states and the bounds from constraints and progress."""
        size, base = self.size, self.base
        self.dur = [0] * size
        self.state = bytearray(size)
        self.lo = [base] * size  # earliest start point
        self.lo_end = bytearray(size)  # 1: that bound is an end of day (see milestones)
        self.hi = [_NO_LIMIT] * size  # latest start point
        self.shown_start: dict[int, int] = {}  # actual start of started/finished leaves
        self.late_checks: list[tuple[int, Constraint, date, int]] = []
        self.leaves: list[int] = []
        self.tied: set[int] = set()  # summary nodes that links or constraints use
        self.milestones: list[int] = []
        for k in range(len(self.children)):
            self.lo[self.n + k] = _FLOOR
        children, dur, leaves, milestones = self.children, self.dur, self.leaves, self.milestones
        for i, act in enumerate(self.acts):
            d = act.duration
            if d < 0:
                raise ScheduleError("negative_duration", {"id": act.id})
            if not 0 <= act.percent_complete <= 100:
                raise ScheduleError("percent_out_of_range", {"id": act.id})
            if i in children:
                self._constrain_summary(i, act)
                continue
            leaves.append(i)
            dur[i] = d
            if not d:
                milestones.append(i)
            if act.actual_start is not None or act.actual_finish is not None:
                self._read_progress(i, act)
            if act.constraint != "ASAP":
                self._constrain(i, i, act)

    def _read_progress(self, i: int, act: Activity) -> None:
        """Fix a started or finished leaf: its start, its duration, and what remains."""
        index, d = self.index, act.duration
        start = None if act.actual_start is None else index.on_or_after(act.actual_start)
        finish = None if act.actual_finish is None else index.on_or_before(act.actual_finish) + 1
        if start is not None and finish is None and act.percent_complete < 100 and d > 0:
            done = floor(d * act.percent_complete / 100)
            self.state[i] = _STARTED
            self.shown_start[i] = start
            self.dur[i] = d - done
            self.lo[i] = max(start + done, self.base)
            return
        self.state[i] = _DONE
        if d == 0:  # a finished milestone sits at its actual start (or finish) point
            point = start if start is not None else finish
            assert point is not None
            self.lo[i], self.lo_end[i] = point, start is None
        elif start is None:
            assert finish is not None
            self.lo[i] = finish - d
        elif finish is None:
            self.lo[i] = start
        else:
            assert act.actual_start is not None and act.actual_finish is not None
            if act.actual_finish < act.actual_start:
                raise ScheduleError("finish_before_start", {"id": act.id})
            self.lo[i], self.dur[i] = start, max(finish - start, 1)
        self.shown_start[i] = self.lo[i]

    def _constrain_summary(self, j: int, act: Activity) -> None:
        """Put a summary's constraint on its start node or its finish node."""
        if act.constraint == "ASAP":
            return
        node = j if act.constraint in START_CONSTRAINTS else self.fin[j]
        self.tied.add(node)
        self._constrain(j, node, act)

    def _constrain(self, i: int, node: int, act: Activity) -> None:
        """Turn a constraint into a start bound (early side) and a late bound on ``node``.

        Start constraints mean the start of their day, finish constraints the end of it
        (MS Project's 08:00 and 17:00). A started activity keeps only finish constraints; a
        finished one none.
        """
        kind, day = act.constraint, act.constraint_date
        if day is None:
            raise ScheduleError("constraint_needs_date", {"id": act.id})
        state = self.state[node]
        is_start = kind in START_CONSTRAINTS
        if state == _DONE or (state == _STARTED and is_start):
            return
        if is_start:
            point = self.index.on_or_after(day)
        else:
            point = self.index.on_or_before(day) + 1 - self.dur[node]
        if kind not in (Constraint.SNLT, Constraint.FNLT):  # SNET, FNET, MSO, MFO
            self._raise_lo(node, point, not is_start)
        if kind in LATE_CONSTRAINTS:
            self.hi[node] = min(self.hi[node], point)
            self.late_checks.append((i, kind, day, point))

    def _raise_lo(self, node: int, point: int, end_of_day: bool) -> None:
        """Lift a node's earliest start; on a tie the start of the day wins (it is later)."""
        lo = self.lo[node]
        if point > lo or (point == lo and not end_of_day):
            self.lo[node] = point
            self.lo_end[node] = end_of_day

    def add_links(self, links: Iterable[Link]) -> None:
        """Add the user's links as weighted edges between nodes (the hot loop of building).

        Most links join two plain tasks (not a summary, milestone or started work): those
        take the short way here; the rest go through `_add_link`.
        """
        size, dur, state = self.size, self.dur, self.state
        self.out: list[list[int]] = [[] for _ in range(size)]
        self.indeg = indeg = [0] * size
        self.zero = zero = bytearray(size)  # zero-length nodes: milestones and summary ends
        for v in self.milestones:
            zero[v] = state[v] == _UNSTARTED
        for v in range(self.n, size):
            zero[v] = 1
        for j in self.children:
            zero[j] = 1
        # Incoming edges of zero-length nodes, with the end they hang from (for clocks).
        self.zero_in: dict[int, list[tuple[int, int, bool]]] = {}
        plain = bytearray(size)
        for i in self.leaves:
            plain[i] = dur[i] > 0 and state[i] == _UNSTARTED
        out, pos = self.out, self.pos
        try:
            for link in links:
                p, s = pos[link.predecessor], pos[link.successor]
                if not (plain[p] and plain[s]) or p == s:
                    self._add_link(p, s, link)
                    continue
                kind = link.type
                if kind == "FS":
                    w = link.lag + dur[p]
                elif kind == "SS":
                    w = link.lag
                elif kind == "FF":
                    w = link.lag + dur[p] - dur[s]
                else:
                    w = link.lag - dur[s]
                out[p] += s, w
                indeg[s] += 1
        except KeyError as missing:
            raise ScheduleError("unknown_activity", {"id": missing.args[0]}) from None

    def _add_link(self, p: int, s: int, link: Link) -> None:
        """Add a link that touches a summary, a milestone or progress."""
        if p == s:
            raise ScheduleError("self_link", {"id": link.predecessor})
        fin, dur, state = self.fin, self.dur, self.state
        kind = link.type
        from_finish = kind == "FS" or kind == "FF"
        to_finish = kind == "FF" or kind == "SF"
        u = fin[p] if from_finish else p
        v = fin[s] if to_finish else s
        w = link.lag + (dur[u] if from_finish else 0) - (dur[v] if to_finish else 0)
        if state[u]:
            w = self._fixed_anchor(u, v, w, from_finish, to_finish)
        if state[v] and (state[v] == _DONE or not to_finish):
            w = _DROP
        self.out[u] += v, w
        self.indeg[v] += 1
        if self.zero[v]:
            self.zero_in.setdefault(v, []).append((u, w, from_finish))
            if v >= self.n or v in self.children:
                self.tied.add(v)
        if u >= self.n:
            self.tied.add(u)

    def _fixed_anchor(self, u: int, v: int, w: int, from_finish: bool, to_finish: bool) -> int:
        """Turn a link from a fixed date into a bound on ``v``; return the edge weight.

        A finished activity's start and finish, and a started one's actual start, are
        fixed; only a started activity's finish still moves (its remaining work).
        """
        state = self.state
        if state[u] == _STARTED and from_finish:
            return w
        anchor = self.lo[u] if state[u] == _DONE else self.shown_start[u]
        end = (self.dur[u] > 0 and from_finish) or (self.dur[u] == 0 and bool(self.lo_end[u]))
        if not (state[v] == _DONE or (state[v] == _STARTED and not to_finish)):
            self._raise_lo(v, anchor + w, end)
        return _DROP

    def add_outline_edges(self) -> None:
        """Tie summaries' start and finish nodes to their children, where anything uses them.

        A summary start node that no link enters and no constraint holds sits at the
        project start, where its children start anyway; a finish node that no link leaves
        and no constraint limits drives nothing. Their edges would change no date, so only
        the used ones (and those of everything below them) are added; dates of all
        summaries come from rolling up their children.
        """
        fin, tied = self.fin, self.tied
        for j in self.outline:
            kids = self.children[j]
            if j in tied:
                self._tie_starts(j, kids)
            if fin[j] in tied:
                self._tie_finishes(fin[j], kids)

    def _tie_starts(self, j: int, kids: list[int]) -> None:
        """Edges from a summary's start node to each child's start."""
        out, indeg, state, zero, zero_in = self.out, self.indeg, self.state, self.zero, self.zero_in
        starts = out[j]
        for c in kids:
            w = 0 if state[c] == _UNSTARTED else _DROP
            starts += c, w
            indeg[c] += 1
            if zero[c]:
                zero_in.setdefault(c, []).append((j, w, False))
            if c in self.children:
                self.tied.add(c)

    def _tie_finishes(self, f: int, kids: list[int]) -> None:
        """Edges from each child's finish to a summary's finish node."""
        out, fin, dur, state, lo, lo_end = (
            self.out,
            self.fin,
            self.dur,
            self.state,
            self.lo,
            self.lo_end,
        )
        into_finish = self.zero_in.setdefault(f, [])
        for c in kids:
            if state[c] == _DONE:
                self._raise_lo(f, lo[c] + dur[c], dur[c] > 0 or bool(lo_end[c]))
                w = _DROP
            else:
                w = dur[c]
            out[fin[c]] += f, w
            into_finish.append((fin[c], w, True))
            if c in self.children:
                self.tied.add(fin[c])
        self.indeg[f] += len(kids)

    # --- passes -------------------------------------------------------------------------

    def forward(self) -> list[int]:
        """Early start points in topological order; return that order."""
        out, indeg = self.out, self.indeg
        es = self.es = self.lo[:]
        order = [v for v in range(self.size) if not indeg[v]]
        for u in order:  # grows while it is read: Kahn's algorithm
            start = es[u]
            edges = iter(out[u])
            for v, w in zip(edges, edges, strict=True):
                t = start + w
                if t > es[v]:
                    es[v] = t
                left = indeg[v] - 1
                indeg[v] = left
                if not left:
                    order.append(v)
        if len(order) < self.size:
            raise CycleError("link_cycle", self._link_loop(indeg))
        return order

    def _link_loop(self, indeg: list[int]) -> list[Hashable]:
        """The ids of one link loop, each driving the next, from the nodes Kahn left."""
        left = [u for u in range(self.size) if indeg[u]]
        before: dict[int, int] = {}
        for u in left:
            for v in self.out[u][::2]:
                if indeg[v]:
                    before[v] = u
        v = left[0]
        seen: dict[int, int] = {}
        chain: list[int] = []
        while v not in seen:  # walk back: every node left has a predecessor left
            seen[v] = len(chain)
            chain.append(v)
            v = before[v]
        loop = chain[seen[v] :]
        loop.reverse()
        ids = [self.ids[self._activity_of(node)] for node in loop]
        kept = [x for k, x in enumerate(ids) if x != ids[k - 1]] or ids[:1]
        first = min(range(len(kept)), key=lambda k: self.pos[kept[k]])
        return kept[first:] + kept[:first]

    def _activity_of(self, node: int) -> int:
        """The activity a node belongs to (a finish node belongs to its summary)."""
        if node < self.n:
            return node
        return list(self.children)[node - self.n]

    def backward(self, order: list[int], bound: int, finish_point: int) -> None:
        """Late start points and free float, in reverse topological order.

        Pulls from each node's successors: the late start is the tightest of its own bound
        (``bound``, the deadline or the finish, and late constraints) and each successor's
        late start less the link; free float is the room before the first successor's
        early start (or the project finish) moves, capped by the total float.
        """
        out, es, dur = self.out, self.es, self.dur
        ls = self.ls = [min(h, bound - d) for h, d in zip(self.hi, dur, strict=True)]
        free = self.free = [0] * self.size
        for u in reversed(order):
            late = ls[u]
            first = finish_point - dur[u]
            edges = iter(out[u])
            for v, w in zip(edges, edges, strict=True):
                t = ls[v] - w
                if t < late:
                    late = t
                t = es[v] - w
                if t < first:
                    first = t
            ls[u] = late
            free[u] = (first if first < late else late) - es[u]

    def milestone_clocks(self, order: list[int]) -> bytearray:
        """For each zero-length node, whether it sits at the end of a day (1) or the start.

        A milestone reached from a finish sits at the end of that day (17:00), one reached
        from a start (the project start, a start constraint, an SS link) at the start of
        its day (08:00): it is shown on the day before its point or on its point. When
        both meet at one point the start of the next day wins, as it is the later time.
        """
        es, lo, lo_end, zero, dur = self.es, self.lo, self.lo_end, self.zero, self.dur
        clock = bytearray(self.size)
        for v in order:
            if not zero[v]:
                continue
            at = es[v]
            end = bool(lo_end[v]) if lo[v] == at else None
            for u, w, from_finish in self.zero_in.get(v, ()):
                if es[u] + w == at:
                    anchor = bool(clock[u]) if dur[u] == 0 else from_finish
                    end = anchor if end is None else (end and anchor)
            clock[v] = bool(end)
        return clock

    def result(self, order: list[int], start: date, deadline: date | None) -> ScheduleData:
        """Gather the numbers the `Schedule` needs."""
        n, es, ls, dur, state = self.n, self.es, self.ls, self.dur, self.state
        clock = self.milestone_clocks(order)
        for i in self.shown_start:
            if state[i] == _DONE:
                ls[i] = es[i]
                self.free[i] = 0
                clock[i] = self.lo_end[i]
        total = [late - early for late, early in zip(ls, es, strict=True)]
        return ScheduleData(
            ids=self.ids,
            pos=self.pos,
            index=self.index,
            start=start,
            deadline=deadline,
            n=n,
            es=es,
            ls=ls,
            dur=dur,
            state=state,
            total=total,
            free=self.free,
            milestones=self.milestones,
            leaves=self.leaves,
            clock=clock,
            shown_start=self.shown_start,
            children=self.children,
            outline=self.outline,
            order=order,
            out=self.out,
            late_checks=self.late_checks,
        )


def _first_duplicate(ids: list[Hashable]) -> Hashable:
    """The first id that occurs twice."""
    seen: set[Hashable] = set()
    for x in ids:
        if x in seen:
            return x
        seen.add(x)
    return None
