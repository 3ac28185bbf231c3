"""Changing one's password."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password_change")
NEW = "a-new-long-passphrase-42"


def test_the_form_renders_for_a_logged_in_user(outsider, client_as):
    response = client_as(outsider).get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<label for="id_old_password">' in body
    assert '<label for="id_new_password1">' in body


def test_an_anonymous_visitor_is_sent_to_login():
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_the_right_old_password_changes_it_and_keeps_the_session(outsider, client_as):
    client = client_as(outsider)

    response = client.post(
        URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    outsider.refresh_from_db()
    assert outsider.check_password(NEW)
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_a_wrong_old_password_is_a_field_error(outsider, client_as):
    response = client_as(outsider).post(
        URL, {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)
