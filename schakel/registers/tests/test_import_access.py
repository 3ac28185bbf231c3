"""Who may import: members and above on the project; a job is seen by its owner only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.registers.models import Action
from schakel.registers.models_import import ImportJob

from .test_import_support import commit, csv_bytes, last_job, upload

DATA = csv_bytes([["Title"], ["Call the supplier"]])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def job(client_as, org, member):
    upload(client_as(member), org.project, DATA, register="action")
    return last_job()


def test_an_outsider_gets_404_and_a_viewer_403_and_neither_can_upload(
    client_as, org, outsider, viewer
):
    url = reverse("registers:import_start", args=[org.project.pk])

    assert client_as(outsider).get(url).status_code == 404
    assert client_as(viewer).get(url).status_code == 403
    assert upload(client_as(outsider), org.project, DATA).status_code == 404
    assert upload(client_as(viewer), org.project, DATA).status_code == 403
    assert ImportJob.objects.count() == 0


def test_a_member_may_not_import_into_a_project_they_cannot_see(client_as, org, member):
    response = upload(client_as(member), org.other_project, DATA)

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "viewer", "manager", "pmo", "admin_user"])
def test_nobody_but_its_owner_sees_or_commits_a_job(client_as, job, persona, request):
    other = client_as(request.getfixturevalue(persona))

    assert other.get(reverse("registers:import_review", args=[job.pk])).status_code == 404
    assert other.post(reverse("registers:import_review", args=[job.pk]), {}).status_code == 404
    assert commit(other, job).status_code == 404
    assert Action.objects.count() == 0


def test_the_owner_who_lost_the_role_may_no_longer_commit(client_as, job, member, org):
    from schakel.accounts.models import Membership, Role

    Membership.objects.filter(user=member, project=org.project).update(role=Role.VIEWER)

    assert commit(client_as(member), job).status_code == 403
    assert Action.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, job, org):
    for url in (
        reverse("registers:import_start", args=[org.project.pk]),
        reverse("registers:import_review", args=[job.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_archived_project_takes_no_imports(client_as, org, manager):
    from schakel.portfolio import services

    services.project_archive(project=org.project, archived=True, by=manager)

    response = client_as(manager).get(reverse("registers:import_start", args=[org.project.pk]))

    assert response.status_code == 302
    assert response.url == org.project.get_absolute_url()
