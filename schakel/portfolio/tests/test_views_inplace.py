"""In-place editing with htmx on the project and programme detail pages.

The Edit button fetches the form into the facts card; saving posts it and swaps back the
updated card (with the page header and messages out of band); Cancel swaps the card
back. Without htmx the same URLs work as full pages.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.portfolio import services

HTMX_PROJECT = {"HX-Request": "true", "HX-Target": "project-facts"}
HTMX_PROGRAMME = {"HX-Request": "true", "HX-Target": "programme-facts"}


def project_form_data(project, **overrides) -> dict:
    data = {
        "key": project.key,
        "name": project.name,
        "theme": project.theme_id or "",
        "manager": "",
        "sponsor": "",
        "phase": project.phase,
        "state": project.state,
        "start_date": "",
        "end_date": "",
        "tags": "",
        "description": "",
        "version": project.version,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestProjectInPlace:
    def edit_url(self, org) -> str:
        return reverse("portfolio:project_edit", args=[org.project.pk])

    def test_the_detail_page_offers_an_edit_button_with_a_real_link(self, org, manager, client_as):
        html = client_as(manager).get(org.project.get_absolute_url()).content.decode()
        url = self.edit_url(org)
        assert f'href="{url}" hx-get="{url}" hx-target="#project-facts" hx-swap="outerHTML"' in html
        assert 'id="project-facts"' in html

    def test_edit_swaps_in_the_form_alone(self, org, manager, client_as):
        response = client_as(manager).get(self.edit_url(org), headers=HTMX_PROJECT)
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert html.lstrip().startswith('<section id="project-facts"')
        assert f'hx-post="{self.edit_url(org)}"' in html
        assert f'hx-get="{org.project.get_absolute_url()}"' in html  # Cancel

    def test_saving_swaps_back_the_updated_facts_with_header_and_message(
        self, org, manager, client_as
    ):
        response = client_as(manager).post(
            self.edit_url(org),
            project_form_data(org.project, name="Org design renewed"),
            headers=HTMX_PROJECT,
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert html.lstrip().startswith('<section id="project-facts"')
        assert "<dl" in html
        assert 'id="project-header" class="page-header" hx-swap-oob="true"' in html
        assert 'id="messages"' in html
        assert "Project ODI saved." in html
        assert html.count("Org design renewed") >= 2
        org.project.refresh_from_db()
        assert org.project.name == "Org design renewed"

    def test_cancel_swaps_back_the_facts(self, org, manager, client_as):
        response = client_as(manager).get(org.project.get_absolute_url(), headers=HTMX_PROJECT)
        html = response.content.decode()
        assert "<html" not in html
        assert html.lstrip().startswith('<section id="project-facts"')
        assert "hx-swap-oob" not in html

    def test_errors_come_back_in_the_form_in_place(self, org, manager, client_as):
        response = client_as(manager).post(
            self.edit_url(org), project_form_data(org.project, name=""), headers=HTMX_PROJECT
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html
        assert "errorlist" in html
        assert "hx-post" in html

    def test_a_stale_edit_in_place_answers_409_with_the_current_version(
        self, org, manager, pmo, client_as
    ):
        services.project_update(project=org.project, version=1, by=pmo, name="PMO's name")
        response = client_as(manager).post(
            self.edit_url(org), project_form_data(org.project, name="Mine"), headers=HTMX_PROJECT
        )
        html = response.content.decode()
        assert response.status_code == 409
        assert "<html" not in html
        assert "Someone else changed this while you were editing." in html
        assert 'value="PMO&#x27;s name"' in html
        assert 'name="version" value="2"' in html

    def test_without_htmx_the_same_urls_are_full_pages(self, org, manager, client_as):
        client = client_as(manager)
        form_page = client.get(self.edit_url(org)).content.decode()
        assert "<html" in form_page
        assert "hx-post" not in form_page  # a plain form post, then a redirect
        saved = client.post(self.edit_url(org), project_form_data(org.project, name="Plain"))
        assert saved.status_code == 302

    def test_the_edit_of_an_archived_project_redirects_the_browser(self, org, pmo, client_as):
        services.project_archive(project=org.project, archived=True, by=pmo)
        response = client_as(pmo).get(self.edit_url(org), headers=HTMX_PROJECT)
        assert response["HX-Redirect"] == org.project.get_absolute_url()


@pytest.mark.django_db
class TestProgrammeInPlace:
    def edit_url(self, org) -> str:
        return reverse("portfolio:programme_edit", args=[org.programme.pk])

    def test_edit_swaps_in_the_form_alone(self, org, manager, client_as):
        html = client_as(manager).get(self.edit_url(org), headers=HTMX_PROGRAMME).content.decode()
        assert html.lstrip().startswith('<section id="programme-facts"')
        assert f'hx-post="{self.edit_url(org)}"' in html

    def test_saving_swaps_back_the_updated_facts(self, org, manager, client_as):
        response = client_as(manager).post(
            self.edit_url(org),
            {"name": "Support", "state": "on_hold", "description": "", "version": 1},
            headers=HTMX_PROGRAMME,
        )
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="programme-facts"')
        assert 'id="programme-header" class="page-header" hx-swap-oob="true"' in html
        assert "Programme saved." in html
        assert "On hold" in html

    def test_cancel_swaps_back_the_facts(self, org, manager, client_as):
        response = client_as(manager).get(org.programme.get_absolute_url(), headers=HTMX_PROGRAMME)
        assert response.content.decode().lstrip().startswith('<section id="programme-facts"')
