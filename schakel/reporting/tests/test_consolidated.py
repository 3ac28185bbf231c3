"""The consolidated report of a period: which reports count, colours, trends, visibility."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakel.accounts.models import Membership, Role
from schakel.portfolio.tests.factories import ProjectFactory
from schakel.reporting import consolidated, services
from schakel.reporting.models import StatusReport

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def cycle(org, pmo):
    return services.cycle_create(
        scope=org.programme, by=pmo, name="Monthly", frequency="monthly", anchor=TODAY
    )


def _period(cycle, months_back=0):
    periods = services.core_cycle(cycle).periods_before(TODAY, months_back + 1)
    return periods[0]


def _report(cycle, project, period, by, pmo, colour="green", *, upto="approved", **texts):
    report = services.report_start(cycle=cycle, project=project, period=period, by=by)
    reason = "" if colour == "green" else f"{colour} because"
    report = services.report_update(
        report=report,
        version=report.version,
        by=by,
        ratings=dict.fromkeys(cycle.dimension_keys, (colour, reason)),
        overall=colour,
        overall_reason=reason,
        **texts,
    )
    if upto == "draft":
        return report
    report = services.report_submit(report=report, version=report.version, by=by)
    if upto == "submitted":
        return report
    report = services.report_approve(report=report, version=report.version, by=pmo)
    if upto == "published":
        report = services.report_publish(report=report, version=report.version, by=pmo)
    return report


def test_approved_reports_count_with_arrows_against_the_previous_period(org, cycle, pmo, manager):
    now, before = _period(cycle), _period(cycle, 1)
    _report(cycle, org.project, before, manager, pmo, "red", upto="published")
    _report(cycle, org.project, now, manager, pmo, "amber", summary="Recovering.")
    _report(cycle, org.sibling, now, manager, pmo, "green", upto="submitted")

    data, source = consolidated.build(cycle, now, pmo, language="en")

    odi, pol = data.projects
    assert (odi.key, pol.key) == ("ODI", "POL")
    assert odi.overall.rag == "amber" and odi.overall.previous == "red"
    assert odi.overall.trend == "better"
    assert odi.ratings["budget"].reason == "amber because"
    assert odi.summary == "Recovering."
    assert odi.trend["overall"][-2:] == ["red", "amber"]
    # Submitted but not approved: listed as not received, with its state.
    assert pol.overall.rag == "" and pol.state == "Submitted"
    assert set(source.reports) == {org.project.pk}
    assert data.distribution[-1].amber == 1 and data.distribution[-1].missing == 1
    assert data.distribution[-2].red == 1
    assert [d.key for d in data.dimensions] == cycle.dimension_keys


def test_the_newest_approved_revision_counts_and_a_draft_correction_does_not(
    org, cycle, pmo, manager
):
    now = _period(cycle)
    first = _report(cycle, org.project, now, manager, pmo, "red", upto="published")
    draft = services.report_correct(report=first, by=pmo)
    services.report_update(report=draft, version=draft.version, by=pmo, summary="Changing")

    data, source = consolidated.build(cycle, now, pmo, language="en")

    assert source.reports[org.project.pk].pk == first.pk
    assert data.projects[0].overall.rag == "red"


def test_only_projects_the_reader_sees_are_in_it(org, cycle, pmo, manager, viewer):
    now = _period(cycle)
    _report(cycle, org.project, now, manager, pmo, "green")
    _report(cycle, org.sibling, now, manager, pmo, "red")

    data, _ = consolidated.build(cycle, now, viewer, language="en")

    assert [p.key for p in data.projects] == ["ODI"]
    assert data.distribution[-1].red == 0


def test_labels_dimensions_and_period_follow_the_language(org, cycle, pmo, manager):
    now = _period(cycle)
    _report(cycle, org.project, now, manager, pmo, "green")

    data, _ = consolidated.build(cycle, now, pmo, language="nl")

    assert data.period_label == "oktober 2026"
    assert data.dimensions[0].label == "Planning"
    assert data.labels.overview == "Overzicht"
    assert data.language == "nl"


def test_key_messages_are_saved_with_versions(org, cycle, pmo):
    now = _period(cycle)
    note = services.key_messages_save(
        cycle=cycle, period_end=now.end, text="All on track.", version=0, by=pmo
    )
    with pytest.raises(services.StaleVersionError):
        services.key_messages_save(cycle=cycle, period_end=now.end, text="Other", version=0, by=pmo)
    services.key_messages_save(
        cycle=cycle, period_end=now.end, text="Two late.", version=note.version, by=pmo
    )
    data, _ = consolidated.build(cycle, now, pmo, language="en")
    assert data.key_messages == "Two late."


def test_the_number_of_queries_does_not_grow_with_projects(org, cycle, pmo, manager):
    now, before = _period(cycle), _period(cycle, 1)
    _report(cycle, org.project, now, manager, pmo, "green")

    def count():
        with CaptureQueriesContext(connection) as queries:
            consolidated.build(cycle, now, pmo, language="en")
        return len(queries)

    few = count()
    for n in range(6):
        project = ProjectFactory(programme=org.programme, key=f"P{n}", name=f"Project {n}")
        Membership.objects.create(user=manager, project=project, role=Role.MANAGER)
        cycle.projects.add(project)
        _report(cycle, project, before, manager, pmo, "amber", upto="published")
        _report(cycle, project, now, manager, pmo, "green")
    assert count() == few


def test_project_trend_gives_each_dimension_over_the_periods(org, cycle, pmo, manager):
    periods = services.core_cycle(cycle).periods_before(TODAY, 3)
    for period, colour in zip(periods, ("red", "amber", "green"), strict=True):
        _report(cycle, org.project, period, manager, pmo, colour, upto="published")

    trend = consolidated.project_trend(cycle, org.project, periods[-1], 4)

    assert trend["schedule"] == ["", "red", "amber", "green"]
    assert trend["overall"] == ["", "red", "amber", "green"]
    assert StatusReport.objects.count() == 3
