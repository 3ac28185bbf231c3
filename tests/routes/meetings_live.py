"""Routes of the chair view and the minutes (see `tests/routes/__init__.py`).

The meeting is planned and has no published minutes, so the downloads answer 404 to
everyone who may see it; the POST routes answer 405 to a GET.
"""

from __future__ import annotations

from typing import Any

from tests.routes.objects import agenda_item_kwargs, meeting_kwargs
from tests.test_route_matrix import LOGIN, Route

SEEN = (LOGIN, 404, 200, 200, 200, 200, 200)
POST_ONLY = (LOGIN, 405, 405, 405, 405, 405, 405)
NONE_PUBLISHED = (LOGIN, 404, 404, 404, 404, 404, 404)


def capture_kwargs(ctx: Any) -> dict[str, Any]:
    return {**meeting_kwargs(ctx), "kind": "action"}


def review_kwargs(ctx: Any) -> dict[str, Any]:
    """An action of ODI (that the write check never gets as far as looking at)."""
    from schakel.registers import services as register_services
    from schakel.registers.models import Action

    made = ctx.__dict__.setdefault("meeting_objects", {})
    if "review_action" not in made:
        made["review_action"] = register_services.item_create(
            model=Action, scope=ctx.org.project, by=None, title="Follow up"
        )
    return {**meeting_kwargs(ctx), "action": made["review_action"].pk}


ROUTES = {
    "meetings:chair": Route(meeting_kwargs, SEEN),
    "meetings:state": Route(meeting_kwargs, SEEN),
    "meetings:start": Route(meeting_kwargs, POST_ONLY),
    "meetings:goto": Route(meeting_kwargs, POST_ONLY),
    "meetings:end": Route(meeting_kwargs, POST_ONLY),
    "meetings:summary_save": Route(meeting_kwargs, POST_ONLY),
    "meetings:notes_save": Route(agenda_item_kwargs, POST_ONLY),
    "meetings:capture": Route(capture_kwargs, POST_ONLY),
    "meetings:action_review": Route(review_kwargs, POST_ONLY),
    "meetings:minutes": Route(meeting_kwargs, SEEN),
    "meetings:minutes_publish": Route(meeting_kwargs, POST_ONLY),
    "meetings:minutes_reopen": Route(meeting_kwargs, POST_ONLY),
    "meetings:minutes_send": Route(meeting_kwargs, POST_ONLY),
    "meetings:minutes_docx": Route(meeting_kwargs, NONE_PUBLISHED),
    "meetings:minutes_pdf": Route(meeting_kwargs, NONE_PUBLISHED),
}

WRITE_ROUTES = {
    "meetings:start": meeting_kwargs,
    "meetings:goto": meeting_kwargs,
    "meetings:end": meeting_kwargs,
    "meetings:summary_save": meeting_kwargs,
    "meetings:notes_save": agenda_item_kwargs,
    "meetings:capture": capture_kwargs,
    "meetings:action_review": review_kwargs,
    "meetings:minutes_publish": meeting_kwargs,
    "meetings:minutes_reopen": meeting_kwargs,
    "meetings:minutes_send": meeting_kwargs,
}
