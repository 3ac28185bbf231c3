"""The profile page: name, e-mail, language and time zone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("accounts:profile")


def _data(**overrides):
    data = {
        "first_name": "Olga",
        "last_name": "Outsider",
        "email": "olga@example.org",
        "language": "",
        "time_zone": "",
        "digest": "off",
    }
    data.update(overrides)
    return data


def test_it_renders_for_a_logged_in_user(outsider, client_as):
    response = client_as(outsider).get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    for name in ("first_name", "last_name", "email", "language", "time_zone"):
        assert f'<label for="id_{name}">' in body
    assert '<option value="Europe/Amsterdam">' in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_anonymous_visitor_is_sent_to_login():
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"


def test_it_saves_language_and_time_zone_and_the_next_page_is_dutch(outsider, client_as):
    client = client_as(outsider)

    response = client.post(URL, _data(language="nl", time_zone="America/New_York"))

    assert response.status_code == 302
    assert response["Location"] == URL
    outsider.refresh_from_db()
    assert (outsider.first_name, outsider.email) == ("Olga", "olga@example.org")
    assert (outsider.language, outsider.time_zone) == ("nl", "America/New_York")
    page = client.get(URL)
    assert '<html lang="nl">' in page.content.decode()
    assert page.context["TIME_ZONE"] == "America/New_York"
    assert len(list(page.context["messages"])) == 1


def test_saving_a_language_also_sets_the_language_cookie(outsider, client_as, settings):
    response = client_as(outsider).post(URL, _data(language="nl"))

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"


def test_an_empty_language_follows_the_browser(outsider, client_as):
    outsider.language = "nl"
    outsider.save()
    client = client_as(outsider)

    client.post(URL, _data(language=""))

    outsider.refresh_from_db()
    assert outsider.language == ""
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus_Mons"), ("language", "xx"), ("email", "not-an-address")],
)
def test_bad_input_is_a_field_error_and_nothing_is_saved(outsider, client_as, field, value):
    response = client_as(outsider).post(URL, _data(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    outsider.refresh_from_db()
    assert outsider.first_name != "Olga"


def test_the_digest_subscription_is_saved(outsider, client_as):
    client_as(outsider).post(URL, _data(digest="weekly"))
    outsider.refresh_from_db()
    assert outsider.digest == "weekly"
