"""Login throttling (django-axes) on every path that checks a password."""

from __future__ import annotations

import pytest
from axes.utils import reset
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def axes_on(settings):
    """Turn throttling on (the suite turns it off) with a clean slate of attempts."""
    settings.AXES_ENABLED = True
    reset()
    yield settings.AXES_FAILURE_LIMIT
    reset()


def _fail(client: Client, url: str, username: str, times: int):
    response = None
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong-password"})
    return response


def test_the_login_page_locks_out_after_the_failure_limit(axes_on, outsider):
    client = Client()

    response = _fail(client, LOGIN, "outsider", axes_on)

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_a_locked_out_user_cannot_log_in_even_with_the_right_password(axes_on, outsider):
    client = Client()
    _fail(client, LOGIN, "outsider", axes_on)

    response = client.post(LOGIN, {"username": "outsider", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_out_page_says_when_to_try_again(axes_on, outsider, settings):
    settings.AXES_COOLOFF_TIME = 0.25

    response = _fail(Client(), LOGIN, "outsider", axes_on)

    body = response.content.decode()
    assert "Try again in 15 minutes." in body
    assert f"locked after {axes_on} wrong passwords" in body


def test_the_right_password_works_before_the_limit(axes_on, outsider):
    client = Client()
    _fail(client, LOGIN, "outsider", axes_on - 1)

    response = client.post(LOGIN, {"username": "outsider", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(outsider.pk)


def test_the_admin_login_locks_out_after_the_failure_limit(axes_on, admin_user):
    client = Client()

    before = _fail(client, ADMIN_LOGIN, "admin", axes_on - 1)
    response = _fail(client, ADMIN_LOGIN, "admin", 1)

    assert before.status_code == 200
    assert response.status_code == 429
    response = client.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_login_works_before_the_limit(axes_on, admin_user):
    client = Client()
    _fail(client, ADMIN_LOGIN, "admin", axes_on - 1)

    response = client.post(ADMIN_LOGIN, {"username": "admin", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_wrong_old_passwords_on_the_password_change_form_lock_out(axes_on, outsider, client_as):
    client = client_as(outsider)
    url = reverse("accounts:password_change")
    attempt = {
        "old_password": "wrong-password",
        "new_password1": "a-new-long-passphrase-42",
        "new_password2": "a-new-long-passphrase-42",
    }

    responses = [client.post(url, attempt) for _ in range(axes_on)]

    assert [r.status_code for r in responses[:-1]] == [200] * (axes_on - 1)
    assert responses[-1].status_code == 429
    # Locked out, even the right old password is refused and the password stays.
    right = dict(attempt, old_password=PASSWORD)
    assert client.post(url, right).status_code == 429
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)
