"""One click turns an occurred risk or an invalid assumption into an issue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.registers import services
from schakel.registers.models import Assumption, Issue, Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def occurred_url(item) -> str:
    return reverse("registers:risk_occurred", args=[item.KIND, item.pk])


def invalid_url(item) -> str:
    return reverse("registers:assumption_invalidate", args=[item.KIND, item.pk])


def test_an_occurred_risk_becomes_an_issue_and_the_page_opens_it(org, member, client_as):
    risk = factories.risk(org.project, member, probability=4, impact=4, effect="Shops stay empty")
    response = client_as(member).post(occurred_url(risk), {"version": 1}, follow=True)
    issue = Issue.objects.get()
    assert response.redirect_chain == [(issue.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "Risk ODI-R1 occurred: issue ODI-I1 was raised." in html
    risk.refresh_from_db()
    assert (risk.status, issue.source_risk, issue.priority) == ("occurred", risk, "high")
    assert f'href="{risk.get_absolute_url()}">ODI-R1</a>' in html  # linked both ways


def test_a_stale_occurred_answers_409_and_changes_nothing(org, member, client_as):
    risk = factories.risk(org.project, member)
    services.item_update(item=risk, version=1, by=member, title="Changed meanwhile")
    response = client_as(member).post(occurred_url(risk), {"version": 1})
    assert response.status_code == 409
    assert "Someone else changed this while you were looking at it." in response.content.decode()
    assert "Changed meanwhile" in response.content.decode()
    assert Risk.objects.get().status == "open"
    assert not Issue.objects.exists()


def test_occurred_needs_the_version_a_post_and_a_risk(org, member, client_as):
    risk = factories.risk(org.project, member)
    issue = factories.issue(org.project, member)
    client = client_as(member)
    assert client.post(occurred_url(risk)).status_code == 400
    assert client.get(occurred_url(risk)).status_code == 405
    assert client.post(occurred_url(issue), {"version": 1}).status_code == 404
    assert Issue.objects.count() == 1


def test_a_closed_risk_does_not_occur(org, member, client_as):
    risk = factories.risk(org.project, member, status="closed")
    response = client_as(member).post(occurred_url(risk), {"version": 1})
    assert response.status_code == 302
    assert not Issue.objects.exists()


def test_viewers_may_not_mark_a_risk_occurred(org, member, viewer, outsider, client_as):
    risk = factories.risk(org.project, member)
    assert client_as(viewer).post(occurred_url(risk), {"version": 1}).status_code == 403
    assert client_as(outsider).post(occurred_url(risk), {"version": 1}).status_code == 404
    assert not Issue.objects.exists()


def test_an_invalid_assumption_raises_an_issue_for_its_consequence(org, member, client_as):
    assumption = services.item_create(
        model=Assumption,
        scope=org.project,
        by=member,
        title="Budget approved",
        consequence="We stop in March",
    )
    response = client_as(member).post(invalid_url(assumption), {"version": 1})
    issue = Issue.objects.get()
    assert response.status_code == 302 and response.url == issue.get_absolute_url()
    assumption.refresh_from_db()
    assert (assumption.status, assumption.raised_issue) == ("invalid", issue)
    assert issue.description == "We stop in March"


def test_invalidating_checks_version_kind_and_role(org, member, viewer, client_as):
    assumption = services.item_create(model=Assumption, scope=org.project, by=member, title="A")
    risk = factories.risk(org.project, member)
    services.item_update(item=assumption, version=1, by=member, title="A changed")
    assert client_as(member).post(invalid_url(assumption), {"version": 1}).status_code == 409
    assert client_as(member).post(invalid_url(risk), {"version": 1}).status_code == 404
    assert client_as(viewer).post(invalid_url(assumption), {"version": 2}).status_code == 403
    assert not Issue.objects.exists()
