"""Creating register items through the page: a modal for htmx, a full page without it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.portfolio import services as portfolio_services
from schakel.registers import services
from schakel.registers.models import (
    Action,
    Assumption,
    Decision,
    Dependency,
    Issue,
    Link,
    RegisterItem,
    Risk,
)
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "modal"}


def create_url(scope_pk: int, slug: str, *, programme: bool = False) -> str:
    name = "registers:programme_item_create" if programme else "registers:project_item_create"
    return reverse(name, kwargs={"pk": scope_pk, "register": slug})


def minimal(slug: str, org) -> dict[str, object]:
    """The fields each register's form needs to create an item."""
    return {
        "risks": {
            "title": "Key user leaves",
            "nature": "threat",
            "probability": 3,
            "impact": 4,
            "status": "open",
        },
        "issues": {
            "title": "Server room floods",
            "type": "problem",
            "priority": "high",
            "severity": "major",
            "status": "open",
            "raised_on": "2026-11-20",
        },
        "assumptions": {"title": "The budget is approved in Q1", "status": "unvalidated"},
        "dependencies": {
            "title": "Policy framework ready",
            "other_project": org.sibling.pk,
            "direction": "inbound",
            "status": "open",
        },
        "actions": {
            "title": "Call the supplier",
            "priority": "medium",
            "status": "open",
            "due": "2026-12-01",
        },
        "decisions": {"title": "Choose the new ERP", "status": "proposed"},
    }[slug]


MODELS: dict[str, type[RegisterItem]] = {
    "risks": Risk,
    "issues": Issue,
    "assumptions": Assumption,
    "dependencies": Dependency,
    "actions": Action,
    "decisions": Decision,
}


@pytest.fixture
def member(member, org):
    """The member also sees POL (as a viewer), the other side of a dependency."""
    Membership.objects.create(user=member, project=org.sibling, role=Role.VIEWER)
    return member


PREFIXES = {
    "risks": "R",
    "issues": "I",
    "assumptions": "S",
    "dependencies": "P",
    "actions": "A",
    "decisions": "D",
}


@pytest.mark.parametrize("slug", list(MODELS))
def test_a_member_creates_an_item_of_each_register_on_the_page(org, member, client_as, slug):
    data = {**minimal(slug, org), "owner": member.pk, "tags": "IT, Quick win, it"}
    response = client_as(member).post(create_url(org.project.pk, slug), data)
    item = MODELS[slug].objects.get()
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()
    assert item.ref == f"ODI-{PREFIXES[slug]}1"
    assert (item.project, item.owner, item.created_by) == (org.project, member, member)
    assert sorted(t.name for t in item.tags.all()) == ["IT", "Quick win"]


@pytest.mark.parametrize("slug", list(MODELS))
def test_an_htmx_create_closes_the_modal_and_tells_the_list_to_refresh(
    org, member, client_as, slug
):
    client = client_as(member)
    response = client.post(create_url(org.project.pk, slug), minimal(slug, org), headers=HTMX)
    html = response.content.decode()
    item = MODELS[slug].objects.get()
    assert response.status_code == 200
    assert response["HX-Trigger"] == "registers:changed"
    assert html == ""  # the modal slot is emptied
    # The message waits for the region that refreshes (the list, here the item's own page).
    refreshed = client.get(
        item.get_absolute_url(), headers={"HX-Request": "true", "HX-Target": "item-page"}
    )
    assert f'href="{item.get_absolute_url()}">{item.ref}</a> was added.' in (
        refreshed.content.decode()
    )


def test_the_form_opens_as_an_accessible_modal_for_htmx(org, member, client_as):
    response = client_as(member).get(create_url(org.project.pk, "risks"), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="modal-backdrop"' in html
    assert 'role="dialog" aria-modal="true" aria-labelledby="item-modal-title"' in html
    assert 'id="item-modal-title">New risk<' in html
    assert html.count("data-modal-close") == 2  # the close button and Cancel
    assert 'name="title" maxlength="300" autofocus' in html
    assert f'hx-post="{create_url(org.project.pk, "risks")}" hx-target="#modal"' in html


def test_without_javascript_the_form_is_a_full_page_with_breadcrumbs(org, member, client_as):
    response = client_as(member).get(create_url(org.project.pk, "actions"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "modal-backdrop" not in html
    list_url = reverse(
        "registers:project_list", kwargs={"pk": org.project.pk, "register": "actions"}
    )
    assert f'<a href="{list_url}">Actions</a>' in html
    assert f'href="{list_url}">Cancel</a>' in html


def test_the_risk_form_offers_the_scale_in_words_and_groups_its_fields(org, member, client_as):
    html = client_as(member).get(create_url(org.project.pk, "risks")).content.decode()
    assert '<option value="3">3 – Medium</option>' in html
    assert '<option value="5">5 – Severe</option>' in html
    assert "<legend>Cause, event and effect</legend>" in html
    assert "<legend>Assessment</legend>" in html
    assert '<option value="exploit" data-natures="opportunity">Exploit</option>' in html
    assert '<option value="share" data-natures="threat opportunity">Share</option>' in html
    assert "Markdown works here" in html


def test_people_to_choose_are_those_working_in_the_project(
    org, member, viewer, outsider, manager, client_as
):
    html = client_as(member).get(create_url(org.project.pk, "actions")).content.decode()
    for person in (member, viewer, manager):
        assert f'<option value="{person.pk}"' in html
    assert f'<option value="{outsider.pk}"' not in html


def test_viewers_may_not_create_and_outsiders_do_not_see_the_project(
    org, viewer, outsider, client_as
):
    url = create_url(org.project.pk, "risks")
    data = minimal("risks", org)
    assert client_as(viewer).get(url).status_code == 403
    assert client_as(viewer).post(url, data).status_code == 403
    assert client_as(outsider).post(url, data).status_code == 404
    assert not Risk.all_objects.exists()


def test_an_unknown_register_answers_404(org, member, client_as):
    assert client_as(member).get(create_url(org.project.pk, "wishes")).status_code == 404


def test_an_action_added_from_a_risk_records_its_source(org, member, client_as):
    risk = factories.risk(org.project, member)
    url = create_url(org.project.pk, "actions") + f"?source=risk:{risk.pk}"
    page = client_as(member).get(url).content.decode()
    assert "Comes from <strong>ODI-R1</strong>" in page
    assert f'action="{url}"' in page
    response = client_as(member).post(url, minimal("actions", org))
    action = Action.objects.get()
    assert response.status_code == 302
    assert action.source == risk
    assert list(services.actions_from(risk)) == [action]


def test_another_item_added_from_a_source_is_linked_to_it(org, member, client_as):
    risk = factories.risk(org.project, member)
    url = create_url(org.project.pk, "issues") + f"?source=risk:{risk.pk}"
    client_as(member).post(url, minimal("issues", org))
    issue = Issue.objects.get()
    assert services.linked_items(issue) == [risk]
    assert Link.objects.count() == 1


def test_a_source_the_user_cannot_see_answers_404(org, member, pmo, client_as):
    hidden = factories.risk(org.other_project, pmo)
    url = create_url(org.project.pk, "actions") + f"?source=risk:{hidden.pk}"
    assert client_as(member).post(url, minimal("actions", org)).status_code == 404
    assert (
        client_as(member).get(create_url(org.project.pk, "actions") + "?source=x:1").status_code
        == 404
    )
    assert not Action.objects.exists()


def test_programme_level_items_are_created_by_the_programmes_people(
    org, manager, member, client_as
):
    portfolio_services.programme_update(programme=org.programme, version=1, by=manager, key="VOD")
    url = create_url(org.programme.pk, "decisions", programme=True)
    assert client_as(member).get(url).status_code == 403
    response = client_as(manager).post(url, minimal("decisions", org))
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert (decision.ref, decision.programme, decision.project) == ("VOD-D1", org.programme, None)


def test_a_programme_without_a_key_says_so_instead_of_failing(org, manager, client_as):
    url = create_url(org.programme.pk, "decisions", programme=True)
    page = client_as(manager).get(url).content.decode()
    assert "Give the programme a key first" in page
    response = client_as(manager).post(url, minimal("decisions", org))
    assert response.status_code == 200
    assert "Give the programme a key first" in response.content.decode()
    assert not Decision.all_objects.exists()


def test_an_archived_project_takes_no_new_items(org, manager, client_as):
    portfolio_services.project_archive(project=org.project, archived=True, by=manager)
    response = client_as(manager).post(create_url(org.project.pk, "risks"), minimal("risks", org))
    assert response.status_code == 302
    assert not Risk.all_objects.exists()
