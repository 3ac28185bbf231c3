"""Archiving projects and programmes, and moving a project to another programme."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.portfolio import services
from schakel.portfolio.tests.factories import ProgrammeFactory


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
class TestArchive:
    def test_a_manager_archives_a_project_and_is_told(self, org, manager, client_as):
        url = reverse("portfolio:project_archive", args=[org.project.pk])
        response = client_as(manager).post(url, {"archived": "1"})
        assert response["Location"] == org.project.get_absolute_url()
        org.project.refresh_from_db()
        assert org.project.is_archived
        assert messages_of(response) == ["Project ODI archived."]

    def test_an_archived_project_is_brought_back(self, org, manager, client_as):
        services.project_archive(project=org.project, archived=True, by=manager)
        url = reverse("portfolio:project_archive", args=[org.project.pk])
        response = client_as(manager).post(url, {"archived": "0"})
        org.project.refresh_from_db()
        assert not org.project.is_archived
        assert messages_of(response) == ["Project ODI brought back from the archive."]

    def test_archiving_twice_keeps_it_archived(self, org, manager, client_as):
        url = reverse("portfolio:project_archive", args=[org.project.pk])
        client = client_as(manager)
        client.post(url, {"archived": "1"})
        client.post(url, {"archived": "1"})
        org.project.refresh_from_db()
        assert org.project.is_archived

    def test_a_programme_is_archived_and_unarchived(self, org, manager, client_as):
        url = reverse("portfolio:programme_archive", args=[org.programme.pk])
        client = client_as(manager)
        response = client.post(url, {"archived": "1"})
        org.programme.refresh_from_db()
        assert org.programme.archived_at is not None
        assert messages_of(response) == ["Programme archived."]
        detail = client.get(org.programme.get_absolute_url()).content.decode()
        assert "This programme was archived on" in detail
        client.post(url, {"archived": "0"})
        org.programme.refresh_from_db()
        assert org.programme.archived_at is None

    def test_a_viewer_may_not_archive(self, org, viewer, client_as):
        url = reverse("portfolio:project_archive", args=[org.project.pk])
        assert client_as(viewer).post(url, {"archived": "1"}).status_code == 403
        org.project.refresh_from_db()
        assert not org.project.is_archived


@pytest.mark.django_db
class TestMove:
    def url(self, org) -> str:
        return reverse("portfolio:project_move", args=[org.project.pk])

    def test_the_form_offers_only_other_programmes_the_user_may_write(self, org, pmo, client_as):
        ProgrammeFactory(name="Not mine")
        form = client_as(pmo).get(self.url(org)).context["form"]
        assert list(form.fields["programme"].queryset) == [org.other_programme]

    def test_the_pmo_moves_a_project_and_its_theme_is_cleared(self, org, pmo, client_as):
        response = client_as(pmo).post(
            self.url(org), {"programme": org.other_programme.pk, "version": 1}
        )
        assert response["Location"] == org.project.get_absolute_url()
        org.project.refresh_from_db()
        assert org.project.programme == org.other_programme
        assert org.project.theme is None
        assert messages_of(response) == ["Project ODI moved to Care innovation."]

    def test_a_manager_without_the_pmo_role_may_not_move(self, org, manager, client_as):
        response = client_as(manager).post(
            self.url(org), {"programme": org.other_programme.pk, "version": 1}
        )
        assert response.status_code == 403
        org.project.refresh_from_db()
        assert org.project.programme == org.programme

    def test_a_target_the_user_may_not_write_is_refused(self, org, client_as):
        from schakel.accounts.tests.factories import UserFactory

        # PMO on the project's programme only: may move it, but not into the other one.
        mover = UserFactory(username="mover")
        Membership.objects.create(user=mover, programme=org.programme, role=Role.PMO)
        response = client_as(mover).post(
            self.url(org), {"programme": org.other_programme.pk, "version": 1}
        )
        assert response.status_code == 200
        assert "programme" in response.context["form"].errors
        assert not response.context["has_targets"]
        org.project.refresh_from_db()
        assert org.project.programme == org.programme

    def test_a_stale_move_answers_409_and_moves_nothing(self, org, pmo, client_as):
        services.project_update(project=org.project, version=1, by=pmo, name="Renamed")
        response = client_as(pmo).post(
            self.url(org), {"programme": org.other_programme.pk, "version": 1}
        )
        assert response.status_code == 409
        assert "Someone else changed this project" in response.content.decode()
        org.project.refresh_from_db()
        assert org.project.programme == org.programme
