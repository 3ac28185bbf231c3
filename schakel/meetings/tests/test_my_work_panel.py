"""My work shows a person's next meetings and the minutes they still have to publish."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakel.meetings import services
from schakel.meetings.models import Meeting

from . import factories

MY_WORK = reverse("registers:my_work")


def test_my_work_lists_my_next_meetings_and_minutes_to_publish(client_as, org, manager, member):
    invited = factories.meeting(org.project, manager, title="Team sync", invitees=[member])
    factories.meeting(org.project, manager, title="Not for me")
    cancelled = factories.meeting(org.project, manager, title="Called off", invitees=[member])
    services.meeting_cancel(meeting=cancelled, by=manager)
    held = factories.meeting(
        org.project,
        manager,
        title="Last week's board",
        minute_taker=member,
        start=factories.at(-7, 10),
    )
    services.meeting_end(meeting=held, by=member)
    page = client_as(member).get(MY_WORK).content.decode()
    assert "Team sync" in page
    assert "Not for me" not in page and "Called off" not in page
    assert "Minutes to publish" in page
    assert reverse("meetings:minutes", args=[held.pk]) in page
    assert invited.get_absolute_url() in page


def test_my_work_shows_no_meeting_i_may_no_longer_see(client_as, org, manager, member):
    meeting = factories.meeting(org.programme, manager, title="Steering", invitees=[member])
    assert "Steering" in client_as(member).get(MY_WORK).content.decode()
    member.memberships.all().delete()
    assert "Steering" not in client_as(member).get(MY_WORK).content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_the_panel_keeps_its_query_count_with_more_meetings(client_as, org, manager, member):
    client = client_as(member)

    def count() -> int:
        client.get(MY_WORK)  # warm caches (content types, roles)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_WORK).status_code == 200
        return len(queries)

    factories.meeting(org.project, manager, title="First", invitees=[member])
    few = count()
    for n in range(12):
        factories.meeting(
            org.project,
            manager,
            title=f"Meeting {n}",
            invitees=[member],
            start=factories.at(n + 1, 10) + datetime.timedelta(minutes=n),
        )
    assert count() == few
