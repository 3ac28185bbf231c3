"""Giving, changing and taking away roles through the API."""

from __future__ import annotations

import pytest

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


def _grant(caller, **body):
    return api_client(caller).post(f"{API}/memberships/", body, format="json")


def test_a_manager_gives_a_newcomer_a_role_on_a_project(org, manager, newcomer):
    response = _grant(manager, user=newcomer.pk, role="member", project=org.project.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"]["username"] == "newcomer"
    assert (body["scope_kind"], body["scope_name"], body["version"]) == (
        "project",
        str(org.project),
        1,
    )
    assert Membership.objects.get(user=newcomer, project=org.project).role == Role.MEMBER
    # The newcomer sees the project straight away.
    assert api_client(newcomer).get(f"{API}/projects/{org.project.pk}/").status_code == 200


def test_nobody_grants_a_role_above_their_own(org, manager, newcomer):
    response = _grant(manager, user=newcomer.pk, role="pmo", programme=org.programme.pk)
    assert response.status_code == 400
    assert list(response.json()) == ["role"]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_member_may_not_grant_roles(org, member, newcomer):
    response = _grant(member, user=newcomer.pk, role="viewer", project=org.project.pk)
    assert response.status_code == 403


def test_a_scope_the_caller_cannot_see_reads_as_missing(org, manager, newcomer):
    response = _grant(manager, user=newcomer.pk, role="viewer", project=org.other_project.pk)
    assert response.status_code == 400
    assert "does not exist" in response.json()["project"][0]


def test_exactly_one_scope_is_needed(org, pmo, newcomer):
    none = _grant(pmo, user=newcomer.pk, role="viewer")
    both = _grant(
        pmo, user=newcomer.pk, role="viewer", project=org.project.pk, programme=org.programme.pk
    )
    assert none.status_code == both.status_code == 400
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_second_role_on_the_same_scope_is_refused(org, manager, member):
    response = _grant(manager, user=member.pk, role="viewer", project=org.project.pk)
    assert response.status_code == 400
    assert "user" in response.json()


def test_an_inactive_account_reads_as_missing(org, manager, newcomer):
    newcomer.is_active = False
    newcomer.save()
    response = _grant(manager, user=newcomer.pk, role="viewer", project=org.project.pk)
    assert response.status_code == 400
    assert "user" in response.json()


def test_a_manager_changes_a_role_with_the_version(org, manager, member):
    membership = Membership.objects.get(user=member)
    response = api_client(manager).patch(
        f"{API}/memberships/{membership.pk}/", {"role": "viewer", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["role"], response.json()["version"]) == ("viewer", 2)
    assert Membership.objects.get(pk=membership.pk).role == Role.VIEWER


def test_a_role_change_needs_the_version(org, manager, member):
    membership = Membership.objects.get(user=member)
    response = api_client(manager).patch(
        f"{API}/memberships/{membership.pk}/", {"role": "viewer"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["version"]


def test_the_person_and_scope_of_a_membership_stay(org, manager, member, viewer):
    membership = Membership.objects.get(user=member)
    response = api_client(manager).patch(
        f"{API}/memberships/{membership.pk}/",
        {"user": viewer.pk, "project": org.sibling.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"user", "project"}


def test_a_viewer_may_not_change_roles(org, viewer, member):
    membership = Membership.objects.get(user=member)
    response = api_client(viewer).patch(
        f"{API}/memberships/{membership.pk}/", {"role": "manager", "version": 1}, format="json"
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).role == Role.MEMBER


def test_a_manager_takes_a_role_away(org, manager, member):
    membership = Membership.objects.get(user=member)
    response = api_client(manager).delete(f"{API}/memberships/{membership.pk}/")
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_manager_cannot_take_away_a_higher_role(org, manager, pmo):
    membership = Membership.objects.get(user=pmo)
    response = api_client(manager).delete(f"{API}/memberships/{membership.pk}/")
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
