"""The top bar's language switcher (POST /i18n/setlang/)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("set_language")


def test_a_logged_in_users_choice_is_saved_on_the_profile(outsider, client_as, settings):
    client = client_as(outsider)

    response = client.post(URL, {"language": "nl", "next": "/accounts/profile/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    outsider.refresh_from_db()
    assert outsider.language == "nl"
    assert '<html lang="nl">' in client.get("/accounts/profile/").content.decode()


def test_an_anonymous_visitor_gets_the_cookie_only(outsider, settings):
    client = Client()

    response = client.post(URL, {"language": "nl", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    outsider.refresh_from_db()
    assert outsider.language == ""
    assert '<html lang="nl">' in client.get("/accounts/login/").content.decode()


def test_an_unknown_language_changes_nothing(outsider, client_as, settings):
    response = client_as(outsider).post(URL, {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    outsider.refresh_from_db()
    assert outsider.language == ""


def test_it_only_takes_a_post(outsider, client_as):
    assert client_as(outsider).get(URL, {"language": "nl"}).status_code == 405
