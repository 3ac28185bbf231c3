"""Reviewing the actions of earlier meetings from the chair view: done or re-planned."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from schakel.meetings import services
from schakel.meetings.models import Outcome, Standing
from schakel.registers import services as register_services
from schakel.registers.models import Action
from schakel.registers.tests import factories as items

from . import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def series_meetings(org, manager, member):
    """Two meetings of a series; the first created an action that the second reviews."""
    steering = factories.series(org.project, manager, chair=manager)
    first, second = services.series_plan(series=steering, by=manager, count=2)
    action = services.outcome_capture(
        meeting=first,
        agenda_item=first.agenda.all()[0],
        kind="action",
        scope=org.project,
        by=manager,
        title="Send the business case",
        owner=member,
        due=timezone.localdate() + datetime.timedelta(days=3),
    )
    services.meeting_start(meeting=second, by=manager)
    return first, second, action


def _review(meeting, action) -> str:
    return reverse("meetings:action_review", args=[meeting.pk, action.pk])


def test_previous_actions_show_in_the_side_panel_and_the_standing_item(
    org, manager, series_meetings
):
    _first, second, action = series_meetings
    content = client_for(manager).get(reverse("meetings:chair", args=[second.pk])).content
    text = content.decode()
    assert text.count(f'data-review-row="{action.pk}"') == 2  # side panel + standing item
    assert "Open actions from earlier meetings" in text


def test_marking_a_previous_action_done_records_it_in_this_meeting(org, manager, series_meetings):
    _first, second, action = series_meetings
    standing = second.agenda.get(standing=Standing.PREVIOUS_ACTIONS)
    response = client_for(manager).post(
        _review(second, action),
        {"op": "done", "version": action.version, "agenda_item": standing.pk},
        **HTMX,
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    reviewed = Outcome.objects.get(meeting=second, role=Outcome.Role.REVIEWED)
    assert (reviewed.item_id, reviewed.agenda_item, reviewed.note) == (action.pk, standing, "Done")
    content = response.content.decode()
    assert "review-closed" in content and "data-fresh" in content
    assert 'name="op" value="done"' not in content  # nothing left to do on a closed action


def test_re_planning_moves_the_due_date(org, manager, series_meetings):
    _first, second, action = series_meetings
    new_due = timezone.localdate() + datetime.timedelta(days=30)
    response = client_for(manager).post(
        _review(second, action),
        {"op": "replan", "version": action.version, "due": new_due.isoformat()},
        **HTMX,
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.due == new_due and action.status == Action.Status.OPEN
    assert f"due {new_due.isoformat()}" in response.content.decode()


def test_a_stale_version_is_reported_and_nothing_is_overwritten(
    org, manager, member, series_meetings
):
    _first, second, action = series_meetings
    old_version = action.version
    register_services.item_update(item=action, version=action.version, by=member, title="Renamed")
    response = client_for(manager).post(
        _review(second, action), {"op": "done", "version": old_version}, **HTMX
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this action" in content and "Renamed" in content
    assert f'name="version" value="{old_version + 1}"' in content
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
    assert not Outcome.objects.filter(role=Outcome.Role.REVIEWED).exists()


def test_bad_input_is_refused_with_422_and_the_row_says_why(org, manager, series_meetings):
    _first, second, action = series_meetings
    client = client_for(manager)
    for payload in (
        {"op": "replan", "version": action.version, "due": "31-12-2030"},
        {"op": "replan", "version": action.version, "due": "2030-02-30"},
        {"op": "explode", "version": action.version},
        {"op": "done"},
    ):
        response = client.post(_review(second, action), payload, **HTMX)
        assert response.status_code == 422, payload
        assert "row-error" in response.content.decode()
    action.refresh_from_db()
    assert action.version == 1 and action.status == Action.Status.OPEN


def test_only_actions_of_earlier_meetings_of_the_series_can_be_reviewed(
    org, manager, series_meetings
):
    _first, second, _action = series_meetings
    loose = items.action(org.project, manager, title="Not from a meeting")
    response = client_for(manager).post(
        _review(second, loose), {"op": "done", "version": loose.version}, **HTMX
    )
    assert response.status_code == 404
    loose.refresh_from_db()
    assert loose.status == Action.Status.OPEN


def test_a_viewer_cannot_review_actions(org, viewer, series_meetings):
    _first, second, action = series_meetings
    response = client_for(viewer).post(
        _review(second, action), {"op": "done", "version": action.version}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
