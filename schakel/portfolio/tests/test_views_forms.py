"""Create and edit forms of portfolios, programmes, themes and projects."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import services
from schakel.portfolio.models import Portfolio, Programme, Project, Theme
from schakel.portfolio.tests.factories import ThemeFactory


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def project_data(**overrides) -> dict:
    data = {
        "key": "NEW",
        "name": "New intake desk",
        "theme": "",
        "manager": "",
        "sponsor": "",
        "phase": "initiation",
        "state": "active",
        "start_date": "",
        "end_date": "",
        "tags": "",
        "description": "",
    }
    data.update(overrides)
    return data


def edit_data(project: Project, **overrides) -> dict:
    data = project_data(
        key=project.key,
        name=project.name,
        theme=project.theme_id or "",
        phase=project.phase,
        state=project.state,
        version=project.version,
    )
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestProjectCreate:
    def url(self, org) -> str:
        return reverse("portfolio:project_create", args=[org.programme.pk])

    def test_a_manager_creates_a_project_in_their_programme(self, org, manager, client_as):
        response = client_as(manager).post(
            self.url(org),
            project_data(
                key="new",
                theme=org.theme.pk,
                manager=manager.pk,
                start_date="2026-03-01",
                end_date="2026-09-30",
                tags="IT, quick win, it",
            ),
        )
        project = Project.objects.get(key="NEW")
        assert response.status_code == 302
        assert response["Location"] == project.get_absolute_url()
        assert project.programme == org.programme
        assert project.theme == org.theme
        assert str(project.start_date) == "2026-03-01"
        assert sorted(t.name for t in project.tags.all()) == ["IT", "quick win"]
        assert Membership.objects.filter(user=manager, project=project, role=Role.MANAGER)
        assert messages_of(response) == ["Project NEW created."]

    def test_the_form_uses_date_inputs_and_labelled_fields(self, org, manager, client_as):
        html = client_as(manager).get(self.url(org)).content.decode()
        assert 'type="date" name="start_date"' in html
        assert '<label for="id_key">Key' in html
        assert '<label for="id_tags">Tags' in html

    def test_themes_are_limited_to_the_programmes_own(self, org, manager, client_as):
        ThemeFactory(programme=org.other_programme, name="Elsewhere")
        response = client_as(manager).get(self.url(org))
        themes = list(response.context["form"].fields["theme"].queryset)
        assert themes == [org.theme]

    def test_a_theme_of_another_programme_is_refused(self, org, pmo, client_as):
        elsewhere = ThemeFactory(programme=org.other_programme)
        response = client_as(pmo).post(self.url(org), project_data(theme=elsewhere.pk))
        assert response.status_code == 200
        assert "theme" in response.context["form"].errors
        assert not Project.objects.filter(key="NEW").exists()

    def test_only_active_people_are_offered_as_manager(self, org, manager, client_as):
        gone = UserFactory(username="gone", is_active=False)
        response = client_as(manager).get(self.url(org))
        people = list(response.context["form"].fields["manager"].queryset)
        assert manager in people
        assert gone not in people

    @pytest.mark.parametrize(
        ("key", "message"),
        [
            ("ODI", "already exists"),
            ("1AB", "capital letters"),
            ("A", "capital letters"),
            ("TOOLONGKEY123", "at most 10"),
        ],
    )
    def test_a_bad_key_is_refused_on_its_field(self, org, manager, client_as, key, message):
        response = client_as(manager).post(self.url(org), project_data(key=key))
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["key"])

    def test_an_end_before_the_start_is_refused_on_the_end_date(self, org, manager, client_as):
        response = client_as(manager).post(
            self.url(org), project_data(start_date="2026-05-01", end_date="2026-04-01")
        )
        assert "end_date" in response.context["form"].errors
        assert "field-invalid" in response.content.decode()

    def test_a_theme_can_be_preselected(self, org, manager, client_as):
        response = client_as(manager).get(self.url(org), {"theme": org.theme.pk})
        assert response.context["form"].initial["theme"] == org.theme.pk

    def test_no_project_is_created_in_an_archived_programme(self, org, pmo, client_as):
        services.programme_archive(programme=org.programme, archived=True, by=pmo)
        response = client_as(pmo).post(self.url(org), project_data())
        assert response.status_code == 302
        assert not Project.objects.filter(key="NEW").exists()


@pytest.mark.django_db
class TestProjectCreateAnywhere:
    URL = reverse("portfolio:project_create_any")

    def test_the_user_picks_among_programmes_they_may_create_in(self, org, manager, client_as):
        form = client_as(manager).get(self.URL).context["form"]
        assert list(form.fields["programme"].queryset) == [org.programme]

    def test_it_creates_the_project_in_the_chosen_programme(self, org, pmo, client_as):
        response = client_as(pmo).post(
            self.URL, project_data(programme=org.other_programme.pk, key="ANY")
        )
        project = Project.objects.get(key="ANY")
        assert response.status_code == 302
        assert project.programme == org.other_programme

    def test_a_programme_the_user_may_not_write_is_refused(self, org, manager, client_as):
        response = client_as(manager).post(self.URL, project_data(programme=org.other_programme.pk))
        assert "programme" in response.context["form"].errors
        assert not Project.objects.filter(key="NEW").exists()

    def test_the_theme_must_belong_to_the_chosen_programme(self, org, pmo, client_as):
        response = client_as(pmo).post(
            self.URL, project_data(programme=org.other_programme.pk, theme=org.theme.pk)
        )
        assert "theme" in response.context["form"].errors


@pytest.mark.django_db
class TestProjectEdit:
    def url(self, project) -> str:
        return reverse("portfolio:project_edit", args=[project.pk])

    def test_the_form_carries_the_version_and_the_tags(self, org, manager, client_as):
        org.project.tags.set(services.tags_from_names(["IT", "HR"]))
        html = client_as(manager).get(self.url(org.project)).content.decode()
        assert 'type="hidden" name="version" value="1"' in html
        assert 'value="HR, IT"' in html

    def test_a_manager_saves_changes_and_the_version_goes_up(self, org, manager, client_as):
        response = client_as(manager).post(
            self.url(org.project),
            edit_data(org.project, name="Org design 2.0", state="on_hold", tags="Legal"),
        )
        assert response.status_code == 302
        assert response["Location"] == org.project.get_absolute_url()
        org.project.refresh_from_db()
        assert org.project.name == "Org design 2.0"
        assert org.project.state == "on_hold"
        assert org.project.version == 2
        assert [t.name for t in org.project.tags.all()] == ["Legal"]
        assert messages_of(response) == ["Project ODI saved."]

    def test_the_key_may_stay_the_same(self, org, manager, client_as):
        response = client_as(manager).post(self.url(org.project), edit_data(org.project))
        assert response.status_code == 302

    def test_a_stale_version_is_refused_with_409_and_the_current_version(
        self, org, manager, pmo, client_as
    ):
        services.project_update(project=org.project, version=1, by=pmo, name="Changed by PMO")
        response = client_as(manager).post(
            self.url(org.project), edit_data(org.project, name="My name", version=1)
        )
        assert response.status_code == 409
        html = response.content.decode()
        assert "Someone else changed this while you were editing." in html
        assert "My name" in html  # what the user tried, listed
        form = response.context["form"]
        assert form.initial["name"] == "Changed by PMO"
        assert form["version"].value() == 2
        org.project.refresh_from_db()
        assert org.project.name == "Changed by PMO"

    def test_a_missing_version_is_a_form_error(self, org, manager, client_as):
        data = edit_data(org.project)
        del data["version"]
        response = client_as(manager).post(self.url(org.project), data)
        assert response.status_code == 200
        assert "version" in response.context["form"].errors

    def test_a_duplicate_key_is_refused(self, org, manager, client_as):
        response = client_as(manager).post(self.url(org.project), edit_data(org.project, key="POL"))
        assert "key" in response.context["form"].errors

    def test_an_archived_project_cannot_be_edited(self, org, pmo, client_as):
        services.project_archive(project=org.project, archived=True, by=pmo)
        response = client_as(pmo).post(self.url(org.project), edit_data(org.project, name="X"))
        assert response.status_code == 302
        org.project.refresh_from_db()
        assert org.project.name == "Org design"
        assert "read-only" in messages_of(response)[0]


@pytest.mark.django_db
class TestProgrammeForms:
    def test_a_pmo_creates_a_programme_in_the_portfolio(self, org, pmo, client_as):
        url = reverse("portfolio:programme_create", args=[org.portfolio.pk])
        response = client_as(pmo).post(
            url,
            {"name": "Digital care", "state": "active", "manager": pmo.pk, "description": ""},
        )
        programme = Programme.objects.get(name="Digital care")
        assert response.status_code == 302
        assert response["Location"] == programme.get_absolute_url()
        assert programme.portfolio == org.portfolio
        assert programme.manager == pmo

    def test_a_programme_edit_with_a_stale_version_answers_409(self, org, pmo, client_as):
        services.programme_update(programme=org.programme, version=1, by=pmo, name="Renamed")
        url = reverse("portfolio:programme_edit", args=[org.programme.pk])
        response = client_as(pmo).post(
            url, {"name": "Mine", "state": "active", "description": "", "version": 1}
        )
        assert response.status_code == 409
        org.programme.refresh_from_db()
        assert org.programme.name == "Renamed"

    def test_a_programme_edit_saves(self, org, manager, client_as):
        url = reverse("portfolio:programme_edit", args=[org.programme.pk])
        response = client_as(manager).post(
            url,
            {
                "name": "Support services NL",
                "state": "on_hold",
                "start_date": "2026-01-01",
                "end_date": "2026-12-31",
                "description": "",
                "version": 1,
            },
        )
        assert response.status_code == 302
        org.programme.refresh_from_db()
        assert (org.programme.name, org.programme.state, org.programme.version) == (
            "Support services NL",
            "on_hold",
            2,
        )

    def test_a_programme_end_before_its_start_is_refused(self, org, manager, client_as):
        url = reverse("portfolio:programme_edit", args=[org.programme.pk])
        response = client_as(manager).post(
            url,
            {
                "name": "X",
                "state": "active",
                "start_date": "2026-05-01",
                "end_date": "2026-01-01",
                "description": "",
                "version": 1,
            },
        )
        assert response.status_code == 200
        assert "end_date" in response.context["form"].errors


@pytest.mark.django_db
class TestThemeForms:
    def test_a_manager_adds_a_theme_at_the_end(self, org, manager, client_as):
        url = reverse("portfolio:theme_create", args=[org.programme.pk])
        response = client_as(manager).post(url, {"name": "Quick wins", "description": ""})
        theme = Theme.objects.get(name="Quick wins")
        assert response.status_code == 302
        assert response["Location"] == org.programme.get_absolute_url()
        assert theme.position > org.theme.position

    def test_a_theme_edit_saves_and_refuses_a_stale_version(self, org, manager, client_as):
        url = reverse("portfolio:theme_edit", args=[org.theme.pk])
        client = client_as(manager)
        saved = client.post(
            url, {"name": "Org design", "description": "Who does what", "version": 1}
        )
        assert saved.status_code == 302
        stale = client.post(url, {"name": "Late", "description": "", "version": 1})
        assert stale.status_code == 409
        org.theme.refresh_from_db()
        assert org.theme.name == "Org design"


@pytest.mark.django_db
class TestPortfolioForms:
    def test_a_site_administrator_creates_a_portfolio_and_becomes_its_pmo(
        self, db, admin_user, client_as
    ):
        url = reverse("portfolio:portfolio_create")
        response = client_as(admin_user).post(url, {"name": "Housing", "description": ""})
        portfolio = Portfolio.objects.get(name="Housing")
        assert response["Location"] == portfolio.get_absolute_url()
        assert Membership.objects.filter(user=admin_user, portfolio=portfolio, role=Role.PMO)

    def test_a_pmo_edits_the_portfolio(self, org, pmo, client_as):
        url = reverse("portfolio:portfolio_edit", args=[org.portfolio.pk])
        response = client_as(pmo).post(
            url, {"name": "Change portfolio 2026", "description": "All of it", "version": 1}
        )
        assert response.status_code == 302
        org.portfolio.refresh_from_db()
        assert org.portfolio.name == "Change portfolio 2026"
        assert messages_of(response) == ["Portfolio saved."]

    def test_a_stale_portfolio_edit_answers_409(self, org, pmo, client_as):
        services.portfolio_update(portfolio=org.portfolio, version=1, by=pmo, name="Other")
        url = reverse("portfolio:portfolio_edit", args=[org.portfolio.pk])
        response = client_as(pmo).post(url, {"name": "Mine", "description": "", "version": 1})
        assert response.status_code == 409
        assert "Someone else changed this" in response.content.decode()

    def test_an_empty_name_is_refused_on_its_field(self, org, pmo, client_as):
        url = reverse("portfolio:portfolio_edit", args=[org.portfolio.pk])
        response = client_as(pmo).post(url, {"name": "", "description": "", "version": 1})
        assert response.status_code == 200
        assert "name" in response.context["form"].errors
