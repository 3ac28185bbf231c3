"""Resetting a forgotten password by e-mail, end to end."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.test import Client
from django.urls import reverse

from schakel.accounts.models import User
from schakel.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password_reset")
NEW = "a-new-long-passphrase-42"


def _link(message: EmailMessage) -> str:
    match = re.search(r"(https?://\S+/accounts/reset/\S+/)", str(message.body))
    assert match
    return match.group(1)


def _html(message: EmailMessage) -> str:
    assert isinstance(message, EmailMultiAlternatives)
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return str(content)


def test_the_form_renders_for_anyone():
    response = Client().get(URL)

    assert response.status_code == 200
    assert '<label for="id_email">' in response.content.decode()


def test_a_known_address_gets_a_plain_and_html_email_with_a_link(settings):
    settings.SITE_URL = "https://pmo.example.org"
    UserFactory(username="alice", email="alice@example.org")

    response = Client().post(URL, {"email": "alice@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Reset your Schakel password"
    assert _link(message).startswith("https://pmo.example.org/accounts/reset/")
    assert "alice" in message.body
    assert f'href="{_link(message)}"' in _html(message)


def test_without_site_url_the_link_uses_the_request_host(settings):
    settings.SITE_URL = ""
    UserFactory(username="alice", email="alice@example.org")

    Client().post(URL, {"email": "alice@example.org"})

    assert _link(mail.outbox[0]).startswith("http://testserver/accounts/reset/")


def test_an_unknown_address_gets_the_same_answer_and_no_email():
    response = Client().post(URL, {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_the_email_is_in_the_language_the_user_chose():
    UserFactory(username="anna", email="anna@example.org", language="nl")

    Client().post(URL, {"email": "anna@example.org"})

    assert '<html lang="nl">' in _html(mail.outbox[0])


def test_the_link_in_the_email_sets_a_new_password_that_logs_in():
    UserFactory(username="alice", email="alice@example.org")
    client = Client()
    client.post(URL, {"email": "alice@example.org"})
    path = re.sub(r"^https?://[^/]+", "", _link(mail.outbox[0]))

    # Django swaps the token in the link for a session marker before showing the form.
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(response["Location"]).status_code == 200
    assert User.objects.get(username="alice").check_password(NEW)
    login = Client().post(reverse("accounts:login"), {"username": "alice", "password": NEW})
    assert login.status_code == 302


def test_a_used_link_does_not_work_twice():
    UserFactory(username="alice", email="alice@example.org")
    client = Client()
    client.post(URL, {"email": "alice@example.org"})
    path = re.sub(r"^https?://[^/]+", "", _link(mail.outbox[0]))
    response = client.get(path, follow=True)
    client.post(response.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    response = Client().get(path, follow=True)

    assert response.context["validlink"] is False
    assert "not valid any more" in response.content.decode()
