"""Who sees which projects, programmes and portfolios."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from schakel.accounts.models import Role
from schakel.portfolio import access
from schakel.portfolio.tests.factories import ProjectFactory


@pytest.mark.django_db
class TestVisibility:
    def test_an_outsider_sees_no_project(self, org, outsider):
        assert list(access.visible_projects(outsider)) == []
        assert list(access.visible_programmes(outsider)) == []
        assert list(access.visible_portfolios(outsider)) == []

    def test_a_project_member_sees_only_their_project(self, org, member):
        assert list(access.visible_projects(member)) == [org.project]

    def test_a_project_member_sees_the_programme_and_portfolio_above(self, org, member):
        assert list(access.visible_programmes(member)) == [org.programme]
        assert list(access.visible_portfolios(member)) == [org.portfolio]

    def test_a_programme_role_applies_to_its_projects(self, org, manager):
        assert set(access.visible_projects(manager)) == {org.project, org.sibling}

    def test_a_portfolio_role_applies_to_everything_below(self, org, pmo):
        assert set(access.visible_projects(pmo)) == {org.project, org.sibling, org.other_project}

    def test_a_site_administrator_sees_everything(self, org, admin_user):
        ProjectFactory()
        assert access.visible_projects(admin_user).count() == 4

    def test_trashed_projects_are_hidden(self, org, pmo):
        from schakel.portfolio.services import trash

        trash(obj=org.sibling, by=pmo)
        assert org.sibling not in access.visible_projects(pmo)

    def test_projects_of_a_trashed_programme_are_hidden(self, org, member):
        from schakel.portfolio.services import trash

        trash(obj=org.programme, by=member)
        assert list(access.visible_projects(member)) == []


@pytest.mark.django_db
class TestRoles:
    def test_the_strongest_role_along_the_chain_counts(self, org, member):
        from schakel.accounts.models import Membership

        Membership.objects.create(user=member, programme=org.programme, role=Role.MANAGER)
        access.forget_roles(member)
        assert access.role_on(member, org.project) == Role.MANAGER

    def test_a_hidden_project_answers_404(self, org, outsider):
        with pytest.raises(Http404):
            access.project_for_user(outsider, org.project.pk)

    def test_a_missing_project_answers_404(self, org, pmo):
        with pytest.raises(Http404):
            access.project_for_user(pmo, 999999)

    def test_a_garbage_id_answers_404(self, org, pmo):
        with pytest.raises(Http404):
            access.project_for_user(pmo, "abc")

    def test_a_viewer_may_not_write(self, org, viewer):
        with pytest.raises(PermissionDenied):
            access.project_for_user(viewer, org.project.pk, need=access.WRITE)

    def test_a_manager_may_write(self, org, manager):
        assert access.project_for_user(manager, org.project.pk, need=access.WRITE) == org.project
