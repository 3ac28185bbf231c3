"""Links between items through the API: listed on both sides, only to items the caller sees."""

from __future__ import annotations

import pytest

from schakel.registers import services
from schakel.registers.models import Link
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def test_a_member_links_an_item_and_it_shows_on_both_sides(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    action = factories.action(org.project, pmo)
    client = api_client(member)
    response = client.post(
        f"{API}/risks/{risk.pk}/links/", {"kind": "action", "id": action.pk}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["ref"], response.json()["kind"]) == ("ODI-A1", "action")
    from_risk = client.get(f"{API}/risks/{risk.pk}/links/").json()
    from_action = client.get(f"{API}/actions/{action.pk}/links/").json()
    assert [i["ref"] for i in from_risk] == ["ODI-A1"]
    assert [i["ref"] for i in from_action] == ["ODI-R1"]
    assert from_risk[0]["url"].endswith(f"/items/action/{action.pk}/")


def test_linking_twice_keeps_one_link(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    action = factories.action(org.project, pmo)
    client = api_client(member)
    for _ in range(2):
        client.post(
            f"{API}/risks/{risk.pk}/links/", {"kind": "action", "id": action.pk}, format="json"
        )
    assert Link.objects.count() == 1


def test_a_link_is_removed_by_kind_and_id(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    action = factories.action(org.project, pmo)
    services.link_add(a=action, b=risk, by=pmo)
    response = api_client(member).delete(f"{API}/risks/{risk.pk}/links/?kind=action&id={action.pk}")
    assert response.status_code == 204
    assert not Link.objects.exists()


@pytest.mark.parametrize(
    "target",
    [
        lambda org, pmo: {"kind": "risk", "id": factories.risk(org.other_project, pmo).pk},
        lambda org, pmo: {"kind": "risk", "id": 999999},
        lambda org, pmo: {"kind": "project", "id": org.project.pk},
        lambda org, pmo: {"kind": "risk"},
    ],
    ids=["hidden", "missing", "not-a-register", "no-id"],
)
def test_only_items_the_caller_sees_can_be_linked(org, pmo, member, target):
    risk = factories.risk(org.project, pmo)
    response = api_client(member).post(
        f"{API}/risks/{risk.pk}/links/", target(org, pmo), format="json"
    )
    assert response.status_code == 400
    assert not Link.objects.exists()


def test_an_item_cannot_be_linked_to_itself(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    response = api_client(member).post(
        f"{API}/risks/{risk.pk}/links/", {"kind": "risk", "id": risk.pk}, format="json"
    )
    assert response.status_code == 400
    assert not Link.objects.exists()


def test_linked_items_the_caller_cannot_see_are_left_out(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    hidden = factories.action(org.other_project, pmo)
    visible = factories.action(org.project, pmo)
    services.link_add(a=risk, b=hidden, by=pmo)
    services.link_add(a=risk, b=visible, by=pmo)
    refs = [i["ref"] for i in api_client(member).get(f"{API}/risks/{risk.pk}/links/").json()]
    assert refs == ["ODI-A1"]
    assert len(api_client(pmo).get(f"{API}/risks/{risk.pk}/links/").json()) == 2


def test_viewers_read_links_but_cannot_change_them(org, pmo, viewer):
    risk = factories.risk(org.project, pmo)
    action = factories.action(org.project, pmo)
    services.link_add(a=risk, b=action, by=pmo)
    client = api_client(viewer)
    assert len(client.get(f"{API}/risks/{risk.pk}/links/").json()) == 1
    delete = client.delete(f"{API}/risks/{risk.pk}/links/?kind=action&id={action.pk}")
    post = client.post(
        f"{API}/risks/{risk.pk}/links/", {"kind": "action", "id": action.pk}, format="json"
    )
    assert (delete.status_code, post.status_code) == (403, 403)
    assert Link.objects.count() == 1
