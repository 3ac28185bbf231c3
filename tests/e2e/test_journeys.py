"""A person's first session in Schakel, in Chromium: the journeys the foundation promises."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from schakel.portfolio.models import Programme, Project
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pmo_officer_creates_a_programme_and_project_edits_it_in_place_and_sees_its_history(
    page, org, pmo
):
    login(page, "pmo", PASSWORD)

    page.goto(page.base_url + org.portfolio.get_absolute_url())
    page.get_by_role("link", name="New programme").first.click()
    page.get_by_label("Name").fill("Quick wins 2027")
    page.get_by_role("button", name="Create programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick wins 2027")
    programme = Programme.objects.get(name="Quick wins 2027")

    page.get_by_role("link", name="New project").first.click()
    page.get_by_label("Key").fill("qwl")
    page.get_by_label("Name").fill("Laptop on day one")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laptop on day one")
    project = Project.objects.get(key="QWL")
    assert project.programme == programme

    # Edit in place: the facts card turns into a form and back, without leaving the page.
    detail_url = page.url
    page.get_by_role("link", name="Edit details").click()
    name_field = page.locator("#project-facts").get_by_label("Name")
    expect(name_field).to_be_visible()
    name_field.fill("Laptop ready on day one")
    page.locator("#project-facts").get_by_role("button", name="Save").click()
    expect(page.locator("#project-facts")).to_contain_text("Laptop ready on day one")
    assert page.url == detail_url
    project.refresh_from_db()
    assert project.name == "Laptop ready on day one"
    assert project.version == 2

    page.get_by_role("link", name="History").first.click()
    history = page.locator("main")
    expect(history).to_contain_text("Laptop on day one")
    expect(history).to_contain_text("Laptop ready on day one")
    expect(history).to_contain_text(pmo.display_name)


def test_a_user_switches_to_dutch_and_back(page, org, pmo):
    login(page, "pmo", PASSWORD)
    page.get_by_role("button", name="NL", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_contain_text("Projecten")
    page.goto(page.base_url + "/projects/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Projecten")
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Projects")


def test_an_outsider_sees_none_of_the_projects(page, org, outsider):
    login(page, "outsider", PASSWORD)
    page.goto(page.base_url + "/projects/")
    expect(page.locator("main")).not_to_contain_text(org.project.name)
    response = page.goto(page.base_url + org.project.get_absolute_url())
    assert response is not None and response.status == 404


def test_the_menu_opens_on_a_phone(page, org, member):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "member", PASSWORD)
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(sidebar).to_be_visible()
    sidebar.get_by_role("link", name="Projects").click()
    expect(page).to_have_url(re.compile(r"/projects/$"))
    expect(page.locator("main")).to_contain_text(org.project.name)
