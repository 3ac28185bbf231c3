"""Bad input on the item forms comes back as field errors, never as a 500 or a saved row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.registers.models import Decision, Dependency, Issue, Risk

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "modal"}


def post(client, org, slug: str, data: dict, **kwargs):
    url = reverse("registers:project_item_create", kwargs={"pk": org.project.pk, "register": slug})
    return client.post(url, data, **kwargs)


def errors_of(response, field: str) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.errors.get(field, [])]


RISK = {
    "title": "Key user leaves",
    "nature": "threat",
    "probability": 3,
    "impact": 4,
    "status": "open",
}


def test_a_residual_half_set_asks_for_the_other_half(org, member, client_as):
    response = post(client_as(member), org, "risks", {**RISK, "residual_probability": 2})
    assert response.status_code == 200
    assert errors_of(response, "residual_impact") == [
        "Give both residual probability and residual impact, or neither."
    ]
    response = post(client_as(member), org, "risks", {**RISK, "residual_impact": 2})
    assert errors_of(response, "residual_probability")
    assert not Risk.all_objects.exists()


def test_a_response_must_fit_the_nature_of_the_risk(org, member, client_as):
    response = post(
        client_as(member), org, "risks", {**RISK, "nature": "opportunity", "response": "avoid"}
    )
    assert errors_of(response, "response") == ["This response does not fit an opportunity."]
    response = post(client_as(member), org, "risks", {**RISK, "response": "exploit"})
    assert errors_of(response, "response") == ["This response does not fit a threat."]
    assert not Risk.all_objects.exists()


def test_probability_and_impact_are_required_and_on_the_scale(org, member, client_as):
    response = post(client_as(member), org, "risks", {**RISK, "probability": "", "impact": 9})
    assert errors_of(response, "probability") == ["This field is required."]
    assert "Select a valid choice" in errors_of(response, "impact")[0]


def test_an_escalated_issue_needs_the_person_it_went_to(org, member, client_as):
    data = {
        "title": "Floods",
        "type": "problem",
        "priority": "high",
        "severity": "major",
        "status": "escalated",
        "raised_on": "2026-11-20",
    }
    response = post(client_as(member), org, "issues", data)
    assert errors_of(response, "escalated_to") == ["Say to whom the issue is escalated."]
    assert not Issue.all_objects.exists()
    response = post(client_as(member), org, "issues", {**data, "escalated_to": member.pk})
    assert response.status_code == 302


def test_a_decision_taken_says_by_whom(org, member, client_as):
    data = {"title": "Choose ERP", "status": "approved"}
    response = post(client_as(member), org, "decisions", data)
    assert errors_of(response, "decided_by") == ["Say who or which forum took the decision."]
    response = post(client_as(member), org, "decisions", {**data, "forum": "Steering committee"})
    assert response.status_code == 302
    assert Decision.objects.get().decided_on is not None


def test_a_dependency_is_on_another_project_the_user_can_see(org, member, pmo, client_as):
    data = {"title": "Policy ready", "direction": "inbound", "status": "open"}
    own = post(client_as(pmo), org, "dependencies", {**data, "other_project": org.project.pk})
    assert "Select a valid choice" in errors_of(own, "other_project")[0]
    hidden = post(
        client_as(member), org, "dependencies", {**data, "other_project": org.other_project.pk}
    )
    assert "Select a valid choice" in errors_of(hidden, "other_project")[0]
    assert not Dependency.all_objects.exists()


def test_an_owner_from_outside_the_project_is_refused(org, member, outsider, client_as):
    response = post(
        client_as(member),
        org,
        "actions",
        {"title": "Call", "priority": "medium", "status": "open", "owner": outsider.pk},
    )
    assert "Select a valid choice" in errors_of(response, "owner")[0]


def test_a_missing_title_and_a_bad_date_are_field_errors(org, member, client_as):
    response = post(
        client_as(member),
        org,
        "actions",
        {"title": "  ", "priority": "medium", "status": "open", "due": "31-31-2026"},
    )
    assert response.status_code == 200
    assert errors_of(response, "title") == ["This field is required."]
    assert errors_of(response, "due") == ["Enter a valid date."]
    assert "Please correct the errors below." in response.content.decode()


def test_errors_in_the_modal_come_back_in_the_modal(org, member, client_as):
    response = post(
        client_as(member), org, "risks", {**RISK, "residual_probability": 2}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="dialog"' in html and "<html" not in html
    assert "Give both residual probability and residual impact, or neither." in html
    assert 'value="Key user leaves"' in html  # what was typed stays
    assert "HX-Trigger" not in response
