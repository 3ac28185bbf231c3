"""The detail pages of portfolios, programmes, themes and projects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from schakel.portfolio import services
from schakel.portfolio.tests.factories import ProjectFactory, ThemeFactory


def page(client, name: str, pk: int) -> str:
    response = client.get(reverse(f"portfolio:{name}", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
class TestProjectDetail:
    def test_it_shows_the_facts_of_the_project(self, org, pmo, manager, client_as):
        project = org.project
        project.manager = manager
        project.sponsor = pmo
        project.start_date = dt.date(2026, 2, 1)
        project.end_date = dt.date(2026, 12, 31)
        project.description = "We **reorganise** the support desk."
        project.save()
        project.tags.set(services.tags_from_names(["HR"]))
        html = page(client_as(pmo), "project_detail", project.pk)
        for text in (
            "ODI",
            "Org design",
            "Support services",
            "Organisation design",
            manager.display_name,
            pmo.display_name,
            "Initiation",
            "Active",
            date_format(dt.date(2026, 2, 1)),
            date_format(dt.date(2026, 12, 31)),
            ">HR</a>",
            "<strong>reorganise</strong>",
        ):
            assert text in html, text

    def test_the_description_is_sanitised(self, org, pmo, client_as):
        org.project.description = "<script>alert(1)</script> [x](javascript:alert(1))"
        org.project.save()
        html = page(client_as(pmo), "project_detail", org.project.pk)
        assert "<script>alert" not in html
        assert "javascript:" not in html

    def test_it_has_breadcrumbs_from_portfolio_to_project(self, org, pmo, client_as):
        response = client_as(pmo).get(org.project.get_absolute_url())
        assert response.context["breadcrumbs"] == [
            ("Change portfolio", org.portfolio.get_absolute_url()),
            ("Support services", org.programme.get_absolute_url()),
            ("ODI", org.project.get_absolute_url()),
        ]

    def test_it_has_tabs_for_overview_members_and_history(self, org, pmo, client_as):
        html = page(client_as(pmo), "project_detail", org.project.pk)
        assert reverse("portfolio:project_members", args=[org.project.pk]) in html
        assert reverse("portfolio:project_history", args=[org.project.pk]) in html
        assert 'class="tabs"' in html

    def test_a_viewer_sees_no_buttons_that_change_things(self, org, viewer, client_as):
        html = page(client_as(viewer), "project_detail", org.project.pk)
        for name in ("project_edit", "project_archive", "project_move", "project_delete"):
            assert reverse(f"portfolio:{name}", args=[org.project.pk]) not in html, name

    def test_a_manager_may_edit_and_archive_but_not_move_or_delete(self, org, manager, client_as):
        html = page(client_as(manager), "project_detail", org.project.pk)
        assert reverse("portfolio:project_edit", args=[org.project.pk]) in html
        assert reverse("portfolio:project_archive", args=[org.project.pk]) in html
        assert reverse("portfolio:project_move", args=[org.project.pk]) not in html
        assert reverse("portfolio:project_delete", args=[org.project.pk]) not in html

    def test_the_pmo_may_move_and_delete(self, org, pmo, client_as):
        html = page(client_as(pmo), "project_detail", org.project.pk)
        assert reverse("portfolio:project_move", args=[org.project.pk]) in html
        assert reverse("portfolio:project_delete", args=[org.project.pk]) in html

    def test_an_archived_project_shows_a_banner_to_unarchive_and_no_edit(self, org, pmo, client_as):
        services.project_archive(project=org.project, archived=True, by=pmo)
        html = page(client_as(pmo), "project_detail", org.project.pk)
        assert "This project was archived on" in html
        assert 'name="archived" value="0"' in html
        assert reverse("portfolio:project_edit", args=[org.project.pk]) not in html


@pytest.mark.django_db
class TestProgrammeDetail:
    def test_it_groups_projects_by_theme_and_lists_those_without(self, org, pmo, client_as):
        ThemeFactory(programme=org.programme, name="Quick wins", position=5)
        response = client_as(pmo).get(org.programme.get_absolute_url())
        outline = response.context["outline"]
        assert [(t.name, [p.key for p in ps]) for t, ps in outline.themes] == [
            ("Organisation design", ["ODI"]),
            ("Quick wins", []),
        ]
        assert [p.key for p in outline.unthemed] == ["POL"]
        html = response.content.decode()
        assert "Projects without a theme" in html
        assert "No projects in this theme yet." in html

    def test_a_member_sees_only_their_project_in_the_programme(self, org, member, client_as):
        response = client_as(member).get(org.programme.get_absolute_url())
        outline = response.context["outline"]
        assert [p.key for _t, ps in outline.themes for p in ps] == ["ODI"]
        assert outline.unthemed == []

    def test_it_shows_the_programme_facts(self, org, pmo, manager, client_as):
        org.programme.manager = manager
        org.programme.sponsor = pmo
        org.programme.end_date = dt.date(2027, 6, 30)
        org.programme.save()
        html = page(client_as(pmo), "programme_detail", org.programme.pk)
        assert manager.display_name in html
        assert pmo.display_name in html
        assert date_format(dt.date(2027, 6, 30)) in html

    def test_a_manager_is_offered_new_project_and_new_theme(self, org, manager, viewer, client_as):
        new_project = reverse("portfolio:project_create", args=[org.programme.pk])
        new_theme = reverse("portfolio:theme_create", args=[org.programme.pk])
        html = page(client_as(manager), "programme_detail", org.programme.pk)
        assert new_project in html
        assert new_theme in html
        html = page(client_as(viewer), "programme_detail", org.programme.pk)
        assert new_project not in html
        assert new_theme not in html

    def test_it_links_to_its_archived_projects(self, org, pmo, client_as):
        services.project_archive(project=org.sibling, archived=True, by=pmo)
        html = page(client_as(pmo), "programme_detail", org.programme.pk)
        assert "1 archived project" in html


@pytest.mark.django_db
class TestPortfolioAndThemeDetail:
    def test_a_portfolio_shows_its_programmes_as_cards_with_counts(self, org, pmo, client_as):
        response = client_as(pmo).get(org.portfolio.get_absolute_url())
        assert [(p.name, n) for p, n in response.context["programmes"]] == [
            ("Care innovation", 1),
            ("Support services", 2),
        ]
        assert reverse("portfolio:programme_create", args=[org.portfolio.pk]) in (
            response.content.decode()
        )

    def test_a_member_sees_only_the_programme_of_their_project(self, org, member, client_as):
        response = client_as(member).get(org.portfolio.get_absolute_url())
        assert [(p.name, n) for p, n in response.context["programmes"]] == [("Support services", 1)]
        assert reverse("portfolio:programme_create", args=[org.portfolio.pk]) not in (
            response.content.decode()
        )

    def test_a_theme_shows_its_visible_projects(self, org, pmo, client_as):
        ProjectFactory(programme=org.programme, theme=org.theme, key="ODJ")
        response = client_as(pmo).get(org.theme.get_absolute_url())
        assert [p.key for p in response.context["projects"]] == ["ODI", "ODJ"]
        assert response.context["breadcrumbs"][-1] == (
            "Organisation design",
            org.theme.get_absolute_url(),
        )
