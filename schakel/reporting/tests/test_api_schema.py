"""The reporting API in the OpenAPI schema: listed, versioned, and without warnings."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

REPORTING_PATHS = {
    "/api/v1/reporting-cycles/": {"get", "post"},
    "/api/v1/reporting-cycles/{id}/": {"get", "patch"},
    "/api/v1/reporting-cycles/{id}/compliance/": {"get"},
    "/api/v1/reporting-cycles/{id}/remind/": {"post"},
    "/api/v1/reporting-cycles/{id}/report/": {"get"},
    "/api/v1/reporting-cycles/{id}/key-messages/": {"get", "put"},
    "/api/v1/reporting-cycles/{id}/exports/": {"post"},
    "/api/v1/report-exports/{id}/": {"get"},
    "/api/v1/report-exports/{id}/download/": {"get"},
    "/api/v1/status-reports/": {"get", "post"},
    "/api/v1/status-reports/{id}/": {"get", "patch"},
    "/api/v1/status-reports/{id}/submit/": {"post"},
    "/api/v1/status-reports/{id}/return/": {"post"},
    "/api/v1/status-reports/{id}/approve/": {"post"},
    "/api/v1/status-reports/{id}/publish/": {"post"},
    "/api/v1/status-reports/{id}/correct/": {"post"},
}
METHODS = {"get", "post", "put", "patch", "delete"}


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


def _request_body(operation):
    return operation["requestBody"]["content"]["application/json"]["schema"]


def test_the_schema_lists_every_reporting_endpoint_with_its_methods(schema):
    found = {
        path: {m for m in operations if m in METHODS}
        for path, operations in schema["paths"].items()
        if path.split("/")[3] in {"reporting-cycles", "report-exports", "status-reports"}
    }
    assert found == REPORTING_PATHS


@pytest.mark.parametrize("path", ["/api/v1/reporting-cycles/{id}/", "/api/v1/status-reports/{id}/"])
def test_changes_take_a_version_and_document_the_409(schema, path):
    operation = schema["paths"][path]["patch"]
    assert "409" in operation["responses"]
    body = _component(schema, _request_body(operation)["$ref"])
    assert "version" in body["properties"]
    assert "status" not in body["properties"] or body["properties"]["status"].get("readOnly")


def test_the_workflow_steps_take_a_version_and_document_the_409(schema):
    for step in ("submit", "return", "approve", "publish", "correct"):
        operation = schema["paths"][f"/api/v1/status-reports/{{id}}/{step}/"]["post"]
        assert "409" in operation["responses"]
        assert "version" in _component(schema, _request_body(operation)["$ref"])["required"]


def test_the_consolidated_report_and_downloads_are_described(schema):
    report = schema["paths"]["/api/v1/reporting-cycles/{id}/report/"]["get"]
    assert {p["name"] for p in report["parameters"]} == {"id", "period"}
    ref = report["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert {"projects", "dimensions", "distribution", "key_messages"} <= set(
        _component(schema, ref)["properties"]
    )
    download = schema["paths"]["/api/v1/report-exports/{id}/download/"]["get"]
    assert set(download["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    exports = schema["paths"]["/api/v1/reporting-cycles/{id}/exports/"]["post"]
    assert {"201", "202"} <= set(exports["responses"])


def test_the_lists_document_their_filters(schema):
    cycles = {p["name"] for p in schema["paths"]["/api/v1/reporting-cycles/"]["get"]["parameters"]}
    assert {"programme", "portfolio", "active", "page"} <= cycles
    reports = {p["name"] for p in schema["paths"]["/api/v1/status-reports/"]["get"]["parameters"]}
    assert {"cycle", "project", "period_end", "status", "page"} <= reports
