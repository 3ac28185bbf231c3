"""Fields a caller may not set are refused with 400, never silently ignored."""

from __future__ import annotations

import pytest

from schakel.portfolio.models import Programme, Project
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def _new_project(org, **extra):
    return {"key": "NEW", "name": "New", "programme": org.programme.pk, **extra}


@pytest.mark.parametrize(
    "extra",
    [
        {"id": 99},
        {"version": 1},
        {"created_at": "2026-01-01T00:00:00Z"},
        {"updated_at": "2026-01-01T00:00:00Z"},
        {"archived": True},
        {"archived_at": "2026-01-01T00:00:00Z"},
        {"programme_name": "Other"},
        {"url": "http://example.org/"},
        {"colour": "red"},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_creating_a_project_refuses_fields_the_caller_may_not_set(org, manager, extra):
    response = api_client(manager).post(
        f"{API}/projects/", _new_project(org, **extra), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == set(extra)
    assert not Project.objects.filter(key="NEW").exists()


def test_archiving_through_a_field_points_to_the_action(org, manager):
    response = api_client(manager).patch(
        f"{API}/projects/{org.project.pk}/", {"archived": True, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "archive" in response.json()["archived"][0]
    assert not Project.objects.get(pk=org.project.pk).is_archived


def test_a_project_update_refuses_a_new_programme_and_points_to_move(org, pmo):
    response = api_client(pmo).patch(
        f"{API}/projects/{org.project.pk}/",
        {"programme": org.other_programme.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "move" in response.json()["programme"][0]
    assert Project.objects.get(pk=org.project.pk).programme_id == org.programme.pk


@pytest.mark.parametrize("field", ["id", "created_at", "archived_at"])
def test_a_project_update_refuses_read_only_fields(org, manager, field):
    response = api_client(manager).patch(
        f"{API}/projects/{org.project.pk}/", {field: 1, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_programme_update_refuses_a_new_portfolio(org, pmo):
    response = api_client(pmo).patch(
        f"{API}/programmes/{org.programme.pk}/", {"portfolio": 12, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["portfolio"]
    assert Programme.objects.get(pk=org.programme.pk).version == 1


def test_a_theme_update_refuses_a_new_programme(org, manager):
    response = api_client(manager).patch(
        f"{API}/themes/{org.theme.pk}/",
        {"programme": org.other_programme.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["programme"]


def test_refused_fields_are_reported_with_other_errors(org, manager):
    response = api_client(manager).post(
        f"{API}/projects/", {"id": 5, "programme": org.programme.pk}, format="json"
    )
    assert response.status_code == 400
    assert {"id", "key", "name"} <= set(response.json())


def test_a_body_that_is_not_an_object_is_a_400(org, manager):
    response = api_client(manager).post(f"{API}/projects/", ["ODI"], format="json")
    assert response.status_code == 400


def test_a_form_post_from_the_browsable_api_may_carry_the_csrf_token(org, manager):
    body = {"csrfmiddlewaretoken": "x", "key": "NEW", "name": "N", "programme": org.programme.pk}
    response = api_client(manager).post(f"{API}/projects/", body, format="multipart")
    assert response.status_code == 201, response.json()
