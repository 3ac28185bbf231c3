"""API tokens: the caller manages their own; `Authorization: Token <key>` authenticates."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from schakel.accounts.models import ApiToken
from schakel.accounts.services import token_create, token_revoke
from schakel.portfolio.models import Project
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_authenticates_as_its_owner(org, member):
    _, key = token_create(user=member, name="script")
    client = _token_client(key)
    assert client.get(f"{API}/users/me/").json()["username"] == "member"
    projects = client.get(f"{API}/projects/").json()["results"]
    assert [row["key"] for row in projects] == ["ODI"]


def test_a_token_can_write_what_its_owner_may(org, manager):
    _, key = token_create(user=manager, name="script")
    response = _token_client(key).post(f"{API}/projects/{org.project.pk}/archive/")
    assert response.status_code == 200
    assert Project.objects.get(pk=org.project.pk).is_archived


def test_a_revoked_token_is_refused(org, member):
    token, key = token_create(user=member, name="script")
    token_revoke(token=token)
    response = _token_client(key).get(f"{API}/projects/")
    assert response.status_code == 401


def test_a_wrong_token_is_refused(org):
    assert _token_client("not-a-key").get(f"{API}/projects/").status_code == 401


def test_creating_a_token_shows_its_key_once(org, member):
    client = api_client(member)
    response = client.post(f"{API}/tokens/", {"name": "CI"}, format="json")
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == member
    assert body["key"].startswith(body["prefix"])
    assert body["active"] is True
    # The key works, and is never shown again; the hash never at all.
    assert _token_client(body["key"]).get(f"{API}/users/me/").status_code == 200
    listed = client.get(f"{API}/tokens/").json()["results"]
    assert [row["id"] for row in listed] == [token.pk]
    assert "key" not in listed[0] and "key_hash" not in listed[0]
    assert token.key_hash not in str(listed)
    assert "key" not in client.get(f"{API}/tokens/{token.pk}/").json()


def test_a_token_body_may_not_set_its_prefix_or_status(org, member):
    response = api_client(member).post(
        f"{API}/tokens/", {"name": "CI", "prefix": "abc", "revoked_at": None}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"prefix", "revoked_at"}


def test_only_ones_own_tokens_are_listed_and_revocable(org, member, viewer):
    theirs, _ = token_create(user=viewer, name="theirs")
    client = api_client(member)
    assert client.get(f"{API}/tokens/").json()["count"] == 0
    assert client.get(f"{API}/tokens/{theirs.pk}/").status_code == 404
    assert client.delete(f"{API}/tokens/{theirs.pk}/").status_code == 404
    assert client.post(f"{API}/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).is_active


def test_delete_revokes_and_keeps_the_token_listed(org, member):
    token, key = token_create(user=member, name="old")
    client = api_client(member)
    assert client.delete(f"{API}/tokens/{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(f"{API}/tokens/{token.pk}/").json()["active"] is False
    assert _token_client(key).get(f"{API}/users/me/").status_code == 401


def test_post_revoke_answers_the_revoked_token(org, member):
    token, key = token_create(user=member, name="old")
    response = api_client(member).post(f"{API}/tokens/{token.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert response.json()["revoked_at"] is not None
    assert _token_client(key).get(f"{API}/projects/").status_code == 401
