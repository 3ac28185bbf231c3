"""Who sees which heatmap, and which risks are counted for them; queries stay fixed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.portfolio.tests.factories import ProjectFactory
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def url(kind: str, obj) -> str:
    return reverse(f"registers:{kind}_heatmap", args=[obj.pk])


def test_a_hidden_projects_heatmap_answers_404_like_a_missing_one(
    org, pmo, member, outsider, client_as
):
    factories.risk(org.other_project, pmo)
    assert client_as(outsider).get(url("project", org.project)).status_code == 404
    assert client_as(member).get(url("project", org.other_project)).status_code == 404
    assert (
        client_as(member).get(reverse("registers:project_heatmap", args=[99999])).status_code == 404
    )
    assert client_as(outsider).get(url("programme", org.programme)).status_code == 404
    assert client_as(outsider).get(url("portfolio", org.portfolio)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(org, client_as):
    response = client_as(None).get(url("project", org.project))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_member_sees_only_their_projects_risks_on_the_programme_map(org, pmo, member, client_as):
    factories.risk(org.project, pmo, probability=2, impact=2)
    factories.risk(org.sibling, pmo, probability=5, impact=5, title="Sibling secret")
    factories.risk(org.other_project, pmo, probability=4, impact=4)

    member_view = client_as(member).get(url("programme", org.programme))
    pmo_view = client_as(pmo).get(url("programme", org.programme))

    assert member_view.context["data"].inherent == {(2, 2): 1}
    assert "Sibling secret" not in member_view.content.decode()
    assert pmo_view.context["data"].inherent == {(2, 2): 1, (5, 5): 1}


def test_the_portfolio_map_counts_only_what_the_user_may_see(org, pmo, manager, client_as):
    factories.risk(org.project, pmo, probability=2, impact=2)
    factories.risk(org.other_project, pmo, probability=4, impact=4)

    manager_view = client_as(manager).get(url("portfolio", org.portfolio))

    assert manager_view.context["data"].inherent == {(2, 2): 1}
    assert client_as(pmo).get(url("portfolio", org.portfolio)).context["data"].total == 2


@pytest.fixture(params=[3, 30], ids=["3-risks-per-project", "30-risks-per-project"])
def many_risks(request, org, pmo, member):
    projects = [
        org.project,
        org.sibling,
        *(ProjectFactory(programme=org.programme) for _ in range(3)),
    ]
    for project in projects:
        for n in range(request.param):
            factories.risk(
                project,
                pmo,
                probability=n % 5 + 1,
                impact=(n * 2) % 5 + 1,
                owner=member if n % 2 else None,
                residual_probability=1 if n % 3 else None,
                residual_impact=1 if n % 3 else None,
            )
    return request.param


@pytest.mark.parametrize("kind", ["project", "programme", "portfolio"])
def test_the_heatmap_stays_within_its_query_budget(
    org, pmo, many_risks, kind, client_as, django_assert_max_num_queries
):
    client = client_as(pmo)
    # A programme's or portfolio's map first reads which of its projects and programmes the
    # user sees (one query, ids), so that its risks are read by index.
    with django_assert_max_num_queries(9 if kind == "project" else 10):
        response = client.get(url(kind, getattr(org, kind)), {"nature": "threat"})
    assert response.status_code == 200
