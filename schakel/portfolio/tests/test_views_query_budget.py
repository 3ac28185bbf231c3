"""Query budgets: a page's number of queries does not grow with its rows.

Each page is measured with 3 and with 30 projects (each with a manager, a theme for half
of them and tags) under the same budget.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import services
from schakel.portfolio.tests.factories import ProjectFactory, ThemeFactory

# page name, object of `org` in the URL (or None), query string, budget.
PAGES = [
    ("home", None, "", 10),
    ("search", None, "?q=p", 14),  # the organisation, then one query per register
    ("portfolio_list", None, "", 8),
    ("programme_list", None, "", 8),
    ("project_list", None, "", 11),
    ("project_list", None, "?ordering=-manager&state=active&tag=a", 11),
    ("portfolio_detail", "portfolio", "", 7),
    ("programme_detail", "programme", "", 9),
    ("theme_detail", "theme", "", 7),
    ("project_detail", "project", "", 6),
    ("project_edit", "project", "", 10),
    ("programme_edit", "programme", "", 7),
    ("project_create", "programme", "", 8),
    ("project_create_any", None, "", 9),
    ("project_move", "project", "", 8),
]


@pytest.fixture(params=[3, 30], ids=["3-projects", "30-projects"])
def many(request, org):
    """Fill the first programme up with projects that have managers, themes and tags."""
    tags = services.tags_from_names(["A", "B", "C"])
    themes = [org.theme, ThemeFactory(programme=org.programme)]
    for i in range(request.param):
        project = ProjectFactory(
            programme=org.programme,
            theme=themes[i % 2] if i % 3 else None,
            manager=UserFactory(),
            sponsor=UserFactory(),
        )
        project.tags.set(tags[: i % 3 + 1])
    return request.param


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kind", "query", "budget"), PAGES, ids=[f"{p[0]}{p[2]}" for p in PAGES]
)
def test_the_page_stays_within_its_query_budget(
    org, many, pmo, client_as, django_assert_max_num_queries, name, kind, query, budget
):
    client = client_as(pmo)
    args = [getattr(org, kind).pk] if kind else []
    url = reverse(f"portfolio:{name}", args=args) + query
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_htmx_results_of_a_list_stay_within_budget(
    org, many, pmo, client_as, django_assert_max_num_queries
):
    client = client_as(pmo)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("portfolio:project_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
