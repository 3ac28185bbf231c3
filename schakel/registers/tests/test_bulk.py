"""Bulk changes from a list: assign, change status, move due dates, only where allowed."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.registers.models import Action, Decision
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)


def bulk(client, slug, ids, follow=False, **data):
    return client.post(
        reverse("registers:bulk", args=[slug]),
        {"ids": [str(i) for i in ids], **data},
        follow=follow,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_assigning_an_owner_changes_the_chosen_items_and_says_how_many(org, pmo, member, client_as):
    chosen = [factories.action(org.project, pmo) for _ in range(2)]
    untouched = factories.action(org.project, pmo)
    response = bulk(
        client_as(member), "actions", [a.pk for a in chosen], action="owner", owner=member.pk
    )
    assert response.status_code == 302
    assert [a.owner for a in Action.objects.filter(pk__in=[c.pk for c in chosen])] == [
        member,
        member,
    ]
    untouched.refresh_from_db()
    assert untouched.owner is None
    assert messages_of(response) == ["2 items changed."]


def test_changing_the_status_goes_through_the_service_rules(org, pmo, member, client_as):
    action = factories.action(org.project, pmo)
    bulk(client_as(member), "actions", [action.pk], action="status", status="done")
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.completed_on is not None  # derived by the service
    assert action.version == 2
    assert action.history.first().history_user == member


def test_moving_due_dates_skips_and_reports_items_without_one(org, pmo, member, client_as):
    dated = factories.action(org.project, pmo, due=DAY)
    undated = factories.action(org.project, pmo)
    response = bulk(client_as(member), "actions", [dated.pk, undated.pk], action="shift", days="-3")
    dated.refresh_from_db()
    assert dated.due == DAY - datetime.timedelta(days=3)
    assert messages_of(response) == [
        "1 item changed.",
        f"1 item has no date to move: {undated.ref}",
    ]


def test_items_where_the_user_only_views_are_reported_not_changed(org, pmo, member, client_as):
    Membership.objects.create(user=member, project=org.sibling, role=Role.VIEWER)
    ours = factories.action(org.project, pmo)
    theirs = factories.action(org.sibling, pmo)
    response = bulk(
        client_as(member), "actions", [ours.pk, theirs.pk], action="status", status="done"
    )
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.status == Action.Status.DONE
    assert (theirs.status, theirs.version) == (Action.Status.OPEN, 1)
    assert messages_of(response) == [
        "1 item changed.",
        f"1 item was not changed: you may only view it ({theirs.ref}).",
    ]


def test_a_viewer_changes_nothing(org, pmo, viewer, client_as):
    action = factories.action(org.project, pmo)
    bulk(client_as(viewer), "actions", [action.pk], action="status", status="done")
    action.refresh_from_db()
    assert (action.status, action.version) == (Action.Status.OPEN, 1)


def test_items_the_user_cannot_see_are_not_changed_nor_named(org, pmo, member, client_as):
    hidden = factories.action(org.other_project, pmo)
    response = bulk(client_as(member), "actions", [hidden.pk], action="status", status="done")
    hidden.refresh_from_db()
    assert hidden.status == Action.Status.OPEN
    assert messages_of(response) == ["1 item was not found."]
    assert hidden.ref not in " ".join(messages_of(response))


def test_an_item_a_rule_refuses_is_reported_and_the_others_still_change(
    org, pmo, member, client_as
):
    with_forum = factories.decision(org.project, pmo, forum="Steering committee")
    without = factories.decision(org.project, pmo)
    response = bulk(
        client_as(member),
        "decisions",
        [with_forum.pk, without.pk],
        action="status",
        status="approved",
    )
    statuses = dict(Decision.objects.values_list("pk", "status"))
    assert statuses == {with_forum.pk: "approved", without.pk: "proposed"}
    said = messages_of(response)
    assert said[0] == "1 item changed."
    assert said[1].startswith(f"{without.ref} was not changed: Say who or which forum")


@pytest.mark.parametrize(
    ("ids", "data", "said"),
    [
        ("one", {"action": "owner"}, "Choose the new owner."),
        ("none", {"action": "status", "status": "done"}, "Select at least one item first."),
        ("one", {"action": "shift", "days": "0"}, "Give a number of days, e.g. 7 or -3."),
        ("junk", {"action": "status", "status": "done"}, "Unknown item."),
        ("one", {"action": "status", "status": "nah"}, "Select a valid choice."),
        ("one", {"action": "delete"}, "Select a valid choice."),
    ],
)
def test_the_action_needs_its_value_and_rows(org, pmo, member, client_as, ids, data, said):
    action = factories.action(org.project, pmo)
    chosen = {"one": [action.pk], "none": [], "junk": ["x"]}[ids]
    response = bulk(client_as(member), "actions", chosen, **data)
    assert response.status_code == 302
    assert messages_of(response)[0].startswith(said)
    action.refresh_from_db()
    assert action.version == 1


def test_an_owner_the_user_cannot_see_is_refused(org, pmo, member, outsider, client_as):
    action = factories.action(org.project, pmo)
    response = bulk(client_as(member), "actions", [action.pk], action="owner", owner=outsider.pk)
    assert "Select a valid choice" in messages_of(response)[0]
    action.refresh_from_db()
    assert action.owner is None


def test_it_goes_back_to_the_list_it_came_from_on_this_site_only(org, pmo, member, client_as):
    action = factories.action(org.project, pmo)
    client = client_as(member)
    back = reverse("registers:project_list", args=[org.project.pk, "actions"]) + "?owner=me"
    ours = bulk(client, "actions", [action.pk], action="status", status="done", next=back)
    assert ours["Location"] == back
    evil = bulk(
        client, "actions", [action.pk], action="status", status="open", next="https://evil.test/"
    )
    assert evil["Location"] == reverse("registers:all_list", args=["actions"])


def test_after_an_htmx_bulk_change_the_results_come_back_with_the_message(
    org, pmo, member, client_as
):
    action = factories.action(org.project, pmo)
    client = client_as(member)
    back = reverse("registers:project_list", args=[org.project.pk, "actions"])
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
    response = client.post(
        reverse("registers:bulk", args=["actions"]),
        {"ids": [action.pk], "action": "status", "status": "done", "next": back},
        follow=True,
        **headers,
    )
    content = response.content.decode()
    assert 'id="register-rows"' in content
    assert "<html" not in content
    assert 'id="messages" class="messages" aria-live="polite" hx-swap-oob="true"' in content
    assert "1 item changed." in content


def test_bulk_takes_only_posts(org, member, client_as):
    assert client_as(member).get(reverse("registers:bulk", args=["actions"])).status_code == 405
