"""Planning a project in Chromium, as its manager: set the start, add tasks and a
milestone, shape the plan in the Gantt chart (indent, link by dragging, move a bar), watch
the critical path move when a parallel task grows, save a baseline, let the milestone slip
and read the variance; download the Gantt as PDF; import an MS Project XML file into a new
project and export it again.

The plan starts on Monday 1 March 2027 without public holidays, so every date below can be
counted on a calendar: Design 1–5 March, Build 8–19 March, Go-live on Build's last day.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import PASSWORD
from schakel.core.importers.mspdi import read_mspdi
from schakel.portfolio.tests.factories import ProjectFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

# A small public MS Project 2003 file (19 tasks; SOURCES.md beside it), read where it lies.
SAMPLE = (
    Path(__file__).resolve().parents[3] / "shared" / "samples" / "msproject" / "mpxj_sample.xml"
)

GANTT_READY = "#plan-gantt[data-ready='true']"
DAY_PX = 9  # pixels per day at the week zoom the chart opens with (ZOOMS.week in gantt.js)
CRITICAL_BARS = """() => [...document.querySelectorAll('.gantt-bar.is-critical:not(.is-summary)')]
  .map(b => b.querySelector('.gantt-bar-label').textContent).sort()"""


def _open_plan(page: Any, project_pk: int) -> None:
    page.goto(f"{page.base_url}/projects/{project_pk}/plan/")
    page.wait_for_selector(GANTT_READY)


def _bar(page: Any, name: str) -> Any:
    return page.locator(".gantt-bar", has=page.locator(".gantt-bar-label", has_text=name))


def _row(page: Any, name: str) -> Any:
    """A task's row in the chart's task list."""
    return page.locator(".gantt-row", has=page.locator(".gantt-name", has_text=name))


def _outline_row(page: Any, name: str) -> Any:
    """A task's row in the plan table under the chart."""
    return page.locator("table.plan-table tbody tr", has=page.get_by_role("link", name=name))


def _fact(page: Any, label: str) -> Any:
    return page.locator(".plan-facts > div", has_text=label).locator("strong")


def _expect_critical(page: Any, names: list[str]) -> None:
    """The chart's red bars and the table's "critical" badges name the same tasks."""
    page.wait_for_function(
        f"(names) => JSON.stringify(({CRITICAL_BARS})()) === JSON.stringify(names)", arg=names
    )
    badges = page.locator("table.plan-table tbody tr", has=page.locator(".badge-critical"))
    shown = [t.replace("◆", "").strip() for t in badges.locator(".plan-name a").all_inner_texts()]
    assert sorted(shown) == names
    expect(_fact(page, "On the critical path")).to_have_text(str(len(names)))


def _add_task(page: Any, name: str, duration: int, *, milestone: bool = False) -> None:
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    if milestone:
        page.get_by_label("Milestone").check()
    page.get_by_label("Duration (working days)").fill(str(duration))
    page.get_by_role("button", name="Save and add another").click()
    expect(page.locator("#messages")).to_contain_text(f"Task “{name}” added.")


def _open_task(page: Any, project_pk: int, name: str) -> None:
    page.goto(f"{page.base_url}/projects/{project_pk}/plan/")
    _outline_row(page, name).get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def _change_duration(page: Any, project_pk: int, name: str, days: int) -> None:
    _open_task(page, project_pk, name)
    page.get_by_label("Duration (working days)").fill(str(days))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Task saved; the plan is rescheduled.")
    page.wait_for_selector(GANTT_READY)


def _centre(box: dict[str, float]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()


def _download(page: Any, link: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    return info.value.path().read_bytes()


def test_a_plan_from_the_first_task_to_its_variance_and_through_ms_project(
    page, live_server, org, manager
):
    project = ProjectFactory(programme=org.programme, key="MOV", name="Office move")
    base = page.base_url
    page.set_default_timeout(30_000)  # a long journey on a shared machine: patience, no sleeps
    login(page, "manager", PASSWORD)

    # 1. An empty plan; the manager sets its start and calendar first.
    page.goto(f"{base}/projects/{project.pk}/plan/")
    expect(page.locator("main")).to_contain_text("No plan yet")
    page.locator(".page-actions").get_by_role("link", name="Calendar").click()
    page.get_by_label("Project start").fill("2027-03-01")
    page.get_by_label("Public holidays").select_option(label="No public holidays")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Calendar saved")

    # 2. Tasks and a milestone with the task form.
    page.get_by_role("link", name="Add task").click()
    _add_task(page, "Preparation", 1)
    _add_task(page, "Design", 5)
    _add_task(page, "Build", 10)
    _add_task(page, "Training material", 3)
    _add_task(page, "Go-live", 0, milestone=True)
    _open_plan(page, project.pk)
    expect(_fact(page, "Tasks")).to_have_text("5")
    expect(_fact(page, "Milestones")).to_have_text("1")

    # 3. In the Gantt: indent Design under Preparation, which becomes a summary.
    _row(page, "Design").click()
    page.get_by_role("button", name="Indent", exact=True).click()
    expect(_row(page, "Design")).to_have_attribute("aria-level", "2")
    expect(_bar(page, "Preparation")).to_have_class(re.compile(r"\bis-summary\b"))
    expect(page.locator(".gantt-status")).to_have_text("Saved.")

    # Drag from the end of Design's bar to Build's: Build now waits for Design.
    page.mouse.move(*_centre(_bar(page, "Design").bounding_box()))  # hovering shows the handle
    handle = _bar(page, "Design").locator(".gantt-handle-link").bounding_box()
    _drag(page, _centre(handle), _centre(_bar(page, "Build").bounding_box()))
    expect(page.locator(".gantt-link")).to_have_count(1)
    expect(_row(page, "Build").locator(".gantt-c-start")).to_have_text("8 Mar 2027")
    expect(_row(page, "Build").locator(".gantt-c-finish")).to_have_text("19 Mar 2027")

    # Drag Training material's bar two days later: it starts no earlier than Wednesday.
    x, y = _centre(_bar(page, "Training material").bounding_box())
    _drag(page, (x, y), (x + 2 * DAY_PX + 3, y))
    expect(_row(page, "Training material").locator(".gantt-c-start")).to_have_text("3 Mar 2027")
    expect(page.locator(".gantt-status")).to_have_text("Saved.")

    # 4. On the milestone's page: Go-live waits for Build and for the training material.
    _open_task(page, project.pk, "Go-live")
    waits_for = page.get_by_role("combobox", name="Waits for")
    for predecessor in ("2 Build", "3 Training material"):
        waits_for.select_option(label=predecessor)
        page.get_by_role("button", name="Add link").click()
        expect(page.locator("#messages")).to_contain_text("Link added; the plan is rescheduled.")
    links = page.locator(".link-list li")
    expect(links).to_have_count(2)
    expect(links.first).to_contain_text("Build")
    expect(links.first).to_contain_text("Finish to start")

    # 5. The critical path runs through Design and Build; the training has ten days of float.
    _open_plan(page, project.pk)
    _expect_critical(page, ["Build", "Design", "Go-live"])
    expect(_outline_row(page, "Go-live")).to_contain_text("19 Mar 2027")
    expect(_outline_row(page, "Training material").locator("td").nth(5)).to_have_text("10")

    # Twenty days of training material make it the longest path: the critical path moves.
    _change_duration(page, project.pk, "Training material", 20)
    _expect_critical(page, ["Go-live", "Training material"])
    expect(_outline_row(page, "Go-live")).to_contain_text("30 Mar 2027")
    expect(_bar(page, "Build")).not_to_have_class(re.compile(r"\bis-critical\b"))

    # 6. The plan is approved: save it as a baseline.
    page.get_by_label("Save a baseline").fill("Approved plan")
    page.get_by_role("button", name="Save baseline").click()
    expect(page.locator("#messages")).to_contain_text("Baseline “Approved plan” saved.")
    expect(page.get_by_label("Compare with baseline")).to_contain_text("Approved plan")
    expect(_fact(page, "Milestones later than the baseline")).to_have_text("0")

    # 7. The training material takes five days more: Go-live slips by five working days.
    _change_duration(page, project.pk, "Training material", 25)
    go_live = _outline_row(page, "Go-live")
    expect(go_live).to_contain_text("6 Apr 2027")
    expect(go_live.locator("td").nth(6)).to_have_text("30 Mar 2027")  # baseline finish
    expect(go_live.locator("td").nth(7)).to_have_text("+5")
    expect(go_live.locator("td").nth(7).locator(".text-danger")).to_have_count(1)
    expect(_outline_row(page, "Build").locator("td").nth(7)).to_have_text("0")
    expect(_fact(page, "Milestones later than the baseline")).to_have_text("1")
    expect(page.locator(".gantt-baseline").first).to_be_attached()  # the thin baseline bars

    # 8. The Gantt chart as PDF: pages with the plan's tasks on them.
    pdf = PdfReader(io.BytesIO(_download(page, "Gantt as PDF")))
    assert len(pdf.pages) >= 1
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Training material" in text and "Go-live" in text

    # 9. A second, new project gets its plan from an MS Project file.
    imported = ProjectFactory(programme=org.programme, key="IMP", name="Imported plan")
    page.goto(f"{base}/projects/{imported.pk}/plan/")
    page.get_by_role("link", name="Import from MS Project").click()
    page.get_by_label("MS Project XML file").set_input_files(SAMPLE)
    page.get_by_role("button", name="Import", exact=True).click()
    messages = page.locator("#messages")
    expect(messages).to_contain_text("Imported 19 tasks.")
    expect(messages).to_contain_text("resources")  # what the plan does not hold is listed
    page.wait_for_selector(GANTT_READY)
    expect(_fact(page, "Tasks")).to_have_text("19")
    names = [n.replace("◆", "").strip() for n in page.locator(".plan-name a").all_inner_texts()]
    assert names[0] == "First Task" and "Related Task 6b" in names
    expect(_row(page, "First Task")).to_be_visible()

    # Exported again, MS Project's format holds the same tasks in the same order.
    exported = read_mspdi(_download(page, "Export to MS Project"))
    assert [task.name for task in exported.tasks] == names
