"""The register switcher: the six registers at one scope, each with its open items."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from schakel.registers.models import Action
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db


def counts(html: str) -> dict[str, int]:
    found = re.findall(r'href="([^"]+)"[^>]*>(\w+) <span class="tab-count".*?(\d+)<span', html)
    return {title: int(number) for _url, title, number in found}


def render_nav(user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("registers/_register_nav.html", context, request=request)


def test_the_tabs_count_the_open_items_of_each_register_at_the_scope(
    org, pmo, django_assert_max_num_queries
):
    factories.risk(org.project, pmo)
    factories.risk(org.sibling, pmo)
    factories.action(org.project, pmo)
    factories.action(org.project, pmo, status=Action.Status.DONE)
    with django_assert_max_num_queries(7):  # the roles, then one count per register
        html = render_nav(pmo, scope_kind="project", scope=org.project, current="risks")
    assert counts(html) == {
        "Risks": 1,
        "Issues": 0,
        "Assumptions": 0,
        "Dependencies": 0,
        "Actions": 1,
        "Decisions": 0,
    }
    assert f'href="{reverse("registers:project_list", args=[org.project.pk, "actions"])}"' in html
    assert 'aria-current="page">Risks' in html


def test_the_tabs_work_at_every_scope(org, pmo, member):
    factories.risk(org.project, pmo)
    factories.risk(org.other_project, pmo)
    assert counts(render_nav(pmo, scope_kind="programme", scope=org.programme))["Risks"] == 1
    assert counts(render_nav(pmo, scope_kind="portfolio", scope=org.portfolio))["Risks"] == 2
    assert counts(render_nav(pmo, scope_kind="all"))["Risks"] == 2
    assert counts(render_nav(member, scope_kind="all"))["Risks"] == 1
    link = reverse("registers:all_list", args=["risks"])
    assert f'href="{link}"' in render_nav(member, scope_kind="all")
