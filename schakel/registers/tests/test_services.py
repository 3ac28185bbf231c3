"""The shared register mechanism: codes, derived fields, versions, occurrences, links, bulk."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from schakel.lib.services import StaleVersionError
from schakel.registers import services
from schakel.registers.models import Action, Assumption, Comment, Issue, Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def test_items_are_numbered_per_project_and_register(org, pmo):
    first = factories.risk(org.project, pmo)
    second = factories.risk(org.project, pmo)
    other = factories.risk(org.sibling, pmo)
    act = factories.action(org.project, pmo)
    assert [first.ref, second.ref, other.ref, act.ref] == ["ODI-R1", "ODI-R2", "POL-R1", "ODI-A1"]


def test_numbers_are_never_reused_after_a_delete(org, pmo):
    first = factories.risk(org.project, pmo)
    services.item_trash(item=first, by=pmo)
    assert factories.risk(org.project, pmo).ref == "ODI-R2"


def test_programme_level_items_use_the_programme_key(org, pmo):
    from schakel.portfolio import services as portfolio_services

    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    org.programme.refresh_from_db()
    item = factories.risk(org.programme, pmo)
    assert item.ref == "VOD-R1"


def test_a_programme_without_a_key_cannot_hold_items(org, pmo):
    with pytest.raises(ValidationError):
        factories.risk(org.programme, pmo)


def test_risk_scores_follow_probability_and_impact(org, pmo):
    item = factories.risk(org.project, pmo, probability=4, impact=5)
    assert (item.score, item.residual_score, item.current_score) == (20, None, 20)
    item = services.item_update(
        item=item, version=item.version, by=pmo, residual_probability=2, residual_impact=3
    )
    assert (item.score, item.residual_score, item.current_score) == (20, 6, 6)


def test_residual_needs_both_probability_and_impact(org, pmo):
    item = factories.risk(org.project, pmo)
    with pytest.raises(ValidationError) as caught:
        services.item_update(item=item, version=1, by=pmo, residual_probability=2)
    assert "residual_impact" in caught.value.message_dict


def test_an_opportunity_takes_only_opportunity_responses(org, pmo):
    with pytest.raises(ValidationError) as caught:
        factories.risk(org.project, pmo, nature=Risk.Nature.OPPORTUNITY, response="avoid")
    assert "response" in caught.value.message_dict


def test_a_probability_outside_the_scale_is_refused(org, pmo):
    with pytest.raises(ValidationError) as caught:
        factories.risk(org.project, pmo, probability=11)
    assert "probability" in caught.value.message_dict


def test_a_stale_version_is_refused_and_changes_nothing(org, pmo):
    item = factories.action(org.project, pmo)
    services.item_update(item=item, version=1, by=pmo, title="First")
    with pytest.raises(StaleVersionError):
        services.item_update(item=item, version=1, by=pmo, title="Second")
    assert Action.objects.get(pk=item.pk).title == "First"


def test_the_scope_and_derived_fields_cannot_be_set(org, pmo):
    item = factories.action(org.project, pmo)
    for field in ("project", "number", "created_by", "score", "trend"):
        with pytest.raises(ValidationError):
            services.item_update(item=item, version=None, by=pmo, **{field: None})


def test_an_action_done_records_when_and_reopening_clears_it(org, pmo):
    item = factories.action(org.project, pmo)
    done = services.item_update(item=item, version=1, by=pmo, status=Action.Status.DONE)
    assert done.completed_on is not None
    reopened = services.item_update(item=done, version=2, by=pmo, status=Action.Status.OPEN)
    assert reopened.completed_on is None


def test_overdue_means_open_and_past_due(org, pmo):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    late = factories.action(org.project, pmo, due=yesterday)
    factories.action(org.project, pmo, due=yesterday, status=Action.Status.DONE)
    factories.action(org.project, pmo, due=datetime.date.today() + datetime.timedelta(days=3))
    assert list(Action.objects.overdue()) == [late]
    assert late.is_overdue


def test_a_risk_that_occurs_becomes_a_linked_issue_in_one_step(org, pmo):
    item = factories.risk(org.project, pmo, probability=5, impact=5, effect="Go-live slips")
    issue = services.risk_occurred(risk=item, version=item.version, by=pmo)
    item.refresh_from_db()
    assert item.status == Risk.Status.OCCURRED and item.occurred_on is not None
    assert issue.source_risk == item and issue.priority == "critical"
    assert issue.ref == "ODI-I1"
    assert issue in services.linked_items(item) and item in services.linked_items(issue)


def test_an_invalid_assumption_raises_an_issue(org, pmo):
    item = services.item_create(
        model=Assumption,
        scope=org.project,
        by=pmo,
        title="Budget is approved",
        consequence="No money for phase 2",
    )
    issue = services.assumption_invalidate(assumption=item, version=1, by=pmo)
    item.refresh_from_db()
    assert item.status == Assumption.Status.INVALID and item.raised_issue == issue
    assert issue.description == "No money for phase 2"


def test_an_action_records_its_source(org, pmo):
    source = factories.risk(org.project, pmo)
    act = services.item_create(
        model=Action, scope=org.project, by=pmo, title="Mitigate", source=source
    )
    assert act.source == source
    assert list(services.actions_from(source)) == [act]


def test_links_are_two_way_and_never_to_itself(org, pmo):
    a, b = factories.risk(org.project, pmo), factories.decision(org.project, pmo)
    services.link_add(a=a, b=b, by=pmo)
    services.link_add(a=b, b=a, by=pmo)
    assert services.linked_items(a) == [b] and services.linked_items(b) == [a]
    with pytest.raises(ValidationError):
        services.link_add(a=a, b=a, by=pmo)
    services.link_remove(a=b, b=a)
    assert services.linked_items(a) == []


def test_comments_record_mentions_of_people_in_the_pool(org, pmo, member, outsider):
    from schakel.accounts.models import User

    item = factories.risk(org.project, pmo)
    pool = User.objects.exclude(pk=outsider.pk)
    comment = services.comment_add(
        item=item,
        body=f"@{member.username} please check; @{outsider.username} too",
        by=pmo,
        mention_pool=pool,
    )
    assert list(comment.mentions.all()) == [member]
    assert Comment.objects.filter(item_id=item.pk).count() == 1
    with pytest.raises(ValidationError):
        services.comment_add(item=item, body="   ", by=pmo, mention_pool=pool)


def test_bulk_changes_go_through_the_same_rules(org, pmo, member):
    today = datetime.date.today()
    items = [factories.action(org.project, pmo, due=today) for _ in range(3)]
    services.items_bulk_update(items=items, by=pmo, owner=member, shift_days=7)
    for item in Action.objects.all():
        assert item.owner == member
        assert item.due == today + datetime.timedelta(days=7)
        assert item.version == 2
    services.items_bulk_update(items=list(Action.objects.all()), by=pmo, status="done")
    assert all(a.completed_on for a in Action.objects.all())


def test_an_issue_escalated_needs_someone_to_escalate_to(org, pmo):
    item = factories.issue(org.project, pmo)
    with pytest.raises(ValidationError) as caught:
        services.item_update(item=item, version=1, by=pmo, status=Issue.Status.ESCALATED)
    assert "escalated_to" in caught.value.message_dict


def test_no_items_are_added_to_an_archived_project(org, pmo):
    from schakel.portfolio import services as portfolio_services

    project = portfolio_services.project_archive(project=org.project, archived=True, by=pmo)
    with pytest.raises(ValidationError):
        factories.risk(project, pmo)


def test_items_of_an_archived_project_are_read_only(org, pmo):
    from schakel.portfolio import services as portfolio_services

    item = factories.action(org.project, pmo)
    portfolio_services.project_archive(project=org.project, archived=True, by=pmo)
    with pytest.raises(ValidationError, match="archived"):
        services.item_update(item=item, version=1, by=pmo, title="Changed")
    assert Action.objects.get(pk=item.pk).title == "Call the supplier"


def test_an_items_comments_are_reachable_from_the_item(org, pmo):
    from schakel.accounts.models import User

    item = factories.risk(org.project, pmo)
    comment = services.comment_add(
        item=item, body="Looks fine", by=pmo, mention_pool=User.objects.all()
    )
    assert list(item.comments.all()) == [comment]
