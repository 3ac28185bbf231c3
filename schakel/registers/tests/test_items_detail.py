"""The detail page of an item: its facts, pictures, actions, buttons by role and breadcrumbs."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from schakel.accounts.models import Membership, Role, User
from schakel.accounts.tests.factories import UserFactory
from schakel.registers import services
from schakel.registers.models import Assumption, Comment, Dependency
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def page(client, item) -> str:
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_header_shows_code_title_status_owner_and_due(org, member, client_as):
    action = factories.action(
        org.project,
        member,
        title="Call the supplier",
        owner=member,
        due=datetime.date(2020, 1, 6),
    )
    html = page(client_as(member), action)
    assert "<h1>Call the supplier</h1>" in html
    assert '<span class="mono">ODI-A1</span>' in html
    assert '<span class="badge item-status item-status-open">Open</span>' in html
    assert '<span class="badge badge-overdue">Overdue</span>' in html
    assert f"Owner: <strong>{member.display_name}</strong>" in html
    assert "Due: <strong>6 Jan 2020</strong>" in html


def test_breadcrumbs_lead_from_the_portfolio_to_the_register(org, member, client_as):
    risk = factories.risk(org.project, member)
    html = page(client_as(member), risk)
    list_url = reverse("registers:project_list", kwargs={"pk": org.project.pk, "register": "risks"})
    crumbs = html[
        html.index('class="breadcrumbs"') : html.index("</nav>", html.index('class="breadcrumbs"'))
    ]
    assert crumbs.index(org.portfolio.name) < crumbs.index(org.programme.name)
    assert f'<a href="{org.project.get_absolute_url()}">' in crumbs
    assert f'<a href="{list_url}">Risks</a>' in crumbs
    assert '<span aria-current="page">ODI-R1</span>' in crumbs


def test_a_risk_shows_its_place_on_the_heatmap_inherent_and_residual(org, member, client_as):
    risk = factories.risk(
        org.project, member, probability=4, impact=5, residual_probability=2, residual_impact=3
    )
    html = page(client_as(member), risk)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'data-probability="4" data-impact="5" data-count="1"' in html
    assert 'data-probability="2" data-impact="3" data-count="1"' in html
    assert "4 – High × 5 – Severe = <strong>20</strong>" in html
    assert "Residual score 6" in html
    assert 'class="badge score-badge score-medium">Score 6<' in html


def test_a_risk_without_residual_assessment_says_so(org, member, client_as):
    html = page(client_as(member), factories.risk(org.project, member))
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1
    assert "No residual assessment yet" in html


def test_the_trend_line_follows_the_scores_in_the_history(org, member, client_as):
    risk = factories.risk(org.project, member, probability=2, impact=2)
    risk = services.item_update(item=risk, version=1, by=member, probability=4)
    risk = services.item_update(item=risk, version=2, by=member, title="Same score, new title")
    risk = services.item_update(item=risk, version=3, by=member, impact=5)
    html = page(client_as(member), risk)
    assert 'class="sparkline"' in html
    assert "Score over time: 4 → 8 → 20" in html


def test_each_register_shows_its_own_facts(org, pmo, client_as):
    client = client_as(pmo)
    issue = factories.issue(
        org.project, pmo, escalated_to=pmo, status="escalated", resolution="Pump it out"
    )
    assert "Pump it out" in page(client, issue) and "Escalated to" in page(client, issue)
    decision = factories.decision(
        org.project, pmo, forum="Steering committee", rationale="Cheapest to run"
    )
    html = page(client, decision)
    assert "Steering committee" in html and "Cheapest to run" in html
    dependency = services.item_create(
        model=Dependency,
        scope=org.project,
        by=pmo,
        title="Policy",
        other_project=org.sibling,
        other_milestone="Framework signed",
    )
    html = page(client, dependency)
    assert "Framework signed" in html and org.sibling.get_absolute_url() in html
    assumption = services.item_create(
        model=Assumption,
        scope=org.project,
        by=pmo,
        title="Budget",
        consequence="No money, no project",
    )
    assert "No money, no project" in page(client, assumption)


def test_the_description_is_rendered_markdown_without_raw_html(org, member, client_as):
    risk = factories.risk(
        org.project, member, description="**Bold** move\n\n<script>alert(1)</script>"
    )
    html = page(client_as(member), risk)
    assert "<strong>Bold</strong> move" in html
    assert "<script>alert(1)</script>" not in html


def test_actions_from_the_item_are_listed_with_an_add_button(org, member, client_as):
    risk = factories.risk(org.project, member)
    factories.action(
        org.project,
        member,
        title="Find a second supplier",
        source=risk,
        due=datetime.date(2030, 5, 1),
    )
    factories.action(org.project, member, title="Unrelated")
    html = page(client_as(member), risk)
    assert "Find a second supplier" in html and "Unrelated" not in html
    add = (
        reverse(
            "registers:project_item_create", kwargs={"pk": org.project.pk, "register": "actions"}
        )
        + f"?source=risk:{risk.pk}"
    )
    assert f'href="{add}" hx-get="{add}" hx-target="#modal"' in html


def test_an_action_names_the_item_it_came_from(org, member, client_as):
    risk = factories.risk(org.project, member)
    action = factories.action(org.project, member, source=risk)
    html = page(client_as(member), action)
    assert f'<a class="mono" href="{risk.get_absolute_url()}">ODI-R1</a>' in html
    assert 'id="actions"' not in html  # an action has no actions of its own


def test_buttons_follow_the_role(org, member, viewer, manager, client_as):
    risk = factories.risk(org.project, member)
    edit = reverse("registers:item_edit", args=["risk", risk.pk])
    delete = reverse("registers:item_delete", args=["risk", risk.pk])
    seen = page(client_as(viewer), risk)
    assert edit not in seen and delete not in seen and 'id="comment-form"' not in seen
    assert "Occurred → issue" not in seen
    worked = page(client_as(member), risk)
    assert f'href="{edit}" hx-get="{edit}" hx-target="#modal"' in worked
    assert delete not in worked
    assert 'id="comment-form"' in worked and "Occurred → issue" in worked
    managed = page(client_as(manager), risk)
    assert delete in managed


def test_occurred_is_offered_on_open_risks_and_invalid_on_unvalidated_assumptions(
    org, member, client_as
):
    client = client_as(member)
    closed = factories.risk(org.project, member, status="closed")
    assert "Occurred → issue" not in page(client, closed)
    assumption = services.item_create(model=Assumption, scope=org.project, by=member, title="A")
    html = page(client, assumption)
    assert "Invalid → issue" in html
    assert 'name="version" value="1"' in html
    valid = services.item_create(
        model=Assumption, scope=org.project, by=member, title="B", status="valid"
    )
    assert "Invalid → issue" not in page(client, valid)


def test_an_archived_project_shows_its_items_read_only(org, manager, client_as):
    from schakel.portfolio import services as portfolio_services

    risk = factories.risk(org.project, manager)
    portfolio_services.project_archive(project=org.project, archived=True, by=manager)
    html = page(client_as(manager), risk)
    assert "this item is read-only" in html
    assert reverse("registers:item_edit", args=["risk", risk.pk]) not in html


def test_hidden_trashed_and_unknown_items_answer_404(org, member, pmo, client_as):
    hidden = factories.risk(org.other_project, pmo)
    trashed = factories.risk(org.project, pmo)
    services.item_trash(item=trashed, by=pmo)
    client = client_as(member)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(trashed.get_absolute_url()).status_code == 404
    assert client.get(reverse("registers:item_detail", args=["wish", 1])).status_code == 404
    assert client.get(reverse("registers:item_detail", args=["risk", 999])).status_code == 404


def test_a_dependency_shows_on_the_other_projects_side(org, pmo, client_as):
    car_member = UserFactory(username="carla")
    Membership.objects.create(user=car_member, project=org.other_project, role=Role.VIEWER)
    dependency = services.item_create(
        model=Dependency,
        scope=org.project,
        by=pmo,
        title="Shared login",
        other_project=org.other_project,
    )
    html = page(client_as(car_member), dependency)
    assert "Shared login" in html


def test_an_htmx_refresh_renders_the_page_region_only(org, member, client_as):
    risk = factories.risk(org.project, member)
    response = client_as(member).get(
        risk.get_absolute_url(), headers={"HX-Request": "true", "HX-Target": "item-page"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="item-page"')
    assert 'hx-trigger="registers:changed from:body"' in html


def test_the_history_tab_lists_the_changes(org, member, client_as):
    risk = factories.risk(org.project, member, title="Old title")
    services.item_update(item=risk, version=1, by=member, title="New title")
    response = client_as(member).get(reverse("registers:item_history", args=["risk", risk.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Old title" in html and "New title" in html
    assert 'aria-current="page">History</a>' in html


@pytest.fixture(params=[3, 30], ids=["3-each", "30-each"])
def busy_risk(request, org, member, pmo):
    """A risk with n comments (with mentions), n links and n actions."""
    risk = factories.risk(
        org.project,
        member,
        owner=member,
        category_id=1,
        residual_probability=1,
        residual_impact=2,
        tags=[],
    )
    for i in range(request.param):
        services.comment_add(
            item=risk, body=f"Note {i} for @pmo", by=member, mention_pool=User.objects.all()
        )
        other = (factories.issue if i % 2 else factories.decision)(org.project, pmo, owner=pmo)
        services.link_add(a=risk, b=other, by=member)
        factories.action(org.project, member, owner=pmo, source=risk)
    return risk


def test_the_detail_page_stays_within_its_query_budget(
    busy_risk, member, client_as, django_assert_max_num_queries
):
    client = client_as(member)
    client.get(busy_risk.get_absolute_url())  # warm the content-type cache
    with django_assert_max_num_queries(16):
        response = client.get(busy_risk.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="comment"') == Comment.objects.count()


def test_a_programme_level_item_leads_back_to_the_programmes_register(org, pmo, client_as):
    from schakel.portfolio import services as portfolio_services

    portfolio_services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
    org.programme.refresh_from_db()
    decision = factories.decision(org.programme, pmo, title="One supplier for all projects")
    html = page(client_as(pmo), decision)
    list_url = reverse(
        "registers:programme_list", kwargs={"pk": org.programme.pk, "register": "decisions"}
    )
    assert f'<a href="{list_url}">Decisions</a>' in html
    assert '<span aria-current="page">VOD-D1</span>' in html
    add = reverse(
        "registers:programme_item_create",
        kwargs={"pk": org.programme.pk, "register": "actions"},
    )
    assert f'href="{add}?source=decision:{decision.pk}"' in html
