"""Attendance in the API: invite people of the scope, add guests, record who came."""

from __future__ import annotations

import pytest

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings.models import Attendance
from schakel.meetings.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _meeting(org, by, **fields):
    return factories.meeting(org.project, by, **fields)


def _add(user, meeting, body):
    return api_client(user).post(f"{API}/meetings/{meeting.pk}/attendance/", body, format="json")


def test_the_chair_invites_a_person_of_the_scope(org, manager, member, viewer):
    meeting = _meeting(org, manager, chair=member)
    response = _add(member, meeting, {"user": viewer.pk})
    assert response.status_code == 201, response.json()
    assert (response.json()["user"]["username"], response.json()["status"]) == (
        "viewer",
        "invited",
    )
    assert meeting.attendance.filter(user=viewer, invited=True).exists()
    again = _add(member, meeting, {"user": viewer.pk})
    assert (again.status_code, again.json()["id"]) == (200, response.json()["id"])
    assert meeting.attendance.filter(user=viewer).count() == 1


def test_inviting_someone_outside_the_scope_is_refused(org, pmo, manager, outsider):
    meeting = _meeting(org, manager)
    # The manager cannot see the outsider at all: that reads as a missing person.
    response = _add(manager, meeting, {"user": outsider.pk})
    assert response.status_code == 400
    assert "does not exist" in response.json()["user"][0]
    # The PMO sees a member of another project, who has no role in ODI.
    carer = UserFactory(username="carer")
    Membership.objects.create(user=carer, project=org.other_project, role=Role.MEMBER)
    response = _add(pmo, meeting, {"user": carer.pk})
    assert response.status_code == 400
    assert "no role" in response.json()["user"][0]
    assert not meeting.attendance.filter(user__in=[outsider, carer]).exists()


def test_a_guest_is_added_by_name_and_their_address_is_shown_to_runners_only(org, manager, viewer):
    meeting = _meeting(org, manager)
    response = _add(manager, meeting, {"name": "Ann Expert", "email": "ann@example.org"})
    assert response.status_code == 201
    data = response.json()
    assert (data["display_name"], data["status"], data["email"]) == (
        "Ann Expert",
        "guest",
        "ann@example.org",
    )
    seen = api_client(viewer).get(f"{API}/meetings/{meeting.pk}/attendance/").json()
    guest = next(row for row in seen if row["name"] == "Ann Expert")
    assert guest["email"] == ""


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "   "},
        {"user": 1, "name": "Both"},
        {"name": "Ann", "email": "not an address"},
        {"name": "Ann", "status": "dancing"},
        {"name": "Ann", "invited": False},
        {"name": "x" * 151},
    ],
    ids=["empty", "blank", "both", "email", "status", "invited", "long"],
)
def test_bad_attendance_is_refused(org, manager, member, body):
    meeting = _meeting(org, manager)
    if "user" in body:
        body = {**body, "user": member.pk}
    before = meeting.attendance.count()
    assert _add(manager, meeting, body).status_code == 400
    assert meeting.attendance.count() == before


def test_a_user_row_takes_no_email(org, manager, member):
    meeting = _meeting(org, manager)
    response = _add(manager, meeting, {"user": member.pk, "email": "x@example.org"})
    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_attendance_is_recorded_and_rows_removed(org, manager, member):
    meeting = _meeting(org, manager, invitees=[member])
    row = meeting.attendance.get(user=member)
    client = api_client(manager)
    url = f"{API}/attendance/{row.pk}/"
    response = client.patch(url, {"status": "present"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "present"
    assert Attendance.objects.get(pk=row.pk).status == Attendance.Status.PRESENT
    for body in ({"status": "asleep"}, {"user": member.pk}, {"name": "x"}, {}):
        assert client.patch(url, body, format="json").status_code == 400, body
    assert client.delete(url).status_code == 204
    assert not Attendance.objects.filter(pk=row.pk).exists()


def test_attendance_is_seen_with_the_meeting_and_recorded_by_those_who_run_it(
    org, manager, member, viewer, outsider
):
    meeting = _meeting(org, manager, invitees=[member])
    row = meeting.attendance.get(user=member)
    url = f"{API}/attendance/{row.pk}/"
    assert api_client(viewer).get(url).status_code == 200
    assert api_client(outsider).get(url).status_code == 404
    assert api_client(member).patch(url, {"status": "present"}, format="json").status_code == 403
    assert api_client(viewer).delete(url).status_code == 403
    assert api_client(outsider).get(f"{API}/meetings/{meeting.pk}/attendance/").status_code == 404
    assert Attendance.objects.get(pk=row.pk).status == Attendance.Status.INVITED
