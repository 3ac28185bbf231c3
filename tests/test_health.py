"""`/healthz`: 200 while the database answers, 503 when it does not."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_the_database_answers():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_does_not():
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] != "ok"


def test_it_needs_no_login():
    response = Client().get("/healthz", follow=False)

    assert response.status_code == 200


def test_it_is_not_redirected_to_https_so_load_balancers_can_probe_over_http(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.ALLOWED_HOSTS = ["testserver"]

    assert Client().get("/healthz").status_code == 200
    assert Client().get("/accounts/login/").status_code == 301


def test_it_refuses_other_methods():
    assert Client().post("/healthz").status_code == 405
