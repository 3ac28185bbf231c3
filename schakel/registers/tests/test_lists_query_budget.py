"""Query budgets: a list or an export needs the same number of queries for 3 or 30 items.

Each register of project ODI is filled with items that have owners (members of the
project), tags and, for actions, a source risk; the sibling project gets some too, and a
dependency runs between the two. Measured as the PMO (sees everything) and as a member.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import services as portfolio_services
from schakel.registers import services
from schakel.registers.models import Assumption, Dependency
from schakel.registers.tests import factories

# (url name, scope of `org` or None, register slug, query string, budget). A page's queries:
# session, user, roles, scope, the open counts of the six register tabs (one query), the
# owner and tag choices of the filter bar, count, rows, the owners each row may get, the quick add's
# people; risks add the scale and the categories, actions the sources, wider scopes the
# project choices. Actions and decisions add where the rows came from (their "Source"
# column names the meeting an item was born in): one query per page, or per 500 rows of
# an export. A programme's and a portfolio's lists first read which of their projects and
# programmes the user sees (one query, ids), so that the database reads their items by
# index instead of sub-selecting the access rules in every query.
PAGES = [
    ("project_list", "project", "risks", "", 13),
    ("project_list", "project", "issues", "", 11),
    ("project_list", "project", "assumptions", "", 11),
    ("project_list", "project", "dependencies", "", 12),
    ("project_list", "project", "actions", "", 13),
    ("project_list", "project", "decisions", "", 12),
    ("project_list", "project", "actions", "?state=open_items&tag=a&ordering=-due", 13),
    ("programme_list", "programme", "risks", "", 16),
    ("portfolio_list", "portfolio", "actions", "", 14),
    ("all_list", None, "actions", "", 12),
]
EXPORTS = [
    ("project_export", "project", "risks", "csv", 6),
    ("project_export", "project", "actions", "xlsx", 8),
    ("programme_export", "programme", "decisions", "csv", 8),
    ("all_export", None, "dependencies", "xlsx", 5),
]


@pytest.fixture(params=[3, 30], ids=["3-items", "30-items"])
def many(request, org, pmo, member):
    """Fill ODI (and a little of POL) with items of every register."""
    n = request.param
    people = [member, *(UserFactory() for _ in range(3))]
    for person in people[1:]:
        Membership.objects.create(user=person, project=org.project, role=Role.MEMBER)
    tags = portfolio_services.tags_from_names(["A", "B", "C"])
    today = timezone.localdate()
    for i in range(n):
        owner = people[i % len(people)]
        due = today + datetime.timedelta(days=i % 9 - 3)
        risk = factories.risk(
            org.project, pmo, owner=owner, review_date=due, tags=tags[: i % 3 + 1]
        )
        factories.action(org.project, pmo, owner=owner, due=due, source=risk, tags=tags[:1])
        factories.issue(org.project, pmo, owner=owner, target_date=due)
        factories.decision(org.project, pmo, owner=owner, decided_by=owner, forum="Board")
        services.item_create(model=Assumption, scope=org.project, by=pmo, title="A", owner=owner)
        services.item_create(
            model=Dependency,
            scope=org.project if i % 2 else org.sibling,
            by=pmo,
            title="D",
            other_project=org.sibling if i % 2 else org.project,
            owner=owner,
        )
        if i % 3 == 0:
            factories.risk(org.sibling, pmo, owner=pmo)
    return n


def _url(org, name, scope, slug, *extra):
    args = [getattr(org, scope).pk] if scope else []
    return reverse(f"registers:{name}", args=[*args, slug, *extra])


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["pmo", "member"])
@pytest.mark.parametrize(
    ("name", "scope", "slug", "query", "budget"),
    PAGES,
    ids=[f"{p[0]}-{p[2]}{p[3]}" for p in PAGES],
)
def test_a_list_stays_within_its_query_budget(
    org,
    many,
    request,
    client_as,
    django_assert_max_num_queries,
    user,
    name,
    scope,
    slug,
    query,
    budget,
):
    client = client_as(request.getfixturevalue(user))
    url = _url(org, name, scope, slug) + query
    client.get(url)  # warm up the session and content types
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["rows"]


@pytest.mark.django_db
def test_the_htmx_results_stay_within_their_query_budget(
    org, many, pmo, client_as, django_assert_max_num_queries
):
    client = client_as(pmo)
    url = _url(org, "project_list", "project", "actions") + "?owner=me"
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
    client.get(url, **headers)
    with django_assert_max_num_queries(8):
        assert client.get(url, **headers).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "scope", "slug", "fmt", "budget"),
    EXPORTS,
    ids=[f"{e[0]}-{e[2]}-{e[3]}" for e in EXPORTS],
)
def test_an_export_stays_within_its_query_budget(
    org, many, pmo, client_as, django_assert_max_num_queries, name, scope, slug, fmt, budget
):
    client = client_as(pmo)
    url = _url(org, name, scope, slug, fmt)
    client.get(url)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
