"""My work: a person's open actions, reviews, decisions, issues and dependencies at risk."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.accounts.models import Membership, Role
from schakel.portfolio.tests.factories import ProjectFactory
from schakel.registers import services
from schakel.registers.models import Action, Decision, Dependency, Issue, Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

MY_WORK = reverse("registers:my_work")
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def test_my_open_actions_come_overdue_first_then_by_due_date(org, pmo, member, client_as):
    later = factories.action(org.project, pmo, title="Later", owner=member, due=days(10))
    undated = factories.action(org.project, pmo, title="Undated", owner=member)
    soon = factories.action(org.project, pmo, title="Soon", owner=member, due=days(1))
    late = factories.action(org.project, pmo, title="Late", owner=member, due=days(-3))
    very_late = factories.action(org.project, pmo, title="Very late", owner=member, due=days(-9))
    factories.action(org.project, pmo, owner=member, due=days(-5), status=Action.Status.DONE)
    factories.action(org.project, pmo, owner=pmo, due=days(-5))  # someone else's

    response = client_as(member).get(MY_WORK)

    work = response.context["work"]
    assert work.actions.rows == [very_late, late, soon, later, undated]
    assert work.actions.count == 5
    assert work.overdue_actions == 2
    html = response.content.decode()
    assert html.count('class="badge badge-overdue"') == 2
    assert "Overdue actions" in html


def test_items_i_can_no_longer_see_are_left_out(org, pmo, member, client_as):
    factories.action(org.other_project, pmo, owner=member, due=days(-1))  # no role there
    gone = factories.action(org.project, pmo, owner=member, due=days(-1))
    services.item_trash(item=gone, by=pmo)

    work = client_as(member).get(MY_WORK).context["work"]

    assert work.actions.rows == []
    assert work.overdue_actions == 0


def test_with_nothing_overdue_it_says_well_done(org, pmo, member, client_as):
    factories.action(org.project, pmo, owner=member, due=days(2))

    html = client_as(member).get(MY_WORK).content.decode()

    assert "Nothing overdue — well done" in html
    assert "badge-overdue" not in html


def test_risks_i_own_or_action_are_due_for_review_within_a_week(org, pmo, member, client_as):
    overdue = factories.risk(org.project, pmo, title="Overdue", owner=member, review_date=days(-2))
    mine = factories.risk(org.project, pmo, title="Mine", owner=member, review_date=days(7))
    actionee = factories.risk(
        org.project, pmo, title="To action", actionee=member, review_date=days(3)
    )
    factories.risk(org.project, pmo, owner=member, review_date=days(8))  # not yet
    factories.risk(org.project, pmo, owner=member)  # no review date
    factories.risk(org.project, pmo, owner=member, review_date=days(1), status=Risk.Status.CLOSED)
    factories.risk(org.project, pmo, owner=pmo, review_date=days(1))  # someone else's

    work = client_as(member).get(MY_WORK).context["work"]

    assert work.reviews.rows == [overdue, actionee, mine]


def test_proposed_decisions_for_me_to_take_are_waiting(org, pmo, member, client_as):
    to_decide = factories.decision(org.project, pmo, title="Mine to take", decided_by=member)
    owned = factories.decision(org.project, pmo, title="Mine to prepare", owner=member)
    factories.decision(org.project, pmo, decided_by=member, status=Decision.Status.APPROVED)
    factories.decision(org.project, pmo, owner=pmo)

    work = client_as(member).get(MY_WORK).context["work"]

    assert set(work.decisions.rows) == {to_decide, owned}


def test_open_issues_assigned_or_escalated_to_me_are_listed(org, pmo, member, client_as):
    owned = factories.issue(org.project, pmo, title="Owned", owner=member)
    escalated = factories.issue(
        org.project,
        pmo,
        title="Escalated",
        escalated_to=member,
        status=Issue.Status.ESCALATED,
    )
    factories.issue(org.project, pmo, owner=member, status=Issue.Status.RESOLVED)

    response = client_as(member).get(MY_WORK)

    assert set(response.context["work"].issues.rows) == {owned, escalated}
    assert "Escalated to me" in response.content.decode()


def test_dependencies_i_own_that_are_at_risk_are_listed(org, pmo, member, client_as):
    def dependency(status: str) -> Dependency:
        return services.item_create(
            model=Dependency,
            scope=org.project,
            by=pmo,
            title=f"Design from POL ({status})",
            other_project=org.sibling,
            owner=member,
            status=status,
        )

    at_risk = dependency(Dependency.Status.AT_RISK)
    dependency(Dependency.Status.OPEN)

    work = client_as(member).get(MY_WORK).context["work"]

    assert work.dependencies.rows == [at_risk]


def test_each_row_links_to_its_item(org, pmo, member, client_as):
    action = factories.action(org.project, pmo, title="Ring the vendor", owner=member)

    html = client_as(member).get(MY_WORK).content.decode()

    assert f'href="{action.get_absolute_url()}"' in html
    assert action.ref in html


def test_an_empty_day_shows_friendly_empty_states(org, member, client_as):
    html = client_as(member).get(MY_WORK).content.decode()
    assert "No open actions: nothing on your list." in html
    assert "No proposed decision waits for you." in html
    assert "Nobody mentioned you in the last 30 days." in html


def test_a_long_list_is_capped_but_counted_in_full(org, pmo, member, client_as):
    from schakel.registers import overview

    for n in range(overview.MY_WORK_LIMIT + 3):
        factories.action(org.project, pmo, title=f"Action {n}", owner=member, due=days(n))

    work = client_as(member).get(MY_WORK).context["work"]

    assert len(work.actions.rows) == overview.MY_WORK_LIMIT
    assert work.actions.count == overview.MY_WORK_LIMIT + 3


@pytest.fixture(params=[2, 20], ids=["2-per-kind", "20-per-kind"])
def busy_member(request, org, pmo, member):
    """Give the member n of every kind of work, in several projects, with mentions.

    At 20 per kind every list passes its cap, so the page counts each list in full too.
    """
    projects = [org.project]
    for _ in range(2):
        project = ProjectFactory(programme=org.programme)
        Membership.objects.create(user=member, project=project, role=Role.MEMBER)
        projects.append(project)
    everyone = type(member).objects.all()
    for project in projects:
        for n in range(request.param):
            action = factories.action(project, pmo, owner=member, due=days(n - 3))
            risk = factories.risk(project, pmo, owner=member, review_date=days(n % 7))
            decision = factories.decision(project, pmo, decided_by=member)
            issue = factories.issue(project, pmo, owner=member)
            for item in (action, risk, decision, issue):
                services.comment_add(
                    item=item, body=f"@{member.username} look", by=pmo, mention_pool=everyone
                )
            services.item_create(
                model=Dependency,
                scope=project,
                by=pmo,
                title="Needs a design",
                other_project=org.sibling,
                owner=member,
                status=Dependency.Status.AT_RISK,
            )
    return member


def test_my_work_stays_within_its_query_budget(
    busy_member, client_as, django_assert_max_num_queries
):
    client = client_as(busy_member)
    # 16: the session, the user and their roles (3); one per list, its rows and its full
    # count together (5); the content types (once per process), the mentions and their
    # items, one per register they are in (here 1 + 1 + 4); two for the meetings' panel
    # (next meetings, minutes to publish). It was 22 when every long list was counted again.
    with django_assert_max_num_queries(16):
        response = client.get(MY_WORK)
    assert response.status_code == 200
