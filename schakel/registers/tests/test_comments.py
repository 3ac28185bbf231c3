"""Comments on an item: Markdown, @mentions of people who may see it, appended with htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.accounts.models import Membership, Role
from schakel.accounts.tests.factories import UserFactory
from schakel.registers.models import Comment
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "comment-list"}


def url(item) -> str:
    return reverse("registers:comment_add", args=[item.KIND, item.pk])


def test_a_member_comments_and_returns_to_the_comments(org, member, client_as):
    risk = factories.risk(org.project, member)
    response = client_as(member).post(url(risk), {"body": "Checked with **legal**."})
    assert response.status_code == 302
    assert response.url == risk.get_absolute_url() + "#comments"
    comment = Comment.objects.get()
    assert (comment.item, comment.author) == (risk, member)
    html = client_as(member).get(risk.get_absolute_url()).content.decode()
    assert "Checked with <strong>legal</strong>." in html
    assert member.display_name in html


def test_an_htmx_comment_is_appended_and_the_form_cleared(org, member, client_as):
    risk = factories.risk(org.project, member)
    response = client_as(member).post(url(risk), {"body": "First note"}, headers=HTMX)
    html = response.content.decode()
    comment = Comment.objects.get()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="comment" id="comment-{comment.pk}">')
    assert '<form id="comment-form"' in html and 'hx-swap-oob="true"' in html
    assert "First note</textarea>" not in html  # the new form is empty
    assert '<span id="comment-count" class="badge" hx-swap-oob="true">1</span>' in html


def test_mentions_are_recorded_and_marked_only_for_people_who_see_the_item(
    org, member, manager, outsider, pmo, client_as
):
    gone = UserFactory(username="gone", is_active=False)
    Membership.objects.create(user=gone, project=org.project, role=Role.MEMBER)
    car = UserFactory(username="carla")
    Membership.objects.create(user=car, project=org.other_project, role=Role.MEMBER)
    risk = factories.risk(org.project, member)
    body = "Ask @manager and @pmo, not @outsider, @carla or @gone; mail x@manager.nl"
    client_as(member).post(url(risk), {"body": body})
    comment = Comment.objects.get()
    assert set(comment.mentions.all()) == {manager, pmo}
    html = client_as(member).get(risk.get_absolute_url()).content.decode()
    assert '<span class="mention">@manager</span>' in html
    assert '<span class="mention">@pmo</span>' in html
    assert '<span class="mention">@outsider</span>' not in html
    assert '<span class="mention">@carla</span>' not in html
    assert "x@manager.nl" in html


def test_a_mention_inside_a_link_is_not_marked_inside_the_markup(org, member, manager, client_as):
    risk = factories.risk(org.project, member)
    client_as(member).post(url(risk), {"body": "See [@manager](https://example.org/@manager)"})
    html = client_as(member).get(risk.get_absolute_url()).content.decode()
    assert 'href="https://example.org/@manager"' in html
    assert '<span class="mention">@manager</span></a>' in html


def test_raw_html_in_a_comment_is_not_rendered(org, member, client_as):
    risk = factories.risk(org.project, member)
    client_as(member).post(url(risk), {"body": "<img src=x onerror=alert(1)> hi"})
    html = client_as(member).get(risk.get_absolute_url()).content.decode()
    assert "onerror" not in html


def test_an_empty_comment_is_a_field_error(org, member, client_as):
    risk = factories.risk(org.project, member)
    plain = client_as(member).post(url(risk), {"body": "   "})
    assert plain.status_code == 200
    assert plain.context["comment_form"].errors["body"] == ["This field is required."]
    swapped = client_as(member).post(url(risk), {"body": ""}, headers=HTMX)
    assert swapped["HX-Retarget"] == "#comment-form"
    assert swapped["HX-Reswap"] == "outerHTML"
    assert "This field is required." in swapped.content.decode()
    assert not Comment.objects.exists()


def test_viewers_read_comments_but_do_not_write_them(org, member, viewer, outsider, client_as):
    risk = factories.risk(org.project, member)
    assert client_as(viewer).post(url(risk), {"body": "Hi"}).status_code == 403
    assert client_as(outsider).post(url(risk), {"body": "Hi"}).status_code == 404
    assert client_as(viewer).get(url(risk)).status_code == 405
    assert not Comment.objects.exists()
