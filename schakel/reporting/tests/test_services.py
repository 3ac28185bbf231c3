"""The life of a highlight report through its services, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from schakel.accounts.models import Membership, Role
from schakel.lib.services import StaleVersionError
from schakel.registers.tests import factories as items
from schakel.reporting import access, services
from schakel.reporting.models import ReportingCycle, StatusReport

TODAY = datetime.date(2026, 11, 25)


def _cycle(org, by, **fields):
    values = {"name": "Monthly report", "frequency": "monthly", "anchor": TODAY, **fields}
    return services.cycle_create(scope=org.programme, by=by, **values)


def _complete(report, by, colour="green"):
    reason = "" if colour == "green" else "Late"
    ratings = dict.fromkeys(report.cycle.dimension_keys, (colour, reason))
    return services.report_update(
        report=report,
        version=report.version,
        by=by,
        ratings=ratings,
        overall=colour,
        overall_reason="" if colour == "green" else "Behind",
        summary="On track.",
    )


def test_a_cycle_reports_every_project_of_its_programme_by_default(org, pmo):
    cycle = _cycle(org, pmo)
    assert set(cycle.projects.all()) == {org.project, org.sibling}
    with pytest.raises(ValidationError):
        _cycle(org, pmo, projects=[org.other_project])


def test_the_reporting_period_is_the_last_one_that_ended(org, pmo):
    cycle = _cycle(org, pmo)
    period = services.reporting_period(cycle, TODAY)
    assert (period.start, period.end) == (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    # 31 Oct is a Saturday; three working days later: Mon 2, Tue 3, Wed 4 November.
    assert period.due == datetime.date(2026, 11, 4)


def test_a_report_goes_from_draft_to_published(org, pmo, manager):
    cycle = _cycle(org, pmo)
    period = services.reporting_period(cycle, TODAY)
    report = services.report_start(cycle=cycle, project=org.project, period=period, by=manager)
    assert report.status == StatusReport.Status.DRAFT
    assert sorted(r.dimension for r in report.ratings.all()) == sorted(cycle.dimension_keys)
    # Incomplete: refused with what is missing.
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=report, version=report.version, by=manager)
    assert {"overall", "ratings"} <= set(refused.value.message_dict)
    report = _complete(report, manager, colour="amber")
    items.risk(org.project, manager, title="Supplier late", probability=5, impact=5)
    report = services.report_submit(report=report, version=report.version, by=manager)
    assert report.status == StatusReport.Status.SUBMITTED
    assert report.snapshot["risks"][0]["title"] == "Supplier late"
    # Returned without a comment is refused; with one it goes back to the manager.
    with pytest.raises(ValidationError):
        services.report_return(report=report, version=report.version, by=pmo, comment=" ")
    report = services.report_return(
        report=report, version=report.version, by=pmo, comment="Explain the budget."
    )
    report = services.report_update(
        report=report, version=report.version, by=manager, summary="Budget explained."
    )
    report = services.report_submit(report=report, version=report.version, by=manager)
    report = services.report_approve(report=report, version=report.version, by=pmo)
    report = services.report_publish(report=report, version=report.version, by=pmo)
    assert report.status == StatusReport.Status.PUBLISHED and report.published_at
    with pytest.raises(ValidationError):
        services.report_update(report=report, version=report.version, by=pmo, summary="Changed")


def test_a_correction_is_a_new_revision_and_the_old_one_stays(org, pmo, manager):
    cycle = _cycle(org, pmo)
    period = services.reporting_period(cycle, TODAY)
    report = _complete(
        services.report_start(cycle=cycle, project=org.project, period=period, by=manager), manager
    )
    report = services.report_submit(report=report, version=report.version, by=manager)
    report = services.report_approve(report=report, version=report.version, by=pmo)
    first = services.report_publish(report=report, version=report.version, by=pmo)
    second = services.report_correct(report=first, by=manager)
    assert (second.revision, second.status, second.summary) == (2, "draft", "On track.")
    with pytest.raises(ValidationError):
        services.report_correct(report=first, by=manager)
    second = services.report_submit(report=second, version=second.version, by=manager)
    second = services.report_approve(report=second, version=second.version, by=pmo)
    services.report_publish(report=second, version=second.version, by=pmo)
    first.refresh_from_db()
    assert first.superseded and first.status == StatusReport.Status.PUBLISHED
    assert services.latest_report(cycle, org.project, period.end) == second


def test_a_new_report_starts_as_a_copy_of_the_last_one(org, pmo, manager):
    cycle = _cycle(org, pmo)
    periods = services.core_cycle(cycle).periods_before(TODAY, 2)
    first = _complete(
        services.report_start(cycle=cycle, project=org.project, period=periods[0], by=manager),
        manager,
        colour="red",
    )
    second = services.report_start(cycle=cycle, project=org.project, period=periods[1], by=manager)
    assert second.pk != first.pk
    assert (second.overall, second.summary) == ("red", "On track.")
    assert {r.rag for r in second.ratings.all()} == {"red"}
    assert services.previous_report(second) == first


def test_a_stale_edit_of_the_ratings_is_refused(org, pmo, manager):
    cycle = _cycle(org, pmo)
    period = services.reporting_period(cycle, TODAY)
    report = services.report_start(cycle=cycle, project=org.project, period=period, by=manager)
    stale = report.version
    services.report_update(
        report=report, version=stale, by=manager, ratings={"budget": ("amber", "Overrun")}
    )
    with pytest.raises(StaleVersionError):
        services.report_update(
            report=report, version=stale, by=manager, ratings={"budget": ("green", "")}
        )
    with pytest.raises(ValidationError):
        services.report_update(
            report=report, version=None, by=manager, ratings={"nope": ("red", "")}
        )
    with pytest.raises(ValidationError):
        services.report_update(report=report, version=None, by=manager, status="published")


def test_milestones_are_checked(org, pmo, manager):
    cycle = _cycle(org, pmo)
    report = services.report_start(
        cycle=cycle, project=org.project, period=services.reporting_period(cycle, TODAY), by=manager
    )
    report = services.report_update(
        report=report,
        version=report.version,
        by=manager,
        milestones=[{"title": "Go-live", "baseline": "2026-12-01", "forecast": "2027-01-15"}],
    )
    assert report.milestones == [
        {"title": "Go-live", "baseline": "2026-12-01", "forecast": "2027-01-15", "done": False}
    ]
    with pytest.raises(ValidationError):
        services.report_update(
            report=report, version=None, by=manager, milestones=[{"title": "X", "forecast": "soon"}]
        )


def test_who_may_write_and_review(org, pmo, manager, member, viewer, outsider):
    cycle = _cycle(org, pmo)
    report = services.report_start(
        cycle=cycle, project=org.project, period=services.reporting_period(cycle, TODAY), by=pmo
    )
    assert access.report_for_user(manager, report.pk, write=True) == report
    with pytest.raises(PermissionDenied):
        access.report_for_user(member, report.pk, write=True)
    # The project's own manager may write it with a member role.
    org.project.manager = member
    org.project.save()
    assert access.report_for_user(member, report.pk, write=True)
    with pytest.raises(PermissionDenied):
        access.report_for_user(manager, report.pk, review=True)
    assert access.report_for_user(pmo, report.pk, review=True)
    assert access.report_for_user(viewer, report.pk) == report
    with pytest.raises(Http404):
        access.report_for_user(outsider, report.pk)
    with pytest.raises(Http404):
        access.cycle_for_user(outsider, cycle.pk)
    with pytest.raises(PermissionDenied):
        access.cycle_for_user(manager, cycle.pk, manage=True)
    # A manager elsewhere in the portfolio still does not see this programme's report.
    Membership.objects.create(user=outsider, project=org.other_project, role=Role.MANAGER)
    from schakel.portfolio.access import forget_roles

    forget_roles(outsider)
    with pytest.raises(Http404):
        access.report_for_user(outsider, report.pk)
    assert ReportingCycle.objects.count() == 1


def test_compliance_shows_who_is_late(org, pmo, manager, django_assert_max_num_queries):
    cycle = _cycle(org, pmo)
    period = services.reporting_period(cycle, TODAY)
    report = _complete(
        services.report_start(cycle=cycle, project=org.project, period=period, by=manager), manager
    )
    services.report_submit(report=report, version=report.version, by=manager)
    before_due = period.due - datetime.timedelta(days=1)
    after_due = period.due + datetime.timedelta(days=1)
    rows = {row.project.key: row for row in services.compliance(cycle, period, before_due)}
    assert (rows["ODI"].state, rows["ODI"].late) == ("submitted", False)
    assert (rows["POL"].state, rows["POL"].late) == ("missing", False)
    with django_assert_max_num_queries(2):
        rows = {row.project.key: row for row in services.compliance(cycle, period, after_due)}
    assert (rows["ODI"].late, rows["POL"].late) == (False, True)


def test_an_archived_project_no_longer_reports(org, pmo):
    from schakel.portfolio import services as portfolio_services

    cycle = _cycle(org, pmo)
    period = services.reporting_period(cycle, TODAY)
    portfolio_services.project_archive(project=org.sibling, archived=True, by=pmo)
    assert [row.project.key for row in services.compliance(cycle, period, TODAY)] == ["ODI"]


def test_top_risks_rank_by_residual_score_else_inherent_score(org, pmo, manager):
    cycle = _cycle(org, pmo)
    period = services.reporting_period(cycle, TODAY)
    report = services.report_start(cycle=cycle, project=org.project, period=period, by=manager)
    items.risk(org.project, manager, title="Mitigated", probability=5, impact=5,
               residual_probability=1, residual_impact=2)  # fmt: skip
    items.risk(org.project, manager, title="Untreated", probability=3, impact=5)
    items.risk(org.project, manager, title="Small", probability=1, impact=1)

    titles = [r["title"] for r in services.report_snapshot(report, TODAY)["risks"]]

    assert titles == ["Untreated", "Mitigated", "Small"]


def test_dimension_errors_name_the_form_field_of_each_dimension(org, pmo, manager):
    cycle = _cycle(org, pmo)
    period = services.reporting_period(cycle, TODAY)
    report = services.report_start(cycle=cycle, project=org.project, period=period, by=manager)
    ratings = dict.fromkeys(cycle.dimension_keys, ("green", ""))
    ratings["budget"] = ("red", "")
    ratings["scope"] = ("", "")
    report = services.report_update(
        report=report, version=report.version, by=manager, ratings=ratings
    )

    errors = services.dimension_errors(report)

    assert set(errors) == {"reason_budget", "rag_scope"}
    assert services.completeness_errors(report)["ratings"] == list(errors.values())
