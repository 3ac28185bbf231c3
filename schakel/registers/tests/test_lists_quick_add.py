"""Quick add: one line at the top of a project's or programme's list, Enter adds the item."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schakel.portfolio import services as portfolio_services
from schakel.registers.models import Action, Assumption, Decision, Dependency, Issue, Risk
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "quick-add"}


def url(project, slug, query=""):
    return reverse("registers:project_list", args=[project.pk, slug]) + query


def test_htmx_quick_add_creates_the_item_and_answers_with_a_cleared_form_and_the_row(
    org, member, client_as
):
    factories.action(org.project, member, title="Already there")
    response = client_as(member).post(
        url(org.project, "actions"),
        {"qa-title": "Book the room", "qa-owner": member.pk, "qa-due": "2026-12-01"},
        **HTMX,
    )
    assert response.status_code == 200
    action = Action.objects.get(title="Book the room")
    assert (action.owner, action.due, action.created_by) == (
        member,
        datetime.date(2026, 12, 1),
        member,
    )
    content = response.content.decode()
    assert content.count('id="quick-add"') == 1
    assert 'value="Book the room"' not in content  # the form comes back empty
    assert 'name="qa-title"' in content and "autofocus" in content
    assert 'hx-swap-oob="afterbegin:#register-rows"' in content
    assert f'id="row-action-{action.pk}"' in content
    assert "is-new" in content
    assert f"{action.ref} added" in content
    assert 'id="register-tabs" hx-swap-oob="true"' in content  # the open counts follow
    assert "<html" not in content


def test_plain_quick_add_redirects_back_to_the_same_list(org, member, client_as):
    list_url = url(org.project, "actions", "?state=open_items")
    response = client_as(member).post(list_url, {"qa-title": "Write the minutes"})
    assert response.status_code == 302
    assert response["Location"] == list_url
    assert Action.objects.filter(title="Write the minutes").exists()


def test_a_missing_title_is_shown_on_its_field_and_nothing_is_added(org, member, client_as):
    client = client_as(member)
    htmx = client.post(url(org.project, "issues"), {"qa-title": "  "}, **HTMX)
    assert htmx.status_code == 200
    assert "This field is required." in htmx.content.decode()
    plain = client.post(url(org.project, "issues"), {"qa-title": ""})
    assert plain.status_code == 200
    assert plain.context["quick_form"].errors["title"]
    assert not Issue.objects.exists()


def test_a_risk_needs_probability_and_impact(org, member, client_as):
    client = client_as(member)
    response = client.post(url(org.project, "risks"), {"qa-title": "Floods"}, **HTMX)
    content = response.content.decode()
    assert content.count("This field is required.") == 2
    assert not Risk.objects.exists()
    client.post(
        url(org.project, "risks"),
        {"qa-title": "Floods", "qa-probability": "2", "qa-impact": "5", "qa-due": "2026-12-24"},
        **HTMX,
    )
    risk = Risk.objects.get()
    assert (risk.probability, risk.impact, risk.score) == (2, 5, 10)
    assert risk.review_date == datetime.date(2026, 12, 24)


def test_the_risk_selects_show_the_configured_scale(org, member, client_as):
    response = client_as(member).get(url(org.project, "risks"))
    choices = dict(response.context["quick_form"].fields["probability"].choices)
    assert len(choices) == 6  # a blank and five levels
    assert choices[3].startswith("3 – ")


def test_a_dependency_needs_another_project_the_user_can_see(org, member, manager, client_as):
    hidden = client_as(member).post(
        url(org.project, "dependencies"),
        {"qa-title": "Their API", "qa-other_project": org.sibling.pk},
        **HTMX,
    )
    assert "Select a valid choice" in hidden.content.decode()
    client = client_as(manager)
    client.post(url(org.project, "dependencies"), {"qa-title": "Their API"}, **HTMX)
    assert not Dependency.objects.exists()
    client.post(
        url(org.project, "dependencies"),
        {"qa-title": "Their API", "qa-other_project": org.sibling.pk},
        **HTMX,
    )
    dependency = Dependency.objects.get()
    assert dependency.other_project == org.sibling


def test_the_owner_must_be_someone_of_the_project(org, member, outsider, client_as):
    response = client_as(member).post(
        url(org.project, "decisions"), {"qa-title": "Go", "qa-owner": outsider.pk}, **HTMX
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_programme_manager_adds_programme_level_items(org, pmo, manager, client_as):
    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    list_url = reverse("registers:programme_list", args=[org.programme.pk, "assumptions"])
    response = client_as(manager).post(list_url, {"qa-title": "Budget stays"}, **HTMX)
    assert response.status_code == 200
    assumption = Assumption.objects.get()
    assert (assumption.programme, assumption.project, assumption.ref) == (
        org.programme,
        None,
        "VOD-S1",
    )


def test_a_programme_without_a_key_says_so_instead_of_failing(org, manager, client_as):
    list_url = reverse("registers:programme_list", args=[org.programme.pk, "assumptions"])
    response = client_as(manager).post(list_url, {"qa-title": "Budget stays"}, **HTMX)
    assert response.status_code == 200
    assert "Give the programme a key first" in response.content.decode()
    assert not Assumption.objects.exists()


def test_a_project_member_cannot_add_at_programme_level(org, member, client_as):
    list_url = reverse("registers:programme_list", args=[org.programme.pk, "actions"])
    assert client_as(member).post(list_url, {"qa-title": "Mine"}).status_code == 403
    assert client_as(member).get(list_url).context["quick_form"] is None


def test_portfolio_and_everything_lists_take_no_quick_add(org, pmo, client_as):
    client = client_as(pmo)
    portfolio_url = reverse("registers:portfolio_list", args=[org.portfolio.pk, "actions"])
    assert client.post(portfolio_url, {"qa-title": "X"}).status_code == 405
    assert client.post(reverse("registers:all_list", args=["actions"]), {}).status_code == 405
    assert not Action.objects.exists()


def test_an_archived_project_refuses_the_quick_add_with_a_message(org, pmo, client_as):
    portfolio_services.project_archive(project=org.project, archived=True, by=pmo)
    response = client_as(pmo).post(url(org.project, "actions"), {"qa-title": "Late"}, **HTMX)
    assert "archived and read-only" in response.content.decode()
    assert not Action.objects.exists()


def test_the_quick_add_keeps_the_lists_query_string(org, member, client_as):
    response = client_as(member).get(url(org.project, "actions", "?owner=me"))
    content = response.content.decode()
    assert f'hx-post="/projects/{org.project.pk}/registers/actions/?owner=me"' in content


def test_due_dates_of_quick_added_items_use_each_registers_own_field(org, member, client_as):
    client = client_as(member)
    day = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    client.post(url(org.project, "assumptions"), {"qa-title": "A", "qa-due": day}, **HTMX)
    client.post(url(org.project, "decisions"), {"qa-title": "D", "qa-due": day}, **HTMX)
    assert Assumption.objects.get().validate_by.isoformat() == day
    assert Decision.objects.get().needed_by.isoformat() == day
