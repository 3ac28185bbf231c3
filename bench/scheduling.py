"""Time the critical-path engine on layered random networks of 1k, 10k and 100k activities.

Run from the repository root::

    .venv/bin/python -m bench.scheduling                 # or: python bench/scheduling.py
    .venv/bin/python -m bench.scheduling --sizes 1000 100000 --runs 5 --json var/sched.json

Each network (fixed seed) has about 1.5 links per activity between nearby layers, of all
four types with lags and leads, a few constraints, and one summary per 20 activities. The
table shows the median seconds of ``schedule()`` (a fresh calendar each run, so the Dutch
holidays are looked up every time), the ratio to the size before, and the median seconds
to read every activity's dates and the critical paths afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schakel.core.scheduling import (
    Activity,
    Constraint,
    Link,
    LinkType,
    SchedulingCalendar,
    schedule,
)

START = date(2026, 1, 5)
_TYPES = [LinkType.FS] * 14 + [LinkType.SS] * 3 + [LinkType.FF] * 2 + [LinkType.SF]


def network(size: int, seed: int = 6) -> tuple[list[Activity], list[Link]]:
    """A layered acyclic plan of ``size`` activities (1 in 20 a summary) and 1.5 links each.

    Layers are ``max(10, size // 100)`` wide, so every size is about 100 layers deep; links
    run from one layer to one of the next three, 1 in 50 of them into or out of a summary.
    Link ends are new strings, as ids read from a file or a database would be.
    """
    rng = random.Random(seed)
    width = max(10, size // 100)
    layers: list[list[int]] = []
    acts: list[Activity] = []
    spans: dict[str, list[int]] = {}  # summary id: its first and last layer
    summary = ""
    for i in range(size):
        if i % width == 0:
            layers.append([])
        if i % 20 == 0:
            summary = f"S{i}"
            acts.append(Activity(summary))
            spans[summary] = [len(layers) - 1, len(layers) - 1]
            continue
        acts.append(_activity(rng, i, summary))
        layers[-1].append(i)
        spans[summary][1] = len(layers) - 1
    links: list[Link] = []
    summaries = list(spans.items())
    while len(links) < size * 3 // 2:
        k = rng.randrange(len(layers) - 1)
        later = min(len(layers) - 1, k + rng.randint(1, 3))
        kind = rng.choice(_TYPES)
        lag = rng.choice((0, 0, 0, 0, 0, 0, 0, 1, 2, 5, -1, -2))
        if rng.random() < 0.02:  # a summary and a task in a layer before or after it
            name, (first, last) = rng.choice(summaries)
            if rng.random() < 0.5 and last + 1 < len(layers):
                after = layers[min(len(layers) - 1, last + rng.randint(1, 3))]
                links.append(Link(name, f"A{rng.choice(after)}", kind, lag))
            elif first > 0:
                before = layers[max(0, first - rng.randint(1, 3))]
                links.append(Link(f"A{rng.choice(before)}", name, kind, lag))
            continue
        pred, succ = rng.choice(layers[k]), rng.choice(layers[later])
        links.append(Link(f"A{pred}", f"A{succ}", kind, lag))
    return acts, links


def _activity(rng: random.Random, i: int, summary: str) -> Activity:
    """One leaf: 0–10 days (1 in 25 a milestone), 1 in 50 with a dated constraint."""
    duration = 0 if rng.random() < 0.04 else rng.randint(1, 10)
    roll = rng.random()
    if roll < 0.02:
        kind = rng.choice((Constraint.SNET, Constraint.FNLT, Constraint.MSO))
        day = START + timedelta(days=rng.randint(0, 700))
        return Activity(f"A{i}", duration, summary, kind, day)
    return Activity(f"A{i}", duration, summary)


@dataclass
class Row:
    """The timings of one network size."""

    activities: int
    links: int
    runs: int
    schedule_s: float  # median wall-clock seconds of schedule()
    schedule_cpu_s: float  # median CPU seconds of the same runs (other load shows less)
    read_all_s: float  # median seconds to read every row and the critical paths
    critical: int
    chains: int
    finish: str


def timed(size: int, runs: int) -> Row:
    """Median seconds to schedule and to read everything, for one network size."""
    acts, links = network(size)
    wall, cpu, read = [], [], []
    for _ in range(max(runs, 1)):
        calendar = SchedulingCalendar()
        started, started_cpu = time.perf_counter(), time.process_time()
        plan = schedule(acts, links, start=START, calendar=calendar)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        started = time.perf_counter()
        plan.rows()
        paths = plan.critical_paths()
        read.append(time.perf_counter() - started)
    return Row(
        activities=len(acts),
        links=len(links),
        runs=max(runs, 1),
        schedule_s=statistics.median(wall),
        schedule_cpu_s=statistics.median(cpu),
        read_all_s=statistics.median(read),
        critical=len(plan.critical),
        chains=len(paths),
        finish=str(plan.finish),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print one row per size; optionally write the rows as JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args(argv)
    schedule([Activity("warm-up", 1)], start=START)  # import the holiday tables once
    print(
        f"{'activities':>10} {'links':>7} {'runs':>4} {'schedule s':>10} {'cpu s':>6} "
        f"{'ratio':>6} {'read all s':>10} {'critical':>8}"
    )
    rows: list[Row] = []
    for row in (timed(size, options.runs) for size in options.sizes):
        ratio = f"{row.schedule_s / rows[-1].schedule_s:.1f}x" if rows else ""
        print(
            f"{row.activities:>10} {row.links:>7} {row.runs:>4} {row.schedule_s:>10.3f} "
            f"{row.schedule_cpu_s:>6.3f} {ratio:>6} {row.read_all_s:>10.3f} {row.critical:>8}"
        )
        rows.append(row)
    if options.json:
        options.json.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
