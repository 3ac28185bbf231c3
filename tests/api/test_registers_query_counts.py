"""Register lists answer in a fixed number of queries, however many items there are."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio.services import tags_from_names
from schakel.registers import services
from schakel.registers.models import (
    REGISTER_MODELS,
    Action,
    Assumption,
    Decision,
    Dependency,
    RiskCategory,
)
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

# Session and user (2), the caller's roles (1), count and page (2), tags (1), where the
# page's items came from (1, `origin`: the meetings they were born in); actions add one
# query per kind of source on the page (here risks and decisions).
BUDGETS = {
    "risks/": 7,
    "risks/?owner=me&state=closed_items&tag=IT&ordering=-score": 7,
    "issues/": 7,
    "assumptions/": 7,
    "dependencies/": 7,
    "actions/": 9,
    "actions/?overdue=true&ordering=due": 9,
    "decisions/": 7,
}


def _grow(org, by, n):
    """Add `n` items to every register, each with people, tags and links to other items."""
    tags = tags_from_names(["IT", "Quick win"])
    category = RiskCategory.objects.filter(active=True).first()
    past = datetime.date(2000, 1, 1)
    for i in range(n):
        person = UserFactory()
        Membership.objects.create(user=person, project=org.project, role=Role.MEMBER)
        project = (org.project, org.sibling)[i % 2]
        risk = factories.risk(
            project, by, owner=by, actionee=person, category=category, review_date=past
        )
        risk.tags.set(tags)
        services.risk_occurred(risk=risk, version=risk.version, by=by)
        decision = factories.decision(project, by, owner=person, decided_by=person)
        for source in (risk, decision):
            action = services.item_create(
                model=Action,
                scope=project,
                by=by,
                title="Follow up",
                owner=person,
                due=past,
                source=source,
            )
            action.tags.set(tags)
        assumption = services.item_create(model=Assumption, scope=project, by=by, title="Holds")
        services.assumption_invalidate(assumption=assumption, version=1, by=by)
        services.item_create(
            model=Dependency, scope=project, by=by, title="Needs", other_project=org.other_project
        )
        assert isinstance(decision, Decision)


def _warm_content_types():
    """Load the content types once, as a running server has them cached for good."""
    ContentType.objects.get_for_models(*REGISTER_MODELS)


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("path", BUDGETS)
def test_a_register_list_stays_within_its_query_budget(
    org, pmo, django_assert_max_num_queries, size, path
):
    _grow(org, pmo, size)
    client = api_client(pmo)
    _warm_content_types()
    with django_assert_max_num_queries(BUDGETS[path]):
        response = client.get(f"{API}/{path}")
    assert response.status_code == 200
    assert response.json()["count"] >= size


@pytest.mark.parametrize("size", [3, 30])
def test_a_members_list_stays_within_the_same_budget(
    org, pmo, member, django_assert_max_num_queries, size
):
    _grow(org, pmo, size)
    client = api_client(member)
    _warm_content_types()
    with django_assert_max_num_queries(BUDGETS["actions/"]):
        response = client.get(f"{API}/actions/?page_size=200")
    assert response.status_code == 200
    assert response.json()["count"] == 2 * ((size + 1) // 2)


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("path", ["risk-scale/", "risk-categories/"])
def test_configuration_lists_take_a_fixed_number_of_queries(
    org, member, django_assert_max_num_queries, size, path
):
    for i in range(size):
        RiskCategory.objects.create(name_en=f"Cat {i}", name_nl=f"Cat {i}")
    client = api_client(member)
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/{path}").status_code == 200
