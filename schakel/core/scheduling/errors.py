"""Errors the scheduling engine raises, each with a code the caller translates.

`schakel.core` has no gettext, so an error carries a stable ``code`` and the ``params`` a
message needs (activity ids, dates); the planning app turns them into a sentence.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

__all__ = ["CycleError", "ScheduleError"]


class ScheduleError(ValueError):
    """Signal input the engine cannot schedule (unknown id, missing date, bad value).

    Codes: ``duplicate_activity``, ``unknown_activity``, ``unknown_parent``, ``self_link``,
    ``negative_duration``, ``constraint_needs_date``, ``percent_out_of_range``,
    ``finish_before_start``, ``no_working_days``, ``date_out_of_range`` (the schedule would
    run before year 1 or past year 9999).
    """

    def __init__(self, code: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {dict(params or {})}")
        self.code = code
        self.params: dict[str, Any] = dict(params or {})


class CycleError(ScheduleError):
    """Signal a loop in the links (code ``link_cycle``) or in the outline (``outline_cycle``).

    ``ids`` lists the activities of one loop in order: each one drives the next, and the last
    drives the first (for an outline loop: each one is the parent of the next).
    """

    def __init__(self, code: str, ids: Sequence[Hashable]) -> None:
        super().__init__(code, {"ids": list(ids)})
        self.ids: tuple[Hashable, ...] = tuple(ids)
