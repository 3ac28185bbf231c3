"""What a row shows: overdue marking, score colours, sources, both ends, and its redraw."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from schakel.registers import services
from schakel.registers.models import Action, Dependency
from schakel.registers.registry import register_for_kind
from schakel.registers.tests import factories
from schakel.registers.views_lists import render_row

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def page(client, project, slug):
    response = client.get(reverse("registers:project_list", args=[project.pk, slug]))
    assert response.status_code == 200
    return response


def row_html(content: str, item) -> str:
    start = content.index(f'id="row-{item.KIND}-{item.pk}"')
    return content[start : content.index("</tr>", start)]


def test_an_open_item_past_its_due_date_is_marked_overdue_in_words_not_colour_alone(
    org, pmo, viewer, client_as
):
    late = factories.action(org.project, pmo, due=TODAY - datetime.timedelta(days=1))
    done = factories.action(
        org.project, pmo, due=TODAY - datetime.timedelta(days=1), status=Action.Status.DONE
    )
    on_time = factories.action(org.project, pmo, due=TODAY + datetime.timedelta(days=1))
    for user in (pmo, viewer):
        content = page(client_as(user), org.project, "actions").content.decode()
        late_row = row_html(content, late)
        assert "is-overdue" in late_row
        assert "badge-overdue" in late_row
        assert ">Overdue<" in late_row
        for fine in (done, on_time):
            assert "badge-overdue" not in row_html(content, fine)


def test_the_overdue_badge_describes_the_inline_date_field(org, pmo, client_as):
    late = factories.action(org.project, pmo, due=TODAY - datetime.timedelta(days=3))
    row = row_html(page(client_as(pmo), org.project, "actions").content.decode(), late)
    badge_id = f"overdue-action-{late.pk}"
    assert f'id="{badge_id}"' in row
    assert f'aria-describedby="{badge_id}"' in row


def test_scores_are_coloured_by_the_heatmaps_bands(org, pmo, client_as):
    critical = factories.risk(org.project, pmo, probability=5, impact=5)
    low = factories.risk(org.project, pmo, probability=1, impact=2)
    mitigated = factories.risk(
        org.project, pmo, probability=4, impact=4, residual_probability=1, residual_impact=3
    )
    content = page(client_as(pmo), org.project, "risks").content.decode()
    assert 'class="score score-critical"' in row_html(content, critical)
    assert 'class="score score-low"' in row_html(content, low)
    mitigated_row = row_html(content, mitigated)
    assert 'class="score score-high" title="4 × 4">16' in mitigated_row
    assert 'class="score score-low" title="1 × 3">3' in mitigated_row


def test_an_actions_source_and_a_dependencys_ends_are_shown(org, pmo, client_as):
    risk = factories.risk(org.project, pmo)
    action = factories.action(org.project, pmo, source=risk)
    dependency = services.item_create(
        model=Dependency, scope=org.project, by=pmo, title="Design", other_project=org.sibling
    )
    client = client_as(pmo)
    action_row = row_html(page(client, org.project, "actions").content.decode(), action)
    assert f'href="{risk.get_absolute_url()}"' in action_row
    assert risk.ref in action_row
    ends = row_html(page(client, org.project, "dependencies").content.decode(), dependency)
    assert "ODI" in ends
    assert "POL" in ends


def test_inline_edits_post_field_value_and_version_to_the_item(org, pmo, client_as):
    action = factories.action(org.project, pmo)
    row = row_html(page(client_as(pmo), org.project, "actions").content.decode(), action)
    inline_url = reverse("registers:item_inline", args=["action", action.pk])
    assert row.count(f'hx-post="{inline_url}"') == 3
    for field in ("status", "owner", "due"):
        assert f'name="field" value="{field}"' in row
    assert f'name="version" value="{action.version}"' in row
    assert 'name="list_scope" value="project"' in row


def test_the_owner_select_offers_the_people_of_the_items_scope(
    org, pmo, member, viewer, outsider, client_as
):
    action = factories.action(org.project, pmo)
    row = page(client_as(pmo), org.project, "actions").context["rows"][0]
    offered = {person.username for person in row.owners}
    assert {"pmo", "member", "viewer"} <= offered
    assert "outsider" not in offered
    assert row.item == action


def _request(user, **data):
    request = RequestFactory().post("/", data)
    request.user = user
    return request


def test_render_row_draws_the_stored_row_for_the_list_it_came_from(org, pmo):
    action = factories.action(org.project, pmo, title="Call them")
    register = register_for_kind("action")
    in_project = render_row(_request(pmo, list_scope="project"), register, action).content.decode()
    in_programme = render_row(_request(pmo, list_scope="programme"), "action", action)
    assert f'id="row-action-{action.pk}"' in in_project
    assert "Call them" in in_project
    assert 'data-label="Project"' not in in_project
    assert 'data-label="Project"' in in_programme.content.decode()


def test_render_row_shows_a_conflict_note_with_the_status_it_is_given(org, pmo):
    action = factories.action(org.project, pmo)
    response = render_row(
        _request(pmo), register_for_kind("action"), action, conflict=True, status=409
    )
    assert response.status_code == 409
    assert "Someone else changed this item" in response.content.decode()
    error = render_row(_request(pmo), "action", action, error="Due: enter a date.", status=400)
    assert "Due: enter a date." in error.content.decode()


def test_render_row_draws_nothing_for_an_item_the_user_cannot_see(org, pmo, outsider):
    action = factories.action(org.project, pmo)
    response = render_row(_request(outsider), "action", action)
    assert response.content == b""


HOSTILE = '<x-evil onmouseover="alert(1)">&"'


def test_every_value_a_row_draws_is_escaped(org, pmo, client_as):
    """Rows are drawn in Python (row_html), not by the template engine: nothing goes raw."""
    from html.parser import HTMLParser

    org.project.manager = pmo
    pmo.first_name = HOSTILE
    pmo.save()
    item = factories.action(org.project, pmo, title=HOSTILE)
    content = page(client_as(pmo), org.project, "actions").content.decode()
    row = row_html(content, item)
    assert "<x-evil" not in row
    assert "&lt;x-evil onmouseover=&quot;alert(1)&quot;&gt;&amp;&quot;" in row

    class Images(HTMLParser):
        found = 0

        def handle_starttag(self, tag, attrs):
            self.found += tag == "x-evil"

    parser = Images()
    parser.feed(content)
    assert parser.found == 0


def test_the_cockpit_escapes_project_names_and_people(org, pmo, client_as):
    org.project.name = HOSTILE
    org.project.save()
    content = client_as(pmo).get(reverse("registers:cockpit")).content.decode()
    assert "<x-evil" not in content
    assert "&lt;x-evil onmouseover=&quot;alert(1)&quot;&gt;&amp;&quot;" in content


def test_the_fast_select_escapes_and_marks_the_chosen_option():
    from schakel.lib.widgets import FastSelect

    html = FastSelect(choices=[("", "Anyone"), (3, HOSTILE), ('a"b', "x")]).render(
        "owner", "3", attrs={"id": "id_owner", "data-autosubmit": ""}
    )
    assert html.startswith('<select data-autosubmit="" id="id_owner" name="owner">')
    assert '<option value="3" selected>&lt;x-evil onmouseover=&quot;alert(1)&quot;&gt;' in html
    assert '<option value="a&quot;b">x</option>' in html
    assert html.count("selected") == 1
