"""The cockpit counts every register for every project in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio.tests.factories import ProjectFactory, ThemeFactory
from schakel.registers.tests import factories

PAST = timezone.localdate() - datetime.timedelta(days=2)


@pytest.fixture(params=[3, 30], ids=["3-projects", "30-projects"])
def many(request, org, pmo):
    """Projects with managers, themes and items of every kind."""
    themes = [org.theme, ThemeFactory(programme=org.programme)]
    for i in range(request.param):
        project = ProjectFactory(
            programme=org.programme if i % 2 else org.other_programme,
            theme=themes[i % 2] if i % 4 == 1 else None,
            manager=UserFactory(),
        )
        factories.risk(project, pmo, probability=i % 5 + 1, impact=3)
        factories.issue(project, pmo)
        factories.action(project, pmo, due=PAST)
        factories.decision(project, pmo)
    return request.param


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?ordering=-score", "?ordering=manager"])
def test_the_cockpit_stays_within_its_query_budget(
    org, many, pmo, client_as, django_assert_max_num_queries, query
):
    client = client_as(pmo)
    # 11 for the registers, plus at most 3 for the plans' milestones (one for the
    # milestones and their baselines, two more for the calendars when some slipped).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("registers:cockpit") + query)
    assert response.status_code == 200
    assert response.context["cockpit"].totals.projects == many + 3
