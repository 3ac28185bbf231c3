"""The reporting pages per persona: what each sees and which buttons show; the query budget
of the compliance view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from schakel.portfolio.tests.factories import ProjectFactory
from schakel.reporting.models import ReportingCycle
from schakel.reporting.tests.pages import make_cycle, report_data, start

pytestmark = pytest.mark.django_db


def test_the_programme_tab_lists_cycles_and_offers_new_cycle_only_to_the_pmo(org, pmo, manager):
    cycle = make_cycle(org, pmo, name="Board report")
    url = reverse("reporting:programme_reports", args=[org.programme.pk])
    new = reverse("reporting:cycle_create", args=["programme", org.programme.pk])
    as_pmo = client_for(pmo).get(url).content.decode()
    as_manager = client_for(manager).get(url).content.decode()
    assert "Board report" in as_pmo and "Board report" in as_manager
    assert reverse("reporting:cycle_detail", args=[cycle.pk]) in as_manager
    assert new in as_pmo and new not in as_manager
    assert "0/2" in as_pmo  # nothing submitted of two reporting projects


def test_the_project_tab_offers_write_report_to_its_writer_only(org, pmo, manager, viewer):
    cycle = make_cycle(org, pmo)
    url = reverse("reporting:project_reports", args=[org.project.pk])
    start_url = reverse("reporting:report_start", args=[cycle.pk, org.project.pk])
    assert start_url in client_for(manager).get(url).content.decode()
    assert start_url not in client_for(viewer).get(url).content.decode()


def test_the_pmo_sets_up_a_cycle_through_the_form(org, pmo):
    url = reverse("reporting:cycle_create", args=["programme", org.programme.pk])
    page = client_for(pmo).get(url).content.decode()
    assert 'value="schedule"' in page and 'value="Planning"' in page  # the default rows
    data = {
        "name": "Fortnightly",
        "frequency": "biweekly",
        "anchor": "2026-11-20",
        "month_day": "0",
        "due_after": "2",
        "projects": [org.project.pk],
        "sections": ["summary", "risks"],
        "remind_days_before": "1",
        "remind_overdue_every": "0",
        "dim-TOTAL_FORMS": "2",
        "dim-INITIAL_FORMS": "0",
        "dim-MIN_NUM_FORMS": "0",
        "dim-MAX_NUM_FORMS": "12",
        "dim-0-key": "cost",
        "dim-0-en": "Cost",
        "dim-0-nl": "Kosten",
        "dim-1-key": "",
    }
    answer = client_for(pmo).post(url, data)
    cycle = ReportingCycle.objects.get(name="Fortnightly")
    assert answer["Location"] == reverse("reporting:cycle_detail", args=[cycle.pk])
    assert cycle.dimensions == [{"key": "cost", "en": "Cost", "nl": "Kosten"}]
    assert cycle.sections == ["summary", "risks"] and list(cycle.projects.all()) == [org.project]


def test_a_half_filled_dimension_row_is_refused(org, pmo):
    url = reverse("reporting:cycle_create", args=["programme", org.programme.pk])
    data = {
        "name": "X", "frequency": "monthly", "anchor": "2026-11-20", "month_day": "0",
        "due_after": "2", "remind_days_before": "1", "remind_overdue_every": "0",
        "dim-TOTAL_FORMS": "1", "dim-INITIAL_FORMS": "0", "dim-0-key": "cost",
    }  # fmt: skip
    answer = client_for(pmo).post(url, data)
    assert answer.status_code == 400
    assert "Give a key, an English and a Dutch name." in answer.content.decode()
    assert not ReportingCycle.objects.exists()


def test_a_stale_cycle_edit_answers_409(org, pmo):
    cycle = make_cycle(org, pmo)
    url = reverse("reporting:cycle_edit", args=[cycle.pk])
    page = client_for(pmo).get(url)
    assert page.status_code == 200
    form = page.context["form"]
    formset = page.context["formset"]
    data = {
        **{k: v for k, v in form.initial.items() if k in form.fields and v is not None},
        "anchor": cycle.anchor.isoformat(),
        "projects": [p.pk for p in cycle.projects.all()],
        "sections": cycle.sections,
        "remind_on_due": "on",
        "active": "on",
        "version": str(cycle.version - 1 if cycle.version > 1 else 0),
        **dict(formset.management_form.initial),
    }
    data = {f"dim-{k}" if k.endswith("_FORMS") else k: v for k, v in data.items()}
    for i, dim in enumerate(cycle.dimensions):
        for name in ("key", "en", "nl"):
            data[f"dim-{i}-{name}"] = dim[name]
    data["name"] = "Renamed"
    answer = client_for(pmo).post(url, data)
    assert answer.status_code == 409
    cycle.refresh_from_db()
    assert cycle.name == "Monthly report"


def test_the_report_page_shows_the_previous_colour_with_an_arrow(org, pmo, manager):
    from schakel.reporting import services

    cycle = make_cycle(org, pmo)
    now = services.reporting_period(cycle)
    before = services.core_cycle(cycle).periods_before(now.start, 1)[0]
    old = services.report_start(cycle=cycle, project=org.project, period=before, by=manager)
    client_for(manager).post(
        reverse("reporting:report_edit", args=[old.pk]),
        report_data(old, colour="red", reason="Behind"),
    )
    report = start(cycle, org.project, manager)
    client_for(manager).post(
        reverse("reporting:report_edit", args=[report.pk]), report_data(report, colour="green")
    )
    page = client_for(manager).get(reverse("reporting:report_detail", args=[report.pk]))
    html = page.content.decode()
    assert "rag-trend-up" in html and "rag rag-red" in html and "rag rag-green" in html
    assert "A live preview" in html  # a draft shows the snapshot live


@pytest.mark.parametrize("persona", ["viewer", "member", "manager", "pmo"])
def test_every_persona_on_odi_reads_the_report_and_compliance_pages(
    org, pmo, manager, member, viewer, persona
):
    users = {"viewer": viewer, "member": member, "manager": manager, "pmo": pmo}
    cycle = make_cycle(org, pmo)
    report = start(cycle, org.project, manager)
    client = client_for(users[persona])
    compliance = client.get(reverse("reporting:cycle_detail", args=[cycle.pk])).content.decode()
    assert "ODI" in compliance
    detail = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    edit = reverse("reporting:report_edit", args=[report.pk])
    assert (edit in detail) == (persona in ("manager", "pmo"))


def _compliance_queries(client, cycle):
    url = reverse("reporting:cycle_detail", args=[cycle.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_compliance_view_runs_the_same_queries_for_more_projects(org, pmo, manager):
    cycle = make_cycle(org, pmo)
    for project in (org.project, org.sibling):
        start(cycle, project, manager)
    client = client_for(pmo)
    _compliance_queries(client, cycle)  # warm the session
    small = _compliance_queries(client, cycle)
    extra = [ProjectFactory(programme=org.programme, manager=manager) for _ in range(6)]
    cycle.projects.add(*extra)
    for project in extra:
        start(cycle, project, manager)
    assert _compliance_queries(client, cycle) == small
