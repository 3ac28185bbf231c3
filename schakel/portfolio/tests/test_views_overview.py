"""The overview page and the search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.portfolio import services
from schakel.portfolio.models import State
from schakel.portfolio.tests.factories import ProjectFactory

HOME = reverse("portfolio:home")
SEARCH = reverse("portfolio:search")


@pytest.mark.django_db
class TestOverview:
    def test_it_shows_the_users_portfolios_as_tiles_with_counts(self, org, pmo, client_as):
        response = client_as(pmo).get(HOME)
        assert [(p.name, a, b) for p, a, b in response.context["portfolios"]] == [
            ("Change portfolio", 2, 3)
        ]
        html = response.content.decode()
        assert "2 programmes" in html
        assert "3 projects" in html

    def test_my_projects_lists_what_i_take_part_in(self, org, member, client_as):
        response = client_as(member).get(HOME)
        assert [p.key for p in response.context["my_projects"]] == ["ODI"]

    def test_my_projects_lists_what_i_manage_but_not_all_i_may_see(self, org, manager, client_as):
        org.sibling.manager = manager
        org.sibling.save()
        response = client_as(manager).get(HOME)
        assert [p.key for p in response.context["my_projects"]] == ["POL"]

    def test_my_projects_leaves_out_what_i_can_no_longer_see(self, org, member, client_as):
        org.other_project.manager = member  # named manager, but holds no role there
        org.other_project.save()
        response = client_as(member).get(HOME)
        assert [p.key for p in response.context["my_projects"]] == ["ODI"]

    def test_it_counts_visible_running_projects_by_state_and_phase(self, org, pmo, client_as):
        org.sibling.state = State.ON_HOLD
        org.sibling.save()
        services.project_archive(project=org.other_project, archived=True, by=pmo)
        ProjectFactory()  # elsewhere: not visible
        response = client_as(pmo).get(HOME)
        assert response.context["project_total"] == 2
        by_state = {value: n for value, _label, n in response.context["by_state"]}
        assert by_state == {"active": 1, "on_hold": 1, "closed": 0}
        by_phase = {value: n for value, _label, n in response.context["by_phase"]}
        assert by_phase["initiation"] == 2

    def test_a_user_without_access_is_told_to_ask_the_pmo(self, org, outsider, client_as):
        html = client_as(outsider).get(HOME).content.decode()
        assert "You have no access to any portfolio yet" in html
        assert "Ask the PMO" in html
        assert "Change portfolio" not in html

    def test_a_site_administrator_on_an_empty_site_is_offered_a_new_portfolio(
        self, db, admin_user, client_as
    ):
        html = client_as(admin_user).get(HOME).content.decode()
        assert "No portfolios yet" in html
        assert reverse("portfolio:portfolio_create") in html


@pytest.mark.django_db
class TestSearch:
    def test_it_finds_projects_programmes_portfolios_and_themes_grouped(self, org, pmo, client_as):
        response = client_as(pmo).get(SEARCH, {"q": "o"})
        results = response.context["results"]
        assert {p.key for p in results.projects} == {"ODI", "POL"}
        assert {p.name for p in results.programmes} == {"Support services", "Care innovation"}
        assert [p.name for p in results.portfolios] == ["Change portfolio"]
        assert [t.name for t in results.themes] == ["Organisation design"]
        html = response.content.decode()
        for heading in ("Projects", "Programmes", "Themes", "Portfolios"):
            assert f">{heading}</h2>" in html

    def test_it_echoes_the_query_in_the_top_bar(self, org, pmo, client_as):
        response = client_as(pmo).get(SEARCH, {"q": "care app"})
        assert response.context["search_query"] == "care app"
        assert 'value="care app"' in response.content.decode()

    def test_every_word_must_match(self, org, pmo, client_as):
        results = client_as(pmo).get(SEARCH, {"q": "care app"}).context["results"]
        assert [p.key for p in results.projects] == ["CAR"]

    def test_it_finds_projects_by_tag(self, org, pmo, client_as):
        org.sibling.tags.set(services.tags_from_names(["Legal"]))
        results = client_as(pmo).get(SEARCH, {"q": "legal"}).context["results"]
        assert [p.key for p in results.projects] == ["POL"]

    def test_it_finds_only_what_the_user_may_see(self, org, member, outsider, client_as):
        results = client_as(member).get(SEARCH, {"q": "o"}).context["results"]
        assert [p.key for p in results.projects] == ["ODI"]
        assert [p.name for p in results.programmes] == ["Support services"]
        nothing = client_as(outsider).get(SEARCH, {"q": "o"})
        assert nothing.context["results"].total == 0
        assert "Nothing found" in nothing.content.decode()

    def test_an_empty_query_asks_what_to_look_for(self, org, pmo, client_as):
        response = client_as(pmo).get(SEARCH)
        assert response.context["results"] is None
        assert "What are you looking for?" in response.content.decode()
