"""The meetings API in the OpenAPI schema: listed, versioned, and without warnings."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

MEETING_PATHS = {
    "/api/v1/meeting-series/": {"get", "post"},
    "/api/v1/meeting-series/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/meeting-series/{id}/plan/": {"post"},
    "/api/v1/meetings/": {"get", "post"},
    "/api/v1/meetings/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/meetings/{id}/cancel/": {"post"},
    "/api/v1/meetings/{id}/start/": {"post"},
    "/api/v1/meetings/{id}/goto/": {"post"},
    "/api/v1/meetings/{id}/end/": {"post"},
    "/api/v1/meetings/{id}/prepare/": {"post"},
    "/api/v1/meetings/{id}/publish/": {"post"},
    "/api/v1/meetings/{id}/send-minutes/": {"post"},
    "/api/v1/meetings/{id}/reopen/": {"post"},
    "/api/v1/meetings/{id}/reorder/": {"post"},
    "/api/v1/meetings/{id}/minutes.docx/": {"get"},
    "/api/v1/meetings/{id}/minutes.pdf/": {"get"},
    "/api/v1/meetings/{id}/invite.ics/": {"get"},
    "/api/v1/meetings/{id}/agenda-items/": {"get", "post"},
    "/api/v1/meetings/{id}/attendance/": {"get", "post"},
    "/api/v1/meetings/{id}/outcomes/": {"get", "post"},
    "/api/v1/meetings/{id}/action-reviews/": {"post"},
    "/api/v1/meetings/{id}/sessions/": {"get", "post"},
    "/api/v1/agenda-items/{id}/": {"get", "patch", "delete"},
    "/api/v1/agenda-items/{id}/links/": {"get", "post", "delete"},
    "/api/v1/attendance/{id}/": {"get", "patch", "delete"},
    "/api/v1/sessions/{id}/": {"get", "patch", "delete"},
    "/api/v1/sessions/{id}/register/": {"post"},
    "/api/v1/sessions/{id}/unregister/": {"post"},
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


def test_the_schema_lists_every_meetings_endpoint_with_its_methods(schema):
    found = {
        path: {m for m in operations if m in METHODS}
        for path, operations in schema["paths"].items()
        if path.split("/")[3]
        in {"meeting-series", "meetings", "agenda-items", "attendance", "sessions"}
    }
    assert found == MEETING_PATHS


@pytest.mark.parametrize("path", ["/api/v1/meeting-series/{id}/", "/api/v1/meetings/{id}/"])
def test_updates_require_a_version_and_document_the_409(schema, path):
    for method in ("put", "patch"):
        assert "409" in schema["paths"][path][method]["responses"]
    body = _component(schema, _request_body(schema["paths"][path]["put"])["$ref"])
    assert "version" in body["required"]


def test_agenda_notes_are_changed_from_a_version_with_a_documented_409(schema):
    # PATCH bodies list no required fields in the schema; the version is still checked.
    operation = schema["paths"]["/api/v1/agenda-items/{id}/"]["patch"]
    assert "409" in operation["responses"]
    body = _component(schema, _request_body(operation)["$ref"])
    assert {"version", "notes", "title"} <= set(body["properties"])
    assert "position" not in body["properties"]


def test_publishing_takes_the_version_and_documents_the_409(schema):
    operation = schema["paths"]["/api/v1/meetings/{id}/publish/"]["post"]
    # Its own answers; the refusals every operation shares come from schakel.lib.api_schema.
    assert set(operation["responses"]) == {"201", "409", "400", "401", "403", "404", "415"}
    assert _component(schema, _request_body(operation)["$ref"])["required"] == ["version"]


def test_capturing_an_outcome_is_described_per_register(schema):
    operation = schema["paths"]["/api/v1/meetings/{id}/outcomes/"]["post"]
    body = _component(schema, _request_body(operation)["$ref"])
    assert body["discriminator"]["propertyName"] == "kind"
    assert set(body["discriminator"]["mapping"]) == {"action", "decision", "risk", "issue"}
    action = _component(schema, body["discriminator"]["mapping"]["action"])
    assert {"kind", "agenda_item", "title", "owner", "due", "project"} <= set(action["properties"])


def test_downloads_are_described_as_files(schema):
    docx = schema["paths"]["/api/v1/meetings/{id}/minutes.docx/"]["get"]
    content = docx["responses"]["200"]["content"]
    assert list(content) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ]
    assert {p["name"] for p in docx["parameters"]} == {"id", "version"}
    ics = schema["paths"]["/api/v1/meetings/{id}/invite.ics/"]["get"]
    assert list(ics["responses"]["200"]["content"]) == ["text/calendar"]


def test_lists_under_a_meeting_are_plain_lists_without_the_meeting_filters(schema):
    operation = schema["paths"]["/api/v1/meetings/{id}/agenda-items/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"id"}
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert response["type"] == "array"


def test_the_meeting_list_documents_its_filters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
    assert {
        "project",
        "programme",
        "portfolio",
        "series",
        "kind",
        "status",
        "mine",
        "start_after",
        "start_before",
        "page",
    } <= parameters


def test_meeting_statuses_and_kinds_have_their_own_enums(schema):
    names = set(schema["components"]["schemas"])
    assert {
        "MeetingStatusEnum",
        "MeetingKindEnum",
        "AttendanceStatusEnum",
        "StandingEnum",
        "CaptureKindEnum",
    } <= names
