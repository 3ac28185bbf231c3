"""Fields a caller may not set are refused with 400; hidden objects in a body read as missing."""

from __future__ import annotations

import pytest

from schakel.accounts.tests.factories import UserFactory
from schakel.registers.models import Action, Dependency, Issue, Risk, RiskCategory
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _new_risk(org, **extra):
    return {"project": org.project.pk, "title": "New", "probability": 2, "impact": 3, **extra}


@pytest.mark.parametrize(
    "extra",
    [
        {"id": 99},
        {"version": 1},
        {"number": 7},
        {"ref": "ODI-R99"},
        {"kind": "issue"},
        {"created_by": 1},
        {"score": 25},
        {"residual_score": 25},
        {"trend": "rising"},
        {"occurred_on": "2030-01-01"},
        {"history": []},
        {"is_overdue": True},
        {"url": "http://example.org/"},
        {"created_at": "2030-01-01T00:00:00Z"},
        {"colour": "red"},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_creating_a_risk_refuses_fields_the_caller_may_not_set(org, member, extra):
    response = api_client(member).post(f"{API}/risks/", _new_risk(org, **extra), format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(extra)
    assert not Risk.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("project", lambda org: org.sibling.pk),
        ("programme", lambda org: org.programme.pk),
        ("number", lambda org: 7),
        ("ref", lambda org: "ODI-R99"),
        ("created_by", lambda org: 1),
        ("score", lambda org: 25),
        ("residual_score", lambda org: 25),
        ("trend", lambda org: "rising"),
        ("history", lambda org: []),
        ("deleted_at", lambda org: None),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_changing_a_risk_refuses_fields_the_caller_may_not_set(org, pmo, field, value):
    risk = factories.risk(org.project, pmo)
    body = {field: value(org), "title": "Changed", "version": 1}
    response = api_client(pmo).patch(f"{API}/risks/{risk.pk}/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    risk.refresh_from_db()
    assert (risk.title, risk.version, risk.project_id) == (
        "Supplier delivers late",
        1,
        org.project.pk,
    )


def test_moving_an_item_is_refused_with_a_reason(org, pmo):
    risk = factories.risk(org.project, pmo)
    response = api_client(pmo).patch(
        f"{API}/risks/{risk.pk}/", {"project": org.sibling.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "stays" in response.json()["project"][0]


def test_the_source_of_an_action_cannot_be_changed_afterwards(org, pmo):
    action = factories.action(org.project, pmo)
    risk = factories.risk(org.project, pmo)
    response = api_client(pmo).patch(
        f"{API}/actions/{action.pk}/",
        {"source": {"kind": "risk", "id": risk.pk}, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["source"]
    assert Action.objects.get(pk=action.pk).source_id is None


@pytest.mark.parametrize("field", ["owner", "actionee"])
def test_a_person_the_caller_cannot_see_reads_as_missing(org, member, field):
    stranger = UserFactory()
    response = api_client(member).post(
        f"{API}/risks/", _new_risk(org, **{field: stranger.pk}), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()[field][0]
    assert not Risk.objects.exists()


def test_an_inactive_person_cannot_be_made_owner(org, member, manager):
    manager.is_active = False
    manager.save()
    response = api_client(member).post(
        f"{API}/risks/", _new_risk(org, owner=manager.pk), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["owner"][0]


@pytest.mark.parametrize("field", ["raised_by", "escalated_to"])
def test_issue_people_must_be_visible(org, pmo, member, field):
    issue = factories.issue(org.project, pmo)
    stranger = UserFactory()
    response = api_client(member).patch(
        f"{API}/issues/{issue.pk}/", {field: stranger.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()[field][0]
    assert Issue.objects.get(pk=issue.pk).version == 1


def test_a_decision_maker_must_be_visible(org, pmo, member):
    decision = factories.decision(org.project, pmo)
    response = api_client(member).patch(
        f"{API}/decisions/{decision.pk}/",
        {"decided_by": UserFactory().pk, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["decided_by"][0]


def test_a_dependency_on_a_hidden_project_reads_as_missing(org, member):
    response = api_client(member).post(
        f"{API}/dependencies/",
        {"project": org.project.pk, "title": "Needs care", "other_project": org.other_project.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["other_project"][0]
    assert not Dependency.objects.exists()


def test_an_inactive_category_takes_no_new_risks(org, member):
    category = RiskCategory.objects.create(name_en="Old", name_nl="Oud", active=False)
    response = api_client(member).post(
        f"{API}/risks/", _new_risk(org, category=category.pk), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["category"][0]


def test_a_risk_keeps_its_inactive_category_when_sent_back(org, pmo, member):
    category = RiskCategory.objects.create(name_en="Old", name_nl="Oud")
    risk = factories.risk(org.project, pmo, category=category)
    RiskCategory.objects.filter(pk=category.pk).update(active=False)
    response = api_client(member).patch(
        f"{API}/risks/{risk.pk}/",
        {"category": category.pk, "title": "Renamed", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["category"] == category.pk
