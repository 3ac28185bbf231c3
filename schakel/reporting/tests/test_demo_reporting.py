"""`schakel demo` fills progress reporting: six months of history, one late, one returned."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from schakel.portfolio.demo import build_demo, reset_demo
from schakel.portfolio.models import Project
from schakel.reporting import reminders, services
from schakel.reporting.models import DimensionRating, ReportingCycle, StatusReport

TODAY = datetime.date(2026, 11, 3)  # early in a month: a month-end cycle would not be due yet
QUIET = {"log": lambda line: None}


@pytest.fixture(scope="class")
def small(django_db_setup, django_db_blocker):
    """Size S, built once for the class below and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(today=TODAY, **QUIET)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def cycle(small, db) -> ReportingCycle:
    return ReportingCycle.objects.get(name="Maandrapportage VOD")


class TestSizeS:
    """What a person exploring the demo finds in progress reporting."""

    def test_the_monthly_cycle_reports_every_live_project_of_the_change_programme(self, cycle):
        live = Project.objects.filter(programme__key="VOD", archived_at__isnull=True)
        assert cycle.programme.name == "Veranderprogramma ondersteunende diensten"
        assert cycle.frequency == "monthly"
        assert set(cycle.projects.all()) == set(live) and live.count() >= 3

    def test_every_project_has_six_published_periods_of_history(self, cycle):
        period = services.reporting_period(cycle, TODAY)
        for project in cycle.projects.all():
            history = StatusReport.objects.filter(
                cycle=cycle, project=project, period_end__lt=period.start
            )
            assert history.count() == 6
            assert set(history.values_list("status", flat=True)) == {"published"}
            assert all(r.published_at and r.published_at.date() > r.period_end for r in history)
            assert DimensionRating.objects.filter(report__in=history).count() == 6 * len(
                cycle.dimension_keys
            )

    def test_the_colours_change_over_time_so_trends_show(self, cycle):
        rows = DimensionRating.objects.filter(report__cycle=cycle)
        assert set(rows.values_list("rag", flat=True)) == {"green", "amber", "red"}
        changed = 0
        for project in cycle.projects.all():
            for key in cycle.dimension_keys:
                colours = list(
                    rows.filter(report__project=project, dimension=key)
                    .order_by("report__period_end")
                    .values_list("rag", flat=True)
                )
                changed += len(set(colours)) > 1
        assert changed >= 5
        assert not rows.exclude(rag="green").filter(reason="").exists()

    def test_for_the_current_period_one_report_is_overdue_and_one_returned(self, cycle):
        period = services.reporting_period(cycle, TODAY)
        assert period.due < TODAY
        rows = services.compliance(cycle, period, TODAY)
        states = [row.state for row in rows]
        assert states.count("missing") == 1 and [r.late for r in rows if r.state == "missing"] == [
            True
        ]
        assert states.count("returned") == 1
        returned = next(r.report for r in rows if r.state == "returned")
        assert returned is not None and "budget" in returned.review_comment
        in_with_pmo = states.count("submitted") + states.count("approved")
        assert in_with_pmo == len(rows) - 2 and in_with_pmo >= len(rows) / 2

    def test_the_texts_are_dutch(self, cycle):
        report = StatusReport.objects.filter(cycle=cycle).first()
        assert report is not None
        assert report.summary and any(
            word in report.summary for word in ("project", "voortgang", "Vertraging", "knelpunten")
        )

    def test_the_late_project_would_be_reminded_on_an_overdue_day(self, cycle):
        period = services.reporting_period(cycle, TODAY)
        day = period.due + datetime.timedelta(days=cycle.remind_overdue_every)
        late = [r for r in reminders.due_reminders(day) if r.cycle == cycle]
        assert {r.project.key for r in late} >= {
            row.project.key for row in services.compliance(cycle, period, day) if row.late
        }
        assert all(r.kind == "overdue" for r in late)


def test_size_l_scaled_adds_bulk_reports_and_reset_removes_them(db):
    build_demo(size="L", scale=0.05, today=TODAY, **QUIET)
    assert StatusReport.objects.count() == 300
    bulk = StatusReport.objects.exclude(cycle__name="Maandrapportage VOD")
    assert bulk.exists()
    assert DimensionRating.objects.filter(report__in=bulk).count() == 7 * bulk.count()
    # Each cycle is named after its programme, also the generated programmes without a key.
    for cycle in ReportingCycle.objects.select_related("programme"):
        assert cycle.name.removeprefix("Maandrapportage ") in (
            cycle.programme.key,
            cycle.programme.name,
        ), cycle.name
    reset_demo()
    assert not StatusReport.objects.exists() and not ReportingCycle.all_objects.exists()
