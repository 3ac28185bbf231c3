"""People through the API: only those who share a scope, e-mail only for oneself; `me/`."""

from __future__ import annotations

import pytest

from schakel.accounts.models import User
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio.models import Project
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db


def test_a_member_sees_the_people_of_the_scopes_they_see(org, member, viewer, manager, pmo):
    stranger = UserFactory()
    response = api_client(member).get(f"{API}/users/")
    assert response.status_code == 200
    assert ids(response) == {member.pk, viewer.pk, manager.pk, pmo.pk}
    assert api_client(member).get(f"{API}/users/{stranger.pk}/").status_code == 404


def test_the_manager_and_sponsor_of_a_visible_project_are_visible(org, viewer):
    sponsor = UserFactory()
    Project.objects.filter(pk=org.project.pk).update(sponsor=sponsor)
    assert api_client(viewer).get(f"{API}/users/{sponsor.pk}/").status_code == 200


def test_a_site_administrator_sees_everyone(org, admin_user, outsider):
    response = api_client(admin_user).get(f"{API}/users/")
    assert ids(response) == set(User.objects.values_list("pk", flat=True))
    assert api_client(admin_user).get(f"{API}/users/{outsider.pk}/").json()["email"] == (
        "outsider@example.org"
    )


def test_an_email_address_shows_only_to_its_owner(org, member, viewer):
    client = api_client(member)
    assert client.get(f"{API}/users/{member.pk}/").json()["email"] == "member@example.org"
    other = client.get(f"{API}/users/{viewer.pk}/").json()
    assert other["email"] is None
    assert set(other) == {"id", "username", "display_name", "first_name", "last_name", "email"}


def test_me_shows_the_callers_profile(org, member):
    body = api_client(member).get(f"{API}/users/me/").json()
    assert body["id"] == member.pk
    assert body["username"] == "member"
    assert body["email"] == "member@example.org"
    assert {"language", "time_zone", "first_name", "last_name", "display_name"} <= set(body)


def test_me_changes_names_language_and_time_zone(org, member):
    response = api_client(member).patch(
        f"{API}/users/me/",
        {"first_name": "Mia", "language": "nl", "time_zone": "Europe/Amsterdam"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    member.refresh_from_db()
    assert (member.first_name, member.language, member.time_zone) == (
        "Mia",
        "nl",
        "Europe/Amsterdam",
    )
    assert member.history.first().history_user == member


@pytest.mark.parametrize(
    "body",
    [
        {"time_zone": "Mars/Olympus"},
        {"language": "fr"},
        {"email": "not an address"},
        {"username": "someone-else"},
        {"is_superuser": True},
    ],
    ids=lambda body: next(iter(body)),
)
def test_me_refuses_bad_or_forbidden_changes(org, member, body):
    response = api_client(member).patch(f"{API}/users/me/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(body)
    member.refresh_from_db()
    assert (member.username, member.is_superuser, member.time_zone) == ("member", False, "")


def test_users_cannot_be_changed_through_the_list(org, member):
    response = api_client(member).patch(f"{API}/users/{member.pk}/", {"first_name": "X"})
    assert response.status_code == 405
