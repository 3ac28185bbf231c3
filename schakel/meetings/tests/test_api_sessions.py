"""Events in the API: parallel sessions, their capacity, and who takes a place."""

from __future__ import annotations

import datetime

import pytest

from schakel.meetings import services
from schakel.meetings.models import EventSession, Registration
from schakel.meetings.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _event(org, by):
    return factories.meeting(org.project, by, kind="event", title="Workshop afternoon")


def _session(event, by, **fields):
    return services.session_add(meeting=event, by=by, **{"title": "Risk workshop", **fields})


def test_a_manager_adds_sessions_and_everyone_who_sees_the_event_lists_them(
    org, manager, member, viewer
):
    event = _event(org, manager)
    response = api_client(manager).post(
        f"{API}/meetings/{event.pk}/sessions/",
        {"title": "Planning clinic", "room": "2.01", "host": member.pk, "capacity": 12},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["places_left"], response.json()["host"]["username"]) == (12, "member")
    listed = api_client(viewer).get(f"{API}/meetings/{event.pk}/sessions/").json()
    assert [(s["title"], s["registered"]) for s in listed] == [("Planning clinic", 0)]


def test_only_an_event_has_sessions(org, manager):
    meeting = factories.meeting(org.project, manager)
    response = api_client(manager).post(
        f"{API}/meetings/{meeting.pk}/sessions/", {"title": "Side track"}, format="json"
    )
    assert response.status_code == 400
    assert not EventSession.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": "x", "capacity": -1},
        {"title": "x", "capacity": "lots"},
        {"title": "x", "position": 1},
        {"title": "x", "registered": 3},
        {"title": "x", "start": "2030-01-01T12:00:00Z", "end": "2030-01-01T11:00:00Z"},
    ],
    ids=["blank", "negative", "text", "position", "registered", "backwards"],
)
def test_bad_sessions_are_refused(org, manager, body):
    event = _event(org, manager)
    response = api_client(manager).post(f"{API}/meetings/{event.pk}/sessions/", body, format="json")
    assert response.status_code == 400
    assert not EventSession.objects.exists()


def test_a_host_outside_the_scope_is_refused(org, manager, outsider):
    event = _event(org, manager)
    response = api_client(manager).post(
        f"{API}/meetings/{event.pk}/sessions/", {"title": "x", "host": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["host"]


def test_people_who_see_the_event_take_a_place_until_it_is_full(org, manager, member, viewer):
    session = _session(_event(org, manager), manager, capacity=1)
    url = f"{API}/sessions/{session.pk}"
    first = api_client(viewer).post(f"{url}/register/")
    assert first.status_code == 201
    assert first.json()["user"]["username"] == "viewer"
    assert api_client(viewer).post(f"{url}/register/").status_code == 200
    full = api_client(member).post(f"{url}/register/")
    assert full.status_code == 400
    assert "full" in str(full.json())
    assert api_client(viewer).post(f"{url}/unregister/").status_code == 204
    assert api_client(member).post(f"{url}/register/").status_code == 201
    assert [r.user for r in Registration.objects.all()] == [member]


def test_registering_someone_else_is_for_those_who_run_the_event(org, manager, member, viewer):
    session = _session(_event(org, manager), manager)
    url = f"{API}/sessions/{session.pk}/register/"
    refused = api_client(member).post(url, {"user": viewer.pk}, format="json")
    assert refused.status_code == 403
    done = api_client(manager).post(url, {"user": viewer.pk}, format="json")
    assert done.status_code == 201
    assert [r.user for r in Registration.objects.all()] == [viewer]


def test_an_outsider_neither_sees_nor_registers(org, manager, outsider):
    session = _session(_event(org, manager), manager)
    client = api_client(outsider)
    assert client.get(f"{API}/sessions/{session.pk}/").status_code == 404
    assert client.post(f"{API}/sessions/{session.pk}/register/").status_code == 404
    assert not Registration.objects.exists()


def test_a_session_is_changed_and_removed_by_those_who_run_the_event(org, manager, member):
    event = _event(org, manager)
    session = _session(event, manager, capacity=5)
    services.session_register(session=session, user=member, by=member)
    url = f"{API}/sessions/{session.pk}/"
    client = api_client(manager)
    assert api_client(member).patch(url, {"room": "Mine"}, format="json").status_code == 403
    response = client.patch(url, {"room": "Hall", "capacity": 2}, format="json")
    assert response.status_code == 200
    assert (response.json()["room"], response.json()["places_left"]) == ("Hall", 1)
    assert client.patch(url, {"capacity": 0}, format="json").status_code == 400
    later = event.start + datetime.timedelta(hours=1)
    backwards = {"start": later.isoformat(), "end": event.start.isoformat()}
    assert client.patch(url, backwards, format="json").status_code == 400
    assert client.patch(url, {"meeting": 1}, format="json").status_code == 400
    assert api_client(member).delete(url).status_code == 403
    assert client.delete(url).status_code == 204
    assert not EventSession.objects.exists()
    assert not Registration.objects.exists()
