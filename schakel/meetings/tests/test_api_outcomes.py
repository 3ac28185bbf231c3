"""Outcomes in the API: capture items into the registers, review earlier actions."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from schakel.meetings import services
from schakel.meetings.minutes import minutes_publish
from schakel.meetings.models import Outcome
from schakel.meetings.tests import factories
from schakel.registers import services as register_services
from schakel.registers.models import Action, Decision, Risk
from schakel.registers.tests import factories as items
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _capture(user, meeting, **body):
    return api_client(user).post(f"{API}/meetings/{meeting.pk}/outcomes/", body, format="json")


def test_the_minute_taker_captures_an_action_that_lands_in_the_register(org, manager, member):
    meeting = factories.meeting(org.project, manager, minute_taker=member)
    item = meeting.agenda.get(position=0)
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = _capture(
        member,
        meeting,
        kind="action",
        project=org.project.pk,
        agenda_item=item.pk,
        title="Send the business case",
        owner=member.pk,
        due=due,
        tags=["Board"],
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    action = Action.objects.get(pk=data["id"])
    assert (data["ref"], data["kind"], data["owner"]["username"], data["due"]) == (
        "ODI-A1",
        "action",
        "member",
        due,
    )
    assert response["Location"].endswith(f"/api/v1/actions/{action.pk}/")
    assert Outcome.objects.get(meeting=meeting).agenda_item == item
    # The register shows the same item.
    register = api_client(member).get(f"{API}/actions/{action.pk}/").json()
    assert register["ref"] == data["ref"]
    listed = api_client(member).get(f"{API}/meetings/{meeting.pk}/outcomes/").json()
    assert [(o["kind"], o["role"], o["item"]["ref"]) for o in listed] == [
        ("action", "created", "ODI-A1")
    ]
    assert listed[0]["item"]["api_url"] == response["Location"]


def test_a_decision_takes_the_meeting_as_its_forum(org, manager):
    meeting = factories.meeting(org.project, manager, title="Board of 3 March")
    response = _capture(
        manager, meeting, kind="decision", project=org.project.pk, title="Go", status="approved"
    )
    assert response.status_code == 201
    assert Decision.objects.get(pk=response.json()["id"]).forum == "Board of 3 March"


def test_a_programme_meeting_captures_into_its_projects(org, manager):
    meeting = factories.meeting(org.programme, manager)
    response = _capture(
        manager,
        meeting,
        kind="risk",
        project=org.sibling.pk,
        title="Key person leaves",
        probability=2,
        impact=4,
    )
    assert response.status_code == 201, response.json()
    assert Risk.objects.get(pk=response.json()["id"]).project == org.sibling


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "assumption", "title": "x"}, "kind"),
        ({"title": "x"}, "kind"),
        ({"kind": ["action"], "title": "x"}, "kind"),
        ({"kind": "action"}, "title"),
        ({"kind": "action", "title": "x", "ref": "ODI-A9"}, "ref"),
        ({"kind": "action", "title": "x", "version": 2}, "version"),
        ({"kind": "action", "title": "x", "due": "soon"}, "due"),
        ({"kind": "action", "title": "x", "colour": "red"}, "colour"),
        ({"kind": "action", "title": "x", "agenda_item": "first"}, "agenda_item"),
    ],
)
def test_bad_captures_are_refused_and_create_nothing(org, manager, body, field):
    meeting = factories.meeting(org.project, manager)
    response = _capture(manager, meeting, project=org.project.pk, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Action.objects.exists()
    assert not Outcome.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(org, manager):
    meeting = factories.meeting(org.project, manager)
    response = api_client(manager).post(
        f"{API}/meetings/{meeting.pk}/outcomes/", ["action"], format="json"
    )
    assert response.status_code == 400


def test_an_agenda_item_of_another_meeting_is_refused(org, manager):
    meeting = factories.meeting(org.project, manager)
    other = factories.meeting(org.project, manager)
    response = _capture(
        manager,
        meeting,
        kind="action",
        project=org.project.pk,
        title="x",
        agenda_item=other.agenda.get(position=0).pk,
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["agenda_item"][0]
    assert not Outcome.objects.exists()


def test_a_scope_outside_the_meeting_or_hidden_is_refused(org, manager, pmo):
    meeting = factories.meeting(org.project, manager)
    sibling = _capture(manager, meeting, kind="action", project=org.sibling.pk, title="x")
    assert sibling.status_code == 400
    assert "outside the meeting" in sibling.json()["project"][0]
    hidden = _capture(manager, meeting, kind="action", project=org.other_project.pk, title="x")
    assert hidden.status_code == 400
    assert "does not exist" in hidden.json()["project"][0]
    programme = _capture(pmo, meeting, kind="action", programme=org.programme.pk, title="x")
    assert programme.status_code == 400
    assert "outside the meeting" in programme.json()["programme"][0]
    assert not Action.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_those_who_do_not_run_the_meeting_may_not_capture(request, org, manager, who):
    meeting = factories.meeting(org.project, manager)
    response = _capture(
        request.getfixturevalue(who), meeting, kind="action", project=org.project.pk, title="x"
    )
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_a_published_meeting_takes_no_more_captures(org, manager):
    meeting = services.meeting_end(meeting=factories.meeting(org.project, manager), by=manager)
    minutes_publish(meeting=meeting, version=meeting.version, by=manager)
    response = _capture(manager, meeting, kind="action", project=org.project.pk, title="Late")
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_outcomes_in_the_trash_are_left_out(org, manager):
    meeting = factories.meeting(org.project, manager)
    kept, gone = (
        services.outcome_capture(
            meeting=meeting, agenda_item=None, kind="action", scope=org.project, by=manager, **f
        )
        for f in ({"title": "Kept"}, {"title": "Gone"})
    )
    register_services.item_trash(item=gone, by=manager)
    listed = api_client(manager).get(f"{API}/meetings/{meeting.pk}/outcomes/").json()
    assert [o["item"]["title"] for o in listed] == ["Kept"]
    assert kept.pk == listed[0]["item"]["id"]


# Reviewing earlier actions ----------------------------------------------------------------


def _earlier_action(org, manager, member):
    steering = factories.series(org.project, manager, chair=manager)
    first, second = services.series_plan(series=steering, by=manager, count=2)
    action = services.outcome_capture(
        meeting=first,
        agenda_item=None,
        kind="action",
        scope=org.project,
        by=manager,
        title="Send the figures",
        owner=member,
    )
    return second, action


def test_an_earlier_action_is_marked_done_in_the_next_meeting(org, manager, member):
    second, action = _earlier_action(org, manager, member)
    standing = second.agenda.get(standing="previous_actions")
    response = api_client(manager).post(
        f"{API}/meetings/{second.pk}/action-reviews/",
        {
            "action": action.pk,
            "version": action.version,
            "status": "done",
            "agenda_item": standing.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["version"]) == ("done", 2)
    reviewed = Outcome.objects.get(meeting=second)
    assert (reviewed.role, reviewed.agenda_item) == (Outcome.Role.REVIEWED, standing)


def test_a_replanned_action_with_a_stale_version_answers_409(org, manager, member):
    second, action = _earlier_action(org, manager, member)
    register_services.item_update(item=action, version=1, by=member, title="Send all figures")
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = api_client(manager).post(
        f"{API}/meetings/{second.pk}/action-reviews/",
        {"action": action.pk, "version": 1, "due": due},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["current"]["title"] == "Send all figures"
    assert response.json()["current"]["ref"] == action.ref
    assert not Outcome.objects.filter(meeting=second).exists()


def test_reviewing_refuses_hidden_and_foreign_actions_and_empty_reviews(org, manager, pmo, member):
    second, action = _earlier_action(org, manager, member)
    hidden = items.action(org.other_project, pmo)
    sibling = items.action(org.sibling, pmo)
    url = f"{API}/meetings/{second.pk}/action-reviews/"
    client = api_client(manager)
    response = client.post(url, {"action": hidden.pk, "version": 1, "status": "done"})
    assert response.status_code == 400
    assert "does not exist" in response.json()["action"][0]
    response = client.post(url, {"action": sibling.pk, "version": 1, "status": "done"})
    assert response.status_code == 400
    assert "outside the meeting" in response.json()["action"][0]
    for body in (
        {"action": action.pk, "version": 1},
        {"action": action.pk, "status": "done"},
        {"action": action.pk, "version": 1, "status": "finished"},
        {"action": action.pk, "version": 1, "due": "later"},
    ):
        assert client.post(url, body, format="json").status_code == 400, body
    assert Action.objects.get(pk=action.pk).status == Action.Status.OPEN
    assert not Outcome.objects.filter(meeting=second).exists()


def test_a_viewer_may_not_review(org, manager, member, viewer):
    second, action = _earlier_action(org, manager, member)
    response = api_client(viewer).post(
        f"{API}/meetings/{second.pk}/action-reviews/",
        {"action": action.pk, "version": 1, "status": "done"},
    )
    assert response.status_code == 403
    assert Action.objects.get(pk=action.pk).version == 1
