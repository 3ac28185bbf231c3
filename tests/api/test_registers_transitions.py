"""One-click transitions: a risk occurs, an assumption proves invalid; each raises an issue."""

from __future__ import annotations

import pytest

from schakel.registers import services
from schakel.registers.models import Assumption, Issue, Risk
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def test_an_occurred_risk_answers_201_with_the_new_issue(org, pmo, member):
    risk = factories.risk(org.project, pmo, probability=4, impact=5)
    response = api_client(member).post(
        f"{API}/risks/{risk.pk}/occurred/", {"version": 1}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["ref"], body["priority"]) == ("issue", "ODI-I1", "critical")
    assert body["source_risk"] == {"kind": "risk", "id": risk.pk, "ref": "ODI-R1"}
    risk.refresh_from_db()
    assert (risk.status, risk.version) == (Risk.Status.OCCURRED, 2)
    assert risk.occurred_on is not None


def test_a_second_click_answers_200_with_the_same_issue(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    client = api_client(member)
    first = client.post(f"{API}/risks/{risk.pk}/occurred/", {"version": 1}, format="json")
    again = client.post(f"{API}/risks/{risk.pk}/occurred/", {"version": 2}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Issue.objects.count() == 1


def test_a_stale_occurred_answers_409_and_raises_no_issue(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    services.item_update(item=risk, version=1, by=pmo, title="Renamed")
    response = api_client(member).post(
        f"{API}/risks/{risk.pk}/occurred/", {"version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["title"] == "Renamed"
    assert Risk.objects.get(pk=risk.pk).status == Risk.Status.OPEN
    assert not Issue.objects.exists()


@pytest.mark.parametrize("body", [{}, {"version": "x"}, {"version": 1, "status": "open"}])
def test_occurred_needs_exactly_a_version(org, pmo, member, body):
    risk = factories.risk(org.project, pmo)
    response = api_client(member).post(f"{API}/risks/{risk.pk}/occurred/", body, format="json")
    assert response.status_code == 400
    assert not Issue.objects.exists()


def test_an_invalid_assumption_raises_an_issue(org, pmo, member):
    assumption = services.item_create(
        model=Assumption, scope=org.project, by=pmo, title="Budget holds", consequence="Cut scope"
    )
    response = api_client(member).post(
        f"{API}/assumptions/{assumption.pk}/invalidate/", {"version": 1}, format="json"
    )
    assert response.status_code == 201
    issue = Issue.objects.get(pk=response.json()["id"])
    assert issue.description == "Cut scope"
    assumption.refresh_from_db()
    assert (assumption.status, assumption.raised_issue_id) == ("invalid", issue.pk)


def test_transitions_exist_only_where_they_make_sense(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    action = factories.action(org.project, pmo)
    client = api_client(member)
    assert client.post(f"{API}/risks/{risk.pk}/invalidate/", {"version": 1}).status_code == 404
    assert client.post(f"{API}/actions/{action.pk}/occurred/", {"version": 1}).status_code == 404


def test_outsiders_and_viewers_cannot_raise_issues(org, pmo, outsider, viewer):
    risk = factories.risk(org.project, pmo)
    url = f"{API}/risks/{risk.pk}/occurred/"
    assert api_client(outsider).post(url, {"version": 1}, format="json").status_code == 404
    assert api_client(viewer).post(url, {"version": 1}, format="json").status_code == 403
    assert not Issue.objects.exists()
