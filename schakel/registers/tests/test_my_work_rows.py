"""My work's lists are drawn in Python (`views_overview.WorkRows`): escaped, badged, linked."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.models import User
from schakel.registers import services
from schakel.registers.models import Comment, Dependency, Issue
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

MY_WORK = reverse("registers:my_work")
TODAY = timezone.localdate()
HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def mention(item, by, who, text: str) -> Comment:
    return services.comment_add(
        item=item, body=f"@{who.username} {text}", by=by, mention_pool=User.objects.all()
    )


def test_every_list_escapes_what_people_typed(org, pmo, member, client_as):
    factories.action(org.project, pmo, title=f"A {HOSTILE}", owner=member, due=days(1))
    factories.issue(org.project, pmo, title=f"I {HOSTILE}", owner=member)
    factories.decision(org.project, pmo, title=f"D {HOSTILE}", decided_by=member, forum=HOSTILE)
    factories.risk(org.project, pmo, title=f"R {HOSTILE}", owner=member, review_date=days(2))
    services.item_create(
        model=Dependency,
        scope=org.project,
        by=pmo,
        title=f"P {HOSTILE}",
        other_project=org.sibling,
        owner=member,
        status=Dependency.Status.AT_RISK,
    )
    mention(factories.issue(org.project, pmo, title=f"M {HOSTILE}"), pmo, member, HOSTILE)

    html = client_as(member).get(MY_WORK).content.decode()

    assert "<script>alert" not in html
    for prefix in ("A", "I", "D", "R", "P", "M"):
        assert f"{prefix} {ESCAPED}</a>" in html, prefix
    assert f'data-label="Forum">{ESCAPED}</td>' in html
    assert f"ago: @{member.username} {ESCAPED}</span>" in html


def test_due_dates_carry_an_overdue_or_today_badge_and_a_dash_when_missing(
    org, pmo, member, client_as
):
    late = factories.action(org.project, pmo, title="Late", owner=member, due=days(-1))
    factories.action(org.project, pmo, title="Today", owner=member, due=TODAY)
    factories.action(org.project, pmo, title="Undated", owner=member)

    html = client_as(member).get(MY_WORK).content.decode()

    assert html.count('<tr class="is-overdue">') == 1
    assert html.count('class="badge badge-overdue">Overdue</span>') == 1
    assert html.count('class="badge badge-due-today">Today</span>') == 1
    assert 'data-label="Due" class="nowrap is-empty">—</td>' in html
    assert f'<a href="{late.get_absolute_url()}">Late</a>' in html
    assert f'<td data-label="Ref" class="key nowrap">{late.ref}</td>' in html


def test_only_issues_escalated_to_me_by_others_say_so(org, pmo, member, client_as):
    factories.issue(
        org.project,
        pmo,
        title="Theirs",
        owner=pmo,
        escalated_to=member,
        status=Issue.Status.ESCALATED,
    )
    factories.issue(
        org.project,
        pmo,
        title="Mine anyway",
        owner=member,
        escalated_to=member,
        status=Issue.Status.ESCALATED,
    )

    html = client_as(member).get(MY_WORK).content.decode()

    assert html.count("Escalated to me") == 1
    assert 'Theirs</a> <span class="badge">Escalated to me</span>' in html


def test_a_dependency_says_which_way_it_goes(org, pmo, member, client_as):
    for direction in (Dependency.Direction.INBOUND, Dependency.Direction.OUTBOUND):
        services.item_create(
            model=Dependency,
            scope=org.project,
            by=pmo,
            title=f"Dependency {direction}",
            other_project=org.sibling,
            owner=member,
            status=Dependency.Status.AT_RISK,
            direction=direction,
        )

    html = client_as(member).get(MY_WORK).content.decode()

    assert '<span class="small muted">from POL</span>' in html
    assert '<span class="small muted">for POL</span>' in html


def test_a_mention_by_a_removed_author_is_by_someone_and_long_comments_are_cut(
    org, pmo, member, client_as
):
    comment = mention(factories.risk(org.project, pmo), pmo, member, "x" * 300)
    Comment.objects.filter(pk=comment.pk).update(author=None)

    html = client_as(member).get(MY_WORK).content.decode()

    assert "someone, " in html
    assert "x" * 300 not in html
    assert "x" * 100 + "…" in html


def test_the_labels_follow_the_language(org, pmo, member, client_as):
    member.language = "nl"
    member.save()
    factories.action(org.project, pmo, title="Bellen", owner=member, due=days(-1))
    factories.issue(
        org.project, pmo, title="Lek", escalated_to=member, status=Issue.Status.ESCALATED
    )

    html = client_as(member).get(MY_WORK).content.decode()

    assert 'data-label="Deadline"' in html
    assert ">Te laat</span>" in html
    assert "Naar mij geëscaleerd" in html


def test_a_long_list_is_counted_in_the_same_query_as_its_rows(
    org, pmo, member, client_as, django_assert_max_num_queries
):
    from schakel.registers import overview

    for n in range(overview.MY_WORK_LIMIT + 2):
        factories.action(org.project, pmo, owner=member, due=days(n - 1))
    client = client_as(member)
    client.get(MY_WORK)  # the content types are read once per process

    with django_assert_max_num_queries(11) as queries:
        work = client.get(MY_WORK).context["work"]

    assert (work.actions.count, work.overdue_actions) == (overview.MY_WORK_LIMIT + 2, 1)
    assert len(work.actions.rows) == overview.MY_WORK_LIMIT
    action_queries = [
        q for q in queries.captured_queries if q["sql"].startswith('SELECT "registers_action"')
    ]
    assert len(action_queries) == 1
