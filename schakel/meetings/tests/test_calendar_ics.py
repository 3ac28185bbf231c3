"""A meeting's `.ics` invitation, read back with vobject (an independent parser)."""

from __future__ import annotations

import datetime

import pytest
import vobject
from django.urls import reverse

from schakel.core.exports.ics import invitation
from schakel.meetings import services
from schakel.meetings.calendar import meeting_event

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://pmo.example.org"


def _ics(client, meeting):
    response = client.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    return response, vobject.readOne(response.content.decode("utf-8"))


def _planned(org, manager, member, **fields):
    values = {"chair": manager, "invitees": [member], **fields}
    return factories.meeting(org.project, manager, **values)


def test_it_answers_an_invitation_to_download(org, manager, member, client_as):
    meeting = _planned(org, manager, member)
    response, calendar = _ics(client_as(member), meeting)
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.uid.value == f"{meeting.uid}@pmo.example.org"
    assert event.summary.value == "Project team"
    assert event.location.value == "Room 2.01"
    assert event.url.value == f"https://pmo.example.org/meetings/{meeting.pk}/"
    assert event.dtstart.value == meeting.start
    assert event.dtend.value == meeting.end
    assert event.status.value == "CONFIRMED"


def test_the_organizer_is_the_chair_and_invitees_and_guests_are_attendees(
    org, manager, member, viewer
):
    meeting = _planned(org, manager, member)
    services.attendance_invite(meeting=meeting, user=viewer, by=manager)
    services.attendance_add_guest(
        meeting=meeting, name="Gina Guest", email="gina@partner.example", by=manager
    )
    services.attendance_add_guest(meeting=meeting, name="No Mail", by=manager)
    calendar = vobject.readOne(invitation(meeting_event(meeting), prodid="-//test//EN").decode())
    event = calendar.vevent
    assert event.organizer.value == f"mailto:{manager.email}"
    attendees = {(a.params["CN"][0], a.value) for a in event.contents["attendee"]}
    assert attendees == {
        (manager.display_name, f"mailto:{manager.email}"),
        (member.display_name, f"mailto:{member.email}"),
        (viewer.display_name, f"mailto:{viewer.email}"),
        ("Gina Guest", "mailto:gina@partner.example"),
    }


def test_without_a_chair_the_creator_organises(org, manager, member):
    meeting = factories.meeting(org.project, manager, invitees=[member])
    assert meeting_event(meeting).organizer.email == manager.email  # type: ignore[union-attr]


def test_the_description_holds_scope_agenda_with_time_boxes_and_the_page(
    org, manager, member, client_as
):
    steering = factories.series(org.project, manager, chair=manager)
    [meeting] = services.series_plan(series=steering, by=manager)
    _response, calendar = _ics(client_as(manager), meeting)
    description = calendar.vevent.description.value
    lines = description.splitlines()
    assert lines[0] == "Steering committee · ODI Org design"
    assert "1. Opening and agenda (5 min)" in lines
    assert "2. Actions from the last meeting (10 min)" in lines
    assert "5. Any other business (5 min)" in lines
    assert lines[-1] == f"Meeting page: https://pmo.example.org/meetings/{meeting.pk}/"


def test_an_online_meeting_without_a_room_gives_the_link_as_location(org, manager, member):
    meeting = _planned(org, manager, member, location="", online_url="https://meet.example/abc")
    assert meeting_event(meeting).location == "https://meet.example/abc"
    both = _planned(org, manager, member, online_url="https://meet.example/xyz")
    event = meeting_event(both)
    assert event.location == "Room 2.01"
    assert "Online: https://meet.example/xyz" in event.description


def test_the_uid_stays_and_the_sequence_rises_when_the_time_changes(
    org, manager, member, client_as
):
    meeting = _planned(org, manager, member)
    client = client_as(member)
    _r, before = _ics(client, meeting)
    meeting = services.meeting_update(
        meeting=meeting, version=meeting.version, by=manager, summary="Notes only"
    )
    _r, unchanged = _ics(client, meeting)
    later = meeting.start + datetime.timedelta(hours=2)
    meeting = services.meeting_update(
        meeting=meeting,
        version=meeting.version,
        by=manager,
        start=later,
        end=later + datetime.timedelta(hours=1),
    )
    _r, moved = _ics(client, meeting)
    assert before.vevent.uid.value == unchanged.vevent.uid.value == moved.vevent.uid.value
    assert [c.vevent.sequence.value for c in (before, unchanged, moved)] == ["0", "0", "1"]
    assert moved.vevent.dtstart.value == later


def test_a_cancelled_meeting_is_sent_as_a_cancellation(org, manager, member, client_as):
    meeting = _planned(org, manager, member)
    uid = meeting_event(meeting).uid
    meeting = services.meeting_cancel(meeting=meeting, by=manager)
    response, calendar = _ics(client_as(member), meeting)
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=CANCEL"
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.status.value == "CANCELLED"
    assert calendar.vevent.uid.value == uid
    assert calendar.vevent.sequence.value == "1"


def test_hostile_text_cannot_add_lines_to_the_invitation(org, manager, member, client_as):
    hostile = "Budget\r\nATTENDEE:mailto:spy@evil.example\r\nEND:VEVENT"
    meeting = _planned(org, manager, member, title=hostile, location="Room\nX-EVIL:1")
    services.agenda_item_add(meeting=meeting, by=manager, title="Item\r\nORGANIZER:mailto:x@y.z")
    _response, calendar = _ics(client_as(member), meeting)
    event = calendar.vevent
    assert len(calendar.contents["vevent"]) == 1
    assert event.summary.value == hostile.replace("\r\n", "\n")
    assert "spy@evil.example" not in {a.value for a in event.contents["attendee"]}
    assert all(a.value != "mailto:spy@evil.example" for a in event.contents["attendee"])
    assert event.organizer.value == f"mailto:{manager.email}"
    assert "x-evil" not in event.contents
    assert "3. Item\nORGANIZER:mailto:x@y.z (10 min)" in event.description.value


def test_someone_who_cannot_see_the_meeting_gets_404(org, manager, member, client_as, outsider):
    meeting = _planned(org, manager, member)
    url = reverse("meetings:meeting_ics", args=[meeting.pk])
    assert client_as(outsider).get(url).status_code == 404
    assert client_as(member).get(reverse("meetings:meeting_ics", args=[10**9])).status_code == 404
