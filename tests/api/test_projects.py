"""Projects through the API: what a project looks like, and creating, changing, archiving,
moving and trashing one."""

from __future__ import annotations

import pytest

from schakel.accounts.models import Membership, Role
from schakel.portfolio import services
from schakel.portfolio.models import Project, Tag
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def test_a_project_shows_its_programme_people_tags_and_page(org, viewer, manager):
    Project.objects.filter(pk=org.project.pk).update(manager=manager, phase="planning")
    org.project.tags.set(services.tags_from_names(["IT", "Quick win"]))
    body = api_client(viewer).get(f"{API}/projects/{org.project.pk}/").json()
    assert body["key"] == "ODI"
    assert body["programme"] == org.programme.pk
    assert body["programme_name"] == "Support services"
    assert (body["theme"], body["theme_name"]) == (org.theme.pk, "Organisation design")
    assert body["manager"] == {
        "id": manager.pk,
        "username": "manager",
        "display_name": manager.display_name,
    }
    assert body["sponsor"] is None
    assert body["tags"] == ["IT", "Quick win"]
    assert (body["phase"], body["state"], body["archived"]) == ("planning", "active", False)
    assert body["version"] == 1
    assert body["url"] == f"http://testserver/projects/{org.project.pk}/"
    assert {"start_date", "end_date", "created_at", "updated_at", "archived_at"} <= set(body)


def test_creating_a_project_uppercases_the_key_and_makes_tags(org, manager, member):
    response = api_client(manager).post(
        f"{API}/projects/",
        {
            "key": "new",
            "name": "New project",
            "programme": org.programme.pk,
            "theme": org.theme.pk,
            "manager": member.pk,
            "tags": ["Quick win", "quick WIN", "IT"],
            "start_date": "2027-01-01",
            "end_date": "2027-06-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    project = Project.objects.get(key="NEW")
    assert response.json()["id"] == project.pk
    assert response.json()["version"] == 1
    assert sorted(t.name for t in project.tags.all()) == ["IT", "Quick win"]
    assert project.theme == org.theme
    # The project manager becomes a manager member of the project.
    assert Membership.objects.get(user=member, project=project).role == Role.MANAGER
    assert project.history.first().history_user == manager


def test_a_bad_key_is_a_field_error(org, manager):
    response = api_client(manager).post(
        f"{API}/projects/",
        {"key": "1-x", "name": "N", "programme": org.programme.pk},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["key"]


def test_a_key_in_use_even_in_the_trash_is_a_field_error(org, pmo):
    services.trash(obj=org.sibling, by=pmo)
    response = api_client(pmo).post(
        f"{API}/projects/",
        {"key": "pol", "name": "N", "programme": org.programme.pk},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["key"]


def test_an_end_before_the_start_is_a_field_error(org, manager):
    response = api_client(manager).post(
        f"{API}/projects/",
        {
            "key": "NEW",
            "name": "N",
            "programme": org.programme.pk,
            "start_date": "2027-06-01",
            "end_date": "2027-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["end_date"]


def test_an_unknown_phase_is_a_field_error(org, manager):
    response = api_client(manager).patch(
        f"{API}/projects/{org.project.pk}/", {"phase": "dreaming", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["phase"]


def test_an_update_changes_only_the_fields_sent_and_replaces_tags(org, manager):
    org.project.tags.set(services.tags_from_names(["Old"]))
    response = api_client(manager).patch(
        f"{API}/projects/{org.project.pk}/",
        {"state": "on_hold", "tags": ["New"], "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    project = Project.objects.get(pk=org.project.pk)
    assert (project.state, project.name, project.theme_id) == (
        "on_hold",
        "Org design",
        org.theme.pk,
    )
    assert [t.name for t in project.tags.all()] == ["New"]
    assert response.json()["tags"] == ["New"]


def test_a_put_replaces_the_editable_fields(org, manager):
    response = api_client(manager).put(
        f"{API}/projects/{org.project.pk}/",
        {"key": "ODX", "name": "Org design 2", "theme": None, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    project = Project.objects.get(pk=org.project.pk)
    assert (project.key, project.name, project.theme) == ("ODX", "Org design 2", None)
    assert Tag.objects.count() == 0


def test_archive_and_unarchive(org, manager):
    client = api_client(manager)
    response = client.post(f"{API}/projects/{org.project.pk}/archive/")
    assert response.status_code == 200
    assert response.json()["archived"] is True
    assert response.json()["archived_at"] is not None
    assert Project.objects.get(pk=org.project.pk).is_archived
    response = client.post(f"{API}/projects/{org.project.pk}/unarchive/")
    assert response.json()["archived"] is False
    assert not Project.objects.get(pk=org.project.pk).is_archived


def test_an_archived_project_is_still_found_by_id(org, viewer):
    services.project_archive(project=org.project, archived=True, by=viewer)
    response = api_client(viewer).get(f"{API}/projects/{org.project.pk}/")
    assert response.status_code == 200
    assert response.json()["archived"] is True


def test_moving_a_project_drops_the_old_programmes_theme(org, pmo):
    response = api_client(pmo).post(
        f"{API}/projects/{org.project.pk}/move/",
        {"programme": org.other_programme.pk, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["programme"], body["programme_name"]) == (
        org.other_programme.pk,
        "Care innovation",
    )
    assert body["theme"] is None
    assert body["version"] == 2


def test_a_move_needs_a_programme_and_a_version(org, pmo):
    response = api_client(pmo).post(f"{API}/projects/{org.project.pk}/move/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"programme", "version"}


def test_deleting_moves_the_project_to_the_trash(org, pmo):
    response = api_client(pmo).delete(f"{API}/projects/{org.project.pk}/")
    assert response.status_code == 204
    project = Project.all_objects.get(pk=org.project.pk)
    assert project.is_trashed
    assert project.deleted_by == pmo
    assert api_client(pmo).get(f"{API}/projects/{org.project.pk}/").status_code == 404
