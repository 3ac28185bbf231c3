"""Security headers on every kind of answer, and a Content-Security-Policy without wildcards.

The policy is read from real responses (pages, a form, the API, a 404, a download), parsed
into directives and checked: no `*`, no bare scheme (`https:`), no 'unsafe-inline' or
'unsafe-eval', `data:` for images only; frames, plugins and the base URL locked down.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for

pytestmark = pytest.mark.django_db

WILDCARDS = {"*", "http:", "https:", "ws:", "wss:", "blob:", "filesystem:"}
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'"}


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def _answers(org, member) -> dict[str, Any]:
    signed_in = client_for(member)
    anonymous = Client()
    project = org.project.pk
    return {
        "login page": anonymous.get(reverse("accounts:login")),
        "home": signed_in.get(reverse("registers:home")),
        "register list": signed_in.get(
            reverse("registers:project_list", kwargs={"pk": project, "register": "risks"})
        ),
        "quick-add form": signed_in.get(
            reverse("registers:project_item_create", kwargs={"pk": project, "register": "risks"})
        ),
        "export download": signed_in.get(
            reverse(
                "registers:project_export",
                kwargs={"pk": project, "register": "risks", "fmt": "xlsx"},
            )
        ),
        "API": signed_in.get("/api/v1/projects/", headers={"Accept": "application/json"}),
        "not found": signed_in.get("/no/such/page/"),
        "refused": Client().get("/api/v1/projects/"),
    }


def test_every_answer_carries_a_strict_policy_and_the_security_headers(org, member):
    for name, response in _answers(org, member).items():
        directives = policy(response)
        assert directives, f"{name}: no Content-Security-Policy"
        sources = [source.lower() for values in directives.values() for source in values]
        assert not WILDCARDS & set(sources), f"{name}: a wildcard source in {directives}"
        assert not [s for s in sources if "*" in s], f"{name}: a wildcard host in {directives}"
        assert not UNSAFE & set(sources), f"{name}: an unsafe source in {directives}"
        assert directives["default-src"] == ["'self'"], name
        assert directives["object-src"] == ["'none'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["base-uri"] == ["'self'"], name
        assert directives["form-action"] == ["'self'"], name
        for directive, values in directives.items():
            if "data:" in values:
                assert directive == "img-src", f"{name}: data: allowed in {directive}"
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] == "same-origin", name


def test_downloads_are_attachments_never_rendered_inline(org, member):
    response = _answers(org, member)["export download"]
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_and_csrf_cookies_are_not_readable_by_scripts_where_it_matters(org, member):
    client = Client()
    client.get(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"), {"username": member.username, "password": "secret-pass-123"}
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"].lower() == "lax"
