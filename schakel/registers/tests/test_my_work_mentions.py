"""My work lists the items I was @mentioned in lately, only those I may still see."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.models import User
from schakel.registers import services
from schakel.registers.models import Comment
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

MY_WORK = reverse("registers:my_work")


def mention(item, by, who, text="please check") -> Comment:
    return services.comment_add(
        item=item, body=f"@{who.username} {text}", by=by, mention_pool=User.objects.all()
    )


def test_an_item_i_was_mentioned_in_is_listed_with_the_latest_comment(org, pmo, member, client_as):
    risk = factories.risk(org.project, pmo, title="Vendor lock-in")
    mention(risk, pmo, member, "first look")
    mention(risk, pmo, member, "second look")

    response = client_as(member).get(MY_WORK)

    rows = response.context["work"].mentions.rows
    assert [(m.item, m.comment.body) for m in rows] == [(risk, f"@{member.username} second look")]
    html = response.content.decode()
    assert "Vendor lock-in" in html
    assert f'href="{risk.get_absolute_url()}"' in html


def test_mentions_on_items_i_cannot_see_are_left_out(org, pmo, member, client_as):
    hidden = factories.risk(org.other_project, pmo, title="Care secret")
    mention(hidden, pmo, member)
    trashed = factories.action(org.project, pmo, title="Binned")
    mention(trashed, pmo, member)
    services.item_trash(item=trashed, by=pmo)

    response = client_as(member).get(MY_WORK)

    assert response.context["work"].mentions.rows == []
    assert "Care secret" not in response.content.decode()


def test_mentions_older_than_thirty_days_and_of_others_are_left_out(
    org, pmo, member, viewer, client_as
):
    old = mention(factories.issue(org.project, pmo, title="Old one"), pmo, member)
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    mention(factories.issue(org.project, pmo, title="For the viewer"), pmo, viewer)
    recent = factories.decision(org.project, pmo, title="Recent")
    mention(recent, pmo, member)

    rows = client_as(member).get(MY_WORK).context["work"].mentions.rows

    assert [m.item for m in rows] == [recent]


def test_mentions_of_every_register_are_newest_first(org, pmo, member, client_as):
    action = factories.action(org.project, pmo)
    issue = factories.issue(org.project, pmo)
    mention(action, pmo, member)
    mention(issue, pmo, member)

    rows = client_as(member).get(MY_WORK).context["work"].mentions.rows

    assert [m.item for m in rows] == [issue, action]


def test_mentions_on_hidden_items_do_not_push_visible_ones_out_of_the_scan(
    org, pmo, member, client_as, monkeypatch
):
    from schakel.registers import overview

    monkeypatch.setattr(overview, "MENTION_SCAN", 3)
    seen = factories.risk(org.project, pmo, title="Seen")
    mention(seen, pmo, member, "older, on an item I see")
    for n in range(3):
        mention(factories.risk(org.other_project, pmo, title=f"Hidden {n}"), pmo, member)

    work = client_as(member).get(MY_WORK).context["work"]

    assert [m.item for m in work.mentions.rows] == [seen]
    assert work.mentions.count == 1


def test_only_the_newest_items_are_listed_but_all_are_counted(
    org, pmo, member, client_as, monkeypatch
):
    from schakel.registers import overview

    monkeypatch.setattr(overview, "MENTION_ITEMS", 2)
    risks = [factories.risk(org.project, pmo, title=f"Risk {n}") for n in range(3)]
    for risk in risks:
        mention(risk, pmo, member)
    mention(factories.risk(org.other_project, pmo, title="Hidden"), pmo, member)

    work = client_as(member).get(MY_WORK).context["work"]

    assert [m.item for m in work.mentions.rows] == [risks[2], risks[1]]
    assert work.mentions.count == 3
