"""Deleting an item moves it to the trash (managers and above), with an undo right after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.registers.models import Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def delete_url(item) -> str:
    return reverse("registers:item_delete", args=[item.KIND, item.pk])


def test_a_manager_confirms_and_the_item_goes_to_the_trash(org, member, manager, client_as):
    risk = factories.risk(org.project, member)
    client = client_as(manager)
    confirm = client.get(delete_url(risk))
    assert confirm.status_code == 200
    assert "Move “Supplier delivers late” to the trash?" in confirm.content.decode()
    response = client.post(delete_url(risk), follow=True)
    list_url = reverse("registers:project_list", kwargs={"pk": org.project.pk, "register": "risks"})
    assert response.redirect_chain[0] == (list_url, 302)
    risk = Risk.all_objects.get(pk=risk.pk)
    assert risk.deleted_at is not None and risk.deleted_by == manager
    assert client.get(risk.get_absolute_url()).status_code == 404


def test_the_message_offers_an_undo_that_brings_the_item_back(org, member, manager, client_as):
    risk = factories.risk(org.project, member)
    client = client_as(manager)
    client.post(delete_url(risk))
    page = client.get(reverse("portfolio:home")).content.decode()
    assert f'action="{delete_url(risk)}?restore=1"' in page
    assert "ODI-R1 “Supplier delivers late” was moved to the trash." in page
    response = client.post(delete_url(risk) + "?restore=1")
    assert response.status_code == 302
    assert response.url == risk.get_absolute_url()
    assert Risk.objects.filter(pk=risk.pk).exists()
    history = [
        h.history_change_reason for h in Risk.history.filter(id=risk.pk).order_by("history_date")
    ]
    assert history[-2:] == ["trash", "restore"]


def test_members_and_viewers_may_not_delete_or_restore(org, member, viewer, manager, client_as):
    risk = factories.risk(org.project, member)
    assert client_as(member).get(delete_url(risk)).status_code == 403
    assert client_as(member).post(delete_url(risk)).status_code == 403
    assert client_as(viewer).post(delete_url(risk)).status_code == 403
    assert Risk.objects.filter(pk=risk.pk).exists()
    client_as(manager).post(delete_url(risk))
    assert client_as(member).post(delete_url(risk) + "?restore=1").status_code == 403
    assert not Risk.objects.filter(pk=risk.pk).exists()


def test_outsiders_get_404_for_delete_and_restore(org, member, manager, outsider, client_as):
    risk = factories.risk(org.project, member)
    assert client_as(outsider).post(delete_url(risk)).status_code == 404
    client_as(manager).post(delete_url(risk))
    assert client_as(outsider).post(delete_url(risk) + "?restore=1").status_code == 404
    assert not Risk.objects.filter(pk=risk.pk).exists()


def test_a_restore_of_a_live_item_just_shows_it(org, manager, client_as):
    risk = factories.risk(org.project, manager)
    response = client_as(manager).post(delete_url(risk) + "?restore=1")
    assert response.status_code == 302
    assert Risk.objects.get(pk=risk.pk).version == 1
