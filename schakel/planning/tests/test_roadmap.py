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
