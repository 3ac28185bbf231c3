"""Who sees which register items."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from schakel.registers import access, services
from schakel.registers.models import Dependency, Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def test_items_follow_the_visibility_of_their_project(org, pmo, member, outsider):
    mine = factories.risk(org.project, pmo)
    factories.risk(org.other_project, pmo)
    assert list(access.visible_items(member, Risk)) == [mine]
    assert list(access.visible_items(outsider, Risk)) == []
    assert access.visible_items(pmo, Risk).count() == 2


def test_the_remembered_visibility_follows_a_role_change_and_never_leaks_rows(org, pmo, outsider):
    """`visible_items` is built once per user object; each caller gets a fresh clone."""
    from schakel.accounts.models import Membership, Role
    from schakel.portfolio import access as portfolio_access

    risk = factories.risk(org.project, pmo)
    first = access.visible_items(outsider, Risk)
    assert list(first) == []
    second = access.visible_items(outsider, Risk)
    assert second is not first and second.query is not first.query
    Membership.objects.create(user=outsider, project=org.project, role=Role.VIEWER)
    portfolio_access.forget_roles(outsider)
    assert list(access.visible_items(outsider, Risk)) == [risk]
    assert list(access.visible_items(outsider, Risk).filter(pk=0)) == []
    assert list(access.visible_items(outsider, Risk)) == [risk]


def test_a_hidden_item_answers_404_like_a_missing_one(org, pmo, member):
    hidden = factories.risk(org.other_project, pmo)
    for pk in (hidden.pk, 999999, "x"):
        with pytest.raises(Http404):
            access.item_for_user(member, Risk, pk)


def test_viewers_read_members_contribute_managers_delete(org, pmo, viewer, member, manager):
    item = factories.risk(org.project, pmo)
    assert access.item_for_user(viewer, Risk, item.pk) == item
    with pytest.raises(PermissionDenied):
        access.item_for_user(viewer, Risk, item.pk, need=access.CONTRIBUTE)
    assert access.item_for_user(member, Risk, item.pk, need=access.CONTRIBUTE) == item
    with pytest.raises(PermissionDenied):
        access.item_for_user(member, Risk, item.pk, need=access.DELETE)
    assert access.item_for_user(manager, Risk, item.pk, need=access.DELETE) == item


def test_programme_items_are_for_the_programme_not_for_one_project(org, pmo, member, manager):
    from schakel.portfolio import services as portfolio_services

    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    org.programme.refresh_from_db()
    item = factories.risk(org.programme, pmo)
    assert list(access.visible_items(manager, Risk)) == [item]
    assert list(access.visible_items(member, Risk)) == []
    assert access.can_contribute_to(manager, org.programme)
    assert not access.can_contribute_to(member, org.programme)


def test_a_dependency_shows_on_both_sides(org, pmo, member):
    theirs = services.item_create(
        model=Dependency,
        scope=org.other_project,
        by=pmo,
        title="Needs our design",
        other_project=org.project,
    )
    assert list(access.visible_items(member, Dependency)) == [theirs]


def test_trashed_items_are_hidden(org, pmo):
    item = factories.risk(org.project, pmo)
    services.item_trash(item=item, by=pmo)
    assert list(access.visible_items(pmo, Risk)) == []
    assert list(access.visible_items(pmo, Risk, include_trashed=True)) == [item]


def test_a_residual_heatmap_cell_lists_risks_without_a_residual_at_their_inherent_place(org, pmo):
    from schakel.registers.filters import RiskFilter

    plain = factories.risk(org.project, pmo, probability=1, impact=5)
    reduced = factories.risk(
        org.project, pmo, probability=4, impact=5, residual_probability=1, residual_impact=5
    )
    factories.risk(
        org.project, pmo, probability=1, impact=5, residual_probability=2, residual_impact=2
    )
    data = {"probability": "1", "impact": "5", "residual": "true"}
    found = RiskFilter(data, queryset=Risk.objects.all()).qs
    assert set(found) == {plain, reduced}
    inherent = RiskFilter({"probability": "1", "impact": "5"}, queryset=Risk.objects.all()).qs
    assert plain in inherent and reduced not in inherent


def test_sorting_by_priority_follows_urgency_not_the_alphabet(org, pmo):
    from schakel.registers.filters import ActionFilter
    from schakel.registers.models import Action

    for priority in ("medium", "critical", "low", "high"):
        factories.action(org.project, pmo, title=priority, priority=priority)
    found = ActionFilter({"ordering": "-priority"}, queryset=Action.objects.all()).qs
    assert [a.priority for a in found] == ["critical", "high", "medium", "low"]
