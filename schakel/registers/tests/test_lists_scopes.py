"""Each list shows exactly the visible items of its scope, and only to those who may see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.portfolio import services as portfolio_services
from schakel.registers import services
from schakel.registers.models import Assumption, Dependency, Risk
from schakel.registers.registry import REGISTERS
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def refs(response) -> list[str]:
    return [row.item.ref for row in response.context["rows"]]


def project_list(project, slug="risks"):
    return reverse("registers:project_list", args=[project.pk, slug])


def keyed_programme(org, pmo):
    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    org.programme.refresh_from_db()
    return org.programme


def test_a_project_list_shows_the_items_of_that_project_only(org, pmo, member, client_as):
    ours = factories.risk(org.project, pmo, title="Ours")
    factories.risk(org.sibling, pmo, title="The sibling's")
    factories.risk(org.other_project, pmo, title="Another programme's")
    response = client_as(member).get(project_list(org.project))
    assert response.status_code == 200
    assert refs(response) == [ours.ref]


@pytest.mark.parametrize("register", REGISTERS, ids=lambda r: r.slug)
def test_every_register_lists_its_own_items_at_project_level(register, org, pmo, member, client_as):
    fields: dict[str, object] = {"title": f"One {register.item_name}"}
    if register.kind == "risk":
        fields |= {"probability": 2, "impact": 3}
    if register.kind == "dependency":
        fields["other_project"] = org.sibling
    item = services.item_create(model=register.model, scope=org.project, by=pmo, **fields)
    response = client_as(member).get(project_list(org.project, register.slug))
    assert response.status_code == 200
    assert refs(response) == [item.ref]
    assert response.context["register"] == register


def test_a_programme_list_holds_its_projects_items_and_its_own(org, pmo, manager, client_as):
    programme = keyed_programme(org, pmo)
    odi = factories.risk(org.project, pmo)
    pol = factories.risk(org.sibling, pmo)
    own = factories.risk(programme, pmo, title="Programme-wide")
    factories.risk(org.other_project, pmo, title="Elsewhere")
    url = reverse("registers:programme_list", args=[programme.pk, "risks"])
    response = client_as(manager).get(url)
    assert sorted(refs(response)) == sorted([odi.ref, pol.ref, own.ref])


def test_a_member_sees_only_their_projects_items_in_the_programme_list(org, pmo, member, client_as):
    programme = keyed_programme(org, pmo)
    odi = factories.risk(org.project, pmo)
    factories.risk(org.sibling, pmo)
    factories.risk(programme, pmo, title="For the programme's own people")
    url = reverse("registers:programme_list", args=[programme.pk, "risks"])
    assert refs(client_as(member).get(url)) == [odi.ref]


def test_the_portfolio_list_and_the_everything_list_hold_all_visible_items(
    org, pmo, member, client_as
):
    items = [factories.action(p, pmo) for p in (org.project, org.sibling, org.other_project)]
    portfolio_url = reverse("registers:portfolio_list", args=[org.portfolio.pk, "actions"])
    all_url = reverse("registers:all_list", args=["actions"])
    assert sorted(refs(client_as(pmo).get(portfolio_url))) == sorted(i.ref for i in items)
    assert sorted(refs(client_as(pmo).get(all_url))) == sorted(i.ref for i in items)
    assert refs(client_as(member).get(all_url)) == [items[0].ref]


def test_a_dependency_shows_in_the_lists_of_both_projects(org, pmo, member, client_as):
    theirs = services.item_create(
        model=Dependency,
        scope=org.sibling,
        by=pmo,
        title="Needs our design",
        other_project=org.project,
    )
    assert refs(client_as(member).get(project_list(org.project, "dependencies"))) == [theirs.ref]
    assert refs(client_as(pmo).get(project_list(org.sibling, "dependencies"))) == [theirs.ref]
    assert refs(client_as(pmo).get(project_list(org.other_project, "dependencies"))) == []


def test_trashed_items_are_not_listed(org, pmo, client_as):
    gone = factories.risk(org.project, pmo)
    services.item_trash(item=gone, by=pmo)
    assert refs(client_as(pmo).get(project_list(org.project))) == []


def test_lists_of_a_hidden_scope_answer_404_like_a_missing_one(
    org, pmo, member, outsider, client_as
):
    factories.risk(org.project, pmo)
    urls = [
        project_list(org.project),
        reverse("registers:project_export", args=[org.project.pk, "risks", "csv"]),
        reverse("registers:programme_list", args=[org.programme.pk, "risks"]),
        reverse("registers:portfolio_list", args=[org.portfolio.pk, "risks"]),
        project_list(org.project).replace(str(org.project.pk), "999999"),
    ]
    for url in urls:
        assert client_as(outsider).get(url).status_code == 404, url
    hidden = reverse("registers:project_list", args=[org.other_project.pk, "risks"])
    assert client_as(member).get(hidden).status_code == 404


def test_the_everything_list_of_an_outsider_is_empty(org, pmo, outsider, client_as):
    factories.risk(org.project, pmo)
    response = client_as(outsider).get(reverse("registers:all_list", args=["risks"]))
    assert response.status_code == 200
    assert refs(response) == []


def test_an_unknown_register_answers_404(org, pmo, client_as):
    url = reverse("registers:project_list", args=[org.project.pk, "cakes"])
    assert client_as(pmo).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(org):
    from django.test import Client

    response = Client().get(project_list(org.project))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_viewer_reads_the_list_without_quick_add_bulk_or_inline_controls(
    org, pmo, viewer, client_as
):
    factories.risk(org.project, pmo)
    response = client_as(viewer).get(project_list(org.project))
    content = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    assert response.context["quick_form"] is None
    assert response.context["create_url"] is None
    assert not response.context["selectable"]
    for marker in ('id="quick-add"', 'id="bulk-form"', "inline-edit", 'name="ids"'):
        assert marker not in content


def test_a_member_gets_quick_add_bulk_and_inline_controls(org, pmo, member, client_as):
    factories.risk(org.project, pmo)
    content = client_as(member).get(project_list(org.project)).content.decode()
    for marker in ('id="quick-add"', 'id="bulk-form"', "inline-edit", 'name="ids"'):
        assert marker in content


def test_a_viewers_quick_add_is_refused_and_adds_nothing(org, viewer, client_as):
    response = client_as(viewer).post(
        project_list(org.project, "assumptions"), {"qa-title": "Sneaked in"}
    )
    assert response.status_code == 403
    assert not Assumption.objects.exists()


def test_rows_of_a_project_where_the_user_only_views_are_read_only(org, pmo, member, client_as):
    Membership.objects.create(user=member, project=org.sibling, role=Role.VIEWER)
    ours = factories.risk(org.project, pmo)
    theirs = factories.risk(org.sibling, pmo)
    url = reverse("registers:programme_list", args=[org.programme.pk, "risks"])
    rows = {row.item.ref: row for row in client_as(member).get(url).context["rows"]}
    assert rows[ours.ref].can_edit
    assert not rows[theirs.ref].can_edit


def test_rows_of_an_archived_project_are_read_only_and_it_has_no_quick_add(org, pmo, client_as):
    factories.risk(org.project, pmo)
    portfolio_services.project_archive(project=org.project, archived=True, by=pmo)
    response = client_as(pmo).get(project_list(org.project))
    assert response.context["quick_form"] is None
    assert not any(row.can_edit for row in response.context["rows"])
    assert Risk.objects.count() == 1
