"""The portfolio, programme and project lists: filters, sorting, pagination and htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from schakel.portfolio import services
from schakel.portfolio.models import Phase, State
from schakel.portfolio.tests.factories import ProgrammeFactory, ProjectFactory

PROJECTS = reverse("portfolio:project_list")
PROGRAMMES = reverse("portfolio:programme_list")
PORTFOLIOS = reverse("portfolio:portfolio_list")


def keys(response) -> list[str]:
    return [p.key for p in response.context["page_obj"]]


@pytest.mark.django_db
class TestProjectList:
    def test_it_lists_only_the_projects_the_user_may_see(self, org, member, client_as):
        assert keys(client_as(member).get(PROJECTS)) == ["ODI"]

    def test_an_outsider_sees_an_empty_list_that_says_why(self, org, outsider, client_as):
        response = client_as(outsider).get(PROJECTS)
        assert keys(response) == []
        assert "No projects to show" in response.content.decode()

    def test_it_searches_key_name_and_description(self, org, pmo, client_as):
        org.sibling.description = "About the policy on gifts"
        org.sibling.save()
        client = client_as(pmo)
        assert keys(client.get(PROJECTS, {"q": "odi"})) == ["ODI"]
        assert keys(client.get(PROJECTS, {"q": "gifts"})) == ["POL"]
        assert keys(client.get(PROJECTS, {"q": "care"})) == ["CAR"]

    def test_it_filters_by_programme_state_phase_and_tag(self, org, pmo, client_as):
        org.sibling.state = State.ON_HOLD
        org.sibling.phase = Phase.EXECUTION
        org.sibling.save()
        org.project.tags.set(services.tags_from_names(["IT"]))
        client = client_as(pmo)
        assert keys(client.get(PROJECTS, {"programme": org.other_programme.pk})) == ["CAR"]
        assert keys(client.get(PROJECTS, {"state": "on_hold"})) == ["POL"]
        assert keys(client.get(PROJECTS, {"phase": "execution"})) == ["POL"]
        assert keys(client.get(PROJECTS, {"tag": "it"})) == ["ODI"]

    def test_the_filter_bar_offers_selects_that_submit_themselves(self, org, pmo, client_as):
        html = client_as(pmo).get(PROJECTS).content.decode()
        for name in ("programme", "theme", "phase", "state", "manager", "tag", "archived"):
            assert f'<select name="{name}"' in html
        assert html.count("data-autosubmit") >= 7
        assert 'type="search"' in html
        assert f'<option value="{org.programme.pk}">Support services</option>' in html

    def test_the_selected_filter_stays_selected(self, org, pmo, client_as):
        html = client_as(pmo).get(PROJECTS, {"state": "active"}).content.decode()
        assert '<option value="active" selected>' in html

    def test_it_sorts_by_a_column_and_marks_the_header(self, org, pmo, client_as):
        client = client_as(pmo)
        response = client.get(PROJECTS, {"ordering": "-key"})
        assert keys(response) == ["POL", "ODI", "CAR"]
        html = response.content.decode()
        assert 'aria-sort="descending"' in html
        assert 'href="?ordering=key"' in html

    def test_it_sorts_by_programme_name(self, org, pmo, client_as):
        assert keys(client_as(pmo).get(PROJECTS, {"ordering": "programme"}))[0] == "CAR"

    def test_it_pages_by_25(self, org, pmo, client_as):
        for i in range(30):
            ProjectFactory(programme=org.programme, key=f"X{i:02d}")
        client = client_as(pmo)
        first = client.get(PROJECTS)
        assert len(keys(first)) == 25
        assert "33 projects" in first.content.decode()
        assert 'rel="next"' in first.content.decode()
        assert len(keys(client.get(PROJECTS, {"page": 2}))) == 8

    def test_a_page_out_of_range_shows_the_last_page(self, org, pmo, client_as):
        assert keys(client_as(pmo).get(PROJECTS, {"page": 99})) == ["CAR", "ODI", "POL"]

    def test_archived_projects_are_hidden_unless_asked_for(self, org, pmo, client_as):
        services.project_archive(project=org.sibling, archived=True, by=pmo)
        client = client_as(pmo)
        assert "POL" not in keys(client.get(PROJECTS))
        archived = client.get(PROJECTS, {"archived": "yes"})
        assert keys(archived) == ["POL"]
        assert "badge-archived" in archived.content.decode()

    def test_garbage_parameters_do_not_break_the_page(self, org, pmo, client_as):
        response = client_as(pmo).get(
            PROJECTS, {"programme": "abc", "state": "nonsense", "page": "x", "ordering": "evil"}
        )
        assert response.status_code == 200

    def test_rows_show_the_key_facts(self, org, pmo, client_as):
        org.project.manager = pmo
        org.project.start_date = dt.date(2026, 1, 5)
        org.project.save()
        org.project.tags.set(services.tags_from_names(["Quick win"]))
        html = client_as(pmo).get(PROJECTS).content.decode()
        assert '<td data-label="Key" class="key">ODI</td>' in html
        assert f'href="{org.project.get_absolute_url()}"' in html
        assert pmo.display_name in html
        assert 'class="badge badge-initiation"' in html
        assert 'class="badge badge-active"' in html
        assert '<span class="tag">Quick win</span>' in html
        assert "table-responsive" in html

    def test_the_new_project_button_shows_only_for_those_who_may_create(
        self, org, manager, viewer, client_as
    ):
        create = reverse("portfolio:project_create_any")
        assert create in client_as(manager).get(PROJECTS).content.decode()
        assert create not in client_as(viewer).get(PROJECTS).content.decode()


@pytest.mark.django_db
class TestHtmx:
    def test_an_htmx_request_gets_only_the_results(self, org, pmo, client_as):
        response = client_as(pmo).get(
            PROJECTS, {"q": "odi", "ordering": "name"}, headers={"HX-Request": "true"}
        )
        html = response.content.decode()
        assert "<html" not in html
        assert 'form="project-filters"' in html  # the sort field travels with the filters
        assert "ODI" in html
        assert "POL" not in html

    def test_a_history_restore_gets_the_whole_page(self, org, pmo, client_as):
        response = client_as(pmo).get(
            PROJECTS,
            headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
        )
        assert "<html" in response.content.decode()

    def test_the_list_varies_on_the_htmx_header(self, org, pmo, client_as):
        for url in (PROJECTS, PROGRAMMES, PORTFOLIOS):
            assert "HX-Request" in client_as(pmo).get(url)["Vary"]

    def test_the_filter_form_and_sort_links_swap_the_results_and_push_the_url(
        self, org, pmo, client_as
    ):
        html = client_as(pmo).get(PROJECTS).content.decode()
        assert f'hx-get="{PROJECTS}" hx-target="#results" hx-push-url="true"' in html
        assert 'hx-get="?ordering=name" hx-target="#results" hx-push-url="true"' in html
        assert 'id="results"' in html

    def test_the_current_sort_is_kept_when_filtering(self, org, pmo, client_as):
        html = client_as(pmo).get(PROJECTS, {"ordering": "-name"}).content.decode()
        assert 'name="ordering" value="-name" form="project-filters"' in html


@pytest.mark.django_db
class TestProgrammeList:
    def test_it_lists_visible_programmes_with_running_project_counts(self, org, manager, client_as):
        response = client_as(manager).get(PROGRAMMES)
        rows = response.context["rows"]
        assert [(p.name, n) for p, n in rows] == [("Support services", 2)]

    def test_it_filters_by_state_and_searches(self, org, pmo, client_as):
        org.other_programme.state = State.CLOSED
        org.other_programme.save()
        client = client_as(pmo)
        closed = client.get(PROGRAMMES, {"state": "closed"})
        assert [p.name for p, _n in closed.context["rows"]] == ["Care innovation"]
        found = client.get(PROGRAMMES, {"q": "support"})
        assert [p.name for p, _n in found.context["rows"]] == ["Support services"]

    def test_it_sorts_by_name_descending(self, org, pmo, client_as):
        response = client_as(pmo).get(PROGRAMMES, {"ordering": "-name"})
        assert [p.name for p, _n in response.context["rows"]] == [
            "Support services",
            "Care innovation",
        ]

    def test_archived_programmes_are_hidden_by_default(self, org, pmo, client_as):
        services.programme_archive(programme=org.other_programme, archived=True, by=pmo)
        response = client_as(pmo).get(PROGRAMMES)
        assert [p.name for p, _n in response.context["rows"]] == ["Support services"]

    def test_htmx_gets_the_results_only(self, org, pmo, client_as):
        response = client_as(pmo).get(PROGRAMMES, headers={"HX-Request": "true"})
        assert "<html" not in response.content.decode()

    def test_new_programme_is_offered_in_the_portfolios_the_user_may_write(
        self, org, pmo, manager, client_as
    ):
        create = reverse("portfolio:programme_create", args=[org.portfolio.pk])
        assert create in client_as(pmo).get(PROGRAMMES).content.decode()
        assert create not in client_as(manager).get(PROGRAMMES).content.decode()


@pytest.mark.django_db
class TestPortfolioList:
    def test_it_lists_visible_portfolios_with_counts(self, org, member, client_as):
        ProgrammeFactory()  # another portfolio the member does not see
        response = client_as(member).get(PORTFOLIOS)
        assert [(p.name, a, b) for p, a, b in response.context["rows"]] == [
            ("Change portfolio", 1, 1)
        ]

    def test_it_searches_by_name(self, org, pmo, client_as):
        response = client_as(pmo).get(PORTFOLIOS, {"q": "nothing like it"})
        assert response.context["rows"] == []
        assert "No portfolio matches this search" in response.content.decode()

    def test_only_site_administrators_see_new_portfolio(self, org, pmo, admin_user, client_as):
        create = reverse("portfolio:portfolio_create")
        assert create in client_as(admin_user).get(PORTFOLIOS).content.decode()
        assert create not in client_as(pmo).get(PORTFOLIOS).content.decode()
