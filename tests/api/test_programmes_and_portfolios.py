"""Portfolios, programmes and themes through the API: create, change, archive."""

from __future__ import annotations

import pytest

from schakel.accounts.models import Membership, Role
from schakel.portfolio.models import Portfolio, Programme, Theme
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def test_a_new_portfolio_makes_its_creator_its_pmo(admin_user):
    response = api_client(admin_user).post(
        f"{API}/portfolios/", {"name": "Care", "description": "All of care"}, format="json"
    )
    assert response.status_code == 201, response.json()
    portfolio = Portfolio.objects.get(name="Care")
    assert response.json()["url"] == f"http://testserver/portfolios/{portfolio.pk}/"
    assert Membership.objects.get(portfolio=portfolio).user == admin_user


def test_a_pmo_renames_their_portfolio(org, pmo):
    response = api_client(pmo).put(
        f"{API}/portfolios/{org.portfolio.pk}/", {"name": "Change", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["version"]) == ("Change", 2)


def test_a_pmo_creates_a_programme_with_people_and_dates(org, pmo, manager):
    response = api_client(pmo).post(
        f"{API}/programmes/",
        {
            "portfolio": org.portfolio.pk,
            "name": "Digital",
            "manager": manager.pk,
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["portfolio_name"] == "Change portfolio"
    assert body["manager"]["id"] == manager.pk
    assert (body["state"], body["archived"], body["version"]) == ("active", False, 1)
    assert Programme.objects.get(name="Digital").manager == manager


def test_a_programme_update_checks_its_dates(org, manager):
    response = api_client(manager).patch(
        f"{API}/programmes/{org.programme.pk}/",
        {"start_date": "2027-06-01", "end_date": "2027-01-01", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["end_date"]
    assert Programme.objects.get(pk=org.programme.pk).start_date is None


def test_a_programme_update_changes_its_manager(org, manager, member):
    response = api_client(manager).patch(
        f"{API}/programmes/{org.programme.pk}/",
        {"manager": member.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert Programme.objects.get(pk=org.programme.pk).manager == member


def test_archive_and_unarchive_a_programme(org, manager):
    client = api_client(manager)
    response = client.post(f"{API}/programmes/{org.programme.pk}/archive/")
    assert response.status_code == 200
    assert response.json()["archived"] is True
    assert client.get(f"{API}/programmes/").json()["count"] == 0
    response = client.post(f"{API}/programmes/{org.programme.pk}/unarchive/")
    assert response.json()["archived"] is False
    assert Programme.objects.get(pk=org.programme.pk).archived_at is None


def test_a_new_theme_goes_last(org, manager):
    response = api_client(manager).post(
        f"{API}/themes/", {"programme": org.programme.pk, "name": "Quick wins"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["position"] == org.theme.position + 1
    assert response.json()["programme_name"] == "Support services"


def test_a_theme_is_renamed_and_moved_up(org, manager):
    response = api_client(manager).patch(
        f"{API}/themes/{org.theme.pk}/", {"name": "Design", "position": 0, "version": 1}
    )
    assert response.status_code == 200, response.json()
    theme = Theme.objects.get(pk=org.theme.pk)
    assert (theme.name, theme.position, theme.version) == ("Design", 0, 2)


def test_a_new_theme_cannot_choose_its_position(org, manager):
    response = api_client(manager).post(
        f"{API}/themes/",
        {"programme": org.programme.pk, "name": "First", "position": 0},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["position"]


def test_a_programme_role_holder_sees_the_programmes_memberships(org, manager, member):
    rows = api_client(manager).get(f"{API}/memberships/", {"programme": org.programme.pk})
    assert [(r["user"]["username"], r["role"]) for r in rows.json()["results"]] == [
        ("manager", Role.MANAGER)
    ]
