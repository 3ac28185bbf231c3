"""Every change to an item names the version it started from; a stale one answers 409."""

from __future__ import annotations

import pytest

from schakel.portfolio.models import Tag
from schakel.registers import services
from schakel.registers.models import Action, Risk
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def test_a_change_raises_the_version_and_derives_the_scores(org, pmo, member):
    risk = factories.risk(org.project, pmo, probability=2, impact=2)
    response = api_client(member).patch(
        f"{API}/risks/{risk.pk}/", {"probability": 5, "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["score"]) == (2, 10)
    assert Risk.objects.get(pk=risk.pk).score == 10


def test_a_stale_change_answers_409_with_the_current_item_and_changes_nothing(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    services.item_update(item=risk, version=1, by=pmo, title="Renamed by the PMO")
    response = api_client(member).patch(
        f"{API}/risks/{risk.pk}/",
        {"title": "Mine", "tags": ["Fresh"], "version": 1},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["current"]["title"] == "Renamed by the PMO"
    assert body["current"]["version"] == 2
    assert body["current"]["ref"] == "ODI-R1"
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("Renamed by the PMO", 2)
    assert not Tag.objects.filter(name="Fresh").exists()


def test_a_stale_put_answers_409_too(org, pmo, member):
    action = factories.action(org.project, pmo)
    services.item_update(item=action, version=1, by=pmo, status="in_progress")
    response = api_client(member).put(
        f"{API}/actions/{action.pk}/", {"title": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 409
    action.refresh_from_db()
    assert (action.title, action.status, action.version) == ("Call the supplier", "in_progress", 2)


def test_a_conflict_does_not_reveal_a_source_the_caller_cannot_see(org, pmo, member):
    hidden = factories.risk(org.other_project, pmo)
    action = services.item_create(
        model=Action, scope=org.project, by=pmo, title="Mitigate", source=hidden
    )
    services.item_update(item=action, version=1, by=pmo, title="Renamed")
    response = api_client(member).patch(
        f"{API}/actions/{action.pk}/", {"title": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["source"] is None


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_change_without_a_version_is_refused(org, pmo, member, method):
    action = factories.action(org.project, pmo)
    response = getattr(api_client(member), method)(
        f"{API}/actions/{action.pk}/", {"title": "Mine"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()
    assert Action.objects.get(pk=action.pk).title == "Call the supplier"


def test_sending_an_item_back_unchanged_keeps_its_version(org, pmo, member):
    risk = factories.risk(org.project, pmo, owner=pmo)
    response = api_client(member).patch(
        f"{API}/risks/{risk.pk}/",
        {"title": risk.title, "owner": pmo.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1
