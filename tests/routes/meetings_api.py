"""The meetings API in the route matrix: every route, every persona.

The objects live in project ODI (see `objects.py`): viewers and members see them, the
programme's manager, the PMO and the site administrator too; an outsider gets 404 exactly
as for a missing meeting. Routes that only take POST answer 405 to a GET.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.routes import objects
from tests.test_route_matrix import API_ANON, Route, none

SEE = (API_ANON, 404, 200, 200, 200, 200, 200)
EVERYONE = (API_ANON, 200, 200, 200, 200, 200, 200)
POST_ONLY = (API_ANON, 405, 405, 405, 405, 405, 405)


def published_meeting(ctx: Any) -> dict[str, Any]:
    """A past project-board meeting of ODI with published minutes (for the downloads)."""
    from schakel.meetings import services
    from schakel.meetings.minutes import minutes_publish

    made = ctx.__dict__.setdefault("meetings_api_objects", {})
    if "published" not in made:
        admin = objects._admin(ctx)
        start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
        meeting = services.meeting_create(
            scope=ctx.org.project,
            by=admin,
            kind="project_board",
            title="Project board ODI",
            start=start,
            end=start + datetime.timedelta(hours=1),
            agenda=[{"title": "Progress", "minutes": 30}],
        )
        meeting = services.meeting_end(meeting=meeting, by=admin)
        minutes_publish(meeting=meeting, version=meeting.version, by=admin)
        made["published"] = meeting
    return {"pk": made["published"].pk}


def event_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": objects.event(ctx).pk}


#                     anon      outsider viewer member manager pmo  admin
ROUTES: dict[str, Route] = {
    "meeting-series-list": Route(none, EVERYONE),
    "meeting-series-detail": Route(objects.series_kwargs, SEE),
    "meeting-series-plan": Route(objects.series_kwargs, POST_ONLY),
    "meeting-list": Route(none, EVERYONE),
    "meeting-detail": Route(objects.meeting_kwargs, SEE),
    "meeting-agenda-items": Route(objects.meeting_kwargs, SEE),
    "meeting-attendance": Route(objects.meeting_kwargs, SEE),
    "meeting-outcomes": Route(objects.meeting_kwargs, SEE),
    "meeting-sessions": Route(event_kwargs, SEE),
    "meeting-invite-ics": Route(objects.meeting_kwargs, SEE),
    "meeting-minutes-docx": Route(published_meeting, SEE),
    "meeting-minutes-pdf": Route(published_meeting, SEE),
    "meeting-action-reviews": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-cancel": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-start": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-goto": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-end": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-prepare": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-publish": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-send-minutes": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-reopen": Route(objects.meeting_kwargs, POST_ONLY),
    "meeting-reorder": Route(objects.meeting_kwargs, POST_ONLY),
    "agenda-item-detail": Route(objects.agenda_item_kwargs, SEE),
    "agenda-item-links": Route(objects.agenda_item_kwargs, SEE),
    "attendance-detail": Route(objects.attendance_kwargs, SEE),
    "session-detail": Route(objects.session_kwargs, SEE),
    "session-register": Route(objects.session_kwargs, POST_ONLY),
    "session-unregister": Route(objects.session_kwargs, POST_ONLY),
}

# An outsider's POST answers 404 and a viewer's 403, and nothing changes. Registering for
# a session is left out: anyone who sees an event may take a place in it.
WRITE_ROUTES = {
    "meeting-series-plan": objects.series_kwargs,
    "meeting-cancel": objects.meeting_kwargs,
    "meeting-start": objects.meeting_kwargs,
    "meeting-goto": objects.meeting_kwargs,
    "meeting-end": objects.meeting_kwargs,
    "meeting-prepare": objects.meeting_kwargs,
    "meeting-publish": objects.meeting_kwargs,
    "meeting-send-minutes": published_meeting,
    "meeting-reopen": published_meeting,
    "meeting-reorder": objects.meeting_kwargs,
    "meeting-agenda-items": objects.meeting_kwargs,
    "meeting-attendance": objects.meeting_kwargs,
    "meeting-outcomes": objects.meeting_kwargs,
    "meeting-action-reviews": objects.meeting_kwargs,
    "meeting-sessions": event_kwargs,
    "agenda-item-links": objects.agenda_item_kwargs,
}
