"""Bulk changes through the API: assign, change status or move due dates of many items."""

from __future__ import annotations

import datetime

import pytest

from schakel.registers.models import Action, Issue
from schakel.registers.tests import factories
from tests.api import API, api_client

pytestmark = pytest.mark.django_db

DUE = datetime.date(2030, 1, 10)


def test_a_member_closes_and_reassigns_many_actions(org, pmo, member):
    first = factories.action(org.project, pmo, due=DUE)
    second = factories.action(org.project, pmo)
    response = api_client(member).post(
        f"{API}/actions/bulk/",
        {"ids": [first.pk, second.pk], "status": "done", "owner": member.pk},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"changed": 2, "unchanged": 0, "refused": 0, "errors": []}
    for action in Action.objects.all():
        assert (action.status, action.owner, action.version) == ("done", member, 2)
        assert action.completed_on is not None


def test_shifting_moves_due_dates_and_leaves_undated_items(org, pmo, member):
    dated = factories.action(org.project, pmo, due=DUE)
    undated = factories.action(org.project, pmo)
    response = api_client(member).post(
        f"{API}/actions/bulk/", {"ids": [dated.pk, undated.pk], "shift_days": 7}, format="json"
    )
    assert response.json()["changed"] == 1
    assert response.json()["unchanged"] == 1
    assert Action.objects.get(pk=dated.pk).due == DUE + datetime.timedelta(days=7)
    assert Action.objects.get(pk=undated.pk).due is None


def test_items_the_caller_may_not_change_are_refused_and_the_rest_is_done(org, pmo, member, viewer):
    from schakel.accounts.models import Membership, Role

    Membership.objects.create(user=member, project=org.sibling, role=Role.VIEWER)
    mine = factories.action(org.project, pmo)
    read_only = factories.action(org.sibling, pmo)
    hidden = factories.action(org.other_project, pmo)
    response = api_client(member).post(
        f"{API}/actions/bulk/",
        {"ids": [mine.pk, read_only.pk, hidden.pk, 999999], "status": "cancelled"},
        format="json",
    )
    body = response.json()
    assert (body["changed"], body["refused"]) == (1, 3)
    assert [e["id"] for e in body["errors"]] == [read_only.pk, hidden.pk, 999999]
    # A hidden item reads exactly like a missing one.
    assert body["errors"][1]["detail"] == body["errors"][2]["detail"]
    assert Action.objects.get(pk=mine.pk).status == "cancelled"
    assert Action.objects.exclude(pk=mine.pk).filter(status="cancelled").count() == 0


def test_an_item_that_breaks_a_rule_is_refused_with_the_reason(org, pmo, member):
    fine = factories.issue(org.project, pmo)
    response = api_client(member).post(
        f"{API}/issues/bulk/", {"ids": [fine.pk], "status": "escalated"}, format="json"
    )
    body = response.json()
    assert (body["changed"], body["refused"]) == (0, 1)
    assert "escalated" in body["errors"][0]["detail"][0]
    assert Issue.objects.get(pk=fine.pk).status == "open"


@pytest.mark.parametrize(
    "body",
    [
        {"ids": [1]},
        {"ids": [], "status": "done"},
        {"ids": [1], "status": "occurred"},
        {"ids": [1], "shift_days": 100000},
        {"ids": "1", "status": "done"},
        {"ids": [1], "status": "done", "version": 1},
    ],
    ids=[
        "nothing-to-change",
        "no-ids",
        "other-registers-status",
        "huge-shift",
        "not-a-list",
        "extra",
    ],
)
def test_a_malformed_bulk_change_is_refused(org, pmo, member, body):
    action = factories.action(org.project, pmo)
    body = {**body, "ids": [action.pk] if body["ids"] == [1] else body["ids"]}
    response = api_client(member).post(f"{API}/actions/bulk/", body, format="json")
    assert response.status_code == 400
    assert Action.objects.get(pk=action.pk).version == 1


def test_bulk_owner_must_be_a_person_the_caller_sees(org, pmo, member):
    from schakel.accounts.tests.factories import UserFactory

    action = factories.action(org.project, pmo)
    response = api_client(member).post(
        f"{API}/actions/bulk/", {"ids": [action.pk], "owner": UserFactory().pk}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["owner"][0]


def test_an_outsider_changes_nothing(org, pmo, outsider):
    action = factories.action(org.project, pmo)
    response = api_client(outsider).post(
        f"{API}/actions/bulk/", {"ids": [action.pk], "status": "done"}, format="json"
    )
    assert response.json()["refused"] == 1
    assert Action.objects.get(pk=action.pk).status == "open"
