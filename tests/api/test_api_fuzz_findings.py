"""What the schemathesis run (test_schemathesis.py) found, pinned down one by one."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from schakel.lib.api_schema import TIME_PATTERN
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

HUGE = "-1.7976931348623155e308"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    "query",
    [f"portfolio={HUGE}", f"programme={HUGE}", f"project={HUGE}", f"user={HUGE}", "user=1.5"],
)
def test_a_membership_filter_that_is_no_id_is_refused_not_a_server_error(org, pmo, query):
    # Was a 500: django-filter's NumberFilter passed 1.8e308 on to the database driver.
    response = api_client(pmo).get(f"{API}/memberships/?{query}")
    assert response.status_code == 400


def test_a_theme_filter_that_is_no_id_is_refused_not_a_server_error(org, pmo):
    assert api_client(pmo).get(f"{API}/themes/?programme={HUGE}").status_code == 400


def test_an_id_filter_is_an_integer_in_the_schema(schema):
    parameters = schema["paths"]["/api/v1/memberships/"]["get"]["parameters"]
    project = next(p for p in parameters if p["name"] == "project")
    assert project["schema"]["type"] == "integer"


def test_an_unrouted_api_url_answers_the_api_404_in_json(org, pmo):
    # Was the HTML page: an id that is not a number matches no route.
    client = api_client(pmo)
    unrouted = client.get(f"{API}/risks/abc/")
    missing = client.get(f"{API}/risks/999999/")
    assert unrouted.status_code == missing.status_code == 404
    assert unrouted["Content-Type"] == "application/json"
    assert unrouted.json() == missing.json()


def test_pages_outside_the_api_keep_the_html_404(org, pmo):
    response = api_client(pmo).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_its_refusals(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method != "get":
                assert "400" in codes, (method, path)


@pytest.mark.parametrize("part", ["comments", "links"])
def test_comments_and_links_are_documented_as_the_plain_lists_they_are(org, pmo, schema, part):
    # Was documented as a paginated, filterable list; the answer is a plain list.
    operation = schema["paths"][f"/api/v1/risks/{{id}}/{part}/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["id"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
        "array"
    )
    risk = factories.risk(org.project, pmo)
    assert isinstance(api_client(pmo).get(f"{API}/risks/{risk.pk}/{part}/").json(), list)


def test_an_agenda_items_links_are_documented_as_a_plain_list(schema):
    operation = schema["paths"]["/api/v1/agenda-items/{id}/links/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["id"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
        "array"
    )


def test_a_time_of_day_is_documented_as_the_api_writes_it(schema):
    # Was `format: time`, which JSON Schema reads as RFC 3339 with an offset (14:00:00Z).
    start_time = schema["components"]["schemas"]["MeetingSeries"]["properties"]["start_time"]
    assert "format" not in start_time
    assert start_time["pattern"] == TIME_PATTERN
    assert re.match(TIME_PATTERN, "14:00:00")
    assert re.match(TIME_PATTERN, "14:00")
    assert not re.match(TIME_PATTERN, "2 pm")
