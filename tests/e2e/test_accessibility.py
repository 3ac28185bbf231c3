"""axe-core finds no serious or critical accessibility violations on the main pages."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from tests.e2e.conftest import axe_violations, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_login_page_is_accessible(page, org):
    page.goto(page.base_url + "/accounts/login/")
    assert axe_violations(page) == []


def test_the_main_pages_are_accessible(page, org, pmo):
    login(page, "pmo", PASSWORD)
    paths = [
        "/",
        "/portfolios/",
        org.portfolio.get_absolute_url(),
        "/programmes/",
        org.programme.get_absolute_url(),
        "/projects/",
        org.project.get_absolute_url(),
        f"/projects/{org.project.pk}/edit/",
        f"/projects/{org.project.pk}/history/",
        f"/projects/{org.project.pk}/members/",
        f"/programmes/{org.programme.pk}/projects/new/",
        "/search/?q=org",
        "/trash/",
        "/accounts/profile/",
    ]
    found = {}
    for path in paths:
        page.goto(page.base_url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_the_main_pages_are_accessible_on_a_phone(page, org, pmo):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "pmo", PASSWORD)
    found = {}
    for path in ["/", "/projects/", org.project.get_absolute_url()]:
        page.goto(page.base_url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_the_register_pages_are_accessible(page, org, pmo):
    from schakel.registers.tests import factories

    risk = factories.risk(org.project, pmo, owner=pmo)
    factories.action(org.project, pmo, owner=pmo, source=risk)
    login(page, "pmo", PASSWORD)
    paths = [
        "/my-work/",
        "/cockpit/",
        f"/projects/{org.project.pk}/registers/risks/",
        f"/projects/{org.project.pk}/registers/actions/",
        "/registers/decisions/",
        risk.get_absolute_url(),
        f"/projects/{org.project.pk}/heatmap/",
        f"/projects/{org.project.pk}/import/",
    ]
    found = {}
    for path in paths:
        page.goto(page.base_url + path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_the_meeting_pages_are_accessible(page, org, pmo):
    from schakel.meetings import services
    from schakel.meetings.minutes import minutes_publish
    from schakel.meetings.tests import factories

    steering = factories.series(org.programme, pmo, chair=pmo, minute_taker=pmo)
    planned, running = services.series_plan(series=steering, by=pmo, count=2)
    services.agenda_prepare(meeting=planned, by=pmo)
    services.meeting_start(meeting=running, by=pmo)
    services.outcome_capture(
        meeting=running,
        agenda_item=running.agenda.get(position=0),
        kind="action",
        scope=org.project,
        by=pmo,
        title="Send the budget",
        owner=pmo,
    )
    published = factories.meeting(org.project, pmo, chair=pmo)
    published = services.meeting_end(meeting=published, by=pmo)
    minutes_publish(meeting=published, version=published.version, by=pmo)
    event = factories.meeting(org.portfolio, pmo, kind="event", title="Workshops")
    services.session_add(meeting=event, by=pmo, title="Risk workshop", capacity=10)
    login(page, "pmo", PASSWORD)
    paths = [
        "/meetings/",
        f"/programmes/{org.programme.pk}/meetings/",
        steering.get_absolute_url(),
        f"/meeting-series/{steering.pk}/edit/",
        planned.get_absolute_url(),
        f"/meetings/{planned.pk}/edit/",
        f"/meetings/{running.pk}/chair/",
        f"/meetings/{running.pk}/minutes/",
        f"/meetings/{published.pk}/minutes/",
        event.get_absolute_url(),
        f"/programmes/{org.programme.pk}/decision-log/",
        "/calendar/",
    ]
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(page.base_url + path)
            violations = axe_violations(page)
            if violations:
                found[f"{path} @ {width}"] = violations
    assert found == {}


def test_the_reporting_pages_are_accessible(page, org, pmo):
    import datetime

    from schakel.reporting import services

    cycle = services.cycle_create(
        scope=org.programme,
        by=pmo,
        name="Monthly report",
        frequency="monthly",
        anchor=datetime.date.today(),
    )
    period = services.reporting_period(cycle)
    report = services.report_start(cycle=cycle, project=org.project, period=period, by=pmo)
    # An approved report of the sibling, so the consolidated report shows colours and texts.
    approved = services.report_start(cycle=cycle, project=org.sibling, period=period, by=pmo)
    approved = services.report_update(
        report=approved,
        version=approved.version,
        by=pmo,
        ratings=dict.fromkeys(cycle.dimension_keys, ("amber", "Late.")),
        overall="amber",
        overall_reason="Late.",
        summary="On track **apart from** the schedule.",
        escalations="Decide on the go-live date.",
    )
    approved = services.report_submit(report=approved, version=approved.version, by=pmo)
    services.report_approve(report=approved, version=approved.version, by=pmo, comment="")
    login(page, "pmo", PASSWORD)
    paths = [
        "/reports/",
        f"/programmes/{org.programme.pk}/reports/",
        f"/projects/{org.project.pk}/reports/",
        f"/reporting-cycles/{cycle.pk}/",
        f"/reporting-cycles/{cycle.pk}/edit/",
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/edit/",
        f"/reporting-cycles/{cycle.pk}/report/",
    ]
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(page.base_url + path)
            violations = axe_violations(page)
            if violations:
                found[f"{path} @ {width}"] = violations
    assert found == {}
