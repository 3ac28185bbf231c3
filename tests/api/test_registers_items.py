"""Each register's items through the API: what an item shows, and creating one per register."""

from __future__ import annotations

import datetime

import pytest

from schakel.portfolio.services import tags_from_names
from schakel.registers import services
from schakel.registers.models import (
    Assumption,
    Decision,
    Dependency,
    Issue,
    Risk,
    RiskCategory,
)
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

SHARED = {
    "id",
    "ref",
    "kind",
    "project",
    "programme",
    "project_key",
    "title",
    "description",
    "owner",
    "status",
    "origin",
    "tags",
    "is_open",
    "is_overdue",
    "due_date",
    "version",
    "url",
    "created_by",
    "created_at",
    "updated_at",
}
OWN = {
    "risks": {
        "nature",
        "category",
        "cause",
        "event",
        "effect",
        "probability",
        "impact",
        "score",
        "residual_probability",
        "residual_impact",
        "residual_score",
        "proximity",
        "response",
        "response_plan",
        "actionee",
        "review_date",
        "trend",
        "occurred_on",
    },
    "issues": {
        "type",
        "priority",
        "severity",
        "raised_by",
        "raised_on",
        "target_date",
        "escalated_to",
        "resolution",
        "resolved_on",
        "source_risk",
    },
    "assumptions": {"validate_by", "validated_on", "consequence", "raised_issue"},
    "dependencies": {
        "direction",
        "other_project",
        "milestone",
        "other_milestone",
        "need_by",
        "task_link",  # read-only: where the plans record it (null here)
    },
    "actions": {"priority", "due", "completed_on", "source"},
    "decisions": {
        "rationale",
        "options",
        "impact",
        "decided_by",
        "forum",
        "needed_by",
        "decided_on",
    },
}


def _bodies(org, member):
    """A valid new item per register, in project ODI."""
    return {
        "risks": {"title": "Supplier late", "probability": 4, "impact": 5, "actionee": member.pk},
        "issues": {"title": "Floods", "priority": "high", "raised_by": member.pk},
        "assumptions": {"title": "Budget holds", "validate_by": "2030-03-01"},
        "dependencies": {"title": "Needs policy", "other_project": org.sibling.pk},
        "actions": {"title": "Call them", "due": "2030-01-31"},
        "decisions": {"title": "Pick ERP", "forum": "Steering committee"},
    }


@pytest.mark.parametrize("slug", sorted(OWN))
def test_each_register_creates_an_item_and_shows_its_own_fields(org, manager, member, slug):
    body = {"project": org.project.pk, "tags": ["IT", "Quick win"], **_bodies(org, member)[slug]}
    client = api_client(manager)
    created = client.post(f"{API}/{slug}/", body, format="json")
    assert created.status_code == 201, created.json()
    item = created.json()
    assert set(item) == SHARED | OWN[slug]
    assert item["ref"].startswith("ODI-")
    assert item["project_key"] == "ODI"
    assert item["version"] == 1
    assert item["tags"] == ["IT", "Quick win"]
    assert item["url"].endswith(f"/items/{item['kind']}/{item['id']}/")
    assert client.get(f"{API}/{slug}/{item['id']}/").json() == item


def test_a_risk_shows_its_scores_trend_and_people(org, pmo, member):
    category = RiskCategory.objects.filter(active=True).first()
    assert category is not None
    risk = factories.risk(
        org.project,
        pmo,
        probability=4,
        impact=5,
        residual_probability=2,
        residual_impact=2,
        owner=member,
        category=category,
        review_date=datetime.date(2000, 1, 1),
    )
    risk.tags.set(tags_from_names(["IT"]))
    body = api_client(member).get(f"{API}/risks/{risk.pk}/").json()
    assert (body["score"], body["residual_score"], body["trend"]) == (20, 4, "stable")
    assert body["owner"] == {
        "id": member.pk,
        "username": "member",
        "display_name": member.display_name,
    }
    assert body["created_by"]["id"] == pmo.pk
    assert body["category"] == category.pk
    assert (body["kind"], body["ref"], body["status"]) == ("risk", "ODI-R1", "open")
    assert (body["is_open"], body["is_overdue"], body["due_date"]) == (True, True, "2000-01-01")
    assert body["tags"] == ["IT"]


def test_an_action_shows_where_it_came_from(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    action = services.item_create(
        model=factories.Action, scope=org.project, by=pmo, title="Mitigate", source=risk
    )
    plain = factories.action(org.project, pmo)
    client = api_client(member)
    assert client.get(f"{API}/actions/{action.pk}/").json()["source"] == {
        "kind": "risk",
        "id": risk.pk,
        "ref": "ODI-R1",
    }
    assert client.get(f"{API}/actions/{plain.pk}/").json()["source"] is None


def test_an_action_is_created_from_a_visible_item(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    response = api_client(member).post(
        f"{API}/actions/",
        {"project": org.project.pk, "title": "Mitigate", "source": {"kind": "risk", "id": risk.pk}},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["source"] == {"kind": "risk", "id": risk.pk, "ref": "ODI-R1"}
    assert list(services.actions_from(risk).values_list("pk", flat=True)) == [response.json()["id"]]


@pytest.mark.parametrize(
    "source",
    [
        lambda org, pmo: {"kind": "risk", "id": factories.risk(org.other_project, pmo).pk},
        lambda org, pmo: {"kind": "risk", "id": 999999},
        lambda org, pmo: {"kind": "meeting", "id": 1},
        lambda org, pmo: "ODI-R1",
    ],
    ids=["hidden", "missing", "unknown-kind", "not-an-object"],
)
def test_an_action_refuses_a_source_the_caller_cannot_see(org, pmo, member, source):
    factories.risk(org.project, pmo)
    response = api_client(member).post(
        f"{API}/actions/",
        {"project": org.project.pk, "title": "Mitigate", "source": source(org, pmo)},
        format="json",
    )
    assert response.status_code == 400
    assert "source" in response.json()
    assert not factories.Action.objects.exists()


def test_a_hidden_source_reads_as_null(org, pmo, member):
    hidden = factories.risk(org.other_project, pmo)
    action = services.item_create(
        model=factories.Action, scope=org.project, by=pmo, title="Mitigate", source=hidden
    )
    assert api_client(member).get(f"{API}/actions/{action.pk}/").json()["source"] is None


def test_an_issue_from_a_risk_and_an_assumption_point_at_each_other(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    issue = services.risk_occurred(risk=risk, version=1, by=pmo)
    assumption = services.item_create(model=Assumption, scope=org.project, by=pmo, title="Holds")
    raised = services.assumption_invalidate(assumption=assumption, version=1, by=pmo)
    client = api_client(member)
    assert client.get(f"{API}/issues/{issue.pk}/").json()["source_risk"] == {
        "kind": "risk",
        "id": risk.pk,
        "ref": "ODI-R1",
    }
    assert client.get(f"{API}/assumptions/{assumption.pk}/").json()["raised_issue"] == {
        "kind": "issue",
        "id": raised.pk,
        "ref": raised.ref,
    }


def test_a_dependency_shows_on_the_other_side_and_can_be_sent_back_unchanged(org, pmo, member):
    theirs = services.item_create(
        model=Dependency,
        scope=org.other_project,
        by=pmo,
        title="Needs our design",
        other_project=org.project,
    )
    client = api_client(member)
    body = client.get(f"{API}/dependencies/{theirs.pk}/").json()
    assert (body["project"], body["other_project"]) == (org.other_project.pk, org.project.pk)
    # The member sees it but has no role on its own project: reading yes, changing no.
    answer = client.patch(
        f"{API}/dependencies/{theirs.pk}/", {"title": "x", "version": 1}, format="json"
    )
    assert answer.status_code == 403


def test_a_pmo_sends_a_dependency_back_unchanged_with_put(org, pmo):
    dependency = services.item_create(
        model=Dependency, scope=org.project, by=pmo, title="Needs policy", other_project=org.sibling
    )
    client = api_client(pmo)
    body = client.get(f"{API}/dependencies/{dependency.pk}/").json()
    writable = {
        k: body[k]
        for k in (
            "title",
            "description",
            "status",
            "direction",
            "other_project",
            "need_by",
            "version",
        )
    }
    response = client.put(f"{API}/dependencies/{dependency.pk}/", writable, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 1  # nothing changed, so no new version


def test_a_decision_records_who_decided(org, pmo, member, manager):
    decision = factories.decision(org.project, pmo)
    response = api_client(member).patch(
        f"{API}/decisions/{decision.pk}/",
        {"status": "approved", "decided_by": manager.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["decided_by"]["username"] == "manager"
    assert body["decided_on"] == datetime.date.today().isoformat()
    assert Decision.objects.get(pk=decision.pk).status == "approved"


def test_rules_of_the_model_answer_400_with_the_field(org, pmo, member):
    issue = factories.issue(org.project, pmo)
    response = api_client(member).patch(
        f"{API}/issues/{issue.pk}/", {"status": "escalated", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "escalated_to" in response.json()
    assert Issue.objects.get(pk=issue.pk).status == "open"


def test_an_opportunity_refuses_a_threat_response(org, member):
    response = api_client(member).post(
        f"{API}/risks/",
        {
            "project": org.project.pk,
            "title": "Grant",
            "probability": 3,
            "impact": 3,
            "nature": "opportunity",
            "response": "avoid",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "response" in response.json()
    assert not Risk.objects.exists()


@pytest.mark.parametrize("value", [0, 11, "high", None])
def test_a_probability_outside_the_scale_is_refused(org, member, value):
    response = api_client(member).post(
        f"{API}/risks/",
        {"project": org.project.pk, "title": "x", "probability": value, "impact": 3},
        format="json",
    )
    assert response.status_code == 400
    assert "probability" in response.json()


def test_a_form_encoded_item_works_like_json(org, member):
    response = api_client(member).post(
        f"{API}/actions/",
        {"project": org.project.pk, "title": "From a form", "source": "", "owner": ""},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["source"], body["owner"], body["priority"]) == (None, None, "medium")
