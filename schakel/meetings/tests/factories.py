"""Factories for meetings, through the services so agendas and attendance are real."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from schakel.meetings import services
from schakel.meetings.models import Kind, Meeting, MeetingSeries, Standing

STANDARD_AGENDA = [
    {"title": "Opening and agenda", "minutes": 5},
    {
        "title": "Actions from the last meeting",
        "minutes": 10,
        "standing": Standing.PREVIOUS_ACTIONS,
    },
    {"title": "Decisions needed", "minutes": 20, "standing": Standing.DECISIONS_NEEDED},
    {"title": "Risks due for review", "minutes": 15, "standing": Standing.RISKS_REVIEW},
    {"title": "Any other business", "minutes": 5},
]


def at(days: int, hour: int = 10) -> datetime.datetime:
    """An aware datetime `days` from today at `hour` o'clock, local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def series(scope: Any, by: Any, **fields: Any) -> MeetingSeries:
    values: dict[str, Any] = {
        "kind": Kind.STEERING_COMMITTEE,
        "title": "Steering committee",
        "recurrence": "monthly_weekday",
        "first_date": timezone.localdate() - datetime.timedelta(days=60),
        "start_time": datetime.time(14, 0),
        "duration": 90,
        "location": "Room 4.12",
        "standard_agenda": STANDARD_AGENDA,
        **fields,
    }
    return services.series_create(scope=scope, by=by, **values)


def meeting(scope: Any, by: Any, **fields: Any) -> Meeting:
    start = fields.pop("start", at(7, 14))
    values: dict[str, Any] = {
        "kind": Kind.PROJECT_TEAM,
        "title": "Project team",
        "start": start,
        "end": start + datetime.timedelta(minutes=60),
        "location": "Room 2.01",
        **fields,
    }
    if "agenda" not in values and values.get("series") is None:
        values["agenda"] = [
            {"title": "Progress", "minutes": 20},
            {"title": "Planning", "minutes": 20},
        ]
    return services.meeting_create(scope=scope, by=by, **values)
