"""The Gantt chart on a project's Plan tab works against the real API: it draws the
computed schedule, and indenting a task with the keyboard reshapes the plan on the server
and redraws it."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from schakel.planning import services
from schakel.planning.models import ProjectPlan, Task
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_plan_tab_draws_the_schedule_and_indents_through_the_api(
    page, live_server, org, manager
):
    ProjectPlan.objects.create(project=org.project, start=datetime.date(2026, 3, 2))
    phase = services.task_create(project=org.project, by=manager, name="Phase", duration=1)
    design = services.task_create(project=org.project, by=manager, name="Design", duration=3)
    login(page, "manager", PASSWORD)

    page.goto(page.base_url + f"/projects/{org.project.pk}/plan/")

    row = page.locator(f'.gantt-row[data-id="{design.pk}"]')
    expect(row).to_be_visible()
    expect(page.locator("#plan-gantt")).to_contain_text("Design")
    row.click()
    page.keyboard.press("Tab")
    page.wait_for_function(
        '(id) => document.querySelector(`.gantt-row[data-id="${id}"]`)'
        ".getAttribute('aria-level') === '2'",
        arg=design.pk,
    )
    design.refresh_from_db()
    assert design.parent_id == phase.pk
    assert Task.objects.get(pk=phase.pk).summary
