"""Comments on items through the API, with @mentions of people who can see the item."""

from __future__ import annotations

import pytest

from schakel.accounts.tests.factories import UserFactory
from schakel.registers.models import Comment
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db


def test_a_member_comments_and_mentions_people_who_see_the_item(
    org, pmo, member, manager, outsider
):
    risk = factories.risk(org.project, pmo)
    response = api_client(member).post(
        f"{API}/risks/{risk.pk}/comments/",
        {"body": "@manager and @pmo please look; @outsider cannot see this"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["author"]["username"] == "member"
    assert {m["username"] for m in body["mentions"]} == {"manager", "pmo"}
    comment = Comment.objects.get()
    assert set(comment.mentions.all()) == {manager, pmo}


def test_site_administrators_can_be_mentioned_but_inactive_people_cannot(
    org, pmo, member, admin_user
):
    gone = UserFactory(username="gone", is_active=False)
    from schakel.accounts.models import Membership, Role

    Membership.objects.create(user=gone, project=org.project, role=Role.MEMBER)
    risk = factories.risk(org.project, pmo)
    response = api_client(member).post(
        f"{API}/risks/{risk.pk}/comments/", {"body": "@admin @gone"}, format="json"
    )
    assert {m["username"] for m in response.json()["mentions"]} == {"admin"}


def test_comments_are_listed_oldest_first(org, pmo, member, viewer):
    action = factories.action(org.project, pmo)
    client = api_client(member)
    for text in ("First", "Second"):
        client.post(f"{API}/actions/{action.pk}/comments/", {"body": text}, format="json")
    response = api_client(viewer).get(f"{API}/actions/{action.pk}/comments/")
    assert response.status_code == 200
    assert [c["body"] for c in response.json()] == ["First", "Second"]


def test_an_empty_comment_is_refused(org, pmo, member):
    risk = factories.risk(org.project, pmo)
    for body in ({"body": "   "}, {}, {"body": "x", "author": 1}):
        response = api_client(member).post(f"{API}/risks/{risk.pk}/comments/", body, format="json")
        assert response.status_code == 400
    assert not Comment.objects.exists()


def test_viewers_read_comments_but_cannot_add_them_and_outsiders_see_nothing(
    org, pmo, viewer, outsider
):
    risk = factories.risk(org.project, pmo)
    url = f"{API}/risks/{risk.pk}/comments/"
    assert api_client(viewer).post(url, {"body": "Hi"}, format="json").status_code == 403
    assert api_client(outsider).get(url).status_code == 404
    assert api_client(outsider).post(url, {"body": "Hi"}, format="json").status_code == 404
    assert not Comment.objects.exists()
