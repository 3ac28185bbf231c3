"""The API accepts `Authorization: Token <key>` and refuses revoked or unknown keys."""

from __future__ import annotations

import pytest
from django.test import Client

from schakel.accounts import services
from schakel.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

# The API root needs an authenticated user, like every endpoint but the schema.
URL = "/api/v1/"


def _get(key: str | None = None):
    headers = {"Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Token {key}"
    return Client().get(URL, headers=headers)


def test_without_a_token_the_api_refuses(outsider):
    assert _get().status_code in {401, 403}


def test_a_valid_token_authenticates_and_records_its_use(outsider):
    token, key = services.token_create(user=outsider, name="ci")

    response = _get(key)

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(outsider):
    token, key = services.token_create(user=outsider, name="ci")
    services.token_revoke(token=token)

    response = _get(key)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_refused(outsider):
    services.token_create(user=outsider, name="ci")

    assert _get("not-a-real-key").status_code == 401


def test_a_token_revoked_on_the_profile_page_stops_working(outsider, client_as):
    token, key = services.token_create(user=outsider, name="ci")
    assert _get(key).status_code == 200

    client_as(outsider).post(f"/accounts/tokens/{token.pk}/revoke/")

    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert _get(key).status_code == 401


def test_a_token_user_gets_answers_in_their_own_language(outsider):
    outsider.language = "nl"
    outsider.save(update_fields=["language"])
    _token, key = services.token_create(user=outsider, name="ci")

    response = Client().get(
        "/api/v1/projects/999999/",
        headers={"Authorization": f"Token {key}", "Accept-Language": "en"},
    )

    assert response.status_code == 404
    assert response["Content-Language"] == "nl"
    assert response.json()["detail"] != "No Project matches the given query."
    assert response.json()["detail"] != "Not found."
