"""Attendance on the meeting page: present / absent / excused, invite, guests, remove."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.meetings import services
from schakel.meetings.models import Attendance

from . import factories

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "attendance"}


@pytest.fixture
def meeting(org, manager, member, viewer):
    return factories.meeting(org.project, manager, chair=member, invitees=[viewer])


def row_of(meeting, user) -> Attendance:
    return meeting.attendance.get(user=user)


def test_the_chair_marks_someone_present_and_gets_the_list_back(client_as, meeting, member, viewer):
    row = row_of(meeting, viewer)
    answer = client_as(member).post(
        reverse("meetings:attendance_set", args=[row.pk]), {"status": "present"}, **HTMX
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert 'id="attendance"' in html
    assert f'id="attendance-{row.pk}-present" class="seg seg-present" aria-pressed="true"' in html
    assert "1 present" in html
    row.refresh_from_db()
    assert row.status == Attendance.Status.PRESENT


def test_pressing_the_chosen_status_again_undoes_it(client_as, meeting, member, viewer):
    row = row_of(meeting, viewer)
    services.attendance_set(attendance=row, status="excused", by=member)
    html = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert f'value="invited" id="attendance-{row.pk}-excused"' in html
    client_as(member).post(reverse("meetings:attendance_set", args=[row.pk]), {"status": "invited"})
    row.refresh_from_db()
    assert row.status == Attendance.Status.INVITED


@pytest.mark.parametrize("status", ["guest", "drunk", ""])
def test_an_unknown_status_is_refused(client_as, meeting, member, viewer, status):
    row = row_of(meeting, viewer)
    answer = client_as(member).post(
        reverse("meetings:attendance_set", args=[row.pk]), {"status": status}, **HTMX
    )
    assert answer.status_code == 422
    assert "Choose present, absent or excused." in answer.content.decode()
    row.refresh_from_db()
    assert row.status == Attendance.Status.INVITED


def test_a_person_of_the_scope_is_invited(client_as, meeting, member, org):
    from schakel.accounts.models import Membership, Role
    from schakel.accounts.tests.factories import UserFactory

    newcomer = UserFactory(username="newcomer", first_name="Nina", last_name="New")
    Membership.objects.create(user=newcomer, project=org.project, role=Role.MEMBER)
    page = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert f'<option value="{newcomer.pk}">Nina New</option>' in page
    answer = client_as(member).post(
        reverse("meetings:attendance_invite", args=[meeting.pk]),
        {"invite-user": newcomer.pk},
        **HTMX,
    )
    assert answer.status_code == 200
    assert "Nina New is invited." in answer.content.decode()
    assert meeting.attendance.filter(user=newcomer).exists()


def test_someone_outside_the_scope_cannot_be_invited(client_as, meeting, member, outsider):
    answer = client_as(member).post(
        reverse("meetings:attendance_invite", args=[meeting.pk]),
        {"invite-user": outsider.pk},
        **HTMX,
    )
    assert answer.status_code == 422
    assert "Select a valid choice." in answer.content.decode()
    assert not meeting.attendance.filter(user=outsider).exists()


def test_a_guest_is_added_by_name_and_email(client_as, meeting, member):
    answer = client_as(member).post(
        reverse("meetings:attendance_guest", args=[meeting.pk]),
        {"guest-name": "Gert Gast", "guest-email": "gert@example.org"},
        **HTMX,
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Gert Gast" in html and "gert@example.org" in html
    guest = meeting.attendance.get(name="Gert Gast")
    assert (guest.status, guest.user) == (Attendance.Status.GUEST, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"guest-name": ""}, "This field is required."),
        ({"guest-name": "G", "guest-email": "not-an-address"}, "Enter a valid email address."),
        ({"guest-name": "x" * 151}, "Ensure this value has at most 150 characters"),
    ],
)
def test_a_guest_without_a_name_or_with_a_bad_email_is_refused(
    client_as, meeting, member, data, message
):
    answer = client_as(member).post(
        reverse("meetings:attendance_guest", args=[meeting.pk]), data, **HTMX
    )
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert not meeting.attendance.filter(status=Attendance.Status.GUEST).exists()


def test_someone_is_taken_off_the_list(client_as, meeting, member, viewer):
    row = row_of(meeting, viewer)
    answer = client_as(member).post(reverse("meetings:attendance_remove", args=[row.pk]), **HTMX)
    assert answer.status_code == 200
    assert not meeting.attendance.filter(user=viewer).exists()


def test_the_attendance_of_a_cancelled_meeting_is_read_only(
    client_as, meeting, member, manager, viewer
):
    services.meeting_cancel(meeting=meeting, by=manager)
    row = row_of(meeting, viewer)
    html = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert "This meeting is cancelled: its agenda and attendance are read-only." in html
    assert "aria-pressed" not in html
    answer = client_as(member).post(
        reverse("meetings:attendance_set", args=[row.pk]), {"status": "present"}, **HTMX
    )
    assert answer.status_code == 422
    assert "This meeting is cancelled." in answer.content.decode()


def test_viewers_may_not_change_attendance(client_as, meeting, viewer):
    row = row_of(meeting, viewer)
    answer = client_as(viewer).post(
        reverse("meetings:attendance_set", args=[row.pk]), {"status": "present"}
    )
    assert answer.status_code == 403
    row.refresh_from_db()
    assert row.status == Attendance.Status.INVITED


def test_a_hostile_guest_name_is_escaped(client_as, meeting, member):
    client_as(member).post(
        reverse("meetings:attendance_guest", args=[meeting.pk]),
        {"guest-name": "<script>alert(1)</script>"},
    )
    html = client_as(member).get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
