"""The engine's input and output: activities, links, constraints and their schedule.

Durations, lags and floats are whole working days; dates are calendar days. See the
package docstring (``schakel.core.scheduling``) for the date conventions.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "Activity",
    "ActivitySchedule",
    "Constraint",
    "ConstraintViolation",
    "Link",
    "LinkType",
]


class LinkType(StrEnum):
    """How a predecessor drives a successor (the four precedence types of MS Project)."""

    FS = "FS"  # finish-to-start: the successor starts after the predecessor finishes
    SS = "SS"  # start-to-start: the successor starts no earlier than the predecessor starts
    FF = "FF"  # finish-to-finish: the successor finishes no earlier than the predecessor
    SF = "SF"  # start-to-finish: the successor finishes no earlier than the predecessor starts


class Constraint(StrEnum):
    """A date constraint on an activity; every one but ASAP needs a ``constraint_date``."""

    ASAP = "ASAP"  # as soon as possible (no date)
    SNET = "SNET"  # start no earlier than
    SNLT = "SNLT"  # start no later than
    FNET = "FNET"  # finish no earlier than
    FNLT = "FNLT"  # finish no later than
    MSO = "MSO"  # must start on (= SNET and SNLT on the same date)
    MFO = "MFO"  # must finish on (= FNET and FNLT on the same date)


# Constraints that limit the early dates (forward pass) and the late dates (backward pass).
START_CONSTRAINTS = frozenset({Constraint.SNET, Constraint.SNLT, Constraint.MSO})
EARLY_CONSTRAINTS = frozenset({Constraint.SNET, Constraint.FNET, Constraint.MSO, Constraint.MFO})
LATE_CONSTRAINTS = frozenset({Constraint.SNLT, Constraint.FNLT, Constraint.MSO, Constraint.MFO})


@dataclass(frozen=True, slots=True)
class Activity:
    """One task, milestone (``duration == 0``) or summary (an activity others name as parent).

    A summary's own duration and progress are ignored: it spans its children. Progress:
    ``actual_start`` fixes the start; ``actual_finish`` (or 100 % complete) makes it done;
    ``percent_complete`` (0–100) splits the duration into done and remaining days.
    """

    id: Hashable
    duration: int = 0
    parent: Hashable | None = None
    constraint: Constraint = Constraint.ASAP
    constraint_date: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    percent_complete: float = 0.0

    def __post_init__(self) -> None:
        if type(self.constraint) is not Constraint:  # "SNET" from a form or a file
            object.__setattr__(self, "constraint", Constraint(self.constraint))


@dataclass(frozen=True, slots=True)
class Link:
    """A dependency: ``lag`` working days after (positive) or before (negative: a lead)."""

    predecessor: Hashable
    successor: Hashable
    type: LinkType = LinkType.FS
    lag: int = 0

    def __post_init__(self) -> None:
        if type(self.type) is not LinkType:  # "SS" from a form or a file
            object.__setattr__(self, "type", LinkType(self.type))


class ActivitySchedule(NamedTuple):
    """The computed dates of one activity; floats in working days (negative: too late).

    A named tuple rather than a dataclass: a 100,000-row plan makes 100,000 of them.
    """

    id: Hashable
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool
    summary: bool
    milestone: bool
    remaining_duration: int


@dataclass(frozen=True, slots=True)
class ConstraintViolation:
    """A late-side constraint (SNLT, FNLT, MSO, MFO) the logic cannot meet.

    ``days`` is how many working days the early date lies after the constraint date; the
    activity and everything driving it show that much negative total float.
    """

    activity: Hashable
    constraint: Constraint
    constraint_date: date
    days: int
