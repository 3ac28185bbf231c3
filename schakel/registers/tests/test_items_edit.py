"""Editing register items: a modal for htmx, a page without it, 409 when someone was first."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from schakel.registers import services
from schakel.registers.models import RegisterItem
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "modal"}


def edit_url(item: RegisterItem) -> str:
    return reverse("registers:item_edit", args=[item.KIND, item.pk])


def form_data(item: RegisterItem, **changes: Any) -> dict[str, Any]:
    """What the edit form posts back unchanged, with `changes` on top."""
    from schakel.registers.forms import form_for

    fields = form_for(type(item))._meta.fields or []
    data = {
        name: ("" if value is None else value)
        for name, value in model_to_dict(item, fields=fields).items()
    }
    data["tags"] = ", ".join(t.name for t in item.tags.all())
    data["version"] = item.version
    data.update(changes)
    return data


def make(kind: str, org, by) -> RegisterItem:
    if kind == "assumption":
        return services.item_create(
            model=_model("assumption"), scope=org.project, by=by, title="Budget approved"
        )
    if kind == "dependency":
        return services.item_create(
            model=_model("dependency"),
            scope=org.project,
            by=by,
            title="Policy ready",
            other_project=org.sibling,
        )
    return getattr(factories, kind)(org.project, by)


def _model(kind: str) -> type[RegisterItem]:
    from schakel.registers.access import model_for_kind

    return model_for_kind(kind)


# One change per register: (field, posted value, stored value).
CHANGES = {
    "risk": ("residual_probability", 2, 2),
    "issue": ("severity", "critical", "critical"),
    "assumption": ("validate_by", "2027-01-15", datetime.date(2027, 1, 15)),
    "dependency": ("other_milestone", "Framework signed", "Framework signed"),
    "action": ("due", "2026-12-24", datetime.date(2026, 12, 24)),
    "decision": ("forum", "Steering committee", "Steering committee"),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_an_item_of_each_register_is_edited_on_its_page(org, manager, client_as, kind):
    item = make(kind, org, manager)
    name, posted, stored = CHANGES[kind]
    extra = {"residual_impact": 2} if kind == "risk" else {}
    data = form_data(item, title="Renamed", tags="Board", **{name: posted}, **extra)
    response = client_as(manager).post(edit_url(item), data)
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()
    item.refresh_from_db()
    assert (item.title, getattr(item, name), item.version) == ("Renamed", stored, 2)
    assert [t.name for t in item.tags.all()] == ["Board"]


@pytest.mark.parametrize("kind", list(CHANGES))
def test_an_item_of_each_register_is_edited_in_the_modal(org, manager, client_as, kind):
    item = make(kind, org, manager)
    name, posted, stored = CHANGES[kind]
    extra = {"residual_impact": 2} if kind == "risk" else {}
    client = client_as(manager)
    form = client.get(edit_url(item), headers=HTMX).content.decode()
    assert f'hx-post="{edit_url(item)}" hx-target="#modal"' in form
    response = client.post(edit_url(item), form_data(item, **{name: posted}, **extra), headers=HTMX)
    assert (response.status_code, response.content) == (200, b"")
    assert response["HX-Trigger"] == "registers:changed"
    item.refresh_from_db()
    assert (getattr(item, name), item.version) == (stored, 2)


def test_the_edit_page_shows_the_current_values_and_the_version(org, member, client_as):
    risk = factories.risk(
        org.project, member, probability=4, residual_probability=2, residual_impact=3, owner=member
    )
    services.item_update(item=risk, version=1, by=member, title="Supplier late again")
    html = client_as(member).get(edit_url(risk)).content.decode()
    assert 'name="version" value="2"' in html
    assert '<option value="4" selected>4 – High</option>' in html
    assert f'<option value="{member.pk}" selected>' in html
    assert "Edit ODI-R1" in html


def test_an_htmx_edit_opens_in_the_modal_and_closes_it_when_saved(org, member, client_as):
    action = factories.action(org.project, member)
    client = client_as(member)
    form = client.get(edit_url(action), headers=HTMX).content.decode()
    assert 'role="dialog"' in form and "<html" not in form
    response = client.post(edit_url(action), form_data(action, status="done"), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "registers:changed"
    refreshed = client.get(
        action.get_absolute_url(), headers={"HX-Request": "true", "HX-Target": "item-page"}
    )
    assert 'id="messages" class="messages" aria-live="polite" hx-swap-oob="true"' in (
        refreshed.content.decode()
    )
    assert "ODI-A1 saved." in refreshed.content.decode()
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", datetime.date.today())


def test_a_stale_edit_answers_409_with_what_differs_and_saves_nothing(org, member, client_as):
    risk = factories.risk(org.project, member, title="Supplier late")
    opened = form_data(risk)  # the form as this user opened it, at version 1
    services.item_update(item=risk, version=1, by=member, title="Supplier very late")
    response = client_as(member).post(edit_url(risk), {**opened, "title": "Supplier early"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this while you were editing." in html
    assert "<td>Supplier early</td><td>Supplier very late</td>" in html
    assert 'name="version" value="2"' in html  # the form is now at the stored version
    assert 'value="Supplier very late"' in html
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("Supplier very late", 2)


def test_a_stale_htmx_edit_shows_the_conflict_in_the_modal(org, member, client_as):
    action = factories.action(org.project, member)
    opened = form_data(action)
    services.item_update(item=action, version=1, by=member, priority="high")
    response = client_as(member).post(edit_url(action), {**opened, "priority": "low"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 409
    assert 'role="dialog"' in html and "conflict-table" in html
    assert "HX-Trigger" not in response


def test_viewers_may_not_edit_and_outsiders_do_not_see_the_item(
    org, member, viewer, outsider, client_as
):
    risk = factories.risk(org.project, member)
    data = form_data(risk, title="Hijacked")
    assert client_as(viewer).get(edit_url(risk)).status_code == 403
    assert client_as(viewer).post(edit_url(risk), data).status_code == 403
    assert client_as(outsider).post(edit_url(risk), data).status_code == 404
    risk.refresh_from_db()
    assert risk.title == "Supplier delivers late"


def test_an_item_of_another_programme_answers_404_to_a_member(org, member, pmo, client_as):
    hidden = factories.risk(org.other_project, pmo)
    assert client_as(member).get(edit_url(hidden)).status_code == 404
    url = reverse("registers:item_edit", args=["wish", hidden.pk])
    assert client_as(pmo).get(url).status_code == 404


def test_an_owner_who_left_the_project_stays_selectable_on_edit(org, member, client_as):
    from schakel.accounts.tests.factories import UserFactory

    former = UserFactory(username="former")
    action = factories.action(org.project, member, owner=former)
    response = client_as(member).post(edit_url(action), form_data(action, title="Still theirs"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner) == ("Still theirs", former)
