"""Capturing actions, decisions, risks and issues from the chair view into the registers."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from schakel.meetings.models import Meeting, Outcome
from schakel.registers.models import Action, Decision, Issue, Risk

from . import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


def _capture(meeting: Meeting, kind: str) -> str:
    return reverse("meetings:capture", args=[meeting.pk, kind])


@pytest.fixture
def project_meeting(org, manager):
    return factories.meeting(org.project, manager, chair=manager)


def test_an_action_is_created_with_owner_and_due_date_under_the_agenda_item(
    org, manager, member, project_meeting
):
    item = project_meeting.agenda.order_by("position").last()
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = client_for(manager).post(
        _capture(project_meeting, "action"),
        {
            "action-scope": f"project:{org.project.pk}",
            "action-agenda_item": item.pk,
            "action-title": "  Send   the business case ",
            "action-owner": member.pk,
            "action-due": due.isoformat(),
        },
        **HTMX,
    )
    assert response.status_code == 200
    action = Action.objects.get()
    assert (action.title, action.owner, action.due, action.project) == (
        "Send the business case",
        member,
        due,
        org.project,
    )
    outcome = Outcome.objects.get()
    assert (outcome.meeting, outcome.agenda_item, outcome.kind) == (project_meeting, item, "action")
    content = response.content.decode()
    # The new item for the outcome list, swapped in out of band, and an empty form again.
    assert f'hx-swap-oob="beforeend:#outcomes-{item.pk}"' in content
    assert action.ref in content and "ODI-A1" in content
    assert 'id="capture-form-action"' in content
    assert 'value="Send the business case"' not in content


@pytest.mark.parametrize(
    ("kind", "fields", "model", "expected"),
    [
        (
            "decision",
            {"title": "Go for option B", "status": "approved", "rationale": "Cheaper"},
            Decision,
            {"status": "approved", "rationale": "Cheaper", "forum": "Project team"},
        ),
        (
            "risk",
            {"title": "Key user leaves", "probability": "4", "impact": "5"},
            Risk,
            {"score": 20},
        ),
        ("issue", {"title": "Server room floods", "priority": "high"}, Issue, {"priority": "high"}),
    ],
)
def test_decisions_risks_and_issues_are_captured_too(
    org, manager, project_meeting, kind, fields, model, expected
):
    data = {f"{kind}-{name}": value for name, value in fields.items()}
    data[f"{kind}-scope"] = f"project:{org.project.pk}"
    response = client_for(manager).post(_capture(project_meeting, kind), data, **HTMX)
    assert response.status_code == 200, response.content.decode()[:2000]
    created = model.objects.get()
    assert created.title == fields["title"]
    for name, value in expected.items():
        assert getattr(created, name) == value
    assert Outcome.objects.get().kind == kind


def test_a_missing_title_is_shown_on_the_form_and_nothing_is_created(org, manager, project_meeting):
    response = client_for(manager).post(
        _capture(project_meeting, "action"),
        {"action-scope": f"project:{org.project.pk}", "action-title": "  "},
        **HTMX,
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "field-invalid" in content and "This field is required." in content
    assert not Action.objects.exists() and not Outcome.objects.exists()


def test_a_programme_meeting_captures_into_the_programme_or_one_of_its_projects(org, manager):
    org.programme.key = "SUP"
    org.programme.save()
    meeting = factories.meeting(org.programme, manager, chair=manager)
    client = client_for(manager)
    page = client.get(reverse("meetings:chair", args=[meeting.pk])).content.decode()
    assert f'value="programme:{org.programme.pk}"' in page
    assert f'value="project:{org.sibling.pk}"' in page
    assert f'value="project:{org.other_project.pk}"' not in page
    for scope in (f"programme:{org.programme.pk}", f"project:{org.sibling.pk}"):
        response = client.post(
            _capture(meeting, "action"),
            {"action-scope": scope, "action-title": f"Into {scope}"},
            **HTMX,
        )
        assert response.status_code == 200
    refs = sorted(a.ref for a in Action.objects.all())
    assert refs == ["POL-A1", "SUP-A1"]
    # A project of another programme is no choice of this meeting.
    response = client.post(
        _capture(meeting, "action"),
        {"action-scope": f"project:{org.other_project.pk}", "action-title": "Elsewhere"},
        **HTMX,
    )
    assert response.status_code == 422
    assert Action.objects.count() == 2


def test_a_programme_without_a_key_is_explained_on_the_scope_field(org, manager):
    meeting = factories.meeting(org.programme, manager, chair=manager)
    response = client_for(manager).post(
        _capture(meeting, "decision"),
        {
            "decision-scope": f"programme:{org.programme.pk}",
            "decision-title": "Merge the teams",
            "decision-status": "proposed",
        },
        **HTMX,
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Give the programme a key first" in content
    assert not Decision.objects.exists()


def test_an_owner_without_a_role_on_the_chosen_project_is_refused(
    org, manager, member, project_meeting
):
    meeting = factories.meeting(org.programme, manager, chair=manager)
    response = client_for(manager).post(
        _capture(meeting, "action"),
        {
            "action-scope": f"project:{org.sibling.pk}",
            "action-title": "Ask legal",
            "action-owner": member.pk,
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert "has no role on Policy" in response.content.decode()
    assert not Action.objects.exists()


def test_a_scope_the_user_may_not_add_items_to_is_refused_with_403(org, manager, monkeypatch):
    meeting = factories.meeting(org.programme, manager, chair=manager)
    from schakel.meetings import forms_live

    monkeypatch.setattr(
        forms_live.register_access,
        "can_contribute_to",
        lambda user, scope: scope != org.sibling,
    )
    response = client_for(manager).post(
        _capture(meeting, "action"),
        {"action-scope": f"project:{org.sibling.pk}", "action-title": "Sneaky"},
        **HTMX,
    )
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_capture_is_for_those_who_run_the_meeting_and_known_registers(
    org, manager, member, viewer, project_meeting
):
    data = {"action-scope": f"project:{org.project.pk}", "action-title": "x"}
    assert client_for(member).post(_capture(project_meeting, "action"), data).status_code == 403
    assert client_for(viewer).post(_capture(project_meeting, "action"), data).status_code == 403
    response = client_for(manager).post(_capture(project_meeting, "assumption"), data)
    assert response.status_code == 404
    assert not Action.objects.exists()


def test_without_javascript_a_capture_redirects_back_to_the_item(org, manager, project_meeting):
    item = project_meeting.agenda.order_by("position").last()
    response = client_for(manager).post(
        _capture(project_meeting, "issue"),
        {
            "issue-scope": f"project:{org.project.pk}",
            "issue-title": "Printer broken",
            "issue-priority": "low",
            "issue-agenda_item": item.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?item={item.pk}")
    # With errors the whole chair page comes back with the form filled in.
    response = client_for(manager).post(
        _capture(project_meeting, "issue"),
        {"issue-scope": f"project:{org.project.pk}", "issue-title": "No priority"},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert 'value="No priority"' in content and "<html" in content


def test_nothing_is_captured_once_the_minutes_are_published(org, manager, project_meeting):
    from schakel.meetings import minutes as minutes_service
    from schakel.meetings import services

    meeting = services.meeting_end(meeting=project_meeting, by=manager)
    minutes_service.minutes_publish(meeting=meeting, version=meeting.version, by=manager)
    response = client_for(manager).post(
        _capture(meeting, "action"),
        {"action-scope": f"project:{org.project.pk}", "action-title": "Too late"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "reopen" in response.content.decode()
    assert not Action.objects.exists()
