"""API tokens on the profile page: create (key shown once), list, revoke."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from schakel.accounts import services
from schakel.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
CREATE = reverse("accounts:token_create")


def _revoke_url(token: ApiToken) -> str:
    return reverse("accounts:token_revoke", args=[token.pk])


def test_creating_a_token_shows_the_key_once_and_stores_only_its_hash(outsider, client_as):
    client = client_as(outsider)

    response = client.post(CREATE, {"name": "reporting script"})

    assert response.status_code == 200
    key = response.context["new_key"]
    body = response.content.decode()
    assert f'<p class="token-once" id="new-token-key">{key}</p>' in body
    token = ApiToken.objects.get(user=outsider)
    assert token.name == "reporting script"
    assert token.key_hash == hash_token(key)
    assert key not in {token.key_hash, token.prefix, token.name}
    assert key.startswith(token.prefix)
    assert response["Cache-Control"].startswith("max-age=0")
    # Never again: the profile lists the token by its prefix, without the key.
    again = client.get(PROFILE).content.decode()
    assert "reporting script" in again
    assert f"{token.prefix}…" in again
    assert key not in again


def test_an_htmx_create_answers_with_the_tokens_card_only(outsider, client_as):
    response = client_as(outsider).post(CREATE, {"name": "ci"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card" id="api-tokens"')
    assert "<html" not in body
    match = re.search(r'id="new-token-key">([^<]+)</p>', body)
    assert match
    key = match.group(1)
    assert ApiToken.objects.get(user=outsider).key_hash == hash_token(key)
    assert "HX-Request" in response["Vary"]


def test_a_token_without_a_name_is_a_field_error(outsider, client_as):
    response = client_as(outsider).post(CREATE, {"name": ""})

    assert response.status_code == 200
    assert "name" in response.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_the_profile_lists_tokens_with_their_status(outsider, client_as):
    active, _ = services.token_create(user=outsider, name="active one")
    revoked, _ = services.token_create(user=outsider, name="old one")
    services.token_revoke(token=revoked)

    body = client_as(outsider).get(PROFILE).content.decode()

    assert "active one" in body
    assert "old one" in body
    assert 'class="badge badge-active"' in body
    assert 'class="badge badge-closed"' in body
    assert _revoke_url(active) in body
    assert _revoke_url(revoked) not in body


def test_another_users_tokens_are_not_listed(outsider, viewer, client_as):
    services.token_create(user=viewer, name="viewer's token")

    body = client_as(outsider).get(PROFILE).content.decode()

    assert "viewer&#x27;s token" not in body
    assert "You have no API tokens yet" in body


def test_revoking_an_own_token_confirms_first_and_redirects(outsider, client_as):
    token, _ = services.token_create(user=outsider, name="ci")
    client = client_as(outsider)
    assert "data-confirm=" in client.get(PROFILE).content.decode()

    response = client.post(_revoke_url(token))

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.is_active


def test_another_users_token_answers_404_and_stays_active(outsider, viewer, client_as):
    token, _ = services.token_create(user=viewer, name="ci")

    response = client_as(outsider).post(_revoke_url(token))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_takes_a_post(outsider, client_as):
    token, _ = services.token_create(user=outsider, name="ci")

    assert client_as(outsider).get(_revoke_url(token)).status_code == 405


@pytest.mark.parametrize("method", ["create", "revoke"])
def test_an_anonymous_visitor_is_sent_to_login(outsider, method):
    token, _ = services.token_create(user=outsider, name="ci")
    url = CREATE if method == "create" else _revoke_url(token)

    response = Client().post(url, {"name": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None
