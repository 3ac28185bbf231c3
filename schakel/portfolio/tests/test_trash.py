"""The trash: PMO officers delete objects into it and restore whole batches from it."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PERSONAS
from schakel.accounts.models import Membership, Role
from schakel.portfolio import services
from schakel.portfolio.models import Portfolio, Programme, Project, Theme
from schakel.portfolio.tests.factories import (
    PortfolioFactory,
    ProgrammeFactory,
    ProjectFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TRASH = reverse("portfolio:trash")


def delete_url(kind, obj):
    return reverse(f"portfolio:{kind}_delete", args=[obj.pk])


def restore_url(kind, obj):
    return reverse("portfolio:trash_restore", args=[kind, obj.pk])


def live(model, obj):
    return model.objects.filter(pk=obj.pk).exists()


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


class TestDelete:
    def test_the_confirm_page_says_what_goes_with_it(self, org, pmo, client_as):
        response = client_as(pmo).get(delete_url("programme", org.programme))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Move “Support services” to the trash?" in html
        assert "<li>1 theme</li>" in html and "<li>2 projects</li>" in html
        assert live(Programme, org.programme)

    def test_deleting_a_programme_trashes_it_with_its_themes_and_projects(
        self, org, pmo, client_as
    ):
        response = client_as(pmo).post(delete_url("programme", org.programme))
        assert response.status_code == 302
        assert response.url == org.portfolio.get_absolute_url()
        assert not live(Programme, org.programme)
        assert not live(Theme, org.theme)
        assert not live(Project, org.project)
        assert not live(Project, org.sibling)
        assert live(Project, org.other_project)
        batches = {
            Programme.all_objects.get(pk=org.programme.pk).trash_batch,
            Project.all_objects.get(pk=org.project.pk).trash_batch,
            Theme.all_objects.get(pk=org.theme.pk).trash_batch,
        }
        assert len(batches) == 1 and None not in batches
        assert Programme.all_objects.get(pk=org.programme.pk).deleted_by == pmo

    def test_the_message_after_a_delete_offers_undo(self, org, pmo, client_as):
        response = client_as(pmo).post(delete_url("project", org.project))
        assert response.url == org.programme.get_absolute_url()
        (message,) = messages_of(response)
        assert "“ODI – Org design” was moved to the trash." in message
        assert f'action="{restore_url("project", org.project)}"' in message
        assert "Undo" in message and "csrfmiddlewaretoken" in message

    def test_undo_brings_the_object_back(self, org, pmo, client_as):
        client = client_as(pmo)
        client.post(delete_url("project", org.project))
        response = client.post(restore_url("project", org.project))
        assert response.status_code == 302
        assert response.url == org.project.get_absolute_url()
        assert live(Project, org.project)

    def test_deleting_a_theme_keeps_its_projects(self, org, pmo, client_as):
        response = client_as(pmo).post(delete_url("theme", org.theme))
        assert response.url == org.programme.get_absolute_url()
        assert not live(Theme, org.theme)
        assert live(Project, org.project)

    def test_deleting_a_portfolio_returns_to_the_portfolio_list(self, org, pmo, client_as):
        response = client_as(pmo).post(delete_url("portfolio", org.portfolio))
        assert response.url == reverse("portfolio:portfolio_list")
        assert not live(Portfolio, org.portfolio)
        assert not live(Project, org.other_project)

    def test_a_trashed_object_cannot_be_deleted_again(self, org, pmo, client_as):
        services.trash(obj=org.project, by=pmo)
        assert client_as(pmo).post(delete_url("project", org.project)).status_code == 404


def _delete_expectation(name, kind):
    if name == "anonymous":
        return "login"
    if name == "outsider":
        return 404
    if name in ("pmo", "admin"):
        return "allowed"
    return 403


@pytest.mark.parametrize("kind", ["portfolio", "programme", "theme", "project"])
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_every_persona_gets_the_right_answer_on_delete(org, persona, kind, client_as):
    name, user = persona
    obj = {
        "portfolio": org.portfolio,
        "programme": org.programme,
        "theme": org.theme,
        "project": org.project,
    }[kind]
    client = client_as(user)
    get = client.get(delete_url(kind, obj))
    post = client.post(delete_url(kind, obj))
    expected = _delete_expectation(name, kind)
    model = type(obj)
    if expected == "login":
        assert get.status_code == post.status_code == 302
        assert post.url.startswith(reverse("accounts:login"))
        assert live(model, obj)
    elif expected == "allowed":
        assert get.status_code == 200
        assert post.status_code == 302
        assert not live(model, obj)
    else:
        assert get.status_code == post.status_code == expected
        assert live(model, obj)


class TestTrashList:
    def test_one_row_per_delete_with_what_came_with_it(self, org, pmo, client_as):
        services.trash(obj=org.programme, by=pmo)
        services.trash(obj=org.other_project, by=pmo)
        response = client_as(pmo).get(TRASH)
        assert response.status_code == 200
        batches = list(response.context["batches"])
        assert [(b.kind, b.obj.pk, b.others) for b in batches] == [
            ("project", org.other_project.pk, 0),
            ("programme", org.programme.pk, 3),
        ]
        html = response.content.decode()
        assert "3 objects" in html
        assert "Change portfolio › Care innovation" in html  # where the project was
        assert pmo.display_name in html
        assert f'action="{restore_url("programme", org.programme)}"' in html

    def test_restoring_a_batch_brings_back_everything_deleted_with_it(self, org, pmo, client_as):
        client = client_as(pmo)
        client.post(delete_url("programme", org.programme))
        response = client.post(restore_url("programme", org.programme))
        assert response.status_code == 302
        for model, obj in [
            (Programme, org.programme),
            (Theme, org.theme),
            (Project, org.project),
            (Project, org.sibling),
        ]:
            assert live(model, obj)
        assert "“Support services” was restored." in messages_of(response)

    def test_an_object_deleted_earlier_stays_in_the_trash_when_its_parent_comes_back(
        self, org, pmo, client_as
    ):
        services.trash(obj=org.project, by=pmo)
        services.trash(obj=Programme.objects.get(pk=org.programme.pk), by=pmo)
        client_as(pmo).post(restore_url("programme", org.programme))
        assert live(Programme, org.programme)
        assert live(Project, org.sibling)
        assert not live(Project, org.project)

    def test_a_restore_under_a_trashed_parent_is_refused_with_a_clear_message(
        self, org, pmo, client_as
    ):
        services.trash(obj=org.project, by=pmo)
        services.trash(obj=Programme.objects.get(pk=org.programme.pk), by=pmo)
        client = client_as(pmo)
        listing = client.get(TRASH).content.decode()
        assert "Its programme “Support services” is in the trash too" in listing
        assert f'action="{restore_url("project", org.project)}"' not in listing
        response = client.post(restore_url("project", org.project))
        assert response.status_code == 302
        assert response.url == TRASH
        (message,) = messages_of(response)
        assert "cannot be restored while its programme “Support services”" in message
        assert not live(Project, org.project)

    def test_a_pmo_sees_only_the_trash_of_their_own_scope(self, org, pmo, client_as):
        elsewhere = ProjectFactory(programme=ProgrammeFactory(portfolio=PortfolioFactory()))
        services.trash(obj=elsewhere, by=pmo)
        services.trash(obj=org.project, by=pmo)
        batches = client_as(pmo).get(TRASH).context["batches"]
        assert [b.obj for b in batches] == [Project.all_objects.get(pk=org.project.pk)]

    def test_a_project_pmo_sees_their_project_in_the_trash(self, org, outsider, client_as):
        Membership.objects.create(user=outsider, project=org.sibling, role=Role.PMO)
        services.trash(obj=org.sibling, by=outsider)
        services.trash(obj=org.project, by=outsider)
        batches = client_as(outsider).get(TRASH).context["batches"]
        assert [b.obj.pk for b in batches] == [org.sibling.pk]

    def test_the_empty_trash_says_so(self, org, pmo, client_as):
        html = client_as(pmo).get(TRASH).content.decode()
        assert "The trash is empty" in html

    def test_restoring_something_not_in_the_trash_just_goes_there(self, org, pmo, client_as):
        response = client_as(pmo).post(restore_url("project", org.project))
        assert response.url == org.project.get_absolute_url()
        assert "“ODI – Org design” is not in the trash." in messages_of(response)

    def test_an_unknown_kind_answers_404(self, org, pmo, client_as):
        response = client_as(pmo).post(f"/trash/tag/{org.project.pk}/restore/")
        assert response.status_code == 404

    def test_a_missing_object_answers_404(self, org, pmo, client_as):
        response = client_as(pmo).post(reverse("portfolio:trash_restore", args=["project", 999]))
        assert response.status_code == 404

    def test_restore_accepts_only_post(self, org, pmo, client_as):
        services.trash(obj=org.project, by=pmo)
        assert client_as(pmo).get(restore_url("project", org.project)).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_every_persona_gets_the_right_answer_on_the_trash_list(org, persona, client_as):
    name, user = persona
    services.trash(obj=org.project, by=None)
    response = client_as(user).get(TRASH)
    if name == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
        return
    assert response.status_code == 200
    html = response.content.decode()
    if name in ("pmo", "admin"):
        assert f'action="{restore_url("project", org.project)}"' in html
    else:
        assert "The trash is for PMO officers" in html
        assert "ODI" not in html


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_every_persona_gets_the_right_answer_on_restore(org, persona, client_as):
    name, user = persona
    services.trash(obj=org.project, by=None)
    response = client_as(user).post(restore_url("project", org.project))
    if name == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    elif name == "outsider":
        assert response.status_code == 404
    elif name in ("pmo", "admin"):
        assert response.status_code == 302
        assert live(Project, org.project)
        return
    else:
        assert response.status_code == 403
    assert not live(Project, org.project)


def _fill_trash(org, by, size):
    for _ in range(size):
        programme = ProgrammeFactory(portfolio=org.portfolio)
        ThemeFactory(programme=programme)
        ProjectFactory(programme=programme)
        services.trash(obj=programme, by=by)
        services.trash(obj=ProjectFactory(programme=org.other_programme), by=by)
        services.trash(obj=ThemeFactory(programme=org.other_programme), by=by)


@pytest.mark.parametrize("size", [2, 15])
def test_the_trash_list_stays_within_its_query_budget(
    org, pmo, client_as, size, django_assert_max_num_queries
):
    _fill_trash(org, pmo, size)
    client = client_as(pmo)
    with django_assert_max_num_queries(15):  # 7 for the tree, one per register, two for meetings
        response = client.get(TRASH)
    assert len(response.context["batches"]) == 3 * size


def test_the_number_of_queries_does_not_grow_with_the_trash(org, pmo, client_as):
    client = client_as(pmo)
    _fill_trash(org, pmo, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(TRASH)
    _fill_trash(org, pmo, 15)
    with CaptureQueriesContext(connection) as large:
        client.get(TRASH)
    assert len(large) == len(small)
