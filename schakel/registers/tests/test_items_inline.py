"""Inline edits from a list row: status, owner and due date, answered with the row redrawn."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from schakel.registers import services
from schakel.registers.models import Action, Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def url(item) -> str:
    return reverse("registers:item_inline", args=[item.KIND, item.pk])


def test_a_status_change_saves_and_answers_with_the_row(org, member, client_as):
    action = factories.action(org.project, member)
    response = client_as(member).post(
        url(action), {"field": "status", "value": "done", "version": 1}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="row-action-{action.pk}"')
    assert 'name="version" value="2"' in html
    action.refresh_from_db()
    assert (action.status, action.version, action.completed_on) == (
        "done",
        2,
        datetime.date.today(),
    )


def test_owner_and_due_go_through_the_registers_own_fields(org, member, manager, client_as):
    risk = factories.risk(org.project, member)
    client = client_as(member)
    client.post(url(risk), {"field": "owner", "value": manager.pk, "version": 1}, headers=HTMX)
    client.post(url(risk), {"field": "due", "value": "2027-02-01", "version": 2}, headers=HTMX)
    risk.refresh_from_db()
    assert (risk.owner, risk.review_date, risk.version) == (manager, datetime.date(2027, 2, 1), 3)
    client.post(url(risk), {"field": "owner", "value": "", "version": 3}, headers=HTMX)
    risk.refresh_from_db()
    assert risk.owner is None


def test_a_stale_version_answers_409_with_the_current_row_and_a_note(org, member, client_as):
    action = factories.action(org.project, member, title="Call the supplier")
    services.item_update(item=action, version=1, by=member, status="in_progress")
    response = client_as(member).post(
        url(action), {"field": "status", "value": "cancelled", "version": 1}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this item meanwhile." in html
    assert '<option value="in_progress" selected>' in html
    assert Action.objects.get().status == "in_progress"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "finished", "Status: Select a valid choice."),
        ("due", "tomorrow", "Due: Enter a valid date."),
        ("owner", "999999", "Owner: Select a valid choice."),
        ("title", "New title", "This field cannot be changed in the list."),
    ],
)
def test_an_invalid_value_answers_400_with_the_message(
    org, member, client_as, field, value, message
):
    action = factories.action(org.project, member)
    response = client_as(member).post(
        url(action), {"field": field, "value": value, "version": 1}, headers=HTMX
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith(message)
    assert Action.objects.get().version == 1


def test_a_model_rule_refusing_the_value_is_a_400_too(org, member, client_as):
    issue = factories.issue(org.project, member)
    response = client_as(member).post(
        url(issue), {"field": "status", "value": "escalated", "version": 1}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Say to whom the issue is escalated." in response.content.decode()


def test_viewers_get_403_outsiders_404_and_nothing_changes(
    org, member, viewer, outsider, pmo, client_as
):
    action = factories.action(org.project, member)
    hidden = factories.risk(org.other_project, pmo)
    data = {"field": "status", "value": "done", "version": 1}
    assert client_as(viewer).post(url(action), data, headers=HTMX).status_code == 403
    assert client_as(outsider).post(url(action), data, headers=HTMX).status_code == 404
    assert client_as(member).post(url(hidden), data, headers=HTMX).status_code == 404
    assert client_as(member).get(url(action)).status_code == 405
    assert Action.objects.get().status == "open"
    assert Risk.objects.get().status == "open"


def test_without_javascript_the_edit_returns_to_the_list(org, member, client_as):
    action = factories.action(org.project, member)
    list_url = reverse(
        "registers:project_list", kwargs={"pk": org.project.pk, "register": "actions"}
    )
    response = client_as(member).post(
        url(action),
        {"field": "status", "value": "done", "version": 1},
        headers={"Referer": f"http://testserver{list_url}"},
    )
    assert response.status_code == 302
    assert response.url == f"http://testserver{list_url}"
    assert Action.objects.get().status == "done"
    elsewhere = client_as(member).post(
        url(action),
        {"field": "status", "value": "open", "version": 2},
        headers={"Referer": "https://evil.example/"},
    )
    assert elsewhere.url == action.get_absolute_url()
