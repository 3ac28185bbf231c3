"""The demo as people meet it: the outsider sees nothing, the others find their way."""

import io

import pytest
from django.core.management import call_command

from conftest import client_for
from schakel.accounts.models import User
from schakel.portfolio.models import Programme, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())


def test_an_outsider_sees_none_of_the_demo_projects_in_pages_and_api(demo):
    outsider = client_for(User.objects.get(username="outsider"))
    projects = list(Project.all_objects.all())
    assert projects
    listing = outsider.get("/projects/?archived=all").content.decode()
    api = outsider.get("/api/v1/projects/?archived=all").json()
    search = outsider.get("/search/?q=project").content.decode()
    assert api["count"] == 0
    for project in projects:
        assert project.name not in listing
        assert project.name not in search
        assert outsider.get(project.get_absolute_url()).status_code == 404
        assert outsider.get(f"/api/v1/projects/{project.pk}/").status_code == 404
    for programme in Programme.objects.all():
        assert outsider.get(programme.get_absolute_url()).status_code == 404


def test_the_manager_browses_the_change_programme_creates_a_project_and_sees_its_history(demo):
    user = User.objects.get(username="manager")
    client = client_for(user)
    programme = Programme.objects.get(memberships__user=user, memberships__role="manager")
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "New project" in page
    response = client.post(
        f"/programmes/{programme.pk}/projects/new/",
        {"key": "NEW", "name": "Nieuw project", "phase": "initiation", "state": "active"},
    )
    assert response.status_code == 302
    project = Project.objects.get(key="NEW")
    history = client.get(f"/projects/{project.pk}/history/").content.decode()
    assert user.display_name in history


def test_the_demo_pages_read_in_dutch(demo):
    user = User.objects.get(username="pmo")
    user.language = "nl"
    user.save()
    page = client_for(user).get("/").content.decode()
    assert 'lang="nl"' in page
    assert "Overzicht" in page
