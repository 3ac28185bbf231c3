"""Key milestones of a status report taken from the project's plan: when the report is
started, with the "Take milestones from the plan" button, and on the report's timeline."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from schakel.lib.services import StaleVersionError
from schakel.planning import services as planning
from schakel.planning.models import Baseline, Task
from schakel.planning.tests.milestone_plans import next_monday, slipping_plan
from schakel.reporting import services
from schakel.reporting.models import StatusReport
from schakel.reporting.tests.pages import make_cycle, start

pytestmark = pytest.mark.django_db

MANUAL = {"title": "Permit granted", "baseline": "2026-01-05", "forecast": None, "done": False}


def _periods(cycle):
    """The period before the reporting period, and the reporting period."""
    return services.core_cycle(cycle).periods_before(timezone.localdate(), 2)


@pytest.fixture
def cycle(org, pmo):
    return make_cycle(org, pmo)


@pytest.fixture
def plan(org, manager, cycle):
    """ODI's plan starts on the first Monday of the reporting period."""
    period = services.reporting_period(cycle)
    first = next_monday(period.start - datetime.timedelta(days=1))
    return slipping_plan(org.project, manager, start=first)


def _row(task, *, baseline=None, done=False):
    return {
        "title": task.name,
        "baseline": baseline,
        "forecast": task.finish.isoformat(),
        "done": done,
    }


def _baselines(project):
    newest = Baseline.objects.filter(project=project).first()
    assert newest is not None
    return {row.task_id: str(row.finish) for row in newest.tasks.all()}


def test_a_new_report_takes_its_milestones_from_the_plan(org, manager, cycle, plan):
    report = start(cycle, org.project, manager)
    kept = _baselines(org.project)
    names = ["Kick-off", "Design ready", "Build done", "Launch"]
    assert [m["title"] for m in report.milestones] == names
    assert report.milestones[0] == _row(
        plan["Kick-off"], baseline=kept[plan["Kick-off"].pk], done=True
    )
    ready = report.milestones[1]
    assert ready == _row(plan["Design ready"], baseline=kept[plan["Design ready"].pk])
    assert ready["forecast"] > ready["baseline"]  # it slipped
    assert report.milestones[3]["baseline"] is None  # Launch came after the baseline


def test_the_plan_is_merged_over_the_copy_of_the_last_report(org, manager, cycle, plan):
    before, now = _periods(cycle)
    earlier = services.report_start(cycle=cycle, project=org.project, period=before, by=manager)
    stale = {"title": "design READY", "baseline": "2000-01-03", "forecast": "2000-01-03"}
    services.report_update(
        report=earlier, version=earlier.version, by=manager, milestones=[stale, MANUAL]
    )
    report = services.report_start(cycle=cycle, project=org.project, period=now, by=manager)
    titles = [m["title"] for m in report.milestones]
    assert titles == ["Kick-off", "Design ready", "Build done", "Launch", "Permit granted"]
    assert report.milestones[1]["forecast"] == plan["Design ready"].finish.isoformat()
    assert report.milestones[-1] == MANUAL  # added by hand: it stays


def test_a_plan_without_baseline_keeps_the_baseline_of_the_copy(org, manager, cycle, plan):
    Baseline.objects.filter(project=org.project).delete()
    before, now = _periods(cycle)
    earlier = services.report_start(cycle=cycle, project=org.project, period=before, by=manager)
    agreed = {"title": "Build done", "baseline": "2026-01-05", "forecast": "2026-01-05"}
    services.report_update(report=earlier, version=earlier.version, by=manager, milestones=[agreed])
    report = services.report_start(cycle=cycle, project=org.project, period=now, by=manager)
    build = next(m for m in report.milestones if m["title"] == "Build done")
    assert build["baseline"] == "2026-01-05"
    assert build["forecast"] == plan["Build done"].finish.isoformat()


def test_without_a_plan_the_copy_stays_as_it_was(org, manager, cycle):
    before, now = _periods(cycle)
    earlier = services.report_start(cycle=cycle, project=org.project, period=before, by=manager)
    assert earlier.milestones == []
    services.report_update(report=earlier, version=earlier.version, by=manager, milestones=[MANUAL])
    report = services.report_start(cycle=cycle, project=org.project, period=now, by=manager)
    assert report.milestones == [MANUAL]


def test_a_cycle_without_a_milestone_section_takes_none(org, pmo, manager, plan):
    sections = ["summary", "risks"]
    other = make_cycle(org, pmo, name="Short report", sections=sections)
    assert start(other, org.project, manager).milestones == []


# The button ------------------------------------------------------------------------------


def _take(client, report, version):
    url = reverse("reporting:report_milestones_from_plan", args=[report.pk])
    return client.post(url, {"version": str(version)})


def test_the_edit_page_offers_the_button_and_draws_the_timeline(org, manager, cycle, plan):
    report = start(cycle, org.project, manager)
    html = client_for(manager).get(reverse("reporting:report_edit", args=[report.pk])).content
    text = html.decode()
    assert "Take milestones from the plan" in text
    assert reverse("reporting:report_milestones_from_plan", args=[report.pk]) in text
    assert 'id="report-milestones"' in text and "<script" not in text.split("<svg", 1)[1]


def test_without_a_plan_there_is_no_button(org, manager, cycle):
    report = start(cycle, org.project, manager)
    html = client_for(manager).get(reverse("reporting:report_edit", args=[report.pk])).content
    assert b"Take milestones from the plan" not in html


def test_the_button_refills_the_milestones_from_the_plan(org, manager, cycle, plan):
    report = start(cycle, org.project, manager)
    services.report_update(report=report, version=report.version, by=manager, milestones=[MANUAL])
    report.refresh_from_db()
    design = Task.objects.get(pk=plan["Design"].pk)
    planning.task_update(task=design, version=design.version, by=manager, duration=12)
    response = _take(client_for(manager), report, report.version)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_edit", args=[report.pk])
    report.refresh_from_db()
    titles = [m["title"] for m in report.milestones]
    assert titles == ["Kick-off", "Design ready", "Build done", "Launch", "Permit granted"]
    ready = Task.objects.get(pk=plan["Design ready"].pk)
    assert report.milestones[1]["forecast"] == str(ready.finish)  # the new date


def test_a_stale_version_is_refused_with_409(org, manager, cycle, plan):
    report = start(cycle, org.project, manager)
    services.report_update(report=report, version=report.version, by=manager, milestones=[MANUAL])
    response = _take(client_for(manager), report, report.version)  # the version before
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    report.refresh_from_db()
    assert report.milestones == [MANUAL]
    with pytest.raises(StaleVersionError):
        services.milestones_from_plan(report=report, version=report.version - 1, by=manager)


def _approved(cycle, project, manager, pmo):
    report = start(cycle, project, manager)
    ratings = dict.fromkeys(cycle.dimension_keys, ("green", ""))
    report = services.report_update(
        report=report, version=report.version, by=manager, overall="green", ratings=ratings
    )
    report = services.report_submit(report=report, version=report.version, by=manager)
    return services.report_approve(report=report, version=report.version, by=pmo)


def test_an_approved_report_is_refused(org, pmo, manager, cycle, plan):
    report = _approved(cycle, org.project, manager, pmo)
    before = list(report.milestones)
    Task.objects.filter(project=org.project, name="Launch").delete()
    response = _take(client_for(pmo), report, report.version)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == StatusReport.Status.APPROVED and report.milestones == before
    with pytest.raises(ValidationError):
        services.milestones_from_plan(report=report, version=report.version, by=pmo)


def test_a_plan_without_milestones_is_said_so(org, manager, cycle):
    report = start(cycle, org.project, manager)
    with pytest.raises(ValidationError) as refused:
        services.milestones_from_plan(report=report, version=report.version, by=manager)
    assert "no scheduled milestones" in str(refused.value)


def test_an_approved_report_draws_its_own_milestones_without_reading_the_plan(
    org, pmo, manager, cycle, plan
):
    report = _approved(cycle, org.project, manager, pmo)
    ready = next(m for m in report.milestones if m["title"] == "Design ready")
    design = Task.objects.get(pk=plan["Design"].pk)
    planning.task_update(task=design, version=design.version, by=manager, duration=20)
    url = reverse("reporting:report_detail", args=[report.pk])
    client = client_for(pmo)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and 'id="report-milestones"' in text
    assert f'data-date="{ready["forecast"]}"' in text  # the date the report holds
    assert not any("planning_task" in q["sql"] for q in queries.captured_queries)
