"""Milestones as reports, the cockpit and calendars read them: slip, late, done, counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakel.planning import milestones
from schakel.planning.models import Baseline, CalendarException, ProjectPlan
from schakel.portfolio import access as portfolio_access
from schakel.portfolio.tests.factories import ProjectFactory

from .milestone_plans import MONDAY, slipping_plan

pytestmark = pytest.mark.django_db

THURSDAY = MONDAY + datetime.timedelta(days=3)


@pytest.fixture
def plan(org, manager):
    return slipping_plan(org.project, manager)


def by_name(project, today=THURSDAY):
    found = milestones.project_milestones([project.pk], today=today)[project.pk]
    return {m.name: m for m in found}


def test_the_slip_is_counted_in_working_days(org, plan):
    ready = by_name(org.project)["Design ready"]
    assert (ready.baseline, ready.forecast) == (
        datetime.date(2026, 3, 4),
        datetime.date(2026, 3, 10),
    )
    assert ready.slipped
    assert ready.slip_days == 4  # six calendar days, a weekend between
    assert milestones.SLIP_UNIT == "working days"


def test_the_slip_follows_the_plans_own_calendar(org, plan):
    calendar = ProjectPlan.objects.get(project=org.project)
    CalendarException.objects.create(plan=calendar, day=datetime.date(2026, 3, 9))
    # Only the counting changes here: the dates stay as they were scheduled.
    assert by_name(org.project)["Design ready"].slip_days == 3


def test_a_milestone_is_late_once_its_forecast_or_baseline_has_passed(org, plan):
    found = by_name(org.project)
    assert found["Design ready"].late  # baseline 4 March has passed, forecast 10 March not
    assert not found["Build done"].late
    assert not found["Kick-off"].late  # done
    later = by_name(org.project, today=datetime.date(2026, 3, 18))
    assert later["Launch"].late  # no baseline, but its forecast has passed


def test_done_milestones_are_not_next_but_count_when_slipped(org, plan, manager):
    status = milestones.milestone_status([org.project], THURSDAY)[org.project.pk]
    assert [m.name for m in status.next] == ["Design ready", "Build done", "Launch"]
    assert status.first is not None and status.first.name == "Design ready"
    assert (status.total, status.slipped, status.late, status.worst_slip) == (4, 2, 1, 4)
    assert not by_name(org.project)["Kick-off"].slipped
    assert by_name(org.project)["Kick-off"].done


def test_next_milestones_are_capped_per_project(org, plan):
    found = milestones.next_milestones([org.project], today=THURSDAY, per_project=2)
    assert [m.name for m in found[org.project.pk]] == ["Design ready", "Build done"]


def test_without_a_baseline_nothing_slips(org, manager):
    slipping_plan(org.project, manager)
    Baseline.objects.filter(project=org.project).delete()
    status = milestones.milestone_status([org.project], THURSDAY)[org.project.pk]
    assert (status.slipped, status.worst_slip) == (0, None)
    assert all(m.baseline is None and m.slip_days is None for m in status.next)
    assert status.late == 0  # nothing has passed its forecast on Thursday


def test_the_newest_baseline_counts(org, plan, manager):
    from schakel.planning import services

    services.baseline_create(project=org.project, name="Re-planned", by=manager)
    status = milestones.milestone_status([org.project], THURSDAY)[org.project.pk]
    assert status.slipped == 0


def test_only_the_projects_asked_for_are_read(org, plan, manager, viewer):
    slipping_plan(org.sibling, manager)
    everything = milestones.milestone_status([org.project, org.sibling], THURSDAY)
    assert set(everything) == {org.project.pk, org.sibling.pk}
    seen = milestones.milestone_status(portfolio_access.visible_projects(viewer), THURSDAY)
    assert set(seen) == {org.project.pk}  # the viewer sees ODI only


def test_a_project_without_a_plan_has_no_entry(org, plan):
    assert milestones.milestone_status([org.other_project], THURSDAY) == {}


def _queries(projects):
    with CaptureQueriesContext(connection) as captured:
        milestones.milestone_status(projects, THURSDAY)
    return len(captured)


def test_the_queries_do_not_grow_with_the_projects(org, plan, manager):
    few = _queries([org.project])
    for _ in range(4):
        slipping_plan(ProjectFactory(programme=org.programme), manager)
    many = milestones.milestone_status(list(org.programme.projects.all()), THURSDAY)
    assert len(many) == 5
    assert _queries(list(org.programme.projects.all())) == few == 3


def test_without_slipped_milestones_one_query_is_enough(org, manager):
    slipping_plan(org.project, manager, slip=0)
    assert _queries([org.project]) == 1


def test_a_report_takes_the_milestones_done_in_its_period_and_the_next_ones(org, plan):
    rows, names = milestones.report_milestones(
        org.project,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 4),
        today=THURSDAY,
    )
    assert [r["title"] for r in rows] == ["Kick-off", "Design ready", "Build done", "Launch"]
    assert rows[0] == {"title": "Kick-off", "baseline": "2026-03-02", "forecast": "2026-03-02",
                       "done": True}  # fmt: skip
    assert rows[1]["baseline"] == "2026-03-04" and rows[1]["forecast"] == "2026-03-10"
    assert names == {"kick-off", "design ready", "build done", "launch"}
    later, _names = milestones.report_milestones(
        org.project,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30),
        today=THURSDAY,
        limit=2,
    )
    assert [r["title"] for r in later] == ["Design ready", "Build done"]  # done before April
