"""Milestones in the personal calendar feed: the projects I see, within the feed's window."""

from __future__ import annotations

import datetime

import pytest
import vobject
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.models import Membership
from schakel.accounts.services import feed_token_rotate
from schakel.meetings.calendar import FEED_SOURCES, feed_events
from schakel.planning import services
from schakel.planning.calendar import milestone_events
from schakel.planning.models import Task
from schakel.portfolio.tests.factories import ProjectFactory

from .milestone_plans import MONDAY, next_monday, slipping_plan

pytestmark = pytest.mark.django_db

BEFORE = MONDAY - datetime.timedelta(days=7)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://pmo.example.org"


@pytest.fixture
def plans(org, manager):
    slipping_plan(org.project, manager)
    slipping_plan(org.sibling, manager)
    return org


def summaries(events):
    return {event.summary: event for event in events}


def test_planning_adds_its_source_to_every_feed():
    assert milestone_events in FEED_SOURCES


def test_each_milestone_is_an_all_day_event_linking_to_the_plan(plans, viewer):
    events = summaries(milestone_events(viewer, today=BEFORE))
    ready = events["◆ ODI Design ready"]
    assert ready.start == ready.end == datetime.date(2026, 3, 10)
    plan_url = "https://pmo.example.org" + reverse("planning:project_plan", args=[plans.project.pk])
    assert ready.url == plan_url and plan_url in ready.description
    assert "Baseline 4 Mar 2026: 4 working days later." in ready.description
    assert ready.uid.startswith("milestone-") and ready.uid.endswith("@pmo.example.org")
    assert "No baseline yet." in events["◆ ODI Launch"].description
    assert "on time" in events["◆ ODI Kick-off"].description
    assert "Done." in events["◆ ODI Kick-off"].description


def test_a_milestone_of_a_project_i_cannot_see_is_absent(plans, viewer, manager):
    mine = summaries(milestone_events(viewer, today=BEFORE))
    assert "◆ ODI Design ready" in mine
    assert not any(summary.startswith("◆ POL") for summary in mine)
    both = summaries(milestone_events(manager, today=BEFORE))
    assert "◆ POL Design ready" in both


def test_losing_the_role_empties_the_feed(plans, viewer):
    Membership.objects.filter(user=viewer).delete()
    assert milestone_events(viewer, today=BEFORE) == []


def test_only_milestones_within_the_window_are_in_the_feed(plans, viewer):
    assert milestone_events(viewer, today=MONDAY + datetime.timedelta(days=400)) == []
    assert milestone_events(viewer, today=MONDAY - datetime.timedelta(days=400)) == []


def test_the_feed_reads_a_fixed_number_of_queries(org, manager):
    slipping_plan(org.project, manager)

    def count():
        with CaptureQueriesContext(connection) as captured:
            events = milestone_events(manager, today=BEFORE)
        return len(captured), len(events)

    few, found = count()
    for _ in range(3):
        slipping_plan(ProjectFactory(programme=org.programme), manager)
    many, more = count()
    assert more > found and many == few


def test_the_fetched_feed_holds_my_milestones(org, manager, viewer):
    start = next_monday(timezone.localdate())
    slipping_plan(org.project, manager, start=start)
    slipping_plan(org.sibling, manager, start=start)
    _token, key = feed_token_rotate(user=viewer)
    response = Client().get(reverse("meetings:feed", args=[key]))
    assert response.status_code == 200
    calendar = vobject.readOne(response.content.decode())
    events = {e.summary.value: e for e in calendar.contents.get("vevent", [])}
    ready = events["◆ ODI Design ready"]
    task = Task.objects.get(project=org.project, name="Design ready")
    assert ready.dtstart.value == task.finish  # an all-day event on the forecast date
    assert not any(name.startswith("◆ POL") for name in events)
    assert len(feed_events(viewer)) == len(events)


def test_a_removed_milestone_leaves_the_feed(org, manager, viewer):
    tasks = slipping_plan(org.project, manager)
    launch = tasks["Launch"]
    services.task_delete(task=launch, version=launch.version, by=manager)
    assert "◆ ODI Launch" not in summaries(milestone_events(viewer, today=BEFORE))
