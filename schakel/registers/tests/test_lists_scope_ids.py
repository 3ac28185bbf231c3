"""A list's rows are read by ids (`ListScope.seen_ids`, `access.items_of`): they must be
exactly the rows of the general rule (`visible_items` narrowed to the scope), for every
persona, scope and register, with trashed projects and cross-programme dependencies."""

from __future__ import annotations

import pytest

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio import access as portfolio_access
from schakel.portfolio import services as portfolio_services
from schakel.portfolio.tests.factories import ProjectFactory
from schakel.registers import access, services
from schakel.registers.models import REGISTER_MODELS, Dependency
from schakel.registers.views_lists import ListScope, scoped_items

pytestmark = pytest.mark.django_db


def make(model, scope, by, **fields):
    if model.KIND == "risk":
        fields |= {"probability": 2, "impact": 3}
    return services.item_create(model=model, scope=scope, by=by, **fields)


@pytest.fixture(params=[False, True], ids=["all-live", "a-project-trashed"])
def world(request, org, pmo, manager, member, viewer, outsider, admin_user):
    """Items of every register in every project and programme, dependencies across
    programmes, a user who sees only the other programme, and (one run) a trashed project
    whose items stay, so that no programme is seen whole and dependencies take the general
    rule."""
    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    org.programme.refresh_from_db()
    for model in REGISTER_MODELS:
        for scope in (org.project, org.sibling, org.other_project, org.programme):
            fields: dict[str, object] = {"title": f"{model.KIND} of {scope}"}
            if model is Dependency:
                if scope == org.programme:
                    continue  # a dependency links projects
                fields["other_project"] = (
                    org.other_project if scope != org.other_project else org.project
                )
            make(model, scope, pmo, **fields)
    gone = ProjectFactory(programme=org.programme, key="GON", name="Gone")
    make(REGISTER_MODELS[0], gone, pmo, title="In the trash")
    services.item_create(
        model=Dependency, scope=gone, by=pmo, title="Gone on ODI", other_project=org.project
    )
    if request.param:
        portfolio_services.trash(obj=gone, by=pmo)
    far = UserFactory(username="far")
    Membership.objects.create(user=far, project=org.other_project, role=Role.MEMBER)
    return [pmo, manager, member, viewer, outsider, admin_user, far]


def general_rule(user, model, scope: ListScope) -> set[int]:
    return set(
        scope.restrict(access.visible_items(user, model), model).values_list("pk", flat=True)
    )


def test_a_scope_read_by_ids_holds_exactly_the_rows_of_the_general_rule(org, world):
    scopes = [
        ListScope("project", org.project),
        ListScope("project", org.other_project),
        ListScope("programme", org.programme),
        ListScope("programme", org.other_programme),
        ListScope("portfolio", org.portfolio),
    ]
    compared = 0
    for user in world:
        for scope in scopes:
            shown = portfolio_access.visible_projects(user).filter(pk=getattr(scope.obj, "pk", 0))
            if scope.kind == "project" and not shown.exists():
                continue  # a project list of a hidden project answers 404 before this
            for model in REGISTER_MODELS:
                expected = general_rule(user, model, scope)
                got = set(scoped_items(user, model, scope).values_list("pk", flat=True))
                assert got == expected, (user.username, scope.kind, str(scope.obj), model.KIND)
                compared += len(expected)
    assert compared > 100  # the comparison saw rows, not only empty sets


def test_the_seen_ids_follow_a_role_change_in_the_same_request(org, pmo, outsider):
    make(REGISTER_MODELS[0], org.project, pmo, title="Ours")
    scope = ListScope("programme", org.programme)
    model = REGISTER_MODELS[0]
    assert list(scoped_items(outsider, model, scope)) == []
    Membership.objects.create(user=outsider, project=org.project, role=Role.VIEWER)
    portfolio_access.forget_roles(outsider)
    assert [i.title for i in scoped_items(outsider, model, scope)] == ["Ours"]


def test_items_of_reads_dependencies_only_for_a_scope_seen_whole(org):
    with pytest.raises(ValueError):
        access.items_of(Dependency, [org.project.pk])
    assert list(access.items_of(Dependency, [org.project.pk], whole=True)) == []


def test_a_scope_is_seen_whole_only_when_every_project_and_programme_in_it_is(
    org, pmo, manager, member
):
    assert access.seen_in(pmo, org.portfolio).whole
    assert access.seen_in(manager, org.programme).whole
    assert not access.seen_in(manager, org.portfolio).whole  # not the other programme
    assert not access.seen_in(member, org.programme).whole  # one project of two
    seen = access.seen_in(member, org.programme)
    assert (seen.projects, seen.programmes) == ([org.project.pk], [])
