"""Foreign keys in a body only reach objects the caller may see; hidden ones read as missing."""

from __future__ import annotations

import pytest

from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio.models import Project, Theme
from schakel.portfolio.tests.factories import ThemeFactory
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _create(user, **body):
    return api_client(user).post(
        f"{API}/projects/", {"key": "NEW", "name": "New", **body}, format="json"
    )


def test_a_hidden_programme_reads_exactly_like_a_missing_one(org, manager):
    hidden = _create(manager, programme=org.other_programme.pk)
    missing = _create(manager, programme=999999)
    assert hidden.status_code == missing.status_code == 400
    assert "does not exist" in hidden.json()["programme"][0]
    assert hidden.json()["programme"][0] == missing.json()["programme"][0].replace(
        "999999", str(org.other_programme.pk)
    )
    assert not Project.objects.filter(key="NEW").exists()


def test_a_theme_of_another_programme_is_refused(org, pmo):
    other_theme = ThemeFactory(programme=org.other_programme)
    response = _create(pmo, programme=org.programme.pk, theme=other_theme.pk)
    assert response.status_code == 400
    assert list(response.json()) == ["theme"]
    assert not Project.objects.filter(key="NEW").exists()


def test_a_theme_of_another_programme_is_refused_on_update(org, pmo):
    other_theme = ThemeFactory(programme=org.other_programme)
    response = api_client(pmo).patch(
        f"{API}/projects/{org.project.pk}/", {"theme": other_theme.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["theme"]
    assert Project.objects.get(pk=org.project.pk).theme_id == org.theme.pk


def test_a_hidden_theme_reads_as_missing(org, manager):
    hidden_theme = ThemeFactory(programme=org.other_programme)
    response = _create(manager, programme=org.programme.pk, theme=hidden_theme.pk)
    assert response.status_code == 400
    assert "does not exist" in response.json()["theme"][0]


def test_a_manager_the_caller_cannot_see_reads_as_missing(org, manager):
    stranger = UserFactory()
    response = _create(manager, programme=org.programme.pk, manager=stranger.pk)
    assert response.status_code == 400
    assert "does not exist" in response.json()["manager"][0]


def test_a_person_in_the_callers_scope_can_be_made_project_manager(org, manager, member):
    response = _create(manager, programme=org.programme.pk, manager=member.pk, sponsor=manager.pk)
    assert response.status_code == 201
    project = Project.objects.get(key="NEW")
    assert (project.manager, project.sponsor) == (member, manager)
    assert response.json()["manager"] == {
        "id": member.pk,
        "username": "member",
        "display_name": member.display_name,
    }


def test_an_inactive_person_cannot_be_made_project_manager(org, manager, member):
    member.is_active = False
    member.save()
    response = _create(manager, programme=org.programme.pk, manager=member.pk)
    assert response.status_code == 400
    assert "manager" in response.json()


def test_sending_back_an_unchanged_person_never_fails(org, admin_user, manager):
    stranger = UserFactory(is_active=False)
    Project.objects.filter(pk=org.project.pk).update(sponsor=stranger)
    response = api_client(manager).patch(
        f"{API}/projects/{org.project.pk}/",
        {"sponsor": stranger.pk, "name": "Same sponsor", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["sponsor"]["id"] == stranger.pk


def test_a_hidden_portfolio_reads_as_missing_when_creating_a_programme(org, outsider):
    response = api_client(outsider).post(
        f"{API}/programmes/", {"portfolio": org.portfolio.pk, "name": "Mine"}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["portfolio"][0]


def test_a_hidden_programme_reads_as_missing_when_adding_a_theme(org, manager):
    response = api_client(manager).post(
        f"{API}/themes/", {"programme": org.other_programme.pk, "name": "Mine"}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["programme"][0]
    assert not Theme.objects.filter(name="Mine").exists()


def test_moving_to_a_hidden_programme_reads_as_missing(org, member):
    # A PMO on the project alone sees neither programme but its own.
    from schakel.accounts.models import Membership, Role

    Membership.objects.filter(user=member).update(role=Role.PMO)
    response = api_client(member).post(
        f"{API}/projects/{org.project.pk}/move/",
        {"programme": org.other_programme.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["programme"][0]


def test_moving_to_a_programme_without_write_role_is_forbidden(org, member):
    from schakel.accounts.models import Membership, Role

    Membership.objects.filter(user=member).update(role=Role.PMO)
    Membership.objects.create(user=member, programme=org.other_programme, role=Role.VIEWER)
    response = api_client(member).post(
        f"{API}/projects/{org.project.pk}/move/",
        {"programme": org.other_programme.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 403
    assert Project.objects.get(pk=org.project.pk).programme_id == org.programme.pk
