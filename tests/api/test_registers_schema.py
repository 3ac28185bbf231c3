"""The registers in the OpenAPI schema: versions, conflicts, statuses and actions described."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SLUGS = ["risks", "issues", "assumptions", "dependencies", "actions", "decisions"]


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    with django_db_blocker.unblock():
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


def _body(operation):
    return operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]


@pytest.mark.parametrize("slug", SLUGS)
def test_updates_require_a_version_and_document_the_409(schema, slug):
    item = schema["paths"][f"/api/v1/{slug}/{{id}}/"]
    for method in ("put", "patch"):
        assert "409" in item[method]["responses"]
    assert "version" in _component(schema, _body(item["put"]))["required"]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_register_names_its_own_statuses(schema, slug):
    read = schema["paths"][f"/api/v1/{slug}/{{id}}/"]["get"]["responses"]["200"]
    component = _component(schema, read["content"]["application/json"]["schema"]["$ref"])
    status = component["properties"]["status"]
    ref = status.get("$ref") or status["allOf"][0]["$ref"]
    assert ref.endswith("StatusEnum")
    assert _component(schema, ref)["enum"]


def test_lists_document_the_shared_filters_and_sorting(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/actions/"]["get"]["parameters"]}
    assert {"project", "programme", "owner", "status", "overdue", "ordering", "q"} <= parameters


@pytest.mark.parametrize(
    ("path", "raised"),
    [("/api/v1/risks/{id}/occurred/", "Issue"), ("/api/v1/assumptions/{id}/invalidate/", "Issue")],
)
def test_transitions_take_a_version_and_answer_with_the_issue(schema, path, raised):
    operation = schema["paths"][path]["post"]
    assert set(operation["responses"]) >= {"200", "201", "409"}
    assert _component(schema, _body(operation))["required"] == ["version"]
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert created.endswith(f"/{raised}")


def test_an_action_takes_its_source_as_kind_and_id(schema):
    create = schema["paths"]["/api/v1/actions/"]["post"]
    source = _component(schema, _body(create))["properties"]["source"]
    ref = source.get("$ref") or source["allOf"][0]["$ref"]
    assert set(_component(schema, ref)["properties"]) == {"kind", "id"}
