"""The planning API in the OpenAPI schema: listed, versioned, and without warnings."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PLANNING_PATHS = {
    "/api/v1/tasks/": {"get", "post"},
    "/api/v1/tasks/{id}/": {"get", "patch", "delete"},
    "/api/v1/tasks/{id}/indent/": {"post"},
    "/api/v1/tasks/{id}/outdent/": {"post"},
    "/api/v1/tasks/{id}/move/": {"post"},
    "/api/v1/task-links/": {"get", "post"},
    "/api/v1/task-links/{id}/": {"get", "patch", "delete"},
    "/api/v1/baselines/": {"get", "post"},
    "/api/v1/baselines/{id}/": {"get", "delete"},
    "/api/v1/calendars/{id}/": {"get", "patch"},
    "/api/v1/calendars/{id}/exceptions/": {"post"},
    "/api/v1/calendars/{id}/exceptions/{day}/": {"delete"},
    "/api/v1/schedules/{id}/": {"get"},
    "/api/v1/schedules/{id}/mspdi/": {"get", "post"},
}
METHODS = {"get", "post", "put", "patch", "delete"}
AREAS = {"tasks", "task-links", "baselines", "calendars", "schedules"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    with django_db_blocker.unblock():
        # Fails on any warning: an endpoint spectacular cannot describe fails here.
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


def _component(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _request_body(operation, kind="application/json"):
    return operation["requestBody"]["content"][kind]["schema"]


def test_the_schema_lists_every_planning_endpoint_with_its_methods(schema):
    found = {
        path: {m for m in operations if m in METHODS}
        for path, operations in schema["paths"].items()
        if path.split("/")[3] in AREAS
    }
    assert found == PLANNING_PATHS


@pytest.mark.parametrize("path", ["/api/v1/tasks/{id}/", "/api/v1/calendars/{id}/"])
def test_changes_take_a_version_and_document_the_409(schema, path):
    operation = schema["paths"][path]["patch"]
    assert "409" in operation["responses"]
    body = _component(schema, _request_body(operation)["$ref"])
    assert "version" in body["properties"]
    assert "start" not in body["properties"] or path.startswith("/api/v1/calendars/")


def test_the_outline_actions_take_a_version_and_document_the_409(schema):
    for step in ("indent", "outdent", "move"):
        operation = schema["paths"][f"/api/v1/tasks/{{id}}/{step}/"]["post"]
        assert "409" in operation["responses"]
        assert "version" in _component(schema, _request_body(operation)["$ref"])["required"]


def test_the_gantt_contract_and_the_file_transfer_are_described(schema):
    operation = schema["paths"]["/api/v1/schedules/{id}/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"id", "baseline"}
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    plan = _component(schema, ref)
    assert set(plan["properties"]) == {
        "today", "start", "finish", "calendar", "tasks", "links", "baselines", "editable"
    }  # fmt: skip
    task = _component(schema, plan["properties"]["tasks"]["items"]["$ref"])
    assert set(task["properties"]) == {
        "id", "parent", "level", "wbs", "name", "summary", "milestone", "start", "finish",
        "duration", "percent", "critical", "total_float", "baseline_start", "baseline_finish",
        "owner", "version", "editable",
    }  # fmt: skip
    link = _component(schema, plan["properties"]["links"]["items"]["$ref"])
    assert set(link["properties"]) == {"id", "from", "to", "type", "lag", "critical"}
    mspdi = schema["paths"]["/api/v1/schedules/{id}/mspdi/"]
    assert set(mspdi["get"]["responses"]["200"]["content"]) == {"application/xml"}
    upload = _component(schema, _request_body(mspdi["post"], "multipart/form-data")["$ref"])
    assert set(upload["properties"]) == {"file", "replace"}


def test_the_lists_document_their_filters(schema):
    tasks = {p["name"] for p in schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]}
    assert {"project", "critical", "milestone", "summary", "page"} <= tasks
    links = {p["name"] for p in schema["paths"]["/api/v1/task-links/"]["get"]["parameters"]}
    assert {"project", "page"} <= links
