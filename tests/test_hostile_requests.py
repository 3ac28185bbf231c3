"""Hostile bodies and parameters get a 4xx (or are stored safely), never a server error:
NUL bytes, lone surrogates, deeply nested JSON, too many fields, oversized bodies and
malformed JSON, in forms, in the API and in query strings."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import client_for
from schakel.registers.models import Action

pytestmark = pytest.mark.django_db

API = "/api/v1/actions/"


def api_post(client: Client, body: str | bytes) -> int:
    return client.post(API, body, content_type="application/json").status_code


def action(org, **fields) -> str:
    return json.dumps({"project": org.project.pk, "title": "Call the supplier", **fields})


@pytest.mark.parametrize(
    "title",
    ["nul \x00 byte", "lone \ud800 surrogate", "\udfff", "x" * 100_000],
    ids=["nul", "lone-high-surrogate", "lone-low-surrogate", "100k-characters"],
)
def test_a_hostile_title_in_the_api_is_refused_with_a_4xx(org, pmo, title):
    body = json.dumps({"project": org.project.pk, "title": title})  # ascii-escaped \ud800
    status = api_post(client_for(pmo), body)
    assert 400 <= status < 500, status
    assert not Action.objects.exists()


def test_deeply_nested_json_is_refused_with_a_4xx(org, pmo):
    deep = "[" * 100_000 + "]" * 100_000
    status = api_post(client_for(pmo), f'{{"project": {org.project.pk}, "title": {deep}}}')
    assert 400 <= status < 500, status


@pytest.mark.parametrize(
    "body",
    [b"{", b"\xff\xfe not utf-8", b'{"title": "a"' + b" " * 10, b"[]", b"null", b'"text"'],
    ids=["truncated", "not-utf8", "unclosed", "a-list", "null", "a-string"],
)
def test_malformed_json_is_refused_with_a_4xx(org, pmo, body):
    status = api_post(client_for(pmo), body)
    assert 400 <= status < 500, status


def test_a_body_over_the_size_limit_is_refused_with_a_4xx(org, pmo, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    status = api_post(client_for(pmo), action(org, description="x" * 20_000))
    assert 400 <= status < 500, status
    assert not Action.objects.exists()


def test_too_many_form_fields_are_refused_with_a_4xx(org, pmo, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    data = {f"f{i}": "x" for i in range(500)}
    response = client_for(pmo).post(f"/projects/{org.project.pk}/registers/actions/", data)
    assert 400 <= response.status_code < 500, response.status_code


# A lone surrogate cannot travel as UTF-8: on the wire it is the bytes %ED%A0%80.
@pytest.mark.parametrize("value", ["\x00", "%00", "%ED%A0%80", "%FF%FE"])
@pytest.mark.parametrize(
    "path",
    [
        "/registers/actions/?q={v}",
        "/search/?q={v}",
        "/api/v1/actions/?q={v}",
        "/api/v1/actions/?ordering={v}",
        "/projects/?q={v}",
    ],
)
def test_a_nul_or_a_lone_surrogate_in_a_query_string_is_not_a_server_error(org, pmo, path, value):
    response = client_for(pmo).get(path.format(v=value))
    assert response.status_code in (200, 400), response.status_code


@pytest.mark.parametrize(
    "body", [b"qa-title=nul%00byte", b"qa-title=lone%ED%A0%80surrogate", b"qa-title=%FF%FE"]
)
def test_a_hostile_title_in_a_form_is_not_a_server_error(org, pmo, body):
    response = client_for(pmo).post(
        f"/projects/{org.project.pk}/registers/actions/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302, 400), response.status_code
    for action in Action.objects.all():  # stored only as valid text, without the NUL
        assert "\x00" not in action.title
        action.title.encode("utf-8")
