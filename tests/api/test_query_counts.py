"""List endpoints answer in a fixed number of queries, however many rows there are."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from schakel.accounts.models import Membership, Role
from schakel.accounts.services import token_create
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import services
from schakel.portfolio.tests.factories import ProgrammeFactory, ProjectFactory, ThemeFactory
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

# Session and user (2), the caller's roles (1), count and page (2), then one query per
# prefetched relation (project tags).
BUDGETS = {
    "portfolios/": 5,
    "programmes/": 5,
    "themes/": 5,
    "projects/": 6,
    "projects/?tag=IT&ordering=-manager": 6,
    "memberships/": 5,
    "users/": 5,
    "tokens/": 3,
}


def _grow(org, n):
    """Add `n` of everything, each with people and tags, so per-row queries would show."""
    tags = services.tags_from_names(["IT", "Quick win"])
    for _ in range(n):
        person = UserFactory()
        programme = ProgrammeFactory(portfolio=org.portfolio, manager=person, sponsor=person)
        theme = ThemeFactory(programme=programme)
        project = ProjectFactory(programme=programme, theme=theme, manager=person, sponsor=person)
        project.tags.set(tags)
        Membership.objects.create(user=person, project=project, role=Role.MEMBER)


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("path", BUDGETS)
def test_a_list_stays_within_its_query_budget(org, pmo, django_assert_max_num_queries, size, path):
    _grow(org, size)
    client = api_client(pmo)
    with django_assert_max_num_queries(BUDGETS[path]):
        response = client.get(f"{API}/{path}")
    assert response.status_code == 200
    if path.startswith(("projects/", "programmes/", "themes/", "memberships/", "users/")):
        assert response.json()["count"] >= size


@pytest.mark.parametrize("size", [3, 30])
def test_a_token_authenticated_list_stays_within_budget(
    org, pmo, django_assert_max_num_queries, size
):
    _grow(org, size)
    _, key = token_create(user=pmo, name="bench")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # The token lookup replaces the session and user; its last use is written once.
    with django_assert_max_num_queries(BUDGETS["projects/"] + 1):
        assert client.get(f"{API}/projects/").status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_one_project_answers_within_budget(org, pmo, django_assert_max_num_queries, size):
    _grow(org, size)
    org.project.tags.set(services.tags_from_names(["IT"]))
    client = api_client(pmo)
    with django_assert_max_num_queries(5):
        assert client.get(f"{API}/projects/{org.project.pk}/").status_code == 200
