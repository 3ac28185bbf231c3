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


IN_VIEW = """(selector) => {
  const view = document.querySelector('.gantt-scroller').getBoundingClientRect();
  const grid = document.querySelector('.gantt-grid').getBoundingClientRect();
  const thing = document.querySelector(selector);
  if (!thing || thing.hidden) { return false; }
  const box = thing.getBoundingClientRect();
  return box.right > grid.right && box.left < view.right;
}"""


@pytest.mark.parametrize(
    ("days_from_today", "today_in_view"), [(-40, True), (200, False)], ids=["running", "future"]
)
def test_the_gantt_opens_at_today_when_the_plan_runs_then(
    page, live_server, org, manager, days_from_today, today_in_view
):
    today = datetime.date.today()
    ProjectPlan.objects.create(
        project=org.project, start=today + datetime.timedelta(days=days_from_today)
    )
    build = services.task_create(project=org.project, by=manager, name="Build", duration=120)
    login(page, "manager", PASSWORD)

    page.goto(page.base_url + f"/projects/{org.project.pk}/plan/")

    page.locator(f'.gantt-bar[data-id="{build.pk}"]').wait_for()
    assert page.evaluate(IN_VIEW, ".gantt-today") is today_in_view
    assert page.evaluate(IN_VIEW, f'.gantt-bar[data-id="{build.pk}"]')  # never an empty screen
