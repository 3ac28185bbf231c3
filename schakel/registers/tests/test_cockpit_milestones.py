"""The cockpit's milestone columns: the next milestone (marked when late or slipped) and
the number of slipped milestones, sortable, in a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from schakel.planning.tests.milestone_plans import MONDAY, next_monday, slipping_plan
from schakel.portfolio.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

COCKPIT = reverse("registers:cockpit")


@pytest.fixture
def plans(org, pmo):
    """ODI slips two coming milestones; CAR's plan lies in the past, not slipped but late."""
    slipping_plan(org.project, pmo, start=next_monday(timezone.localdate()))
    slipping_plan(org.other_project, pmo, start=MONDAY, slip=0)
    return org


def rows(response):
    return {
        row.project.key: row
        for group in response.context["cockpit"].programmes
        for theme_group in group.themes
        for row in theme_group.rows
    }


def order(response):
    out = []
    for group in response.context["cockpit"].programmes:
        out.append(group.programme.name)
        for theme_group in group.themes:
            out += [row.project.key for row in theme_group.rows]
    return out


def test_each_project_shows_its_next_milestone_and_its_slipped_count(plans, pmo):
    response = client_for(pmo).get(COCKPIT)
    found = rows(response)
    odi, car, pol = (found[key].figures for key in ("ODI", "CAR", "POL"))
    assert odi.next_milestone.name == "Design ready" and odi.slipped_milestones == 2
    assert odi.next_milestone.slipped and not odi.next_milestone.late
    assert car.next_milestone.name == "Design ready" and car.slipped_milestones == 0
    assert car.next_milestone.late
    assert pol.next_milestone is None and pol.slipped_milestones == 0
    assert response.context["cockpit"].totals.slipped_milestones == 2


def test_the_table_marks_late_and_slipped_milestones(plans, pmo):
    text = client_for(pmo).get(COCKPIT).content.decode()
    assert ">Next milestone<" in text and ">Slipped<" in text
    cells = re.findall(
        r'<td data-label="Next milestone" class="cockpit-milestone">(.*?)</td>', text
    )
    marked = [c for c in cells if "Design ready" in c]
    assert len(marked) == 2
    assert any("is-slipped" in c and "4 working days later than the baseline" in c for c in marked)
    assert any("is-late" in c for c in marked)
    plan_url = reverse("planning:project_plan", args=[plans.project.pk])
    assert plan_url in text


def test_sorting_by_slipped_orders_projects_and_programmes(plans, pmo):
    client = client_for(pmo)
    assert order(client.get(COCKPIT + "?ordering=-slipped")) == [
        "Support services", "ODI", "POL", "Care innovation", "CAR",
    ]  # fmt: skip
    assert order(client.get(COCKPIT + "?ordering=slipped"))[0] == "Care innovation"


def test_sorting_by_the_next_milestone_puts_projects_without_one_last(plans, pmo):
    ordered = order(client_for(pmo).get(COCKPIT + "?ordering=milestone"))
    assert ordered[2:] == ["Support services", "ODI", "POL"]


def test_the_column_headings_sort(plans, pmo):
    text = client_for(pmo).get(COCKPIT).content.decode()
    assert 'href="?ordering=-slipped"' in text  # numbers: high to low first
    assert 'href="?ordering=milestone"' in text


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(COCKPIT).status_code == 200
    return len(captured)


def test_the_milestones_add_a_fixed_number_of_queries(plans, pmo):
    client = client_for(pmo)
    _queries(client)  # warm the session
    few = _queries(client)
    for _ in range(4):
        slipping_plan(ProjectFactory(programme=plans.programme), pmo)
    assert _queries(client) == few
