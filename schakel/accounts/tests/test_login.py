"""The login page: logging in and out, where it sends people, and the demo logins box."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from schakel.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME = reverse("registers:home")


def test_the_login_page_has_labelled_fields():
    response = Client().get(LOGIN)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<label for="id_username">' in body
    assert '<label for="id_password">' in body
    assert reverse("accounts:password_reset") in body


def test_a_correct_password_logs_in_and_goes_home(outsider):
    client = Client()

    response = client.post(LOGIN, {"username": "outsider", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.session["_auth_user_id"] == str(outsider.pk)


def test_a_wrong_password_shows_an_error_and_does_not_log_in(outsider):
    client = Client()

    response = client.post(LOGIN, {"username": "outsider", "password": "wrong"})

    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_next_is_followed_to_a_page_of_this_site(outsider):
    response = Client().post(
        LOGIN, {"username": "outsider", "password": PASSWORD, "next": "/accounts/profile/"}
    )

    assert response["Location"] == "/accounts/profile/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/steal", "//evil.example/", "http://testserver.evil/"]
)
def test_next_is_ignored_when_it_points_at_another_site(outsider, next_url):
    response = Client().post(
        LOGIN, {"username": "outsider", "password": PASSWORD, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_a_logged_in_user_who_opens_login_is_sent_home(outsider, client_as):
    response = client_as(outsider).get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_logging_out_takes_a_post_and_returns_to_login(outsider, client_as):
    client = client_as(outsider)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_logging_out_by_get_is_refused(outsider, client_as):
    client = client_as(outsider)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


class TestDemoLogins:
    def _demo_users(self):
        for name in ("admin", "pmo", "manager", "member", "viewer", "outsider"):
            UserFactory(username=name)

    def test_they_are_listed_with_the_password_hint_in_debug_mode(self, settings):
        settings.DEBUG = True
        settings.SCHAKEL_DEMO_PASSWORD = "hint-123"
        self._demo_users()

        body = Client().get(LOGIN).content.decode()

        assert "Demo logins" in body
        assert "hint-123" in body
        for name in ("admin", "pmo", "manager", "member", "viewer", "outsider"):
            assert f'<span class="mono">{name}</span>' in body

    def test_they_are_hidden_when_debug_is_off(self, settings):
        settings.DEBUG = False
        settings.SCHAKEL_DEMO_PASSWORD = "hint-123"
        self._demo_users()

        body = Client().get(LOGIN).content.decode()

        assert "Demo logins" not in body
        assert "hint-123" not in body

    def test_they_are_hidden_when_no_demo_users_exist(self, settings):
        settings.DEBUG = True
        settings.SCHAKEL_DEMO_PASSWORD = "hint-123"
        UserFactory(username="alice")

        body = Client().get(LOGIN).content.decode()

        assert "Demo logins" not in body
