"""API lists filter, search, sort and page like the HTML lists."""

from __future__ import annotations

import pytest

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import services
from schakel.portfolio.models import Project
from schakel.portfolio.tests.factories import ProjectFactory, ThemeFactory
from tests.api import API, api_client, ids

pytestmark = pytest.mark.django_db


def _keys(response):
    assert response.status_code == 200, response.json()
    return [row["key"] for row in response.json()["results"]]


@pytest.fixture
def client(pmo):
    return api_client(pmo)


class TestProjects:
    def test_filter_by_programme_and_portfolio(self, org, client):
        assert set(_keys(client.get(f"{API}/projects/", {"programme": org.programme.pk}))) == {
            "ODI",
            "POL",
        }
        assert len(_keys(client.get(f"{API}/projects/", {"portfolio": org.portfolio.pk}))) == 3

    def test_filter_by_theme_phase_and_state(self, org, client):
        Project.objects.filter(pk=org.sibling.pk).update(phase="execution", state="on_hold")
        assert _keys(client.get(f"{API}/projects/", {"theme": org.theme.pk})) == ["ODI"]
        assert _keys(client.get(f"{API}/projects/", {"phase": "execution"})) == ["POL"]
        assert _keys(client.get(f"{API}/projects/?state=on_hold&state=active")) == [
            "CAR",
            "ODI",
            "POL",
        ]
        assert _keys(client.get(f"{API}/projects/", {"state": "closed"})) == []

    def test_search_by_key_name_or_description(self, org, client):
        Project.objects.filter(pk=org.other_project.pk).update(description="An app for nurses")
        assert _keys(client.get(f"{API}/projects/", {"q": "nurses"})) == ["CAR"]
        assert _keys(client.get(f"{API}/projects/", {"q": "pol"})) == ["POL"]

    def test_filter_by_tag_ignoring_case(self, org, client):
        org.sibling.tags.set(services.tags_from_names(["Quick win"]))
        org.project.tags.set(services.tags_from_names(["Quick win", "IT"]))
        assert _keys(client.get(f"{API}/projects/", {"tag": "quick WIN"})) == ["ODI", "POL"]

    def test_archived_projects_are_left_out_unless_asked_for(self, org, client, pmo):
        services.project_archive(project=org.sibling, archived=True, by=pmo)
        assert _keys(client.get(f"{API}/projects/")) == ["CAR", "ODI"]
        assert _keys(client.get(f"{API}/projects/", {"archived": "yes"})) == ["POL"]
        assert _keys(client.get(f"{API}/projects/", {"archived": "all"})) == ["CAR", "ODI", "POL"]

    def test_ordering_by_name_both_ways(self, org, client):
        assert _keys(client.get(f"{API}/projects/", {"ordering": "name"})) == ["CAR", "ODI", "POL"]
        assert _keys(client.get(f"{API}/projects/", {"ordering": "-key"})) == ["POL", "ODI", "CAR"]
        assert _keys(client.get(f"{API}/projects/", {"ordering": "programme,key"})) == [
            "CAR",
            "ODI",
            "POL",
        ]

    def test_a_bad_filter_value_is_a_400_not_a_500(self, org, client):
        assert client.get(f"{API}/projects/", {"state": "sleeping"}).status_code == 400
        assert client.get(f"{API}/projects/", {"ordering": "password"}).status_code == 400
        assert client.get(f"{API}/projects/", {"programme": "x"}).status_code == 400

    def test_filters_never_reveal_hidden_projects(self, org, manager):
        client = api_client(manager)
        assert _keys(client.get(f"{API}/projects/", {"programme": org.other_programme.pk})) == []


class TestPagination:
    def test_lists_are_paged_with_a_count_and_links(self, org, client):
        ProjectFactory.create_batch(5, programme=org.programme)
        response = client.get(f"{API}/projects/", {"page_size": 3})
        body = response.json()
        assert body["count"] == 8
        assert len(body["results"]) == 3
        assert body["previous"] is None
        assert "page=2" in body["next"]
        last = client.get(f"{API}/projects/", {"page_size": 3, "page": 3}).json()
        assert len(last["results"]) == 2
        assert last["next"] is None

    def test_the_page_size_is_capped_at_200(self, org, client):
        ProjectFactory.create_batch(3, programme=org.programme)
        response = client.get(f"{API}/projects/", {"page_size": 10_000})
        assert len(response.json()["results"]) == 6

    def test_a_page_past_the_end_is_a_404(self, org, client):
        assert client.get(f"{API}/projects/", {"page": 9}).status_code == 404


class TestOtherLists:
    def test_programmes_filter_by_state_search_and_archive(self, org, client, pmo):
        services.programme_archive(programme=org.other_programme, archived=True, by=pmo)
        assert ids(client.get(f"{API}/programmes/")) == {org.programme.pk}
        assert ids(client.get(f"{API}/programmes/", {"archived": "all", "q": "care"})) == {
            org.other_programme.pk
        }
        assert ids(client.get(f"{API}/programmes/", {"state": "closed"})) == set()
        response = client.get(f"{API}/programmes/", {"archived": "all", "ordering": "-name"})
        assert [row["name"] for row in response.json()["results"]] == [
            "Support services",
            "Care innovation",
        ]

    def test_themes_filter_by_programme(self, org, client):
        other = ThemeFactory(programme=org.other_programme)
        assert ids(client.get(f"{API}/themes/", {"programme": org.programme.pk})) == {org.theme.pk}
        assert ids(client.get(f"{API}/themes/")) == {org.theme.pk, other.pk}

    def test_memberships_filter_by_scope_and_user(self, org, client, pmo, member, viewer):
        project_roles = client.get(f"{API}/memberships/", {"project": org.project.pk}).json()
        assert {row["user"]["username"] for row in project_roles["results"]} == {"member", "viewer"}
        mine = client.get(f"{API}/memberships/", {"user": pmo.pk}).json()["results"]
        assert [(row["scope_kind"], row["role"]) for row in mine] == [("portfolio", "pmo")]

    def test_memberships_filter_by_role(self, org, client, member, viewer):
        rows = client.get(f"{API}/memberships/", {"role": "viewer"}).json()["results"]
        assert [row["user"]["id"] for row in rows] == [viewer.pk]

    def test_a_member_lists_the_memberships_of_what_they_see_only(self, org, member, pmo):
        stranger = UserFactory()
        Membership.objects.create(user=stranger, project=org.other_project, role=Role.VIEWER)
        rows = api_client(member).get(f"{API}/memberships/").json()["results"]
        assert {row["user"]["username"] for row in rows} == {"member", "pmo"}
