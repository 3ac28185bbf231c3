"""The registers in Chromium: log a risk, see it in the heatmap, add a mitigating action, mark it
done, export the register and import it again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from schakel.registers.models import Action, Risk
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_logs_a_risk_mitigates_it_and_round_trips_the_register(
    page, org, manager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login(page, "manager", PASSWORD)
    base = page.base_url
    project = org.project

    # Log a risk with the one-line quick add.
    page.goto(f"{base}/projects/{project.pk}/registers/risks/")
    quick = page.locator("#quick-add")
    quick.get_by_label("Title").fill("Key supplier goes bankrupt")
    quick.get_by_label("Probability").select_option("4")
    quick.get_by_label("Impact").select_option("5")
    quick.get_by_role("button", name="Add").click()
    expect(page.locator("#results")).to_contain_text("ODI-R1")
    risk = Risk.objects.get(project=project)
    assert (risk.probability, risk.impact, risk.score) == (4, 5, 20)

    # The heatmap counts it in its cell; the cell leads back to the filtered list.
    page.goto(f"{base}/projects/{project.pk}/heatmap/")
    cell = page.locator('svg a[href*="probability=4"][href*="impact=5"]').first
    expect(cell).to_be_attached()
    page.goto(base + cell.get_attribute("href"))
    expect(page.locator("#results")).to_contain_text("Key supplier goes bankrupt")

    # Add a mitigating action from the risk's page, in the modal.
    page.goto(base + risk.get_absolute_url())
    page.locator("#item-add-action").click()
    modal = page.locator("#modal")
    modal.get_by_label("Title").fill("Find a second supplier")
    modal.get_by_role("button", name=re.compile("Add action", re.I)).click()
    expect(modal).to_be_empty()
    action = Action.objects.get(project=project)
    assert action.source == risk

    # Mark it done in the action list, in place.
    page.goto(f"{base}/projects/{project.pk}/registers/actions/")
    page.get_by_label(f"Status of {action.ref}").select_option("done")
    expect(page.get_by_label(f"Status of {action.ref}")).to_have_value("done")
    page.wait_for_timeout(300)
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on is not None

    # Export the risk register and import the file again: the same risk, a new number.
    page.goto(f"{base}/projects/{project.pk}/registers/risks/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    exported = tmp_path / "risks.xlsx"
    download.value.save_as(exported)

    page.goto(f"{base}/projects/{project.pk}/import/")
    page.get_by_label("Risks", exact=True).check()
    page.locator("input[type=file]").set_input_files(str(exported))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name=re.compile(r"Import 1 row")).click()
    expect(page.locator("main")).to_contain_text("ODI-R2")
    copy = Risk.objects.get(project=project, number=2)
    assert (copy.title, copy.probability, copy.impact) == ("Key supplier goes bankrupt", 4, 5)
