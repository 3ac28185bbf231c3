"""A month of progress reporting in Chromium: the project manager writes the highlight report,
the PMO returns it with a comment, the project manager corrects and resubmits it, the PMO
approves it, writes the key messages of the consolidated report and downloads it as
PowerPoint and Excel."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pptx import Presentation

from conftest import PASSWORD
from schakel.portfolio.models import Project
from schakel.reporting import services
from schakel.reporting.models import DimensionRating, StatusReport
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

# The colour the project manager gives each dimension, and why when it is not green.
COLOURS = {
    "Schedule": ("Amber", "Testing starts two weeks late."),
    "Budget": ("Green", ""),
    "Scope": ("Green", ""),
    "Resources": ("Red", "Two analysts left in October."),
    "Risks": ("Green", ""),
    "Quality": ("Green", ""),
    "Benefits": ("Green", ""),
}
LEFT_OUT = "Benefits"


def _new_page(browser: Any, base: str) -> Any:
    """A second person at their own browser, so two sessions can take turns."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = base  # type: ignore[attr-defined]
    return page


def _choose(page: Any, group: str, colour: str) -> None:
    """Pick a colour in one of the report form's green/amber/red controls."""
    page.get_by_role("group", name=group, exact=True).get_by_label(colour, exact=True).check()


def _write_report(page: Any, summary: str) -> None:
    """Fill in the whole form except the colour of one dimension."""
    _choose(page, "Overall", "Amber")
    page.get_by_label("Why", exact=True).fill("Late testing and too few analysts.")
    for dimension, (colour, reason) in COLOURS.items():
        if dimension == LEFT_OUT:
            continue
        _choose(page, dimension, colour)
        if reason:
            page.get_by_label(f"Why {dimension} is not green").fill(reason)
    page.get_by_label("Summary", exact=True).fill(summary)


def _open_from_compliance_view(page: Any, cycle_pk: int, project: Project) -> None:
    """The PMO opens a project's report from the cycle's compliance view."""
    page.goto(f"{page.base_url}/reporting-cycles/{cycle_pk}/")
    row = page.locator("table.compliance-table tr", has_text=project.key)
    expect(row).to_contain_text("Submitted")
    row.get_by_role("link", name="Open report").click()
    expect(page.get_by_role("heading", name="Review")).to_be_visible()


def test_a_highlight_report_from_draft_to_the_consolidated_report(
    page, browser, live_server, org, member, pmo, settings, tmp_path
):
    # A monthly cycle of the programme, with both its projects reporting; the member is
    # the project manager of ODI, the PMO reviews.
    settings.MEDIA_ROOT = tmp_path
    Project.objects.filter(pk=org.project.pk).update(manager=member)
    cycle = services.cycle_create(
        scope=org.programme,
        by=pmo,
        name="Monthly highlight report",
        frequency="monthly",
        anchor=datetime.date.today(),
    )
    assert set(cycle.projects.all()) == {org.project, org.sibling}
    base = page.base_url
    login(page, "member", PASSWORD)

    # 1. The project manager writes the report from the project's Reports tab.
    page.goto(f"{base}/projects/{org.project.pk}/reports/")
    page.get_by_role("button", name="Write report").click()
    page.wait_for_url(re.compile(r"/reports/\d+/edit/$"))
    _write_report(page, "Design of the **new teams** is done.")

    # Submitting without a colour for one dimension keeps everything typed and says what.
    page.get_by_role("button", name="Save and submit").click()
    per_dimension = page.get_by_role("group", name="Per dimension")
    expect(per_dimension).to_contain_text(f"Give a colour for {LEFT_OUT}.")
    benefits = page.get_by_role("group", name=LEFT_OUT, exact=True)
    expect(benefits.get_by_label("Green", exact=True)).not_to_be_checked()
    expect(
        page.get_by_role("group", name="Schedule", exact=True).get_by_label("Amber", exact=True)
    ).to_be_checked()
    expect(page.get_by_label("Why Resources is not green")).to_have_value(
        "Two analysts left in October."
    )
    expect(page.get_by_label("Summary", exact=True)).to_have_value(
        "Design of the **new teams** is done."
    )
    report = StatusReport.objects.get(cycle=cycle, project=org.project)
    assert report.status == StatusReport.Status.DRAFT

    # Complete it, save the draft, then submit.
    _choose(page, LEFT_OUT, COLOURS[LEFT_OUT][0])
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("main")).to_contain_text("The draft is saved.")
    expect(benefits.get_by_label("Green", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save and submit").click()
    expect(page.locator("main")).to_contain_text("The report is submitted to the PMO.")
    report.refresh_from_db()
    assert report.status == StatusReport.Status.SUBMITTED
    assert report.overall == "amber"
    ratings = dict(DimensionRating.objects.filter(report=report).values_list("dimension", "rag"))
    assert ratings == {
        "schedule": "amber",
        "budget": "green",
        "scope": "green",
        "resources": "red",
        "risks": "green",
        "quality": "green",
        "benefits": "green",
    }

    # 2. The PMO returns it with a comment.
    pmo_page = _new_page(browser, base)
    login(pmo_page, "pmo", PASSWORD)
    _open_from_compliance_view(pmo_page, cycle.pk, org.project)
    pmo_page.get_by_label("Comment for the project manager").fill(
        "Say what the late testing does to the go-live date."
    )
    pmo_page.get_by_role("button", name="Return with comment").click()
    expect(pmo_page.locator("main")).to_contain_text("The report is returned")

    # 3. The project manager sees it returned with the comment, changes a text, resubmits.
    page.goto(f"{base}/projects/{org.project.pk}/reports/")
    row = page.locator("table.report-table tbody tr").first
    expect(row).to_contain_text("Returned")
    row.get_by_role("link").click()
    comment = page.locator(".review-comment")
    expect(comment).to_contain_text("Returned by the PMO:")
    expect(comment).to_contain_text("Say what the late testing does to the go-live date.")
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.locator(".review-comment")).to_contain_text("late testing")
    page.get_by_label("Summary", exact=True).fill(
        "Design of the **new teams** is done. Go-live moves from 1 March to 15 March."
    )
    page.get_by_role("button", name="Save and submit").click()
    expect(page.locator("main")).to_contain_text("The report is submitted to the PMO.")

    # 4. The PMO approves it.
    _open_from_compliance_view(pmo_page, cycle.pk, org.project)
    expect(pmo_page.locator("main")).to_contain_text("Go-live moves from 1 March to 15 March.")
    pmo_page.get_by_role("button", name="Approve").click()
    expect(pmo_page.locator("main")).to_contain_text("The report is approved.")
    report.refresh_from_db()
    assert report.status == StatusReport.Status.APPROVED

    # 5. The consolidated report shows the project's colours, in words too.
    pmo_page.goto(f"{base}/reporting-cycles/{cycle.pk}/")
    pmo_page.get_by_role("link", name="Consolidated report").click()
    overview = pmo_page.locator("table.consolidated-overview")
    odi = overview.locator("tbody tr", has_text=org.project.name)
    expect(odi.locator('[title^="Schedule: Amber"]')).to_have_count(1)
    expect(odi.locator('[title^="Resources: Red"]')).to_contain_text("Red")
    expect(odi.locator('[title^="Budget: Green"]')).to_contain_text("Green")
    expect(overview.locator("tbody tr", has_text=org.sibling.name)).to_contain_text(
        "No report received"
    )

    # The PMO writes the key messages for the board.
    pmo_page.get_by_role("textbox", name="Key messages").fill("- ODI go-live moves two weeks.")
    pmo_page.get_by_role("button", name="Save key messages").click()
    expect(pmo_page.locator("main")).to_contain_text("Key messages saved.")
    expect(pmo_page.locator("#key-messages .prose")).to_contain_text("ODI go-live moves two weeks.")

    # The PowerPoint: an overview table naming the project, then the project's own slide.
    with pmo_page.expect_download() as download_info:
        pmo_page.get_by_role("button", name="Download PowerPoint").click()
    deck = Presentation(io.BytesIO(download_info.value.path().read_bytes()))
    slides = [_slide_texts(slide) for slide in deck.slides]
    overview_at = next(
        i for i, (_, cells) in enumerate(slides) if any(org.project.name in c for c in cells)
    )
    overview_cells = slides[overview_at][1]
    assert any(org.sibling.name in cell for cell in overview_cells)
    assert member.display_name in overview_cells
    own = [i for i, (texts, _) in enumerate(slides) if any(org.project.name in t for t in texts)]
    assert any(i > overview_at for i in own)

    # The Excel file: one row per project per dimension (and overall) on the first sheet.
    with pmo_page.expect_download() as download_info:
        pmo_page.get_by_role("button", name="Download Excel").click()
    workbook = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    keys = [row[1] for row in rows[1:]]
    per_project = len(cycle.dimensions) + 1
    assert keys.count(org.project.key) == per_project
    assert keys.count(org.sibling.key) == per_project
    odi_rows = {row[5]: row[6] for row in rows[1:] if row[1] == org.project.key}
    assert odi_rows["Schedule"] == "Amber" and odi_rows["Resources"] == "Red"
    pmo_page.context.close()


def _slide_texts(slide: Any) -> tuple[list[str], list[str]]:
    """A slide's text boxes and, apart, its table cells: the deck as a reader sees it."""
    texts, cells = [], []
    for shape in slide.shapes:
        if shape.has_table:
            cells += [cell.text for row in shape.table.rows for cell in row.cells]
        elif shape.has_text_frame:
            texts.append(shape.text_frame.text)
    return texts, cells
