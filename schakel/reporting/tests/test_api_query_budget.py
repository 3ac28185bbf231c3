"""Report and cycle lists answer in a fixed number of queries, whatever their size."""

from __future__ import annotations

import pytest

from schakel.portfolio.tests.factories import ProjectFactory
from schakel.reporting import services
from schakel.reporting.tests.pages import make_cycle
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

# Session and user (2), the caller's roles (1), count and page (2).
REPORT_BUDGET = 5
# The cycles' projects as the caller sees them (1).
CYCLE_BUDGET = 6


def _grow(org, pmo, size):
    """`size` projects in the programme, each with reports of two periods, in two cycles."""
    for i in range(size):
        ProjectFactory(programme=org.programme, key=f"P{i:03d}", name=f"Project {i}")
    for name in ("Monthly", "Second"):
        cycle = make_cycle(org, pmo, name=name)
        period = services.reporting_period(cycle)
        core = services.core_cycle(cycle)
        earlier = core.period_ending(core.previous_end(period.end))
        for project in cycle.projects.all():
            for each in (period, earlier):
                services.report_start(cycle=cycle, project=project, period=each, by=pmo)


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("persona", ["pmo", "member"])
def test_the_report_list_stays_within_its_budget(
    org, pmo, request, django_assert_max_num_queries, size, persona
):
    _grow(org, pmo, size)
    client = api_client(request.getfixturevalue(persona))
    with django_assert_max_num_queries(REPORT_BUDGET):
        response = client.get(f"{API}/status-reports/?page_size=200&status=draft")
    assert response.status_code == 200
    expected = 2 * 2 * (size + 2) if persona == "pmo" else 2 * 2
    assert response.json()["count"] == expected


@pytest.mark.parametrize("size", [2, 20])
def test_the_cycle_list_stays_within_its_budget(org, pmo, django_assert_max_num_queries, size):
    _grow(org, pmo, 0)
    for i in range(size):
        make_cycle(org, pmo, name=f"Cycle {i}")
    client = api_client(pmo)
    with django_assert_max_num_queries(CYCLE_BUDGET):
        response = client.get(f"{API}/reporting-cycles/?page_size=200")
    assert response.json()["count"] == size + 2
    assert all(len(row["projects"]) == 2 for row in response.json()["results"])
