"""Links between items, added by reference code among the items the user may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.registers import services
from schakel.registers.models import Link
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "item-links"}


def add_url(item) -> str:
    return reverse("registers:link_add", args=[item.KIND, item.pk])


def remove_url(item, other) -> str:
    return reverse("registers:link_remove", args=[item.KIND, item.pk, other.KIND, other.pk])


def test_linking_by_code_shows_the_link_on_both_items(org, member, client_as):
    risk = factories.risk(org.project, member)
    action = factories.action(org.project, member, title="Second supplier")
    client = client_as(member)
    response = client.post(add_url(risk), {"code": " odi-a1 "})
    assert response.status_code == 302
    assert response.url == risk.get_absolute_url() + "#links"
    assert services.linked_items(risk) == [action]
    assert "Second supplier" in client.get(risk.get_absolute_url()).content.decode()
    assert "Supplier delivers late" in client.get(action.get_absolute_url()).content.decode()


def test_a_code_of_a_hidden_project_gives_the_same_error_as_a_missing_one(
    org, member, pmo, client_as
):
    risk = factories.risk(org.project, member)
    factories.risk(org.other_project, pmo)  # CAR-R1 exists, but the member cannot see it
    client = client_as(member)
    hidden = client.post(add_url(risk), {"code": "CAR-R1"})
    missing = client.post(add_url(risk), {"code": "ODI-R99"})
    nonsense = client.post(add_url(risk), {"code": "hello"})
    for response in (hidden, missing, nonsense):
        assert response.status_code == 200
        assert response.context["link_form"].errors["code"] == [
            "No item with this code that you can see."
        ]
    assert not Link.objects.exists()


def test_an_item_cannot_be_linked_to_itself(org, member, client_as):
    risk = factories.risk(org.project, member)
    response = client_as(member).post(add_url(risk), {"code": "ODI-R1"})
    assert response.context["link_form"].errors["code"] == ["An item cannot be linked to itself."]


def test_programme_level_items_are_found_by_the_programme_key(org, pmo, client_as):
    from schakel.portfolio import services as portfolio_services

    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    org.programme.refresh_from_db()
    decision = factories.decision(org.programme, pmo)
    risk = factories.risk(org.project, pmo)
    client_as(pmo).post(add_url(risk), {"code": "VOD-D1"})
    assert services.linked_items(risk) == [decision]


def test_an_htmx_link_swaps_the_links_card(org, member, client_as):
    risk = factories.risk(org.project, member)
    factories.action(org.project, member, title="Second supplier")
    response = client_as(member).post(add_url(risk), {"code": "ODI-A1"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="item-links"')
    assert "Second supplier" in html
    assert "ODI-R1 is now linked to ODI-A1." in html  # the message, out of band
    error = client_as(member).post(add_url(risk), {"code": "ODI-A9"}, headers=HTMX)
    assert "No item with this code that you can see." in error.content.decode()


def test_removing_a_link_takes_it_off_both_items(org, member, client_as):
    risk = factories.risk(org.project, member)
    action = factories.action(org.project, member)
    services.link_add(a=action, b=risk, by=member)
    response = client_as(member).post(remove_url(risk, action))
    assert response.status_code == 302
    assert not Link.objects.exists()
    htmx = client_as(member).post(remove_url(risk, action), headers=HTMX)
    assert htmx.status_code == 200


def test_links_to_items_the_user_cannot_see_are_not_shown(org, member, pmo, client_as):
    risk = factories.risk(org.project, member)
    hidden = factories.risk(org.other_project, pmo, title="Secret merger")
    services.link_add(a=risk, b=hidden, by=pmo)
    html = client_as(member).get(risk.get_absolute_url()).content.decode()
    assert "Secret merger" not in html and "CAR-R1" not in html
    assert "Secret merger" in client_as(pmo).get(risk.get_absolute_url()).content.decode()
    assert client_as(member).post(remove_url(risk, hidden)).status_code == 404
    assert Link.objects.count() == 1


def test_viewers_may_not_link_or_unlink(org, member, viewer, outsider, client_as):
    risk = factories.risk(org.project, member)
    action = factories.action(org.project, member)
    assert client_as(viewer).post(add_url(risk), {"code": "ODI-A1"}).status_code == 403
    assert client_as(outsider).post(add_url(risk), {"code": "ODI-A1"}).status_code == 404
    services.link_add(a=risk, b=action, by=member)
    assert client_as(viewer).post(remove_url(risk, action)).status_code == 403
    assert Link.objects.count() == 1
