"""The programme roadmap and milestone trend: lanes, slipped milestones, dependencies."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.planning import roadmap, services
from schakel.planning.models import Baseline, ProjectPlan, Task
from schakel.portfolio.models import Project

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def plans(org, manager):
    for project in (org.project, org.sibling):
        ProjectPlan.objects.create(project=project, start=MONDAY)
    design = services.task_create(project=org.project, by=manager, name="Design", duration=3)
    ready = services.task_create(project=org.project, by=manager, name="Design ready",
                                 milestone=True)  # fmt: skip
    services.link_create(predecessor=design, successor=ready, by=manager)
    live = services.task_create(project=org.sibling, by=manager, name="Policy live",
                                milestone=True)  # fmt: skip
    services.link_create(predecessor=ready, successor=live, by=manager)
    baseline = services.baseline_create(project=org.project, name="Approved", by=manager)
    Baseline.objects.filter(pk=baseline.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    design = Task.objects.get(pk=design.pk)
    services.task_update(task=design, version=design.version, by=manager, duration=5)
    return org


def test_lanes_milestones_baselines_and_dependencies(plans):
    lanes, dependencies = roadmap.roadmap(Project.objects.filter(programme=plans.programme))

    odi = next(lane for lane in lanes if lane.key == "ODI")
    (ready,) = odi.milestones
    assert ready.date == datetime.date(2026, 3, 6)
    assert ready.baseline == datetime.date(2026, 3, 4)
    assert [(d.from_project, d.to_project) for d in dependencies] == [("ODI", "POL")]


def test_the_trend_has_a_forecast_per_baseline_and_today(plans):
    trend, dates = roadmap.milestone_trend(Project.objects.filter(programme=plans.programme))

    ready = next(m for m in trend if m.name == "ODI Design ready")
    assert sorted(ready.forecasts.values()) == [
        datetime.date(2026, 3, 4),
        datetime.date(2026, 3, 6),
    ]
    assert len(dates) == 2


def test_the_page_draws_both_charts_for_what_the_reader_sees(client_as, plans, viewer):
    page = client_as(viewer).get(reverse("planning:programme_roadmap", args=[plans.programme.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="roadmap"' in text and 'id="mta"' in text
    assert "Design ready" in text
    assert "Policy live" not in text  # the viewer sees ODI only
    # Design ready: March 2026, not done, and two working days after its baseline.
    assert (page.context["late"], page.context["slipped"]) == (1, 1)


def test_the_trend_takes_forecasts_from_approved_reports_and_prefers_what_is_ahead(
    plans, manager, pmo, monkeypatch
):
    from schakel.reporting.models import StatusReport
    from schakel.reporting.tests.pages import make_cycle

    monkeypatch.setattr(roadmap, "MAX_TREND_MILESTONES", 3)
    soon = timezone.localdate() + datetime.timedelta(days=60)
    ahead = services.task_create(
        project=plans.project, by=manager, name="Go live", milestone=True,
        constraint="SNET", constraint_date=soon,
    )  # fmt: skip
    cycle = make_cycle(plans, pmo)
    period_end = datetime.date(2026, 4, 30)
    StatusReport.objects.create(
        cycle=cycle, project=plans.project, period_start=datetime.date(2026, 4, 1),
        period_end=period_end, due=period_end, status=StatusReport.Status.APPROVED,
        milestones=[{"title": "design ready", "baseline": "2026-03-04",
                     "forecast": "2026-03-09", "done": False}],
    )  # fmt: skip
    StatusReport.objects.create(
        cycle=cycle, project=plans.project, period_start=datetime.date(2026, 5, 1),
        period_end=datetime.date(2026, 5, 31), due=datetime.date(2026, 5, 31),
        status=StatusReport.Status.DRAFT,  # not approved: not a reporting date
        milestones=[{"title": "Design ready", "forecast": "2026-12-01"}],
    )  # fmt: skip

    trend, dates = roadmap.milestone_trend(Project.objects.filter(programme=plans.programme))

    names = [m.name for m in trend]
    assert "ODI Go live" in names  # ahead of today: always drawn
    assert names.index("ODI Go live") == len(names) - 1  # soonest first, ahead last
    ready = next(m for m in trend if m.name == "ODI Design ready")
    assert ready.forecasts[period_end] == datetime.date(2026, 3, 9)
    assert datetime.date(2026, 5, 31) not in dates
    finish = Task.objects.get(pk=ahead.pk).finish
    assert finish is not None and finish > timezone.localdate()
