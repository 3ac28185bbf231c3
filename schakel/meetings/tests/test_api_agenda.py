"""The agenda in the API: items, notes, order, standing items and linked register items."""

from __future__ import annotations

import pytest
from django.utils import timezone

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.meetings import services
from schakel.meetings.minutes import minutes_publish
from schakel.meetings.models import AgendaItem, AgendaLink, Standing
from schakel.meetings.tests import factories
from schakel.registers.tests import factories as items
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _meeting(org, by, **fields):
    return factories.meeting(org.project, by, **fields)


def test_the_agenda_lists_in_order_for_whoever_sees_the_meeting(org, manager, viewer):
    meeting = _meeting(org, manager)
    response = api_client(viewer).get(f"{API}/meetings/{meeting.pk}/agenda-items/")
    assert response.status_code == 200
    assert [(a["position"], a["title"]) for a in response.json()] == [
        (0, "Progress"),
        (1, "Planning"),
    ]


def test_the_chair_adds_an_item_at_the_end(org, manager, member):
    meeting = _meeting(org, manager, chair=member)
    response = api_client(member).post(
        f"{API}/meetings/{meeting.pk}/agenda-items/",
        {"title": "Budget", "minutes": 15, "presenter": member.pk, "standing": ""},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["position"], response.json()["presenter"]["username"]) == (
        2,
        "member",
    )
    assert meeting.agenda.count() == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x", "minutes": 5000}, "minutes"),
        ({"title": "x", "position": 0}, "position"),
        ({"title": "x", "version": 2}, "version"),
        ({"title": "x", "meeting": 1}, "meeting"),
        ({"title": "x", "standing": "gossip"}, "standing"),
    ],
)
def test_adding_refuses_bad_fields(org, manager, body, field):
    meeting = _meeting(org, manager)
    response = api_client(manager).post(
        f"{API}/meetings/{meeting.pk}/agenda-items/", body, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert meeting.agenda.count() == 2


def test_a_presenter_outside_the_scope_is_refused(org, pmo):
    meeting = _meeting(org, pmo)
    carer = UserFactory(username="carer")
    Membership.objects.create(user=carer, project=org.other_project, role=Role.MEMBER)
    response = api_client(pmo).post(
        f"{API}/meetings/{meeting.pk}/agenda-items/",
        {"title": "Care", "presenter": carer.pk},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["presenter"]
    assert meeting.agenda.count() == 2


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_those_who_do_not_run_the_meeting_may_not_add(request, org, manager, who):
    meeting = _meeting(org, manager)
    response = api_client(request.getfixturevalue(who)).post(
        f"{API}/meetings/{meeting.pk}/agenda-items/", {"title": "Mine"}, format="json"
    )
    assert response.status_code == 403
    assert meeting.agenda.count() == 2


def test_the_minute_taker_writes_notes_with_the_version(org, manager, member):
    meeting = _meeting(org, manager, minute_taker=member)
    item = meeting.agenda.get(position=0)
    url = f"{API}/agenda-items/{item.pk}/"
    client = api_client(member)
    assert client.patch(url, {"notes": "Green."}, format="json").status_code == 400
    response = client.patch(url, {"notes": "All **green**.", "version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["notes"], response.json()["version"]) == ("All **green**.", 2)
    stale = client.patch(url, {"notes": "Overwrite", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["notes"] == "All **green**."
    assert AgendaItem.objects.get(pk=item.pk).notes == "All **green**."


@pytest.mark.parametrize(
    ("field", "value"), [("position", 5), ("meeting", 1), ("links", []), ("id", 9)]
)
def test_changing_an_item_refuses_protected_fields(org, manager, field, value):
    item = _meeting(org, manager).agenda.get(position=0)
    response = api_client(manager).patch(
        f"{API}/agenda-items/{item.pk}/", {field: value, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert AgendaItem.objects.get(pk=item.pk).version == 1


def test_an_item_is_seen_with_its_meeting_and_changed_by_those_who_run_it(
    org, manager, viewer, outsider
):
    item = _meeting(org, manager).agenda.get(position=0)
    url = f"{API}/agenda-items/{item.pk}/"
    assert api_client(viewer).get(url).status_code == 200
    assert api_client(outsider).get(url).status_code == 404
    assert (
        api_client(viewer).patch(url, {"title": "x", "version": 1}, format="json").status_code
        == 403
    )
    assert api_client(outsider).delete(url).status_code == 404
    assert api_client(viewer).delete(url).status_code == 403
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_an_item_with_captured_outcomes_stays(org, manager):
    meeting = _meeting(org, manager)
    item, spare = meeting.agenda.order_by("position")
    services.outcome_capture(
        meeting=meeting, agenda_item=item, kind="action", scope=org.project, by=manager, title="A"
    )
    client = api_client(manager)
    assert client.delete(f"{API}/agenda-items/{item.pk}/").status_code == 400
    assert client.delete(f"{API}/agenda-items/{spare.pk}/").status_code == 204
    assert list(meeting.agenda.all()) == [item]


def test_a_published_agenda_is_read_only(org, manager):
    meeting = _meeting(org, manager)
    meeting = services.meeting_end(meeting=meeting, by=manager)
    minutes_publish(meeting=meeting, version=meeting.version, by=manager)
    item = meeting.agenda.get(position=0)
    response = api_client(manager).patch(
        f"{API}/agenda-items/{item.pk}/", {"notes": "Late", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "reopen" in str(response.json())


def test_reordering_needs_every_item_once(org, manager):
    meeting = _meeting(org, manager)
    first, second = meeting.agenda.order_by("position")
    url = f"{API}/meetings/{meeting.pk}/reorder/"
    client = api_client(manager)
    for body in (
        {"order": [first.pk]},
        {"order": [first.pk, first.pk]},
        {"order": "backwards"},
        {"order": [first.pk, 99999999999999999999]},
        {},
    ):
        assert client.post(url, body, format="json").status_code == 400, body
    response = client.post(url, {"order": [second.pk, first.pk]}, format="json")
    assert response.status_code == 200
    assert [a["id"] for a in response.json()] == [second.pk, first.pk]


def test_preparing_fills_the_standing_items(org, manager):
    series = factories.series(org.project, manager)
    meeting = services.series_plan(series=series, by=manager)[0]
    due = items.risk(org.project, manager, review_date=timezone.localdate())
    response = api_client(manager).post(f"{API}/meetings/{meeting.pk}/prepare/")
    assert response.status_code == 200
    review = next(a for a in response.json() if a["standing"] == Standing.RISKS_REVIEW)
    assert [link["ref"] for link in review["links"]] == [due.ref]


def test_register_items_of_the_scope_are_linked_and_unlinked(org, pmo, member):
    meeting = _meeting(org, pmo, chair=member)
    item = meeting.agenda.get(position=0)
    risk = items.risk(org.project, pmo)
    url = f"{API}/agenda-items/{item.pk}/links/"
    client = api_client(member)
    response = client.post(url, {"kind": "risk", "id": risk.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["ref"] == risk.ref
    assert [link["ref"] for link in client.get(url).json()] == [risk.ref]
    assert client.delete(f"{url}?kind=risk&id={risk.pk}").status_code == 204
    assert not AgendaLink.objects.exists()


def test_linking_refuses_hidden_items_and_items_of_another_scope(org, pmo, manager):
    meeting = _meeting(org, manager)
    url = f"{API}/agenda-items/{meeting.agenda.get(position=0).pk}/links/"
    hidden = items.risk(org.other_project, pmo)  # the manager cannot see that programme
    sibling = items.risk(org.sibling, pmo)  # seen by the manager, but not ODI's
    client = api_client(manager)
    response = client.post(url, {"kind": "risk", "id": hidden.pk}, format="json")
    assert response.status_code == 400
    assert "does not exist" in response.json()["id"][0]
    response = client.post(url, {"kind": "risk", "id": sibling.pk}, format="json")
    assert response.status_code == 400
    assert "outside the meeting" in response.json()["id"][0]
    junks: list[object] = [{"kind": "meeting", "id": 1}, {"kind": "risk", "id": "x"}, []]
    for junk in junks:
        assert client.post(url, junk, format="json").status_code == 400
    assert not AgendaLink.objects.exists()


def test_links_the_caller_cannot_see_are_left_out(org, pmo, viewer):
    meeting = _meeting(org, pmo)
    item = meeting.agenda.get(position=0)
    services.agenda_link(item=item, target=items.risk(org.other_project, pmo), by=pmo)
    response = api_client(viewer).get(f"{API}/agenda-items/{item.pk}/")
    assert response.status_code == 200
    assert response.json()["links"] == []
    assert len(api_client(pmo).get(f"{API}/agenda-items/{item.pk}/").json()["links"]) == 1
