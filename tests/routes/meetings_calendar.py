"""Routes of calendars and the decision log (see `tests/test_route_matrix.py`).

`meetings:feed` is public: calendar programs fetch it with the key in the URL and no
session, so anonymous callers get an answer too — 404 for a junk key, like everyone.
`meetings:feed_settings` changes only the caller's own feed token; it has no object to
refuse to others, so its POST is tested in `schakel/meetings/tests/test_calendar_feed.py`
rather than in WRITE_ROUTES. Every other route here is read-only.
"""

from __future__ import annotations

from typing import Any

from tests.routes.objects import meeting_kwargs
from tests.test_route_matrix import LOGIN, Route


def none(ctx: Any) -> dict[str, Any]:
    return {}


def junk_key(ctx: Any) -> dict[str, Any]:
    return {"key": "not-a-real-feed-key"}


def programme(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.programme.pk}


def portfolio(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.org.portfolio.pk}


#                   anon       outsider viewer member manager pmo  admin
ROUTES: dict[str, Route] = {
    "meetings:meeting_ics": Route(meeting_kwargs, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "meetings:feed_settings": Route(none, (LOGIN, 200, 200, 200, 200, 200, 200)),
    "meetings:feed": Route(junk_key, (404, 404, 404, 404, 404, 404, 404)),
    # Viewers and members see the programme and portfolio through their project, and the
    # decisions of that project in the log.
    "meetings:programme_decision_log": Route(programme, (LOGIN, 404, 200, 200, 200, 200, 200)),
    "meetings:portfolio_decision_log": Route(portfolio, (LOGIN, 404, 200, 200, 200, 200, 200)),
}

WRITE_ROUTES: dict[str, Any] = {}
