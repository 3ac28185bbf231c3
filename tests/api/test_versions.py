"""Every update names the version it started from; a stale one answers 409 and changes nothing."""

from __future__ import annotations

import pytest

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import services
from schakel.portfolio.models import Portfolio, Programme, Project, Tag, Theme
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _changed_elsewhere(project, **changes):
    """Simulate someone else's save between our read and our write."""
    Project.objects.filter(pk=project.pk).update(version=project.version + 1, **changes)


def test_an_update_raises_the_version_by_one(org, manager):
    response = api_client(manager).patch(
        f"{API}/projects/{org.project.pk}/", {"name": "Renamed", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["name"] == "Renamed"
    assert Project.objects.get(pk=org.project.pk).version == 2


def test_a_stale_project_update_answers_409_with_the_current_state(org, manager, pmo):
    _changed_elsewhere(org.project, name="Changed by PMO")
    response = api_client(manager).patch(
        f"{API}/projects/{org.project.pk}/",
        {"name": "Mine", "tags": ["Late"], "version": 1},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["current"]["name"] == "Changed by PMO"
    assert body["current"]["version"] == 2
    assert body["current"]["id"] == org.project.pk
    project = Project.objects.get(pk=org.project.pk)
    assert (project.name, project.version) == ("Changed by PMO", 2)
    assert not Tag.objects.filter(name="Late").exists()


def test_a_stale_put_answers_409_too(org, manager, pmo):
    _changed_elsewhere(org.project, name="Changed by PMO")
    response = api_client(manager).put(
        f"{API}/projects/{org.project.pk}/",
        {"key": "ODI", "name": "Mine", "version": 1},
        format="json",
    )
    assert response.status_code == 409
    assert Project.objects.get(pk=org.project.pk).name == "Changed by PMO"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_an_update_without_a_version_is_refused(org, manager, method):
    response = getattr(api_client(manager), method)(
        f"{API}/projects/{org.project.pk}/", {"key": "ODI", "name": "Mine"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()
    assert Project.objects.get(pk=org.project.pk).name == "Org design"


def test_a_stale_programme_update_answers_409(org, manager, pmo):
    services.programme_update(programme=org.programme, version=1, by=pmo, name="Renamed")
    response = api_client(manager).patch(
        f"{API}/programmes/{org.programme.pk}/", {"state": "closed", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["name"] == "Renamed"
    assert Programme.objects.get(pk=org.programme.pk).state == "active"


def test_a_stale_portfolio_update_answers_409(org, pmo):
    services.portfolio_update(portfolio=org.portfolio, version=1, by=pmo, name="Renamed")
    response = api_client(pmo).patch(
        f"{API}/portfolios/{org.portfolio.pk}/", {"name": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["version"] == 2
    assert Portfolio.objects.get(pk=org.portfolio.pk).name == "Renamed"


def test_a_stale_theme_update_answers_409(org, manager):
    services.theme_update(theme=org.theme, version=1, by=manager, name="Renamed")
    response = api_client(manager).patch(
        f"{API}/themes/{org.theme.pk}/", {"name": "Mine", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert Theme.objects.get(pk=org.theme.pk).name == "Renamed"


def test_a_stale_move_answers_409_and_leaves_the_project(org, pmo):
    _changed_elsewhere(org.project, name="Changed")
    response = api_client(pmo).post(
        f"{API}/projects/{org.project.pk}/move/",
        {"programme": org.other_programme.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["current"]["programme"] == org.programme.pk
    assert Project.objects.get(pk=org.project.pk).programme_id == org.programme.pk


def test_a_stale_membership_update_answers_409(org, manager):
    person = UserFactory()
    membership = Membership.objects.create(user=person, project=org.project, role=Role.VIEWER)
    services.membership_update(membership=membership, role=Role.MEMBER, version=1, by=manager)
    response = api_client(manager).patch(
        f"{API}/memberships/{membership.pk}/", {"role": "manager", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["current"]["role"] == "member"
    assert Membership.objects.get(pk=membership.pk).role == Role.MEMBER
