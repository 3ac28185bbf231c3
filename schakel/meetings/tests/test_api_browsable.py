"""The meetings endpoints render in the browsable API (HTML), forms included."""

from __future__ import annotations

import pytest

from schakel.meetings import services
from schakel.meetings.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["admin_user", "manager", "viewer"])
def test_every_meetings_endpoint_renders_as_html(request, org, pmo, who):
    meeting = factories.meeting(org.project, pmo, invitees=[pmo])
    event = factories.meeting(org.project, pmo, kind="event", title="Workshops")
    session = services.session_add(meeting=event, by=pmo, title="Risk workshop")
    series = factories.series(org.project, pmo)
    item = meeting.agenda.get(position=0)
    row = meeting.attendance.get(user=pmo)
    paths = [
        "",
        "meeting-series/",
        f"meeting-series/{series.pk}/",
        "meetings/",
        f"meetings/{meeting.pk}/",
        f"meetings/{meeting.pk}/agenda-items/",
        f"meetings/{meeting.pk}/attendance/",
        f"meetings/{meeting.pk}/outcomes/",
        f"meetings/{event.pk}/sessions/",
        f"agenda-items/{item.pk}/",
        f"agenda-items/{item.pk}/links/",
        f"attendance/{row.pk}/",
        f"sessions/{session.pk}/",
    ]
    client = api_client(request.getfixturevalue(who))
    for path in paths:
        response = client.get(f"{API}/{path}", HTTP_ACCEPT="text/html")
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html"), path
