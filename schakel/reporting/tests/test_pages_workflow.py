"""A report through the pages: start, edit, submit, return, resubmit, approve, publish,
correct; refused steps, stale saves and hostile text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for
from schakel.reporting.models import StatusReport
from schakel.reporting.tests.pages import make_cycle, report_data, start

pytestmark = pytest.mark.django_db


def _edit_url(report):
    return reverse("reporting:report_edit", args=[report.pk])


def _detail_url(report):
    return reverse("reporting:report_detail", args=[report.pk])


def test_it_takes_a_report_from_start_to_a_published_correction(org, pmo, manager):
    cycle = make_cycle(org, pmo)
    writer, reviewer = client_for(manager), client_for(pmo)
    # Start: a draft of the current period, opened for editing.
    started = writer.post(reverse("reporting:report_start", args=[cycle.pk, org.project.pk]))
    report = StatusReport.objects.get(cycle=cycle, project=org.project)
    assert started.status_code == 302 and started["Location"] == _edit_url(report)
    assert writer.get(_edit_url(report)).status_code == 200
    # Submitting an empty report is refused with what is missing, per field.
    empty = report_data(report, colour="", action="submit")
    refused = writer.post(_edit_url(report), empty)
    assert refused.status_code == 400
    assert "Give the overall colour." in refused.content.decode()
    assert "Give a colour for Schedule." in refused.content.decode()
    report.refresh_from_db()
    assert report.status == StatusReport.Status.DRAFT
    # Amber without a reason: the reason field says so, nothing is saved.
    amber = writer.post(_edit_url(report), report_data(report, colour="amber"))
    assert amber.status_code == 400
    assert "Say why Budget is not green." in amber.content.decode()
    # Complete and submit.
    data = report_data(report, colour="amber", reason="Supplier late", action="submit")
    submitted = writer.post(_edit_url(report), data)
    assert submitted.status_code == 302
    report.refresh_from_db()
    assert report.status == StatusReport.Status.SUBMITTED and report.overall == "amber"
    assert report.ratings.get(dimension="budget").reason == "Supplier late"
    # The writer cannot review; the PMO returns it only with a comment.
    assert writer.post(reverse("reporting:report_approve", args=[report.pk])).status_code == 403
    reviewer.post(reverse("reporting:report_return", args=[report.pk]), {"comment": " "})
    report.refresh_from_db()
    assert report.status == StatusReport.Status.SUBMITTED
    reviewer.post(
        reverse("reporting:report_return", args=[report.pk]),
        {"comment": "Explain the budget.", "version": report.version},
    )
    report.refresh_from_db()
    assert report.status == StatusReport.Status.RETURNED
    assert "Explain the budget." in writer.get(_edit_url(report)).content.decode()
    # Resubmit from the report page, approve, publish.
    writer.post(reverse("reporting:report_submit", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == StatusReport.Status.SUBMITTED
    reviewer.post(
        reverse("reporting:report_approve", args=[report.pk]), {"version": report.version}
    )
    report.refresh_from_db()
    assert report.status == StatusReport.Status.APPROVED
    page = reviewer.get(_detail_url(report)).content.decode()
    assert reverse("reporting:report_publish", args=[report.pk]) in page
    reviewer.post(
        reverse("reporting:report_publish", args=[report.pk]), {"version": report.version}
    )
    report.refresh_from_db()
    assert report.status == StatusReport.Status.PUBLISHED
    # A published report is not edited; a correction is revision 2, opened for editing.
    assert writer.get(_edit_url(report)).status_code == 302
    corrected = writer.post(reverse("reporting:report_correct", args=[report.pk]))
    draft = StatusReport.objects.get(cycle=cycle, project=org.project, revision=2)
    assert corrected["Location"] == _edit_url(draft)
    assert draft.status == StatusReport.Status.DRAFT and draft.overall == "amber"
    revisions = writer.get(_detail_url(draft)).content.decode()
    assert _detail_url(report) in revisions  # the revision selector links revision 1


def test_it_answers_409_to_a_stale_save_and_keeps_the_other_change(org, pmo, manager):
    report = start(make_cycle(org, pmo), org.project, manager)
    writer = client_for(manager)
    stale = report_data(report, summary="My words")
    writer.post(_edit_url(report), report_data(report, summary="First words"))
    conflict = writer.post(_edit_url(report), stale)
    assert conflict.status_code == 409
    assert "Someone else changed this" in conflict.content.decode()
    report.refresh_from_db()
    assert report.summary == "First words"


def test_it_publishes_all_approved_reports_of_a_period_at_once(org, pmo, manager):
    from schakel.reporting import services

    cycle = make_cycle(org, pmo)
    for project in (org.project, org.sibling):
        report = start(cycle, project, manager)
        client_for(manager).post(_edit_url(report), report_data(report, action="submit"))
        report.refresh_from_db()
        services.report_approve(report=report, version=report.version, by=pmo)
    period = services.reporting_period(cycle)
    client_for(pmo).post(
        reverse("reporting:cycle_publish", args=[cycle.pk]),
        {"period": period.end.isoformat()},
    )
    states = set(StatusReport.objects.filter(cycle=cycle).values_list("status", flat=True))
    assert states == {StatusReport.Status.PUBLISHED}


def test_it_escapes_hostile_text_on_the_report_and_compliance_pages(org, pmo, manager):
    hostile = '<script>alert("x")</script>'
    cycle = make_cycle(org, pmo, name=hostile)
    report = start(cycle, org.project, manager)
    data = report_data(
        report,
        colour="red",
        reason=hostile,
        summary=hostile,
        **{"ms-0-title": hostile, "ms-0-baseline": "2026-12-01"},
    )
    assert client_for(manager).post(_edit_url(report), data).status_code == 302
    for url in (
        _detail_url(report),
        _edit_url(report),
        reverse("reporting:cycle_detail", args=[cycle.pk]),
        reverse("reporting:programme_reports", args=[org.programme.pk]),
    ):
        page = client_for(manager).get(url).content.decode()
        assert hostile not in page, url
        assert "&lt;script&gt;" in page, url


def test_it_refuses_a_bad_milestone_date_with_a_field_error(org, pmo, manager):
    report = start(make_cycle(org, pmo), org.project, manager)
    data = report_data(report, **{"ms-0-title": "Go live", "ms-0-baseline": "someday"})
    answer = client_for(manager).post(_edit_url(report), data)
    assert answer.status_code == 400
    assert "Enter a valid date." in answer.content.decode()


def test_it_sends_a_reminder_for_a_missing_report_from_the_compliance_view(
    org, pmo, manager, mailoutbox
):
    org.project.manager = manager
    org.project.save()
    cycle = make_cycle(org, pmo)
    page = client_for(pmo).get(reverse("reporting:cycle_detail", args=[cycle.pk]))
    remind = reverse("reporting:cycle_remind", args=[cycle.pk, org.project.pk])
    assert remind in page.content.decode()
    answer = client_for(pmo).post(remind)
    assert answer.status_code == 302
    assert len(mailoutbox) == 1 and manager.email in mailoutbox[0].to[0]
    # The manager may not send one.
    assert client_for(manager).post(remind).status_code == 403
