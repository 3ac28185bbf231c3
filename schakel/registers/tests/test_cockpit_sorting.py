"""Sorting the cockpit by any column: projects within their group, groups by their roll-up."""

from __future__ import annotations

import pytest
from django.urls import reverse

from schakel.accounts.tests.factories import UserFactory
from schakel.portfolio.models import Phase
from schakel.registers.tests import factories

pytestmark = pytest.mark.django_db

COCKPIT = reverse("registers:cockpit")


@pytest.fixture
def scored(org, pmo):
    factories.risk(org.project, pmo, probability=2, impact=2)  # ODI: 4
    factories.risk(org.sibling, pmo, probability=3, impact=5)  # POL: 15
    factories.risk(org.other_project, pmo, probability=5, impact=5)  # CAR: 25
    factories.risk(org.other_project, pmo, probability=1, impact=1)
    return org


def order(client, query: str) -> list[str]:
    """Programme names and project keys in the order the cockpit shows them."""
    cockpit = client.get(COCKPIT + query).context["cockpit"]
    out = []
    for group in cockpit.programmes:
        out.append(group.programme.name)
        for theme_group in group.themes:
            out += [row.project.key for row in theme_group.rows]
    return out


def test_by_default_programmes_come_by_name_and_projects_by_key(scored, pmo, client_as):
    assert order(client_as(pmo), "") == ["Care innovation", "CAR", "Support services", "ODI", "POL"]


def test_sorting_by_a_number_orders_projects_themes_and_programmes(scored, pmo, client_as):
    client = client_as(pmo)
    assert order(client, "?ordering=-score") == [
        "Care innovation",
        "CAR",
        "Support services",
        "POL",  # no theme, but its roll-up (15) beats the theme's (4)
        "ODI",
    ]
    assert order(client, "?ordering=score") == [
        "Support services",
        "ODI",
        "POL",
        "Care innovation",
        "CAR",
    ]
    assert order(client, "?ordering=-risks")[:2] == ["Care innovation", "CAR"]


def test_sorting_by_text_keeps_the_groups_in_place(scored, pmo, client_as):
    scored.project.manager = UserFactory(first_name="Zoë", last_name="Zee")
    scored.project.phase = Phase.CLOSURE
    scored.project.save()
    scored.sibling.manager = UserFactory(first_name="Anna", last_name="Aa")
    scored.sibling.phase = Phase.PLANNING
    scored.sibling.save()
    scored.theme.delete()  # both Support projects now share the "no theme" group
    client = client_as(pmo)

    assert order(client, "?ordering=manager")[2:] == ["Support services", "POL", "ODI"]
    assert order(client, "?ordering=-phase")[2:] == ["Support services", "ODI", "POL"]
    assert order(client, "?ordering=-key")[2:] == ["Support services", "POL", "ODI"]


def test_an_unknown_ordering_falls_back_to_the_key(scored, pmo, client_as):
    response = client_as(pmo).get(COCKPIT + "?ordering=password")
    assert response.status_code == 200
    assert response.context["cockpit"].ordering == "key"


def test_column_headings_link_to_their_sorting_and_say_the_current_one(scored, pmo, client_as):
    html = client_as(pmo).get(COCKPIT + "?ordering=-score").content.decode()
    assert 'aria-sort="descending"' in html
    assert 'href="?ordering=score"' in html  # clicking again turns it round
    assert 'href="?ordering=-risks"' in html  # numbers sort high to low first
    assert 'href="?ordering=name"' in html


def test_htmx_sorting_swaps_only_the_table(scored, pmo, client_as):
    response = client_as(pmo).get(COCKPIT + "?ordering=-score", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "cockpit-table" in html
