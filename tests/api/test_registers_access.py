"""Who may do what with register items through the API, persona by persona."""

from __future__ import annotations

import pytest

from schakel.registers.models import Action, Risk
from schakel.registers.tests import factories
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db

REGISTERS = ["risks", "issues", "assumptions", "dependencies", "actions", "decisions"]


@pytest.mark.parametrize("slug", REGISTERS)
def test_anonymous_callers_must_authenticate(org, slug):
    assert api_client().get(f"{API}/{slug}/").status_code == 401


@pytest.mark.parametrize("slug", REGISTERS)
def test_an_outsider_gets_empty_lists(org, pmo, outsider, slug):
    factories.risk(org.project, pmo)
    factories.action(org.project, pmo)
    response = api_client(outsider).get(f"{API}/{slug}/")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_outsider_gets_404_on_an_item_as_if_it_did_not_exist(org, pmo, outsider):
    risk = factories.risk(org.project, pmo)
    client = api_client(outsider)
    hidden = client.get(f"{API}/risks/{risk.pk}/")
    missing = client.get(f"{API}/risks/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    patch = client.patch(f"{API}/risks/{risk.pk}/", {"title": "x", "version": 1}, format="json")
    assert patch.status_code == 404
    assert client.delete(f"{API}/risks/{risk.pk}/").status_code == 404
    assert Risk.objects.get(pk=risk.pk).title == "Supplier delivers late"


def test_a_member_sees_only_the_items_of_their_project(org, pmo, member):
    mine = factories.risk(org.project, pmo)
    factories.risk(org.sibling, pmo)
    factories.risk(org.other_project, pmo)
    assert ids(api_client(member).get(f"{API}/risks/")) == {mine.pk}


def test_a_viewer_reads_but_every_write_is_refused(org, pmo, viewer):
    risk = factories.risk(org.project, pmo)
    client = api_client(viewer)
    assert client.get(f"{API}/risks/{risk.pk}/").status_code == 200
    create = client.post(
        f"{API}/risks/",
        {"project": org.project.pk, "title": "Mine", "probability": 2, "impact": 2},
        format="json",
    )
    patch = client.patch(f"{API}/risks/{risk.pk}/", {"title": "x", "version": 1}, format="json")
    delete = client.delete(f"{API}/risks/{risk.pk}/")
    occurred = client.post(f"{API}/risks/{risk.pk}/occurred/", {"version": 1}, format="json")
    comment = client.post(f"{API}/risks/{risk.pk}/comments/", {"body": "Hi"}, format="json")
    assert [r.status_code for r in (create, patch, delete, occurred, comment)] == [403] * 5
    assert Risk.objects.count() == 1
    risk.refresh_from_db()
    assert (risk.title, risk.status, risk.version) == ("Supplier delivers late", "open", 1)


def test_a_member_creates_and_updates_items(org, member):
    client = api_client(member)
    created = client.post(
        f"{API}/actions/",
        {"project": org.project.pk, "title": "Call the supplier", "due": "2030-01-31"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["ref"] == "ODI-A1"
    assert body["created_by"]["username"] == "member"
    changed = client.patch(
        f"{API}/actions/{body['id']}/", {"status": "done", "version": 1}, format="json"
    )
    assert changed.status_code == 200
    action = Action.objects.get(pk=body["id"])
    assert (action.status, action.version, action.completed_on is not None) == ("done", 2, True)


def test_a_member_cannot_delete_but_a_manager_can(org, pmo, member, manager):
    risk = factories.risk(org.project, pmo)
    assert api_client(member).delete(f"{API}/risks/{risk.pk}/").status_code == 403
    assert Risk.objects.filter(pk=risk.pk).exists()
    assert api_client(manager).delete(f"{API}/risks/{risk.pk}/").status_code == 204
    assert not Risk.objects.filter(pk=risk.pk).exists()
    assert Risk.all_objects.get(pk=risk.pk).is_trashed


def test_a_trashed_item_answers_404(org, pmo):
    risk = factories.risk(org.project, pmo)
    client = api_client(pmo)
    assert client.delete(f"{API}/risks/{risk.pk}/").status_code == 204
    assert client.get(f"{API}/risks/{risk.pk}/").status_code == 404


def test_creating_in_a_hidden_project_reads_as_a_missing_project(org, member):
    response = api_client(member).post(
        f"{API}/risks/",
        {"project": org.other_project.pk, "title": "Mine", "probability": 2, "impact": 2},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["project"][0]
    assert not Risk.objects.exists()


def test_a_project_member_cannot_add_programme_level_items(org, pmo, member):
    from schakel.portfolio import services as portfolio_services

    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    response = api_client(member).post(
        f"{API}/risks/",
        {"programme": org.programme.pk, "title": "Mine", "probability": 2, "impact": 2},
        format="json",
    )
    assert response.status_code == 403
    assert not Risk.objects.exists()


def test_a_manager_adds_a_programme_level_item_with_the_programme_code(org, pmo, manager):
    from schakel.portfolio import services as portfolio_services

    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    response = api_client(manager).post(
        f"{API}/risks/",
        {"programme": org.programme.pk, "title": "Budget cut", "probability": 2, "impact": 5},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["ref"], body["project"], body["programme"], body["project_key"]) == (
        "VOD-R1",
        None,
        org.programme.pk,
        "VOD",
    )


def test_a_programme_without_a_key_is_explained(org, manager):
    response = api_client(manager).post(
        f"{API}/risks/",
        {"programme": org.programme.pk, "title": "Budget cut", "probability": 2, "impact": 5},
        format="json",
    )
    assert response.status_code == 400
    assert "key" in response.json()["programme"][0]


@pytest.mark.parametrize("scopes", [{}, {"project": "both"}], ids=["neither", "both"])
def test_an_item_needs_exactly_one_of_project_or_programme(org, manager, scopes):
    body = {"title": "Mine", "probability": 2, "impact": 2}
    if scopes:
        body.update(project=org.project.pk, programme=org.programme.pk)
    response = api_client(manager).post(f"{API}/risks/", body, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Risk.objects.exists()


def test_items_of_an_archived_project_cannot_be_added(org, manager):
    from schakel.portfolio import services as portfolio_services

    portfolio_services.project_archive(project=org.project, archived=True, by=manager)
    response = api_client(manager).post(
        f"{API}/actions/", {"project": org.project.pk, "title": "Late"}, format="json"
    )
    assert response.status_code == 400
    assert not Action.objects.exists()
