"""Routes of the meeting pages: lists, series, meetings, agenda, attendance and sessions.

The objects live in project ODI (`tests/routes/objects.py`): `viewer` and `member` see
them; `member` neither chairs nor minutes the meeting, so changing it takes a manager.
Writes (`WRITE_ROUTES`) are refused to an outsider (404) and a viewer (403).
"""

from __future__ import annotations

from typing import Any

from tests.routes.objects import (
    agenda_item_kwargs,
    attendance_kwargs,
    meeting_kwargs,
    new_in_project,
    series_kwargs,
    session_kwargs,
)
from tests.test_route_matrix import (
    LOGIN,
    Route,
    _register_item,
    none,
    portfolio,
    programme,
    project,
)


def unlink_kwargs(ctx: Any) -> dict[str, Any]:
    """An agenda item of the ODI meeting and a risk of ODI (linked or not: both answer)."""
    risk = _register_item(ctx, "risk")
    return {**agenda_item_kwargs(ctx), "kind": "risk", "item": risk.pk}


SEE = (LOGIN, 404, 200, 200, 200, 200, 200)  # everyone with a role on ODI or above
PLAN = (LOGIN, 404, 403, 403, 200, 200, 200)  # managers and above
POST_ONLY = (LOGIN, 405, 405, 405, 405, 405, 405)

#                   anon       outsider viewer member manager pmo  admin
ROUTES: dict[str, Route] = {
    # Lists
    "meetings:meeting_list": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "meetings:project_meetings": Route(project, SEE),
    "meetings:programme_meetings": Route(programme, SEE),
    "meetings:portfolio_meetings": Route(portfolio, SEE),
    # Series
    "meetings:series_create": Route(new_in_project, PLAN),
    "meetings:series_detail": Route(series_kwargs, SEE),
    "meetings:series_edit": Route(series_kwargs, PLAN),
    "meetings:series_plan": Route(series_kwargs, POST_ONLY),
    "meetings:series_delete": Route(series_kwargs, PLAN),
    "meetings:series_restore": Route(series_kwargs, POST_ONLY),
    # Meetings
    "meetings:meeting_create": Route(new_in_project, PLAN),
    "meetings:meeting_detail": Route(meeting_kwargs, SEE),
    "meetings:meeting_edit": Route(meeting_kwargs, PLAN),
    "meetings:meeting_cancel": Route(meeting_kwargs, PLAN),
    "meetings:meeting_delete": Route(meeting_kwargs, PLAN),
    "meetings:meeting_restore": Route(meeting_kwargs, POST_ONLY),
    # Agenda (the member neither chairs nor minutes the meeting)
    "meetings:agenda_add": Route(meeting_kwargs, POST_ONLY),
    "meetings:agenda_reorder": Route(meeting_kwargs, POST_ONLY),
    "meetings:agenda_prepare": Route(meeting_kwargs, POST_ONLY),
    "meetings:agenda_edit": Route(agenda_item_kwargs, PLAN),
    "meetings:agenda_delete": Route(agenda_item_kwargs, POST_ONLY),
    "meetings:agenda_link": Route(agenda_item_kwargs, POST_ONLY),
    "meetings:agenda_unlink": Route(unlink_kwargs, POST_ONLY),
    # Attendance
    "meetings:attendance_invite": Route(meeting_kwargs, POST_ONLY),
    "meetings:attendance_guest": Route(meeting_kwargs, POST_ONLY),
    "meetings:attendance_set": Route(attendance_kwargs, POST_ONLY),
    "meetings:attendance_remove": Route(attendance_kwargs, POST_ONLY),
    # Event sessions
    "meetings:session_add": Route(meeting_kwargs, POST_ONLY),
    "meetings:session_edit": Route(session_kwargs, PLAN),
    "meetings:session_delete": Route(session_kwargs, POST_ONLY),
    "meetings:session_register": Route(session_kwargs, POST_ONLY),
    "meetings:session_unregister": Route(session_kwargs, POST_ONLY),
}

WRITE_ROUTES: dict[str, Any] = {
    "meetings:series_create": new_in_project,
    "meetings:series_edit": series_kwargs,
    "meetings:series_plan": series_kwargs,
    "meetings:series_delete": series_kwargs,
    "meetings:series_restore": series_kwargs,
    "meetings:meeting_create": new_in_project,
    "meetings:meeting_edit": meeting_kwargs,
    "meetings:meeting_cancel": meeting_kwargs,
    "meetings:meeting_delete": meeting_kwargs,
    "meetings:meeting_restore": meeting_kwargs,
    "meetings:agenda_add": meeting_kwargs,
    "meetings:agenda_reorder": meeting_kwargs,
    "meetings:agenda_prepare": meeting_kwargs,
    "meetings:agenda_edit": agenda_item_kwargs,
    "meetings:agenda_delete": agenda_item_kwargs,
    "meetings:agenda_link": agenda_item_kwargs,
    "meetings:agenda_unlink": unlink_kwargs,
    "meetings:attendance_invite": meeting_kwargs,
    "meetings:attendance_guest": meeting_kwargs,
    "meetings:attendance_set": attendance_kwargs,
    "meetings:attendance_remove": attendance_kwargs,
    "meetings:session_add": meeting_kwargs,
    "meetings:session_edit": session_kwargs,
    "meetings:session_delete": session_kwargs,
    "meetings:session_register": session_kwargs,
    "meetings:session_unregister": session_kwargs,
}
