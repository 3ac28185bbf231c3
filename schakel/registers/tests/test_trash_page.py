"""Deleted register items are on the Trash page for those who may restore them."""

import pytest

from schakel.registers import services
from schakel.registers.models import Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def test_a_deleted_risk_is_listed_and_restored_from_the_trash(org, pmo, manager, client_as):
    risk = factories.risk(org.project, pmo, title="Forgotten risk")
    services.item_trash(item=risk, by=manager)
    client = client_as(manager)
    page = client.get("/trash/").content.decode()
    assert "ODI-R1 Forgotten risk" in page
    restore = f"/items/risk/{risk.pk}/delete/?restore=1"
    assert restore in page
    assert client.post(restore).status_code == 302
    assert Risk.objects.filter(pk=risk.pk).exists()
    assert "Forgotten risk" not in client.get("/trash/").content.decode()


def test_members_and_outsiders_do_not_see_deleted_items(org, pmo, member, outsider, client_as):
    risk = factories.risk(org.project, pmo, title="Forgotten risk")
    services.item_trash(item=risk, by=pmo)
    for user in (member, outsider):
        assert "Forgotten risk" not in client_as(user).get("/trash/").content.decode()
