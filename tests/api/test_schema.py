"""The OpenAPI schema: valid, free of warnings, and listing every endpoint."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from schakel.meetings.tests.test_api_schema import MEETING_PATHS
from schakel.planning.tests.test_api_schema import PLANNING_PATHS
from schakel.reporting.tests.test_api_schema import REPORTING_PATHS
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/portfolios/": {"get", "post"},
    "/api/v1/portfolios/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/programmes/": {"get", "post"},
    "/api/v1/programmes/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/programmes/{id}/archive/": {"post"},
    "/api/v1/programmes/{id}/unarchive/": {"post"},
    "/api/v1/themes/": {"get", "post"},
    "/api/v1/themes/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/projects/": {"get", "post"},
    "/api/v1/projects/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/projects/{id}/archive/": {"post"},
    "/api/v1/projects/{id}/unarchive/": {"post"},
    "/api/v1/projects/{id}/move/": {"post"},
    "/api/v1/memberships/": {"get", "post"},
    "/api/v1/memberships/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/users/": {"get"},
    "/api/v1/users/{id}/": {"get"},
    "/api/v1/users/me/": {"get", "patch"},
    "/api/v1/tokens/": {"get", "post"},
    "/api/v1/tokens/{id}/": {"get", "delete"},
    "/api/v1/tokens/{id}/revoke/": {"post"},
    # Registers: one viewset per register, the same routes six times.
    **{
        path.format(slug=slug): methods
        for slug in ("risks", "issues", "assumptions", "dependencies", "actions", "decisions")
        for path, methods in {
            "/api/v1/{slug}/": {"get", "post"},
            "/api/v1/{slug}/{{id}}/": {"get", "put", "patch", "delete"},
            "/api/v1/{slug}/{{id}}/comments/": {"get", "post"},
            "/api/v1/{slug}/{{id}}/links/": {"get", "post", "delete"},
            "/api/v1/{slug}/bulk/": {"post"},
        }.items()
    },
    "/api/v1/risks/{id}/occurred/": {"post"},
    "/api/v1/assumptions/{id}/invalidate/": {"post"},
    "/api/v1/risk-scale/": {"get"},
    "/api/v1/risk-categories/": {"get"},
    # Meetings: series, meetings and the rows of a meeting.
    **MEETING_PATHS,
    # Reporting: cycles, status reports and exports.
    **REPORTING_PATHS,
    # Planning: tasks, links, baselines, calendars and schedules.
    **PLANNING_PATHS,
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    # Fails on any warning, so a new endpoint that spectacular cannot describe fails here.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(path),
    )
    return json.loads(path.read_text())


def test_the_schema_lists_every_endpoint_with_its_methods(schema):
    methods = {
        path: {m for m in operations if m in {"get", "post", "put", "patch", "delete"}}
        for path, operations in schema["paths"].items()
    }
    assert methods == ENDPOINTS


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/{id}/",
        "/api/v1/programmes/{id}/",
        "/api/v1/portfolios/{id}/",
        "/api/v1/themes/{id}/",
        "/api/v1/memberships/{id}/",
    ],
)
def test_updates_document_the_409_and_require_a_version(schema, path):
    for method in ("put", "patch"):
        operation = schema["paths"][path][method]
        assert "409" in operation["responses"]
    put_body = schema["paths"][path]["put"]["requestBody"]["content"]["application/json"]
    name = put_body["schema"]["$ref"].rsplit("/", 1)[1]
    assert "version" in schema["components"]["schemas"][name]["required"]


def test_the_move_action_documents_its_body_and_409(schema):
    operation = schema["paths"]["/api/v1/projects/{id}/move/"]["post"]
    assert "409" in operation["responses"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schema["components"]["schemas"][body.rsplit("/", 1)[1]]["required"]) == {
        "programme",
        "version",
    }


def test_token_authentication_is_described(schema):
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_and_docs_are_served(org, member):
    client = api_client(member)
    assert client.get(f"{API}/schema/").status_code == 200
    assert client.get(f"{API}/docs/").status_code == 200
