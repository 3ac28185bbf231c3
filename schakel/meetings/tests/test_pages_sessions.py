"""Event sessions on the meeting page: add, edit, delete, register within capacity."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings import services
from schakel.meetings.models import EventSession, Kind, Registration

from . import factories

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "sessions"}


@pytest.fixture
def event(org, manager):
    return factories.meeting(
        org.project,
        manager,
        kind=Kind.EVENT,
        title="Workshop afternoon",
        start=factories.at(10, 13),
    )


@pytest.fixture
def session(event, manager):
    return services.session_add(
        meeting=event, by=manager, title="Risk workshop", room="2.01", capacity=1
    )


def test_a_planner_adds_a_session_with_its_room_host_time_and_capacity(
    client_as, event, manager, member
):
    answer = client_as(manager).post(
        reverse("meetings:session_add", args=[event.pk]),
        {
            "session-title": "Planning workshop",
            "session-room": "3.14",
            "session-host": member.pk,
            "session-start_time": "14:00",
            "session-end_time": "15:30",
            "session-capacity": "12",
        },
        **HTMX,
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Planning workshop" in html and "Room 3.14" in html and "14:00–15:30" in html
    assert "0 / 12</strong> registered" in html
    session = EventSession.objects.get(title="Planning workshop")
    assert (session.host, session.capacity) == (member, 12)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"session-title": ""}, "This field is required."),
        ({"session-title": "W", "session-capacity": "0"}, "A session has at least one place"),
        ({"session-title": "W", "session-capacity": "lots"}, "Enter a whole number."),
        (
            {"session-title": "W", "session-start_time": "15:00", "session-end_time": "14:00"},
            "The session must end after it starts.",
        ),
    ],
)
def test_bad_session_input_is_shown_on_its_field(client_as, event, manager, data, message):
    answer = client_as(manager).post(reverse("meetings:session_add", args=[event.pk]), data, **HTMX)
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert not EventSession.objects.exists()


def test_a_meeting_that_is_not_an_event_has_no_sessions(client_as, org, manager):
    meeting = factories.meeting(org.project, manager)
    answer = client_as(manager).post(
        reverse("meetings:session_add", args=[meeting.pk]), {"session-title": "W"}, **HTMX
    )
    assert answer.status_code == 422
    assert not EventSession.objects.exists()


def test_a_member_registers_and_the_count_goes_up(client_as, event, session, member):
    answer = client_as(member).post(reverse("meetings:session_register", args=[session.pk]), **HTMX)
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "1 / 1</strong> registered" in html
    assert "You are registered" in html
    assert "Unregister" in html
    assert Registration.objects.filter(session=session, user=member).exists()


def test_a_full_session_says_so_and_registers_nobody_else(
    client_as, event, session, member, manager, org
):
    services.session_register(session=session, user=manager, by=manager)
    page = client_as(member).get(event.get_absolute_url()).content.decode()
    assert "badge-full" in page
    answer = client_as(member).post(reverse("meetings:session_register", args=[session.pk]), **HTMX)
    assert answer.status_code == 422
    assert "This session is full." in answer.content.decode()
    assert not Registration.objects.filter(user=member).exists()


def test_unregistering_frees_the_place(client_as, session, member):
    services.session_register(session=session, user=member, by=member)
    answer = client_as(member).post(
        reverse("meetings:session_unregister", args=[session.pk]), **HTMX
    )
    assert answer.status_code == 200
    assert "0 / 1</strong> registered" in answer.content.decode()
    assert not Registration.objects.exists()


def test_viewers_may_not_register_unless_invited(client_as, org, manager, viewer):
    event = factories.meeting(org.project, manager, kind=Kind.EVENT, invitees=[])
    session = services.session_add(meeting=event, by=manager, title="W")
    url = reverse("meetings:session_register", args=[session.pk])
    assert (
        "Register</button>" not in client_as(viewer).get(event.get_absolute_url()).content.decode()
    )
    assert client_as(viewer).post(url).status_code == 403
    services.attendance_invite(meeting=event, user=viewer, by=manager)
    assert client_as(viewer).post(url).status_code == 302
    assert Registration.objects.filter(user=viewer).exists()


def test_planners_see_who_registered_and_others_only_the_count(
    client_as, event, session, manager, member
):
    services.session_register(session=session, user=member, by=member)
    other = UserFactory(username="other", first_name="Olga", last_name="Other")
    Membership.objects.create(user=other, project=event.project, role=Role.MEMBER)
    assert member.display_name in client_as(manager).get(event.get_absolute_url()).content.decode()
    page = client_as(other).get(event.get_absolute_url()).content.decode()
    assert "1 / 1</strong> registered" in page
    assert "Who is registered" not in page


def test_editing_a_session_saves_it_and_keeps_the_capacity_above_the_registrations(
    client_as, event, session, manager, member
):
    services.session_register(session=session, user=member, by=member)
    session.capacity = 5
    session.save()
    services.session_register(session=session, user=manager, by=manager)
    url = reverse("meetings:session_edit", args=[session.pk])
    prefix = f"session-{session.pk}"
    form = client_as(manager).get(
        url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"session-{session.pk}"
    )
    assert f'name="{prefix}-title"' in form.content.decode()
    answer = client_as(manager).post(
        url, {f"{prefix}-title": "Risk lab", f"{prefix}-capacity": "1"}, **HTMX
    )
    assert answer.status_code == 422
    assert "More people are registered already" in answer.content.decode()
    answer = client_as(manager).post(
        url, {f"{prefix}-title": "Risk lab", f"{prefix}-capacity": "2"}, **HTMX
    )
    assert answer.status_code == 200
    session.refresh_from_db()
    assert (session.title, session.capacity) == ("Risk lab", 2)


def test_removing_a_session_removes_its_registrations(client_as, session, manager, member):
    services.session_register(session=session, user=member, by=member)
    answer = client_as(manager).post(reverse("meetings:session_delete", args=[session.pk]), **HTMX)
    assert answer.status_code == 200
    assert not EventSession.objects.exists() and not Registration.objects.exists()


def test_members_may_not_change_sessions(client_as, session, member):
    assert (
        client_as(member).post(reverse("meetings:session_delete", args=[session.pk])).status_code
        == 403
    )
    assert EventSession.objects.filter(pk=session.pk).exists()


def test_hostile_session_titles_are_escaped(client_as, event, manager):
    services.session_add(meeting=event, by=manager, title="<script>alert(1)</script>", room="<b>")
    html = client_as(manager).get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "Room &lt;b&gt;" in html
